"""Public pages come from the cache, revalidate with a 304 before any rendering, and
are never stale after a change, whichever way the change arrives."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG
from tests.factories import EventFactory
from workshops.editorial import workflow
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"


def test_second_request_is_served_from_the_cache_without_queries(
    client, workshop, django_assert_num_queries
):
    first = client.get(EVENT_URL)
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(EVENT_URL)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "no-cache" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_revalidation_is_a_304_before_anything_is_rendered(
    client, workshop, django_assert_num_queries
):
    etag = client.get(EVENT_URL)["ETag"]
    client.get("/")  # other pages do not disturb it
    with django_assert_num_queries(0):
        response = client.get(EVENT_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_change_makes_every_page_fresh_at_once(client, workshop):
    etag = client.get(EVENT_URL)["ETag"]
    client.get("/en" + EVENT_URL)
    conclusion = Conclusion.objects.get(group__number=1, order=1, parent=None)
    conclusion.text_ind = "Teks simpulan yang dikoreksi"
    conclusion.save()
    response = client.get(EVENT_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
    assert "Teks simpulan yang dikoreksi" in response.content.decode()
    assert client.get("/en" + EVENT_URL)["X-Cache"] == "MISS"


def test_publishing_shows_the_event_in_cached_lists(client, workshop, django_user_model):
    assert "Forum Baru" not in client.get("/events/").content.decode()
    assert client.get("/events/")["X-Cache"] == "HIT"
    event = EventFactory(title="Forum Baru", status=EventStatus.REVIEW)
    publisher = django_user_model.objects.create_superuser("penerbit", "p@example.org", "x")
    workflow.publish(event=event, user=publisher)
    assert "Forum Baru" in client.get("/events/").content.decode()
    assert client.get(event.get_absolute_url()).status_code == 200


def test_withdrawing_removes_the_page_at_once(client, workshop, django_user_model):
    assert client.get(EVENT_URL).status_code == 200
    publisher = django_user_model.objects.create_superuser("penerbit", "p@example.org", "x")
    workflow.withdraw(event=workshop, user=publisher)
    assert client.get(EVENT_URL).status_code == 404
    assert "Lokakarya Perdana" not in client.get("/events/").content.decode()


def test_admin_save_refreshes_the_public_page(client, staff_client, workshop):
    from tests.admin_forms import form_data

    client.get(EVENT_URL)
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    data = form_data(staff_client.get(url).content.decode(), "event_form")
    data["subtitle_ind"] = "Subjudul baru dari admin"
    assert staff_client.post(url, data).status_code == 302
    assert "Subjudul baru dari admin" in client.get(EVENT_URL).content.decode()


def test_import_and_fixture_load_refresh_the_public_page(client, workshop, tmp_path):
    out = io.StringIO()
    call_command("export_event", WORKSHOP_SLUG, stdout=out)
    document = json.loads(out.getvalue())
    document["event"]["subtitle"]["id"] = "Subjudul dari impor"
    path = tmp_path / "event.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    client.get(EVENT_URL)
    call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "Subjudul dari impor" in client.get(EVENT_URL).content.decode()
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    html = client.get(EVENT_URL).content.decode()
    assert "Subjudul dari impor" not in html
    assert "Dalam menentukan Program Prioritas" in html


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/events/",
        EVENT_URL,
        f"/en{EVENT_URL}",
        f"{EVENT_URL}proceedings.json",
        "/focus-areas/",
        "/focus-areas/1/",
        "/people/lauren-sorkin/",
        "/search/?q=banjir",
        "/events/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/events/tidak-ada/",
    ],
)
def test_anonymous_pages_set_no_cookies(client, workshop, path):
    for _ in range(2):  # miss, then hit
        response = client.get(path)
        assert not response.cookies, f"{path} sets {list(response.cookies)}"
        assert "Set-Cookie" not in response


def test_staff_preview_and_admin_are_never_cached(staff_client, workshop):
    url = reverse("admin:workshops_event_preview", args=[workshop.pk])
    for _ in range(2):
        response = staff_client.get(url)
        assert "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_not_found_pages_are_not_cached(client, db):
    assert "X-Cache" not in client.get("/events/tidak-ada/")
    event = EventFactory(slug="tidak-ada")
    assert client.get("/events/tidak-ada/").status_code == 200
    assert event.pk


# With the cache down, pages are rendered and changes refused:
# tests/security/test_page_cache_staleness.py.


@pytest.mark.parametrize("query", ["?utm_source=x", "?junk=1", "?q=banjir&x=1", "?q=" + "a" * 400])
def test_made_up_query_strings_are_served_but_never_stored(client, workshop, query):
    for _ in range(2):
        response = client.get("/events/" + query)
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_known_query_strings_are_cached(client, workshop):
    client.get("/events/?year=2018&kind=workshop")
    assert client.get("/events/?year=2018&kind=workshop")["X-Cache"] == "HIT"


def test_media_and_static_are_never_looked_up_in_the_page_cache(settings):
    from jakres.core.cache import _is_candidate

    def environ(path):
        return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}

    assert not _is_candidate(environ("/media/documents/2026/x.pdf"))
    assert not _is_candidate(environ("/static/css/jakres.css"))
    assert not _is_candidate(environ("/admin/"))
    assert _is_candidate(environ("/events/"))


def test_logging_into_the_admin_keeps_the_cached_pages(client, workshop, django_user_model):
    """Only content changes invalidate pages: a failed login (axes rows), a login (a
    session row, last_login, axes' access log), the admin's own log and a logout
    leave every cached page in place."""
    from axes.models import AccessAttempt, AccessLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from jakres.core.cache import VERSION_KEY

    django_user_model.objects.create_superuser("kepala", "k@example.org", "sandi-kepala-2018")
    client.get(EVENT_URL)
    client.get("/en/")
    version = cache.get(VERSION_KEY)

    def still_cached():
        assert cache.get(VERSION_KEY) == version
        assert client.get(EVENT_URL)["X-Cache"] == "HIT"
        assert client.get("/en/")["X-Cache"] == "HIT"

    login = reverse("admin:login")
    credentials = {"username": "kepala", "next": "/" + settings.ADMIN_URL}
    assert client.post(login, {**credentials, "password": "salah"}).status_code == 200
    assert AccessAttempt.objects.exists()
    still_cached()
    assert client.post(login, {**credentials, "password": "sandi-kepala-2018"}).status_code == 302
    assert Session.objects.exists() and AccessLog.objects.exists()
    still_cached()
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "staf-baru", "usable_password": "true",
         "password1": "kata-sandi-baru-2018", "password2": "kata-sandi-baru-2018"},
    )  # fmt: skip
    assert response.status_code == 302
    assert LogEntry.objects.filter(object_repr="staf-baru").exists()
    still_cached()
    assert client.post(reverse("admin:logout")).status_code == 200
    still_cached()


def test_a_new_release_of_the_static_files_does_not_serve_the_old_pages(
    client, workshop, settings, tmp_path
):
    """A cached page names hashed static files that the next release's collectstatic
    may remove: pages are kept per release (the manifest's digest), so a new release
    renders its own, and two releases side by side keep theirs apart."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/jakres.css": "a"}}')
    assert client.get(EVENT_URL)["X-Cache"] == "MISS"
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/jakres.css": "b"}}')
    settings.STATIC_ROOT = str(tmp_path)  # a process of the new release reads it afresh
    assert client.get(EVENT_URL)["X-Cache"] == "MISS"
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/jakres.css": "a"}}')
    settings.STATIC_ROOT = tmp_path  # the old release, still running elsewhere
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"
