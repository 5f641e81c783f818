"""Whole-page caching of the public site, shared by every app server through the cache.

One "content version" token lives in the cache (Redis in production). Every change to
the proceedings, whichever way it comes (admin, import, fixture load, shell), replaces
it, so every cached page and every ETag made before the change stops matching at once,
on every app server. Pages are then rebuilt on demand. Changes to anything else (users
and their groups, sessions, login attempts, the admin's log) leave the pages alone.

Why signals: a fixture load or a shell session changes rows without going through any
view or service; model signals are the one place that sees all of them. The token is
replaced when the change happens and again when its transaction commits, so that a page
rendered from the old rows in between cannot outlive the commit.

One path through the cache, one lookup per request: in production `PageCacheWSGIApp`
(jakres/wsgi.py) looks the request up before Django builds a request, answers hits and
304s itself, and hands a miss to Django with its outcome in the environ
(`environ[LOOKUP_KEY]`). `PublicPageCacheMiddleware` then renders and stores the page
under that outcome; it looks the request up itself only when nothing is in front of it
(the test client, runserver).

Each process keeps the pages it has served, ready to send (jakres/core/page_memo.py): a
hit then reads only the content version from the cache, and within
`PAGE_MEMO_WINDOW_MS` of its last read not even that.

A stored page is keyed by scheme://host/path?query alone, so it is stored only when its
response varies on nothing else (`_vary_not_in_key`): the language comes from the URL
(Indonesian unprefixed, English under /en/) and never from Accept-Language or a
cookie, and a page that read the session (Django then adds `Vary: Cookie`) or varies
on any other request header is rendered for each request, never stored.
"""

import contextvars
import functools
import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from jakres.core import compression
from jakres.core.page_memo import Page, PageMemo
from jakres.core.scrub import is_secret_path

VERSION_KEY = "jakres:content-version"
# Where PageCacheWSGIApp leaves its lookup's outcome for the middleware (a WSGI environ
# key: clients can only add HTTP_* keys, so they cannot set it).
LOOKUP_KEY = "jakres.page_cache"
CACHEABLE_TYPES = ("text/html", "application/json", "application/atom+xml", "application/xml",
                   "text/plain")  # fmt: skip
# While a change is being written, the content version is this marker: pages are then
# rendered and served but never stored, so a page rendered from the rows as they were
# before the commit cannot be kept under the new version. The marker is replaced by a
# fresh version when the change commits; should that fail (the cache paused right
# then), it expires after this many seconds, and a fresh version is made.
IN_FLUX_PREFIX = "in-flux:"
IN_FLUX_SECONDS = 300


logger = logging.getLogger("jakres.cache")
# Query parameters the public pages read; requests with others are served, not stored,
# so that made-up query strings cannot fill the cache.
KNOWN_PARAMETERS = {"q", "page", "year", "kind", "focus_area"}
# The pages this process has served from the cache, ready to send again.
_memo = PageMemo()


class CacheUnavailable(Exception):
    """The page cache did not answer, so a change could not be announced to it.

    The change is refused (its transaction rolls back): saved anyway, it would leave
    every app server serving the old pages once the cache answered again."""


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# The content version a request has read: set by the middleware for the length of a
# request, so that whatever is remembered per content version (the site's programme)
# costs the request no second read of the cache.
_request_scope = contextvars.ContextVar("jakres_request_scope", default=None)


def request_content_version() -> str:
    """The content version, read at most once per request (every time outside one)."""
    scope = _request_scope.get()
    if scope is None:
        return content_version()
    if "version" not in scope:
        scope["version"] = content_version()
    return scope["version"]


def bump_content_version() -> None:
    """A fresh content version: every page stored before is out of date at once."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)
    _memo.forget_version()  # this process sees the change at once, whatever its window


def _versioned():
    """Whether anything is kept under the content version: whole pages, or the parts
    of pages (jakres/core/fragments.py), which are used with the page cache off too."""
    return settings.PAGE_CACHE_SECONDS > 0 or settings.FRAGMENT_CACHE_SECONDS > 0


def _change_starts(sender, **kwargs):
    """Before a content row is written: mark the content as in flux, or refuse."""
    if not _versioned():
        return
    if kwargs.get("action", "pre_").startswith("post_"):
        return
    _memo.forget_version()  # this process reads the version (the marker) again
    try:
        cache.set(VERSION_KEY, f"{IN_FLUX_PREFIX}{time.time_ns()}", timeout=IN_FLUX_SECONDS)
    except Exception as error:
        logger.exception("cache unavailable: change refused")
        raise CacheUnavailable(str(error)) from error


def _change_written(sender, **kwargs):
    """After a content row is written: a fresh version once the change commits."""
    if not _versioned():
        return
    if not kwargs.get("action", "post_").startswith("post_"):
        return
    if settings.PAGE_CACHE_FRESH_BEFORE_COMMIT:
        _finish_change()  # tests only: their transactions never commit
    transaction.on_commit(_finish_change)


def _finish_change():
    for attempt in range(3):
        try:
            bump_content_version()
            return
        except Exception:
            logger.exception("cache unavailable: fresh version not stored (try %d)", attempt + 1)
            time.sleep(0.2 * (attempt + 1))
    # The in-flux marker stays until it expires: nothing is stored or served from the
    # cache meanwhile, and the version made after it invalidates every older page.


def connect_content_models(models):
    """Every change to these models (and to their many-to-many tables) makes the stored
    pages out of date. Each content app calls this from its AppConfig.ready() with its
    own models, so that this module knows no model."""
    for model in models:
        label = model._meta.label
        for signal in (pre_save, pre_delete):
            signal.connect(
                _change_starts, sender=model, dispatch_uid=f"jakres-cache-{signal!r}-{label}"
            )
        for signal in (post_save, post_delete):
            signal.connect(
                _change_written, sender=model, dispatch_uid=f"jakres-cache-{signal!r}-{label}"
            )
        m2m_changed.connect(
            _change_starts, sender=model, dispatch_uid=f"jakres-cache-m2m-pre-{label}"
        )
        m2m_changed.connect(
            _change_written, sender=model, dispatch_uid=f"jakres-cache-m2m-post-{label}"
        )


class _Settings:
    """The settings that every lookup reads, read once (and again whenever a test
    changes a setting): each read of `django.conf.settings` costs about a microsecond,
    which a cached hit, at some ten microseconds, notices."""

    def __init__(self):
        self.page_cache_seconds = settings.PAGE_CACHE_SECONDS
        self.proxy_header = settings.SECURE_PROXY_SSL_HEADER
        self.excluded = tuple(
            _prefix(u) for u in (settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
        )
        self.memo_window = settings.PAGE_MEMO_WINDOW_MS / 1000
        self.memo_bytes = settings.PAGE_MEMO_BYTES
        self.memo_entries = settings.PAGE_MEMO_ENTRIES


_settings = None


def _current_settings():
    global _settings
    if _settings is None:
        _settings = _Settings()
    return _settings


@receiver(setting_changed)
def _settings_changed(**kwargs):
    global _settings
    _settings = None
    static_release.cache_clear()


@functools.cache
def static_release() -> str:
    """The release of the static files this process links to: a digest of their
    manifest (collectstatic's staticfiles.json), or "" without one.

    A stored page or part names hashed static files (/static/css/jakres.3f2a….css).
    Keyed by the release too, pages stored by a process of the previous release are
    not served by the next one, whose collectstatic may have removed those files; two
    releases side by side (a rolling deploy) each keep their own."""
    try:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        return hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
    except (OSError, TypeError):
        return ""


def _identity(environ, conf=None):
    """release|scheme://host/path?query of a request, from its WSGI environ (as Django
    sees it), with the static files' release (static_release)."""
    scheme = environ.get("wsgi.url_scheme", "http")
    proxy = (conf or _current_settings()).proxy_header
    if proxy and environ.get(proxy[0]) == proxy[1]:
        scheme = "https"
    host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return f"{static_release()}|{scheme}://{host}{path}" + (f"?{query}" if query else "")


def _prefix(url):
    return url if url.startswith("/") else "/" + url


def _is_public_read(environ, conf=None):
    """A GET or HEAD of the public site (not the admin, static files or media)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = environ.get("PATH_INFO", "")
    # A secret link (live capture) is never stored, compressed or even looked up.
    return not path.startswith((conf or _current_settings()).excluded) and not is_secret_path(path)


def _compressed(request, response):
    """A public page compressed for this client, unless it is someone's own
    (private or no-store: it may hold a secret; see jakres/core/compression.py)."""
    control = response.get("Cache-Control", "")
    if not _is_public_read(request.META) or "private" in control or "no-store" in control:
        return response
    return compression.compress_response(response, request.META.get("HTTP_ACCEPT_ENCODING"))


def _is_candidate(environ):
    conf = _current_settings()
    if conf.page_cache_seconds <= 0 or not _is_public_read(environ, conf):
        return False
    # Django accepts an allowed host with any port; a made-up port (Host: site:1, site:2…)
    # is answered but not stored, so it cannot fill the cache with copies of a page.
    port = environ.get("HTTP_HOST", "").rpartition("]")[2].partition(":")[2]
    if port and port != str(environ.get("SERVER_PORT", "")):
        return False
    query = environ.get("QUERY_STRING", "")
    if not query:
        return True
    return len(query) <= 300 and all(
        part.split("=", 1)[0] in KNOWN_PARAMETERS for part in query.split("&") if part
    )


def looks_up(environ):
    """Whether the page cache looks this request up, and stores its page if it may
    (jakres/core/fragments.py keeps parts of pages only for the other requests)."""
    return _is_candidate(environ)


def lookup(environ):
    """("304", etag), ("hit", Page), ("miss", (key, version, etag)), or ("off", version)
    when the content is being changed or ("off", None) when the cache cannot be
    reached: then pages are rendered as if there were no cache, and not stored."""
    try:
        return _lookup(environ)
    except Exception:
        logger.exception("cache unavailable: serving without it")
        return "off", None


def _lookup(environ):
    """At most one read of the cache: none when this worker holds the page and read the
    content version within the window, the version token alone when it holds the page,
    else the version and the stored page together (jakres/core/page_memo.py)."""
    conf = _current_settings()
    identity = _identity(environ, conf)
    page = _memo.get(identity)
    version = _memo.version(conf.memo_window)
    if version is None and page is not None:
        started = _memo.clock()
        version = content_version()
        _memo.read(version, started)
    if version is not None:
        if version.startswith(IN_FLUX_PREFIX):
            return "off", version
        if page is not None and page.version == version:
            return _answer(environ, page)
    return _read_page(environ, identity)


def _read_page(environ, identity):
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"jakres:page:{digest}"
    started = _memo.clock()
    found = cache.get_many([VERSION_KEY, key])  # the one read of a request
    version = found.get(VERSION_KEY) or content_version()  # once, after a flush
    _memo.read(version, started)
    if version.startswith(IN_FLUX_PREFIX):
        return "off", version
    etag = '"' + hashlib.sha256(f"{version}|{digest}".encode()).hexdigest()[:32] + '"'
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return _answer(environ, _remember(identity, Page(*entry, etag, expires=_expiry())))
    sent = compression.sent_etags(environ.get("HTTP_IF_NONE_MATCH"))
    for variant in compression.etag_variants(etag):
        if variant in sent:
            return "304", variant
    return "miss", (key, version, etag)


def _answer(environ, page):
    etag = page.revalidated(environ.get("HTTP_IF_NONE_MATCH"))
    return ("304", etag) if etag is not None else ("hit", page)


def _expiry():
    """When a page read (or stored) now leaves the memo at the latest: when its stored
    copy expires."""
    return _memo.clock() + _current_settings().page_cache_seconds


def _remember(identity, page):
    conf = _current_settings()
    _memo.put(identity, page, max_bytes=conf.memo_bytes, max_entries=conf.memo_entries)
    return page


def forget_page_memo():
    """Empties this process's memo of pages (tests start with none)."""
    _memo.clear()


class PublicPageCacheMiddleware:
    """Serves public GET and HEAD requests from the cache, and answers revalidations
    (If-None-Match) with 304 before anything is rendered; stores what it renders.

    It is the outermost middleware, so a stored page keeps every header the others
    add (security headers, CSP), and `PageCacheWSGIApp` can replay it without Django.
    Behind `PageCacheWSGIApp` it reuses that lookup (only misses reach it then).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_scope.set({})
        try:
            return self._respond(request)
        finally:
            _request_scope.reset(token)

    def _respond(self, request):
        if not _is_candidate(request.META):
            return _compressed(request, self.get_response(request))
        looked_up = request.META.pop(LOOKUP_KEY, None)
        outcome, data = looked_up if looked_up is not None else lookup(request.META)
        if outcome == "304":
            response = HttpResponseNotModified()
            _set_validators(response, data)
            response["Vary"] = "Accept-Encoding"
            response["X-Cache"] = "REVALIDATED"
            return response
        if outcome == "hit":
            headers, body = data.answer(request.META.get("HTTP_ACCEPT_ENCODING"))
            response = HttpResponse(body, status=data.status)
            for name, value in headers:
                response[name] = value
            return response
        # The version this request read (None: the cache is out), so that nothing
        # else in the request reads it again.
        _request_scope.get()["version"] = data[1] if outcome == "miss" else data
        response = self.get_response(request)
        if outcome == "miss" and _cacheable(response, request):
            return self._store(request, response, *data)
        return _compressed(request, response)

    def _store(self, request, response, key, version, etag):
        """Stores the page in every encoding, and answers with the one the client takes."""
        _set_validators(response, etag)
        # Vary: what is left of it is covered by the key; the encoding is chosen per hit.
        dropped = {"x-cache", "vary", "etag", "content-length", "content-encoding"}
        headers = [(k, v) for k, v in response.items() if k.lower() not in dropped]
        content = response.content
        if compression.compressible(response.get("Content-Type", ""), content):
            bodies = compression.encode_all(content)
        else:
            bodies = {"identity": content}
        # Stored with the version read before rendering: if the content changed
        # meanwhile, the entry is already out of date and is never served.
        entry = (version, response.status_code, headers, bodies)
        page = Page(*entry, etag, expires=_expiry())
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            _remember(_identity(request.META), page)
        except Exception:
            logger.exception("cache unavailable: page not stored")
        headers, body = page.answer(request.META.get("HTTP_ACCEPT_ENCODING"))
        stored = HttpResponse(body, status=response.status_code)
        for name, value in headers:
            stored[name] = value
        stored["X-Cache"] = "MISS"
        return stored


def allow_storing_query(response):
    """Called by a view that read its query parameters and found each one canonical
    and naming something that exists (a year with events, a page within range, a
    search with results). Only then is a page with a query string stored: made-up
    values are rendered, but cannot fill the cache with one entry each."""
    response.page_cache_query_ok = True
    return response


def _cacheable(response, request):
    if request.META.get("QUERY_STRING") and not getattr(response, "page_cache_query_ok", False):
        return False
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES
        and not _vary_not_in_key(response, getattr(request, "urlconf", settings.ROOT_URLCONF))
    )


def _vary_not_in_key(response, urlconf):
    """The request headers a response varies on that its key (scheme, host, path,
    query) does not cover. A page is stored only when there are none.

    Accept-Language is covered when the URLs name their language, the default one
    (Indonesian) unprefixed: LocaleMiddleware then takes the language from the path
    alone, never from the header or the language cookie, yet still adds
    `Vary: Accept-Language` to every unprefixed page (and no view reads the header:
    tests/test_cache_wsgi.py renders the pages for an English browser). Nothing else
    is covered: `Vary: Cookie` (Django adds it when the page read the session, so it
    may differ from one visitor to the next), Accept-Encoding, `*`, any other header.
    Keying on such headers' values would let made-up values fill the cache, as query
    strings could.
    """
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",")}
    varies.discard("")
    if is_language_prefix_patterns_used(urlconf) == (True, False):
        varies.discard("accept-language")
    return varies


def _set_validators(response, etag):
    response["ETag"] = etag
    # Browsers and CDNs may keep the page but must ask again (a cheap 304) each time,
    # so nobody sees a stale page after a publish.
    patch_cache_control(response, public=True, no_cache=True)


class PageCacheWSGIApp:
    """The fast path in production: cached pages and 304s straight from the cache,
    before Django builds a request. Everything else goes to Django; a miss goes with
    this lookup's outcome, so the middleware does not look the request up again."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not _is_candidate(environ):
            return self.application(environ, start_response)
        outcome, data = lookup(environ)
        if outcome == "304":
            start_response(
                "304 Not Modified",
                [("ETag", data), ("Cache-Control", "no-cache, public"),
                 ("Vary", "Accept-Encoding"), ("X-Cache", "REVALIDATED")],
            )  # fmt: skip
            return []
        if outcome == "hit":
            headers, body = data.answer(environ.get("HTTP_ACCEPT_ENCODING"))
            start_response(data.status_line, list(headers))  # a server may add to its list
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        environ[LOOKUP_KEY] = (outcome, data)  # "miss" or "off"
        return self.application(environ, start_response)
