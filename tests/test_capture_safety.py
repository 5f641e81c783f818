"""Live capture, safe against the public (issue 13, item 6): one plain 404 for every
bad link, tokens compared in constant time and never in a log or error report, the
pages never cached, sent onward or indexed, saves rate-limited and size-limited."""

import io
import logging
import os
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from capture import services, tokens
from capture.models import CapturedPoint
from jakres.core.cache import _is_candidate
from jakres.core.error_reports import ScrubbingExceptionReporter
from jakres.core.scrub import ScrubbingJsonFormatter, is_secret_path, scrub
from tests.capture_helpers import draft_event, open_links, post
from tests.test_gunicorn_access_log import access_logger, log_access  # noqa: F401
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db


def capture_urls(links):
    urls = []
    for language in ("id", "en"):
        with override(language):
            urls += [
                links[1].get_absolute_url(),
                links["plenary"].get_absolute_url(),
                reverse("capture:plenary_data", kwargs={"token": links["plenary"].token}),
            ]
    return urls


# --- One plain 404 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, heading", [("id", "Halaman tidak ditemukan"), ("en", "Page not found")]
)
def test_wrong_expired_revoked_and_closed_links_get_the_same_plain_404(client, language, heading):
    event = draft_event(areas=4)
    links = open_links(event)
    prefix = "/en" if language == "en" else ""
    wrong = "A" * 43
    services.revoke_link(link=links[2])
    type(links[3]).objects.filter(pk=links[3].pk).update(expires_at=timezone.now())
    bodies = set()
    for token in [wrong, links[2].token, links[3].token, "short", "x" * 500]:
        response = client.get(f"{prefix}/tulis/{token}/")
        assert response.status_code == 404
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        bodies.add(response.content.decode().replace(token, "TOKEN"))
    event.status = EventStatus.PUBLISHED
    event.save()
    closed = client.get(f"{prefix}/tulis/{links[4].token}/")
    assert closed.status_code == 404
    bodies.add(closed.content.decode().replace(links[4].token, "TOKEN"))
    assert len(bodies) == 1
    assert heading in bodies.pop()
    assert client.get(f"{prefix}/pleno/{wrong}/").status_code == 404
    assert client.get(f"{prefix}/pleno/{wrong}/data.json").status_code == 404


def test_the_token_is_compared_in_constant_time(client, monkeypatch):
    links = open_links(draft_event())
    compared = []
    real = tokens.hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", recording)
    assert client.get(links[1].get_absolute_url()).status_code == 200
    assert compared == [(links[1].digest.encode(), tokens.digest_of(links[1].token).encode())]


# --- Never cached, sent onward or indexed ----------------------------------------------


def test_every_capture_response_is_private_and_never_stored(client):
    links = open_links(draft_event())
    assert settings.PAGE_CACHE_SECONDS > 0  # the page cache is on in tests
    cache.clear()
    for url in capture_urls(links):
        assert is_secret_path(url), url
        assert not _is_candidate({"REQUEST_METHOD": "GET", "PATH_INFO": url}), url
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Cache" not in response, url
            assert response["Cache-Control"] == "no-store"
            assert response["Referrer-Policy"] == "no-referrer"
            assert response["X-Robots-Tag"] == "noindex, nofollow"
            assert "ETag" not in response or url.endswith(".json")
    assert not [key for key in cache._cache if ":page:" in key]
    saved = post(client, links[1], action="add", text="Rahasia")
    assert saved.status_code == 303
    assert saved["Referrer-Policy"] == "no-referrer"
    assert saved["Cache-Control"] == "no-store"


def test_the_pages_load_nothing_from_elsewhere_and_run_no_inline_script(client):
    links = open_links(draft_event())
    for url in capture_urls(links)[:2]:
        page = client.get(url).content.decode()
        assert "http://" not in page.replace("http://testserver", "")
        assert "https://" not in page
        assert "<script>" not in page and " style=" not in page and " on" + "click" not in page
        assert '<meta name="robots" content="noindex, nofollow">' in page


def test_capture_links_are_not_in_the_sitemap_and_robots_keep_out(client):
    links = open_links(draft_event(status=EventStatus.DRAFT))
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/tulis/" not in sitemap and "/pleno/" not in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /tulis/" in robots and "Disallow: /pleno/" in robots
    assert links[1].token not in sitemap + robots


# --- Never in a log or an error report --------------------------------------------------


def test_tokens_are_scrubbed_from_the_json_log_lines(client):
    links = open_links(draft_event())
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, ScrubbingJsonFormatter)
    )
    output = io.StringIO()
    previous = handler.setStream(output)
    try:
        client.get("/tulis/" + "B" * 43 + "/")  # Django logs "Not Found: <path>"
        logging.getLogger("django.request").warning("Not Found: %s", links[1].get_absolute_url())
    finally:
        handler.setStream(previous)
    lines = output.getvalue()
    assert "Not Found: /tulis/[token]/" in lines
    assert "B" * 43 not in lines and links[1].token not in lines


@override_settings(ADMINS=[("Admin", "admin@example.org")])
def test_tokens_are_scrubbed_from_error_mails(monkeypatch):
    links = open_links(draft_event())

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "find_link", broken)
    client = Client(raise_request_exception=False)
    response = client.get(links[1].get_absolute_url())
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/tulis/[token]/" in message.subject + message.body
    assert links[1].token not in message.subject + message.body


def test_the_exception_reporter_scrubs_tokens(rf):
    token = "C" * 43
    request = rf.get(f"/en/pleno/{token}/data.json", HTTP_REFERER=f"https://x.org/tulis/{token}/")
    try:
        raise ValueError(f"while reading /tulis/{token}/")
    except ValueError as error:
        reporter = ScrubbingExceptionReporter(request, type(error), error, error.__traceback__)
        text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert token not in text and token not in html
    assert "/en/pleno/[token]/data.json" in text


def test_the_gunicorn_access_log_scrubs_tokens(access_logger):  # noqa: F811
    token = "D" * 43
    log_access(access_logger, "agent", path=f"/en/tulis/{token}/")
    log_access(access_logger, "agent", path=f"/pleno/{token}/data.json")
    log_access(access_logger, "agent", path="/events/tulis-dan-pleno/")
    lines = access_logger.output.getvalue()
    assert token not in lines
    assert '"path": "/en/tulis/[token]/"' in lines
    assert '"path": "/pleno/[token]/data.json"' in lines
    assert '"path": "/events/tulis-dan-pleno/"' in lines


def test_the_gunicorn_error_log_scrubs_tokens(access_logger):  # noqa: F811
    token = "E" * 43
    output = io.StringIO()
    access_logger._get_gunicorn_handler(access_logger.error_log).setStream(output)
    access_logger.error("Error handling request %s", f"/pleno/{token}/data.json")
    try:
        raise OSError(f"reset while sending /tulis/{token}/")
    except OSError:
        access_logger.exception("Error handling request /tulis/%s/", token)
    lines = output.getvalue()
    assert token not in lines
    assert "Error handling request /pleno/[token]/data.json" in lines
    assert "reset while sending /tulis/[token]/" in lines


def test_scrub_leaves_other_paths_alone():
    assert scrub("/events/lokakarya/ /en/focus-areas/3/") == "/events/lokakarya/ /en/focus-areas/3/"
    assert scrub("GET /tulis/abc?x /en/pleno/def/data.json") == (
        "GET /tulis/[token]?x /en/pleno/[token]/data.json"
    )


# --- Rate and size limits ---------------------------------------------------------------


@override_settings(CAPTURE_RATE_PER_LINK="3/m")
def test_saves_are_limited_per_link_with_a_friendly_message_and_the_text_kept(client):
    links = open_links(draft_event(areas=2))
    for number in range(3):
        assert post(client, links[1], action="add", text=f"Butir {number}").status_code == 303
    refused = post(client, links[1], action="add", text="Butir keempat")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Terlalu banyak penyimpanan" in page and "Butir keempat" in page
    assert post(client, links[2], action="add", text="Kelompok lain").status_code == 303
    assert not CapturedPoint.objects.filter(text="Butir keempat").exists()


@override_settings(CAPTURE_RATE_PER_ADDRESS="2/m")
def test_saves_are_limited_per_address_across_links(client):
    links = open_links(draft_event(areas=2))
    assert post(client, links[1], action="add", text="Satu").status_code == 303
    assert post(client, links[2], action="add", text="Dua").status_code == 303
    assert post(client, links[1], action="add", text="Tiga").status_code == 429
    other_address = post(client, links[1], action="add", text="Dari alamat lain")
    assert other_address.status_code == 429  # the test client always comes from one address
    assert (
        Client(REMOTE_ADDR="203.0.113.9")
        .post(links[1].get_absolute_url(), {"action": "add", "text": "Empat", "author": "Rina"})
        .status_code
        == 303
    )


def redis_cache_settings():
    url = os.environ.get("JAKRES_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:
        if os.environ.get("JAKRES_REQUIRE_REDIS") == "1":
            pytest.fail(f"no Redis at {url}: {error}")
        pytest.skip(f"no Redis at {url}: {error}")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"jakres-test-{uuid.uuid4().hex}",
        }
    }


def test_the_limit_holds_with_redis_as_in_production(client):
    links = open_links(draft_event())
    with override_settings(CACHES=redis_cache_settings(), CAPTURE_RATE_PER_LINK="2/m"):
        try:
            assert post(client, links[1], action="add", text="Satu").status_code == 303
            assert post(client, links[1], action="add", text="Dua").status_code == 303
            assert post(client, links[1], action="add", text="Tiga").status_code == 429
        finally:
            cache.clear()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    link = open_links(draft_event())[1]
    response = client.generic(
        "POST", link.get_absolute_url(), b"action=add&text=" + b"z" * 40_000,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 413
    assert response["Referrer-Policy"] == "no-referrer"
    assert not CapturedPoint.objects.exists()


def test_a_save_needs_no_referer_nor_origin_as_no_referrer_browsers_send(client):
    """Browsers send `Origin: null` and no Referer under `Referrer-Policy: no-referrer`:
    the save still works, on HTTPS too (the secret path is the capability)."""
    link = open_links(draft_event())[1]
    checked = Client(enforce_csrf_checks=True)
    response = checked.post(
        link.get_absolute_url(), {"action": "add", "text": "Tanpa referer", "author": "Ani"},
        HTTP_ORIGIN="null", secure=True,
    )  # fmt: skip
    assert response.status_code == 303
    assert CapturedPoint.objects.get().text == "Tanpa referer"
    page = checked.get(link.get_absolute_url(), secure=True)
    assert "csrftoken" not in page.cookies  # no cookie is needed to write
