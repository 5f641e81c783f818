"""Writes that change an event's publication state, or touch several models at once.

Every function here checks the user's permission itself, so no path (admin action,
form field, crafted POST, management command) can skip it. Each runs in one
transaction and records a revision with who did it.
"""

from contextlib import nullcontext

import reversion
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.utils import mute_signals

from workshops.editorial import permissions
from workshops.models import Event, EventStatus, RecordedItem
from workshops.ordering import park_orders


def can_edit(user, event) -> bool:
    """Rule (permissions.may_change_content): Editors edit drafts and events in review;
    published and withdrawn ones only a Publisher."""
    return permissions.may_change_content(user, event)


def edit_refusal(user, event) -> str | None:
    """Rule (the one-line reason shown on a read-only page and on a refused save):
    why `user` may not change `event` or its parts, or None when they may."""
    if event is None or can_edit(user, event):
        return None
    if event.programme_id is not None and not permissions.works_on(user, event.programme_id):
        return _("This event belongs to a programme you do not work on, so it is read-only.")
    if event.status == EventStatus.WITHDRAWN:
        return _(
            "Read-only: this event has been withdrawn from the public site, and only a "
            "Publisher can change it."
        )
    return _("Read-only: this event is published, and only a Publisher can change it.")


def transition(*, event: Event, user, name: str) -> Event:
    """Rule: a state changes only through its action, by a role that may do it, from
    one of its starting states (permissions.TRANSITIONS); the first publication time
    is recorded, and the change is kept in the history with who made it."""
    action = permissions.Action(name)
    target = permissions.TRANSITIONS[action][1]
    if not permissions.may(user, action):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic(), reversion.create_revision():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not permissions.may(user, action, event):
            raise ValidationError(
                _("“%(event)s” is %(state)s, so it cannot be changed this way.")
                % {"event": event.title, "state": event.get_status_display()}
            )
        event.status = target
        if target == EventStatus.PUBLISHED and event.published_at is None:
            event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at", "updated_at"])
        reversion.set_user(user)
        reversion.set_comment(str(target.label))
    return event


def submit_for_review(*, event, user):
    return transition(event=event, user=user, name="submit_for_review")


def return_to_draft(*, event, user):
    return transition(event=event, user=user, name="return_to_draft")


def publish(*, event, user):
    return transition(event=event, user=user, name="publish")


def withdraw(*, event, user):
    return transition(event=event, user=user, name="withdraw")


# --- Which rows belong to an event ----------------------------------------------------

# How each part of an event reaches its event, as a lookup path.
EVENT_PATHS = {
    ("workshops", "eventorganiser"): "event_id",
    ("workshops", "session"): "event_id",
    ("workshops", "shockstress"): "event_id",
    ("workshops", "document"): "event_id",
    ("workshops", "photo"): "event_id",
    ("workshops", "appearance"): "session__event_id",
    ("focus_areas", "discussiongroup"): "session__event_id",
    ("focus_areas", "conclusion"): "group__session__event_id",
}


def _event_path(model):
    return EVENT_PATHS.get((model._meta.app_label, model._meta.model_name))


def rows_of_event(queryset, event_id):
    """Rule: an inline row of an event's page may only be an existing part of that
    same event. (A row may move between sessions or groups of the event; never in
    from another event, whose id a crafted POST could name.)"""
    path = _event_path(queryset.model)
    if path is None:
        return queryset.none()
    if not str(event_id or "").isdigit():
        return queryset.none()
    return queryset.filter(**{path: int(event_id)})


def check_revision_scope(*, revision, event_id) -> None:
    """Rule: restoring a revision from an event's history may only touch that event,
    its own parts, and shared records (people, organisations, sectors, focus areas).

    Checked on every version of the revision, both as stored and as the row is now,
    so a revision that also holds another event or its parts is refused as a whole.
    """
    event_id = str(event_id)
    owned = {("workshops", "event"): {event_id}}
    ordered = sorted(
        revision.version_set.select_related("content_type"),
        key=lambda v: _REVISION_ORDER.get(v.content_type.model, 0),
    )
    for version in ordered:
        key = (version.content_type.app_label, version.content_type.model)
        if key == ("workshops", "event"):
            if version.object_id != event_id:
                raise PermissionDenied(_("This version also holds another event."))
            continue
        model = version._model
        if _event_path(model) is None:
            continue  # a shared record: anyone who may edit events may edit it
        parent_field, parent_key = _STORED_PARENT[key]
        stored_parent = version.field_dict.get(parent_field)
        current_parents = model._default_manager.filter(pk=version.object_id).values_list(
            parent_field, flat=True
        )
        for parent_id in {str(stored_parent), *(str(p) for p in current_parents)}:
            if parent_id not in owned.get(parent_key, set()) and not _part_of(
                parent_key, parent_id, event_id
            ):
                raise PermissionDenied(_("This version also holds parts of another event."))
        owned.setdefault(key, set()).add(version.object_id)


# Parents before children, so a child's parent restored by the same revision is known.
_REVISION_ORDER = {"session": 1, "appearance": 2, "discussiongroup": 2, "conclusion": 3}
# How a stored part names its parent: (field, parent model).
_STORED_PARENT = {
    ("workshops", "eventorganiser"): ("event_id", ("workshops", "event")),
    ("workshops", "session"): ("event_id", ("workshops", "event")),
    ("workshops", "shockstress"): ("event_id", ("workshops", "event")),
    ("workshops", "document"): ("event_id", ("workshops", "event")),
    ("workshops", "photo"): ("event_id", ("workshops", "event")),
    ("workshops", "appearance"): ("session_id", ("workshops", "session")),
    ("focus_areas", "discussiongroup"): ("session_id", ("workshops", "session")),
    ("focus_areas", "conclusion"): ("group_id", ("focus_areas", "discussiongroup")),
}


def _part_of(key, pk, event_id) -> bool:
    if key == ("workshops", "event"):
        return pk == event_id
    model = apps.get_model(*key)
    return rows_of_event(model._default_manager.filter(pk=pk), event_id).exists()


# --- Optimistic locking of an event's page ---------------------------------------------


class StaleEdit(ValidationError):
    """The event was saved by someone else after this form was opened."""


def check_not_stale(*, event_id, loaded_version) -> int:
    """Rule: a save based on an older state of the event than the current one is never
    applied over it (two staff editing one event: the second, stale save is refused).

    Locks the event's row until the end of the transaction, so no other save can slip
    in between this check and the save. Returns the version the save will replace.
    """
    current = (
        Event.objects.select_for_update().filter(pk=event_id).values_list("edit_version", flat=True)
    )
    current = current.first()
    if current is not None and str(loaded_version) != str(current):
        raise StaleEdit(
            _(
                "Someone else saved this event after you opened it, so your changes "
                "were not saved. What you typed is still below: copy what you need, "
                "then reload the page to see the current version and enter it again."
            ),
            code="stale",
        )
    return current or 0


def mark_event_changed(event_id) -> None:
    """Rule: a change to any part of an event counts as a change of the event, so
    forms of the event opened before it are stale."""
    if event_id:
        Event.objects.filter(pk=event_id).update(edit_version=F("edit_version") + 1)


# --- Restoring an earlier version ----------------------------------------------------


class _Discard(Exception):
    """Rolls back a restore that only showed (or failed to save) a version."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def restore_event(*, version, keep: bool, form_view):
    """Rule: restoring brings back an event's content as one of its versions held it,
    with all its parts (parts added since are removed), and never a publication state:
    a restored event keeps its current state and programme and counts as changed; a recovered
    (deleted) event comes back as a draft, or withdrawn if it had been published.

    The parts are first parked on temporary positions, so that no two rows of a parent
    meet on one number while the old positions are written back. `form_view()`
    renders the event's form on the restored rows, or saves it when `keep`; unless it
    saved (a redirect), everything is rolled back and its response returned.
    (The caller checks who may restore, and check_revision_scope, first.)
    """
    current = Event.objects.filter(pk=version.object_id).first()
    muted = (
        nullcontext()
        if keep
        else mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
    )
    try:
        with transaction.atomic(using=version.db), muted:
            park_orders(event_id=version.object_id)
            version.revision.revert(delete=True)
            response = form_view()
            if not (keep and response.status_code == 302):
                raise _Discard(response)
            restored = Event.objects.get(pk=version.object_id)
            if current is None:
                state = {"status": recovered_status(restored)}
            else:
                state = {
                    "status": current.status,
                    "published_at": current.published_at,
                    "edit_version": current.edit_version + 1,
                    "programme_id": current.programme_id,
                }
            Event.objects.filter(pk=restored.pk).update(**state)
    except _Discard as discard:
        return discard.response
    return response


def recovered_status(event) -> str:
    """Rule: a recovered (deleted, then restored) event never comes back public: it
    is a draft, or withdrawn if it had been published before."""
    return EventStatus.WITHDRAWN if event.published_at else EventStatus.DRAFT


# --- Completeness ------------------------------------------------------------------


def missing_parts(event):
    """Rule: the proceedings of an event are complete with a venue, a summary, a
    participant count, sectors, sessions, documents and English text; this lists what
    a staffer still has to enter (the event list's "Still missing" column), less what
    the event says the sources do not record. The counts come annotated by the
    admin's queryset."""
    lacking = {
        RecordedItem.VENUE: not event.venue,
        RecordedItem.SUMMARY: not event.summary,
        RecordedItem.PARTICIPANT_COUNT: event.participant_count is None,
        RecordedItem.SECTORS: getattr(event, "sector_count", 1) == 0,
        RecordedItem.SESSIONS: getattr(event, "session_count", 1) == 0,
        RecordedItem.DOCUMENTS: getattr(event, "document_count", 1) == 0,
        RecordedItem.ENGLISH: not event.title_en
        or bool(event.summary_ind and not event.summary_en),
    }
    unrecorded = set(event.not_in_sources or ())
    return [item.label for item, missing in lacking.items() if missing and item not in unrecorded]
