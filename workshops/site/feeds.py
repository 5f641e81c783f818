import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from jakres.core.text import render_text
from workshops.models import Event, default_programme


class LatestEventsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        programme = default_programme()
        name = programme.name if programme else settings.SITE_NAME
        return _("%(name)s: workshop proceedings") % {"name": name}

    def subtitle(self):
        programme = default_programme()
        name = programme.name if programme else settings.SITE_NAME
        return _("Workshops, working sessions and forums of the %(name)s programme.") % {
            "name": name
        }

    link = reverse_lazy("workshops:event_list")

    def items(self):
        return Event.objects.published().order_by("-start_date")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The same sanitised HTML as the event's page, never the raw Markdown.
        return render_text(item.summary or item.purpose)

    def item_pubdate(self, item):
        # Events loaded from the archive have no publication time; use their date.
        if item.published_at:
            return item.published_at
        return datetime.datetime.combine(item.start_date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at
