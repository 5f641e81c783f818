"""The follow-up's rules (issue 12): every link kind, every status rule, and the
checks that keep bad links and updates out, each with its message at its field."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from focus_areas.models import DiscussionGroup
from follow_up.models import Link, LinkKind, PlanItem, StatusUpdate
from follow_up.rules import shown_status, twelve_months_after
from follow_up.selectors import (
    attach_outcomes,
    item_statuses,
    mark_trails,
    outcome_counts_of_area,
    statuses_of_items,
)
from tests.factories import (
    ConclusionFactory,
    EventFactory,
    LinkFactory,
    PlanFactory,
    PlanItemFactory,
    ProgrammeFactory,
    StatusUpdateFactory,
)
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """The rules' messages are asserted in English (the admin shows them in Indonesian)."""
    with translation.override("en"):
        yield


TODAY = datetime.date(2026, 11, 28)


def conclusion_at(day, status=EventStatus.PUBLISHED, programme=None):
    event = EventFactory(start_date=day, status=status, programme=programme or ProgrammeFactory())
    return ConclusionFactory(group__session__event=event)


def errors_of(obj):
    with pytest.raises(ValidationError) as failure:
        obj.full_clean()
    return failure.value.message_dict


# --- Every link kind ---------------------------------------------------------------------


def test_taken_up_link_names_a_plan_item_and_shows_its_status():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    item = PlanItemFactory()
    StatusUpdateFactory(item=item, status="in_progress", percent=40)
    link = Link(conclusion=conclusion, kind=LinkKind.TAKEN_UP, plan_item=item,
                date=datetime.date(2019, 6, 1), source_url="https://example.org/s")  # fmt: skip
    link.full_clean()
    link.state = "published"
    link.save()
    attach_outcomes([conclusion])
    assert conclusion.latest_outcome == link
    shown = conclusion.latest_outcome.shown
    assert shown.key == "in_progress" and shown.percent == 40


@pytest.mark.parametrize("kind", [LinkKind.REPEATED, LinkKind.REFINED, LinkKind.REPLACED])
def test_carried_links_name_a_later_events_conclusion(kind):
    programme = ProgrammeFactory()
    earlier = conclusion_at(datetime.date(2018, 9, 26), programme=programme)
    later = conclusion_at(datetime.date(2018, 11, 20), programme=programme)
    link = Link(
        conclusion=earlier, kind=kind, later_conclusion=later, date=datetime.date(2018, 11, 20)
    )
    link.full_clean()
    link.state = "published"
    link.save()
    attach_outcomes([earlier])
    assert earlier.latest_outcome.later_conclusion == later
    assert list(Link.objects.public().filter(later_conclusion=later)) == [link]


def test_not_taken_up_needs_its_reason():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    link = Link(conclusion=conclusion, kind=LinkKind.NOT_TAKEN_UP, date=datetime.date(2019, 6, 1))
    assert "Give the reason it was not taken up." in errors_of(link)["note_ind"]
    link.note_ind = "Di luar kewenangan provinsi."
    link.full_clean()


def test_a_link_from_a_whole_group_or_focus_area_reaches_its_conclusions():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    item = PlanItemFactory(plan__programme=conclusion.group.focus_area.programme)
    for origin in ({"group": conclusion.group}, {"focus_area": conclusion.group.focus_area}):
        link = Link(kind=LinkKind.TAKEN_UP, plan_item=item, date=datetime.date(2019, 6, 1),
                    **origin)  # fmt: skip
        link.full_clean()
        link.state = "published"
        link.save()
        attach_outcomes([conclusion])
        assert conclusion.latest_outcome == link
        link.delete()


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_public_links_hide_whatever_touches_an_unpublished_event(status):
    """Link.objects.public() (checked against the conclusions and groups of events not
    published, not joined to the public ones): a link from a conclusion or group of an
    event, or carried to a later conclusion of one, is hidden while that event is not
    published and public again once it is; a focus area's link and a withdrawn link
    do not depend on it."""
    programme = ProgrammeFactory()
    early = conclusion_at(datetime.date(2018, 9, 26), programme=programme)
    later = conclusion_at(datetime.date(2018, 11, 20), programme=programme)
    item = PlanItemFactory(plan__programme=programme)
    links = {
        "conclusion": LinkFactory(conclusion=early, plan_item=item),
        "group": LinkFactory(conclusion=None, group=early.group, plan_item=item),
        "area": LinkFactory(conclusion=None, focus_area=early.group.focus_area, plan_item=item),
        "carried": LinkFactory(conclusion=early, kind="refined", plan_item=None,
                               later_conclusion=later, date=datetime.date(2018, 11, 20)),
        "withdrawn": LinkFactory(conclusion=later, plan_item=item, state="withdrawn"),
    }  # fmt: skip

    def public():
        found = set(Link.objects.public().values_list("pk", flat=True))
        return sorted(name for name, link in links.items() if link.pk in found)

    assert public() == ["area", "carried", "conclusion", "group"]
    for event, hidden in ((early, ["area"]), (later, ["area", "conclusion", "group"])):
        event = event.group.session.event
        event.status = status
        event.save()
        assert public() == hidden
        assert Link.objects.public().count() == len(hidden)
        event.status = EventStatus.PUBLISHED
        event.save()
        assert public() == ["area", "carried", "conclusion", "group"]


def test_the_kind_decides_the_target():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    item = PlanItemFactory()
    link = Link(conclusion=conclusion, kind=LinkKind.TAKEN_UP, date=datetime.date(2019, 6, 1))
    assert errors_of(link) == {"plan_item": ["Choose the plan item it was taken up in."]}
    link.kind, link.plan_item = LinkKind.REFINED, item
    assert "later_conclusion" in errors_of(link)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(conclusion=conclusion, kind=LinkKind.NOT_TAKEN_UP, plan_item=item,
                            date=datetime.date(2019, 6, 1))  # fmt: skip


def test_a_link_has_exactly_one_origin():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    link = Link(conclusion=conclusion, group=conclusion.group, kind=LinkKind.NOT_TAKEN_UP,
                note_ind="x", date=datetime.date(2019, 6, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="exactly one"):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


# --- What a link may not be ---------------------------------------------------------------


def test_a_link_to_a_conclusion_of_an_unpublished_event_is_refused():
    programme = ProgrammeFactory()
    earlier = conclusion_at(datetime.date(2018, 9, 26), programme=programme)
    draft = conclusion_at(datetime.date(2018, 11, 1), status=EventStatus.DRAFT, programme=programme)
    link = Link(conclusion=earlier, kind=LinkKind.REFINED, later_conclusion=draft,
                date=datetime.date(2018, 11, 1))  # fmt: skip
    [message] = errors_of(link)["later_conclusion"]
    assert "is not published" in message


def test_a_link_dated_before_the_conclusions_event_is_refused():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    link = Link(conclusion=conclusion, kind=LinkKind.NOT_TAKEN_UP, note_ind="alasan",
                date=datetime.date(2018, 9, 25))  # fmt: skip
    assert errors_of(link) == {"date": ["The date is before the event (2018-09-26)."]}


def test_a_later_conclusion_must_be_of_a_later_event_and_not_itself():
    programme = ProgrammeFactory()
    conclusion = conclusion_at(datetime.date(2018, 9, 26), programme=programme)
    earlier = conclusion_at(datetime.date(2018, 8, 23), programme=programme)
    link = Link(conclusion=conclusion, kind=LinkKind.REPEATED, later_conclusion=earlier,
                date=datetime.date(2018, 9, 26))  # fmt: skip
    assert errors_of(link) == {
        "later_conclusion": ["The later conclusion must be of a later event."]
    }
    link.later_conclusion = conclusion
    assert errors_of(link) == {"later_conclusion": ["A conclusion cannot be carried to itself."]}


def test_a_link_to_another_programmes_plan_item_is_refused():
    conclusion = conclusion_at(datetime.date(2018, 9, 26))
    other = PlanItemFactory(plan__programme=ProgrammeFactory(slug="kota-lain", name="Kota Lain"))
    link = Link(conclusion=conclusion, kind=LinkKind.TAKEN_UP, plan_item=other,
                date=datetime.date(2019, 6, 1))  # fmt: skip
    assert errors_of(link) == {"plan_item": ["This plan item belongs to another programme."]}


def test_a_link_that_already_exists_is_refused_at_its_field():
    link = LinkFactory(conclusion=conclusion_at(datetime.date(2018, 9, 26)))
    again = Link(conclusion=link.conclusion, kind=LinkKind.TAKEN_UP, plan_item=link.plan_item,
                 date=datetime.date(2019, 7, 1))  # fmt: skip
    assert errors_of(again) == {"plan_item": ["This link already exists."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()
    not_taken = Link.objects.create(conclusion=link.conclusion, kind=LinkKind.NOT_TAKEN_UP,
                                    note_ind="a", date=datetime.date(2019, 6, 1))  # fmt: skip
    twice = Link(conclusion=link.conclusion, kind=LinkKind.NOT_TAKEN_UP, note_ind="b",
                 date=not_taken.date)  # fmt: skip
    assert errors_of(twice) == {"kind": ["This link already exists."]}


# --- Status ----------------------------------------------------------------------------------


def update(status="started", date=TODAY, percent=None):
    return StatusUpdate(status=status, date=date, percent=percent)


def test_status_is_the_latest_published_update():
    item = PlanItemFactory()
    StatusUpdateFactory(item=item, status="planned", date=TODAY - datetime.timedelta(days=90))
    StatusUpdateFactory(item=item, status="started", date=TODAY - datetime.timedelta(days=30))
    StatusUpdateFactory(item=item, status="done", date=TODAY - datetime.timedelta(days=5),
                        state="draft")  # fmt: skip
    StatusUpdateFactory(item=item, status="stalled", date=TODAY - datetime.timedelta(days=1),
                        state="withdrawn")  # fmt: skip
    assert item_statuses(PlanItem.objects.filter(pk=item.pk))[item.pk].key == "started"


def test_statuses_of_items_are_those_item_statuses_gives():
    """statuses_of_items (the lists' outcomes) reads the updates, not the items: the
    same latest published update (the latest date, then the latest entered), percent,
    stale date and none, as item_statuses (the database's per item subqueries)."""
    days = datetime.timedelta(days=1)
    tied, stale, drafted, bare = (PlanItemFactory() for _ in range(4))
    StatusUpdateFactory(item=tied, status="started", date=TODAY - 9 * days)
    StatusUpdateFactory(item=tied, status="in_progress", date=TODAY - 3 * days, percent=40)
    StatusUpdateFactory(item=tied, status="stalled", date=TODAY - 3 * days)
    StatusUpdateFactory(item=tied, status="planned", date=TODAY - 5 * days)
    StatusUpdateFactory(item=stale, status="in_progress", date=TODAY - 500 * days, percent=10)
    StatusUpdateFactory(item=drafted, status="planned", date=TODAY - 8 * days)
    StatusUpdateFactory(item=drafted, status="done", date=TODAY - days, state="draft")
    items = [tied, stale, drafted, bare]
    expected = item_statuses(PlanItem.objects.filter(pk__in=[i.pk for i in items]))
    assert [expected[i.pk].key for i in items] == ["stalled", "no_news", "planned", "no_update"]
    assert statuses_of_items([i.pk for i in items] + [None]) == expected
    assert statuses_of_items([None]) == {}


def test_an_item_without_updates_has_no_status_reported():
    item = PlanItemFactory()
    assert item_statuses(PlanItem.objects.filter(pk=item.pk))[item.pk].key == "no_update"
    assert shown_status(None, TODAY) == ("no_update", None, None)


@pytest.mark.parametrize("status", ["planned", "started", "in_progress", "stalled"])
def test_no_update_for_twelve_months_shows_no_news_since_its_date(status):
    year_ago = datetime.date(2025, 11, 28)
    assert shown_status(update(status, year_ago), TODAY)[:2] == (status, year_ago)
    older = datetime.date(2025, 11, 27)
    assert shown_status(update(status, older), TODAY) == ("no_news", older, None)


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_a_final_status_stays_shown_however_old(status):
    assert shown_status(update(status, datetime.date(2019, 1, 1)), TODAY)[0] == status


def test_twelve_months_after_a_leap_day():
    assert twelve_months_after(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_in_progress_may_carry_a_percentage_from_0_to_100():
    item = PlanItemFactory()
    for percent in (0, 55, 100, None):
        StatusUpdate(item=item, date=TODAY - datetime.timedelta(days=1), status="in_progress",
                     percent=percent, evidence_url="https://example.org/e").full_clean()  # fmt: skip
    bad = StatusUpdate(item=item, date=TODAY - datetime.timedelta(days=1), status="in_progress",
                       percent=101, evidence_url="https://example.org/e")  # fmt: skip
    assert "percent" in errors_of(bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_a_percentage_goes_with_in_progress_only():
    bad = StatusUpdate(item=PlanItemFactory(), date=datetime.date(2020, 1, 1), status="done",
                       percent=100, evidence_url="https://example.org/e")  # fmt: skip
    assert errors_of(bad) == {"percent": ["A percentage goes with “in progress” only."]}


def test_an_update_needs_evidence_a_file_or_a_url():
    bad = StatusUpdate(item=PlanItemFactory(), date=datetime.date(2020, 1, 1), status="started")
    assert "evidence_url" in errors_of(bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


# --- Plan items -----------------------------------------------------------------------------


def test_item_codes_follow_the_tree_up_to_three_levels():
    plan = PlanFactory()
    pillar = PlanItemFactory(plan=plan, code="1")
    goal = PlanItemFactory(plan=plan, code="1.2", parent=pillar)
    action = PlanItem(
        plan=plan, code="1.2.10", parent=goal, title="Aksi", source_url="https://e.org"
    )
    action.full_clean()
    action.save()
    assert action.sort_key == "001.002.010" and action.depth == 3
    too_deep = PlanItem(
        plan=plan, code="1.2.10.1", parent=action, title="x", source_url="https://e.org"
    )
    assert errors_of(too_deep) == {"code": ["A plan has at most 3 levels."]}
    wrong = PlanItem(plan=plan, code="2.1", parent=goal, title="x", source_url="https://e.org")
    assert errors_of(wrong) == {"code": ["Under “1.2” the code is “1.2.N”."]}
    orphan = PlanItem(plan=plan, code="3.1", title="x", source_url="https://e.org")
    assert "parent" in errors_of(orphan)
    assert [i.code for i in plan.items.all()] == ["1", "1.2", "1.2.10"]


# --- The focus area's summary, counted by the database --------------------------------------


def test_the_focus_areas_counts_follow_each_conclusions_latest_public_outcome():
    """outcome_counts_of_area (one SQL query) counts what attach_outcomes (per
    conclusion) shows: the latest public link made on the conclusion, its group or its
    area wins; drafts, a later conclusion of a draft event and other areas count not."""
    first = conclusion_at(datetime.date(2018, 9, 26))
    area, programme = first.group.focus_area, first.group.focus_area.programme
    same_group = ConclusionFactory(group=first.group)
    other_group = ConclusionFactory(group__focus_area=area, group__session__event__programme=programme,
                                    group__session__event__status=EventStatus.PUBLISHED)  # fmt: skip
    untouched = ConclusionFactory(group__focus_area=area, group__session__event__programme=programme,
                                  group__session__event__status=EventStatus.PUBLISHED)  # fmt: skip
    elsewhere = ConclusionFactory(group__session__event__programme=programme,
                                  group__session__event__status=EventStatus.PUBLISHED)  # fmt: skip
    hidden = conclusion_at(datetime.date(2018, 9, 26), status=EventStatus.DRAFT)
    early, late, newer = (PlanItemFactory(plan__programme=programme) for _ in range(3))
    StatusUpdateFactory(item=late, status="done")
    StatusUpdateFactory(item=newer, status="stalled")
    day = datetime.date
    # The group's link (2019) is later than first's own (2018-12), but not than
    # same_group's own (2020); the area's link (2019-03) is the latest for other_group
    # only after its own, older one; a newer draft link and a carried link to a draft
    # event's conclusion are not public.
    LinkFactory(conclusion=first, plan_item=early, date=day(2018, 12, 1))
    LinkFactory(conclusion=None, group=first.group, plan_item=late, date=day(2019, 1, 1))
    LinkFactory(conclusion=same_group, kind="not_taken_up", plan_item=None, note_ind="x",
                date=day(2020, 1, 1))  # fmt: skip
    LinkFactory(conclusion=other_group, plan_item=late, date=day(2018, 11, 1))
    LinkFactory(conclusion=None, focus_area=area, plan_item=early, date=day(2019, 3, 1))
    LinkFactory(conclusion=other_group, plan_item=newer, date=day(2021, 1, 1), state="draft")
    LinkFactory(conclusion=untouched, kind="refined", plan_item=None, later_conclusion=hidden,
                date=day(2022, 1, 1))  # fmt: skip
    LinkFactory(conclusion=elsewhere, kind="not_taken_up", plan_item=None, note_ind="y")

    statuses = item_statuses(PlanItem.objects.all())
    counts = outcome_counts_of_area(area, statuses)
    shown = {key: number for key, number in counts.items() if number}

    conclusions = [first, same_group, other_group, untouched]
    attach_outcomes(conclusions)
    expected = Counter(
        c.latest_outcome.outcome if c.latest_outcome else "none" for c in conclusions
    )
    assert shown == dict(expected)
    # first and other_group: the area's link to `early` (no update); same_group: not
    # taken up; untouched: the area's link too (its own one is not public).
    assert shown == {"no_update": 3, "not_taken_up": 1}


def test_the_focus_areas_counts_read_the_linked_items_statuses_as_item_statuses_does():
    """Without `statuses`, outcome_counts_of_area reads each linked item's latest
    published update in its own query: the same outcomes as with item_statuses of the
    programme's items (a draft update, an older update and another programme's item's
    updates do not count)."""
    first = conclusion_at(datetime.date(2018, 9, 26))
    area, programme = first.group.focus_area, first.group.focus_area.programme
    group = first.group

    def conclusion():
        return ConclusionFactory(group=group)

    done, stale, draft_only, foreign = (
        PlanItemFactory(plan__programme=programme) for _ in range(4)
    )
    foreign.plan.programme = ProgrammeFactory(slug="lain", name="Lain")  # bad data
    foreign.plan.save()
    day = datetime.date
    StatusUpdateFactory(item=done, status="started", date=day(2024, 1, 1))
    StatusUpdateFactory(item=done, status="done", date=day(2025, 1, 1))
    StatusUpdateFactory(item=done, status="stalled", date=day(2026, 1, 1), state="draft")
    StatusUpdateFactory(item=stale, status="in_progress", percent=40, date=day(2020, 1, 1))
    StatusUpdateFactory(item=draft_only, status="started", state="draft")
    StatusUpdateFactory(item=foreign, status="done", date=day(2025, 1, 1))
    LinkFactory(conclusion=first, plan_item=done, date=day(2019, 1, 1))
    LinkFactory(conclusion=conclusion(), plan_item=done, date=day(2019, 1, 1))
    LinkFactory(conclusion=conclusion(), plan_item=stale, date=day(2019, 1, 1))
    LinkFactory(conclusion=conclusion(), plan_item=draft_only, date=day(2019, 1, 1))
    LinkFactory(conclusion=conclusion(), plan_item=foreign, date=day(2019, 1, 1))
    conclusion()  # no link

    statuses = item_statuses(PlanItem.objects.filter(plan__programme=programme))
    counts = outcome_counts_of_area(area)
    assert counts == outcome_counts_of_area(area, statuses)
    shown = {key: number for key, number in counts.items() if number}
    assert shown == {"done": 2, "no_news": 1, "no_update": 2, "none": 1}


def test_a_conclusion_has_a_trail_by_its_own_group_area_or_carried_link():
    """mark_trails (the proceedings' "Follow-up" links): a public link made on the
    conclusion, its group or its focus area, or carried to it, gives a trail; a draft
    link or one carried to a conclusion of a draft event does not."""
    own, by_group, by_area, carried_to, none = (
        conclusion_at(datetime.date(2018, 9, 26)) for _ in range(5)
    )
    item = PlanItemFactory()
    hidden = conclusion_at(datetime.date(2018, 9, 26), status=EventStatus.DRAFT)
    LinkFactory(conclusion=own, plan_item=item)
    LinkFactory(conclusion=None, group=by_group.group, plan_item=item)
    LinkFactory(conclusion=None, focus_area=by_area.group.focus_area, plan_item=item)
    LinkFactory(conclusion=none, kind="refined", plan_item=None, later_conclusion=carried_to)
    LinkFactory(conclusion=none, plan_item=PlanItemFactory(), state="draft")
    LinkFactory(conclusion=none, kind="replaced", plan_item=None, later_conclusion=hidden)
    LinkFactory(conclusion=hidden, kind="repeated", plan_item=None, later_conclusion=none)
    groups = list(
        DiscussionGroup.objects.prefetch_related("conclusions").filter(
            conclusions__in=[own, by_group, by_area, carried_to, none]
        )
    )
    mark_trails(groups)
    trails = {c.text: c.has_trail for g in groups for c in g.conclusions.all()}
    assert trails == {own.text: True, by_group.text: True, by_area.text: True,
                      carried_to.text: True, none.text: True}  # fmt: skip
    # none's trail is its own (draft-free) refined link; without it, nothing is public.
    Link.objects.filter(conclusion=none, kind="refined").delete()
    groups = list(DiscussionGroup.objects.prefetch_related("conclusions").filter(pk=none.group_id))
    mark_trails(groups)
    assert [c.has_trail for c in groups[0].conclusions.all()] == [False]
