#!/usr/bin/env python3
"""Backup and restore drill: `python3 bench/restore_check.py`.

Backs up a PostgreSQL database with pg_dump exactly as docs/deploy.md says, restores
it into a new database with pg_restore, and checks that the restored database holds
the same proceedings: every table's row count, and the full export of the
26 Sept 2018 workshop, byte for byte.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from run import PYTHON, ROOT, Workspace, ensure_services, environment, prepare, psql

SLUG = "lokakarya-perdana-program-prioritas-2018-09-26"
COUNT_TABLES = """
SELECT string_agg(format('%s=%s', table_name,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name),
                                           false, true, '')))[1]::text), ' ' ORDER BY table_name)
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


def export(env):
    return subprocess.run(
        [PYTHON, "manage.py", "export_event", SLUG], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def main():
    ensure_services()
    with Workspace("restore_source") as source, Workspace("restore_target") as restored:
        env = environment(source)
        prepare(env, events=20, conclusions=1000)
        with tempfile.TemporaryDirectory() as folder:
            dump = os.path.join(folder, "jakres.dump")
            # The backup and the restore, as in docs/deploy.md.
            subprocess.run(
                ["pg_dump", "--format=custom", "--file", dump, "--dbname", source.database_url],
                check=True,
            )
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname",
                 restored.database_url, dump],
                check=True,
            )  # fmt: skip
        checks = compare(env, {**env, "DATABASE_URL": restored.database_url}, source, restored)
    for label, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}: {label}")
    print("restore drill:", "PASS" if all(checks.values()) else "FAIL")
    return 0 if all(checks.values()) else 1


def compare(env, restored_env, source, restored):
    return {
        "every table has the same row count": psql(source.database_url, COUNT_TABLES)
        == psql(restored.database_url, COUNT_TABLES),
        "the workshop exports identically": export(env) == export(restored_env),
        "no migration is missing": subprocess.run(
            [PYTHON, "manage.py", "migrate", "--check"], cwd=ROOT, env=restored_env,
            capture_output=True,
        ).returncode == 0,
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
