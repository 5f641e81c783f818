"""Response headers Django does not set by itself, and a friendly 503 when the
database is unreachable."""

import ipaddress
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

from jakres.core.cache import CacheUnavailable

logger = logging.getLogger("jakres.availability")


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """When the database is down, say so (503 with Retry-After) instead of a 500.

    Cached public pages keep being served by the page cache in front of this.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, CacheUnavailable):
            # A change refused because the page cache could not be told of it.
            response = HttpResponse(
                render_to_string("503_save.html"),
                status=503,
                content_type="text/html; charset=utf-8",
            )
            response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
            response["Cache-Control"] = "no-store"
            return response
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s: %s", type(exception).__name__, exception)
        response = HttpResponse(
            render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class AdminNulQueryMiddleware:
    """A NUL byte in an admin query string (a filter, a search, an autocomplete term)
    is a 400: PostgreSQL cannot compare text with NUL in it. Public pages handle
    such input in their forms, with a message."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if request.path.startswith(self.prefix) and "\x00" in "".join(
            [*request.GET.keys(), *(v for k in request.GET for v in request.GET.getlist(k))]
        ):
            return HttpResponseBadRequest("NUL bytes are not allowed in the query string.")
        return self.get_response(request)


def client_ip_address(request):
    """The client's address, for the login lockout (settings.AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_HEADER names the header in which the
    reverse proxies in front of the site write the address they saw (X-Forwarded-For).
    Then the entry TRUSTED_PROXY_COUNT places from the header's right end is the
    client: each proxy appends what it saw, so entries further left were written by the
    client and are ignored. A missing, short or malformed header gives REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    count = settings.TRUSTED_PROXY_COUNT
    if not header or count < 1:
        return remote
    name = header.strip().upper().replace("-", "_")
    if not name.startswith("HTTP_"):
        name = "HTTP_" + name
    entries = [entry.strip() for entry in request.META.get(name, "").split(",")]
    if len(entries) < count:
        return remote
    address = _without_port(entries[-count])
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote


def _without_port(entry):
    """'203.0.113.7:4711' and '[2001:db8::1]:4711' as some proxies write them."""
    if entry.startswith("["):
        return entry[1:].split("]", 1)[0]
    if entry.count(":") == 1:
        return entry.split(":", 1)[0]
    return entry


class CookieFlagsMiddleware:
    """Every cookie the site sets, deletions included, carries HttpOnly and SameSite,
    and Secure where the site runs on HTTPS (settings.SESSION_COOKIE_SECURE).

    Django deletes a stale session cookie (and the messages cookie) without Secure or
    HttpOnly. Placed just outside SessionMiddleware, so it sees the cookies of the
    session, CSRF, messages and everything inside them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for morsel in response.cookies.values():
            if settings.SESSION_COOKIE_SECURE:
                morsel["secure"] = True
            morsel["httponly"] = True
            if not morsel["samesite"] and settings.SESSION_COOKIE_SAMESITE:
                morsel["samesite"] = settings.SESSION_COOKIE_SAMESITE
        return response
