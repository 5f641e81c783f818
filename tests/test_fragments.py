"""The proceedings page's parts kept under the content version (jakres/core/fragments.py):
read from the cache with the page cache off, never stale after a change of anything
the page shows, never kept while a change is in flux or the cache is out."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from focus_areas.models import Conclusion
from jakres.core.cache import VERSION_KEY
from jakres.core.fragments import fragment_key
from tests.conftest import WORKSHOP_SLUG
from tests.factories import DocumentFactory, LinkFactory
from tests.security.test_page_cache_staleness import BROKEN_REDIS
from workshops.models import Person

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Whole pages are not kept, so every request reaches the view."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 3600


def fetch(client, url=EVENT_URL, **extra):
    """(page, queries it ran)."""
    with CaptureQueriesContext(connection) as ran:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(ran.captured_queries)


def first_conclusion():
    return Conclusion.objects.get(
        group__session__event__slug=WORKSHOP_SLUG, group__number=1, order=1, parent=None
    )


def test_kept_parts_make_the_same_page_without_queries(client, workshop):
    rendered, queries = fetch(client)
    assert queries > 0
    kept, queries = fetch(client)
    assert queries == 0
    assert kept == rendered
    assert "Dalam menentukan Program Prioritas" in kept


def test_a_page_rendered_with_them_is_the_page_rendered_without(client, workshop, settings):
    fetch(client)
    kept, _ = fetch(client)
    settings.FRAGMENT_CACHE_SECONDS = 0
    rendered, queries = fetch(client)
    assert queries > 0
    assert kept == rendered


def test_off_without_a_shared_cache(client, workshop, settings):
    """FRAGMENT_CACHE_SECONDS=0 (the default without REDIS_URL): rendered every time,
    and content changes do not touch the cache at all."""
    settings.FRAGMENT_CACHE_SECONDS = 0
    fetch(client)
    _, queries = fetch(client)
    assert queries > 0
    version = cache.get(VERSION_KEY)
    conclusion = first_conclusion()
    conclusion.text_ind = "Tanpa cache"
    conclusion.save()
    assert cache.get(VERSION_KEY) == version


def test_each_language_keeps_its_own(client, workshop):
    indonesian, _ = fetch(client)
    english, _ = fetch(client, "/en" + EVENT_URL)
    assert '<html lang="en">' in english and '<html lang="id">' in indonesian
    assert "Contents" in english and "Contents" not in indonesian
    kept_english, queries = fetch(client, "/en" + EVENT_URL)
    assert queries == 0
    assert kept_english == english
    assert fetch(client)[0] == indonesian


def test_a_made_up_port_is_rendered_but_not_kept(client, workshop):
    for _ in range(2):
        page, queries = fetch(client, HTTP_HOST="testserver:1")
        assert queries > 0
        assert "http://testserver:1/events/" in page


def test_a_conclusion_edited_shows_at_once(client, workshop):
    fetch(client)
    fetch(client, "/en" + EVENT_URL)
    conclusion = first_conclusion()
    conclusion.text_ind = "Simpulan yang dikoreksi"
    conclusion.text_en = "The corrected conclusion"
    conclusion.save()
    assert "Simpulan yang dikoreksi" in fetch(client)[0]
    assert "The corrected conclusion" in fetch(client, "/en" + EVENT_URL)[0]


def test_a_person_renamed_shows_at_once(client, workshop):
    before, _ = fetch(client)
    person = Person.objects.get(slug="oswar-m-mungkasa")
    assert person.name in before
    person.name = "Oswar Mungkasa Diganti"
    person.save()
    assert "Oswar Mungkasa Diganti" in fetch(client)[0]


def test_a_document_added_shows_at_once(client, workshop):
    fetch(client)
    DocumentFactory(event=workshop, title="Dokumen yang baru ditambahkan", order=999)
    assert "Dokumen yang baru ditambahkan" in fetch(client)[0]


def test_a_published_follow_up_link_shows_at_once(client, workshop):
    conclusion = first_conclusion()
    trail = f'href="{conclusion.get_absolute_url()}#tindak-lanjut"'
    assert trail not in fetch(client)[0]
    LinkFactory(conclusion=conclusion)
    assert trail in fetch(client)[0]


@override_settings(PAGE_CACHE_FRESH_BEFORE_COMMIT=False)
def test_nothing_is_kept_while_a_change_is_in_flux(
    client, workshop, django_capture_on_commit_callbacks
):
    fetch(client)
    with django_capture_on_commit_callbacks() as callbacks:
        conclusion = first_conclusion()
        conclusion.text_ind = "Simpulan sedang disimpan"
        conclusion.save()
        for _ in range(2):  # rendered from the rows, and never kept meanwhile
            page, queries = fetch(client)
            assert queries > 0
            assert "Simpulan sedang disimpan" in page
    for callback in callbacks:  # the commit: a fresh version
        callback()
    assert fetch(client)[1] > 0
    page, queries = fetch(client)
    assert queries == 0
    assert "Simpulan sedang disimpan" in page


def test_with_the_cache_out_the_page_is_rendered(client, workshop):
    with override_settings(CACHES=BROKEN_REDIS):
        for _ in range(2):
            page, queries = fetch(client)
            assert queries > 0
            assert "Dalam menentukan Program Prioritas" in page


def test_a_page_the_page_cache_does_not_keep_uses_them(client, workshop, settings):
    """With the page cache on, a request it does not look up (a query parameter the
    site does not read) reaches the view: the parts come from the cache."""
    settings.PAGE_CACHE_SECONDS = 3600
    fetch(client, EVENT_URL + "?utm_source=x")
    page, queries = fetch(client, EVENT_URL + "?fbclid=y")
    assert queries == 0
    assert "Dalam menentukan Program Prioritas" in page


def test_a_missing_event_keeps_nothing(client, workshop):
    for _ in range(2):
        assert client.get("/events/tidak-ada/").status_code == 404


def test_a_page_the_page_cache_stores_is_not_kept_twice(client, workshop, settings):
    """A request the page cache looks up has its page stored whole: its parts are
    neither read nor kept (one cache read per request, no page kept twice)."""
    key = fragment_key("proceedings", WORKSHOP_SLUG, "http://testserver")
    settings.PAGE_CACHE_SECONDS = 3600
    assert client.get(EVENT_URL)["X-Cache"] == "MISS"
    assert cache.get(key) is None
    settings.PAGE_CACHE_SECONDS = 0
    fetch(client)
    assert cache.get(key) is not None


def test_a_new_release_of_the_static_files_renders_them_afresh(
    client, workshop, settings, tmp_path
):
    """Kept parts name hashed static files: a release with other files (another
    collectstatic manifest) does not use the parts kept by the one before."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/jakres.css": "a"}}')
    fetch(client)
    assert fetch(client)[1] == 0
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/jakres.css": "b"}}')
    settings.STATIC_ROOT = str(tmp_path)  # a process of the new release reads it afresh
    assert fetch(client)[1] > 0
    assert fetch(client)[1] == 0
