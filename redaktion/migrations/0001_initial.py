# The model moved from the ozgportal app. Its tables keep their names (db_table), so this migration only tells
# Django's state where the model lives now: on a fresh database ozgportal.0001 has just created the tables, on an
# existing one they hold the data. Content types (and with them the groups' permissions and admin log entries)
# are renamed, not created anew.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELLE = ["redaktionszuordnung", "historicalredaktionszuordnung"]


def inhaltstypen_umbenennen(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="ozgportal", model__in=MODELLE).update(app_label="redaktion")


def inhaltstypen_zurueck(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="redaktion", model__in=MODELLE).update(app_label="ozgportal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ozgportal', '0001_redaktionszuordnung'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('catalog', '0002_suche'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalRedaktionszuordnung',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('bemerkung', models.CharField(blank=True, max_length=300, verbose_name='Bemerkung')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('gebiet', models.ForeignKey(blank=True, db_constraint=False, help_text='Land-Redaktion: das Land (pflegt auch die Kommunen des Landes). Kommune-Redaktion: die Kommune (Kreis, Gemeindeverband oder Gemeinde).', limit_choices_to={'ebene__in': ['land', 'kreis', 'gemeindeverband', 'gemeinde']}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.gebietskoerperschaft', verbose_name='Land oder Kommune')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Benutzer')),
                    ],
                    options={
                        'verbose_name': 'historical Redaktionszuordnung',
                        'verbose_name_plural': 'historical Redaktionszuordnungen',
                        'db_table': 'ozgportal_historicalredaktionszuordnung',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Redaktionszuordnung',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('bemerkung', models.CharField(blank=True, max_length=300, verbose_name='Bemerkung')),
                        ('gebiet', models.ForeignKey(help_text='Land-Redaktion: das Land (pflegt auch die Kommunen des Landes). Kommune-Redaktion: die Kommune (Kreis, Gemeindeverband oder Gemeinde).', limit_choices_to={'ebene__in': ['land', 'kreis', 'gemeindeverband', 'gemeinde']}, on_delete=django.db.models.deletion.PROTECT, related_name='redaktionszuordnungen', to='catalog.gebietskoerperschaft', verbose_name='Land oder Kommune')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='redaktionszuordnungen', to=settings.AUTH_USER_MODEL, verbose_name='Benutzer')),
                    ],
                    options={
                        'verbose_name': 'Redaktionszuordnung',
                        'verbose_name_plural': 'Redaktionszuordnungen',
                        'db_table': 'ozgportal_redaktionszuordnung',
                        'ordering': ['user__username', 'gebiet__ars'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'gebiet'), name='redaktionszuordnung_eindeutig')],
                    },
                ),
    
            ],
            database_operations=[],
        ),
        migrations.RunPython(inhaltstypen_umbenennen, inhaltstypen_zurueck),
    ]
