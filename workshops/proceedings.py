"""What a proceedings page shows, shared by the public page, the staff preview and the
export: the loader (with_proceedings) and the page's template context."""

from django.db import models
from django.db.models import Q
from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.utils.translation import gettext

from focus_areas.models import Conclusion, DiscussionGroup
from follow_up.selectors import mark_trails
from workshops.models import (
    Appearance,
    Document,
    Event,
    EventOrganiser,
    EventStatus,
    OrganiserRole,
    Photo,
    Session,
    ShockStress,
    ShockStressKind,
)
from workshops.structured_data import event_jsonld


def with_proceedings(queryset, neighbours=True):
    """`queryset` (of events) with everything a proceedings page or export shows, in a
    fixed number of queries. Without `neighbours`, the events that came before and
    after are left to proceedings_context() (one query for both, not two)."""
    # Linked events show only their title, date and what their output feeds.
    published = (
        Event.objects.published()
        .order_by("start_date")
        .only("slug", "kind", "status", "start_date", "title_ind", "title_en",
              "feeds_into_ind", "feeds_into_en")
    )  # fmt: skip
    linked = (
        [models.Prefetch("preceded_by", queryset=published),
         models.Prefetch("followed_by", queryset=published)]
        if neighbours else []
    )  # fmt: skip
    return queryset.prefetch_related(
        *linked,
        models.Prefetch(
            "organisers",
            queryset=EventOrganiser.objects.select_related("organisation").order_by("order"),
        ),
        "sectors",
        models.Prefetch("sessions", queryset=Session.objects.order_by("order")),
        models.Prefetch(
            "sessions__appearances",
            queryset=Appearance.objects.select_related("person", "on_behalf_of").order_by("order"),
        ),
        models.Prefetch(
            "sessions__groups",
            queryset=DiscussionGroup.objects.select_related("focus_area__programme").order_by(
                "number"
            ),
        ),
        models.Prefetch(
            "sessions__groups__conclusions", queryset=Conclusion.objects.order_by("order")
        ),
        models.Prefetch(
            "shocks_stresses",
            queryset=ShockStress.objects.select_related("hazard", "named_by__person").order_by(
                "order"
            ),
        ),
        models.Prefetch(
            "documents", queryset=Document.objects.select_related("person").order_by("order")
        ),
        models.Prefetch("photos", queryset=Photo.objects.exclude(image="").order_by("order")),
    )


def _role_heading(role, count):
    if role == OrganiserRole.ORGANISER:
        return gettext("Organiser") if count == 1 else gettext("Organisers")
    if role == OrganiserRole.PARTNER:
        return gettext("Partner") if count == 1 else gettext("Partners")
    return gettext("Supported by")


def organiser_groups(event):
    """[(heading, [organisation, …])] by role (organisers, partners, supporters), each
    in the order the rows have."""
    rows = list(event.organisers.all())
    groups = []
    for role in OrganiserRole.values:
        organisations = [row.organisation for row in rows if row.role == role]
        if organisations:
            groups.append((_role_heading(role, len(organisations)), organisations))
    return groups


def cited_organisers(event):
    """Who a citation names as author: the organisers (not partners or supporters)."""
    return [
        row.organisation for row in event.organisers.all() if row.role == OrganiserRole.ORGANISER
    ]


def sessions_in_order(event, sessions):
    """The sessions in the programme's order: by day (a session without its own day is
    on the event's first), then by order. Each gets `number`, its position; when the
    event has more than one day, or a session is on another day than the first, the
    first session of each day gets `starts_day` and every session `day_number`."""
    for session in sessions:
        session.event = event  # (session.day reads the event's date)
    ordered = sorted(sessions, key=lambda s: (s.day, s.order))
    several = event.last_date != event.start_date or any(
        s.date and s.date != event.start_date for s in sessions
    )
    previous = None
    for number, session in enumerate(ordered, start=1):
        session.number = number
        session.starts_day = several and session.day != previous
        session.day_number = (session.day - event.start_date).days + 1
        previous = session.day
    return ordered


def neighbours_of(event):
    """(came before, came after): the published events linked to `event`, by date, in
    one query over both directions of the link."""
    links = Event.preceded_by.through.objects.filter(
        Q(from_event=event, to_event__status=EventStatus.PUBLISHED)
        | Q(to_event=event, from_event__status=EventStatus.PUBLISHED)
    ).select_related("from_event", "to_event")
    before, after = [], []
    for link in links:
        if link.from_event_id == event.pk:
            before.append(link.to_event)
        else:
            after.append(link.from_event)
    return (sorted(before, key=lambda e: e.start_date), sorted(after, key=lambda e: e.start_date))


def shared_output(events):
    """The one event whose output (feeds_into) stands for all of `events`, when they
    all say the same in both languages (the page then says it once), else None."""
    if len(events) < 2:
        return None
    first = events[0]
    same = all(
        (e.feeds_into_ind, e.feeds_into_en) == (first.feeds_into_ind, first.feeds_into_en)
        for e in events
    )
    return first if same and first.feeds_into_ind else None


def proceedings_context(event, request):
    """Template context for an event loaded with `with_proceedings()`."""
    sessions = list(event.sessions.all())
    if "preceded_by" in getattr(event, "_prefetched_objects_cache", {}):
        before, after = list(event.preceded_by.all()), list(event.followed_by.all())
    else:
        before, after = neighbours_of(event)
    ordered = sessions_in_order(event, sessions)
    groups = [group for session in ordered for group in session.groups.all()]
    # Whether each conclusion has a public follow-up (one query).
    mark_trails(groups)
    shocks_stresses = list(event.shocks_stresses.all())
    # The shared records (each links to its page), in the event's order.
    named = [s.hazard for s in shocks_stresses]
    documents = list(event.documents.all())
    return {
        "sessions": sessions,
        "sessions_in_order": ordered,
        "before": before,
        "after": after,
        "before_shared_output": shared_output(before),
        "groups": groups,
        "organiser_groups": organiser_groups(event),
        "cited_organisers": cited_organisers(event),
        "shocks": [h for h in named if h.kind == ShockStressKind.SHOCK],
        "stresses": [h for h in named if h.kind == ShockStressKind.STRESS],
        "shocks_named_by": sorted({s.named_by.person.name for s in shocks_stresses if s.named_by}),
        "documents": documents,
        "proceedings_document": next((d for d in documents if d.kind == "proceedings"), None),
        "photos": list(event.photos.all()),
        "jsonld": event_jsonld(event, request),
        "canonical_url": request.build_absolute_uri(event.get_absolute_url()),
    }


def proceedings_parts(context, request):
    """The parts of a proceedings page that its template (workshops/event_detail.html)
    places: title, description, head and body, rendered from a context made by
    proceedings_context (with `event`). Plain strings, so that they can be kept
    (jakres/core/fragments.py): they depend on the event, the language and the
    site's address, and on nothing else of the request."""
    event = context["event"]
    return {
        "title": event.title,
        "description": truncatewords(event.purpose or event.summary, 40),
        "head": render_to_string("workshops/proceedings_head.html", context, request),
        "body": render_to_string("workshops/proceedings_body.html", context, request),
    }
