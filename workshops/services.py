"""Writes that change an event's publication state, or touch several models at once.

Every function here checks the user's permission itself, so no path (admin action,
form field, crafted POST, management command) can skip it. Each runs in one
transaction and records a revision with who did it.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.models import Event, EventStatus

SUBMIT = "workshops.submit_event"
PUBLISH = "workshops.publish_event"

# (from states, to state, permission needed)
TRANSITIONS = {
    "submit_for_review": ({EventStatus.DRAFT, EventStatus.WITHDRAWN}, EventStatus.REVIEW, SUBMIT),
    "return_to_draft": ({EventStatus.REVIEW}, EventStatus.DRAFT, SUBMIT),
    "publish": ({EventStatus.REVIEW}, EventStatus.PUBLISHED, PUBLISH),
    "withdraw": ({EventStatus.PUBLISHED}, EventStatus.WITHDRAWN, PUBLISH),
}


def can_edit(user, event) -> bool:
    """Editors edit drafts and events in review; published ones only a Publisher."""
    if event is None or event.status in (EventStatus.DRAFT, EventStatus.REVIEW):
        return True
    return user.has_perm(PUBLISH)


def transition(*, event: Event, user, name: str) -> Event:
    sources, target, permission = TRANSITIONS[name]
    if not user.has_perm(permission):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic(), reversion.create_revision():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status not in sources:
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
