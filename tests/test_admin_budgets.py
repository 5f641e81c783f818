"""The event's admin page fits (issue 10, item 3): at most 30 queries and 250 KB of HTML
for the 26 Sept 2018 workshop, and the same for an event with five times its parts."""

import pytest
from django.urls import reverse

from tests.scale import make_large_event
from tests.test_query_budgets import at_most_queries

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 30
HTML_BUDGET = 250 * 1024


@pytest.fixture(params=["fixture", "five_times_the_parts"])
def event_page(request, workshop):
    """The change page of the fixture's event, or of an event with five times its parts."""
    event = workshop if request.param == "fixture" else make_large_event(scale=5, slug="lima-kali")
    return reverse("admin:workshops_event_change", args=[event.pk])


@pytest.mark.parametrize("role", ["publisher", "editor"])
def test_event_page_stays_within_its_budgets(client, request, event_page, role):
    client.force_login(request.getfixturevalue(role))
    client.get(event_page)  # the session, the user's permissions: read once per login
    with at_most_queries(QUERY_BUDGET, f"event page as {role}"):
        response = client.get(event_page)
    assert response.status_code == 200
    size = len(response.content)
    print(f"{event_page} as {role}: {size} bytes")
    assert size <= HTML_BUDGET, f"{size} bytes, budget {HTML_BUDGET}"
