"""Response headers Django does not set by itself, and a friendly 503 when the
database is unreachable."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

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
