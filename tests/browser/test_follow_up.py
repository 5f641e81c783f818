"""The follow-up in a real browser (issue 12): an Editor links two 26 Sept conclusions
to plan items and adds a status update, a Publisher publishes them, and an anonymous
reader finds the trail from the proceedings page in at most two clicks. And the new
pages have no axe-core violations, in both languages."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from focus_areas.models import Conclusion
from follow_up.models import Link, PlanItem, StatusUpdate
from tests.browser.test_admin_workflow import (
    SUCCESS,
    action_value,
    autocomplete,
    ensure_roles,
    log_in,
    log_out,
    screenshot_on_failure,
    staff_member,
)
from tests.browser.test_public_site import axe_violations
from tests.conftest import WORKSHOP_SLUG

EVENT_PATH = f"/events/{WORKSHOP_SLUG}/"
PLAN = "strategi-ketahanan-kota-jakarta-2019"
SUBMIT_LABEL = re.compile(r"^\s*(Submit for review|Ajukan untuk (di)?tinjau(an)?)\s*$")
PUBLISH_LABEL = re.compile(r"^\s*(Publish|Terbitkan)\s*$")


def link_from_conclusion_page(page, site, conclusion, search, item_label, note):
    """From the conclusion's admin page: "Taken up in a plan item", find the item in
    the search box, date, note, source; save."""
    page.goto(f"{site}/admin/focus_areas/conclusion/{conclusion.pk}/change/")
    page.get_by_role(
        "link", name=re.compile("Diambil dalam butir rencana|Taken up in a plan item")
    ).click()
    page.wait_for_url(re.compile(r"/admin/follow_up/link/add/"))
    autocomplete(page, "plan_item", search, item_label)
    page.fill("#id_date", "2019-06-01")
    page.fill("#id_note_ind", note)
    page.fill("#id_source_url", "https://www.100resilientcities.org/strategies/jakarta/")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(SUCCESS)).to_be_visible()


def add_status_update(page, site, item):
    page.goto(f"{site}/admin/follow_up/planitem/{item.pk}/change/")
    page.get_by_role(
        "link", name=re.compile("Tambahkan pembaruan status|Add a status update")
    ).click()
    page.fill("#id_date", "2026-10-01")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent", "20")
    page.fill("#id_note_ind", "Sedang disusun.")
    page.fill("#id_evidence_url", "https://example.org/bukti")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(SUCCESS)).to_be_visible()


def run_on_all(page, site, model, label):
    page.goto(f"{site}/admin/follow_up/{model}/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", action_value(page, label))
    with page.expect_navigation():
        page.locator(".actions button[name=index]").click()
    expect(page.locator(SUCCESS).first).to_be_visible()


def test_editor_links_publisher_publishes_reader_finds_the_trail(page, site, django_user_model):
    ensure_roles()
    call_command("loaddata", "follow_up_strategy", verbosity=0)
    staff_member(django_user_model, "editor", "Editor")
    staff_member(django_user_model, "publisher", "Publisher")
    first, second = Conclusion.objects.filter(group__number=2, parent=None).order_by("order")[:2]
    siap = PlanItem.objects.get(plan__slug=PLAN, code="1")

    log_in(page, site, "editor")
    with screenshot_on_failure(page, "follow-up-editor"):
        link_from_conclusion_page(
            page, site, first, "Siap", "Jakarta yang Siap (Strategi", "Masuk pilar Siap."
        )
        link_from_conclusion_page(
            page, site, second, "2", "Jakarta yang Sehat (Strategi", "Masuk pilar Sehat."
        )
        add_status_update(page, site, siap)
        run_on_all(page, site, "link", SUBMIT_LABEL)
        run_on_all(page, site, "statusupdate", SUBMIT_LABEL)
    assert set(Link.objects.values_list("state", flat=True)) == {"review"}
    assert StatusUpdate.objects.get().entered_by.username == "editor"

    with screenshot_on_failure(page, "follow-up-publisher"):
        log_out(page, site)
        log_in(page, site, "publisher")
        run_on_all(page, site, "link", PUBLISH_LABEL)
        run_on_all(page, site, "statusupdate", PUBLISH_LABEL)
    assert set(Link.objects.values_list("state", flat=True)) == {"published"}
    log_out(page, site)

    # The anonymous reader: the proceedings page, one click on "Tindak lanjut".
    with screenshot_on_failure(page, "follow-up-reader"):
        page.goto(site + EVENT_PATH)
        page.locator(f"#{first.anchor} a.trail-link").click()
        page.wait_for_url(re.compile(rf"/conclusions/{first.ref}/#tindak-lanjut$"))
        trail = page.locator("#tindak-lanjut")
        expect(trail).to_contain_text("Jakarta yang Siap")
        expect(trail).to_contain_text("Sedang berjalan (20%)")
        expect(trail).to_contain_text("Masuk pilar Siap.")
        page.get_by_role("link", name=re.compile("Jakarta yang Siap")).click()
        expect(page.locator("main")).to_contain_text(first.text_ind[:40])


PAGES = {
    "conclusion": None,  # filled in: the linked conclusion's page
    "follow-up list": "/follow-up/",
    "filtered follow-up list": "/follow-up/?status=nonsense",
    "plan": f"/follow-up/plans/{PLAN}/",
    "plan item": f"/follow-up/plans/{PLAN}/1/",
    "focus area with chart": "/focus-areas/2/",
}


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["id", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_follow_up_pages_have_no_axe_violations(page, site, name, prefix):
    call_command("loaddata", "follow_up_strategy", verbosity=0)
    conclusion = Conclusion.objects.filter(group__number=2, parent=None).first()
    item = PlanItem.objects.get(plan__slug=PLAN, code="1")
    Link.objects.create(conclusion=conclusion, kind="taken_up", plan_item=item, state="published",
                        date=datetime.date(2019, 6, 1), note_ind="Catatan.")  # fmt: skip
    StatusUpdate.objects.create(item=item, status="in_progress", percent=20, state="published",
                                date=datetime.date(2026, 10, 1), evidence_url="https://example.org/b")  # fmt: skip
    path = PAGES[name] or conclusion.get_absolute_url()
    response = page.goto(site + prefix + path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    count, report = axe_violations(page)
    assert count == 0, report
