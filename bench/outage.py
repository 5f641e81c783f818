#!/usr/bin/env python3
"""Database outage drill: `python3 bench/outage.py`.

Starts gunicorn on PostgreSQL, stops the PostgreSQL server, and checks that a page
answers within 3 s with a friendly 503 and Retry-After (never a 500, never a hang),
that cached pages are still served, and that after PostgreSQL starts again the same
gunicorn serves pages again, without a restart. It stops the machine's PostgreSQL
for a few seconds: run it alone, not beside tests.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from run import EVENT_PATH, Server, Workspace, ensure_services, environment, prepare

CLUSTER = sorted(os.listdir("/etc/postgresql"))[0] if os.path.isdir("/etc/postgresql") else "15"


def get(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, headers, body.decode(), time.monotonic() - started


def postgres(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action],
        check=True,
    )
    if action == "start":
        for _ in range(60):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                return
            time.sleep(0.5)
        raise SystemExit("PostgreSQL did not come back")


def main():
    ensure_services()
    with Workspace("outage") as workspace:
        env = environment(workspace)
        prepare(env, events=5, conclusions=250)
        failures = drill(env)
    print("outage drill:", "PASS" if not failures else f"FAIL ({len(failures)})")
    return 1 if failures else 0


def drill(env):
    """The labels of the checks that failed."""
    failures = []

    def check(label, ok):
        print(f"{'PASS' if ok else 'FAIL'}: {label}", flush=True)
        if not ok:
            failures.append(label)

    with Server(env, 8767) as server:
        status, *_ = get(server.url + EVENT_PATH)  # cached from now on
        check("page served before the outage", status == 200)
        check("search served before the outage", get(server.url + "/search/?q=banjir")[0] == 200)
        postgres("stop")
        try:
            status, headers, body, seconds = get(server.url + "/search/?q=banjir&outage=1")
            check(f"503 while the database is down (got {status})", status == 503)
            check(f"answered within 3 s ({seconds:.2f} s)", seconds < 3)
            check("Retry-After is set", int(headers.get("Retry-After", "0")) > 0)
            check("friendly text in both languages",
                  "Layanan sementara tidak tersedia" in body and "Service temporarily" in body)  # fmt: skip
            check("cached pages still served", get(server.url + EVENT_PATH)[0] == 200)
        finally:
            postgres("start")
        statuses = [get(server.url + f"/search/?q=banjir&after={n}")[0] for n in range(3)]
        check(f"service resumes without a restart (got {statuses})", statuses[0] == 200)
    return failures


if __name__ == "__main__":
    sys.exit(main())
