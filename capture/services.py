"""The writes of live capture. Each runs in one transaction.

Every change of a group's sheet starts by writing the sheet's row (its version goes
up), so the changes of one group are made one at a time (a row lock on PostgreSQL,
the write lock on SQLite), and the plenary screen can tell from the versions alone
whether anything changed. A change of a point's text names the version of the text it
was based on: if the point has changed since, nothing is written and EditConflict
carries both texts, so that the writer chooses; a text is never silently overwritten.
"""

import datetime
import re

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from capture.models import (
    CapturedPoint,
    CapturedRevision,
    CaptureLink,
    CaptureSheet,
    LinkKind,
    RevisionAction,
)
from capture.tokens import digest_of, new_nonce, same_digest, token_for, well_formed
from focus_areas.models import DiscussionGroup, FocusArea
from jakres.core.text import clean_single_line
from workshops.models import Event, EventStatus, Session, SessionKind

OPEN_STATES = frozenset({EventStatus.DRAFT, EventStatus.REVIEW})
MAX_TEXT_CHARS = 2000
MAX_AUTHOR_CHARS = 80
# Control characters other than tab and line feed (NUL included: PostgreSQL refuses it).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class PointGone(Exception):
    """The point is not (or no longer) one this change can apply to."""


class CaptureClosed(Exception):
    """Live capture is only for drafts and events in review."""


class EditConflict(Exception):
    """The point changed (or was removed) after the writer's version of it."""

    def __init__(self, point, *, mine, removed=False):
        super().__init__(point.pk)
        self.point = point
        self.mine = mine
        self.removed = removed


# --- Text -------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Rule: captured text is cleaned like staff text: no control or bidirectional
    control characters, line breaks as \\n, no surrounding blanks. (It is shown
    escaped, as the public page shows conclusions.)"""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return clean_single_line(_CONTROLS.sub("", value)).strip()


def clean_author(value: str) -> str:
    return " ".join(clean_text(value).split())


# --- Links ------------------------------------------------------------------------


def end_of_day(day: datetime.date) -> datetime.datetime:
    last = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(last, timezone.get_current_timezone())


def default_expiry(event, now=None) -> datetime.datetime:
    """Rule: a link is valid until the end of the event's (last) day, or the end of
    today when that day is over (a rehearsal, or an old event entered now)."""
    now = now or timezone.now()
    expiry = end_of_day(event.end_date or event.start_date)
    if expiry <= now:
        expiry = end_of_day(timezone.localdate(now))
    return expiry


def ensure_groups(*, event) -> list:
    """Rule: an event without discussion groups gets a group-discussion session with
    one group per focus area of its programme (numbered as the areas)."""
    groups = list(DiscussionGroup.objects.filter(session__event=event).select_related("focus_area"))
    if groups:
        return groups
    areas = list(FocusArea.objects.filter(programme_id=event.programme_id))
    if not areas:
        return []
    last = Session.objects.filter(event=event).aggregate(last=Max("order"))["last"] or 0
    session = Session.objects.create(
        event=event,
        order=last + 1,
        kind=SessionKind.GROUP_DISCUSSION,
        title_ind="Diskusi kelompok",
        title_en="Group discussions",
    )
    groups = [
        DiscussionGroup.objects.create(session=session, focus_area=area, number=area.number)
        for area in areas
    ]
    Event.objects.filter(pk=event.pk).update(edit_version=F("edit_version") + 1)
    return groups


def _new_link(*, event, kind, group, expires_at, user):
    nonce = new_nonce()
    return CaptureLink.objects.create(
        event=event,
        kind=kind,
        group=group,
        nonce=nonce,
        digest=digest_of(token_for(nonce)),
        expires_at=expires_at,
        created_by=user,
    )


def issue_links(*, event, user, expires_at) -> None:
    """Rule: capture is for events that are drafts or in review. Every group gets a
    sheet and an active rapporteur link, the event an active plenary link; links
    already active are kept (and valid until `expires_at` from now on)."""
    if event.status not in OPEN_STATES:
        raise CaptureClosed(_("Live capture is only for drafts and events in review."))
    now = timezone.now()
    with transaction.atomic():
        groups = ensure_groups(event=event)
        active = CaptureLink.objects.filter(event=event).active(now)
        active.update(expires_at=expires_at)
        linked = set(active.values_list("group_id", flat=True))
        for group in groups:
            CaptureSheet.objects.get_or_create(group=group, defaults={"event": event})
            if group.pk not in linked:
                _new_link(
                    event=event, kind=LinkKind.RAPPORTEUR, group=group,
                    expires_at=expires_at, user=user,
                )  # fmt: skip
        if None not in linked:
            _new_link(
                event=event, kind=LinkKind.PLENARY, group=None, expires_at=expires_at, user=user
            )


def revoke_link(*, link) -> None:
    """Rule: a revoked link stops working at once."""
    CaptureLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def reissue_link(*, link, user):
    """A new link in place of one (lost, or seen by someone it was not meant for)."""
    with transaction.atomic():
        revoke_link(link=link)
        expires_at = max(link.expires_at, default_expiry(link.event))
        return _new_link(
            event=link.event, kind=link.kind, group=link.group, expires_at=expires_at, user=user
        )


def find_link(token: str, kind: str, now=None):
    """The active link of this token and kind, or None (wrong, expired, revoked, or a
    rapporteur link of an event that is no longer a draft or in review)."""
    if not well_formed(token):
        return None
    digest = digest_of(token)
    link = (
        CaptureLink.objects.select_related("event", "group__focus_area", "group__capture_sheet")
        .filter(digest=digest, kind=kind)
        .first()
    )
    if link is None or not same_digest(link.digest, digest) or not link.is_active(now):
        return None
    if kind == LinkKind.RAPPORTEUR and link.event.status not in OPEN_STATES:
        return None
    return link


# --- Writing on a sheet -------------------------------------------------------------


def _lock(sheet, now):
    CaptureSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1, updated_at=now)


def _revision(point, action, author, now):
    CapturedRevision.objects.create(
        point=point, version=point.version, action=action, text=point.text,
        author=author, created_at=now,
    )  # fmt: skip


def _point(sheet, point_id):
    point = (
        CapturedPoint.objects.select_related("parent")
        .filter(sheet=sheet, pk=point_id if str(point_id).isdigit() else None)
        .first()
    )
    if point is None:
        raise PointGone(_("This point is not on your group's sheet."))
    return point


def _is_live(point):
    return point.deleted_at is None and (point.parent is None or point.parent.deleted_at is None)


def add_point(*, sheet, text, author, parent_id=None):
    """A new point at the end of the sheet, or a sub-point at the end of its point's."""
    now = timezone.now()
    with transaction.atomic():
        _lock(sheet, now)
        parent = None
        if parent_id:
            parent = _point(sheet, parent_id)
            if parent.parent_id or not _is_live(parent):
                raise PointGone(_("Sub-points can only be added to a point on the sheet."))
        siblings = CapturedPoint.objects.filter(sheet=sheet, parent=parent)
        last = siblings.aggregate(last=Max("order"))["last"] or 0
        point = CapturedPoint.objects.create(
            sheet=sheet, parent=parent, order=last + 1, text=text, author=author,
            created_at=now, updated_at=now,
        )  # fmt: skip
        _revision(point, RevisionAction.ADD, author, now)
    return point


def edit_point(*, sheet, point_id, text, author, base_version):
    """Rule: a change of a point's text based on an older version than its current
    one (or on a point removed since) is not applied: EditConflict."""
    now = timezone.now()
    with transaction.atomic():
        _lock(sheet, now)
        point = _point(sheet, point_id)
        if not _is_live(point):
            raise EditConflict(point, mine=text, removed=True)
        if str(point.version) != str(base_version):
            raise EditConflict(point, mine=text)
        if point.text == text:
            return point
        point.text = text
        point.version += 1
        point.author = author
        point.updated_at = now
        point.save(update_fields=["text", "version", "author", "updated_at"])
        _revision(point, RevisionAction.EDIT, author, now)
    return point


def move_point(*, sheet, point_id, author, direction=None, position=None):
    """Up or down one place, or to a position (1 = first) among its siblings."""
    now = timezone.now()
    with transaction.atomic():
        _lock(sheet, now)
        point = _point(sheet, point_id)
        if not _is_live(point):
            raise PointGone(_("This point has been removed."))
        siblings = list(
            CapturedPoint.objects.filter(
                sheet=sheet, parent_id=point.parent_id, deleted_at__isnull=True
            ).order_by("order", "id")
        )
        index = next(i for i, p in enumerate(siblings) if p.pk == point.pk)
        if position is not None:
            target = position - 1
        else:
            target = index - 1 if direction == "up" else index + 1
        target = max(0, min(len(siblings) - 1, target))
        if target == index:
            return point
        siblings.insert(target, siblings.pop(index))
        changed = []
        for order, sibling in enumerate(siblings, 1):
            if sibling.order != order:
                sibling.order = order
                changed.append(sibling)
        CapturedPoint.objects.bulk_update(changed, ["order"])
        point = next(p for p in siblings if p.pk == point.pk)
        _revision(point, RevisionAction.MOVE, author, now)
    return point


def remove_point(*, sheet, point_id, author, base_version):
    """Rule: removing a point changed since the remover's version is a conflict too
    (its newer text would be removed unseen). Removed points can be restored for the
    rest of the day (restore_point)."""
    now = timezone.now()
    with transaction.atomic():
        _lock(sheet, now)
        point = _point(sheet, point_id)
        if point.deleted_at is not None:
            return point
        if str(point.version) != str(base_version):
            raise EditConflict(point, mine=None)
        point.deleted_at = now
        point.deleted_by = author
        point.save(update_fields=["deleted_at", "deleted_by"])
        _revision(point, RevisionAction.REMOVE, author, now)
    return point


def restorable(point, now=None) -> bool:
    """Rule: a removal can be undone until the end of the day it was made."""
    now = now or timezone.now()
    return point.deleted_at is not None and (
        timezone.localdate(point.deleted_at) == timezone.localdate(now)
    )


def restore_point(*, sheet, point_id, author):
    now = timezone.now()
    with transaction.atomic():
        _lock(sheet, now)
        point = _point(sheet, point_id)
        if point.deleted_at is None:
            return point
        if not restorable(point, now) or (point.parent and point.parent.deleted_at):
            raise PointGone(_("This removal can no longer be undone here."))
        point.deleted_at = None
        point.deleted_by = ""
        point.save(update_fields=["deleted_at", "deleted_by"])
        _revision(point, RevisionAction.RESTORE, author, now)
    return point


# --- Reading ------------------------------------------------------------------------


def arrange(points, now=None):
    """(points on the sheet, each with `.subs`; points removed today that can be
    restored), from all the points of one sheet."""
    children = {}
    for point in points:
        if point.parent_id:
            children.setdefault(point.parent_id, []).append(point)
    top, removed = [], []
    for point in sorted(points, key=lambda p: (p.order, p.pk)):
        if point.parent_id:
            continue
        if point.deleted_at:
            if restorable(point, now):
                removed.append(point)
            continue
        subs = sorted(children.get(point.pk, []), key=lambda p: (p.order, p.pk))
        point.subs = [s for s in subs if not s.deleted_at]
        removed.extend(s for s in subs if s.deleted_at and restorable(s, now))
        top.append(point)
    return top, removed


def event_sheets(event_id):
    """The sheets of an event with their groups and focus areas, by group number."""
    return list(
        CaptureSheet.objects.filter(event_id=event_id)
        .select_related("group__focus_area", "group__session")
        .order_by("group__number", "group__session__order")
    )


class PointText:
    """What the plenary screen needs of a point: read as plain values (no model
    instances), since the screens read every point of the event many times a minute."""

    __slots__ = ("deleted_at", "order", "parent_id", "pk", "sheet_id", "subs", "text")

    def __init__(self, pk, sheet_id, parent_id, order, text, deleted_at):
        self.pk, self.sheet_id, self.parent_id = pk, sheet_id, parent_id
        self.order, self.text, self.deleted_at = order, text, deleted_at


def points_of(sheets):
    """{sheet id: [its points, as PointText]} for these sheets, in one query."""
    found = {sheet.pk: [] for sheet in sheets}
    rows = (
        CapturedPoint.objects.filter(sheet__in=list(found))
        .order_by()
        .values_list("pk", "sheet_id", "parent_id", "order", "text", "deleted_at")
    )
    for row in rows:
        found[row[1]].append(PointText(*row))
    return found
