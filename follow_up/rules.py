"""Rules of the follow-up that the database cannot hold: checked by the models'
clean(), so the admin shows each message next to its field."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE = re.compile(r"[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2})*")
TAKEN_UP, NOT_TAKEN_UP = "taken_up", "not_taken_up"
CARRIED = frozenset({"repeated", "refined", "replaced"})
PUBLISHED = "published"
IN_PROGRESS = "in_progress"
FINAL = frozenset({"done", "dropped"})


def sort_key_of(code: str) -> str:
    """“1.10.2” → “001.010.002”, so that items sort as numbers."""
    parts = (code or "").split(".")
    return ".".join(p.zfill(3) if p.isdigit() else p for p in parts)[:40]


def check_item_structure(item, *, max_depth):
    """Rule: a code is numbers joined by dots (“1.2.3”), at most `max_depth` deep; an
    item's code continues its parent's (“1.2” is under “1”), in the same plan."""
    code = item.code or ""
    if not CODE.fullmatch(code):
        raise ValidationError({"code": _("Write the code as numbers with dots, like “1.2.3”.")})
    depth = code.count(".") + 1
    if depth > max_depth:
        raise ValidationError(
            {"code": _("A plan has at most %(depth)s levels.") % {"depth": max_depth}}
        )
    parent = item.parent if item.parent_id else None
    if parent is None:
        if depth != 1:
            raise ValidationError({"parent": _("Choose the item this one is part of.")})
        return
    if parent.plan_id != item.plan_id:
        raise ValidationError({"parent": _("The item must be part of the same plan.")})
    if code.rpartition(".")[0] != parent.code:
        raise ValidationError(
            {"code": _("Under “%(parent)s” the code is “%(parent)s.N”.") % {"parent": parent.code}}
        )


def _origin_event(link):
    if link.conclusion_id:
        return link.conclusion.group.session.event
    if link.group_id:
        return link.group.session.event
    return None


def _origin_programme_id(link):
    event = _origin_event(link)
    if event is not None:
        return event.programme_id
    return link.focus_area.programme_id if link.focus_area_id else None


def check_link(link):
    """Rules of a link: exactly one origin; the target its kind needs; the same
    programme as the origin; not dated before the origin's event; a later conclusion
    of a published, later event; and not a link that already exists."""
    origins = [o for o in (link.conclusion_id, link.group_id, link.focus_area_id) if o]
    if len(origins) != 1:
        raise ValidationError(_("Link exactly one conclusion, group or focus area."))
    _check_target(link)
    errors = {}
    programme_id = _origin_programme_id(link)
    event = _origin_event(link)
    if link.date and event is not None and link.date < event.start_date:
        errors["date"] = _("The date is before the event (%(date)s).") % {
            "date": event.start_date.isoformat()
        }
    if link.plan_item_id and link.plan_item.plan.programme_id != programme_id:
        errors["plan_item"] = _("This plan item belongs to another programme.")
    if link.later_conclusion_id:
        message = _later_conclusion_problem(link, event, programme_id)
        if message:
            errors["later_conclusion"] = message
    if errors:
        raise ValidationError(errors)
    _check_not_duplicate(link)


def _check_target(link):
    if link.kind == TAKEN_UP and not link.plan_item_id:
        raise ValidationError({"plan_item": _("Choose the plan item it was taken up in.")})
    if link.kind in CARRIED and not link.later_conclusion_id:
        raise ValidationError(
            {"later_conclusion": _("Choose the later conclusion it was carried to.")}
        )
    if link.kind != TAKEN_UP and link.plan_item_id:
        raise ValidationError({"plan_item": _("Only “taken up in a plan” names a plan item.")})
    if link.kind not in CARRIED and link.later_conclusion_id:
        raise ValidationError(
            {"later_conclusion": _("Only a link to a later event names a later conclusion.")}
        )
    if link.kind == NOT_TAKEN_UP and not (link.note_ind or "").strip():
        raise ValidationError({"note_ind": _("Give the reason it was not taken up.")})


def _later_conclusion_problem(link, event, programme_id):
    later = link.later_conclusion
    later_event = later.group.session.event
    if later_event.status != PUBLISHED:
        return _("That conclusion's event (%(event)s) is not published.") % {
            "event": later_event.title
        }
    if later_event.programme_id != programme_id:
        return _("That conclusion belongs to another programme.")
    if link.conclusion_id and later.pk == link.conclusion_id:
        return _("A conclusion cannot be carried to itself.")
    if event is not None and later_event.start_date <= event.start_date:
        return _("The later conclusion must be of a later event.")
    return None


def _check_not_duplicate(link):
    origin_field = next(
        name for name in ("conclusion", "group", "focus_area") if getattr(link, f"{name}_id")
    )
    same = type(link)._default_manager.filter(
        **{f"{origin_field}_id": getattr(link, f"{origin_field}_id")}
    )
    if link.plan_item_id:
        same, field = same.filter(plan_item_id=link.plan_item_id), "plan_item"
    elif link.later_conclusion_id:
        same, field = same.filter(later_conclusion_id=link.later_conclusion_id), "later_conclusion"
    else:
        same, field = same.filter(kind=NOT_TAKEN_UP), "kind"
    if same.exclude(pk=link.pk).exists():
        raise ValidationError({field: _("This link already exists.")}, code="duplicate")


def check_update(update):
    """Rules of a status update: a percentage only for “in progress”, from 0 to 100;
    evidence as a file or a URL (one of them); not dated in the future."""
    errors = {}
    if update.percent is not None:
        if update.status != IN_PROGRESS:
            errors["percent"] = _("A percentage goes with “in progress” only.")
        elif not 0 <= update.percent <= 100:
            errors["percent"] = _("A percentage is from 0 to 100.")
    if not update.evidence_file and not update.evidence_url:
        errors["evidence_url"] = _("Give the evidence: upload a document or give a URL.")
    elif update.evidence_file and update.evidence_url:
        errors["evidence_url"] = _("Give a document or a URL, not both.")
    if update.date and update.date > datetime.date.today():
        errors["date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def twelve_months_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def shown_status(latest, today: datetime.date):
    """Rule: an item's status is its latest published update's; when that is more than
    12 months old, it is “no news since <date>” instead (unless the item was done or
    dropped: those are final). No update at all: “no status reported”.
    Returns (status key, date of the update or None, percent or None)."""
    if latest is None:
        return "no_update", None, None
    if latest.status not in FINAL and today > twelve_months_after(latest.date):
        return "no_news", latest.date, None
    return latest.status, latest.date, latest.percent
