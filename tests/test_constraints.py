"""The database itself refuses duplicates and invalid ranges (SQLite and PostgreSQL)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import (
    AppearanceFactory,
    ConclusionFactory,
    DiscussionGroupFactory,
    DocumentFactory,
    EventFactory,
    FocusAreaFactory,
    PersonFactory,
    ProgrammeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(constraint_name, make):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make()
    message = str(excinfo.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed"):
        # SQLite names the columns of a failed unique index, not the index.
        pass
    else:
        assert constraint_name in message


def test_event_slug_is_unique():
    EventFactory(slug="lokakarya")
    assert_rejected("event_unique_slug", lambda: EventFactory(slug="lokakarya"))


def test_person_slug_is_unique():
    PersonFactory(slug="oswar")
    assert_rejected("person_unique_slug", lambda: PersonFactory(slug="oswar"))


def test_event_end_date_cannot_precede_start():
    assert_rejected(
        "event_end_date_not_before_start",
        lambda: EventFactory(
            start_date=datetime.date(2018, 9, 26), end_date=datetime.date(2018, 9, 25)
        ),
    )


def test_event_one_day_and_multi_day_ranges_are_accepted():
    EventFactory(start_date=datetime.date(2018, 9, 26), end_date=datetime.date(2018, 9, 26))
    EventFactory(start_date=datetime.date(2018, 9, 26), end_date=datetime.date(2018, 9, 27))
    EventFactory(start_date=datetime.date(2018, 9, 26), end_date=None)


def test_count_qualifier_needs_a_count():
    assert_rejected(
        "event_count_qualifier_needs_count",
        lambda: EventFactory(participant_count=None, participant_count_qualifier="more_than"),
    )


def test_session_order_is_unique_within_its_event():
    event = EventFactory()
    SessionFactory(event=event, order=1)
    SessionFactory(event=EventFactory(), order=1)  # another event may reuse it
    assert_rejected("session_unique_order_in_event", lambda: SessionFactory(event=event, order=1))


def test_appearance_order_is_unique_within_its_session():
    session = SessionFactory()
    AppearanceFactory(session=session, order=1)
    assert_rejected(
        "appearance_unique_order_in_session", lambda: AppearanceFactory(session=session, order=1)
    )


def test_document_order_is_unique_within_its_event():
    event = EventFactory()
    DocumentFactory(event=event, order=1)
    assert_rejected("document_unique_order_in_event", lambda: DocumentFactory(event=event, order=1))


def test_document_is_a_file_or_a_url_not_both():
    assert_rejected(
        "document_file_or_url_not_both",
        lambda: DocumentFactory(file="documents/a.pdf", url="https://example.org/a.pdf"),
    )


def test_focus_area_number_is_unique_within_its_programme():
    jakarta = FocusAreaFactory(number=1).programme
    from focus_areas.models import FocusArea

    assert_rejected(
        "focusarea_unique_number_in_programme",
        lambda: FocusArea.objects.create(programme=jakarta, number=1, title="Lain", slug="lain"),
    )
    other = ProgrammeFactory(slug="lain", name="Lain", city="Semarang")
    assert FocusArea.objects.create(programme=other, number=1, title="Lain", slug="lain").pk


def test_focus_area_used_at_most_once_per_session():
    area = FocusAreaFactory(number=1)
    group = DiscussionGroupFactory(focus_area=area, number=1)
    assert_rejected(
        "group_focus_area_once_per_session",
        lambda: DiscussionGroupFactory(session=group.session, focus_area=area, number=2),
    )


def test_group_number_is_unique_within_its_session():
    group = DiscussionGroupFactory(number=1)
    assert_rejected(
        "group_unique_number_in_session",
        lambda: DiscussionGroupFactory(session=group.session, number=1),
    )


def test_conclusion_order_is_unique_within_group_and_within_parent():
    point = ConclusionFactory(order=1)
    assert_rejected(
        "conclusion_unique_order_in_group", lambda: ConclusionFactory(group=point.group, order=1)
    )
    ConclusionFactory(group=point.group, parent=point, order=1)
    assert_rejected(
        "conclusion_unique_order_in_parent",
        lambda: ConclusionFactory(group=point.group, parent=point, order=1),
    )
    # A sub-point may share a number with a top-level point.
    other = ConclusionFactory(group=point.group, order=2)
    ConclusionFactory(group=point.group, parent=other, order=1)
