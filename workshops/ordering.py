"""Moving ordered rows without tripping "unique order within its parent".

Rows being re-ordered (a drag in the admin, a restore, an import) first move onto
temporary numbers, so that a swap of two positions never meets the constraints.
"""

from itertools import groupby

from django.db.models import Max

TEMPORARY_ORDER_BASE = 30000


def park_rows(model, field, pks):
    """Rule: rows that change position (or go away) first step onto temporary
    positions, so that rewriting the positions 1, 2, 3… of a parent never meets its
    unique order constraint halfway."""
    for offset, pk in enumerate(pks):
        model._default_manager.filter(pk=pk).update(**{field: TEMPORARY_ORDER_BASE + offset})


def park_orders(event_id):
    """Move every ordered part of an event onto temporary positions.

    Restoring a version writes the old positions back one row at a time; with the
    current rows parked first, no two rows of a parent ever meet on one number.
    """

    from focus_areas.models import Conclusion, DiscussionGroup
    from workshops.models import (
        Appearance,
        Document,
        EventOrganiser,
        Photo,
        Session,
        ShockStress,
    )

    ordered_parts = [
        (EventOrganiser.objects.filter(event_id=event_id), "event_id", "order"),
        (Session.objects.filter(event_id=event_id), "event_id", "order"),
        (ShockStress.objects.filter(event_id=event_id), "event_id", "order"),
        (Document.objects.filter(event_id=event_id), "event_id", "order"),
        (Photo.objects.filter(event_id=event_id), "event_id", "order"),
        (Appearance.objects.filter(session__event_id=event_id), "session_id", "order"),
        (DiscussionGroup.objects.filter(session__event_id=event_id), "session_id", "number"),
        (Conclusion.objects.filter(group__session__event_id=event_id), "group_id", "order"),
        (Conclusion.objects.filter(group__session__event_id=event_id), "group_id", "number"),
    ]
    for queryset, parent, field in ordered_parts:
        rows = queryset.order_by(parent, "pk").values_list(parent, "pk")
        for _parent, siblings in groupby(rows, key=lambda row: row[0]):
            park_rows(queryset.model, field, [pk for _parent_id, pk in siblings])


def next_position(siblings, field="order"):
    """Rule: a row added on its own admin page (not dragged into place on the event's
    page) goes after its siblings: one more than the highest position among them, so
    it never meets "unique order within its parent". Rows parked on temporary
    positions (above) do not count."""
    highest = siblings.filter(**{f"{field}__lt": TEMPORARY_ORDER_BASE}).aggregate(
        highest=Max(field)
    )["highest"]
    return (highest or 0) + 1
