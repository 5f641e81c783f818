from django.contrib.sitemaps import Sitemap
from django.db.models import Max
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

    def _items(self):
        # Django's own lists every (item, language) pair of the section to paginate it,
        # reading every row (15,000 conclusions) for one page or the index's page count.
        return ItemsInLanguages(self.items(), self._languages())


class ItemsInLanguages:
    """The (item, language) pairs of a section, in Django's order (each item in every
    language), counted by the database and read one page at a time."""

    def __init__(self, items, languages):
        self.items = items
        self.languages = list(languages)

    def count(self):
        items = self.items
        number = len(items) if isinstance(items, list | tuple) else items.count()
        return number * len(self.languages)

    __len__ = count

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("ItemsInLanguages is read by page: a slice without a step")
        size = len(self.languages)
        start, stop = key.start or 0, key.stop
        first = start // size
        last = None if stop is None else -(-stop // size)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        end = None if stop is None else stop - first * size
        return pairs[start - first * size : end]


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

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every event read to take the latest.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


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
