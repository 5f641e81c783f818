"""The event's admin pages fit (issue 10, item 3): at most 30 queries and 250 KB of HTML
for the 26 Sept 2018 workshop and for an event with five times its parts, for a
Publisher and for an Editor on a draft, on every page of the event's editor: the event
itself (with its sessions, one line each, and documents), each session's page (its
speakers, groups, conclusions and sub-points), the shocks and stresses, the photos.
"""

import pytest
from django.urls import reverse

from tests.scale import make_large_event
from tests.test_query_budgets import at_most_queries
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 30
HTML_BUDGET = 250 * 1024


@pytest.fixture(params=["fixture", "five_times_the_parts"])
def event(request, workshop):
    """The fixture's event, or one with five times its parts, as a draft (so that an
    Editor may change it too)."""
    event = workshop if request.param == "fixture" else make_large_event(scale=5, slug="lima-kali")
    event.status = EventStatus.DRAFT
    event.save()
    return event


def the_biggest_session(event):
    return max(event.sessions.all(), key=lambda s: (s.groups.count(), s.appearances.count()))


def page_of(client, url, user, budget):
    client.force_login(user)
    client.get(url)  # the session and the user's permissions: read once per login
    with at_most_queries(budget, f"{url} as {user.username}"):
        response = client.get(url)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("role", ["publisher", "editor"])
@pytest.mark.parametrize("part", ["", "session", "shocks", "photos"])
def test_every_page_of_the_event_stays_within_its_budgets(client, request, event, role, part):
    url = reverse("admin:workshops_event_change", args=[event.pk])
    if part == "session":
        url += f"?part=session-{the_biggest_session(event).pk}"
    elif part:
        url += f"?part={part}"
    html = page_of(client, url, request.getfixturevalue(role), QUERY_BUDGET)
    assert 'name="_save"' in html.decode()  # the editable page, not a read-only one
    assert len(html) <= HTML_BUDGET, f"{url}: {len(html)} bytes, budget {HTML_BUDGET}"


@pytest.mark.parametrize("part", ["", "session", "shocks", "photos"])
def test_the_editors_read_only_pages_stay_within_the_budgets(client, editor, event, part):
    """A published event, which an Editor sees read-only: every page, at both sizes."""
    event.status = EventStatus.PUBLISHED
    event.save()
    url = reverse("admin:workshops_event_change", args=[event.pk])
    if part == "session":
        url += f"?part=session-{the_biggest_session(event).pk}"
    elif part:
        url += f"?part={part}"
    html = page_of(client, url, editor, QUERY_BUDGET)
    assert 'name="_save"' not in html.decode()  # the read-only page
    assert len(html) <= HTML_BUDGET, f"{url}: {len(html)} bytes, budget {HTML_BUDGET}"


@pytest.mark.parametrize("role", ["publisher", "editor"])
def test_a_groups_own_page_stays_within_the_budgets(client, request, event, role):
    """A group's own page (its conclusions and sub-points, the event page's rows): the
    same budgets, at both sizes; it reads only the group's own rows, not the event's."""
    group = max(
        (g for s in event.sessions.all() for g in s.groups.all()),
        key=lambda g: g.conclusions.count(),
    )
    url = reverse("admin:focus_areas_discussiongroup_change", args=[group.pk])
    user = request.getfixturevalue(role)
    html = page_of(client, url, user, QUERY_BUDGET).decode()
    assert 'name="_save"' in html
    read = client.get(url).wsgi_request._jakres_rows["rows"]
    rows = [row for grouped in read.values() for rows in grouped.values() for row in rows]
    assert rows and {row.group_id for row in rows} == {group.pk}
    assert len(html) <= HTML_BUDGET, f"{url}: {len(html)} bytes, budget {HTML_BUDGET}"
    for conclusion in group.conclusions.all():
        assert conclusion.text_ind.split()[0] in html


DELETE_BUDGET = 45


@pytest.mark.parametrize("model", ["event", "session", "group"])
def test_a_delete_confirmation_lists_what_django_lists_within_a_budget(
    client, rf, publisher, event, model
):
    """The delete confirmation of an event (or a session, or a group) lists every row
    that goes with it, as Django's own get_deleted_objects() does, with the same links
    and permissions; its related records are read once per model, so its queries stay
    within a budget at both sizes (Django's own: 101 for the fixture's event, 486 at five
    times its parts)."""
    from django.contrib import admin
    from django.contrib.admin.utils import get_deleted_objects

    from focus_areas.models import DiscussionGroup
    from workshops.models import Event

    obj = {
        "event": event,
        "session": the_biggest_session(event),
        "group": DiscussionGroup.objects.filter(session__event=event).first(),
    }[model]
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    html = page_of(client, url, publisher, DELETE_BUDGET).decode()
    assert "Ya, saya yakin" in html or "Yes, I’m sure" in html

    request = rf.get(url)
    request.user = publisher
    model_admin = admin.site.get_model_admin(type(obj))
    fresh = type(obj)._default_manager.filter(pk=obj.pk)
    ours = model_admin.get_deleted_objects(fresh, request)
    djangos = get_deleted_objects(type(obj)._default_manager.filter(pk=obj.pk), request, admin.site)
    assert ours == djangos
    [first, children] = ours[0]  # the row itself, then what goes with it
    assert f'/change/">{obj}</a>' in first and len(children) > 1
    assert ours[1] and not ours[2] and not ours[3]  # counts; nothing refused or protected
    assert Event.objects.filter(pk=event.pk).exists()  # only confirmed, not deleted
