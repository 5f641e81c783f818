"""Every public page runs at most a fixed number of queries, whatever the size of the data.

Each page is requested at two sizes: the 26 Sept 2018 workshop as it is, and with a
generated event ten times larger (and more events, people and conclusions). A budget
is a maximum: a change that saves a query passes; one that adds a query, or makes the
count grow with the data, fails and lists the queries the page ran.
"""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG
from tests.factories import EventFactory, ShockStressFactory
from tests.scale import make_large_event
from workshops.models import Hazard, default_programme

pytestmark = pytest.mark.django_db

# Page → the most queries one request of it may run. (The limits: 12 for the
# proceedings and their export, 8 for every other page.)
BUDGETS = {
    # The page: the event and its parts with its organisers (11), which conclusions
    # have a follow-up (follow_up.selectors.mark_trails), and the site's programme.
    "proceedings": 12,
    "proceedings in English": 12,
    "proceedings.json": 12,
    "home": 2,
    "event list": 4,
    "person": 3,
    # 4 (paginated groups), plus the follow-up chart over all the area's conclusions (one
    # query: their latest links, counted, with the items' statuses; issue 12)
    "focus area": 5,
    "focus area list": 1,
    "search": 3,
    # One kind, page 2 (counts, the page, the snippets); a misspelt word, corrected
    # (PostgreSQL: counts, the correction, counts again, the page, the snippets).
    "search, one kind": 3,
    "search, corrected": 5,
    # The shocks and stresses (a page of them with their event counts); one of them: the
    # events (count, page), its conclusions (the newest 20, and their count).
    "shocks and stresses": 2,
    "shock or stress": 5,
}


EVENT_LIST_QUERIES = [{}, {"year": "2018"}, {"kind": "workshop", "focus_area": "2"}, {"page": "2"}]


def requests_of(page, event_url, person_url):
    """(path, query) of every request that shows `page`."""
    return {
        "proceedings": [(event_url, {})],
        "proceedings in English": [("/en" + event_url, {})],
        "proceedings.json": [(event_url + "proceedings.json", {})],
        "home": [("/", {})],
        "event list": [("/events/", query) for query in EVENT_LIST_QUERIES],
        "person": [(person_url, {})],
        "focus area": [("/focus-areas/2/", {})],
        "focus area list": [("/focus-areas/", {})],
        "search": [("/search/", {"q": "simpulan"})],
        "search, one kind": [("/search/", {"q": "simpulan", "kind": "conclusion", "page": "2"})],
        "search, corrected": [("/search/", {"q": "simpulam"})],
        "shocks and stresses": [
            ("/guncangan-dan-tekanan/", {}),
            ("/en/guncangan-dan-tekanan/", {}),
        ],
        "shock or stress": [
            ("/guncangan-dan-tekanan/banjir/", {}),
            ("/en/guncangan-dan-tekanan/banjir/", {}),
        ],
    }[page]


@contextmanager
def at_most_queries(budget, what):
    """Fails if the block runs more than `budget` queries, listing all it ran."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    ran = [query["sql"] for query in captured.captured_queries]
    if not len(ran) <= budget:  # (not a bare assert: pytest would repeat the list, unnumbered)
        listing = "\n".join(f"{number:3}. {sql}" for number, sql in enumerate(ran, 1))
        raise AssertionError(f"{what} ran {len(ran)} queries, budget {budget}:\n{listing}")


@pytest.fixture(params=["seed", "ten_times_larger"])
def sized(request, workshop):
    """(proceedings URL, person URL) at one of the two data sizes."""
    if request.param == "seed":
        return f"/events/{WORKSHOP_SLUG}/", "/people/oswar-m-mungkasa/"
    large = make_large_event(scale=10, slug="acara-besar")
    person = large.sessions.get(order=2).appearances.first().person
    for session in large.sessions.all()[:20]:
        session.appearances.create(person=person, role="presenter", order=99)
    # "banjir" named by the large event too, and in 30 of its conclusions' text.
    ShockStressFactory(event=large, hazard=Hazard.objects.get(slug="banjir"), order=999)
    named = Conclusion.objects.filter(group__session__event=large).order_by("pk")[:30]
    Conclusion.objects.filter(pk__in=[c.pk for c in named]).update(text_ind="Risiko banjir.")
    return "/events/acara-besar/", person.get_absolute_url()


@pytest.mark.parametrize("page", BUDGETS)
def test_page_stays_within_its_query_budget(client, sized, page):
    if page == "event list":
        EventFactory.create_batch(12)  # so that the list has a second page
    # The site's programme is read once per process and content version, not per page
    # (test_the_programme_is_read_once_not_per_page): read it before counting.
    default_programme()
    for path, query in requests_of(page, *sized):
        with at_most_queries(BUDGETS[page], f"{page} ({path} {query})"):
            response = client.get(path, query)
        assert response.status_code == 200, (path, query)


@pytest.mark.parametrize("language", ["", "/en"])
def test_proceedings_from_kept_parts_run_no_query(client, sized, settings, language):
    """With the page cache off, the proceedings' parts are kept under the content
    version (jakres/core/fragments.py): once rendered, the page reads nothing."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 3600
    default_programme()
    path = language + sized[0]
    with at_most_queries(BUDGETS["proceedings"], f"proceedings, rendered ({path})"):
        rendered = client.get(path)
    with at_most_queries(0, f"proceedings, from kept parts ({path})"):
        kept = client.get(path)
    assert kept.status_code == 200
    assert kept.content == rendered.content


def test_the_programme_is_read_once_not_per_page(client, workshop):
    paths = ["/", "/focus-areas/", "/focus-areas/3/", f"/events/{WORKSHOP_SLUG}/", "/en/"]
    with CaptureQueriesContext(connection) as ran:
        for path in paths:
            assert client.get(path, HTTP_CACHE_CONTROL="no-cache").status_code == 200
    reads = [q["sql"] for q in ran.captured_queries if 'FROM "workshops_programme"' in q["sql"]]
    assert len(reads) <= 1, reads


def test_a_page_over_its_budget_fails_with_the_queries_it_ran(workshop):
    from workshops.models import Event

    with pytest.raises(AssertionError) as failure, at_most_queries(1, "two counts"):
        Event.objects.count()
        Event.objects.filter(slug=WORKSHOP_SLUG).count()
    message = str(failure.value)
    assert "two counts ran 2 queries, budget 1" in message
    assert "  1. SELECT COUNT(*)" in message
    assert "  2. SELECT COUNT(*)" in message
