"""Links and status updates go through draft → review → published like events, by role,
within one's programmes, and are kept in the history. Attacked through the admin with
crafted requests."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from follow_up.models import Link, StatusUpdate
from tests.admin_forms import form_data
from tests.conftest import member
from tests.factories import (
    ConclusionFactory,
    EventFactory,
    LinkFactory,
    PlanItemFactory,
    ProgrammeFactory,
    StatusUpdateFactory,
)
from workshops.editorial import follow_up_workflow as workflow

pytestmark = pytest.mark.django_db


ADD_LINK = "/admin/follow_up/link/add/"
LINKS = "/admin/follow_up/link/"
UPDATES = "/admin/follow_up/statusupdate/"


@pytest.fixture
def conclusion():
    event = EventFactory(start_date=datetime.date(2018, 9, 26), programme=ProgrammeFactory())
    return ConclusionFactory(group__session__event=event)


@pytest.fixture
def item():
    # A fixed code and title: the factory's sequence would sometimes give "7" or
    # "Pilar uji 17", which the search for "7" below must not find.
    return PlanItemFactory(
        plan__programme=ProgrammeFactory(),
        plan__title="Rencana uji",
        code="1",
        title="Pilar uji",
        title_en="Test pillar",
    )


def link_post(conclusion, item, **extra):
    return {
        "conclusion": conclusion.pk, "kind": "taken_up", "plan_item": item.pk,
        "date": "2019-06-01", "note_ind": "Diambil.", "note_en": "Taken up.",
        "source_url": "https://example.org/s", **extra,
    }  # fmt: skip


def act(client, url, action, *objs):
    return client.post(url, {"action": action, "_selected_action": [o.pk for o in objs]})


def test_an_editor_adds_a_draft_link_and_cannot_publish_it_by_a_crafted_post(
    client, editor, conclusion, item
):
    client.force_login(editor)
    response = client.post(ADD_LINK, link_post(conclusion, item, state="published",
                                               created_by=999))  # fmt: skip
    assert response.status_code == 302
    link = Link.objects.get()
    assert (link.state, link.created_by) == ("draft", editor)
    act(client, LINKS, "publish", link)
    link.refresh_from_db()
    assert link.state == "draft"
    act(client, LINKS, "submit_for_review", link)
    link.refresh_from_db()
    assert link.state == "review"
    act(client, LINKS, "publish", link)  # still not an Editor's action
    link.refresh_from_db()
    assert link.state == "review"
    with pytest.raises(PermissionDenied):
        workflow.transition(obj=link, user=editor, name="publish")


def test_a_publisher_publishes_and_withdraws_and_the_history_keeps_it(
    client, publisher, conclusion, item
):
    link = LinkFactory(conclusion=conclusion, plan_item=item, state="review")
    client.force_login(publisher)
    act(client, LINKS, "publish", link)
    link.refresh_from_db()
    assert link.state == "published" and link.published_at is not None
    act(client, LINKS, "withdraw", link)
    link.refresh_from_db()
    assert link.state == "withdrawn"
    versions = Version.objects.get_for_object(link)
    assert [v.field_dict["state"] for v in versions] == ["withdrawn", "published"]
    assert versions[0].revision.user == publisher


def test_the_actions_name_each_link_they_refuse_or_move(client, publisher, conclusion, item):
    ready = LinkFactory(conclusion=conclusion, plan_item=item, state="review")
    draft = LinkFactory(conclusion=conclusion, kind="not_taken_up", plan_item=None, state="draft")
    client.force_login(publisher)
    response = client.post(
        LINKS, {"action": "publish", "_selected_action": [ready.pk, draft.pk]}, follow=True
    )
    shown = {m.level_tag: str(m) for m in response.context["messages"]}
    assert shown["success"] == f"“{ready}” kini berstatus Diterbitkan."
    assert shown["error"].startswith(f"{draft}: ")


def test_publishing_cannot_skip_review(publisher, conclusion, item):
    link = LinkFactory(conclusion=conclusion, plan_item=item, state="draft")
    with pytest.raises(
        Exception, match=r"cannot be changed this way|tidak dapat diubah dengan cara ini"
    ):
        workflow.transition(obj=link, user=publisher, name="publish")


def test_an_editor_cannot_change_a_published_link(client, editor, conclusion, item):
    link = LinkFactory(conclusion=conclusion, plan_item=item)
    client.force_login(editor)
    data = link_post(conclusion, item, note_ind="Diubah diam-diam.")
    response = client.post(f"{LINKS}{link.pk}/change/", data)
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.note_ind == "Diambil dalam strategi."
    response = client.post(f"{LINKS}{link.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and Link.objects.filter(pk=link.pk).exists()


def test_a_link_to_an_unpublished_events_conclusion_is_refused_in_the_form(
    client, editor, conclusion
):
    draft = ConclusionFactory(group__session__event=EventFactory(
        start_date=datetime.date(2018, 11, 1), status="draft"))  # fmt: skip
    client.force_login(editor)
    data = link_post(conclusion, PlanItemFactory(), kind="refined", plan_item="",
                     later_conclusion=draft.pk, note_ind="Ketikan saya")  # fmt: skip
    response = client.post(ADD_LINK, data)
    assert response.status_code == 200 and not Link.objects.exists()
    errors = response.context["adminform"].form.errors
    assert "later_conclusion" in errors
    # Nothing typed is lost: the form comes back with it.
    assert form_data(response.content.decode(), "link_form")["note_ind"] == "Ketikan saya"


def test_a_link_whose_later_event_was_unpublished_cannot_be_published(publisher, conclusion):
    later = ConclusionFactory(group__session__event=EventFactory(
        start_date=datetime.date(2018, 11, 1)))  # fmt: skip
    link = LinkFactory(conclusion=conclusion, kind="refined", plan_item=None,
                       later_conclusion=later, state="review", date=datetime.date(2018, 11, 1))  # fmt: skip
    event = later.group.session.event
    event.status = "withdrawn"
    event.save()
    with pytest.raises(Exception, match=r"is not published|belum diterbitkan"):
        workflow.transition(obj=link, user=publisher, name="publish")
    link.refresh_from_db()
    assert link.state == "review"
    assert not Link.objects.public().filter(pk=link.pk).exists()


def test_form_errors_sit_next_to_their_fields(client, editor, conclusion, item):
    LinkFactory(conclusion=conclusion, plan_item=item)
    client.force_login(editor)
    response = client.post(ADD_LINK, link_post(conclusion, item, date="2018-09-01"))
    errors = response.context["adminform"].form.errors
    assert errors["date"] == [
        "Tanggalnya sebelum kegiatan (2018-09-26)."
    ]  # the admin speaks Indonesian
    response = client.post(ADD_LINK, link_post(conclusion, item))
    assert response.context["adminform"].form.errors["plan_item"] == ["Tautan ini sudah ada."]


# --- Another programme -----------------------------------------------------------------


@pytest.fixture
def other_programme():
    return ProgrammeFactory(slug="kota-lain", name="Kota Lain")


@pytest.fixture
def limited_editor(django_user_model, conclusion):
    user = member(django_user_model, "Editor", "editor-jakarta")
    conclusion.group.session.event.programme.staff.add(user)
    return user


def test_an_editor_cannot_link_to_another_programmes_plan_item(
    client, limited_editor, conclusion, other_programme
):
    foreign = PlanItemFactory(plan__programme=other_programme)
    client.force_login(limited_editor)
    response = client.post(ADD_LINK, link_post(conclusion, foreign))
    assert response.status_code == 200 and not Link.objects.exists()
    assert "plan_item" in response.context["adminform"].form.errors


def test_an_editor_cannot_see_or_touch_another_programmes_links_and_updates(
    client, limited_editor, other_programme
):
    event = EventFactory(programme=other_programme, start_date=datetime.date(2018, 9, 26))
    foreign_item = PlanItemFactory(plan__programme=other_programme)
    link = LinkFactory(conclusion__group__session__event=event, plan_item=foreign_item,
                       state="draft")  # fmt: skip
    update = StatusUpdateFactory(item=foreign_item, state="draft")
    client.force_login(limited_editor)
    assert client.get(f"{LINKS}{link.pk}/change/").status_code in (302, 404)
    assert client.get(f"{UPDATES}{update.pk}/change/").status_code in (302, 404)
    act(client, LINKS, "submit_for_review", link)
    act(client, UPDATES, "submit_for_review", update)
    link.refresh_from_db()
    update.refresh_from_db()
    assert (link.state, update.state) == ("draft", "draft")
    assert link.ref not in client.get(LINKS).content.decode()
    with pytest.raises(PermissionDenied):
        workflow.save(obj=link, user=limited_editor)


# --- Status updates ----------------------------------------------------------------------


def test_an_update_is_one_small_form_and_records_who_entered_it(client, editor, item):
    client.force_login(editor)
    page = client.get(f"{UPDATES}add/?item={item.pk}").content.decode()
    data = form_data(page, "statusupdate_form")
    assert data["item"] == str(item.pk)
    data.update(date="2026-01-15", status="in_progress", percent="40",
                note_ind="Sedang berjalan.", evidence_url="https://example.org/bukti")  # fmt: skip
    assert client.post(f"{UPDATES}add/", data).status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.entered_by, update.state, update.percent) == (editor, "draft", 40)


@pytest.mark.parametrize("percent", ["101", "-1"])
def test_a_percentage_outside_0_to_100_is_refused_at_its_field(client, editor, item, percent):
    client.force_login(editor)
    data = {"item": item.pk, "date": "2026-01-15", "status": "in_progress", "percent": percent,
            "note_ind": "Catatan saya", "evidence_url": "https://example.org/bukti"}  # fmt: skip
    response = client.post(f"{UPDATES}add/", data)
    assert "percent" in response.context["adminform"].form.errors
    assert not StatusUpdate.objects.exists()
    assert "Catatan saya" in response.content.decode()


def test_updates_go_through_review_like_links(client, editor, publisher, item):
    update = StatusUpdateFactory(item=item, state="draft")
    client.force_login(editor)
    act(client, UPDATES, "submit_for_review", update)
    act(client, UPDATES, "publish", update)
    update.refresh_from_db()
    assert update.state == "review"
    client.force_login(publisher)
    act(client, UPDATES, "publish", update)
    update.refresh_from_db()
    assert update.state == "published"
    versions = Version.objects.get_for_object(update)
    assert [v.field_dict["state"] for v in versions] == ["published", "review"]


def test_the_conclusion_page_offers_the_follow_up_and_the_item_search_finds_by_code(
    client, editor, conclusion, item
):
    client.force_login(editor)
    page = client.get(f"/admin/focus_areas/conclusion/{conclusion.pk}/change/").content.decode()
    assert f"/admin/follow_up/link/add/?conclusion={conclusion.pk}&amp;kind=taken_up" in page
    other = PlanItemFactory(plan=item.plan, code="7", title="Air bersih")
    found = client.get("/admin/autocomplete/", {"app_label": "follow_up", "model_name": "link",
                                               "field_name": "plan_item", "term": "7"}).json()  # fmt: skip
    assert [r["id"] for r in found["results"]] == [str(other.pk)]
    found = client.get("/admin/autocomplete/", {"app_label": "follow_up", "model_name": "link",
                                               "field_name": "plan_item", "term": "air"}).json()  # fmt: skip
    assert [r["id"] for r in found["results"]] == [str(other.pk)]
    found = client.get("/admin/autocomplete/", {"app_label": "follow_up", "model_name": "link",
                                               "field_name": "later_conclusion",
                                               "term": conclusion.text_ind}).json()  # fmt: skip
    assert str(conclusion.pk) in [r["id"] for r in found["results"]]
    found = client.get("/admin/autocomplete/", {"app_label": "follow_up", "model_name": "link",
                                               "field_name": "later_conclusion",
                                               "term": conclusion.ref}).json()  # fmt: skip
    assert [r["id"] for r in found["results"]] == [str(conclusion.pk)]
