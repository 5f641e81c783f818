"""No lost input, in a real browser (issue 10, item 1): every path on which the admin
refuses an Editor shows why in one Indonesian line, and a refused save keeps what
was typed."""

import re

from playwright.sync_api import expect

from tests.browser.test_admin_workflow import (
    PASSWORD,
    autocomplete,
    ensure_roles,
    log_in,
    screenshot_on_failure,
    staff_member,
)
from workshops.editorial.workflow import mark_event_changed
from workshops.models import Event, EventStatus, Session

WORKSHOP_SLUG = "lokakarya-perdana-program-prioritas-2018-09-26"
REASON = re.compile("hanya Penerbit yang dapat mengubahnya")
EDITABLE = (
    "#content-main form textarea:visible, #content-main form select:visible, "
    "#content-main form input:visible:not([type=hidden])"
)

assert PASSWORD  # (the helpers log in with it)


def expect_read_only(page):
    expect(page.locator(".jakres-refusal")).to_have_text(REASON)
    expect(page.locator(EDITABLE)).to_have_count(0)
    expect(page.locator("input[name=_save], input[name=_continue]")).to_have_count(0)
    expect(page.locator(".djn-add-handler")).to_have_count(0)


def save(page):
    with page.expect_navigation():
        page.locator("input[name=_save]").click()


def refusals_on_session_pages(page, site, published, draft, session):
    """Steps 2b and 2c: a session's page (its speakers and groups) refuses like the
    event's, and keeps what was typed."""
    # 2b. A session's page of the published event (its speakers and groups): the same.
    with screenshot_on_failure(page, "refusal-session-part"):
        page.goto(f"{site}/admin/workshops/event/{published.pk}/change/?part=session-{session.pk}")
        expect_read_only(page)
        expect(page.locator("input[name=_next_session]")).to_have_count(0)

    # 2c. A draft's session page, the event published while the Editor types there.
    with screenshot_on_failure(page, "refusal-session-published-meanwhile"):
        draft_session = draft.sessions.first() or Session.objects.create(
            event=draft, order=1, kind="plenary", title_ind="Sesi draf"
        )
        page.goto(
            f"{site}/admin/workshops/event/{draft.pk}/change/?part=session-{draft_session.pk}"
        )
        page.fill("[name='sessions-0-title_ind']", "Sesi yang diketik sebelum terbit")
        Event.objects.filter(pk=draft.pk).update(status=EventStatus.PUBLISHED)
        save(page)
        expect(page.locator("#event_form .errorlist.nonfield")).to_have_text(REASON)
        expect(page.locator("[name='sessions-0-title_ind']")).to_have_value(
            "Sesi yang diketik sebelum terbit"
        )
    Event.objects.filter(pk=draft.pk).update(status=EventStatus.DRAFT)
    assert not Session.objects.filter(title_ind="Sesi yang diketik sebelum terbit").exists()


def test_editor_meets_every_refusal_without_losing_a_keystroke(page, site, django_user_model):
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    published = Event.objects.get(slug=WORKSHOP_SLUG)
    draft = Event.objects.exclude(pk=published.pk).first()
    Event.objects.filter(pk=draft.pk).update(status=EventStatus.DRAFT)
    log_in(page, site, "editor")

    # 1. A published event: read-only, with the reason, no inputs, no save buttons.
    with screenshot_on_failure(page, "refusal-read-only"):
        page.goto(f"{site}/admin/workshops/event/{published.pk}/change/")
        expect_read_only(page)

    # 2. A part of it on its own page: the same.
    with screenshot_on_failure(page, "refusal-part"):
        session = published.sessions.first()
        page.goto(f"{site}/admin/workshops/session/{session.pk}/change/")
        expect_read_only(page)

    refusals_on_session_pages(page, site, published, draft, session)

    # 3. A draft published while the Editor types: the save comes back with the text.
    with screenshot_on_failure(page, "refusal-published-meanwhile"):
        page.goto(f"{site}/admin/workshops/event/{draft.pk}/change/")
        page.fill("#id_title_ind", "Judul yang diketik sebelum terbit")
        Event.objects.filter(pk=draft.pk).update(status=EventStatus.PUBLISHED)
        save(page)
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator("#event_form .errorlist.nonfield")).to_have_text(REASON)
        expect(page.locator("#id_title_ind")).to_have_value("Judul yang diketik sebelum terbit")
    Event.objects.filter(pk=draft.pk).update(status=EventStatus.DRAFT)
    assert Event.objects.get(pk=draft.pk).title_ind != "Judul yang diketik sebelum terbit"

    # 4. Someone else saved the event meanwhile: refused, and the text stays.
    with screenshot_on_failure(page, "refusal-stale"):
        page.goto(f"{site}/admin/workshops/event/{draft.pk}/change/")
        page.fill("#id_title_ind", "Judul dari form yang basi")
        mark_event_changed(draft.pk)
        save(page)
        expect(page.locator("#event_form .errorlist.nonfield")).to_contain_text(
            re.compile("Orang lain menyimpan|Someone else saved")
        )
        expect(page.locator("#id_title_ind")).to_have_value("Judul dari form yang basi")

    # 5. A new session put into the published event: the reason next to the event.
    with screenshot_on_failure(page, "refusal-part-into-published"):
        page.goto(f"{site}/admin/workshops/session/add/")
        autocomplete(page, "event", "Perdana", "Lokakarya Perdana")
        expect(page.locator("#id_order")).to_have_count(0)  # no position to type
        page.select_option("#id_kind", "plenary")
        page.fill("#id_title_ind", "Sesi yang diketik editor")
        save(page)
        expect(page.locator(".field-event .errorlist")).to_have_text(REASON)
        expect(page.locator("#id_title_ind")).to_have_value("Sesi yang diketik editor")
    assert not Session.objects.filter(title_ind="Sesi yang diketik editor").exists()

    refusal_to_delete(page, site, draft)


def refusal_to_delete(page, site, draft):
    """Step 6."""
    # 6. Deleting (a Publisher's right): a page in Indonesian, not a bare 403.
    with screenshot_on_failure(page, "refusal-delete"):
        response = page.goto(f"{site}/admin/workshops/event/{draft.pk}/delete/")
        assert response.status == 403
        expect(page.locator("h1")).to_have_text("Tidak diizinkan")
        expect(page.locator("body")).not_to_contain_text("403 Forbidden")
