"""A generated event ten times the size of the 26 Sept 2018 workshop, for query budgets."""

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from tests.factories import (
    AppearanceFactory,
    DocumentFactory,
    EventFactory,
    EventOrganiserFactory,
    PersonFactory,
    PhotoFactory,
    SectorFactory,
    SessionFactory,
    ShockStressFactory,
)
from workshops.models import AppearanceRole, OrganiserRole, SessionKind


def make_large_event(*, scale=10, **event_fields):
    """Sessions, speakers, groups, conclusions (with sub-points), documents and photos ×scale."""
    event = EventFactory(**event_fields)
    event.sectors.set([SectorFactory() for _ in range(8)])
    event.preceded_by.set([EventFactory() for _ in range(2)])
    roles = (OrganiserRole.ORGANISER, OrganiserRole.PARTNER, OrganiserRole.SUPPORTER)
    for position in range(1, scale + 1):
        EventOrganiserFactory(event=event, order=position, role=roles[position % 3])
    areas = [
        FocusArea.objects.get_or_create(
            programme=event.programme,
            number=n,
            defaults={"title": f"Fokus {n}", "slug": f"fokus-uji-{n}"},
        )[0]
        for n in range(1, 6)
    ]
    order = 0
    for _ in range(scale):
        order += 1
        presentation = SessionFactory(event=event, order=order, kind=SessionKind.PRESENTATION)
        AppearanceFactory(session=presentation, order=1, role=AppearanceRole.PRESENTER)
        order += 1
        panel = SessionFactory(event=event, order=order, kind=SessionKind.PANEL)
        for position in range(1, 4):
            AppearanceFactory(session=panel, order=position)
        AppearanceFactory(session=panel, order=4, role=AppearanceRole.MODERATOR, summary="")
        order += 1
        groups = SessionFactory(event=event, order=order, kind=SessionKind.GROUP_DISCUSSION)
        for area in areas:
            group = DiscussionGroup.objects.create(
                session=groups, focus_area=area, number=area.number
            )
            for position in range(1, 5):
                point = Conclusion.objects.create(
                    group=group, order=position, text=f"Simpulan {position}"
                )
            for position in range(1, 3):
                Conclusion.objects.create(group=group, parent=point, order=position, text="Sub")
    for position in range(1, 11 * scale):
        ShockStressFactory(event=event, order=position)
    for position in range(1, 4 * scale + 1):
        DocumentFactory(event=event, order=position, person=PersonFactory())
    for position in range(1, 7 * scale + 1):
        PhotoFactory(event=event, order=position, image=f"photos/uji-{position}.jpg")
    return event
