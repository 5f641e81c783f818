"""Attacks on the event admin by an Editor: versions of other models, rows of other
events, crafted nested rows, and the recovery of deleted events (issue 8, items 1, 2,
17 and 18)."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from tests.admin_forms import form_data
from tests.factories import (
    ConclusionFactory,
    DiscussionGroupFactory,
    EventFactory,
    SessionFactory,
)
from workshops.editorial import workflow
from workshops.models import Document, Event, EventStatus, Session

pytestmark = pytest.mark.django_db


def change_url(event, part=""):
    url = reverse("admin:workshops_event_change", args=[event.pk])
    return f"{url}?part={part}" if part else url


def change_form(client, event, part=""):
    """The event's change form (or one of its parts') as the browser would submit it,
    unchanged."""
    response = client.get(change_url(event, part))
    assert response.status_code == 200
    return form_data(response.content.decode(), "event_form")


def foreign_version_with_object_id(workshop, object_id):
    """A revision of the published workshop that holds a Session whose primary key
    equals `object_id` (the attacker's own draft's pk): a version of another model."""
    session = SessionFactory(pk=object_id, event=workshop, order=99, title="Sesi tambahan")
    with reversion.create_revision():
        workshop.save()
        session.save()
    return Version.objects.get_for_object(session).first()


# --- Item 1: a version of another model through one's own draft's history ----------------


def test_history_restore_refuses_a_version_of_another_model(client, workshop, editor, publisher):
    """Item 1: an Editor cannot revert a published event's revision through the
    history page of their own draft, with a version id of another model."""
    draft = EventFactory(status=EventStatus.DRAFT, pk=9000)
    version = foreign_version_with_object_id(workshop, draft.pk)
    workflow.withdraw(event=workshop, user=publisher)
    Event.objects.filter(pk=workshop.pk).update(title_ind="Judul setelah penarikan")
    client.force_login(editor)
    url = reverse("admin:workshops_event_revision", args=[draft.pk, version.pk])

    assert client.get(url).status_code == 404
    data = change_form(client, draft)
    assert client.post(url, data).status_code == 404

    workshop.refresh_from_db()
    assert workshop.status == EventStatus.WITHDRAWN
    assert workshop.title_ind == "Judul setelah penarikan"


def test_recover_refuses_a_version_of_another_model(client, workshop, publisher):
    """Item 1: the event's recover page opens only versions of deleted events."""
    version = Version.objects.get_for_model(Session).first() or foreign_version_with_object_id(
        workshop, 9001
    )
    client.force_login(publisher)
    url = reverse("admin:workshops_event_recover", args=[version.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert Session.objects.filter(pk=version.object_id).exists()


def test_history_restore_refuses_a_revision_that_reaches_into_another_event(
    client, workshop, editor
):
    """Item 1: even a version of the draft itself cannot restore a revision that also
    holds another (published) event's parts."""
    draft = EventFactory(status=EventStatus.DRAFT)
    session = workshop.sessions.order_by("order").first()
    with reversion.create_revision():
        draft.save()
        session.save()
    Session.objects.filter(pk=session.pk).update(title_ind="Judul sesi terkini")
    version = Version.objects.get_for_object(draft).first()
    client.force_login(editor)
    url = reverse("admin:workshops_event_revision", args=[draft.pk, version.pk])
    response = client.post(url, change_form(client, draft))
    assert response.status_code == 403
    assert Session.objects.get(pk=session.pk).title_ind == "Judul sesi terkini"


# --- Item 2: rows of another event posted into one's own draft ---------------------------


def with_foreign_row(data, prefix, row_id, **values):
    """`data` with one more existing row in inline `prefix`, naming row `row_id`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data[f"{prefix}-INITIAL_FORMS"] = str(int(data[f"{prefix}-INITIAL_FORMS"]) + 1)
    data[f"{prefix}-{index}-id"] = str(row_id)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data


def test_inline_row_of_another_event_cannot_be_deleted(client, workshop, editor):
    """Item 2: an Editor cannot delete a published event's document by naming its id
    in their own draft's documents rows."""
    draft = EventFactory(status=EventStatus.DRAFT)
    document = workshop.documents.first()
    client.force_login(editor)
    data = with_foreign_row(
        change_form(client, draft),
        "documents",
        document.pk,
        event=str(draft.pk),
        order="1",
        kind=document.kind,
        title_ind="x",
        url="https://example.org/x.pdf",
        DELETE="on",
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "belongs to another event" in response.content.decode() or (
        "milik kegiatan lain" in response.content.decode()
    )
    assert Document.objects.filter(pk=document.pk, event=workshop).exists()


def test_inline_row_of_another_event_cannot_be_moved_into_a_draft(client, workshop, editor):
    """Item 2: an Editor cannot move a published event's session (with its speakers)
    into their own draft by naming its id."""
    draft = EventFactory(status=EventStatus.DRAFT)
    session = workshop.sessions.order_by("order").first()
    speakers = session.appearances.count()
    client.force_login(editor)
    data = with_foreign_row(
        change_form(client, draft),
        "sessions",
        session.pk,
        event=str(draft.pk),
        order="1",
        kind=session.kind,
        title_ind="Sesi yang dipindah",
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.event_id == workshop.pk
    assert session.title_ind != "Sesi yang dipindah"
    assert session.appearances.count() == speakers
    assert client.get(workshop.get_absolute_url()).content.decode().count(session.title) >= 1


def test_rows_may_still_move_between_parts_of_the_same_event(client, editor):
    """Item 2 (no regression): a conclusion dragged to another group of the same
    event is still moved."""
    draft = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=draft, kind="group_discussion")
    first = DiscussionGroupFactory(session=session, number=1)
    second = DiscussionGroupFactory(session=session, number=2)
    conclusion = ConclusionFactory(group=first, order=1, text_ind="Pindah ke kelompok dua")
    client.force_login(editor)
    part = f"session-{session.pk}"
    data = change_form(client, draft, part)
    source = "sessions-0-groups-0-conclusions"
    target = "sessions-0-groups-1-conclusions"
    moved = {
        key.replace(f"{source}-0-", f"{target}-0-"): value
        for key, value in data.items()
        if key.startswith(f"{source}-0-")
    }
    data = {k: v for k, v in data.items() if not k.startswith(f"{source}-0-")}
    data.update(moved)
    data[f"{target}-0-group"] = str(second.pk)
    data.update({f"{source}-TOTAL_FORMS": "0", f"{source}-INITIAL_FORMS": "0"})
    data.update({f"{target}-TOTAL_FORMS": "1", f"{target}-INITIAL_FORMS": "1"})
    response = client.post(change_url(draft, part), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    conclusion.refresh_from_db()
    assert conclusion.group_id == second.pk


# --- Item 17: a sub-point's id among the top-level conclusion rows ----------------------


def test_sub_point_id_in_top_level_rows_is_a_form_error_not_a_500(client, editor):
    """Item 17: a crafted nested POST naming a sub-point among another group's
    top-level conclusion rows gets a form error (not a 500), and nothing changes."""
    draft = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=draft, kind="group_discussion")
    group = DiscussionGroupFactory(session=session, number=1)
    other = DiscussionGroupFactory(session=session, number=2)
    point = ConclusionFactory(group=group, order=1, text_ind="Simpulan")
    sub_point = ConclusionFactory(group=group, parent=point, order=1, text_ind="Sub-butir")
    client.force_login(editor)
    part = f"session-{session.pk}"
    data = change_form(client, draft, part)
    prefix = "sessions-0-groups-1-conclusions"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(sub_point.pk),
            f"{prefix}-0-group": str(other.pk),
            f"{prefix}-0-order": "1",
            f"{prefix}-0-text_ind": "Diubah",
            f"{prefix}-0-conclusions-TOTAL_FORMS": "0",
            f"{prefix}-0-conclusions-INITIAL_FORMS": "0",
        }
    )
    response = client.post(change_url(draft, part), data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    sub_point.refresh_from_db()
    assert (sub_point.group_id, sub_point.parent_id, sub_point.text_ind) == (
        group.pk,
        point.pk,
        "Sub-butir",
    )


# --- Item 18: recovering a deleted event ------------------------------------------------


def deleted_event_version(client, publisher):
    with reversion.create_revision():
        event = EventFactory(status=EventStatus.DRAFT, title="Kegiatan terhapus")
        SessionFactory(event=event, title="Sesi terhapus")
    client.force_login(publisher)
    response = client.post(
        reverse("admin:workshops_event_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    return Version.objects.get_deleted(Event).get(object_id=str(event.pk))


def test_publisher_recovers_a_deleted_event_as_a_draft(client, publisher):
    """Item 18: a Publisher can recover a deleted event, with its parts, as a draft."""
    version = deleted_event_version(client, publisher)
    url = reverse("admin:workshops_event_recover", args=[version.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = form_data(form.content.decode(), "event_form")
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(pk=version.object_id)
    assert event.title == "Kegiatan terhapus"
    assert event.status == EventStatus.DRAFT
    assert event.sessions.get().title == "Sesi terhapus"


def test_editor_cannot_recover_a_deleted_event(client, publisher, editor):
    """Item 18: recovering a deleted event is a Publisher's right (deleting is)."""
    version = deleted_event_version(client, publisher)
    client.force_login(editor)
    url = reverse("admin:workshops_event_recover", args=[version.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert not Event.objects.filter(pk=version.object_id).exists()


def test_recovered_event_keeps_the_links_of_its_documents(client, publisher):
    """Item 18: a recovered event's documents keep their session (the recover page
    offers the recovered event's own sessions)."""
    with reversion.create_revision():
        event = EventFactory(status=EventStatus.DRAFT, title="Kegiatan dengan dokumen")
        session = SessionFactory(event=event, title="Sesi berdokumen")
        Document.objects.create(
            event=event, session=session, order=1, kind="slides", title="Paparan",
            url="https://example.org/paparan.pdf",
        )  # fmt: skip
    client.force_login(publisher)
    client.post(reverse("admin:workshops_event_delete", args=[event.pk]), {"post": "yes"})
    version = Version.objects.get_deleted(Event).get(object_id=str(event.pk))
    url = reverse("admin:workshops_event_recover", args=[version.pk])
    data = form_data(client.get(url).content.decode(), "event_form")
    assert client.post(url, data).status_code == 302
    assert Document.objects.get(event_id=event.pk).session.title == "Sesi berdokumen"
