"""Rules across rows, which no CHECK constraint can hold (workshops/rules.py, focus_areas/rules.py):

- a sub-point has no sub-points, and is in its point's discussion group;
- a document's or photo's session and group are parts of its own event.

Each is tested on the service itself and through the admin pages that can break it
(the stand-alone change forms, whose autocomplete fields offer every event's parts).
The import cannot express a breach (its parts nest, its refs are its own), so it is
tested for checking the rules when it writes.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from focus_areas import rules
from focus_areas.models import Conclusion, DiscussionGroup
from tests.admin_forms import form_data
from tests.conftest import WORKSHOP_SLUG
from tests.factories import (
    ConclusionFactory,
    DiscussionGroupFactory,
    DocumentFactory,
    EventFactory,
    PhotoFactory,
    SessionFactory,
)
from workshops.models import Document, Event, EventStatus, Photo, Session
from workshops.proceedings import with_proceedings
from workshops.transfer import ImportFailed, export_event, import_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_groups():
    """Two groups of one draft event; the first has a point with one sub-point."""
    session = SessionFactory(event=EventFactory(status=EventStatus.DRAFT), order=1)
    first = DiscussionGroupFactory(session=session, number=1)
    second = DiscussionGroupFactory(session=session, number=2)
    point = ConclusionFactory(group=first, order=1)
    sub_point = ConclusionFactory(group=first, parent=point, order=1)
    return first, second, point, sub_point


@pytest.fixture
def two_events():
    """Two draft events, each with a session holding a group."""
    parts = []
    for _ in range(2):
        event = EventFactory(status=EventStatus.DRAFT)
        session = SessionFactory(event=event, order=1)
        parts.append((event, session, DiscussionGroupFactory(session=session, number=1)))
    return parts


def refused(check, obj, field):
    with pytest.raises(ValidationError) as error:
        check(obj)
    assert field in error.value.message_dict, error.value.message_dict


def admin_form(client, page, form_id, **changes):
    response = client.get(page)
    assert response.status_code == 200
    data = form_data(response.content.decode(), form_id)
    data.update({name: str(value) for name, value in changes.items()})
    return data


def assert_form_error(response, *messages):
    assert response.status_code == 200, response.status_code  # the form again, no redirect
    html = response.content.decode()
    assert "errorlist" in html
    assert any(message in html for message in messages), messages


# --- Conclusions: the service ------------------------------------------------------------


def test_service_refuses_a_sub_point_of_a_sub_point(two_groups):
    first, _, _, sub_point = two_groups
    refused(
        rules.check_conclusion_structure,
        Conclusion(group=first, parent=sub_point, order=1, text="x"),
        "parent",
    )


def test_service_refuses_a_sub_point_in_another_group_than_its_point(two_groups):
    _, second, point, _ = two_groups
    refused(
        rules.check_conclusion_structure,
        Conclusion(group=second, parent=point, order=2, text="x"),
        "parent",
    )


def test_service_refuses_to_make_a_point_with_sub_points_a_sub_point(two_groups):
    first, _, point, _ = two_groups
    other = ConclusionFactory(group=first, order=2)
    point = Conclusion.objects.get(pk=point.pk)
    point.parent = other
    refused(rules.check_conclusion_structure, point, "parent")


def test_service_refuses_to_move_a_point_away_from_its_sub_points(two_groups):
    _, second, point, _ = two_groups
    point = Conclusion.objects.get(pk=point.pk)
    point.group = second
    refused(rules.check_conclusion_structure, point, "group")


def test_service_accepts_points_and_sub_points_and_reads_nothing_for_unchanged_rows(
    two_groups, django_assert_num_queries
):
    first, second, point, sub_point = two_groups
    rules.check_conclusion_structure(Conclusion(group=first, parent=point, order=2, text="x"))
    rules.check_conclusion_structure(Conclusion(group=second, order=1, text="x"))
    loaded = Conclusion.objects.select_related("parent").get(pk=sub_point.pk)
    unchanged_point = Conclusion.objects.get(pk=point.pk)
    with django_assert_num_queries(0):
        rules.check_conclusion_structure(loaded)
        rules.check_conclusion_structure(unchanged_point)
    lone = ConclusionFactory(group=first, order=3)
    lone.group = second  # a point without sub-points may move
    rules.check_conclusion_structure(lone)


# --- Conclusions: through the admin ------------------------------------------------------


def conclusion_add(staff_client, group, parent):
    url = reverse("admin:focus_areas_conclusion_add")
    data = admin_form(
        staff_client, url, "conclusion_form", group=group.pk, parent=parent.pk, order=7,
        text_ind="Subpoin yang salah tempat",
    )  # fmt: skip
    return staff_client.post(url, data)


def test_admin_refuses_a_sub_point_of_a_sub_point(staff_client, two_groups):
    first, _, _, sub_point = two_groups
    response = conclusion_add(staff_client, first, sub_point)
    assert_form_error(response, "Sub-points cannot have sub-points", "Subpoin tidak dapat")
    assert not Conclusion.objects.filter(text_ind="Subpoin yang salah tempat").exists()


def test_admin_refuses_a_sub_point_in_another_group_than_its_point(staff_client, two_groups):
    _, second, point, _ = two_groups
    response = conclusion_add(staff_client, second, point)
    assert_form_error(response, "The point must be in the same group", "Poin harus berada")
    assert not Conclusion.objects.filter(text_ind="Subpoin yang salah tempat").exists()


def test_admin_refuses_to_make_a_point_with_sub_points_a_sub_point(staff_client, two_groups):
    first, _, point, _ = two_groups
    other = ConclusionFactory(group=first, order=2)
    url = reverse("admin:focus_areas_conclusion_change", args=[point.pk])
    response = staff_client.post(
        url, admin_form(staff_client, url, "conclusion_form", parent=other.pk)
    )
    assert_form_error(response, "Sub-points cannot have sub-points", "Subpoin tidak dapat")
    point.refresh_from_db()
    assert point.parent_id is None


def test_admin_refuses_to_move_a_point_away_from_its_sub_points(staff_client, two_groups):
    first, second, point, sub_point = two_groups
    url = reverse("admin:focus_areas_conclusion_change", args=[point.pk])
    response = staff_client.post(
        url, admin_form(staff_client, url, "conclusion_form", group=second.pk)
    )
    assert_form_error(response, "The point must be in the same group", "Poin harus berada")
    point.refresh_from_db()
    sub_point.refresh_from_db()
    assert point.group_id == sub_point.group_id == first.pk


# --- Documents and photos: the service ---------------------------------------------------


@pytest.mark.parametrize("model", [Document, Photo])
def test_service_refuses_a_session_or_group_of_another_event(two_events, model):
    (event, _, _), (_, other_session, other_group) = two_events
    refused(rules.check_attachment_event, model(event=event, session=other_session), "session")
    refused(rules.check_attachment_event, model(event=event, group=other_group), "group")


@pytest.mark.parametrize("model", [Document, Photo])
def test_service_accepts_the_events_own_session_and_group(two_events, model):
    (event, session, group), _ = two_events
    rules.check_attachment_event(model(event=event, session=session, group=group))


def test_service_refuses_to_move_a_session_or_group_away_from_its_attachments(two_events):
    (event, session, group), (other_event, other_session, _) = two_events
    DocumentFactory(event=event, session=session)
    PhotoFactory(event=event, group=group)
    session = Session.objects.get(pk=session.pk)
    session.event = other_event
    refused(rules.check_part_keeps_attachments, session, "event")
    group = DiscussionGroup.objects.get(pk=group.pk)
    group.session = other_session
    refused(rules.check_part_keeps_attachments, group, "session")
    free = SessionFactory(event=event, order=2)
    free.event = other_event  # nothing hangs on it: it may move
    rules.check_part_keeps_attachments(free)


# --- Documents and photos: through the admin ---------------------------------------------


def test_admin_refuses_a_document_on_a_session_of_another_event(staff_client, two_events):
    (event, _, _), (_, other_session, _) = two_events
    url = reverse("admin:workshops_document_add")
    data = admin_form(
        staff_client, url, "document_form", event=event.pk, session=other_session.pk, order=1,
        kind="slides", title_ind="Paparan salah sesi", url="https://example.org/p.pdf",
    )  # fmt: skip
    response = staff_client.post(url, data)
    assert_form_error(response, "This session belongs to another event", "Sesi ini termasuk")
    assert not Document.objects.filter(title_ind="Paparan salah sesi").exists()


def test_admin_refuses_a_photo_of_a_group_of_another_event(staff_client, two_events):
    (event, _, _), (_, _, other_group) = two_events
    photo = PhotoFactory(event=event, order=1)
    url = reverse("admin:workshops_photo_change", args=[photo.pk])
    data = admin_form(staff_client, url, "photo_form", group=other_group.pk)
    response = staff_client.post(url, data)
    assert_form_error(response, "This group belongs to another event", "Kelompok ini termasuk")
    photo.refresh_from_db()
    assert photo.group_id is None


def test_admin_refuses_to_move_a_session_away_from_its_documents(staff_client, two_events):
    (event, session, _), (other_event, _, _) = two_events
    DocumentFactory(event=event, session=session, order=1)
    url = reverse("admin:workshops_session_change", args=[session.pk])
    data = admin_form(staff_client, url, "session_form", event=other_event.pk, order=5)
    response = staff_client.post(url, data)
    assert_form_error(response, "attached to this session", "sesi ini")
    session.refresh_from_db()
    assert session.event_id == event.pk


def test_admin_refuses_to_move_a_group_away_from_its_photos(staff_client, two_events):
    (event, _, group), (_, other_session, _) = two_events
    PhotoFactory(event=event, group=group, order=1)
    url = reverse("admin:focus_areas_discussiongroup_change", args=[group.pk])
    data = admin_form(staff_client, url, "discussiongroup_form", session=other_session.pk, number=5)
    response = staff_client.post(url, data)
    assert_form_error(response, "attached to this group", "kelompok ini")
    group.refresh_from_db()
    assert group.session_id != other_session.pk


# --- The import --------------------------------------------------------------------------


def test_import_checks_the_rules_when_it_writes_the_parts(workshop, monkeypatch):
    """The import links its parts only as it writes them: every conclusion, sub-point,
    document and photo is checked then, and a breach fails the import as a whole."""
    document = export_event(with_proceedings(Event.objects.all()).get(slug=WORKSHOP_SLUG))
    workshop.delete()
    checked = []

    def spy(check):
        def checking(obj):
            if obj.pk is None and (getattr(obj, "group_id", None) or obj.__dict__.get("event_id")):
                checked.append(obj)  # a part being written, linked to its parents
            return check(obj)

        return checking

    conclusion_rule = rules.check_conclusion_structure
    monkeypatch.setattr(rules, "check_conclusion_structure", spy(conclusion_rule))
    monkeypatch.setattr(rules, "check_attachment_event", spy(rules.check_attachment_event))
    event, _ = import_event(document)
    written = [
        *Conclusion.objects.filter(group__session__event=event),
        *Document.objects.filter(event=event),
        *Photo.objects.filter(event=event),
    ]
    assert any(c.parent_id for c in written if isinstance(c, Conclusion))
    assert sorted((type(o).__name__, o.ref) for o in checked) == sorted(
        (type(o).__name__, o.ref) for o in written
    )

    def breach(obj):
        conclusion_rule(obj)
        if obj.parent_id:
            raise ValidationError({"parent": "Sub-points cannot have sub-points."})

    event.delete()
    monkeypatch.setattr(rules, "check_conclusion_structure", breach)
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    assert failure.value.errors == ["$: Sub-points cannot have sub-points."]
    assert not Conclusion.objects.exists()
