"""Database upkeep that knows no model."""

from django.db import connection


def analyze() -> bool:
    """Refresh PostgreSQL's planner statistics (ANALYZE) after a bulk load.

    PostgreSQL's autovacuum analyses a table only after enough rows changed, so the
    small tables of a freshly set-up or imported portal keep no statistics, and the
    planner guesses badly (the admin's event list took 337 ms instead of 13 ms).
    Nothing to do on SQLite. Returns whether it ran.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
