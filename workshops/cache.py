"""Whole-page caching of the public site, shared by every app server through the cache.

One "content version" token lives in the cache (Redis in production). Every change to
the proceedings, whichever way it comes (admin, import, fixture load, shell), replaces
it, so every cached page and every ETag made before the change stops matching at once,
on every app server. Pages are then rebuilt on demand.

Why signals: a fixture load or a shell session changes rows without going through any
view or service; model signals are the one place that sees all of them. The token is
replaced when the change happens and again when its transaction commits, so that a page
rendered from the old rows in between cannot outlive the commit.
"""

import hashlib
import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

VERSION_KEY = "jakres:content-version"
CACHEABLE_TYPES = ("text/html", "application/json", "application/atom+xml", "application/xml",
                   "text/plain")  # fmt: skip
CONTENT_APPS = {"workshops", "focus_areas"}


logger = logging.getLogger("jakres.cache")
# Query parameters the public pages read; requests with others are served, not stored,
# so that made-up query strings cannot fill the cache.
KNOWN_PARAMETERS = {"q", "page", "year", "kind", "focus_area"}
# A change whose new content version could not be stored (the cache was down) is
# stored as soon as the cache answers again, before this process serves from it.
_pending_bump = False


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    global _pending_bump
    try:
        cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)
    except Exception:  # the cache is down: the change must still be saved
        _pending_bump = True
        logger.exception("cache unavailable: content version not stored yet")
    else:
        _pending_bump = False


def _content_changed(sender, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS and not getattr(
        sender._meta, "auto_created", False
    ):
        return
    bump_content_version()
    transaction.on_commit(bump_content_version)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"jakres-cache-{signal!r}")


def _identity(environ):
    """scheme://host/path?query of a request, from its WSGI environ (as Django sees it)."""
    scheme = environ.get("wsgi.url_scheme", "http")
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy and environ.get(proxy[0]) == proxy[1]:
        scheme = "https"
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def _prefix(url):
    return url if url.startswith("/") else "/" + url


def _is_candidate(environ):
    if settings.PAGE_CACHE_SECONDS <= 0 or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = environ.get("PATH_INFO", "")
    excluded = tuple(
        _prefix(u) for u in (settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
    )
    if path.startswith(excluded):
        return False
    query = environ.get("QUERY_STRING", "")
    return len(query) <= 300 and all(
        part.split("=", 1)[0] in KNOWN_PARAMETERS for part in query.split("&") if part
    )


def lookup(environ):
    """("304", etag), ("hit", …), ("miss", (key, version, etag)), or ("off", None) when
    the cache cannot be reached: then pages are rendered as if there were no cache."""
    try:
        if _pending_bump:
            bump_content_version()
            if _pending_bump:
                return "off", None
        return _lookup(environ)
    except Exception:
        logger.exception("cache unavailable: serving without it")
        return "off", None


def _lookup(environ):
    digest = hashlib.sha256(_identity(environ).encode()).hexdigest()[:32]
    key = f"jakres:page:{digest}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or content_version()
    etag = '"' + hashlib.sha256(f"{version}|{digest}".encode()).hexdigest()[:32] + '"'
    if etag in parse_etags(environ.get("HTTP_IF_NONE_MATCH", "")):
        return "304", etag
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return "hit", entry[1:]
    return "miss", (key, version, etag)


class PublicPageCacheMiddleware:
    """Serves public GET and HEAD requests from the cache, and answers revalidations
    (If-None-Match) with 304 before anything is rendered.

    It is the outermost middleware, so a stored page keeps every header the others
    add (security headers, CSP), and `PageCacheWSGIApp` can replay it without Django.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_candidate(request.META):
            return self.get_response(request)
        outcome, data = lookup(request.META)
        if outcome == "304":
            response = HttpResponseNotModified()
            _set_validators(response, data)
            response["X-Cache"] = "REVALIDATED"
            return response
        if outcome == "hit":
            status, headers, content = data
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if outcome == "miss" and _cacheable(response):
            key, version, etag = data
            _set_validators(response, etag)
            headers = [(k, v) for k, v in response.items() if k.lower() != "x-cache"]
            # Stored with the version read before rendering: if the content changed
            # meanwhile, the entry is already out of date and is never served.
            entry = (version, response.status_code, headers, response.content)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("cache unavailable: page not stored")
            response["X-Cache"] = "MISS"
        return response


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES
    )


def _set_validators(response, etag):
    response["ETag"] = etag
    # Browsers and CDNs may keep the page but must ask again (a cheap 304) each time,
    # so nobody sees a stale page after a publish.
    patch_cache_control(response, public=True, no_cache=True)


class PageCacheWSGIApp:
    """The fast path in production: cached pages and 304s straight from the cache,
    before Django builds a request. Everything else goes to Django."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not _is_candidate(environ):
            return self.application(environ, start_response)
        outcome, data = lookup(environ)
        if outcome == "304":
            start_response(
                "304 Not Modified",
                [("ETag", data), ("Cache-Control", "no-cache, public"), ("X-Cache", "REVALIDATED")],
            )
            return []
        if outcome == "hit":
            status, headers, content = data
            reason = HTTPStatus(status).phrase
            start_response(f"{status} {reason}", [*headers, ("X-Cache", "HIT")])
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [content]
        return self.application(environ, start_response)
