from django.conf import settings
from django.utils.functional import SimpleLazyObject

from workshops.models import default_programme
from workshops.templatetags.jakres import local_path


def site(request):
    """The site is its programme's (the first programme, remembered per process): its
    name, secretariat and network name the pages."""
    programme = default_programme()
    return {
        "site_programme": programme,
        "SITE_NAME": programme.name if programme else settings.SITE_NAME,
        # This page's address without its query string, for og:url. Lazy: an error
        # page for a bad Host header must render without ever asking for the host.
        # A path like `//evil.example/x` is made a local path first, or the address
        # would name another host.
        "page_url": SimpleLazyObject(lambda: request.build_absolute_uri(local_path(request.path))),
    }
