"""Load test of live capture (issue 13): `python3 bench/capture_load.py`.

On PostgreSQL with gunicorn and Redis as in production (jakres.settings.production,
jakres/gunicorn.py): 5 groups × 3 phones, each phone saving every 5 seconds (it
alternates between adding a point of its own and appending its mark to the group's
shared first point, which all three phones change, so edits based on an older version
meet: a refused edit (409, both texts shown) is read again and retried, as a
rapporteur would), and 150 plenary screens polling the JSON every 10 seconds (with
If-None-Match), for 5 minutes. Then it checks the final text of every group against
what each phone sent: every added point there, once, with its text; every mark that
was saved in the shared point (a silently overwritten edit would lose one).

It creates and drops only its own database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/jakres_capture_bench; its name must contain
"bench") and uses Redis database 13 under a random prefix. Not part of the tests.

Options: --duration SECONDS (300), --port PORT (8713), --screens N (150), --phones N (3).
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PYTHON, ROOT, Server, ensure_services, sh

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jakres_capture_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"
GROUPS = 5
SAVE_EVERY = 5.0
POLL_EVERY = 10.0
EXPECTED = {200, 303, 304, 409}

SETUP = """
import json
from django.utils import timezone
from capture import services
from capture.models import CaptureLink, LinkKind
from focus_areas.models import DiscussionGroup, FocusArea
from workshops.models import Event, EventKind, EventStatus, Programme, Session, SessionKind
programme = Programme.objects.order_by("order", "pk").first()
event = Event.objects.create(programme=programme, title_ind="Uji beban pencatatan",
    slug="uji-beban-pencatatan", kind=EventKind.WORKSHOP, start_date=timezone.localdate(),
    status=EventStatus.DRAFT)
session = Session.objects.create(event=event, order=1, kind=SessionKind.GROUP_DISCUSSION,
    title_ind="Diskusi kelompok")
for area in FocusArea.objects.filter(programme=programme).order_by("number")[:%(groups)d]:
    DiscussionGroup.objects.create(session=session, focus_area=area, number=area.number)
services.issue_links(event=event, user=None, expires_at=services.default_expiry(event))
out = {"groups": {}, "plenary": CaptureLink.objects.get(event=event, kind=LinkKind.PLENARY).token}
for link in CaptureLink.objects.filter(event=event, kind=LinkKind.RAPPORTEUR):
    shared = services.add_point(sheet=link.group.capture_sheet, text="Bersama", author="Setup")
    out["groups"][link.group.number] = {"token": link.token, "shared": shared.pk}
print("SETUP " + json.dumps(out))
"""


class LoggedServer(Server):
    """gunicorn with its JSON access log in a file: the time each request took inside
    the worker (duration_us), apart from the time it waited for a free worker."""

    def __init__(self, env, port, log):
        super().__init__({**env, "GUNICORN_ACCESS_LOG": "1"}, port)
        self.log = log

    def __enter__(self):
        self.output = open(self.log, "w", encoding="utf-8")
        real_popen = subprocess.Popen

        def popen(*args, **kwargs):
            return real_popen(*args, stdout=self.output, **kwargs)

        subprocess.Popen = popen
        try:
            return super().__enter__()
        finally:
            subprocess.Popen = real_popen

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.output.close()


def cpu_seconds(master_pid):
    """CPU time used so far by gunicorn's master and workers (from /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if entry.name == str(master_pid) or fields[1] == str(master_pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_times(log, since):
    """{kind: [seconds inside the worker]} from gunicorn's access log after `since`."""
    times = {"saves": [], "polls": []}
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        if '"gunicorn.access"' not in line:
            continue
        entry = json.loads(line)
        if entry["method"] == "POST":
            times["saves"].append(entry["duration_us"] / 1e6)
        elif (entry["path"] or "").endswith("/data.json"):
            times["polls"].append(entry["duration_us"] / 1e6)
    skip = since
    return {kind: values[skip.get(kind, 0) :] for kind, values in times.items()}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.saves, self.polls, self.pages = [], [], []
        self.errors, self.conflicts, self.statuses = [], 0, {}

    def record(self, kind, status, seconds, what):
        with self.lock:
            getattr(self, kind).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status not in EXPECTED:
                self.errors.append(f"{what}: {status}")


def request(port, method, path, body=None, headers=None):
    """(status, headers, text, seconds) of one request on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        encoded = urllib.parse.urlencode(body).encode() if body is not None else None
        sent = dict(headers or {})
        if encoded is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=encoded, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, dict(response.getheaders()), text, time.perf_counter() - started
    except OSError as error:
        return f"socket error {error}", {}, "", time.perf_counter() - started
    finally:
        connection.close()


def shared_state(page, pk):
    version = re.search(rf'name="base_version" value="(\d+)" id="id_edit-{pk}_base_version"', page)
    text = re.search(rf'id="id_edit-{pk}_text">\n?(.*?)</textarea>', page, re.S)
    return int(version.group(1)), html.unescape(text.group(1))


class Phone(threading.Thread):
    def __init__(self, port, group, number, info, stats, stop):
        super().__init__(daemon=True)
        self.port, self.group, self.number = port, group, number
        self.path = f"/tulis/{info['token']}/"
        self.shared = info["shared"]
        self.stats, self.stop = stats, stop
        self.author = f"Telepon {group}.{number}"
        self.added, self.marks = [], []

    def save(self, data):
        data["author"] = self.author
        status, _h, _t, seconds = request(self.port, "POST", self.path, data)
        self.stats.record("saves", status, seconds, f"save {self.group}.{self.number}")
        return status

    def page(self):
        """The page with the shared point's edit form open (?edit=), as a phone opens it."""
        path = f"{self.path}?edit={self.shared}"
        status, _h, text, seconds = request(self.port, "GET", path)
        self.stats.record("pages", status, seconds, f"page {self.group}.{self.number}")
        return text

    def add(self, step):
        text = f"Butir g{self.group} t{self.number} n{step}"
        if self.save({"action": "add", "text": text}) == 303:
            self.added.append(text)

    def mark(self, step):
        mark = f"[m{self.group}.{self.number}.{step}]"
        for _attempt in range(20):
            version, text = shared_state(self.page(), self.shared)
            status = self.save({
                "action": "edit", "point": self.shared, "base_version": version,
                "text": f"{text} {mark}",
            })  # fmt: skip
            if status == 303:
                self.marks.append(mark)
                return
            if status != 409:
                return
            with self.stats.lock:
                self.stats.conflicts += 1
            time.sleep(random.uniform(0.05, 0.5))

    def run(self):
        time.sleep(random.uniform(0, SAVE_EVERY))
        step = 0
        while not self.stop.is_set():
            began = time.monotonic()
            try:
                (self.add if step % 2 == 0 else self.mark)(step)
            except Exception as error:  # a page without the expected form is an error too
                with self.stats.lock:
                    self.stats.errors.append(f"phone {self.group}.{self.number}: {error!r}")
            step += 1
            self.stop.wait(max(0.0, SAVE_EVERY - (time.monotonic() - began)))


class Screen(threading.Thread):
    def __init__(self, port, path, stats, stop):
        super().__init__(daemon=True)
        self.port, self.path, self.stats, self.stop = port, path, stats, stop

    def run(self):
        time.sleep(random.uniform(0, POLL_EVERY))
        tag = None
        while not self.stop.is_set():
            headers = {"If-None-Match": tag} if tag else {}
            status, got, _text, seconds = request(self.port, "GET", self.path, headers=headers)
            self.stats.record("polls", status, seconds, "plenary")
            if status == 200:
                tag = got.get("ETag")
            self.stop.wait(POLL_EVERY)


def warm_up(port, setup, path):
    """Every worker imports, connects and fills its caches before the clock starts."""
    for _ in range(20):
        request(port, "GET", path)
        request(port, "GET", f"/pleno/{setup['plenary']}/")
        for info in setup["groups"].values():
            request(port, "GET", f"/tulis/{info['token']}/")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0


def check(port, setup, phones):
    """Problems with the final text: what each phone sent, lost or overwritten."""
    _s, _h, body, _t = request(port, "GET", f"/pleno/{setup['plenary']}/data.json")
    groups = {group["number"]: group for group in json.loads(body)["groups"]}
    problems = []
    for phone in phones:
        points = [point["text"] for point in groups[phone.group]["points"]]
        for text in phone.added:
            if points.count(text) != 1:
                problems.append(f"group {phone.group}: {text!r} appears {points.count(text)}×")
        shared = points[0]
        for mark in phone.marks:
            if shared.count(mark) != 1:
                problems.append(
                    f"group {phone.group}: saved mark {mark} lost from the shared point"
                )
    return problems


def database_name(url):
    name = urllib.parse.urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to create and drop {name!r}: its name must contain 'bench'")
    return name


def psql(url, sql):
    parts = urllib.parse.urlparse(url)
    sh("psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
       "-U", parts.username or "postgres", "-d", "postgres", "-qc", sql)  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--port", type=int, default=8713)
    parser.add_argument("--screens", type=int, default=150)
    parser.add_argument("--phones", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    name = database_name(url)
    ensure_services()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "JAKRES_CACHE_PREFIX": f"capture-bench-{secrets.token_hex(4)}",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "0",
    }
    psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(url, f'CREATE DATABASE "{name}"')
    try:
        run(args, env)
    finally:
        psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, env):
    sh(PYTHON, "manage.py", "setup_portal", "-v0", env=env)
    sh(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    made = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP % {"groups": GROUPS}],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    setup = json.loads(made.stdout.split("SETUP ", 1)[1])
    setup["groups"] = {int(k): v for k, v in setup["groups"].items()}
    stats, stop = Stats(), threading.Event()
    log = ROOT / "bench" / "capture-access.log"
    with LoggedServer(env, args.port, log) as server:
        phones = [
            Phone(args.port, group, number, info, stats, stop)
            for group, info in sorted(setup["groups"].items())
            for number in range(1, args.phones + 1)
        ]
        path = f"/pleno/{setup['plenary']}/data.json"
        warm_up(args.port, setup, path)
        time.sleep(0.5)
        warm = server_times(log, {})
        skip = {kind: len(values) for kind, values in warm.items()}
        cpu_before, load_before = cpu_seconds(server.process.pid), os.getloadavg()[0]
        screens = [Screen(args.port, path, stats, stop) for _ in range(args.screens)]
        print(f"{len(phones)} phones, {len(screens)} screens, {args.duration:.0f} s", flush=True)
        for thread in phones + screens:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in phones + screens:
            thread.join(timeout=60)
        cpu = cpu_seconds(server.process.pid) - cpu_before
        load = (load_before + os.getloadavg()[0]) / 2
        problems = check(args.port, setup, phones)
    inside = server_times(log, skip)
    log.unlink()
    report(stats, phones, problems, inside)
    served = len(stats.saves) + len(stats.pages) + len(stats.polls)
    print(
        f"gunicorn CPU: {cpu:.1f} s for {served} requests ({cpu / max(served, 1) * 1000:.1f} ms "
        f"each on average); machine load average about {load:.1f} on {os.cpu_count()} cores"
    )
    sys.exit(1 if stats.errors or problems else 0)


def report(stats, phones, problems, inside):
    added = sum(len(phone.added) for phone in phones)
    marks = sum(len(phone.marks) for phone in phones)
    rows = [
        ("saves (POST)", stats.saves),
        ("rapporteur page (GET)", stats.pages),
        ("plenary JSON (GET, 200 or 304)", stats.polls),
    ]
    print("\n| requests | count | p50 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, values in rows:
        print(f"| {label} | {len(values)} | {percentile(values, 0.5):.1f} | "
              f"{percentile(values, 0.99):.1f} | {max(values, default=0) * 1000:.1f} |")  # fmt: skip
    for label, values in [
        ("saves, inside the worker", inside["saves"]),
        ("plenary JSON, inside the worker", inside["polls"]),
    ]:
        print(f"| {label} | {len(values)} | {percentile(values, 0.5):.1f} | "
              f"{percentile(values, 0.99):.1f} | {max(values, default=0) * 1000:.1f} |")  # fmt: skip
    print(f"\nstatuses: {dict(sorted((str(k), v) for k, v in stats.statuses.items()))}")
    print(f"errors: {len(stats.errors)} {stats.errors[:5]}")
    print(f"points added: {added}; marks saved in shared points: {marks}; "
          f"conflicts shown and retried: {stats.conflicts}")  # fmt: skip
    print(f"lost or overwritten: {len(problems)} {problems[:5]}")
    save_p99, poll_p99 = percentile(stats.saves, 0.99), percentile(stats.polls, 0.99)
    print(f"targets: save p99 {save_p99:.1f} ms (< 300), plenary p99 {poll_p99:.1f} ms (< 100)")


if __name__ == "__main__":
    main()
