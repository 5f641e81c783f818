"""Live capture in real browsers (issue 13, "Done when").

Five phone-sized contexts, one per group, enter the 26 Sept 2018 groups' conclusions
(group 2 with its sub-points) at the same time, from the fixture's own text, into a
draft copy of that workshop's five groups without conclusions, while a sixth context
shows the plenary screen, which follows by itself. Two phones of group 1 make a
conflicting edit: the conflict is shown with both texts, and nothing is lost. Staff
accept the captured text, an Editor submits the event and a Publisher publishes it;
the public page then shows exactly the captured conclusions. axe-core checks the
rapporteur's page, the conflict page and the plenary screen in both languages.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from capture import services
from capture.models import CaptureLink, LinkKind
from focus_areas.models import Conclusion, DiscussionGroup
from tests.browser.test_admin_workflow import (
    ensure_roles,
    log_in,
    log_out,
    screenshot_on_failure,
    staff_member,
)
from tests.browser.test_public_site import axe_violations
from tests.conftest import WORKSHOP_SLUG
from workshops.models import Event, EventKind, EventStatus, Session, SessionKind

SLUG = "lokakarya-pencatatan-langsung"
TITLE = "Lokakarya Pencatatan Langsung"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
SUBMIT_LABEL = re.compile(r"^\s*(Submit for review|Ajukan untuk (di)?tinjau(an)?)\s*$")
PUBLISH_LABEL = re.compile(r"^\s*(Publish|Terbitkan)\s*$")


def fixture_conclusions():
    """{group number: [(text, [sub-point texts])]} of the 26 Sept 2018 workshop."""
    found = {}
    for group in DiscussionGroup.objects.filter(session__event__slug=WORKSHOP_SLUG):
        found[group.number] = [
            (point.text_ind, [sub.text_ind for sub in point.sub_points])
            for point in group.conclusion_tree()
        ]
    return found


def draft_copy():
    """A draft event of today with the workshop's five groups and no conclusions."""
    workshop = Event.objects.get(slug=WORKSHOP_SLUG)
    event = Event.objects.create(
        programme=workshop.programme, title_ind=TITLE, title_en="Live Capture Workshop",
        slug=SLUG, kind=EventKind.WORKSHOP, start_date=timezone.localdate(),
        status=EventStatus.DRAFT,
    )  # fmt: skip
    session = Session.objects.create(
        event=event, order=1, kind=SessionKind.GROUP_DISCUSSION,
        title_ind="Diskusi kelompok", title_en="Group discussions",
    )  # fmt: skip
    for group in DiscussionGroup.objects.filter(session__event=workshop):
        DiscussionGroup.objects.create(
            session=session, focus_area=group.focus_area, number=group.number
        )
    return event


def phone(chromium, url):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return page


def add(page, text, wait=True):
    page.fill("#id_add_text", text)
    page.get_by_role("button", name="Tambahkan simpulan").click()
    if wait:
        expect(page.locator(".alert-success")).to_be_visible()


def add_sub_point(page, position, text):
    point = page.locator(".capture-points > li.capture-point").nth(position - 1)
    point.locator("a.capture-sub-link").first.click()
    page.locator("form.capture-open-form textarea").fill(text)
    page.get_by_role("button", name="Tambahkan sub-butir").click()
    expect(page.locator(".alert-success")).to_be_visible()


def public_conclusions(page):
    """[(text, [sub-points])] of each group on the public page, by group order."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('section.group')).map(group =>
            Array.from(group.querySelectorAll('ol.conclusions > li')).map(li => [
              li.querySelector(':scope > .conclusion-body').firstChild.textContent.trim(),
              Array.from(li.querySelectorAll('ul.sub-points > li')).map(
                sub => sub.querySelector('.conclusion-body').firstChild.textContent.trim())
            ]))"""
    )


def run_action(page, site, event, label):
    page.goto(site + "/admin/workshops/event/")
    page.locator(f"#result_list input.action-select[value='{event.pk}']").check()
    option = page.locator("select[name=action] option").filter(has_text=label)
    page.select_option("select[name=action]", option.get_attribute("value"))
    with page.expect_navigation():
        page.locator(".actions button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(TITLE)


def enter_concurrently(phones, expected):
    """Round by round, every group's phone submits its next point without waiting for
    the others' pages: the saves of five groups overlap on the server."""
    rounds = max(len(points) for points in expected.values())
    for index in range(rounds):
        for number, page in phones.items():
            if index < len(expected[number]):
                add(page, expected[number][index][0], wait=False)
        for number, page in phones.items():
            if index < len(expected[number]):
                expect(page.locator(".alert-success")).to_be_visible()
                expect(page.locator(".capture-points > li.capture-point")).to_have_count(index + 1)
    for number, page in phones.items():
        for position, (_text, subs) in enumerate(expected[number], 1):
            for sub in subs:
                add_sub_point(page, position, sub)


def conflicting_edit(chromium, phones, url, original):
    """Two phones of group 1 change its first point from the same version."""
    first = phones[1]
    second = phone(chromium, url)
    second.fill("#id_author", "Bayu")
    second.get_by_role("button", name="Simpan nama saya").click()
    for page in (first, second):
        page.locator(".capture-points > li.capture-point").first.locator(
            "a.capture-edit-link"
        ).click()
        expect(page.locator("form.capture-open-form textarea")).to_be_visible()
    edit = "form.capture-open-form textarea"
    first.locator(edit).fill(original + " (versi Ani)")
    first.get_by_role("button", name="Simpan perubahan").click()
    expect(first.locator(".alert-success")).to_be_visible()
    second.locator(edit).fill(original + " (versi Bayu)")
    second.get_by_role("button", name="Simpan perubahan").click()
    expect(second.locator("h1")).to_have_text("Orang lain mengubah butir ini")
    expect(second.locator(".capture-theirs")).to_contain_text(original + " (versi Ani)")
    expect(second.locator(".capture-theirs")).to_contain_text("ditulis oleh Ani")
    expect(second.locator(".capture-mine")).to_contain_text(original + " (versi Bayu)")
    count, report = axe_violations(second)
    assert count == 0, report
    # Bayu chooses: one text, the group's agreed one, instead of Ani's.
    second.locator("#id_mine_text").fill(original)
    second.get_by_role("button", name="Simpan teks ini sebagai ganti teks mereka").click()
    expect(second.locator(".alert-success")).to_be_visible()
    expect(second.locator(".capture-point").first.locator(".capture-meta")).to_contain_text(
        "ditulis oleh Bayu"
    )
    second.context.close()


def accept_and_publish(page, site, event, editor, publisher):
    log_in(page, site, editor.username)
    page.goto(f"{site}/admin/workshops/event/{event.pk}/change/")
    page.get_by_role("link", name="Simpulan tercatat").first.click()
    for number in range(1, 6):
        page.get_by_role(
            "button", name=f"Terima teks kelompok {number} sebagai simpulan acara"
        ).click()
        expect(page.locator(".messagelist .success")).to_be_visible()
    run_action(page, site, event, SUBMIT_LABEL)
    log_out(page, site)
    log_in(page, site, publisher.username)
    run_action(page, site, event, PUBLISH_LABEL)


def test_five_groups_capture_the_plenary_follows_staff_accept_and_publish(
    chromium, site, django_user_model
):
    ensure_roles()
    editor = staff_member(django_user_model, "editor", "Editor")
    publisher = staff_member(django_user_model, "publisher", "Publisher")
    expected = fixture_conclusions()
    assert len(expected) == 5 and any(subs for _t, subs in expected[2])
    event = draft_copy()
    services.issue_links(event=event, user=editor, expires_at=services.default_expiry(event))
    links = {
        link.group.number: link
        for link in CaptureLink.objects.filter(event=event, kind=LinkKind.RAPPORTEUR)
    }
    plenary_link = CaptureLink.objects.get(event=event, kind=LinkKind.PLENARY)

    screen = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    plenary = screen.new_page()
    plenary.goto(site + plenary_link.get_absolute_url())
    plenary.evaluate("() => { window.notReloaded = true; }")
    phones = {n: phone(chromium, site + links[n].get_absolute_url()) for n in sorted(links)}
    with screenshot_on_failure(plenary, "capture-plenary"):
        for number, page in phones.items():
            page.fill("#id_author", ["Ani", "Budi", "Citra", "Dewi", "Eka"][number - 1])
            page.get_by_role("button", name="Simpan nama saya").click()
            expect(page.locator(".alert-success")).to_be_visible()
        enter_concurrently(phones, expected)
        for number, points in expected.items():
            group = plenary.locator(".plenary-group").nth(number - 1)
            for text, subs in points:
                expect(group).to_contain_text(text, timeout=10_000)
                for sub in subs:
                    expect(group).to_contain_text(sub, timeout=10_000)
        assert plenary.evaluate("() => window.notReloaded === true")
        conflicting_edit(chromium, phones, site + links[1].get_absolute_url(), expected[1][0][0])
    for page in phones.values():
        page.context.close()
    screen.close()

    staff = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = staff.new_page()
    page.set_default_timeout(15_000)
    with screenshot_on_failure(page, "capture-staff"):
        accept_and_publish(page, site, event, editor, publisher)
        page.goto(f"{site}/events/{SLUG}/")
        shown = public_conclusions(page)
    staff.close()
    assert shown == [[[text, subs] for text, subs in expected[n]] for n in range(1, 6)]
    assert Conclusion.objects.filter(group__session__event=event).count() == 20
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_a_draft_survives_a_closed_tab_and_points_drag_into_order(chromium, site):
    event = draft_copy_minimal()
    services.issue_links(event=event, user=None, expires_at=services.default_expiry(event))
    link = CaptureLink.objects.filter(event=event, kind=LinkKind.RAPPORTEUR).first()
    page = phone(chromium, site + link.get_absolute_url())
    with screenshot_on_failure(page, "capture-draft"):
        page.fill("#id_author", "Ani")
        page.get_by_role("button", name="Simpan nama saya").click()
        add(page, "Pertama")
        add(page, "Kedua")
        page.fill("#id_add_text", "Teks yang belum disimpan")
        page.wait_for_timeout(3500)  # the draft is kept every 3 seconds
        context = page.context
        page.close()  # the tab is closed before saving
        page = context.new_page()
        page.goto(site + link.get_absolute_url())
        expect(page.locator("#id_add_text")).to_have_value("Teks yang belum disimpan")
        expect(page.locator(".capture-draft-note")).to_be_visible()
        add(page, page.locator("#id_add_text").input_value())
        page.reload()
        expect(page.locator("#id_add_text")).to_have_value("")  # saved: the draft is gone
        items = page.locator(".capture-points > li.capture-point")
        items.nth(2).locator(".drag-handle").hover()
        page.mouse.down()
        items.nth(2).drag_to(items.nth(0))
        expect(items.first.locator(".capture-text")).to_have_text("Teks yang belum disimpan")
    page.context.close()


def draft_copy_minimal():
    from tests.capture_helpers import draft_event

    return draft_event(areas=1)


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["id", "en"])
def test_capture_pages_have_no_axe_violations(chromium, site, prefix):
    from tests.capture_helpers import draft_event

    event = draft_event(areas=2)
    services.issue_links(event=event, user=None, expires_at=services.default_expiry(event))
    link = CaptureLink.objects.filter(event=event, kind=LinkKind.RAPPORTEUR).first()
    sheet = link.group.capture_sheet
    point = services.add_point(sheet=sheet, text="Perlu payung hukum", author="Ani")
    services.add_point(sheet=sheet, text="Peran BPBD", author="Ani", parent_id=point.pk)
    removed = services.add_point(sheet=sheet, text="Dihapus", author="Ani")
    services.remove_point(sheet=sheet, point_id=removed.pk, author="Ani", base_version=1)
    plenary = CaptureLink.objects.get(event=event, kind=LinkKind.PLENARY)
    page = phone(chromium, site + prefix + link.get_absolute_url())
    for url in [link.get_absolute_url(), plenary.get_absolute_url()]:
        response = page.goto(site + prefix + url)
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == ("en" if prefix else "id")
        assert page.locator("h1").count() == 1
        count, report = axe_violations(page)
        assert count == 0, report
    # An error next to its field is accessible too.
    page.goto(site + prefix + link.get_absolute_url())
    page.locator("#id_add_text").fill(" ")
    page.locator(".capture-add button[type=submit]").click()
    expect(page.locator("#id_add_text_error")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    page.context.close()
