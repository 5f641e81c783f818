from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from focus_areas.models import FocusArea
from workshops.models import Event, Person


class I18nSitemap(Sitemap):
    """Every URL in both languages, with hreflang alternates; at most `limit` URLs (half
    as many pages, each in two languages) per page of a section, so that no sitemap file
    grows large (about 50 KB)."""

    limit = 100
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(I18nSitemap):
    def items(self):
        return ["workshops:home", "workshops:event_list", "focus_areas:list"]

    def location(self, item):
        return reverse(item)


class EventSitemap(I18nSitemap):
    def items(self):
        return Event.objects.published().order_by("start_date")

    def lastmod(self, item):
        return item.updated_at


class FocusAreaSitemap(I18nSitemap):
    def items(self):
        return FocusArea.objects.select_related("programme")


class PersonSitemap(I18nSitemap):
    def items(self):
        return Person.objects.with_published_appearances().order_by("name")


SITEMAPS = {
    "pages": StaticSitemap,
    "events": EventSitemap,
    "focus-areas": FocusAreaSitemap,
    "people": PersonSitemap,
}
