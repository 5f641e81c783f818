"""One path through the page cache, as production runs it: `jakres.wsgi.application`.

Cached pages and 304s are answered by the WSGI layer before Django builds a request;
a miss reads the cache once, not once in each layer; and a stored page is one that
varies on nothing but its address (jakres/core/cache.py)."""

from contextlib import contextmanager
from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.vary import vary_on_headers

import jakres.urls
from jakres.core.cache import IN_FLUX_PREFIX, VERSION_KEY, content_version
from jakres.wsgi import application
from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"


@dataclass
class Reply:
    status: int
    headers: dict  # lower-case names
    body: bytes
    django_built_a_request: bool


@contextmanager
def connections_kept():
    """As the test client does: a request must not close the test's connection (its
    transaction is rolled back at the end of the test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(url, method="GET", **environ):
    """One request through jakres.wsgi.application, as gunicorn makes it."""
    path_info, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        **environ,
    }
    setup_testing_defaults(environ)
    started, replied = [], {}

    def on_request_started(**kwargs):
        started.append(kwargs)

    def start_response(status, headers, exc_info=None):
        replied["status"], replied["headers"] = status, headers

    request_started.connect(on_request_started)
    try:
        with connections_kept():
            result = application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
    finally:
        request_started.disconnect(on_request_started)
    headers = {name.lower(): value for name, value in replied["headers"]}
    return Reply(int(replied["status"].split()[0]), headers, body, bool(started))


# --- The WSGI layer answers hits, revalidations and HEAD without Django -----------------


def test_a_cached_page_is_answered_by_the_wsgi_layer_without_django(
    workshop, django_assert_num_queries
):
    first = call(EVENT_URL)
    assert (first.status, first.headers["x-cache"]) == (200, "MISS")
    assert first.django_built_a_request
    with django_assert_num_queries(0):
        second = call(EVENT_URL)
    assert (second.status, second.headers["x-cache"]) == (200, "HIT")
    assert not second.django_built_a_request
    assert second.body == first.body
    assert second.headers["etag"] == first.headers["etag"]
    for name in ("content-type", "content-security-policy", "x-frame-options"):
        assert second.headers[name] == first.headers[name]


def test_a_revalidation_is_a_304_from_the_wsgi_layer(workshop, django_assert_num_queries):
    etag = call(EVENT_URL).headers["etag"]
    call("/")  # other pages do not disturb it
    with django_assert_num_queries(0):
        reply = call(EVENT_URL, HTTP_IF_NONE_MATCH=etag)
    assert reply.status == 304
    assert reply.body == b""
    assert reply.headers["etag"] == etag
    assert reply.headers["x-cache"] == "REVALIDATED"
    assert not reply.django_built_a_request
    assert call(EVENT_URL, HTTP_IF_NONE_MATCH='"something-else"').status == 200


def test_a_weak_etag_revalidates_too(workshop):
    """If-None-Match compares weakly (RFC 9110): W/"…", as a proxy that compresses
    again sends our ETag back, is a 304, alone or in a list."""
    etag = call(EVENT_URL).headers["etag"]
    for sent in (f"W/{etag}", f'"other", W/{etag}'):
        reply = call(EVENT_URL, HTTP_IF_NONE_MATCH=sent)
        assert (reply.status, reply.body, reply.headers["etag"]) == (304, b"", etag)
    assert call(EVENT_URL, HTTP_IF_NONE_MATCH='W/"other"').status == 200


def test_head_gets_the_headers_and_an_empty_body_from_the_wsgi_layer(
    workshop, django_assert_num_queries
):
    page = call(EVENT_URL)
    with django_assert_num_queries(0):
        head = call(EVENT_URL, method="HEAD")
    assert (head.status, head.headers["x-cache"]) == (200, "HIT")
    assert head.body == b""
    assert not head.django_built_a_request
    assert head.headers["content-type"] == page.headers["content-type"]
    assert head.headers["etag"] == page.headers["etag"]
    assert int(head.headers["content-length"]) == len(page.body)


def test_pages_outside_the_cache_still_reach_django(workshop, staff_user):
    assert call("/events/tidak-ada/").status == 404
    reply = call("/" + django_settings.ADMIN_URL)  # the admin is never looked up
    assert reply.status == 302 and reply.django_built_a_request
    assert "x-cache" not in reply.headers


# --- One cache read per request -------------------------------------------------------

_MISSING = object()


class CountingCache(LocMemCache):
    """The test's memory cache, counting the reads and writes that reach it (one
    get_many is one read, as it is one round trip to Redis)."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self.reads, self.writes = [], []

    def get(self, key, default=None, version=None):
        self.reads.append(("get", key))
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        keys = list(keys)
        self.reads.append(("get_many", *keys))
        found = {}
        for key in keys:
            value = LocMemCache.get(self, key, _MISSING, version)
            if value is not _MISSING:
                found[key] = value
        return found

    def has_key(self, key, version=None):
        self.reads.append(("has_key", key))
        return super().has_key(key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.writes.append(("set", key))
        return super().set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.writes.append(("add", key))
        return super().add(key, value, timeout, version)


@pytest.fixture
def counting_cache(settings, workshop):
    settings.CACHES = {
        "default": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "jakres-counting"}
    }
    backend = caches["default"]
    backend.clear()
    content_version()  # as it is between requests: the version is there
    backend.reads.clear()
    backend.writes.clear()
    return backend


def test_a_miss_reads_the_cache_once_through_both_layers(counting_cache):
    reply = call(EVENT_URL)
    assert reply.headers["x-cache"] == "MISS"
    assert len(counting_cache.reads) == 1, counting_cache.reads
    assert counting_cache.reads[0][0] == "get_many"
    assert [write for write, _ in counting_cache.writes] == ["set"]  # the page

    counting_cache.reads.clear()
    hit = call(EVENT_URL)
    assert hit.headers["x-cache"] == "HIT"
    assert len(counting_cache.reads) == 1

    counting_cache.reads.clear()
    assert call(EVENT_URL, HTTP_IF_NONE_MATCH=hit.headers["etag"]).status == 304
    assert len(counting_cache.reads) == 1


def test_while_the_content_is_in_flux_a_request_reads_the_cache_once(counting_cache):
    cache.set(VERSION_KEY, f"{IN_FLUX_PREFIX}1", timeout=300)
    counting_cache.reads.clear()
    counting_cache.writes.clear()
    reply = call(EVENT_URL)
    assert reply.status == 200 and "x-cache" not in reply.headers
    assert len(counting_cache.reads) == 1
    assert counting_cache.writes == []  # rendered, not stored


def test_without_the_wsgi_layer_the_middleware_reads_the_cache_once(counting_cache):
    client = Client()  # runserver and the test client have no WSGI layer in front
    assert client.get(EVENT_URL)["X-Cache"] == "MISS"
    assert len(counting_cache.reads) == 1
    counting_cache.reads.clear()
    assert client.get(EVENT_URL)["X-Cache"] == "HIT"
    assert len(counting_cache.reads) == 1


# --- Vary: a stored page varies on nothing but its address ------------------------------


@pytest.mark.parametrize("page", ["/", "/events/", EVENT_URL, "/sitemap.xml", "/robots.txt"])
def test_the_language_comes_from_the_url_never_from_accept_language(workshop, page):
    """A browser asking for English gets the Indonesian page at an unprefixed URL, as
    rendered afresh (so `Vary: Accept-Language` is dropped from the stored page), and
    the English page only under /en/."""
    english_browser = {
        "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
        "HTTP_COOKIE": "django_language=en",
    }
    rendered = call(page, **english_browser)
    assert rendered.headers["x-cache"] == "MISS"
    assert rendered.headers["content-language"] == "id"
    # It varies on the encoding only (the stored page holds each encoding).
    assert rendered.headers.get("vary", "Accept-Encoding") == "Accept-Encoding"
    is_html = page not in ("/robots.txt", "/sitemap.xml")
    if is_html:
        assert b'<html lang="id"' in rendered.body
    served = call(page, HTTP_ACCEPT_LANGUAGE="id")
    assert served.headers["x-cache"] == "HIT"
    assert served.body == rendered.body
    if is_html:
        english = call("/en" + page, HTTP_ACCEPT_LANGUAGE="id")
        assert english.headers["x-cache"] == "MISS"
        assert english.headers["content-language"] == "en"
        assert b'<html lang="en"' in english.body


def per_visitor(request):
    user = request.user  # reads the session: Django adds Vary: Cookie
    return HttpResponse(f"<p>{user.get_username() or 'tamu'}</p>")


@vary_on_headers("X-Variant")
def per_variant(request):
    return HttpResponse(f"<p>{request.headers.get('X-Variant', 'biasa')}</p>")


urlpatterns = [
    *jakres.urls.urlpatterns,
    path("per-visitor/", per_visitor),
    path("per-variant/", per_variant),
]


@pytest.fixture
def varying_pages(settings):
    settings.ROOT_URLCONF = __name__


def session_cookie(client, user):
    client.force_login(user)
    return f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"


def test_a_page_that_reads_the_session_is_never_served_to_another_visitor(
    varying_pages, client, staff_user
):
    anonymous = call("/per-visitor/")
    assert anonymous.body == b"<p>tamu</p>"
    assert "Cookie" in anonymous.headers["vary"]
    assert "x-cache" not in anonymous.headers  # not stored
    staff = call("/per-visitor/", HTTP_COOKIE=session_cookie(client, staff_user))
    assert staff.body == b"<p>staf</p>"
    assert call("/per-visitor/").body == b"<p>tamu</p>"


def test_a_page_varying_on_another_header_is_never_served_for_another_value(varying_pages):
    plain = call("/per-variant/")
    assert plain.body == b"<p>biasa</p>"
    assert "x-cache" not in plain.headers
    assert call("/per-variant/", HTTP_X_VARIANT="lain").body == b"<p>lain</p>"
    assert call("/per-variant/").body == b"<p>biasa</p>"


def test_staff_get_the_same_cached_public_pages(workshop, client, staff_user):
    """Public pages never read the session, so a staffer's request is answered from
    the cache with the page everyone gets; the preview lives in the admin."""
    anonymous = call(EVENT_URL)
    staff = call(EVENT_URL, HTTP_COOKIE=session_cookie(client, staff_user))
    assert staff.headers["x-cache"] == "HIT"
    assert staff.body == anonymous.body
    assert "set-cookie" not in staff.headers
