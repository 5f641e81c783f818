"""Migration search_index 0004: the key-point hits of talks without key points (they
linked to no anchor) are taken out; the others stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search_index.models import Entry
from tests.factories import AppearanceFactory

BEFORE = [("search_index", "0003_readable_constraint_messages")]
AFTER = [("search_index", "0004_key_points_only_with_key_points")]


@pytest.mark.django_db(transaction=True)
def test_hits_of_talks_without_key_points_are_taken_out():
    with_points = AppearanceFactory(summary_ind="Pokok paparan.", summary_en="")
    without = AppearanceFactory(summary_ind="", summary_en="")
    try:
        MigrationExecutor(connection).migrate(BEFORE)
        for talk in (with_points, without):  # as the index had them before
            Entry.objects.update_or_create(
                kind="key_point", object_id=talk.pk,
                defaults={"event_id": talk.session.event_id, "title_ind": "x", "title_en": "x",
                          "date": talk.session.event.start_date},
            )  # fmt: skip
        MigrationExecutor(connection).migrate(AFTER)
        assert set(Entry.objects.filter(kind="key_point").values_list("object_id", flat=True)) == {
            with_points.pk
        }
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
