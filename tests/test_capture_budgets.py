"""The live-capture pages run a fixed number of queries whatever the size of the
sheets (as tests/test_query_budgets.py does for the public pages): at a small size,
and with five groups of 40 points, each with sub-points, revisions and removals."""

import pytest

from capture import services
from capture.models import CaptureSheet
from tests.capture_helpers import draft_event, open_links
from tests.test_query_budgets import at_most_queries
from workshops.models import default_programme

pytestmark = pytest.mark.django_db

BUDGETS = {"rapporteur page": 2, "plenary screen": 3, "plenary JSON": 3, "plenary JSON, 304": 2}


def fill(sheet, points):
    for number in range(points):
        point = services.add_point(sheet=sheet, text=f"Butir {number}", author="Ani")
        services.edit_point(
            sheet=sheet, point_id=point.pk, text=f"Butir {number}.", author="Budi", base_version=1
        )
        if number % 4 == 0:
            for sub in range(3):
                services.add_point(sheet=sheet, text=f"Sub {sub}", author="Ani", parent_id=point.pk)
        if number % 5 == 0:
            services.remove_point(sheet=sheet, point_id=point.pk, author="Ani", base_version=2)


@pytest.fixture(params=["small", "large"])
def sized_links(request):
    areas, points = (2, 2) if request.param == "small" else (5, 40)
    links = open_links(draft_event(areas=areas))
    for sheet in CaptureSheet.objects.all():
        fill(sheet, points)
    default_programme()  # read once per process, as in tests/test_query_budgets.py
    return links


@pytest.mark.parametrize("page", BUDGETS)
def test_capture_page_stays_within_its_query_budget(client, sized_links, page):
    plenary = sized_links["plenary"].get_absolute_url()
    url = {
        "rapporteur page": sized_links[1].get_absolute_url(),
        "plenary screen": plenary,
        "plenary JSON": plenary + "data.json",
        "plenary JSON, 304": plenary + "data.json",
    }[page]
    headers = {}
    if page.endswith("304"):
        headers["HTTP_IF_NONE_MATCH"] = client.get(url)["ETag"]
    with at_most_queries(BUDGETS[page], page):
        response = client.get(url, **headers)
    assert response.status_code == (304 if page.endswith("304") else 200)
    if page == "rapporteur page":
        assert "Butir 1." in response.content.decode()
