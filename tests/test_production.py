"""Production behaviour: security headers, failure pages, logs."""

import json
import logging
import time

import pytest
from django.db import connection
from django.test import Client, override_settings

from tests import observatory
from tests.conftest import WORKSHOP_SLUG

PRODUCTION_HEADERS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
PUBLIC_PAGES = ["/", f"/events/{WORKSHOP_SLUG}/", "/en/events/", "/search/?q=banjir"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
@override_settings(**PRODUCTION_HEADERS)
def test_security_headers_score_at_least_120_on_the_observatory_table(client, workshop, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    headers = dict(response.items())
    set_cookies = [morsel.OutputString() for morsel in response.cookies.values()]
    total, results = observatory.score(headers, set_cookies, response.content.decode())
    assert total >= 120, results


@pytest.mark.django_db
@override_settings(**PRODUCTION_HEADERS)
def test_content_security_policy_is_strict(client, workshop):
    response = client.get(f"/events/{WORKSHOP_SLUG}/", secure=True)
    policy = observatory._directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_admin_runs_under_the_same_strict_policy(client, workshop, publisher):
    # Issue 10: the admin's language tabs, rows and pop-ups work with nothing inline (the
    # browser tests fail on any violation); so the admin is not left out of the policy.
    responses = {"/admin/login/": client.get("/admin/login/")}
    client.force_login(publisher)
    for path in [
        "/admin/",
        f"/admin/workshops/event/{workshop.pk}/change/",
        "/admin/workshops/person/add/",
    ]:
        responses[path] = client.get(path)
    for path, response in responses.items():
        assert response.status_code == 200, path
        policy = observatory._directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"], path
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], path
        assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@override_settings(**PRODUCTION_HEADERS, SESSION_COOKIE_HTTPONLY=True, CSRF_COOKIE_HTTPONLY=True)
def test_staff_cookies_are_secure_httponly_and_samesite(client, django_user_model):
    django_user_model.objects.create_user(
        username="staf", password="kata-sandi-yang-benar-2018", is_staff=True
    )
    login_page = client.get("/admin/login/", secure=True)
    response = client.post(
        "/admin/login/",
        {
            "username": "staf",
            "password": "kata-sandi-yang-benar-2018",
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        secure=True,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"], name
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


def test_production_settings_pass_check_deploy(monkeypatch):
    import subprocess
    import sys

    env = {
        "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-for-checks",
        "DJANGO_ALLOWED_HOSTS": "jakres.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_ALLOWED_HOSTS": "jakres.example.org"},
        {"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "jakres.example.org"},
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": ""},
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "*"},
        # Without a shared cache, gunicorn's workers would serve old pages (issue 8, 4).
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "jakres.example.org"},
    ],
)
def test_production_refuses_to_start_half_configured(env):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={
            "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
            "PATH": "/usr/bin:/bin",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_a_friendly_503_quickly_and_recovers(client):
    from django.core.management import call_command

    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = "1"  # nothing listens there
        connection.settings_dict["HOST"] = "127.0.0.1"
    else:
        connection.settings_dict["NAME"] = "/nonexistent-directory/jakres.sqlite3"
    try:
        started = time.monotonic()
        response = client.get("/search/?q=banjir")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert "Layanan sementara tidak tersedia" in response.content.decode()
        assert "Service temporarily unavailable" in response.content.decode()
        assert elapsed < 3
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    # The database is back: the same process serves again, no restart.
    response = client.get("/search/?q=banjir")
    assert response.status_code == 200
    assert "Oswar M. Mungkasa" in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_in_both_languages(client):
    indonesian = client.get("/events/tidak-ada/")
    english = client.get("/en/events/tidak-ada/")
    assert indonesian.status_code == english.status_code == 404
    assert "Halaman tidak ditemukan" in indonesian.content.decode()
    assert "Page not found" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.errors_urls")
def test_server_error_page_in_both_languages():
    client = Client(raise_request_exception=False)
    response = client.get("/gagal/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html and "Server error" in html
    assert "RuntimeError" not in html


def test_logs_are_structured_json_lines_on_stdout():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert handler["class"] == "logging.StreamHandler"
    assert handler.get("stream") == "ext://sys.stdout"
    formatter_class = settings.LOGGING["formatters"][handler["formatter"]]["()"]
    from django.utils.module_loading import import_string

    formatter = import_string(formatter_class)(
        **{
            k: v
            for k, v in settings.LOGGING["formatters"][handler["formatter"]].items()
            if k != "()"
        }
    )
    record = logging.LogRecord("jakres", logging.WARNING, __file__, 1, "halo %s", ("dunia",), None)
    line = formatter.format(record)
    data = json.loads(line)
    assert data["message"] == "halo dunia"
    assert data["levelname"] == "WARNING"
    assert data["name"] == "jakres"


def production_settings(code, **env):
    """What `code` prints when it reads the production settings with `env` (in a
    subprocess: it loads no app, no storage, and connects to nothing)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
            "DJANGO_SECRET_KEY": "k" * 64,
            "DJANGO_ALLOWED_HOSTS": "jakres.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "PATH": "/usr/bin:/bin",
            **env,
        },
        cwd=str(__import__("django.conf").conf.settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_media_go_to_s3_when_a_bucket_is_configured():
    code = (
        "from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND']); print(settings.STATIC_URL)"
    )
    shown = production_settings(
        code,
        JAKRES_S3_BUCKET="prosiding-media",
        JAKRES_STATIC_URL="https://cdn.example.org/static/",
    )
    assert shown.split() == [
        "storages.backends.s3.S3Storage",
        "https://cdn.example.org/static/",
    ]


def test_postgresql_connections_run_without_jit_compilation():
    """PostgreSQL's JIT compiles any query whose estimated cost passes jit_above_cost
    (the focus area's outcome count, ranked search), adding 100-200 ms to a query of a
    few milliseconds; the settings turn it off for the portal's connections."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    shown = production_settings(code, DATABASE_URL="postgres://jakres@db.example.org:5432/jakres")
    assert "'options': '-c jit=off'" in shown
