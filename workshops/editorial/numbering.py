"""Renumbering an event's conclusions on purpose (issue 11).

A conclusion's citable number ("2.3", "2.1.a") is stored, and moving rows in the admin
changes their order only, so a cited number stays true. When staff want the numbers to
follow the order again, they renumber: every point of a group gets 1, 2, 3… by its
order, and every sub-point a, b, c… within its point.
"""

from itertools import groupby

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from focus_areas.models import Conclusion
from workshops.editorial import permissions
from workshops.editorial.workflow import can_edit, edit_refusal, mark_event_changed
from workshops.models import Event
from workshops.ordering import park_rows


def numbers_by_order(rows):
    """{pk: number} for rows (pk, group_id, parent_id, order) that the order would give
    another number than `current` (a {pk: number})."""
    key = lambda row: (row[1], row[2] or 0)  # noqa: E731
    return {
        pk: number
        for _scope, siblings in groupby(sorted(rows, key=lambda r: (*key(r), r[3], r[0])), key)
        for number, (pk, *_rest) in enumerate(siblings, start=1)
    }


def renumber_conclusions(*, event: Event, user) -> int:
    """Rule: renumbering is a change of the event's content (only a Publisher's once it
    is published); it rewrites the numbers of all its conclusions in one transaction,
    kept in the history with who did it. Returns how many numbers changed."""
    if not permissions.may(user, permissions.Action.EDIT):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic(), reversion.create_revision():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not can_edit(user, event):
            raise PermissionDenied(edit_refusal(user, event))
        conclusions = {
            c.pk: c
            for c in Conclusion.objects.filter(group__session__event=event).select_related(
                "group", "parent"
            )
        }
        rows = [(c.pk, c.group_id, c.parent_id, c.order) for c in conclusions.values()]
        changed = {
            pk: number
            for pk, number in numbers_by_order(rows).items()
            if conclusions[pk].number != number
        }
        if not changed:
            return 0
        for conclusion in conclusions.values():  # the labels read the new numbers
            if conclusion.parent_id:
                conclusion.parent = conclusions[conclusion.parent_id]
        for pk, number in changed.items():
            conclusions[pk].number = number
        # Off their numbers first, so that swapping 1 and 2 never meets the constraint.
        park_rows(Conclusion, "number", sorted(changed))
        for pk in sorted(changed):
            conclusions[pk].save(update_fields=["number"])  # the cache and search see it
        mark_event_changed(event.pk)
        reversion.add_to_revision(event)
        reversion.set_user(user)
        reversion.set_comment(_("Renumbered the conclusions by their order"))
    return len(changed)
