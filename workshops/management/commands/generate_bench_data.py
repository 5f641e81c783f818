"""Generated proceedings for benchmarks and load tests: many events, many conclusions."""

import datetime

from django.core.management import BaseCommand
from django.db import connection, transaction

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from jakres.core.cache import bump_content_version
from search_index.indexing import rebuild as rebuild_search_index
from workshops.models import (
    Appearance,
    AppearanceRole,
    Event,
    EventKind,
    EventStatus,
    Person,
    Programme,
    Session,
    SessionKind,
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
        groups = self._parts(made, people, areas, per_group)
        rebuild_search_index()  # bulk_create sends no signals
        transaction.on_commit(bump_content_version)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables' new sizes.
            transaction.on_commit(lambda: connection.cursor().execute("ANALYZE"))
        self.stdout.write(
            f"Added {len(made)} events, {len(groups)} groups and "
            f"{len(groups) * per_group} conclusions."
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
            Conclusion(group=group, order=order, text_ind=f"{TEXT} ({order})", text_en="")
            for group in groups
            for order in range(1, per_group + 1)
        )
        return groups
