"""A GIN index for full-text search of conclusions, on PostgreSQL only.

It indexes exactly the expression that workshops/search.py matches with @@
(SearchVector("text_ind", "text_en", config="simple")), so the planner can use it.
SQLite has no full-text vectors; there the search falls back to word matching.
"""

from django.db import migrations

INDEX = "focus_areas_conclusion_search"
EXPRESSION = (
    "to_tsvector('simple'::regconfig, COALESCE(text_ind, '') || ' ' || COALESCE(text_en, ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON focus_areas_conclusion USING gin ({EXPRESSION})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("focus_areas", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
