"""A stored, citable number per conclusion (issue 11): "2.3" is conclusion 3 of group 2,
"2.1.a" sub-point a of 2.1. Existing rows are numbered from their current order, so the
public pages show the numbers they showed before (their position in the list)."""

from itertools import groupby

from django.db import migrations, models


def number_by_order(apps, schema_editor):
    Conclusion = apps.get_model("focus_areas", "Conclusion")
    rows = Conclusion.objects.order_by("group_id", "parent_id", "order", "pk").values_list(
        "group_id", "parent_id", "pk"
    )
    for _scope, siblings in groupby(rows, key=lambda row: (row[0], row[1])):
        for number, (_group, _parent, pk) in enumerate(siblings, start=1):
            Conclusion.objects.filter(pk=pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [
        ("focus_areas", "0005_readable_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="conclusion",
            name="number",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="number"),
        ),
        migrations.RunPython(number_by_order, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="conclusion",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "The citable number: “2.3” is conclusion 3 of group 2, “2.1.a” its "
                    "sub-point a. Moving a conclusion does not change it."
                ),
                verbose_name="number",
            ),
        ),
        migrations.AddConstraint(
            model_name="conclusion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)),
                fields=("group", "number"),
                name="conclusion_unique_number_in_group",
                violation_error_message="Another conclusion of this group already has this number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="conclusion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", False)),
                fields=("parent", "number"),
                name="conclusion_unique_number_in_parent",
                violation_error_message=(
                    "Another sub-point of this conclusion already has this number."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="conclusion",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)),
                name="conclusion_number_positive",
                violation_error_message="Conclusions are numbered from 1.",
            ),
        ),
    ]
