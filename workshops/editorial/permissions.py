"""Who may do what with an event: the one place that answers it.

Roles are Django groups (created by the roles migration) holding model permissions;
this module turns a role's permissions and an event's publication state into a yes or
no for each action. The admin, the workflow services and the restore all ask here, and
tests/test_permissions.py holds the whole table (role × action × state × programme).

Roles can be limited to programmes (Programme.staff): a user listed on one or more
programmes works on those programmes' events only; a user listed on none works on all
of them (a portal with one programme needs no listing), and so does a superuser.
"""

from enum import StrEnum

from workshops.models import EventStatus, Programme

CHANGE = "workshops.change_event"
ADD = "workshops.add_event"
DELETE = "workshops.delete_event"
SUBMIT = "workshops.submit_event"
PUBLISH = "workshops.publish_event"

OPEN_STATES = frozenset({EventStatus.DRAFT, EventStatus.REVIEW})


class Action(StrEnum):
    EDIT = "edit"  # change an event or any of its parts, or restore an earlier version
    DELETE = "delete"
    SUBMIT = "submit_for_review"
    RETURN_TO_DRAFT = "return_to_draft"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    RECOVER = "recover"  # bring back a deleted event


# The state changes: (states they start from, the state they lead to).
TRANSITIONS = {
    Action.SUBMIT: ({EventStatus.DRAFT, EventStatus.WITHDRAWN}, EventStatus.REVIEW),
    Action.RETURN_TO_DRAFT: ({EventStatus.REVIEW}, EventStatus.DRAFT),
    Action.PUBLISH: ({EventStatus.REVIEW}, EventStatus.PUBLISHED),
    Action.WITHDRAW: ({EventStatus.PUBLISHED}, EventStatus.WITHDRAWN),
}

# The permission each action needs, whatever the state.
_NEEDS = {
    Action.EDIT: (CHANGE,),
    Action.DELETE: (DELETE,),
    Action.SUBMIT: (SUBMIT,),
    Action.RETURN_TO_DRAFT: (SUBMIT,),
    Action.PUBLISH: (PUBLISH,),
    Action.WITHDRAW: (PUBLISH,),
    Action.RECOVER: (PUBLISH, ADD),
}


def programme_ids(user):
    """The programmes `user` works on (a frozenset of ids), or None for all of them.
    Read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    if not hasattr(user, "_jakres_programme_ids"):
        listed = frozenset(Programme.objects.filter(staff=user).values_list("pk", flat=True))
        user._jakres_programme_ids = listed or None
    return user._jakres_programme_ids


def works_on(user, programme_id) -> bool:
    """Rule: a user listed on programmes works on those only; otherwise on all."""
    ids = programme_ids(user)
    return ids is None or programme_id in ids


def events_of(user, events):
    """The events of `events` (a queryset) that `user` works on."""
    ids = programme_ids(user)
    return events if ids is None else events.filter(programme_id__in=ids)


def may(user, action: Action, event=None) -> bool:
    """Rule: may `user` do `action` to `event` (None: to events in general)?

    - Editors edit drafts and events in review, with all their parts, and submit
      them; only a Publisher changes a published or withdrawn event, publishes,
      withdraws, deletes, or recovers a deleted event.
    - A state change is possible only from its starting states (TRANSITIONS).
    - Nothing is possible on an event of a programme the user does not work on.
    """
    if not all(user.has_perm(permission) for permission in _NEEDS[action]):
        return False
    if event is None:
        return True
    if not works_on(user, event.programme_id):
        return False
    if action is Action.EDIT and event.status not in OPEN_STATES:
        return user.has_perm(PUBLISH)
    if action in TRANSITIONS:
        return event.status in TRANSITIONS[action][0]
    return True


def may_change_content(user, event) -> bool:
    """Rule: the content of a draft or an event in review is anyone's with the right
    to change events; a published or withdrawn one is a Publisher's. A part that
    belongs to no event yet (being created) may be changed. Never an event of a
    programme the user does not work on."""
    if event is None:
        return True
    if event.programme_id is not None and not works_on(user, event.programme_id):
        return False
    return event.status in OPEN_STATES or user.has_perm(PUBLISH)
