# pg_trgm for finding people entered twice (workshops/editorial/people.py); nothing on SQLite.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0009_vocabulary_of_real_events"),
    ]

    operations = [TrigramExtension()]
