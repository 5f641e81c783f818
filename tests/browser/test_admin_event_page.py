"""The event's admin page as a secretary uses it, in a real browser (issue 10, items 2, 3
and 7): it fits 1,280 px, one language at a time with a count of missing English,
sessions one line each (their speakers and groups on each session's page), up/down beside the drag handles, a warning before
leaving a changed form, the preview for an unpublished event, lists in the preview."""

import re

from playwright.sync_api import expect

from focus_areas.models import DiscussionGroup
from tests.browser.test_admin_workflow import (
    ensure_roles,
    log_in,
    save_and_continue,
    screenshot_on_failure,
    staff_member,
)
from workshops.models import Event, EventStatus

WORKSHOP_SLUG = "lokakarya-perdana-program-prioritas-2018-09-26"


def no_sideways_scroll(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def open_as_publisher(page, site, django_user_model):
    ensure_roles()
    staff_member(django_user_model, "publisher", "Publisher")
    event = Event.objects.get(slug=WORKSHOP_SLUG)
    log_in(page, site, "publisher")
    page.goto(f"{site}/admin/workshops/event/{event.pk}/change/")
    return event


def test_the_event_page_fits_and_shows_one_language_at_a_time(page, site, django_user_model):
    event = open_as_publisher(page, site, django_user_model)
    with screenshot_on_failure(page, "page-fits"):
        no_sideways_scroll(page)
        # Indonesian first; English behind the switch.
        expect(page.locator("#id_title_ind")).to_be_visible()
        expect(page.locator("#id_title_en")).to_be_hidden()
        missing = page.locator(".jk-missing")
        expect(missing).to_have_text("Belum ada bahasa Inggris: 0 isian")
        page.locator(".jk-lang-button[data-lang=en]").click()
        expect(page.locator("#id_title_en")).to_be_visible()
        expect(page.locator("#id_title_ind")).to_be_hidden()
        page.fill("#id_title_en", "")
        page.fill("#id_subtitle_en", "")
        expect(missing).to_have_text("Belum ada bahasa Inggris: 2 isian")
        page.locator(".jk-lang-button[data-lang=ind]").click()
        expect(page.locator("#id_title_ind")).to_be_visible()

    with screenshot_on_failure(page, "page-session-lines"):
        # Sessions one line each, with what they hold and the way to their own page.
        sessions = page.locator(
            "#sessions-group > fieldset > .djn-items > .djn-item:not(.djn-no-drag)"
        )
        expect(sessions).to_have_count(3)
        third = sessions.nth(2)
        expect(third.locator(".field-parts")).to_contain_text(
            "0 pembicara · 5 kelompok · 18 simpulan"  # (and two sub-points)
        )
        expect(page.locator("[name$='-text_ind']")).to_have_count(0)  # no conclusion here
        # Each session folds to that line; a button opens it.
        description = third.locator("[name$='-description_ind']")
        expect(third).to_have_class(re.compile("jk-folded"))
        expect(description).to_be_hidden()
        expect(third.locator(".field-parts")).to_be_visible()
        fold = third.locator(".jk-fold")
        expect(fold).to_have_attribute("aria-expanded", "false")
        fold.click()
        expect(description).to_be_visible()
        expect(fold).to_have_attribute("aria-expanded", "true")
        expect(fold).to_have_text("Lipat")
        with page.expect_navigation():
            third.locator("a.jk-session-link").click()
    with screenshot_on_failure(page, "page-session"):
        # The session's page: its groups and conclusions, one language at a time too.
        expect(page.locator(".breadcrumbs a").last).to_have_text(re.compile("Lokakarya Perdana"))
        expect(page.locator("[name$='-conclusions-0-text_ind']").first).to_be_visible()
        expect(page.locator("[name$='-conclusions-0-text_en']").first).to_be_hidden()
        expect(page.locator(".jk-missing")).to_be_visible()
        no_sideways_scroll(page)
    for part in ("shocks", "photos"):
        page.goto(f"{site}/admin/workshops/event/{event.pk}/change/?part={part}")
        with screenshot_on_failure(page, f"page-{part}"):
            expect(page.locator(".jk-parts a[aria-current=page]")).to_have_count(1)
            no_sideways_scroll(page)
    assert event.status == EventStatus.PUBLISHED


def test_up_and_down_buttons_reorder_without_numbers(page, site, django_user_model):
    event = open_as_publisher(page, site, django_user_model)
    group = DiscussionGroup.objects.get(session__event=event, number=1)
    before = list(
        group.conclusions.filter(parent=None).order_by("order").values_list("pk", flat=True)
    )
    page.goto(f"{site}/admin/workshops/event/{event.pk}/change/?part=session-{group.session_id}")
    with screenshot_on_failure(page, "page-up-down"):
        expect(page.locator("input[name$='-order']:visible")).to_have_count(0)
        first = page.locator("#sessions-0-groups-0-conclusions-0")
        first.locator("> h3 .jk-move[data-direction='1']").click()
        items = page.locator(
            "#sessions-0-groups-0-conclusions-group > fieldset > .djn-items > .djn-item:not(.djn-no-drag)"
        )
        expect(items.nth(1)).to_have_id("sessions-0-groups-0-conclusions-0")
        save_and_continue(page)
    after = list(
        group.conclusions.filter(parent=None).order_by("order").values_list("pk", flat=True)
    )
    assert after == [before[1], before[0], *before[2:]]


def test_the_group_page_moves_conclusions_with_the_same_buttons(page, site, django_user_model):
    """The discussion group's own page shows its conclusions as the event page's rows:
    no position to type, the up/down buttons move a row, the numbers stay."""
    event = open_as_publisher(page, site, django_user_model)
    group = DiscussionGroup.objects.get(session__event=event, number=2)
    points = group.conclusions.filter(parent=None).order_by("order")
    before = list(points.values_list("pk", "number"))
    page.goto(f"{site}/admin/focus_areas/discussiongroup/{group.pk}/change/")
    with screenshot_on_failure(page, "group-page-up-down"):
        expect(page.locator("input[name$='-order']:visible")).to_have_count(0)
        expect(page.locator("#conclusions-0 > h3 .jk-handle")).to_be_visible()
        page.locator("#conclusions-1 > h3 .jk-move[data-direction='-1']").click()
        items = page.locator(
            "#conclusions-group > fieldset > .djn-items > .djn-item:not(.djn-no-drag)"
        )
        expect(items.nth(0)).to_have_id("conclusions-1")
        save_and_continue(page)
    assert list(points.values_list("pk", "number")) == [before[1], before[0], *before[2:]]


def test_leaving_a_changed_form_asks_first(page, site, django_user_model):
    open_as_publisher(page, site, django_user_model)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator("#id_title_ind").press_sequentially(" (diubah)")
    page.locator("#id_title_ind").press("Tab")
    page.evaluate("() => { window.location.href = '/admin/'; }")
    page.wait_for_timeout(1000)
    assert dialogs == ["beforeunload"]
    expect(page.locator("#id_title_ind")).to_have_value(re.compile(r"\(diubah\)"))


def test_an_unpublished_event_is_viewed_in_the_preview_with_its_lists(
    page, site, django_user_model
):
    ensure_roles()
    staff_member(django_user_model, "publisher", "Publisher")
    event = Event.objects.exclude(slug=WORKSHOP_SLUG).first()
    Event.objects.filter(pk=event.pk).update(
        status=EventStatus.DRAFT, summary_ind="Hasilnya:\n\n- satu\n- dua"
    )
    log_in(page, site, "publisher")
    page.goto(f"{site}/admin/workshops/event/{event.pk}/change/")
    with screenshot_on_failure(page, "page-preview"):
        view = page.locator(".object-tools a.viewsitelink")
        expect(view).to_have_attribute(
            "href", re.compile(rf"/admin/workshops/event/{event.pk}/preview/")
        )
        item = page.locator(".field-summary_preview .markdown-preview li").first
        expect(item).to_have_text("satu")
        assert item.evaluate("li => getComputedStyle(li).listStyleType") == "disc"
        response = page.goto(site + view.get_attribute("href"))
        assert response.status == 200
