"""The secretariat's admin in a real browser, end to end.

An Editor enters a small workshop on one page (nested inlines, select2
autocompletes, the slug filled in by the admin's prepopulate script), drags its two
conclusions into a new order, and submits it for review; a Publisher publishes it;
the public page then shows it in the new order. And an Editor can neither see nor
fake the "Publish" action.

The project's own action labels may not be translated yet, so they are matched in
both languages; Django's own strings are matched as the Indonesian admin renders
them (login "Masuk", run-action button "Buka", log out "Keluar" — not guessed).
"""

import importlib
import re
from contextlib import contextmanager, suppress
from datetime import date

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from focus_areas.models import Conclusion, DiscussionGroup
from workshops.models import Appearance, Event, EventStatus, Person, Programme

PASSWORD = "kata-sandi-uji-123"
TITLE = "Lokakarya Uji Alur Admin"
SLUG = "lokakarya-uji-alur-admin-2019-03-14"  # from the title and the date (issue 10)
CONCLUSIONS = "sessions-0-groups-0-conclusions"

SUBMIT_LABEL = re.compile(r"^\s*(Submit for review|Ajukan untuk (di)?tinjau(an)?)\s*$")
PUBLISH_LABEL = re.compile(r"^\s*(Publish|Terbitkan)\s*$")
SUCCESS = ".messagelist .success"


# --- Set-up through the ORM -----------------------------------------------------


def ensure_roles():
    """The Editor/Publisher/Administrator groups, as the data migration makes them.

    Transactional tests flush every table afterwards, so rows made by data
    migrations are gone for every browser test but the first. The migration's own
    function is re-run here against the migration state's app registry (not the
    global one: it toggles `models_module` on the app configs it is given). It uses
    get_or_create and permissions.set(), so running it when the groups exist is a
    no-op — the same groups and permissions every time, whatever ran before.
    """
    roles = importlib.import_module("workshops.migrations.0003_roles")
    state = MigrationLoader(connection).project_state(("workshops", "0003_roles"))
    roles.create_roles(state.apps, None)


def staff_member(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


# --- Browser helpers --------------------------------------------------------------


@contextmanager
def screenshot_on_failure(page, name):
    try:
        yield
    except BaseException:
        # The page may be gone; the original error matters more than the picture.
        with suppress(Exception):
            page.screenshot(path=f"/tmp/admin-e2e-{name}.png", full_page=True)
        raise


def log_in(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url(site + "/admin/")


def log_out(page, site):
    page.locator("#logout-form button[type=submit]").click()
    page.wait_for_url(site + "/admin/logout/")


def add_inline(page, group_id):
    """nested-admin's "Add another …" link of this formset (not of a nested one)."""
    page.locator(
        f"#{group_id} > .djn-add-item > a.djn-add-handler,"
        f" #{group_id} > fieldset > .djn-add-item > a.djn-add-handler"
    ).click()


def autocomplete(page, field_name, term, option_text):
    """Open the select2 widget of a field, type, and pick the option the server finds."""
    page.locator(f"[aria-labelledby='select2-id_{field_name}-container']").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(term)
    page.locator(".select2-results__option", has_text=option_text).click()
    expect(page.locator(f"#select2-id_{field_name}-container")).to_contain_text(option_text)


def save_and_continue(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page.locator(SUCCESS)).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)


def drag_above(page, moving, target, steps=20):
    """Drag one stacked inline by its handle onto another, in small mouse steps."""
    moving.scroll_into_view_if_needed()
    start = moving.bounding_box()
    end = target.bounding_box()
    x = start["x"] + min(40, start["width"] / 2)
    y = start["y"] + start["height"] / 2
    end_y = end["y"] + 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x, y + (end_y - y) * step / steps)
        page.wait_for_timeout(20)
    page.mouse.up()


def action_value(page, label):
    """The value of the one action whose label matches, as the select offers it."""
    option = page.locator("select[name=action] option").filter(has_text=label)
    expect(option).to_have_count(1)
    return option.get_attribute("value")


def run_action(page, site, event, label):
    page.goto(site + "/admin/workshops/event/")
    page.locator(f"#result_list input.action-select[value='{event.pk}']").check()
    page.select_option("select[name=action]", action_value(page, label))
    with page.expect_navigation():
        page.locator(".actions button[name=index]").click()
    expect(page.locator(SUCCESS)).to_contain_text(TITLE)


# --- The tests ---------------------------------------------------------------


def enter_workshop(page, site, panelist, moderator):
    """A new workshop with a session, two speakers, a group and two conclusions."""
    page.goto(site + "/admin/workshops/event/add/")
    page.locator("#id_title_ind").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value("lokakarya-uji-alur-admin")  # the title
    page.select_option("#id_kind", "workshop")
    page.fill("#id_start_date", "2019-03-14")
    expect(page.locator("#id_slug")).to_have_value(SLUG)  # and the date (admin-jakres/admin.js)

    add_inline(page, "sessions-group")
    page.select_option("[name='sessions-0-kind']", "panel")
    page.fill("[name='sessions-0-title_ind']", "Diskusi panel uji")
    save_and_continue(page)

    # The session's speakers and groups: on its own page, from its line on the event's.
    with page.expect_navigation():
        page.locator("#sessions-0 a.jk-session-link").click()
    expect(page.locator(".breadcrumbs")).to_contain_text("Sesi 1. Diskusi panel uji")
    add_inline(page, "sessions-0-appearances-group")
    page.select_option("[name='sessions-0-appearances-0-role']", "panelist")
    autocomplete(page, "sessions-0-appearances-0-person", "Nirw", panelist.name)
    add_inline(page, "sessions-0-appearances-group")
    page.select_option("[name='sessions-0-appearances-1-role']", "moderator")
    autocomplete(page, "sessions-0-appearances-1-person", "Rujak", moderator.name)

    add_inline(page, "sessions-0-groups-group")
    autocomplete(page, "sessions-0-groups-0-focus_area", "mobilitas", "mobilitas")
    add_inline(page, f"{CONCLUSIONS}-group")
    page.fill(f"[name='{CONCLUSIONS}-0-text_ind']", "Simpulan pertama")
    add_inline(page, f"{CONCLUSIONS}-group")
    page.fill(f"[name='{CONCLUSIONS}-1-text_ind']", "Simpulan kedua")

    save_and_continue(page)


def drag_second_conclusion_first(page):
    """Drag "Simpulan kedua" above "Simpulan pertama" by its handle; no numbers typed."""
    first = page.locator(f"#{CONCLUSIONS}-0")
    second = page.locator(f"#{CONCLUSIONS}-1")
    expect(first.locator("> h3 .inline_label")).to_have_text("Simpulan pertama")
    expect(second.locator("> h3 .inline_label")).to_have_text("Simpulan kedua")
    # By its visible handle (issue 10: the row head also holds up/down buttons).
    drag_above(page, second.locator("> h3.djn-drag-handler .jk-handle"), first.locator("> h3"))
    items = page.locator(f"#{CONCLUSIONS}-group .djn-items > .djn-item.djn-inline-form")
    expect(items.first).to_have_id(f"{CONCLUSIONS}-1")
    position = {
        form: int(page.locator(f"[name='{CONCLUSIONS}-{form}-order']").input_value())
        for form in (0, 1)
    }
    assert position[1] < position[0], position
    save_and_continue(page)


def expect_public_page(page, site, speakers):
    """The public page shows the speakers and the conclusions in the new order."""
    response = page.goto(f"{site}/events/{SLUG}/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(TITLE)
    for speaker in speakers:
        expect(page.locator("ul.speakers")).to_contain_text(speaker.name)
    items = page.locator("section.group ol.conclusions > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Simpulan kedua")
    expect(items.nth(1)).to_contain_text("Simpulan pertama")


def test_editor_enters_reorders_and_submits_publisher_publishes(page, site, django_user_model):
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    staff_member(django_user_model, "publisher", "Publisher")
    panelist = Person.objects.create(name="Nirwono Joga", slug="nirwono-joga")
    moderator = Person.objects.create(name="Rujak Moderator", slug="rujak-moderator")

    log_in(page, site, "editor")

    # 1. A new workshop with a session, two speakers, a group and two conclusions.
    with screenshot_on_failure(page, "add"):
        enter_workshop(page, site, panelist, moderator)
    event = Event.objects.get(slug=SLUG)
    assert event.title_ind == TITLE
    assert event.status == EventStatus.DRAFT
    assert list(
        Appearance.objects.filter(session__event=event)
        .order_by("order")
        .values_list("role", "person__name")
    ) == [("panelist", panelist.name), ("moderator", moderator.name)]
    group = DiscussionGroup.objects.get(session__event=event)
    assert group.focus_area.number == 4
    conclusions = Conclusion.objects.filter(group=group).order_by("order")
    texts = conclusions.values_list("text_ind", flat=True)
    assert list(texts.all()) == ["Simpulan pertama", "Simpulan kedua"]

    # 2. Drag "Simpulan kedua" above "Simpulan pertama".
    with screenshot_on_failure(page, "drag"):
        drag_second_conclusion_first(page)
    assert list(texts.all()) == ["Simpulan kedua", "Simpulan pertama"]

    # 3. The Editor submits it for review.
    with screenshot_on_failure(page, "submit"):
        run_action(page, site, event, SUBMIT_LABEL)
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEW

    # 4. The Publisher publishes it.
    with screenshot_on_failure(page, "publish"):
        log_out(page, site)
        log_in(page, site, "publisher")
        run_action(page, site, event, PUBLISH_LABEL)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None

    # 5. The public page shows it in the new order.
    with screenshot_on_failure(page, "public"):
        expect_public_page(page, site, [panelist, moderator])


def test_editor_can_neither_see_nor_fake_the_publish_action(page, site, django_user_model):
    ensure_roles()
    staff_member(django_user_model, "editor", "Editor")
    event = Event.objects.create(
        programme=Programme.objects.get_or_create(slug="jakarta-berketahanan", city="Jakarta")[0],
        title_ind=TITLE,
        slug=SLUG,
        kind="workshop",
        start_date=date(2019, 3, 14),
        status=EventStatus.REVIEW,
    )
    changelist = site + "/admin/workshops/event/"

    log_in(page, site, "editor")
    page.goto(changelist)
    with screenshot_on_failure(page, "editor-actions"):
        options = page.locator("select[name=action] option")
        expect(options.filter(has_text=SUBMIT_LABEL)).to_have_count(1)
        expect(options.filter(has_text=PUBLISH_LABEL)).to_have_count(0)
        expect(page.locator("select[name=action] option[value=publish]")).to_have_count(0)

    # A crafted POST, with the Editor's own session and CSRF token.
    token = page.locator("#changelist-form input[name=csrfmiddlewaretoken]").input_value()
    response = page.request.post(
        changelist,
        form={
            "csrfmiddlewaretoken": token,
            "action": "publish",
            "select_across": "0",
            "index": "0",
            "_selected_action": str(event.pk),
        },
    )
    assert response.ok
    assert re.search(r"No action selected|Tidak ada aksi yang dipilih", response.text())
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEW
    assert event.published_at is None

    # The same through the page itself: a "Publish" option slipped into the form.
    with screenshot_on_failure(page, "editor-forged-form"):
        page.evaluate(
            """() => {
                const option = new Option("Publish", "publish");
                document.querySelector("select[name=action]").add(option);
            }"""
        )
        page.locator(f"#result_list input.action-select[value='{event.pk}']").check()
        page.select_option("select[name=action]", "publish")
        with page.expect_navigation():
            page.locator(".actions button[name=index]").click()
        expect(page.locator(".messagelist")).to_contain_text(
            re.compile(r"No action selected|Tidak ada aksi yang dipilih")
        )
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEW
    assert event.published_at is None
