"""A worker's memory of the pages it serves from the page cache (jakres/core/cache.py).

Why: a cached hit used to read the whole stored page from Redis on every request (the
page in every encoding, about 45 KB pickled, through a client made afresh for each
call), unpickle it and rebuild its headers: under gunicorn that cost three times what
gunicorn itself spends on a request. Here each worker keeps the pages it has served,
ready to send (per encoding the header list and the body, the ETag of each encoding,
the status line), so that a hit reads at most the small content version token from the
cache, and within a window not even that.

What a reader may see. A page is served from the memo only under the content version
it was stored under, and only while that is the version the worker last read from the
cache, at most `PAGE_MEMO_WINDOW_MS` before (measured from when that read began).
With a window of 0 the token is read on every request and a change is seen at once,
as without the memo. With a window W, a request that reaches another worker or server
up to W after a change committed may still get the page (or a 304) as it was just
before the change, never anything older: a worker reads the token again once W has
passed, and drops every page of an older version when the token differs. The worker
that made the change forgets the token at once. This is the race every cache in front
of a database already has (a request that read the version just before the commit is
still being answered after it), stretched from a request's length to W; browsers and
CDNs revalidate each time (`no-cache`), so nobody keeps the old page beyond it.

Whatever the cache answers, nothing is served from the memo unless the token was read
within the window: when the cache cannot be reached (an outage), pages are served from
the memo for what is left of the window at most, then rendered by Django without the
cache; a content change cannot commit meanwhile (it is refused while the cache does
not answer). While a change is being written (the in-flux marker), pages are rendered.

Bounded: at most `PAGE_MEMO_BYTES` of pages (bodies and headers) and
`PAGE_MEMO_ENTRIES` pages per worker, least recently used first out; a page over an
eighth of the bytes is not kept. A page leaves the memo when its stored copy would
have expired (`PAGE_CACHE_SECONDS` after it was read) at the latest.
"""

import functools
import threading
import time
from collections import OrderedDict
from http import HTTPStatus

from jakres.core import compression

# Counted for each page besides its bodies and header text (the objects holding them).
PAGE_OVERHEAD_BYTES = 1024

# The encoding to send for an Accept-Encoding header (clients send few distinct ones).
accepted_encoding = functools.lru_cache(maxsize=256)(compression.accepted)


class Page:
    """A stored page ready to answer: for each encoding, the headers (its ETag, length,
    encoding, Vary and `X-Cache: HIT` included) and the body, made once per page and
    content version rather than once per request."""

    __slots__ = ("answers", "etag", "etags", "expires", "size", "status", "status_line",
                 "version")  # fmt: skip

    def __init__(self, version, status, headers, bodies, etag, *, expires=float("inf")):
        self.version, self.status, self.etag, self.expires = version, status, etag, expires
        self.status_line = f"{status} {HTTPStatus(status).phrase}"
        self.answers = {encoding: _answer(headers, bodies, encoding, etag) for encoding in bodies}
        self.etags = {
            variant: encoding
            for variant, encoding in compression.etag_variants(etag).items()
            if encoding in bodies
        }
        header_bytes = sum(len(k) + len(v) for h, _ in self.answers.values() for k, v in h)
        self.size = sum(map(len, bodies.values())) + header_bytes + PAGE_OVERHEAD_BYTES

    def answer(self, accept_encoding):
        """(headers, body) for a client sending this Accept-Encoding. The list is the
        page's own: copy it before handing it to anything that may change it."""
        answer = self.answers.get(accepted_encoding(accept_encoding))
        return answer if answer is not None else self.answers["identity"]

    def revalidated(self, if_none_match):
        """The ETag (of any of the page's encodings) that a request's If-None-Match
        names, or None: then the page itself is sent."""
        if not if_none_match:
            return None
        if if_none_match in self.etags:  # one ETag, as browsers send it
            return if_none_match
        sent = compression.sent_etags(if_none_match)
        return next((etag for etag in self.etags if etag in sent), None)


def _answer(headers, bodies, encoding, etag):
    body = bodies[encoding]
    headers = [
        *headers,
        ("ETag", compression.etag_of(etag, encoding)),
        ("Content-Length", str(len(body))),
    ]
    if encoding != "identity":
        headers.append(("Content-Encoding", encoding))
    if len(bodies) > 1:
        headers = compression.add_vary(headers)
    return [*headers, ("X-Cache", "HIT")], body


class PageMemo:
    """The pages of one content version that this process has served, by address, and
    that content version with the moment its read from the cache began."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()  # gthread workers and runserver share a process
        self._pages = OrderedDict()
        self._bytes = 0
        self._version = None
        self._read_at = float("-inf")

    def version(self, window):
        """The content version read less than `window` seconds ago, or None (read it)."""
        if self._version is not None and self.clock() - self._read_at < window:
            return self._version
        return None

    def read(self, version, started):
        """The cache answered `version` to a read that began at `started` (this clock).
        A different version drops every page kept: they are all out of date."""
        with self._lock:
            if started < self._read_at:
                return  # a later read has answered already
            if version != self._version:
                self._pages.clear()
                self._bytes = 0
            self._version, self._read_at = version, started

    def forget_version(self):
        """This process is changing the content: read the version again next time."""
        with self._lock:
            self._version, self._read_at = None, float("-inf")

    def get(self, identity):
        with self._lock:
            page = self._pages.get(identity)
            if page is None:
                return None
            if page.expires <= self.clock():
                self._drop(identity)
                return None
            self._pages.move_to_end(identity)
            return page

    def put(self, identity, page, *, max_bytes, max_entries):
        """Keeps a page of the current content version, within the bounds."""
        if page.size > max_bytes // 8:
            return
        with self._lock:
            if page.version != self._version:
                return  # stored under a version this process no longer serves
            if identity in self._pages:
                self._drop(identity)
            self._pages[identity] = page
            self._bytes += page.size
            while self._bytes > max_bytes or len(self._pages) > max_entries:
                self._drop(next(iter(self._pages)))

    def _drop(self, identity):
        self._bytes -= self._pages.pop(identity).size

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0
            self._version, self._read_at = None, float("-inf")

    def __len__(self):
        return len(self._pages)

    @property
    def bytes(self):
        return self._bytes
