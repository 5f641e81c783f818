"""Measure it (issue 10): an Editor enters a complete event like the fixture's through
the admin only, in Chromium at 1,280 px (the event with its sessions and documents on
its page, then each session's speakers and groups on the session's page), and the page loads, form submissions and
elapsed time are recorded (printed; `pytest -s` shows them; figures in the README).

The event: three sessions (a presentation, a panel with speakers and a moderator, a
group discussion), five groups each with conclusions and a sub-point, two documents;
then it is submitted for review. The people and focus areas are already on the
server, as they are for every event after the first. Goal: at most 8 page loads, and
no page wider than the window.
"""

import time

from playwright.sync_api import expect

from focus_areas.models import Conclusion, DiscussionGroup
from tests.browser.test_admin_workflow import (
    SUBMIT_LABEL,
    action_value,
    add_inline,
    autocomplete,
    ensure_roles,
    log_in,
    screenshot_on_failure,
    staff_member,
)
from workshops.models import Appearance, Document, Event, EventStatus

TITLE = "Lokakarya Ukur Entri Admin"
SLUG = "lokakarya-ukur-entri-admin-2019-05-08"
MAX_PAGE_LOADS = 8
SPEAKERS = [  # (session, role, search term, name)
    (0, "presenter", "Oswar", "Oswar M. Mungkasa"),
    (1, "panelist", "Virg", "Tri Dewi Virgiyanti"),
    (1, "panelist", "Sarosa", "Wicaksono Sarosa"),
    (1, "moderator", "Herland", "Dede Herland"),
]
AREAS = ["kapasitas", "siap siaga", "air bersih", "mobilitas", "kohesi"]


class Meter:
    """Counts the main frame's page loads and the forms the user submits."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.submissions = 0
        self.widest = 0
        page.on("load", self._loaded)
        page.on("request", self._requested)

    def _loaded(self, page):
        self.loads += 1
        width = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        self.widest = max(self.widest, width)

    def _requested(self, request):
        if request.method == "POST" and request.resource_type == "document":
            self.submissions += 1


def event_fields(page):
    page.locator("#id_title_ind").press_sequentially(TITLE)
    page.fill("#id_start_date", "2019-05-08")
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.select_option("#id_kind", "workshop")
    page.fill("#id_venue_ind", "Balai Kota Jakarta")
    page.fill("#id_topic_ind", "Program prioritas")
    page.fill("#id_summary_ind", "Lokakarya ini membahas program prioritas.")
    page.fill("#id_participant_count", "120")


def sessions(page):
    for index, (kind, title) in enumerate(
        [
            ("presentation", "Pemaparan Sekretariat"),
            ("panel", "Diskusi panel"),
            ("group_discussion", "Diskusi kelompok"),
        ]
    ):
        add_inline(page, "sessions-group")
        page.select_option(f"[name='sessions-{index}-kind']", kind)
        page.fill(f"[name='sessions-{index}-title_ind']", title)


def speakers(page, session):
    """On a session's page (its one form is sessions-0): its speakers."""
    for number, (_, role, term, name) in enumerate(s for s in SPEAKERS if s[0] == session):
        prefix = "sessions-0-appearances"
        add_inline(page, f"{prefix}-group")
        page.select_option(f"[name='{prefix}-{number}-role']", role)
        autocomplete(page, f"{prefix}-{number}-person", term, name)


def groups(page):
    for number, term in enumerate(AREAS):
        prefix = f"sessions-0-groups-{number}"
        add_inline(page, "sessions-0-groups-group")
        autocomplete(page, f"{prefix}-focus_area", term, term)
        for point in range(2):
            add_inline(page, f"{prefix}-conclusions-group")
            page.fill(
                f"[name='{prefix}-conclusions-{point}-text_ind']",
                f"Simpulan {point + 1} kelompok {number + 1}",
            )
        add_inline(page, f"{prefix}-conclusions-0-children-group")
        page.fill(f"[name='{prefix}-conclusions-0-children-0-text_ind']", "Subpoin pertama")


def save_with(page, button):
    with page.expect_navigation():
        page.locator(f"input[name={button}]").click()
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".messagelist .success")).to_be_visible()


def documents(page):
    for number, (title, url) in enumerate(
        [
            ("Bahan paparan", "https://example.org/paparan.pdf"),
            ("Prosiding", "https://example.org/prosiding"),
        ]
    ):
        add_inline(page, "documents-group")
        page.select_option(
            f"[name='documents-{number}-kind']", "slides" if number == 0 else "proceedings"
        )
        page.fill(f"[name='documents-{number}-title_ind']", title)
        page.fill(f"[name='documents-{number}-url']", url)


def test_editor_enters_a_whole_event_in_at_most_eight_page_loads(page, site, django_user_model):
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    log_in(page, site, "editor")
    meter = Meter(page)
    started = time.monotonic()
    with screenshot_on_failure(page, "measure-entry"):
        page.goto(site + "/admin/workshops/event/add/")
        event_fields(page)
        sessions(page)
        documents(page)
        save_with(page, "_continue")
        # Each session's speakers and groups on its own page, one after the other.
        with page.expect_navigation():
            page.locator("#sessions-0 a.jk-session-link").click()
        speakers(page, 0)
        save_with(page, "_next_session")
        speakers(page, 1)
        save_with(page, "_next_session")
        groups(page)
        save_with(page, "_save")  # back to the event's page
        event = Event.objects.get(slug=SLUG)
        page.goto(site + "/admin/workshops/event/")
        page.locator(f"#result_list input.action-select[value='{event.pk}']").check()
        page.select_option("select[name=action]", action_value(page, SUBMIT_LABEL))
        with page.expect_navigation():
            page.locator(".actions button[name=index]").click()
        expect(page.locator(".messagelist .success")).to_contain_text(TITLE)
    elapsed = time.monotonic() - started
    print(  # the figures the README states
        f"\nmeasure-entry: {meter.loads} page loads, {meter.submissions} form submissions, "
        f"{elapsed:.1f} s, widest overflow {meter.widest} px"
    )
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEW
    assert event.sessions.count() == 3
    assert Appearance.objects.filter(session__event=event).count() == len(SPEAKERS)
    assert DiscussionGroup.objects.filter(session__event=event).count() == 5
    assert Conclusion.objects.filter(group__session__event=event, parent=None).count() == 10
    assert Conclusion.objects.filter(group__session__event=event, parent__isnull=False).count() == 5
    assert Document.objects.filter(event=event).count() == 2
    assert meter.loads <= MAX_PAGE_LOADS
    assert meter.widest <= 0, "no page wider than the window"
