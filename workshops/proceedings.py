"""What a proceedings page shows, shared by the public page, the staff preview and the
export: the loader (with_proceedings) and the page's template context."""

from django.db import models

from focus_areas.models import Conclusion, DiscussionGroup
from follow_up.selectors import has_trail
from workshops.models import Appearance, Document, Event, Photo, Session, ShockStress
from workshops.structured_data import event_jsonld


def with_proceedings(queryset):
    """`queryset` (of events) with everything a proceedings page or export shows, in a
    fixed number of queries."""
    # Linked events show only their title, date and what their output feeds.
    published = (
        Event.objects.published()
        .order_by("start_date")
        .only("slug", "kind", "status", "start_date", "title_ind", "title_en",
              "feeds_into_ind", "feeds_into_en")
    )  # fmt: skip
    return queryset.select_related("organiser").prefetch_related(
        "sectors",
        models.Prefetch("preceded_by", queryset=published),
        models.Prefetch("followed_by", queryset=published),
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
            "sessions__groups__conclusions",
            # Whether each conclusion has a public follow-up: in the same query.
            queryset=Conclusion.objects.annotate(has_trail=has_trail()).order_by("order"),
        ),
        models.Prefetch(
            "shocks_stresses",
            queryset=ShockStress.objects.select_related("named_by__person").order_by(
                "kind", "order"
            ),
        ),
        models.Prefetch(
            "documents", queryset=Document.objects.select_related("person").order_by("order")
        ),
        models.Prefetch("photos", queryset=Photo.objects.exclude(image="").order_by("order")),
    )


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
    before = list(event.preceded_by.all())
    shocks_stresses = list(event.shocks_stresses.all())
    documents = list(event.documents.all())
    return {
        "sessions": sessions,
        "before": before,
        "after": list(event.followed_by.all()),
        "before_shared_output": shared_output(before),
        "groups": [g for s in sessions for g in s.groups.all()],
        "shocks": [s for s in shocks_stresses if s.kind == "shock"],
        "stresses": [s for s in shocks_stresses if s.kind == "stress"],
        "shocks_named_by": sorted({s.named_by.person.name for s in shocks_stresses if s.named_by}),
        "documents": documents,
        "proceedings_document": next((d for d in documents if d.kind == "proceedings"), None),
        "photos": list(event.photos.all()),
        "jsonld": event_jsonld(event, request),
        "canonical_url": request.build_absolute_uri(event.get_absolute_url()),
    }
