"""Shared set-up of the live-capture tests: a draft event of today with groups and
links, and a rapporteur's requests."""

import datetime

from django.utils import timezone

from capture import services
from capture.models import CaptureLink, LinkKind
from tests.factories import EventFactory, FocusAreaFactory, ProgrammeFactory
from workshops.models import EventStatus


def draft_event(areas=2, **kwargs):
    programme = ProgrammeFactory()
    for number in range(1, areas + 1):
        FocusAreaFactory(programme=programme, number=number, title=f"Fokus {number}")
    kwargs.setdefault("start_date", timezone.localdate())
    kwargs.setdefault("status", EventStatus.DRAFT)
    return EventFactory(programme=programme, **kwargs)


def open_links(event, user=None, expires_at=None):
    """{group number: rapporteur link}, and the plenary link under "plenary"."""
    services.issue_links(
        event=event, user=user, expires_at=expires_at or services.default_expiry(event)
    )
    links = {"plenary": CaptureLink.objects.active().get(event=event, kind=LinkKind.PLENARY)}
    for link in CaptureLink.objects.active().filter(event=event, kind=LinkKind.RAPPORTEUR):
        links[link.group.number] = link
    return links


def tomorrow():
    return timezone.now() + datetime.timedelta(days=1)


def post(client, link, **data):
    """A rapporteur's form POST (with a name unless told otherwise)."""
    data.setdefault("author", "Rina")
    return client.post(link.get_absolute_url(), data)
