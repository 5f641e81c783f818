"""Rules that span rows of the workshops app (those that also involve discussion groups
and conclusions: focus_areas/rules.py).

A CHECK constraint sees one row, and Django 5.2 has no composite foreign keys, so the
database cannot hold these rules. The models' clean() calls them (admin forms, the
import's checks) and the import calls them again when it has attached the parts.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _


def moved(obj, attname) -> bool:
    """Whether a stored row's `attname` differs from what was read (True if unknown)."""
    loaded = getattr(obj, "_loaded_values", None)
    return loaded is None or attname not in loaded or loaded[attname] != getattr(obj, attname)


def check_attachment_event(attachment) -> None:
    """Rule: the session and the discussion group a document or photo is attached to
    are parts of the document's or photo's own event. (Its person is not: people
    belong to no one event.)"""
    errors = {}
    event_id = attachment.event_id
    if event_id and attachment.session_id and attachment.session.event_id != event_id:
        errors["session"] = _("This session belongs to another event.")
    if event_id and attachment.group_id and attachment.group.session.event_id != event_id:
        errors["group"] = _("This group belongs to another event.")
    if errors:
        raise ValidationError(errors)


def check_session_keeps_attachments(session) -> None:
    """Rule (check_attachment_event's, from the other side): a session that documents
    or photos of its event are attached to does not move to another event, which would
    leave them attached to another event's part."""
    if not session.pk or not moved(session, "event_id"):
        return
    attached = Q(session_id=session.pk) | Q(group__session_id=session.pk)
    message = _("Documents or photos of its event are attached to this session.")
    check_nothing_attached_elsewhere(attached, session.event_id, "event", message)


def check_session_day(session) -> None:
    """Rule: a session's own day is one of its event's days (start date to end date)."""
    if session.date is None:
        return
    try:
        event = session.event
    except ObjectDoesNotExist:
        return  # no event yet: its own field says so
    if event is None or event.start_date is None:
        return
    last = event.end_date or event.start_date
    if not (event.start_date <= session.date <= max(last, event.start_date)):
        raise ValidationError(
            {
                "date": _(
                    "The session's day must be one of the event's days "
                    "(%(start)s to %(end)s). Change the day, or the event's dates first."
                )
                % {"start": formats.date_format(event.start_date), "end": formats.date_format(last)}
            },
            code="session_day_outside_event",
        )


def check_nothing_attached_elsewhere(attached: Q, event_id, field: str, message) -> None:
    from workshops.models import Document, Photo

    for model in (Document, Photo):
        if model.objects.filter(attached).exclude(event_id=event_id).exists():
            raise ValidationError({field: message})
