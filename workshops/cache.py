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
import time

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


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


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


class PublicPageCacheMiddleware:
    """Serves public GET and HEAD requests from the cache, and answers revalidations
    (If-None-Match) with 304 before anything is rendered."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            seconds <= 0
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(
                (self.admin_prefix, settings.STATIC_URL, "/" + settings.MEDIA_URL)
            )
        ):
            return self.get_response(request)

        version = content_version()
        identity = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(f"{version}|{identity}".encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            self._headers(response, etag)
            response["X-Cache"] = "REVALIDATED"
            return response

        key = f"jakres:page:{digest}"
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        if self._cacheable(request, response):
            self._headers(response, etag)
            headers = [(k, v) for k, v in response.items() if k.lower() != "x-cache"]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _cacheable(request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES
        )

    @staticmethod
    def _headers(response, etag):
        response["ETag"] = etag
        # Browsers and CDNs may keep the page but must ask again (a cheap 304) each time,
        # so nobody sees a stale page after a publish.
        patch_cache_control(response, public=True, no_cache=True)
