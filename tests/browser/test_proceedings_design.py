"""The designed proceedings page in a real browser, at a phone's width (390 × 844) and at
a desktop's (1280 × 900): the table of contents, quiet permalinks, "Copy link", and no
sideways scrolling."""

import re

import pytest
from playwright.sync_api import expect

from focus_areas.models import Conclusion, DiscussionGroup
from tests.browser.test_public_site import axe_violations
from tests.conftest import WORKSHOP_SLUG

EVENT_PATH = f"/events/{WORKSHOP_SLUG}/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        viewport=PHONE, locale="id-ID", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_phone_contents_open_close_and_lead_to_a_group(phone, site):
    phone.goto(site + EVENT_PATH)
    toc = phone.locator("nav.toc")
    summary = toc.locator("summary")
    group_4 = DiscussionGroup.objects.get(number=4)
    link = toc.get_by_role("link", name=re.compile(r"Kelompok 4"))
    # Closed at first: the list takes no room above the proceedings.
    expect(summary).to_have_text("Daftar isi")
    expect(link).to_be_hidden()
    assert toc.bounding_box()["height"] < 70
    summary.tap()
    expect(link).to_be_visible()
    assert toc.locator(".toc-groups > li").count() == 5
    link.tap()
    phone.wait_for_url(f"{site}{EVENT_PATH}#{group_4.anchor}")
    expect(phone.locator(f"#{group_4.anchor}")).to_be_in_viewport()
    phone.goto(site + EVENT_PATH)
    summary.tap()
    expect(link).to_be_visible()
    summary.tap()
    expect(link).to_be_hidden()


def test_desktop_contents_are_a_sticky_side_column(desktop, site):
    desktop.goto(site + EVENT_PATH)
    toc = desktop.locator("nav.toc")
    link = toc.get_by_role("link", name=re.compile(r"Kelompok 5"))
    expect(link).to_be_visible()  # open without a click
    assert toc.locator("details").get_attribute("open") is not None
    before = toc.bounding_box()
    body = desktop.locator(".proceedings-body").bounding_box()
    assert before["x"] + before["width"] <= body["x"], "a column beside the text"
    desktop.evaluate("window.scrollTo(0, 4000)")  # (wait_for_function would need eval)
    assert desktop.evaluate("window.scrollY") > 3000
    after = toc.bounding_box()
    assert 0 <= after["y"] < 100, "the column stays in view while the page scrolls"
    expect(link).to_be_in_viewport()
    # A click on its summary does not fold the side column away.
    toc.locator("summary").click()
    expect(link).to_be_visible()
    link.click()
    group_5 = DiscussionGroup.objects.get(number=5)
    desktop.wait_for_url(f"{site}{EVENT_PATH}#{group_5.anchor}")
    expect(desktop.locator(f"#{group_5.anchor} h3")).to_be_in_viewport()


@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_a_permalink_shows_on_focus_with_its_name(request, site, where):
    page = request.getfixturevalue(where)
    page.goto(site + EVENT_PATH)
    conclusion = Conclusion.objects.get(group__number=2, order=3, parent=None)
    permalink = page.locator(f"#{conclusion.anchor} > .conclusion-body > a.permalink")
    expect(permalink).to_have_accessible_name("Tautan ke simpulan 2.3")
    hidden_opacity = permalink.evaluate("e => getComputedStyle(e).opacity")
    if where == "desktop":
        assert hidden_opacity == "0", "quiet until hovered or focused"
    else:
        assert hidden_opacity == "1", "touch screens show it, greyed"
        assert permalink.evaluate("e => getComputedStyle(e).color") == "rgb(92, 102, 112)"
    permalink.focus()
    expect(permalink).to_be_focused()
    assert permalink.evaluate("e => getComputedStyle(e).opacity") == "1"
    assert permalink.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert permalink.get_attribute("href") == conclusion.get_absolute_url()


def test_a_permalink_is_reached_by_tabbing(desktop, site):
    desktop.goto(site + EVENT_PATH)
    # From the focus area's link in group 1's heading, the next stop is its permalink.
    anchor = DiscussionGroup.objects.get(number=1).anchor
    desktop.locator(f"#{anchor}-heading a").first.focus()
    for _ in range(10):
        desktop.keyboard.press("Tab")
        name = desktop.evaluate("document.activeElement.textContent.trim()")
        if name == "Tautan ke kelompok 1":
            break
    else:
        pytest.fail("the group's permalink was not reached by Tab")
    assert desktop.evaluate("getComputedStyle(document.activeElement).opacity") == "1"


def test_copy_link_writes_the_url_and_announces_it(desktop, site):
    desktop.goto(site + EVENT_PATH)
    conclusion = Conclusion.objects.get(group__number=5, order=1, parent=None)
    item = desktop.locator(f"#{conclusion.anchor}")
    button = item.locator("> .conclusion-body > button.copy-link")
    expect(button).to_have_accessible_name("Salin tautan")
    expect(button).to_have_accessible_description("Tautan ke simpulan 5.1")
    item.hover()
    expect(button).to_be_visible()
    button.click()
    status = desktop.locator("#copy-status")
    expect(status).to_have_text("Tautan disalin: Tautan ke simpulan 5.1")
    assert status.get_attribute("role") == "status"
    copied = desktop.evaluate("navigator.clipboard.readText()")
    assert copied == site + conclusion.get_absolute_url()


def test_no_copy_button_without_a_clipboard(chromium, site):
    """Where the page is not a secure context (no clipboard API), no dead buttons."""
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(site + EVENT_PATH)
    assert page.locator("a.permalink").count() > 20
    assert page.locator("button.copy-link").count() == 0
    context.close()


@pytest.mark.parametrize(
    "path", [EVENT_PATH, "/en" + EVENT_PATH, "/", "/focus-areas/2/", "/focus-areas/"]
)
def test_no_sideways_scrolling_on_a_phone(phone, site, path):
    phone.goto(site + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_the_home_introduction_leaves_room_on_the_first_phone_screen(phone, site):
    phone.goto(site + "/")
    intro = phone.locator(".intro").bounding_box()
    assert intro["y"] + intro["height"] < PHONE["height"] * 0.75
    expect(phone.get_by_role("heading", name="Lokakarya terbaru")).to_be_in_viewport()


@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_the_designed_page_has_no_axe_violations(request, site, where):
    page = request.getfixturevalue(where)
    page.goto(site + EVENT_PATH)
    page.locator("nav.toc summary").click()  # with the contents open, too
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(site + "/focus-areas/3/")
    count, report = axe_violations(page)
    assert count == 0, report
