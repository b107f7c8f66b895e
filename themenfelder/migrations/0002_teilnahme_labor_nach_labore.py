# Teilnahme.labor moves to labore.LaborTeilnahme (issue 12): labore owns the link, themenfelder no longer names labore.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('themenfelder', '0001_initial'),
        # The links and their history are copied to labore first (labore 0003), then the column goes.
        ('labore', '0003_teilnahme_labor_uebernehmen'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalteilnahme',
            name='labor',
        ),
        migrations.RemoveField(
            model_name='teilnahme',
            name='labor',
        ),
    ]
