from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.http import require_safe

from workshops.site.sitemaps import SITEMAPS
from workshops.site.views import RobotsView

urlpatterns = [
    # DJANGO_ADMIN_URL moves the admin away from the well-known /admin/.
    path(settings.ADMIN_URL, admin.site.urls),
    # A sitemap index naming one sitemap per section, each split into pages (?p=2).
    path(
        "sitemap.xml",
        require_safe(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", RobotsView.as_view(), name="robots"),
]

# Indonesian pages have no prefix; English pages live under /en/.
urlpatterns += i18n_patterns(
    path("", include("workshops.site.urls")),
    path("", include("workshops.site.focus_area_urls")),
    path("", include("workshops.site.follow_up_urls")),
    # Live capture's secret links (rapporteurs, plenary screen): never public pages.
    path("", include("capture.room.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    # Like django.conf.urls.static.static(), with nosniff, a sandbox CSP and documents
    # as downloads (jakres/core/media.py); in production the web server serves /media/.
    from jakres.core.media import media_urlpatterns

    urlpatterns += media_urlpatterns()
