"""On PostgreSQL: the stored search vector of each entry under a GIN index, and a
trigram index of the words. Other databases (SQLite) search the text columns instead."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

VECTOR = """
ALTER TABLE search_index_entry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('indonesian'::regconfig, coalesce(title_ind, '')), 'A')
    || setweight(to_tsvector('indonesian'::regconfig, coalesce(body_ind, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(title_en, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(body_en, '')), 'B')
) STORED;
CREATE INDEX search_entry_vector ON search_index_entry USING gin (vector) WHERE public;
CREATE INDEX search_word_trigram ON search_index_word USING gin (word gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS search_word_trigram;
DROP INDEX IF EXISTS search_entry_vector;
ALTER TABLE search_index_entry DROP COLUMN IF EXISTS vector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTOR)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search_index", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
