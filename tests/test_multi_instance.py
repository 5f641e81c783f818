"""Two app servers sharing one database and one Redis never serve a stale page after a
publish or an edit. Real gunicorn processes, a real Redis."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG
from tests.factories import EventFactory
from workshops.editorial import workflow
from workshops.models import EventStatus

REDIS_URL = os.environ.get("JAKRES_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available():
    host, port = REDIS_URL.split("//")[1].split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache_settings():
    if not redis_available():
        message = f"Redis is not reachable at {REDIS_URL} (redis-server --daemonize yes)"
        if os.environ.get("JAKRES_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"jakres-test-{uuid.uuid4().hex[:8]}"
    return prefix, {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@contextlib.contextmanager
def gunicorn_server(env, *, workers=2):
    """A real gunicorn (jakres/gunicorn.py) on a free port; yields its base URL once it
    answers, and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "jakres/gunicorn.py", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "jakres.wsgi"],
        cwd=settings.BASE_DIR,
        env={"GUNICORN_ACCESS_LOG": "0", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(server + "/robots.txt", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def two_servers(transactional_db, redis_cache_settings):
    prefix, caches_setting = redis_cache_settings
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jakres.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "JAKRES_CACHE_PREFIX": prefix,
    }
    with (
        gunicorn_server(env) as first,
        gunicorn_server(env) as second,
        override_settings(CACHES=caches_setting),
    ):
        yield [first, second]
        caches["default"].clear()


def fetch(url, etag=None):
    # Behind a load balancer every server sees the site's one host name.
    headers = {"Host": "localhost", **({"If-None-Match": etag} if etag else {})}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_two_servers_serve_no_stale_page_after_publish_and_edit(two_servers, django_user_model):
    event_path = f"/events/{WORKSHOP_SLUG}/"
    first, second = two_servers
    status, headers, _ = fetch(first + event_path)
    assert (status, headers["X-Cache"]) == (200, "MISS")
    status, headers, _ = fetch(second + event_path)
    assert (status, headers["X-Cache"]) == (200, "HIT"), "the servers share one cache"
    etags = {server: fetch(server + event_path)[1]["ETag"] for server in two_servers}
    assert etags[first] == etags[second]
    for server in two_servers:
        assert "Forum Terbit" not in fetch(server + "/events/")[2]

    publisher = django_user_model.objects.create_superuser("penerbit", "p@example.org", "x")
    event = EventFactory(title="Forum Terbit", slug="forum-terbit", status=EventStatus.REVIEW)
    assert all(fetch(s + "/events/forum-terbit/")[0] == 404 for s in two_servers)
    workflow.publish(event=event, user=publisher)
    for server in two_servers:
        assert "Forum Terbit" in fetch(server + "/events/")[2]
        assert fetch(server + "/events/forum-terbit/")[0] == 200

    conclusion = Conclusion.objects.get(group__number=1, order=1, parent=None)
    conclusion.text_ind = "Simpulan yang baru saja dikoreksi"
    conclusion.save()
    for server in two_servers:
        status, headers, body = fetch(server + event_path, etag=etags[server])
        assert status == 200, "the old ETag no longer matches"
        assert "Simpulan yang baru saja dikoreksi" in body
        status, _, _ = fetch(server + event_path, etag=headers["ETag"])
        assert status == 304
