"""Every public list is paginated or bounded, so no HTML page grows with the data:
checked with the 26 Sept 2018 workshop alone and with 120 generated events (3,000
conclusions) beside it. (bench/ measures the same at 500 events.)"""

import re

import pytest
from django.core.management import call_command

from tests.conftest import WORKSHOP_SLUG
from workshops.models import Appearance, Person, Session

pytestmark = pytest.mark.django_db

MAX_BYTES = 100_000
PAGES = {
    # path: (the pattern of one listed item, the most items one page may list)
    "/": (r"<li>\s*<time datetime=", 12),
    "/events/": (r'class="event-card', 10),
    "/focus-areas/1/": (r'<section class="group"', 8),
    "/people/bench-narasumber-7/": (r'<h3 class="h5"><a href="/events/', 20),
    "/search/?q=ketahanan": (r'class="search-hit"', 5 * 5),
    "/search/?q=ketahanan&kind=conclusion&page=2": (r'class="search-hit"', 20),
    "/sitemap-events.xml": (r"<url>", 100),
    # A shock or stress that every generated event names and every generated conclusion
    # holds: the newest 20 conclusions; its events, 20 a page.
    "/guncangan-dan-tekanan/bench-ketahanan-kota/": (r'<li><a href="/conclusions/', 20),
    "/guncangan-dan-tekanan/bench-ketahanan-kota/?page=2": (r'/#shocks-heading">', 20),
}


def bench_data():
    """120 generated events, and one speaker on 30 more of their panels (37 in all)."""
    call_command("generate_bench_data", events=120, conclusions=3000, stdout=None)
    speaker = Person.objects.get(slug="bench-narasumber-7")
    panels = Session.objects.filter(event__slug__startswith="bench-", order=1).exclude(
        appearances__person=speaker
    )[:30]
    Appearance.objects.bulk_create(
        Appearance(session=s, person=speaker, role="panelist", order=4) for s in panels
    )


@pytest.fixture(params=["seed", "120 events"])
def data(request, workshop):
    if request.param == "120 events":
        bench_data()
    return request.param


def test_no_public_page_grows_with_the_data(client, data):
    for path, (item, most) in PAGES.items():
        response = client.get(path)
        if response.status_code == 404 and data == "seed":
            continue  # (a bench person or a second page exists only with the bench data)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert len(response.content) < MAX_BYTES, (path, len(response.content))
        listed = len(re.findall(item, body))
        assert listed <= most, (path, listed)
        if data == "120 events":
            assert listed == most or path == "/search/?q=ketahanan", (path, listed)
    proceedings = client.get(f"/events/{WORKSHOP_SLUG}/")
    assert len(proceedings.content) < MAX_BYTES


def test_the_lists_link_to_the_rest(client, workshop):
    bench_data()
    home = client.get("/").content.decode()
    assert "12 terbaru; semua 123 kegiatan" in re.sub(r"\s+", " ", home)
    focus = client.get("/focus-areas/1/").content.decode()
    assert "Halaman 1 dari 16" in focus  # 121 groups, 8 per page
    assert client.get("/focus-areas/1/?page=16").status_code == 200
    assert client.get("/focus-areas/1/?page=17").status_code == 404
    assert client.get("/focus-areas/1/?page=x").status_code == 404
    person = client.get("/people/bench-narasumber-7/").content.decode()
    assert "Halaman 1 dari 2" in person  # 120 panels of 3 among 50 people: 7 or 8 each
