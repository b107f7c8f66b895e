# Redaktionszuordnung moved to the redaktion app (see redaktion.0001_initial). Only Django's state forgets the
# model here; the tables stay, now owned by redaktion.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ozgportal', '0001_redaktionszuordnung'),
        ('redaktion', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalRedaktionszuordnung'),
                migrations.DeleteModel(name='Redaktionszuordnung'),
            ],
            database_operations=[],
        ),
    ]
