"""Who may change follow-up links and status updates, and their publication states.

They move through the events' states with the events' roles (permissions.py): an
Editor writes drafts and submits them for review; only a Publisher publishes,
withdraws, or changes a published one. A staffer limited to programmes works only on
links whose conclusion (group, focus area) is of those programmes, and on the items of
those programmes' plans. Every function checks the user itself, so no admin form,
crafted POST or command can skip it.
"""

from types import SimpleNamespace

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from follow_up.models import Link, PlanItem, StatusUpdate
from workshops.editorial import permissions
from workshops.models import EventStatus


def programme_id_of(obj):
    """The programme a link, update, plan item or plan belongs to (None: not yet known)."""
    if isinstance(obj, Link):
        if obj.conclusion_id:
            return obj.conclusion.group.session.event.programme_id
        if obj.group_id:
            return obj.group.session.event.programme_id
        return obj.focus_area.programme_id if obj.focus_area_id else None
    if isinstance(obj, StatusUpdate):
        return obj.item.plan.programme_id if obj.item_id else None
    if isinstance(obj, PlanItem):
        return obj.plan.programme_id if obj.plan_id else None
    return getattr(obj, "programme_id", None)


def _as_event(obj):
    """What permissions.may() reads of an event: its programme and state."""
    return SimpleNamespace(programme_id=programme_id_of(obj), status=obj.state)


def may_change(user, obj) -> bool:
    """Rule: as an event's content (permissions.may_change_content): drafts and those
    in review are any Editor's; published and withdrawn ones a Publisher's; never
    another programme's. A new one (no origin yet) may be started."""
    if not permissions.may(user, permissions.Action.EDIT):
        return False
    if obj is None:
        return True
    programme_id = programme_id_of(obj)
    if programme_id is not None and not permissions.works_on(user, programme_id):
        return False
    return obj.state in permissions.OPEN_STATES or user.has_perm(permissions.PUBLISH)


def save(*, obj, user):
    """Saves a link or update a user may change, stamping who entered a new one; its
    state never changes here (only transition() changes it)."""
    if not may_change(user, obj):
        raise PermissionDenied(_("You are not allowed to change this."))
    with transaction.atomic():
        if obj.pk is None:
            obj.state = EventStatus.DRAFT
            obj.published_at = None
            if isinstance(obj, Link):
                obj.created_by = user
            else:
                obj.entered_by = user
        else:
            stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            obj.state, obj.published_at = stored.state, stored.published_at
            if not may_change(user, stored):
                raise PermissionDenied(_("You are not allowed to change this."))
        obj.save()
    return obj


def transition(*, obj, user, name: str):
    """Rule: as events' (workflow.transition): a state changes only through its action,
    by a role that may do it, from one of its starting states; a link or update is
    checked again when it is published (its later conclusion must still be of a
    published event); the change is kept in the history with who made it."""
    action = permissions.Action(name)
    target = permissions.TRANSITIONS[action][1]
    if not permissions.may(user, action):
        raise PermissionDenied(_("You are not allowed to do this."))
    model = type(obj)
    with transaction.atomic(), reversion.create_revision():
        obj = model._default_manager.select_for_update().get(pk=obj.pk)
        if not permissions.may(user, action, _as_event(obj)):
            raise ValidationError(
                _("“%(item)s” is %(state)s, so it cannot be changed this way.")
                % {"item": obj, "state": obj.get_state_display()}
            )
        if target == EventStatus.PUBLISHED:
            obj.full_clean()
        obj.state = target
        if target == EventStatus.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        obj.save(update_fields=["state", "published_at", "updated_at"])
        reversion.set_user(user)
        reversion.set_comment(str(target.label))
    return obj
