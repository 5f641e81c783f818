import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from follow_up.models import StatusUpdate
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


class StatusUpdatesFeed(Feed):
    """Published status updates of plan items, newest first (/follow-up/feed/)."""

    feed_type = Atom1Feed
    link = reverse_lazy("follow_up:index")

    def title(self):
        programme = default_programme()
        name = programme.name if programme else settings.SITE_NAME
        return _("%(name)s: follow-up status updates") % {"name": name}

    def subtitle(self):
        return _("The dated status of the plan items that conclusions were taken up in.")

    def items(self):
        return (
            StatusUpdate.objects.public().select_related("item__plan").order_by("-date", "-pk")[:50]
        )

    def item_title(self, item):
        return f"{item.item.code} {item.item.title}: {item.get_status_display()}" + (
            f" ({item.percent}%)" if item.percent is not None else ""
        )

    def item_link(self, item):
        return item.item.get_absolute_url()

    def item_guid(self, item):
        return f"{item.item.get_absolute_url()}#pembaruan-{item.pk}"

    def item_description(self, item):
        return render_text(item.note or "")

    def item_pubdate(self, item):
        if item.published_at:
            return item.published_at
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at
