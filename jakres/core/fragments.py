"""Rendered parts of a page kept in the shared cache under the content version.

The whole-page cache (jakres/core/cache.py) answers most requests. The requests it
does not look up are rendered each time: every page while it is off
(JAKRES_PAGE_CACHE_SECONDS=0), and pages with a query parameter the site does not read
(`?utm_source=…`). For the proceedings, the costly part of that rendering (the event
with its sessions, groups and conclusions: a dozen queries and most of the template)
is the same for every reader of a language, so it is kept here, and such a request
only renders the page around it. A request the page cache looks up is left to it
(its page is stored whole): one cache read per request, and no page kept twice.

The same rules as the page cache keep it from ever being stale:
- An entry is stored with the content version read before rendering, and served only
  while that is still the version: any change to the proceedings (model signals, in
  every process) makes every entry out of date at once. So that the version is still
  replaced when the page cache is off, the signals run whenever fragments are kept
  (`jakres.core.cache._versioned`).
- Nothing is read or stored while a change is in flux (the in-flux marker), nor when
  the cache does not answer: the part is then rendered, as if there were no cache.
- Off without a shared cache (FRAGMENT_CACHE_SECONDS is 0 without REDIS_URL): a
  per-process memory cache would not hear of changes made in another process.

What is kept must be the same for everyone: the key names the part, the active
language and whatever else its caller says the part depends on; no part may depend on
the user, the session or a per-request value (a CSP nonce; the site uses none).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from jakres.core.cache import IN_FLUX_PREFIX, looks_up, request_content_version, static_release

logger = logging.getLogger("jakres.cache")


def _usable_version(request):
    """The content version to store under, or None: no storing and no reading."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or looks_up(request.META):
        return None
    try:
        version = request_content_version()
    except Exception:
        logger.exception("cache unavailable: fragments rendered, not kept")
        return None
    if version is None or version.startswith(IN_FLUX_PREFIX):
        return None
    return version


def fragment_key(*names):
    """The cache key of a part: its names, the active language and the static files'
    release (a part names hashed static files, as a page does)."""
    identity = "|".join([*map(str, names), get_language() or "", static_release()])
    return "jakres:fragment:" + hashlib.sha256(identity.encode()).hexdigest()[:32]


def remembered(request, names, render):
    """`render()`'s value for these names (see fragment_key) and the current content
    version: from the cache when it holds it, else rendered and kept (for a request
    the page cache does not look up).

    One key per part (the version is stored in the entry, not in the key), so an
    out-of-date entry is overwritten rather than left until it expires. `render` may
    raise (a 404): nothing is kept then."""
    version = _usable_version(request)
    if version is None:
        return render()
    key = fragment_key(*names)
    try:
        entry = cache.get(key)
    except Exception:
        logger.exception("cache unavailable: fragments rendered, not kept")
        return render()
    if entry is not None and entry[0] == version:
        return entry[1]
    value = render()
    try:
        cache.set(key, (version, value), settings.FRAGMENT_CACHE_SECONDS)
    except Exception:
        logger.exception("cache unavailable: fragment not kept")
    return value
