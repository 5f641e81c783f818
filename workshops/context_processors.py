from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        # This page's address without its query string, for og:url. Lazy: an error
        # page for a bad Host header must render without ever asking for the host.
        "page_url": SimpleLazyObject(lambda: request.build_absolute_uri(request.path)),
    }
