"""Staff's side of live capture: accepting a group's captured text into the event's
conclusions (focus_areas.Conclusion), which then follow the event's workflow
(draft → review → publish) like any other conclusion."""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capture.models import CaptureSheet
from capture.services import OPEN_STATES, arrange
from focus_areas.models import Conclusion
from workshops.editorial import permissions
from workshops.editorial.workflow import mark_event_changed
from workshops.models import Event


def may_capture(user, event) -> bool:
    """Rule: live capture (links, review, accepting) is for staff who may edit the
    event, while it is a draft or in review."""
    return event.status in OPEN_STATES and permissions.may(user, permissions.Action.EDIT, event)


def accept_sheet(*, sheet_id, user) -> list:
    """Rule: accepting replaces the group's conclusions with what is on its sheet now
    (points in order, each with its sub-points), in one transaction and one revision of
    the event's history (so the conclusions it replaced can be restored), and counts
    as a change of the event (forms of it opened before are stale)."""
    with transaction.atomic(), reversion.create_revision():
        sheet = (
            CaptureSheet.objects.select_for_update()
            .select_related("group")
            .filter(pk=sheet_id)
            .first()
        )
        if sheet is None:
            raise PermissionDenied(_("No such capture sheet."))
        event = Event.objects.select_for_update().get(pk=sheet.event_id)
        if not may_capture(user, event):
            raise PermissionDenied(_("You are not allowed to do this."))
        top, _removed = arrange(list(sheet.points.all()))
        group = sheet.group
        Conclusion.objects.filter(group=group).delete()
        created = []
        for number, point in enumerate(top, 1):
            conclusion = _conclusion(group, None, number, point.text)
            created.append(conclusion)
            for sub_number, sub in enumerate(point.subs, 1):
                created.append(_conclusion(group, conclusion, sub_number, sub.text))
        mark_event_changed(event.pk)
        CaptureSheet.objects.filter(pk=sheet.pk).update(
            accepted_version=sheet.version, accepted_at=timezone.now(), accepted_by=user
        )
        reversion.add_to_revision(event)
        reversion.set_user(user)
        reversion.set_comment(
            _("Conclusions of group %(number)s accepted from live capture")
            % {"number": group.number}
        )
    return created


def _conclusion(group, parent, order, text):
    # The group's conclusions are replaced whole: numbered as captured, 1, 2, 3…
    conclusion = Conclusion(
        group=group, parent=parent, order=order, number=order, text_ind=text, text_en=""
    )
    conclusion.full_clean()
    conclusion.save()
    return conclusion
