# LaborTeilnahme: the link Labor–Teilnahme, owned by labore (issue 12; it was Teilnahme.labor).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('labore', '0001_initial'),
        ('themenfelder', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalLaborTeilnahme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('labor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='labore.labor', verbose_name='Labor')),
                ('teilnahme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='themenfelder.teilnahme', verbose_name='Teilnahme')),
            ],
            options={
                'verbose_name': 'historical Teilnahme am Labor',
                'verbose_name_plural': 'historical Teilnahmen am Labor',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LaborTeilnahme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('labor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teilnahme_zuordnungen', to='labore.labor', verbose_name='Labor')),
                ('teilnahme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='laborzuordnung', to='themenfelder.teilnahme', verbose_name='Teilnahme')),
            ],
            options={
                'verbose_name': 'Teilnahme am Labor',
                'verbose_name_plural': 'Teilnahmen am Labor',
                'ordering': ['labor', 'teilnahme__position'],
            },
        ),
        migrations.AddField(
            model_name='labor',
            name='teilnahmen',
            field=models.ManyToManyField(blank=True, related_name='labore', through='labore.LaborTeilnahme', to='themenfelder.teilnahme', verbose_name='Teilnahmen'),
        ),
    ]
