from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from focus_areas.models import Conclusion, FocusArea
from follow_up.models import Plan, PlanItem
from workshops.models import Event, Hazard, Person


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
        return ["workshops:home", "workshops:event_list", "focus_areas:list", "follow_up:index",
                "workshops:hazard_list"]  # fmt: skip

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


class HazardSitemap(I18nSitemap):
    """The shocks and stresses a published event names, each with its page."""

    def items(self):
        return Hazard.objects.named_by_published_events().order_by("slug")


class ConclusionSitemap(I18nSitemap):
    """Each published conclusion's own page, with its follow-up trail."""

    def items(self):
        return Conclusion.objects.published().only("ref").order_by("pk")


class PlanSitemap(I18nSitemap):
    """The follow-up's plans and every item of them."""

    def items(self):
        plans = list(Plan.objects.order_by("pk"))
        items = PlanItem.objects.select_related("plan").order_by("plan_id", "sort_key")
        return [*plans, *items]


SITEMAPS = {
    "pages": StaticSitemap,
    "events": EventSitemap,
    "focus-areas": FocusAreaSitemap,
    "people": PersonSitemap,
    "shocks-and-stresses": HazardSitemap,
    "conclusions": ConclusionSitemap,
    "follow-up": PlanSitemap,
}
