"""Duplicate people, in a real browser (issue 10, item 5): an Editor who adds a person
whose name is a variant of one already in the list sees that person listed, and the
choice takes the existing person instead of creating a second one."""

import re

from playwright.sync_api import expect

from tests.browser.test_admin_workflow import (
    ensure_roles,
    log_in,
    save_and_continue,
    screenshot_on_failure,
    staff_member,
)
from workshops.models import Appearance, Event, EventStatus, Person

WORKSHOP_SLUG = "lokakarya-perdana-program-prioritas-2018-09-26"
EXISTING = "Oswar M. Mungkasa"  # in the fixture
VARIANT = "Oswar Muadzin Mungkasa"
SPEAKERS = "sessions-0-appearances"


def mungkasas():
    return list(Person.objects.filter(name__icontains="Mungkasa").values_list("pk", flat=True))


def type_the_variant_and_save(window):
    window.locator("#id_name").press_sequentially(VARIANT)
    expect(window.locator("#id_slug")).to_have_value("oswar-muadzin-mungkasa")
    window.locator("input[name=_save]").click()
    listed = window.locator(".jk-similar")
    expect(listed).to_contain_text("Sudah ada di daftar:")
    expect(listed.locator("li")).to_have_count(1)
    expect(listed.locator("li")).to_contain_text(EXISTING)
    expect(window.locator(".errornote, .errorlist")).not_to_have_count(0)  # not saved
    return listed


def test_a_speakers_new_person_window_offers_the_person_already_there(
    page, site, django_user_model
):
    """From a session's speakers: "add" beside the person opens the new-person window;
    the variant brings up the person already in the list, "use this person" closes the
    window and the speaker's field takes that person; saved, no second person."""
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    event = Event.objects.get(slug=WORKSHOP_SLUG)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)
    session = max(event.sessions.all(), key=lambda s: s.appearances.count())
    existing = Person.objects.get(name=EXISTING)
    before = mungkasas()
    assert before == [existing.pk]
    speakers = session.appearances.count()
    log_in(page, site, "editor")

    with screenshot_on_failure(page, "people-near-match-popup"):
        page.goto(f"{site}/admin/workshops/event/{event.pk}/change/?part=session-{session.pk}")
        page.locator(f"#{SPEAKERS}-group > fieldset > .djn-add-item > a.djn-add-handler").click()
        page.select_option(f"[name='{SPEAKERS}-{speakers}-role']", "resource_person")
        with page.expect_popup() as opened:
            page.locator(f"#add_id_{SPEAKERS}-{speakers}-person").click()
        window = opened.value
        window.wait_for_load_state()
        listed = type_the_variant_and_save(window)
        use = listed.get_by_role("link", name="gunakan orang ini")
        with window.expect_event("close"):
            use.click()
        expect(page.locator(f"#select2-id_{SPEAKERS}-{speakers}-person-container")).to_have_text(
            re.compile(re.escape(EXISTING))
        )
        expect(page.locator(f"[name='{SPEAKERS}-{speakers}-person']")).to_have_value(
            str(existing.pk)
        )
        save_and_continue(page)

    assert mungkasas() == before  # no second person
    added = Appearance.objects.get(session=session, role="resource_person", person=existing)
    assert added.person.name == EXISTING
    assert session.appearances.count() == speakers + 1


def test_the_people_list_add_page_leads_to_the_person_already_there(page, site, django_user_model):
    """On the people list's own add page the choice opens the person already there."""
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    existing = Person.objects.get(name=EXISTING)
    before = mungkasas()
    log_in(page, site, "editor")

    with screenshot_on_failure(page, "people-near-match-page"):
        page.goto(f"{site}/admin/workshops/person/add/")
        listed = type_the_variant_and_save(page)
        with page.expect_navigation():
            listed.get_by_role("link", name="buka orang ini").click()
        assert page.url == f"{site}/admin/workshops/person/{existing.pk}/change/"
        expect(page.locator("#id_name")).to_have_value(EXISTING)

    assert mungkasas() == before  # no second person
