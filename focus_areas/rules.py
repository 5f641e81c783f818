"""Rules that span rows of discussion groups and conclusions (the workshops app's own:
workshops/rules.py). The models' clean() calls them, and the import when it has attached
the parts."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from workshops.models import Session
from workshops.rules import (
    check_attachment_event,
    check_nothing_attached_elsewhere,
    check_session_keeps_attachments,
    moved,
)

__all__ = [
    "check_attachment_event",
    "check_conclusion_structure",
    "check_group_keeps_attachments",
    "check_part_keeps_attachments",
]


def check_conclusion_structure(conclusion) -> None:
    """Rule: a conclusion is a point or a sub-point of a point: a sub-point has no
    sub-points of its own, and is in the same discussion group as its point.

    Checked from both sides: the parent must be a point (not a sub-point) of the same
    group; a conclusion that has sub-points can neither become a sub-point nor move
    to another group without them.
    """
    from focus_areas.models import Conclusion

    if conclusion.parent_id:
        parent = conclusion.parent
        if parent.parent_id:
            raise ValidationError({"parent": _("Sub-points cannot have sub-points.")})
        if conclusion.group_id and parent.group_id != conclusion.group_id:
            raise ValidationError({"parent": _("The point must be in the same group.")})
    if conclusion.pk and (moved(conclusion, "parent_id") or moved(conclusion, "group_id")):
        sub_points = Conclusion.objects.filter(parent_id=conclusion.pk)
        if conclusion.parent_id and sub_points.exists():
            raise ValidationError({"parent": _("Sub-points cannot have sub-points.")})
        if sub_points.exclude(group_id=conclusion.group_id).exists():
            raise ValidationError({"group": _("The point must be in the same group.")})


def check_group_focus_area_in_programme(group) -> None:
    """Rule: a group works on a focus area of its event's programme (focus areas are
    numbered within a programme, so Jakarta's area 3 is not another programme's)."""
    if not group.session_id or not group.focus_area_id:
        return
    if group.focus_area.programme_id != group.session.event.programme_id:
        raise ValidationError(
            {"focus_area": _("The focus area must be one of the event's programme.")}
        )


def check_group_keeps_attachments(group) -> None:
    """Rule (check_attachment_event's, from the other side): a discussion group that
    documents or photos of its event are attached to does not move to another event."""
    if not group.pk or not moved(group, "session_id") or not group.session_id:
        return
    attached = Q(group_id=group.pk)
    message = _("Documents or photos of its event are attached to this group.")
    check_nothing_attached_elsewhere(attached, group.session.event_id, "session", message)


def check_part_keeps_attachments(part) -> None:
    """Rule (check_attachment_event's, from the other side): a session or discussion
    group that documents or photos of its event are attached to does not move to
    another event, which would leave them attached to another event's part."""
    from focus_areas.models import DiscussionGroup

    if isinstance(part, Session):
        check_session_keeps_attachments(part)
    elif isinstance(part, DiscussionGroup):
        check_group_keeps_attachments(part)
    else:
        raise TypeError(f"not a session or discussion group: {part!r}")
