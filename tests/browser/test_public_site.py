"""The public site in a real browser: every page type, language switch, shared links,
search, keyboard use, and axe-core's WCAG 2.2 AA rules with 0 violations."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EVENT_PATH = f"/events/{WORKSHOP_SLUG}/"

PAGE_TYPES = {
    "home": "/",
    "event list": "/events/",
    "filtered event list": "/events/?year=abc",
    "proceedings": EVENT_PATH,
    "focus area list": "/focus-areas/",
    "focus area": "/focus-areas/2/",
    "person": "/people/tri-dewi-virgiyanti/",
    "search form": "/search/",
    "search results": "/search/?q=banjir",
    "shocks and stresses": "/guncangan-dan-tekanan/",
    "shock or stress": "/guncangan-dan-tekanan/banjir/",
    "not found": "/events/tidak-ada/",
}


def axe_violations(page):
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.violations_count, results.generate_report()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["id", "en"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_opens_and_has_no_axe_violations(page, site, name, prefix):
    response = page.goto(site + prefix + PAGE_TYPES[name])
    assert response.status == (404 if name == "not found" else 200)
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == ("en" if prefix else "id")
    count, report = axe_violations(page)
    assert count == 0, report


def test_language_switch_keeps_the_reader_on_the_same_page(page, site):
    page.goto(site + EVENT_PATH)
    assert (
        page.locator("h1").inner_text()
        == "Lokakarya Perdana Program Prioritas Jakarta Berketahanan"
    )
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site + "/en" + EVENT_PATH)
    assert "Workshop" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.wait_for_url(site + EVENT_PATH)
    assert page.locator("html").get_attribute("lang") == "id"


def test_language_switch_keeps_the_search_query(page, site):
    page.goto(site + "/search/?q=Paris")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/search/\?q=Paris$"))
    assert "Lauren Sorkin" in page.locator("main").inner_text()


def test_shared_conclusion_link_lands_on_the_conclusion(page, site):
    # Since issue 12 a shared conclusion link opens the conclusion's own page (with its
    # follow-up); one click on "See it in the proceedings" lands on its place there.
    conclusion = Conclusion.objects.get(group__number=5, order=3, parent=None)
    page.set_viewport_size({"width": 390, "height": 700})  # a phone
    page.goto(site + conclusion.get_absolute_url())
    assert "Perlu memperhatikan kohesif" in page.locator("h1 + blockquote").inner_text()
    page.get_by_role("link", name="Lihat di prosiding").click()
    page.wait_for_url(f"{site}{EVENT_PATH}#{conclusion.anchor}")
    target = page.locator(":target")
    assert target.get_attribute("id") == conclusion.anchor
    assert "Perlu memperhatikan kohesif dari ekonomi tinggi ke rendah" in target.inner_text()
    # Bootstrap scrolls smoothly; wait for the scroll to arrive.
    expect(target).to_be_in_viewport()


def test_search_form_submits_and_shows_results(page, site):
    page.goto(site + "/search/")
    page.get_by_label(re.compile("Cari dalam prosiding|Search the proceedings")).fill(
        "volunteerism"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=volunteerism"))
    assert (
        "Perlu adanya program untuk meningkatkan volunteerism" in page.locator("main").inner_text()
    )


def test_keyboard_skip_link_then_reach_every_link(page, site):
    page.goto(site + EVENT_PATH)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # Tabbing on from the main content reaches a conclusion's permalink by keyboard.
    for _ in range(200):
        page.keyboard.press("Tab")
        if "permalink" in (page.evaluate("document.activeElement.className") or ""):
            break
    else:
        pytest.fail("no permalink reachable by keyboard")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"


def test_event_list_filters_in_the_browser(page, site):
    page.goto(site + "/en/events/")
    page.get_by_label("Kind").select_option("working_session")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"kind=working_session"))
    text = page.locator("main").inner_text()
    assert "Working Session" in text and "Inaugural Workshop" not in text


def test_print_layout_hides_navigation(page, site):
    page.goto(site + EVENT_PATH)
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").first.is_visible()
    assert not page.locator(".language-switch").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.documents a[href*=issuu]'), '::after').content"
    )
    assert "issuu.com" in after
