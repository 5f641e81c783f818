"""Each worker keeps the cached pages it serves in memory (jakres/core/page_memo.py):
it answers them as the cache would, byte for byte and header for header, reads at most
the content version per hit (none within the window), stops serving them when the
version changes (at once, or once the window has passed), and never serves them
beyond the window when the cache does not answer."""

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from focus_areas.models import Conclusion
from jakres.core import cache as page_cache
from jakres.core.cache import IN_FLUX_PREFIX, VERSION_KEY, content_version, forget_page_memo
from jakres.core.page_memo import PAGE_OVERHEAD_BYTES, Page, PageMemo
from tests.security.test_page_cache_staleness import BROKEN_REDIS
from tests.test_cache_wsgi import EVENT_URL, call

pytestmark = pytest.mark.django_db

ENCODINGS = ["identity", "gzip", "br"]


class Clock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(page_cache._memo, "clock", clock)
    return clock


@pytest.fixture
def counting_cache(settings, workshop):
    """The memory cache, counting the reads that reach it (tests/test_cache_wsgi.py)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.test_cache_wsgi.CountingCache",
            "LOCATION": "jakres-memo-counting",
        }
    }
    backend = caches["default"]
    backend.clear()
    content_version()
    backend.reads.clear()
    return backend


def first_conclusion():
    return Conclusion.objects.get(group__number=1, order=1, parent=None)


def version_changed_elsewhere():
    """A new content version written by another process (this one is not told)."""
    cache.set(VERSION_KEY, "version-of-another-process", timeout=None)


def test_a_hit_from_the_memo_is_the_hit_from_the_cache(counting_cache):
    """Same status, headers and bytes, in each encoding and for HEAD; the memo's hit
    reads the version token alone, the cache's the token and the stored page."""
    stored = call(EVENT_URL)
    assert stored.headers["x-cache"] == "MISS"
    for encoding in ENCODINGS:
        for method in ("GET", "HEAD"):
            forget_page_memo()
            counting_cache.reads.clear()
            from_cache = call(EVENT_URL, method, HTTP_ACCEPT_ENCODING=encoding)
            assert [read[0] for read in counting_cache.reads] == ["get_many"]
            counting_cache.reads.clear()
            from_memo = call(EVENT_URL, method, HTTP_ACCEPT_ENCODING=encoding)
            assert counting_cache.reads == [("get", VERSION_KEY)]
            assert not from_memo.django_built_a_request
            assert from_memo.status == from_cache.status == 200
            assert from_memo.headers == from_cache.headers
            assert from_memo.body == from_cache.body
            assert from_memo.headers["x-cache"] == "HIT"
            assert from_memo.headers.get("content-encoding", "identity") == encoding
            assert int(from_memo.headers["content-length"]) == len(
                call(EVENT_URL, HTTP_ACCEPT_ENCODING=encoding).body
            )
            assert from_memo.body == (b"" if method == "HEAD" else from_cache.body)
    assert call(EVENT_URL).body == stored.body


def test_a_stored_page_is_served_from_the_memo_of_the_worker_that_rendered_it(
    counting_cache,
):
    call(EVENT_URL)
    counting_cache.reads.clear()
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    assert counting_cache.reads == [("get", VERSION_KEY)]


def test_each_encodings_etag_is_revalidated_from_the_memo(counting_cache):
    etags = {e: call(EVENT_URL, HTTP_ACCEPT_ENCODING=e).headers["etag"] for e in ENCODINGS}
    assert len(set(etags.values())) == 3
    for encoding, etag in etags.items():
        for sent in (etag, f'"something-else", {etag}'):
            counting_cache.reads.clear()
            reply = call(EVENT_URL, HTTP_IF_NONE_MATCH=sent, HTTP_ACCEPT_ENCODING=encoding)
            assert (reply.status, reply.body) == (304, b"")
            assert reply.headers["etag"] == etag
            assert reply.headers["x-cache"] == "REVALIDATED"
            assert counting_cache.reads == [("get", VERSION_KEY)]
    reply = call(EVENT_URL, HTTP_IF_NONE_MATCH='"something-else"')
    assert (reply.status, reply.headers["x-cache"]) == (200, "HIT")


def test_a_new_version_stops_the_memo_at_once_without_a_window(workshop):
    old = call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    version_changed_elsewhere()
    reply = call(EVENT_URL, HTTP_IF_NONE_MATCH=old.headers["etag"])
    assert (reply.status, reply.headers["x-cache"]) == (200, "MISS")
    assert reply.headers["etag"] != old.headers["etag"]
    assert len(page_cache._memo) == 1  # the old version's pages are gone, the new one is in


def test_a_change_is_served_at_once(workshop):
    call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    conclusion = first_conclusion()
    conclusion.text_ind = "Simpulan yang dikoreksi"
    conclusion.save()
    reply = call(EVENT_URL)
    assert reply.headers["x-cache"] == "MISS"
    assert "Simpulan yang dikoreksi" in reply.body.decode()


def test_within_the_window_no_read_then_the_new_version(settings, counting_cache, clock):
    """With a window of 100 ms, a hit reads nothing for 100 ms after the version was
    read; a version changed elsewhere meanwhile is seen once the window has passed."""
    settings.PAGE_MEMO_WINDOW_MS = 100
    old = call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    counting_cache.reads.clear()
    clock.now += 0.0995
    hit = call(EVENT_URL)
    revalidated = call(EVENT_URL, HTTP_IF_NONE_MATCH=old.headers["etag"])
    assert counting_cache.reads == []
    assert (hit.headers["x-cache"], hit.body) == ("HIT", old.body)
    assert revalidated.status == 304

    clock.now += 0.001  # the version was read 100.5 ms ago
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    assert counting_cache.reads == [("get", VERSION_KEY)]
    counting_cache.reads.clear()

    version_changed_elsewhere()
    clock.now += 0.0995
    assert call(EVENT_URL).headers["x-cache"] == "HIT"  # what a reader may see
    assert counting_cache.reads == []
    clock.now += 0.001
    reply = call(EVENT_URL, HTTP_IF_NONE_MATCH=old.headers["etag"])
    assert (reply.status, reply.headers["x-cache"]) == (200, "MISS")
    assert reply.headers["etag"] != old.headers["etag"]


def test_the_window_is_measured_from_when_the_read_began(settings, counting_cache, clock):
    settings.PAGE_MEMO_WINDOW_MS = 100
    call(EVENT_URL)

    def slow_read(key, default=None, version=None):
        clock.now += 0.060  # the cache takes 60 ms to answer
        return type(counting_cache).get(counting_cache, key, default, version)

    clock.now += 1
    counting_cache.get = slow_read
    try:
        assert call(EVENT_URL).headers["x-cache"] == "HIT"
    finally:
        del counting_cache.get
    counting_cache.reads.clear()
    clock.now += 0.039  # 99 ms after the read began
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    assert counting_cache.reads == []
    clock.now += 0.002  # 101 ms after the read began, 41 ms after it ended
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    assert counting_cache.reads == [("get", VERSION_KEY)]


def test_a_change_in_this_process_is_served_at_once_whatever_the_window(settings, workshop, clock):
    settings.PAGE_MEMO_WINDOW_MS = 60_000
    call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    conclusion = first_conclusion()
    conclusion.text_ind = "Simpulan dari proses ini"
    conclusion.save()
    reply = call(EVENT_URL)
    assert reply.headers["x-cache"] == "MISS"
    assert "Simpulan dari proses ini" in reply.body.decode()


def test_while_a_change_is_written_nothing_comes_from_the_memo(workshop):
    call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    cache.set(VERSION_KEY, f"{IN_FLUX_PREFIX}1", timeout=300)
    for _ in range(2):
        reply = call(EVENT_URL)
        assert reply.status == 200 and "x-cache" not in reply.headers
        assert reply.django_built_a_request


def test_with_the_cache_down_the_memo_serves_only_within_the_window(settings, workshop, clock):
    settings.PAGE_MEMO_WINDOW_MS = 100
    page = call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    with override_settings(CACHES=BROKEN_REDIS):
        clock.now += 0.0995
        within = call(EVENT_URL)
        assert (within.headers["x-cache"], within.body) == ("HIT", page.body)
        clock.now += 0.001
        for _ in range(2):  # rendered without the cache, never from the memo
            reply = call(EVENT_URL)
            assert reply.status == 200 and "x-cache" not in reply.headers
            assert reply.django_built_a_request


def test_with_the_cache_down_and_no_window_the_memo_serves_nothing(workshop):
    call(EVENT_URL)
    assert call(EVENT_URL).headers["x-cache"] == "HIT"
    with override_settings(CACHES=BROKEN_REDIS):
        reply = call(EVENT_URL)
        assert reply.status == 200 and "x-cache" not in reply.headers
        assert reply.django_built_a_request
    assert call(EVENT_URL).headers["x-cache"] == "HIT"  # the cache is back


def test_the_memo_keeps_the_most_recently_used_pages_within_its_bounds(settings, workshop):
    settings.PAGE_MEMO_ENTRIES = 2
    for page in ("/", "/events/", EVENT_URL):
        call(page)
    assert len(page_cache._memo) == 2
    release = page_cache.static_release()  # the memo's keys name it, as the cache's do
    assert page_cache._memo.get(f"{release}|http://testserver/") is None  # least recently used
    assert page_cache._memo.get(f"{release}|http://testserver{EVENT_URL}") is not None


def page_of(size, version="v1", expires=float("inf")):
    return Page(version, 200, [("Content-Type", "text/html")], {"identity": b"x" * size},
                '"e"', expires=expires)  # fmt: skip


def test_the_memo_holds_at_most_its_bytes_and_entries():
    memo = PageMemo(clock=Clock())
    memo.read("v1", 0)
    budget = 8 * page_of(1000).size  # eight pages (none may take over an eighth)
    for number in range(10):
        memo.put(f"/{number}", page_of(1000), max_bytes=budget, max_entries=100)
    assert len(memo) == 8 and memo.bytes == budget
    assert [memo.get(f"/{n}") is not None for n in (0, 1, 2, 9)] == [False, False, True, True]
    memo.get("/2")  # just used: the page of /3 goes first
    memo.put("/new", page_of(1000), max_bytes=budget, max_entries=100)
    assert memo.get("/3") is None and memo.get("/2") is not None and len(memo) == 8
    for number in range(10):
        memo.put(f"/{number}", page_of(10), max_bytes=10**9, max_entries=4)
    assert len(memo) == 4


def test_a_page_larger_than_an_eighth_of_the_memo_is_not_kept():
    memo = PageMemo(clock=Clock())
    memo.read("v1", 0)
    budget = 8 * (1000 + PAGE_OVERHEAD_BYTES + 200)
    memo.put("/small", page_of(1000), max_bytes=budget, max_entries=10)
    memo.put("/large", page_of(2000), max_bytes=budget, max_entries=10)
    assert memo.get("/small") is not None and memo.get("/large") is None


def test_the_memo_keeps_only_pages_of_the_version_it_read_last():
    clock = Clock()
    memo = PageMemo(clock=clock)
    memo.read("v1", clock.now)
    memo.put("/", page_of(10), max_bytes=10**6, max_entries=10)
    memo.put("/old", page_of(10, version="v0"), max_bytes=10**6, max_entries=10)
    assert memo.get("/old") is None and memo.get("/") is not None
    clock.now += 1
    memo.read("v1", clock.now)
    assert memo.get("/") is not None
    memo.read("v2", clock.now)
    assert len(memo) == 0 and memo.bytes == 0
    memo.read("v1", clock.now - 0.5)  # a read that began earlier answers late: ignored
    assert memo.version(1) == "v2"


def test_a_page_leaves_the_memo_when_its_stored_copy_expires():
    clock = Clock()
    memo = PageMemo(clock=clock)
    memo.read("v1", clock.now)
    memo.put("/", page_of(10, expires=clock.now + 3600), max_bytes=10**6, max_entries=10)
    clock.now += 3599
    assert memo.get("/") is not None
    clock.now += 1
    assert memo.get("/") is None and memo.bytes == 0
