"""Key-point hits only for talks with key points (search_index.indexing.has_key_points):
the entries of talks without them, which linked to no anchor, are taken out."""

from django.db import migrations
from django.db.models import Q


def _empty(field):
    return Q(**{field: ""}) | Q(**{f"{field}__isnull": True})


def drop_hits_without_key_points(apps, schema_editor):
    Appearance = apps.get_model("workshops", "Appearance")
    Entry = apps.get_model("search_index", "Entry")
    without = Appearance.objects.filter(_empty("summary_ind"), _empty("summary_en"))
    Entry.objects.filter(kind="key_point", object_id__in=without.values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search_index", "0003_readable_constraint_messages"),
        ("workshops", "0012_shared_shocks_stresses_and_attribution_note"),
    ]

    operations = [migrations.RunPython(drop_hits_without_key_points, migrations.RunPython.noop)]
