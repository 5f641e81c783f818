"""No English left in the Indonesian admin (issue 10, item 7): every admin page an
Editor can reach, rendered in Indonesian, is free of Django's and the packages'
English phrases."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from follow_up.models import Link, Plan, PlanItem, StatusUpdate
from workshops.models import (
    Appearance,
    Document,
    Event,
    Hazard,
    Organisation,
    Person,
    Photo,
    Programme,
    Sector,
    Session,
    ShockStress,
)

pytestmark = pytest.mark.django_db

# Phrases of Django, django-nested-admin, django-reversion and django-modeltranslation
# that show in the admin when their Indonesian is missing.
ENGLISH = [
    "Add another",
    "Save and continue",
    "Save and add",
    "Recover deleted",
    "Choose all",
    "Remove all",
    "Click to choose",
    "Choose",
    "Select all",
    "Show all",
    "View on site",
    "Please correct",
    "Forbidden",
    "Change password",
    "Log out",
    "Welcome",
    "Run the selected action",
    "Filter",
    "History",
    "Delete",
    "Remove",
    "Today",
    "Drag",
    "Preview",
    "Still missing",
    "Submit for review",
    "Publish",
    "Add ",
    "Change ",
    "View ",
]
PHRASE = re.compile(r"\b(" + "|".join(re.escape(p.strip()) for p in ENGLISH) + r")\b")


class _Text(HTMLParser):
    """The text a reader sees and the words on buttons and labels of the page."""

    SKIPPED = {"script", "style", "textarea", "option", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        for name in ("title", "aria-label", "placeholder"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_in(html):
    parser = _Text()
    parser.feed(html)
    return sorted({m.group(0) for m in PHRASE.finditer(" ".join(parser.parts))})


def editor_pages(workshop):
    draft = Event.objects.exclude(pk=workshop.pk).first()
    Event.objects.filter(pk=draft.pk).update(status="draft")
    pages = [reverse("admin:index"), reverse("admin:app_list", args=["workshops"])]
    pages.append(reverse("admin:app_list", args=["focus_areas"]))
    for model in (Event, Session, Appearance, ShockStress, Hazard, Document, Photo, Person,
                  Organisation, Sector, FocusArea, DiscussionGroup, Conclusion, Programme,
                  Plan, PlanItem, Link, StatusUpdate):  # fmt: skip
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model.objects.first()
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        if first is not None:
            pages += [
                reverse(f"{name}_change", args=[first.pk]),
                reverse(f"{name}_history", args=[first.pk]),
            ]
    pages += [
        reverse("admin:workshops_event_change", args=[draft.pk]),
        reverse("admin:workshops_event_change", args=[workshop.pk]),
        reverse("admin:workshops_event_preview", args=[draft.pk]),
        reverse("admin:workshops_event_delete", args=[draft.pk]),
        reverse("admin:password_change"),
        reverse("admin:workshops_event_recoverlist"),
    ]
    for event in (draft, workshop):  # the event's editor in parts (each session, ...)
        change = reverse("admin:workshops_event_change", args=[event.pk])
        pages += [f"{change}?part=session-{session.pk}" for session in event.sessions.all()]
        pages += [f"{change}?part=shocks", f"{change}?part=photos"]
    return pages


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_every_page_staff_reach_is_in_indonesian(client, request, role, workshop):
    client.force_login(request.getfixturevalue(role))
    found = {}
    for url in editor_pages(workshop):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        english = english_in(response.content.decode())
        if english:
            found[url] = english
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())
