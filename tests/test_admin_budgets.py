"""The event's admin page fits (issue 10, item 3): at most 30 queries for the 26 Sept 2018
workshop and for an event with five times its parts, and its HTML within bounds.

The issue's HTML limit, 250 KB at both sizes, is not reached yet for the editable page
(the issue stays open; the read-only page meets it):
django-nested-admin renders every row of every session as a form, with an empty form
per formset. The ceilings below keep what was won (838 KB → under 480 KB for the
fixture) from creeping back.
"""

import pytest
from django.urls import reverse

from tests.scale import make_large_event
from tests.test_query_budgets import at_most_queries

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 30
HTML_GOAL = 250 * 1024
# What the page is now, with a little room: (fixture, five times the parts).
HTML_CEILING = {"fixture": 480 * 1024, "five_times_the_parts": 2200 * 1024}


@pytest.fixture(params=["fixture", "five_times_the_parts"])
def event_page(request, workshop):
    """(size, URL) of the change page of the fixture's event, or of an event with five
    times its parts."""
    event = workshop if request.param == "fixture" else make_large_event(scale=5, slug="lima-kali")
    return request.param, reverse("admin:workshops_event_change", args=[event.pk])


def page_of(client, url, user, budget):
    client.force_login(user)
    client.get(url)  # the session and the user's permissions: read once per login
    with at_most_queries(budget, f"event page as {user.username}"):
        response = client.get(url)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("role", ["publisher", "editor"])
def test_event_page_stays_within_its_budgets(client, request, event_page, role):
    size, url = event_page
    html = page_of(client, url, request.getfixturevalue(role), QUERY_BUDGET)
    assert len(html) <= HTML_CEILING[size], f"{len(html)} bytes, ceiling {HTML_CEILING[size]}"


def test_the_editors_read_only_page_fits_the_html_goal_for_the_fixture(client, editor, workshop):
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    html = page_of(client, url, editor, QUERY_BUDGET)
    assert len(html) <= HTML_GOAL
