"""setup_portal and import_event give PostgreSQL's planner its statistics (issue 10):
small new tables are never analysed by autovacuum, and the event list's plan suffered."""

import pytest
from django.core.management import call_command
from django.db import connection

from jakres.core.database import analyze

ON_POSTGRESQL = connection.vendor == "postgresql"


def last_analyzed(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(last_analyze, last_autoanalyze) FROM pg_stat_user_tables "
            "WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_setup_portal_analyses_the_tables_on_postgresql(tmp_path):
    call_command("setup_portal", verbosity=0)
    if not ON_POSTGRESQL:
        assert analyze() is False  # nothing to do on SQLite
        return
    assert last_analyzed("workshops_event") is not None
    assert last_analyzed("focus_areas_conclusion") is not None


@pytest.mark.django_db(transaction=True)
def test_import_event_analyses_the_tables_on_postgresql(tmp_path):
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    document = tmp_path / "event.json"
    call_command(
        "export_event", "lokakarya-perdana-program-prioritas-2018-09-26", "-o", str(document)
    )
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_reset()")
    call_command("import_event", str(document), verbosity=0)
    if ON_POSTGRESQL:
        assert last_analyzed("workshops_session") is not None
