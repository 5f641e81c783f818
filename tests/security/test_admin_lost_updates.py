"""Two staff on one event, and very large events: a stale form never overwrites
another's save, and no admin save answers 500 (issue 8, items 10 and 15)."""

import pytest
from django.test import Client
from django.urls import reverse

from focus_areas.models import Conclusion
from tests.admin_forms import form_data
from tests.factories import (
    AppearanceFactory,
    DiscussionGroupFactory,
    EventFactory,
    SessionFactory,
)
from workshops.models import Appearance, Event, EventStatus, Session

pytestmark = pytest.mark.django_db

STALE = "Someone else saved this event after you opened it"


def change_url(event):
    return reverse("admin:workshops_event_change", args=[event.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def opened(client, event):
    return form_data(client.get(change_url(event)).content.decode(), "event_form")


def with_new_session(data, title):
    index = int(data["sessions-TOTAL_FORMS"])
    data["sessions-TOTAL_FORMS"] = str(index + 1)
    prefix = f"sessions-{index}"
    data.update(
        {
            f"{prefix}-order": str(index + 1),
            f"{prefix}-kind": "presentation",
            f"{prefix}-title_ind": title,
            f"{prefix}-appearances-TOTAL_FORMS": "0",
            f"{prefix}-appearances-INITIAL_FORMS": "0",
            f"{prefix}-groups-TOTAL_FORMS": "0",
            f"{prefix}-groups-INITIAL_FORMS": "0",
        }
    )
    return data


def test_stale_form_does_not_overwrite_a_newer_save(editor, publisher):
    """Item 10: the second of two editors, saving a form opened before the first's
    save, is refused with a message and keeps what was typed."""
    event = EventFactory(status=EventStatus.DRAFT, title="Judul awal")
    first, second = logged_in(editor), logged_in(publisher)
    first_form, second_form = opened(first, event), opened(second, event)

    first_form["title_ind"] = "Judul dari editor pertama"
    assert first.post(change_url(event), first_form).status_code == 302

    second_form["title_ind"] = "Judul dari editor kedua"
    response = second.post(change_url(event), second_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert STALE in html or "Orang lain menyimpan kegiatan ini" in html
    assert "Judul dari editor kedua" in html
    assert Event.objects.get(pk=event.pk).title_ind == "Judul dari editor pertama"


def test_two_editors_adding_a_session_get_no_500(editor, publisher):
    """Item 10: two editors adding a session at once: one is saved, the other told."""
    event = EventFactory(status=EventStatus.DRAFT)
    first, second = logged_in(editor), logged_in(publisher)
    first_form, second_form = opened(first, event), opened(second, event)
    assert first.post(change_url(event), with_new_session(first_form, "Sesi A")).status_code == 302
    response = second.post(change_url(event), with_new_session(second_form, "Sesi B"))
    assert response.status_code == 200
    assert "Sesi B" in response.content.decode()
    assert list(Session.objects.filter(event=event).values_list("title_ind", flat=True)) == [
        "Sesi A"
    ]


def test_crafted_current_version_with_a_colliding_row_is_a_message_not_a_500(editor, publisher):
    """Item 10: even a form that claims the current version, whose new session then
    collides in the database with one saved meanwhile, gets a message, not a 500."""
    event = EventFactory(status=EventStatus.DRAFT)
    first, second = logged_in(editor), logged_in(publisher)
    first_form, second_form = opened(first, event), opened(second, event)
    assert first.post(change_url(event), with_new_session(first_form, "Sesi A")).status_code == 302
    second_form["loaded_version"] = str(Event.objects.get(pk=event.pk).edit_version)
    response = second.post(change_url(event), with_new_session(second_form, "Sesi B"))
    assert response.status_code == 200
    assert "Sesi B" in response.content.decode()
    assert Session.objects.filter(event=event).count() == 1


def test_a_part_saved_on_its_own_page_makes_open_event_forms_stale(editor):
    """Item 10: a session edited on its own admin page counts as a change of the
    event, so an event form opened before it is refused."""
    event = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=event, order=1, title="Sesi lama")
    client = logged_in(editor)
    event_form = opened(client, event)
    session_url = reverse("admin:workshops_session_change", args=[session.pk])
    session_form = form_data(client.get(session_url).content.decode(), "session_form")
    session_form["title_ind"] = "Sesi diubah di halamannya sendiri"
    assert client.post(session_url, session_form).status_code == 302
    event_form["sessions-0-title_ind"] = "Sesi dari formulir lama"
    response = client.post(change_url(event), event_form)
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).title_ind == "Sesi diubah di halamannya sendiri"


def test_a_group_with_1400_conclusions_can_be_saved(editor):
    """Item 15: an event page with more than 10,000 form fields (a group with 1,400
    conclusions) is saved, not refused with a 400, and in seconds, not minutes."""
    event = EventFactory(status=EventStatus.DRAFT)
    group = DiscussionGroupFactory(
        session=SessionFactory(event=event, order=1, kind="group_discussion"), number=1
    )
    first = Conclusion.objects.create(group=group, order=1, text_ind="Simpulan 1")
    client = logged_in(editor)
    url = f"{change_url(event)}?part=session-{group.session_id}"  # the session's page
    data = form_data(client.get(url).content.decode(), "event_form")  # one conclusion row
    prefix = "sessions-0-groups-0-conclusions"
    row = {k[len(f"{prefix}-0-") :]: v for k, v in data.items() if k.startswith(f"{prefix}-0-")}
    Conclusion.objects.bulk_create(
        Conclusion(group=group, order=n, number=n, text_ind=f"Simpulan {n}", ref=f"c{n:07d}")
        for n in range(2, 1401)
    )
    for index, conclusion in enumerate(group.conclusions.order_by("order")):
        values = {**row, "id": str(conclusion.pk), "order": str(conclusion.order)}
        values["text_ind"] = conclusion.text_ind
        data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "1400"
    data[f"{prefix}-1399-text_ind"] = "Simpulan terakhir diubah"
    assert len(data) > 10_000
    response = client.post(url, data)
    assert response.status_code == 302
    assert Conclusion.objects.get(group=group, order=1400).text_ind == "Simpulan terakhir diubah"
    assert Conclusion.objects.get(pk=first.pk).text_ind == "Simpulan 1"


@pytest.mark.django_db(transaction=True)
def test_deleting_a_session_with_speakers_saves_without_orphans(django_user_model):
    """Item 10: deleting a session (with its speakers) on the event page is saved,
    not a 500 at commit, and leaves no speaker behind without a session."""
    event = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=event, order=1, title="Sesi yang dihapus")
    AppearanceFactory(session=session, order=1)
    # A transactional test starts from an empty database (no role groups): a superuser.
    client = logged_in(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    data = opened(client, event)
    data["sessions-0-DELETE"] = "on"
    response = client.post(change_url(event), data)
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Appearance.objects.filter(session_id=session.pk).exists()
