"""Test settings: fast hashing, plain static storage, no debug."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The test process is one process: its memory cache sees every change, so the page
# cache (and the fragment cache) is on in tests even without Redis (tests/test_multi_instance.py runs two
# servers sharing Redis).
PAGE_CACHE_SECONDS = int(os.environ.get("JAKRES_PAGE_CACHE_SECONDS", "3600"))
FRAGMENT_CACHE_SECONDS = int(os.environ.get("JAKRES_FRAGMENT_CACHE_SECONDS", "3600"))
# A test runs inside a transaction that is rolled back, never committed, so on_commit
# callbacks never run: make the fresh content version at once as well. (The commit
# path itself is tested with django_capture_on_commit_callbacks, this set to False.)
PAGE_CACHE_FRESH_BEFORE_COMMIT = True
# Every request reads the content version (tests of the window set their own clock).
PAGE_MEMO_WINDOW_MS = 0

# A file, not memory: the live server used by the browser tests then opens its own
# connections in its own threads instead of sharing one across threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process, so that two test runs on one machine never meet.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }

LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
