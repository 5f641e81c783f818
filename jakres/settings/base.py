"""Settings shared by every environment.

Everything that differs between machines comes from the environment:
DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "nested_admin",
    "reversion",
    "axes",
    "workshops",
    "focus_areas",
    "search_index",
    "follow_up",
    "capture",
    "django_ratelimit",
    # Deletes a replaced or removed upload once the transaction commits; keep it last.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    # Outermost: public pages from the cache, with every header below stored along.
    "jakres.core.cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "jakres.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jakres.core.middleware.CookieFlagsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Locks out repeated admin login failures; must come last.
    "jakres.core.middleware.AdminNulQueryMiddleware",
    "jakres.core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# django-axes: after 5 failed logins for a username from one address, that pair is
# locked out for 15 minutes. A successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused without being counted, so they cannot extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's address: REMOTE_ADDR, unless the site runs behind reverse proxies that
# write it into a header (docs/deploy.md). Then DJANGO_TRUSTED_PROXY_HEADER names that
# header (X-Forwarded-For) and DJANGO_TRUSTED_PROXY_COUNT the number of proxies in front
# of gunicorn: the address is that many entries from the header's right end, the one the
# outermost trusted proxy saw. Whatever the client wrote to the left of it is ignored.
TRUSTED_PROXY_HEADER = os.environ.get("DJANGO_TRUSTED_PROXY_HEADER", "").strip() or None
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1"))
AXES_CLIENT_IP_CALLABLE = "jakres.core.middleware.client_ip_address"
# Used only if django-ipware is installed, which the callable above overrides anyway.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_LOCKOUT_CALLABLE = "workshops.editorial.admin_accounts.locked_out"
AXES_VERBOSE = False

# The admin's URL prefix can be moved away from the well-known /admin/.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere, on the
# public site and in the admin alike. The only <script> of the public site is a JSON-LD
# data block, which a browser never executes; the admin's templates and widgets
# (Django's, django-nested-admin's, ours) have no inline script or style either. The
# browser tests fail on any violation (tests/browser/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}
# Other security headers (see jakres/core/middleware.py for the rest).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form post gets the site's own 403 page (jakres/core/errors.py).
CSRF_FAILURE_VIEW = "jakres.core.errors.csrf_failure"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

ROOT_URLCONF = "jakres.urls"
WSGI_APPLICATION = "jakres.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workshops.site.context_processors.site",
            ],
        },
    },
]

# The embedded SQLite file is the default, so a first run needs nothing else.
# DATABASE_URL=postgres://user@host:5432/name switches to PostgreSQL (psycopg 3).
DATABASES = {
    # An empty DATABASE_URL counts as unset.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up quickly when the server is unreachable, so a page can say so (503)
    # within seconds instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    # No JIT compilation: the portal's queries are short, and PostgreSQL's cost
    # estimates for a few of them (window functions over joined CTEs, ranked search)
    # pass jit_above_cost, which then adds 100–200 ms of compiling to a 5 ms query.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian is the source language; English is the second language.
LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Indonesian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "id"
MODELTRANSLATION_LANGUAGES = ("id", "en")
# Public pages decide the fallback themselves (with a visible marker), so the
# descriptor returns the Indonesian text whenever English is empty.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("id",)

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with hashed names, served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

# Uploads: limits checked on the file's content, not its name (workshops/files.py, workshops/editorial/uploads.py).
UPLOAD_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
UPLOAD_MAX_IMAGE_BYTES = 12 * 1024 * 1024
UPLOAD_MAX_IMAGE_PIXELS = 25_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An event page sends about nine fields per conclusion, so a large event (a group with
# 1,400 conclusions) exceeds Django's 10,000. Memory stays bounded by the 5 MB above.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000

# Logs go to stdout, one JSON object per line (python-json-logger), for the
# platform's log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line and every error mail without the secret of a live-capture link
    # (jakres/core/scrub.py): Django's request and server loggers propagate to the
    # JSON console; the error mails are filtered.
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "scrub_secret_links": {"()": "jakres.core.scrub.ScrubSecretLinks"},
    },
    "formatters": {
        "json": {
            "()": "jakres.core.scrub.ScrubbingJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "scrub_secret_links"],
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

DEFAULT_EXCEPTION_REPORTER = "jakres.core.error_reports.ScrubbingExceptionReporter"

# The cache: Redis when REDIS_URL is set (shared by all app servers), otherwise memory.
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("JAKRES_CACHE_PREFIX", "jakres"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a rendered public page is kept (0 turns whole-page caching off). Without
# Redis it is off: a per-process memory cache cannot be told of a change made in
# another process (another gunicorn worker, a management command), so it would serve
# old pages. Production refuses to start without REDIS_URL.
PAGE_CACHE_SECONDS = int(os.environ.get("JAKRES_PAGE_CACHE_SECONDS", "3600" if REDIS_URL else "0"))
# How long the rendered parts of a proceedings page are kept (jakres/core/fragments.py;
# 0 turns them off). They are used when the whole page is not (page cache off, or a
# request it does not store), and are off without Redis for the same reason.
FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("JAKRES_FRAGMENT_CACHE_SECONDS", "3600" if REDIS_URL else "0")
)
# Each worker keeps the cached pages it serves in memory, ready to send, and reads the
# content version from the cache at most every PAGE_MEMO_WINDOW_MS: a change committed
# elsewhere may take that long to reach a worker's readers (0: read on every request,
# a change is seen at once). What a reader may see: jakres/core/page_memo.py.
PAGE_MEMO_WINDOW_MS = int(os.environ.get("JAKRES_PAGE_MEMO_WINDOW_MS", "100"))
PAGE_MEMO_BYTES = int(os.environ.get("JAKRES_PAGE_MEMO_BYTES", str(16 * 1024 * 1024)))
PAGE_MEMO_ENTRIES = int(os.environ.get("JAKRES_PAGE_MEMO_ENTRIES", "1000"))
# django-ratelimit (live capture's saves) counts in the default cache. In production
# that is Redis, shared by every worker; Django's own RedisCache increments with
# INCRBY, which is atomic, though django-ratelimit only lists django-redis (W001).
# Without Redis (development, tests: one process) the memory cache counts per process,
# atomically under its lock (E003 says it is not shared between processes).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if REDIS_URL else ["django_ratelimit.E003"]
)

# Live capture (capture/): saves allowed per link and per address (a venue's phones
# often share one address), the largest request body, and how often the plenary
# screen asks for news.
CAPTURE_RATE_PER_LINK = os.environ.get("JAKRES_CAPTURE_RATE_PER_LINK", "120/m")
CAPTURE_RATE_PER_ADDRESS = os.environ.get("JAKRES_CAPTURE_RATE_PER_ADDRESS", "600/m")
CAPTURE_MAX_BODY_BYTES = 32 * 1024
CAPTURE_PLENARY_POLL_SECONDS = 5

# A change makes a fresh content version when it commits (jakres/core/cache.py).
PAGE_CACHE_FRESH_BEFORE_COMMIT = False

# Public site identity, used for canonical URLs in feeds, sitemap and JSON-LD.
SITE_NAME = "Jakarta Berketahanan"
