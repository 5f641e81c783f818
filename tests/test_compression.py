"""Public pages are sent compressed (Brotli, else gzip) to clients that accept it; the
page cache stores every encoding, so a cached hit does no compression work; the admin
is never compressed (jakres/core/compression.py)."""

import gzip

import brotli
import pytest

from jakres.core import compression
from tests.test_cache_wsgi import EVENT_URL, call

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


def decoded(reply):
    encoding = reply.headers.get("content-encoding", "identity")
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(reply.body)


@pytest.mark.parametrize(
    "accept, chosen",
    [
        (BROWSER, "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("identity", "identity"),
        ("", "identity"),
        ("gzip;q=0, br;q=0", "identity"),
        ("gzip;q=nonsense, br;q=1e999999", "identity"),
        ("x" * 10_000, "identity"),
    ],
)
def test_the_encoding_is_the_best_the_client_accepts(accept, chosen):
    assert compression.accepted(accept) == chosen


def test_a_stored_page_is_served_in_each_encoding_with_its_own_etag(workshop):
    plain = call(EVENT_URL)
    assert plain.headers["x-cache"] == "MISS"
    assert "content-encoding" not in plain.headers
    assert plain.body.startswith(b"<!doctype html>")
    etags = {plain.headers["etag"]}
    for accept, encoding in ((BROWSER, "br"), ("gzip", "gzip")):
        reply = call(EVENT_URL, HTTP_ACCEPT_ENCODING=accept)
        assert reply.headers["x-cache"] == "HIT"
        assert reply.headers["content-encoding"] == encoding
        assert reply.headers["vary"] == "Accept-Encoding"
        assert int(reply.headers["content-length"]) == len(reply.body)
        assert len(reply.body) < len(plain.body) / 4
        assert decoded(reply) == plain.body
        etags.add(reply.headers["etag"])
    assert len(etags) == 3  # one strong ETag per representation


def test_a_cached_hit_does_no_compression_work(workshop, monkeypatch):
    first = call(EVENT_URL, HTTP_ACCEPT_ENCODING=BROWSER)  # the miss stores every encoding
    assert (first.headers["x-cache"], first.headers["content-encoding"]) == ("MISS", "br")

    def refuse(*args, **kwargs):
        raise AssertionError("a cached hit compressed something")

    monkeypatch.setattr(compression, "encode", refuse)
    monkeypatch.setattr(brotli, "compress", refuse)
    monkeypatch.setattr(gzip, "compress", refuse)
    for accept in (BROWSER, "gzip", ""):
        reply = call(EVENT_URL, HTTP_ACCEPT_ENCODING=accept)
        assert reply.headers["x-cache"] == "HIT"
        assert not reply.django_built_a_request
    assert decoded(reply) == decoded(first)


def test_a_revalidation_of_a_compressed_page_is_a_304(workshop):
    etag = call(EVENT_URL, HTTP_ACCEPT_ENCODING=BROWSER).headers["etag"]
    assert etag.endswith('-br"')
    reply = call(EVENT_URL, HTTP_ACCEPT_ENCODING=BROWSER, HTTP_IF_NONE_MATCH=etag)
    assert (reply.status, reply.headers["etag"], reply.body) == (304, etag, b"")


def test_a_page_that_is_not_stored_is_compressed_for_its_client(workshop):
    reply = call("/search/?q=tidakadasamasekali", HTTP_ACCEPT_ENCODING="gzip")
    assert reply.headers.get("x-cache") != "HIT"
    assert reply.headers["content-encoding"] == "gzip"
    assert b"tidakadasamasekali" in gzip.decompress(reply.body)
    # Made-up query parameters: served, never stored, still compressed.
    odd = call(EVENT_URL + "?utm_source=x", HTTP_ACCEPT_ENCODING="br")
    assert "x-cache" not in odd.headers
    assert odd.headers["content-encoding"] == "br"
    assert b"Lokakarya" in brotli.decompress(odd.body)


def test_pages_are_compressed_without_a_page_cache_too(workshop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    reply = call(EVENT_URL, HTTP_ACCEPT_ENCODING=BROWSER)
    assert "x-cache" not in reply.headers
    assert reply.headers["content-encoding"] == "br"
    assert b"Lokakarya" in brotli.decompress(reply.body)


def test_the_admin_is_never_compressed(workshop, client):
    """Its pages hold a CSRF token and reflect what staff type (BREACH)."""
    login = call("/admin/login/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert login.status == 200
    assert "content-encoding" not in login.headers
    assert b"csrfmiddlewaretoken" in login.body


def test_small_and_binary_responses_are_left_alone(workshop):
    robots = call("/robots.txt", HTTP_ACCEPT_ENCODING=BROWSER)
    assert robots.status == 200
    assert len(robots.body) < compression.MIN_SIZE
    assert "content-encoding" not in robots.headers
