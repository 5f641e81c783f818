"""Generated proceedings for benchmarks and load tests: many events, many conclusions."""

import datetime
import itertools

from django.core.management import BaseCommand
from django.db import connection, transaction

from focus_areas.hazard_matches import rematch_all
from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from follow_up.models import Link, LinkKind, Plan, PlanItem, StatusUpdate
from follow_up.rules import sort_key_of
from jakres.core.cache import bump_content_version
from search_index.indexing import rebuild as rebuild_search_index
from workshops.models import (
    Appearance,
    AppearanceRole,
    Event,
    EventKind,
    EventOrganiser,
    EventStatus,
    Hazard,
    Organisation,
    OrganiserRole,
    Person,
    Programme,
    Session,
    SessionKind,
    ShockStress,
    ShockStressKind,
)

TEXT = (
    "Perlu adanya program untuk meningkatkan ketahanan kota melalui kolaborasi "
    "pemerintah, swasta, komunitas dan akademisi"
)


class Command(BaseCommand):
    help = "Add generated published events (default 300 events with 15,000 conclusions)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=300)
        parser.add_argument("--conclusions", type=int, default=15000)

    @transaction.atomic
    def handle(self, *args, events, conclusions, **options):
        self.programme = Programme.objects.default()
        areas = list(FocusArea.objects.filter(programme=self.programme).order_by("number")[:5])
        if len(areas) < 5:
            raise SystemExit(
                "Load the fixture first (manage.py setup_portal): it has the focus areas."
            )
        per_group = max(1, conclusions // (events * len(areas)))
        people = Person.objects.bulk_create(
            Person(name=f"Narasumber {n}", slug=f"bench-narasumber-{n}") for n in range(50)
        )
        made = self._events(events)
        self._organisers(made)
        groups = self._parts(made, people, areas, per_group)
        self._shocks_and_stresses(made)
        follow_up = generate_follow_up(self.programme, made)
        rebuild_search_index()  # bulk_create sends no signals
        rematch_all()  # nor are the shocks and stresses the conclusions name matched
        transaction.on_commit(bump_content_version)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables' new sizes.
            transaction.on_commit(lambda: connection.cursor().execute("ANALYZE"))
        self.stdout.write(
            f"Added {len(made)} events, {len(groups)} groups and "
            f"{len(groups) * per_group} conclusions; {follow_up}."
        )

    def _events(self, events):
        start = datetime.date(2019, 1, 1)
        return Event.objects.bulk_create(
            Event(
                programme=self.programme,
                title=f"Lokakarya Uji Beban {n}",
                title_ind=f"Lokakarya Uji Beban {n}",
                title_en=f"Load Test Workshop {n}",
                slug=f"bench-lokakarya-{n}",
                kind=EventKind.WORKSHOP,
                start_date=start + datetime.timedelta(days=n),
                status=EventStatus.PUBLISHED,
                summary_ind="Ringkasan lokakarya yang dibuat untuk uji beban.",
                summary_en="Summary of a workshop generated for load testing.",
            )
            for n in range(events)
        )

    def _organisers(self, made):
        """Each event: an organiser and a partner (two organisations shared by all)."""
        organiser, partner = (
            Organisation.objects.get_or_create(
                slug=slug, defaults={"name_ind": name, "name_en": name, "name": name}
            )[0]
            for slug, name in (
                ("bench-penyelenggara", "Penyelenggara Uji Beban"),
                ("bench-mitra", "Mitra Uji Beban"),
            )
        )
        EventOrganiser.objects.bulk_create(
            EventOrganiser(event=event, organisation=organisation, role=role, order=order)
            for event in made
            for order, (organisation, role) in enumerate(
                ((organiser, OrganiserRole.ORGANISER), (partner, OrganiserRole.PARTNER)), start=1
            )
        )

    def _parts(self, made, people, areas, per_group):
        """Each event: a panel of three and a group discussion with a group per area."""
        sessions = Session.objects.bulk_create(
            Session(event=event, order=order, kind=kind, title_ind=title, title_en=title)
            for event in made
            for order, kind, title in (
                (1, SessionKind.PANEL, "Diskusi panel"),
                (2, SessionKind.GROUP_DISCUSSION, "Diskusi kelompok"),
            )
        )
        Appearance.objects.bulk_create(
            Appearance(
                session=session,
                person=people[(index + position) % len(people)],
                role=AppearanceRole.PANELIST,
                order=position,
                title_at_time_ind="Kepala Bidang",
                summary_ind=TEXT,
            )
            for index, session in enumerate(sessions)
            if session.order == 1
            for position in (1, 2, 3)
        )
        groups = DiscussionGroup.objects.bulk_create(
            DiscussionGroup(session=session, focus_area=area, number=area.number)
            for session in sessions
            if session.order == 2
            for area in areas
        )
        Conclusion.objects.bulk_create(
            Conclusion(
                group=group, order=order, number=order, text_ind=f"{TEXT} ({order})", text_en=""
            )
            for group in groups
            for order in range(1, per_group + 1)
        )
        return groups

    def _shocks_and_stresses(self, made):
        """Eleven shared shocks and stresses, every event naming all of them (each page
        lists every event). "ketahanan kota" is in every generated conclusion: the
        worst case of a shock or stress page's conclusions."""
        names = [(ShockStressKind.SHOCK, f"guncangan uji {n}") for n in range(1, 7)]
        names += [(ShockStressKind.STRESS, f"tekanan uji {n}") for n in range(1, 5)]
        names.append((ShockStressKind.STRESS, "ketahanan kota"))
        hazards = Hazard.objects.bulk_create(
            Hazard(kind=kind, name=name, name_ind=name, name_en=name,
                   slug=f"bench-{name.replace(' ', '-')}")
            for kind, name in names
        )  # fmt: skip
        ShockStress.objects.bulk_create(
            ShockStress(event=event, hazard=hazard, order=order)
            for event in made
            for order, hazard in enumerate(hazards, start=1)
        )


# --- The follow-up (issue 12) --------------------------------------------------------
#
# The strategy fixture has two plans of three pillars each, and no links or statuses
# (its sources give none). The generated data keeps the two plans and fills each to the
# depth the model allows (3 pillars × 4 goals × 5 actions), links every generated
# conclusion once (the worst case for the follow-up list and the trail annotations:
# 70 % taken up, 15 % refined at the next event, 15 % not taken up), and gives every
# item three dated status updates, a third of them older than 12 months.

SOURCE = "https://example.org/strategi-uji-beban.pdf"
STATUSES = ("planned", "started", "in_progress", "done", "stalled")


def generate_follow_up(programme, events):
    plans = Plan.objects.bulk_create(
        Plan(programme=programme, slug=f"bench-rencana-{n}", title_ind=f"Rencana Uji Beban {n}",
             title_en=f"Load Test Plan {n}", source_url=SOURCE, order=10 + n)
        for n in (1, 2)
    )  # fmt: skip
    actions = [item for plan in plans for item in _plan_tree(plan) if item.depth == 3]
    links = _links(events, actions)
    updates = _updates(PlanItem.objects.filter(plan__in=plans))
    return f"{len(plans)} plans, {len(links)} links, {len(updates)} status updates"


def _items(plan, codes, parents):
    return PlanItem.objects.bulk_create(
        PlanItem(plan=plan, parent=parents.get(code.rpartition(".")[0]), code=code,
                 sort_key=sort_key_of(code), title_ind=f"Butir {code}", title_en=f"Item {code}",
                 source_url=SOURCE)
        for code in codes
    )  # fmt: skip


def _plan_tree(plan):
    pillars = _items(plan, [str(p) for p in range(1, 4)], {})
    by_code = {item.code: item for item in pillars}
    goals = _items(plan, [f"{p}.{g}" for p in range(1, 4) for g in range(1, 5)], by_code)
    by_code = {item.code: item for item in goals}
    codes = [f"{goal}.{a}" for goal in by_code for a in range(1, 6)]
    return [*pillars, *goals, *_items(plan, codes, by_code)]


def _links(events, actions):
    conclusions = list(
        Conclusion.objects.filter(group__session__event__in=events)
        .order_by("group__session__event__start_date", "group__focus_area__number", "order")
        .values_list("pk", "group__focus_area__number", "order", "group__session__event_id")
    )
    event_ids = [event.pk for event in events]
    after = dict(itertools.pairwise(event_ids))
    firsts = {(e, n, o): pk for pk, n, o, e in conclusions}
    made = []
    for index, (pk, number, order, event_id) in enumerate(conclusions):
        later = firsts.get((after.get(event_id), number, order))
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=index % 900)
        made.append(_link(index, pk, later, actions, day))
    return Link.objects.bulk_create(made, batch_size=2000)


def _link(index, pk, later, actions, day):
    choice = index % 20
    if choice < 14 or later is None:
        return Link(conclusion_id=pk, kind=LinkKind.TAKEN_UP, plan_item=actions[index % len(actions)],
                    date=day, note_ind="Diambil dalam rencana.", source_url=SOURCE, state="published")  # fmt: skip
    if choice < 17:
        return Link(conclusion_id=pk, kind=LinkKind.REFINED, later_conclusion_id=later,
                    date=day, note_ind="Dipertajam.", state="published")  # fmt: skip
    return Link(conclusion_id=pk, kind=LinkKind.NOT_TAKEN_UP, date=day,
                note_ind="Di luar kewenangan.", source_url=SOURCE, state="published")  # fmt: skip


def _updates(items):
    today = datetime.date.today()
    made = []
    for index, item in enumerate(items):
        last = today - datetime.timedelta(days=500 if index % 3 == 0 else 60)
        for step in range(3):
            status = STATUSES[(index + step) % len(STATUSES)]
            made.append(
                StatusUpdate(
                    item=item,
                    date=last - datetime.timedelta(days=120 * (2 - step)),
                    status=status,
                    percent=40 if status == "in_progress" else None,
                    note_ind="Pembaruan uji beban.",
                    evidence_url=SOURCE,
                    state="published",
                )
            )
    return StatusUpdate.objects.bulk_create(made)
