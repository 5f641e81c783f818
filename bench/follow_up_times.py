#!/usr/bin/env python3
"""Server time of the follow-up pages (issue 12), uncached, on the benchmark data.

Run against a database prepared like bench/run.py's (setup_portal, then
generate_bench_data: 300 events, 15,000 conclusions, with the follow-up data):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jakres_bench \\
        .venv/bin/python bench/follow_up_times.py

Each page is rendered by Django in this process (no network, no page cache: no
REDIS_URL), 3 times to warm up and then 20 times; it prints the fastest, the median
and the slowest of the 20, in milliseconds, and the queries of one request. On a
machine busy with other work, the fastest is the one least disturbed by it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakres.settings.dev")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.pop("REDIS_URL", None)

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from follow_up.models import Link, PlanItem  # noqa: E402

RUNS = 20


def pages():
    bench_link = Link.objects.filter(conclusion__isnull=False, kind="taken_up").order_by("pk")
    conclusion = bench_link.last().conclusion
    action = PlanItem.objects.filter(plan__slug="bench-rencana-1", code="1.1.1").get()
    event = conclusion.group.session.event.slug
    return {
        "conclusion (trail)": conclusion.get_absolute_url(),
        "conclusion, English": "/en" + conclusion.get_absolute_url(),
        "plan (63 items)": "/follow-up/plans/bench-rencana-1/",
        "plan item (1 of 50 links a page)": action.get_absolute_url(),
        "follow-up list": "/follow-up/",
        "follow-up list, page 300": "/follow-up/?page=300",
        "follow-up list, status filter": "/follow-up/?status=in_progress",
        "follow-up list, no follow-up": "/follow-up/?status=none",
        "follow-up list, area + event": f"/follow-up/?focus_area=3&event={event}",
        "focus area with chart (3,000 conclusions)": "/focus-areas/3/",
        "status feed": "/follow-up/feed/",
        "plan.json": "/follow-up/plans/bench-rencana-1/plan.json",
        "plan.csv": "/follow-up/plans/bench-rencana-1/plan.csv",
        "links.json (100 a page)": "/follow-up/links.json?page=2",
        "proceedings (26 Sept)": "/events/lokakarya-perdana-program-prioritas-2018-09-26/",
    }


def measure(client, url):
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return min(times), statistics.median(times), max(times), len(queries.captured_queries)


def main():
    client = Client(HTTP_HOST="localhost")
    print("| page | URL | fastest ms | median ms | slowest ms | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, url in pages().items():
        fastest, median, slowest, queries = measure(client, url)
        print(
            f"| {name} | `{url}` | {fastest:.1f} | {median:.1f} | {slowest:.1f} | {queries} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
