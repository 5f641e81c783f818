"""Production: PostgreSQL behind gunicorn. Refuses to start half-configured."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names, comma-separated (no '*')."
    )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# gunicorn runs several worker processes, and the page cache must be one they share:
# with a per-process cache, a worker that did not see an edit or a withdrawal would go
# on serving the old page. So production needs Redis (docs/deploy.md).
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "REDIS_URL must point at the Redis shared by every app server, e.g. "
        "redis://127.0.0.1:6379/0 (see docs/deploy.md)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address (login lockout) is REMOTE_ADDR unless DJANGO_TRUSTED_PROXY_HEADER
# names the header the proxies write it to (base.py, docs/deploy.md).
if TRUSTED_PROXY_HEADER and (  # noqa: F405
    TRUSTED_PROXY_COUNT < 1  # noqa: F405
    or not TRUSTED_PROXY_HEADER.replace("-", "").replace("_", "").isalnum()  # noqa: F405
):
    raise ImproperlyConfigured(
        "DJANGO_TRUSTED_PROXY_HEADER must be a header name (X-Forwarded-For) and "
        "DJANGO_TRUSTED_PROXY_COUNT the number of proxies in front of gunicorn (1 or more)."
    )
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))  # noqa: F405

# Media on S3-compatible object storage (django-storages, `pip install -e ".[s3]"`),
# when a bucket is configured; otherwise on the local disk (DJANGO_MEDIA_ROOT).
S3_BUCKET = os.environ.get("JAKRES_S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("JAKRES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("JAKRES_S3_REGION") or None,
            "access_key": os.environ.get("JAKRES_S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("JAKRES_S3_SECRET_ACCESS_KEY"),
            "custom_domain": os.environ.get("JAKRES_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": False,
        },
    }

# Static files through a CDN: set JAKRES_STATIC_URL to the CDN's address of /static/.
STATIC_URL = os.environ.get("JAKRES_STATIC_URL", STATIC_URL)  # noqa: F405
