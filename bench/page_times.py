#!/usr/bin/env python3
"""Server time and size of the public pages, uncached, at 500 events:
`python3 bench/page_times.py` (or `--events N --conclusions M`).

It creates a database of its own (as bench/run.py does: on the server of DATABASE_URL,
dropped at the end), loads the 26 Sept 2018 workshop and the generated events, then
renders each page in one Django process with no page cache: 3 times to warm up, then 20
times. It prints, per page, the median and the slowest of the 20 in milliseconds, the
queries of one request, and the HTML's size plain and as Brotli.
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = 20


def pages():
    from focus_areas.models import Conclusion
    from workshops.models import Person

    person = Person.objects.filter(slug__startswith="bench-").order_by("slug").first()
    conclusion = Conclusion.objects.filter(text_ind__startswith="Perlu").order_by("pk").last()
    return {
        "proceedings (26 Sept)": "/events/lokakarya-perdana-program-prioritas-2018-09-26/",
        "proceedings, English": "/en/events/lokakarya-perdana-program-prioritas-2018-09-26/",
        "proceedings (generated)": conclusion.group.session.event.get_absolute_url(),
        "home": "/",
        "event list": "/events/",
        "event list, page 20": "/events/?page=20",
        "focus area": "/focus-areas/3/",
        "focus area, page 30": "/focus-areas/3/?page=30",
        "person": person.get_absolute_url(),
        "search, typical (banjir)": "/search/?q=banjir",
        "search, worst case (every conclusion)": "/search/?q=ketahanan",
        "search, one kind, page 100": "/search/?q=ketahanan&kind=conclusion&page=100",
        "search, misspelt (banjr)": "/search/?q=banjr",
        "shock or stress (banjir)": "/guncangan-dan-tekanan/banjir/",
        "shock or stress, worst case (in every conclusion)": (
            "/guncangan-dan-tekanan/bench-ketahanan-kota/"
        ),
        "sitemap index": "/sitemap.xml",
        "sitemap, events page 2": "/sitemap-events.xml?p=2",
    }


def measure():
    import statistics
    import time

    import brotli
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    print("| page | URL | median ms | slowest ms | queries | KB | KB Brotli |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, url in pages().items():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content
        print(
            f"| {name} | `{url}` | {statistics.median(times):.1f} | {max(times):.1f} | "
            f"{len(queries.captured_queries)} | {len(body) / 1000:.1f} | "
            f"{len(brotli.compress(body, quality=9)) / 1000:.1f} |",
            flush=True,
        )
    pdf(client)


def pdf(client):
    import time

    from django.core.cache import cache
    from django.test.utils import override_settings

    override_settings(PAGE_CACHE_SECONDS=3600).enable()  # the PDF is kept; pages are not read again

    url = "/events/lokakarya-perdana-program-prioritas-2018-09-26/proceedings.pdf"
    cache.clear()
    start = time.perf_counter()
    first = client.get(url)
    made = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    client.get(url)
    cached = (time.perf_counter() - start) * 1000
    print(f"\nPDF of the 26 Sept proceedings: {len(first.content) / 1000:.0f} KB, made in "
          f"{made:.0f} ms, then from the cache in {cached:.1f} ms")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--conclusions", type=int, default=15000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure()
    sys.path.insert(0, str(HERE))
    from run import PYTHON, ROOT, Workspace, ensure_services, environment, prepare

    ensure_services()
    with Workspace("pages") as workspace:
        env = environment(workspace)
        prepare(env, events=args.events, conclusions=args.conclusions)
        # In-process rendering, no page cache; a local memory cache keeps the PDF.
        env = {**env, "DJANGO_SETTINGS_MODULE": "jakres.settings.dev", "DJANGO_DEBUG": "0",
               "JAKRES_PAGE_CACHE_SECONDS": "0", "REDIS_URL": ""}  # fmt: skip
        subprocess.run([PYTHON, __file__, "--measure"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    sys.exit(main())
