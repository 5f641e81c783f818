"""The page cache never serves a stale or withdrawn page, and cannot be filled with
made-up parameter values (issue 8, items 4 and 11)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from focus_areas.models import Conclusion
from jakres.core.cache import VERSION_KEY, CacheUnavailable
from tests.admin_forms import form_data
from tests.conftest import WORKSHOP_SLUG
from tests.test_multi_instance import database_url, fetch, gunicorn_server

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"
BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def first_conclusion():
    return Conclusion.objects.get(
        group__session__event__slug=WORKSHOP_SLUG, group__number=1, order=1, parent=None
    )


# --- Item 4: several processes, a cache that pauses ---------------------------------------


def test_production_refuses_to_start_without_a_shared_cache():
    """Item 4: production without REDIS_URL (a per-process cache under several
    gunicorn workers) refuses to start instead of serving stale pages."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={
            "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
            "DJANGO_SECRET_KEY": "k" * 64,
            "DJANGO_ALLOWED_HOSTS": "jakres.example.org",
            "PATH": "/usr/bin:/bin",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL must point at the Redis" in result.stderr


@pytest.fixture
def dev_server_with_three_workers(transactional_db):
    """gunicorn with the development settings and no Redis, three worker processes."""
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "JAKRES_PAGE_CACHE_SECONDS")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="jakres.settings.dev",
        DJANGO_DEBUG="1",  # as `dev.py run` (static files without collectstatic)
        DATABASE_URL=database_url(),
    )
    with gunicorn_server(env, workers=3) as server:
        yield server


def test_without_redis_every_worker_serves_a_change_made_elsewhere(dev_server_with_three_workers):
    """Item 4: without Redis, a change made by another process (a management
    command, another worker) is served by every worker at once."""
    server = dev_server_with_three_workers
    for _ in range(12):  # every worker has rendered (and would have kept) the page
        assert "Simpulan dari proses lain" not in fetch(server + EVENT_URL)[2]
    conclusion = first_conclusion()
    conclusion.text_ind = "Simpulan dari proses lain"
    conclusion.save()  # committed: this test process is another process
    responses = [fetch(server + EVENT_URL) for _ in range(12)]
    bodies = [r[2] for r in responses]
    assert all("Simpulan dari proses lain" in body for body in bodies)


def test_a_change_is_refused_when_the_cache_cannot_be_told(staff_client, workshop):
    """Item 4: with the cache unreachable, a change is refused (503, nothing saved),
    so no server can serve the old page once the cache answers again."""
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    data = form_data(staff_client.get(url).content.decode(), "event_form")
    data["title_en"] = "Title saved while the cache was down"
    with override_settings(CACHES=BROKEN_REDIS):
        page = staff_client.get(EVENT_URL)
        assert page.status_code == 200  # reading goes on without the cache
        response = staff_client.post(url, data)
        assert response.status_code == 503
        assert "Perubahan tidak disimpan" in response.content.decode()
        conclusion = first_conclusion()
        conclusion.text_ind = "Tidak tersimpan"
        with pytest.raises(CacheUnavailable):
            conclusion.save()
    workshop.refresh_from_db()
    assert workshop.title_en != "Title saved while the cache was down"
    assert first_conclusion().text_ind != "Tidak tersimpan"


@override_settings(PAGE_CACHE_FRESH_BEFORE_COMMIT=False)
def test_pages_rendered_while_a_change_commits_are_never_stored(
    client, workshop, django_capture_on_commit_callbacks
):
    """Item 4: a page rendered between a change and its commit is never stored, and
    if the cache fails at the commit, nothing is stored until a fresh version."""
    client.get(EVENT_URL)
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks() as callbacks:
        conclusion = first_conclusion()
        conclusion.text_ind = "Simpulan sedang disimpan"
        conclusion.save()
        for _ in range(2):  # rendered, and never kept while the change is in flux
            assert "X-Cache" not in client.get(EVENT_URL)
    with override_settings(CACHES=BROKEN_REDIS):
        for callback in callbacks:  # the commit happens while the cache is paused
            callback()
    for _ in range(2):
        assert "X-Cache" not in client.get(EVENT_URL)
    cache.delete(VERSION_KEY)  # what the in-flux marker's expiry does
    assert client.get(EVENT_URL)["X-Cache"] == "MISS"
    response = client.get(EVENT_URL)
    assert response["X-Cache"] == "HIT"
    assert "Simpulan sedang disimpan" in response.content.decode()


def test_a_change_of_a_users_groups_keeps_the_cached_pages(client, workshop, editor, publisher):
    """Item 4 (and the architecture issue): only content changes invalidate pages."""
    client.get(EVENT_URL)
    editor.groups.add(publisher.groups.get())
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"


# --- Item 11: made-up values of the site's own parameters --------------------------------

MADE_UP = [
    "/events/?year=1234",
    "/events/?year=2018x",
    "/events/?kind=junk",
    "/events/?focus_area=99",
    "/events/?year=2018&year=2018",
    "/search/?q=zzqqxx",
    "/search/?q=Banjir",
    "/search/?q=banjir%20%20jakarta",
    "/search/?q=banjir&page=7",
    f"{EVENT_URL}?year=2018",
    f"{EVENT_URL}?page=3",
    "/?q=banjir",
    "/focus-areas/3/?page=2",
]


@pytest.mark.parametrize("path", MADE_UP)
def test_made_up_parameter_values_are_answered_but_never_stored(client, workshop, path):
    """Item 11: values that name nothing (or that a page does not read) are answered,
    never stored, so random values cannot fill the cache."""
    for _ in range(2):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert response.get("X-Cache") != "HIT"


@pytest.mark.parametrize(
    "path", ["/events/?year=2018", "/events/?kind=workshop&page=1", "/search/?q=banjir"]
)
def test_parameter_values_that_name_something_are_stored(client, workshop, path):
    """Item 11: a year with events, a page in range, a search with results are cached."""
    client.get(path)
    assert client.get(path)["X-Cache"] == "HIT"


def test_two_thousand_random_values_add_no_cache_entries(client, workshop):
    """Item 11: 2,000 requests with random parameter values store nothing."""
    client.get("/events/")
    before = len(cache._cache)  # the test cache is the per-process memory cache
    for number in range(2000):
        client.get(f"/events/?year={number}" if number % 2 else f"/search/?q=x{number}")
    assert len(cache._cache) == before


def test_an_import_is_refused_when_the_cache_cannot_be_told(workshop, tmp_path):
    """Item 4: import_event with the cache paused writes nothing and says why (the old
    pages would otherwise stay up after the import committed)."""
    from django.core.management.base import CommandError

    from workshops.transfer import export_event

    document = export_event(workshop)
    document["event"]["title"]["id"] = "Judul dari impor"
    path = tmp_path / "event.json"
    path.write_text(__import__("json").dumps(document))
    with override_settings(CACHES=BROKEN_REDIS), pytest.raises(CommandError) as refused:
        call_command("import_event", str(path), verbosity=0)
    assert "The page cache (Redis) does not answer" in str(refused.value)
    workshop.refresh_from_db()
    assert workshop.title_ind != "Judul dari impor"


def test_a_made_up_port_or_case_of_the_host_adds_no_copy_of_a_page(client, workshop):
    """Item 11: Host: site:1, site:2… are answered but not stored; SITE is site."""
    for port in ("1", "2"):
        for _ in range(2):
            response = client.get(EVENT_URL, HTTP_HOST=f"testserver:{port}")
            assert response.status_code == 200
            assert response.get("X-Cache") != "HIT"
    client.get(EVENT_URL)
    assert client.get(EVENT_URL, HTTP_HOST="TESTSERVER")["X-Cache"] == "HIT"
