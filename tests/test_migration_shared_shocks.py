"""Migration 0012 (issue 11): the shocks and stresses each event named become shared
records, one per kind and Indonesian name, and every row points at its record."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EventFactory

BEFORE = [("workshops", "0011_event_organisers_and_session_times")]
AFTER = [("workshops", "0012_shared_shocks_stresses_and_attribution_note")]


@pytest.mark.django_db(transaction=True)
def test_rows_become_shared_records():
    first, second = EventFactory(), EventFactory()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        names = [("shock", "Banjir", "floods"), ("stress", "kesenjangan sosial", "")]
        for event in (first, second):
            for order, (kind, name, english) in enumerate(names, start=1):
                old.get_model("workshops", "ShockStress").objects.create(
                    event_id=event.pk, order=order, ref=f"r{event.pk}x{order}", kind=kind,
                    name=name, name_ind=name, name_en=english,
                )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        hazards = new.get_model("workshops", "Hazard").objects.order_by("slug")
        assert [(h.slug, h.kind, h.name_ind, h.name_en) for h in hazards] == [
            ("banjir", "shock", "Banjir", "floods"),
            ("kesenjangan-sosial", "stress", "kesenjangan sosial", ""),
        ]
        mentions = new.get_model("workshops", "ShockStress").objects.order_by("event_id", "order")
        assert [(m.event_id, m.order, m.hazard.slug) for m in mentions] == [
            (first.pk, 1, "banjir"),
            (first.pk, 2, "kesenjangan-sosial"),
            (second.pk, 1, "banjir"),
            (second.pk, 2, "kesenjangan-sosial"),
        ]
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
