"""Moving one event, with all its parts, between servers as a JSON document.

`export_event()` writes the document; `import_event()` reads it back. The import
validates everything first and reports every error with its path in the document
(for example `sessions[1].appearances[0].role`), and only then writes, all in one
transaction. The format is documented in docs/import-export.md.
"""

import json
import os
from collections import Counter
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_date, parse_datetime

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.languages import LANGUAGES, both, column
from workshops.models import (
    Appearance,
    Document,
    Event,
    Organisation,
    Person,
    Photo,
    Sector,
    Session,
    ShockStress,
)
from workshops.ordering import park_orders
from workshops.uploads import STORED_NAME_PATTERNS

FORMAT = "jakres-event"
VERSION = 1

# Limits of an import document. A real event is tens of kilobytes (the three events
# of the fixture hold 1,297 values and 195 list items); the limits are hundreds of
# times that, and keep a hostile document within a few hundred megabytes and seconds:
# parsing JSON takes up to 25 times the text in memory, and the planner builds one
# object per list item.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_VALUES = 500_000  # counted before parsing: "{", "[" and ","
MAX_ITEMS = 20_000  # sessions, speakers, conclusions… in all lists together
# The format itself is 10 levels deep (a sub-point's text); anything deeper is not
# an event document, and Python's json and repr() give up past about a thousand.
MAX_DEPTH = 20


class DocumentRefused(Exception):
    """The document cannot be read as an event document at all; the message says why."""


def read_event_document(raw: bytes):
    """Parse an import document within the limits above, or raise DocumentRefused."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        limit = f"{MAX_DOCUMENT_BYTES // 2**20} MB"
        raise DocumentRefused(f"is more than {limit}; the limit is {limit}")
    if raw.count(b"{") + raw.count(b"[") + raw.count(b",") > MAX_VALUES:
        raise DocumentRefused(f"holds more than {MAX_VALUES:,} values")
    try:
        document = json.loads(raw)
    except RecursionError:
        raise DocumentRefused(_TOO_DEEP) from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise DocumentRefused(f"is not valid JSON ({error})") from None
    problem = shape_problem(document)
    if problem:
        raise DocumentRefused(problem)
    return document


_TOO_DEEP = f"is nested more than {MAX_DEPTH} levels deep"


def shape_problem(document):
    """Why the document nests too deep or holds too many list items, or None.

    Walked without recursion, so no depth can make it fail.
    """
    stack, items = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            return _TOO_DEEP
        if isinstance(value, list):
            items += len(value)
            if items > MAX_ITEMS:
                return f"holds more than {MAX_ITEMS:,} list items"
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None


# --- Export ------------------------------------------------------------------


def _organisation(org):
    if org is None:
        return None
    return {"slug": org.slug, "name": both(org, "name"), "acronym": org.acronym, "url": org.url}


def conclusion_items(group, *, link=None):
    """A group's conclusions with their sub-points; `link(conclusion)` adds a "url"."""
    items = []
    for conclusion in group.conclusion_tree():
        item = {"ref": conclusion.ref, "order": conclusion.order}
        if link is not None:
            item["url"] = link(conclusion)
        item["text"] = both(conclusion, "text")
        item["sub_points"] = [
            {"ref": point.ref, "order": point.order, "text": both(point, "text")}
            for point in conclusion.sub_points
        ]
        items.append(item)
    return items


def export_event(event: Event) -> dict:
    """The document for one event, loaded with `Event.objects.with_proceedings()`."""
    people = {}

    def person(p):
        people[p.slug] = p
        return p.slug

    sessions = []
    for session in event.sessions.all():
        sessions.append(
            {
                "ref": session.ref,
                "order": session.order,
                "kind": session.kind,
                "title": both(session, "title"),
                "description": both(session, "description"),
                "appearances": [
                    {
                        "ref": a.ref,
                        "order": a.order,
                        "role": a.role,
                        "person": person(a.person),
                        "title_at_time": both(a, "title_at_time"),
                        "additional_title_at_time": both(a, "additional_title_at_time"),
                        "on_behalf_of": a.on_behalf_of.slug if a.on_behalf_of else None,
                        "summary": both(a, "summary"),
                    }
                    for a in session.appearances.all()
                ],
                "groups": [
                    {
                        "ref": g.ref,
                        "number": g.number,
                        "focus_area": g.focus_area.number,
                        "summary": both(g, "summary"),
                        "conclusions": conclusion_items(g),
                    }
                    for g in session.groups.all()
                ],
            }
        )
    attachments = {
        "session": lambda o: o.session.ref if o.session_id else None,
        "person": lambda o: person(o.person) if o.person_id else None,
        "group": lambda o: o.group.ref if o.group_id else None,
    }
    documents = [
        {
            "ref": d.ref,
            "order": d.order,
            "kind": d.kind,
            "title": both(d, "title"),
            "url": d.url,
            "file": d.file.name or "",
            **{key: get(d) for key, get in attachments.items()},
        }
        for d in Document.objects.filter(event=event).select_related("session", "group", "person")
    ]
    photos = [
        {
            "ref": p.ref,
            "order": p.order,
            "caption": both(p, "caption"),
            "credit": p.credit,
            "image": p.image.name or "",
            "thumbnail": p.thumbnail.name or "",
            **{key: get(p) for key, get in attachments.items()},
        }
        for p in Photo.objects.filter(event=event).select_related("session", "group", "person")
    ]
    organisations = {event.organiser} | {
        a.on_behalf_of for s in event.sessions.all() for a in s.appearances.all()
    }
    focus_areas = {g.focus_area for s in event.sessions.all() for g in s.groups.all()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "event": {
            "slug": event.slug,
            "kind": event.kind,
            "status": event.status,
            "published_at": event.published_at.isoformat() if event.published_at else None,
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "city": event.city,
            **{
                name: both(event, name)
                for name in (
                    "title",
                    "subtitle",
                    "topic",
                    "schedule_note",
                    "venue",
                    "programme_phase",
                    "purpose",
                    "summary",
                    "feeds_into",
                )
            },
            "organiser": event.organiser.slug if event.organiser else None,
            "participant_count": event.participant_count,
            "participant_count_qualifier": event.participant_count_qualifier,
            "sectors": [s.slug for s in event.sectors.all()],
            "preceded_by": [e.slug for e in event.preceded_by.all()],
        },
        "organisations": [
            _organisation(o) for o in sorted(filter(None, organisations), key=lambda o: o.slug)
        ],
        "sectors": [
            {"slug": s.slug, "order": s.order, "name": both(s, "name")} for s in event.sectors.all()
        ],
        "people": [
            {
                "slug": p.slug,
                "name": p.name,
                "short_name": p.short_name,
                "honorific": both(p, "honorific"),
            }
            for p in sorted(people.values(), key=lambda p: p.slug)
        ],
        "focus_areas": [
            {
                "number": f.number,
                "slug": f.slug,
                "title": both(f, "title"),
                "description": both(f, "description"),
            }
            for f in sorted(focus_areas, key=lambda f: f.number)
        ],
        "sessions": sessions,
        "shocks_and_stresses": [
            {
                "ref": s.ref,
                "order": s.order,
                "kind": s.kind,
                "name": both(s, "name"),
                "named_by": s.named_by.ref if s.named_by_id else None,
            }
            for s in event.shocks_stresses.all()
        ],
        "documents": documents,
        "photos": photos,
    }


# --- Import ------------------------------------------------------------------


def _unstorable(text):
    """NUL and lone surrogates: PostgreSQL refuses the one, UTF-8 the other."""
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


class ImportFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class _Plan:
    """Unsaved objects, in the order they are written, with their document paths."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    steps: list = field(default_factory=list)

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")


class _Reader:
    def __init__(self, plan):
        self.plan = plan

    def get(self, data, key, path, kind, *, required=True, default=None):
        where = key if path == "$" else f"{path}.{key}"
        if not isinstance(data, dict):
            self.plan.error(path, "must be an object")
            return default
        if key not in data or data[key] is None:
            if required:
                self.plan.error(where, "is required")
            return default
        value = data[key]
        if kind is str and not isinstance(value, str):
            self.plan.error(where, "must be a string")
            return default
        if kind is str and _unstorable(value):
            self.plan.error(where, "contains characters that cannot be stored (NUL, surrogates)")
            return default
        if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            self.plan.error(where, "must be a whole number")
            return default
        if kind is list and not isinstance(value, list):
            self.plan.error(where, "must be a list")
            return []
        if kind is dict and not isinstance(value, dict):
            self.plan.error(where, "must be an object")
            return default
        return value

    def translated(self, instance, data, name, path, *, required=False):
        value = data.get(name) if isinstance(data, dict) else None
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.plan.error(f"{path}.{name}", 'must be an object like {"id": "…", "en": "…"}')
            return
        for language in LANGUAGES:
            text = value.get(language, "")
            if not isinstance(text, str):
                self.plan.error(f"{path}.{name}.{language}", "must be a string")
                continue
            if _unstorable(text):
                self.plan.error(
                    f"{path}.{name}.{language}",
                    "contains characters that cannot be stored (NUL, surrogates)",
                )
                continue
            setattr(instance, column(name, language), text)
        if required and not value.get("id"):
            self.plan.error(f"{path}.{name}.id", "is required")

    def date(self, data, key, path, *, required=True):
        raw = self.get(data, key, path, str, required=required)
        if raw is None:
            return None
        try:
            value = parse_date(raw)
        except ValueError:
            value = None
        if value is None:
            self.plan.error(f"{path}.{key}", f"“{raw}” is not a date (YYYY-MM-DD)")
        return value

    def check(self, instance, path, exclude=()):
        """Field validation of one unsaved object, errors mapped to document paths."""
        try:
            instance.full_clean(
                exclude=set(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = name
                for language in LANGUAGES:
                    suffix = column("", language)
                    if name.endswith(suffix):
                        where = f"{name[: -len(suffix)]}.{language}"
                for message in messages:
                    self.plan.error(f"{path}.{where}" if name != "__all__" else path, message)


def _unique(plan, items, key, path, label):
    counts = Counter(
        item.get(key)
        for item in items
        if isinstance(item, dict) and isinstance(item.get(key), str | int)
    )
    for value, count in counts.items():
        if value is not None and count > 1:
            plan.error(path, f"{label} {value!r} is used {count} times")


def _plan_import(document):
    plan = _Plan()
    read = _Reader(plan)
    problem = shape_problem(document)
    if problem:
        plan.error("$", f"the document {problem}")
        return plan, None
    if not isinstance(document, dict):
        plan.error("$", "the document must be a JSON object")
        return plan, None
    if document.get("format") != FORMAT:
        plan.error("format", f'must be "{FORMAT}"')
    if document.get("version") != VERSION:
        plan.error("version", f"must be {VERSION}")

    data = read.get(document, "event", "$", dict, default={}) or {}
    slug = read.get(data, "slug", "event", str, default="")
    event = Event.objects.filter(slug=slug).first() or Event(slug=slug)
    for name in ("kind", "status", "city", "participant_count_qualifier"):
        value = read.get(data, name, "event", str, required=name != "city")
        if value is not None:
            setattr(event, name, value)
    event.start_date = read.date(data, "start_date", "event")
    event.end_date = read.date(data, "end_date", "event", required=False)
    event.participant_count = read.get(data, "participant_count", "event", int, required=False)
    published_at = read.get(data, "published_at", "event", str, required=False)
    try:
        event.published_at = parse_datetime(published_at) if published_at else None
    except ValueError:
        event.published_at = None
    if published_at and event.published_at is None:
        plan.error("event.published_at", f"“{published_at}” is not a date and time")
    for name in ("title", "subtitle", "topic", "schedule_note", "venue", "programme_phase",
                 "purpose", "summary", "feeds_into"):  # fmt: skip
        read.translated(event, data, name, "event", required=name == "title")
    read.check(event, "event", exclude={"organiser", "sectors", "preceded_by"})
    if event.start_date and event.end_date and event.end_date < event.start_date:
        plan.error("event.end_date", "is before the start date")

    # Shared records: matched by their natural keys, created or updated.
    organisations = {}
    for index, item in enumerate(read.get(document, "organisations", "$", list, default=[])):
        path = f"organisations[{index}]"
        org_slug = read.get(item, "slug", path, str, default="")
        org = Organisation.objects.filter(slug=org_slug).first() or Organisation(slug=org_slug)
        read.translated(org, item, "name", path, required=True)
        org.acronym = read.get(item, "acronym", path, str, required=False, default="")
        org.url = read.get(item, "url", path, str, required=False, default="")
        read.check(org, path)
        organisations[org_slug] = org
    sectors = {}
    for index, item in enumerate(read.get(document, "sectors", "$", list, default=[])):
        path = f"sectors[{index}]"
        sector_slug = read.get(item, "slug", path, str, default="")
        sector = Sector.objects.filter(slug=sector_slug).first() or Sector(slug=sector_slug)
        sector.order = read.get(item, "order", path, int, required=False, default=0)
        read.translated(sector, item, "name", path, required=True)
        read.check(sector, path)
        sectors[sector_slug] = sector
    people = {}
    for index, item in enumerate(read.get(document, "people", "$", list, default=[])):
        path = f"people[{index}]"
        person_slug = read.get(item, "slug", path, str, default="")
        person = Person.objects.filter(slug=person_slug).first() or Person(slug=person_slug)
        person.name = read.get(item, "name", path, str, default="")
        person.short_name = read.get(item, "short_name", path, str, required=False, default="")
        read.translated(person, item, "honorific", path)
        read.check(person, path)
        people[person_slug] = person
    focus_areas = {}
    for index, item in enumerate(read.get(document, "focus_areas", "$", list, default=[])):
        path = f"focus_areas[{index}]"
        number = read.get(item, "number", path, int)
        area = FocusArea.objects.filter(number=number).first() or FocusArea(number=number)
        area.slug = read.get(item, "slug", path, str, default="")
        read.translated(area, item, "title", path, required=True)
        read.translated(area, item, "description", path)
        read.check(area, path)
        focus_areas[number] = area
    for label, items in (("organisation", organisations), ("sector", sectors),
                         ("person", people), ("focus area", focus_areas)):  # fmt: skip
        if None in items or "" in items:
            plan.error("$", f"a {label} has no key")

    def known(mapping, key, path, label, model, lookup):
        if key is None:
            return None
        if not isinstance(key, str | int) or isinstance(key, bool):
            plan.error(path, f"must be a {label}'s key, not {type(key).__name__}")
            return None
        if key in mapping:
            return mapping[key]
        found = model.objects.filter(**{lookup: key}).first()
        if found is None:
            plan.error(path, f"unknown {label} {key!r}")
        else:
            mapping[key] = found
        return found

    event_organiser = data.get("organiser") if isinstance(data, dict) else None
    organiser = known(
        organisations, event_organiser, "event.organiser", "organisation", Organisation, "slug"
    )
    sector_list = [
        known(sectors, s, f"event.sectors[{i}]", "sector", Sector, "slug")
        for i, s in enumerate(read.get(data, "sectors", "event", list, default=[]))
    ]
    preceded = []
    for index, other_slug in enumerate(read.get(data, "preceded_by", "event", list, default=[])):
        if not isinstance(other_slug, str) or _unstorable(other_slug):
            plan.error(f"event.preceded_by[{index}]", "must be an event's slug (a string)")
            continue
        other = Event.objects.filter(slug=other_slug).first()
        if other is None:
            plan.warnings.append(
                f"event.preceded_by[{index}]: {other_slug!r} is not on this server; link skipped"
            )
        else:
            preceded.append(other)

    # The parts, with every reference checked inside the document.
    refs = Counter()
    parts_by_ref = {}

    def part(instance, item, path):
        ref = read.get(item, "ref", path, str)
        if ref:
            refs[ref] += 1
            instance.ref = ref
            parts_by_ref[ref] = instance
            owner = _owner_event_slug(type(instance), ref)
            if owner is not None and owner != slug:
                plan.error(f"{path}.ref", f"{ref!r} belongs to the event {owner!r}")
        return instance

    sessions = read.get(document, "sessions", "$", list, default=[])
    _unique(plan, sessions, "order", "sessions", "order")
    session_objects, appearance_objects, group_objects = [], [], []
    conclusion_objects, sub_point_objects = [], []
    for s_index, s_item in enumerate(sessions):
        s_path = f"sessions[{s_index}]"
        session = part(Session(), s_item, s_path)
        session.order = read.get(s_item, "order", s_path, int)
        session.kind = read.get(s_item, "kind", s_path, str, default="")
        read.translated(session, s_item, "title", s_path, required=True)
        read.translated(session, s_item, "description", s_path)
        read.check(session, s_path, exclude={"event"})
        session_objects.append(session)

        appearances = read.get(s_item, "appearances", s_path, list, default=[])
        _unique(plan, appearances, "order", f"{s_path}.appearances", "order")
        for a_index, a_item in enumerate(appearances):
            a_path = f"{s_path}.appearances[{a_index}]"
            appearance = part(Appearance(), a_item, a_path)
            appearance.order = read.get(a_item, "order", a_path, int)
            appearance.role = read.get(a_item, "role", a_path, str, default="")
            appearance._session = session
            appearance._person = known(
                people, read.get(a_item, "person", a_path, str), f"{a_path}.person",
                "person", Person, "slug",
            )  # fmt: skip
            behalf = a_item.get("on_behalf_of") if isinstance(a_item, dict) else None
            appearance._on_behalf_of = known(
                organisations, behalf, f"{a_path}.on_behalf_of", "organisation",
                Organisation, "slug",
            )  # fmt: skip
            for name in ("title_at_time", "additional_title_at_time", "summary"):
                read.translated(appearance, a_item, name, a_path)
            read.check(appearance, a_path, exclude={"session", "person", "on_behalf_of"})
            appearance_objects.append(appearance)

        groups = read.get(s_item, "groups", s_path, list, default=[])
        _unique(plan, groups, "number", f"{s_path}.groups", "number")
        _unique(plan, groups, "focus_area", f"{s_path}.groups", "focus area")
        for g_index, g_item in enumerate(groups):
            g_path = f"{s_path}.groups[{g_index}]"
            group = part(DiscussionGroup(), g_item, g_path)
            group.number = read.get(g_item, "number", g_path, int)
            group._session = session
            group._focus_area = known(
                focus_areas, read.get(g_item, "focus_area", g_path, int),
                f"{g_path}.focus_area", "focus area", FocusArea, "number",
            )  # fmt: skip
            read.translated(group, g_item, "summary", g_path)
            read.check(group, g_path, exclude={"session", "focus_area"})
            group_objects.append(group)
            conclusions = read.get(g_item, "conclusions", g_path, list, default=[])
            _unique(plan, conclusions, "order", f"{g_path}.conclusions", "order")
            for c_index, c_item in enumerate(conclusions):
                c_path = f"{g_path}.conclusions[{c_index}]"
                conclusion = part(Conclusion(), c_item, c_path)
                conclusion.order = read.get(c_item, "order", c_path, int)
                conclusion._group = group
                read.translated(conclusion, c_item, "text", c_path, required=True)
                read.check(conclusion, c_path, exclude={"group", "parent"})
                conclusion_objects.append(conclusion)
                sub_points = read.get(c_item, "sub_points", c_path, list, required=False) or []
                _unique(plan, sub_points, "order", f"{c_path}.sub_points", "order")
                for p_index, p_item in enumerate(sub_points):
                    p_path = f"{c_path}.sub_points[{p_index}]"
                    point = part(Conclusion(), p_item, p_path)
                    point.order = read.get(p_item, "order", p_path, int)
                    point._group, point._parent = group, conclusion
                    read.translated(point, p_item, "text", p_path, required=True)
                    read.check(point, p_path, exclude={"group", "parent"})
                    sub_point_objects.append(point)

    def local(ref, path, model, label):
        if ref is None:
            return None
        if not isinstance(ref, str):
            plan.error(path, "must be a ref (a string) or null")
            return None
        found = parts_by_ref.get(ref)
        if not isinstance(found, model):
            plan.error(path, f"no {label} with ref {ref!r} in this document")
            return None
        return found

    shocks = read.get(document, "shocks_and_stresses", "$", list, default=[])
    _unique(plan, shocks, "order", "shocks_and_stresses", "order")
    shock_objects = []
    for index, item in enumerate(shocks):
        path = f"shocks_and_stresses[{index}]"
        shock = part(ShockStress(), item, path)
        shock.order = read.get(item, "order", path, int)
        shock.kind = read.get(item, "kind", path, str, default="")
        read.translated(shock, item, "name", path, required=True)
        named_by = item.get("named_by") if isinstance(item, dict) else None
        shock._named_by = local(named_by, f"{path}.named_by", Appearance, "appearance")
        read.check(shock, path, exclude={"event", "named_by"})
        shock_objects.append(shock)

    def attachment(instance, item, path):
        instance.order = read.get(item, "order", path, int)
        get = item.get if isinstance(item, dict) else (lambda key: None)
        instance._session = local(get("session"), f"{path}.session", Session, "session")
        instance._group = local(get("group"), f"{path}.group", DiscussionGroup, "group")
        instance._person = known(people, get("person"), f"{path}.person", "person", Person, "slug")

    named_files = {}  # storage name -> where in the document it was first named

    def stored_file(instance, item, key, path):
        """A media file the part may keep: its own current file, or one no row uses.

        Another part's file is refused: the import would share it, and deleting either
        part later (django-cleanup) would delete the other's file with it.
        """
        name = read.get(item, key, path, str, required=False, default="") or ""
        if not name:
            return ""
        where = f"{path}.{key}"
        kind, shape = _MEDIA_KINDS[type(instance), key]
        if len(name) > 255 or not STORED_NAME_PATTERNS[kind].fullmatch(name):
            plan.error(where, f"{name!r} is not a stored file name like {shape}")
            return ""
        if name in named_files:
            plan.error(where, f"{name!r} is already named at {named_files[name]}")
            return ""
        named_files[name] = where
        for model, field_name, owner_ref, owner_slug in _media_owners(name):
            own = (
                isinstance(instance, model)
                and field_name == key
                and owner_ref == instance.ref
                and owner_slug == slug
            )
            if not own:
                plan.error(
                    where,
                    f"{name!r} belongs to the {model._meta.model_name} {owner_ref!r} of "
                    f"the event {owner_slug!r}; an import may name only its own files",
                )
                return ""
        try:
            exists = _is_stored_file(name)
        except (SuspiciousFileOperation, OSError, ValueError):
            plan.error(where, f"{name!r} is not a stored file name like {shape}")
            return ""
        if not exists:
            plan.warnings.append(f"{where}: {name!r} is not in this server's media; left empty")
            return ""
        return name

    documents = read.get(document, "documents", "$", list, default=[])
    _unique(plan, documents, "order", "documents", "order")
    document_objects = []
    for index, item in enumerate(documents):
        path = f"documents[{index}]"
        doc = part(Document(), item, path)
        attachment(doc, item, path)
        doc.kind = read.get(item, "kind", path, str, default="")
        doc.url = read.get(item, "url", path, str, required=False, default="") or ""
        doc.file.name = stored_file(doc, item, "file", path)
        read.translated(doc, item, "title", path, required=True)
        if doc.url and doc.file.name:
            plan.error(path, "a document is a file or a URL, not both")
        read.check(doc, path, exclude={"event", "session", "person", "group", "file"})
        document_objects.append(doc)

    photos = read.get(document, "photos", "$", list, default=[])
    _unique(plan, photos, "order", "photos", "order")
    photo_objects = []
    for index, item in enumerate(photos):
        path = f"photos[{index}]"
        photo = part(Photo(), item, path)
        attachment(photo, item, path)
        photo.credit = read.get(item, "credit", path, str, required=False, default="") or ""
        photo.image.name = stored_file(photo, item, "image", path)
        photo.thumbnail.name = stored_file(photo, item, "thumbnail", path)
        read.translated(photo, item, "caption", path, required=True)
        read.check(photo, path, exclude={"event", "session", "person", "group", "image"})
        photo_objects.append(photo)

    for ref, count in refs.items():
        if count > 1:
            plan.error("$", f"the ref {ref!r} is used {count} times")

    plan.steps = [
        ("shared records", list(organisations.values()) + list(sectors.values())
         + list(people.values()) + list(focus_areas.values())),
        ("event", [event]),
        ("sessions", session_objects),
        ("speakers", appearance_objects),
        ("groups", group_objects),
        ("conclusions", conclusion_objects),
        ("sub-points", sub_point_objects),
        ("shocks and stresses", shock_objects),
        ("documents", document_objects),
        ("photos", photo_objects),
    ]  # fmt: skip
    event._organiser, event._sectors, event._preceded = organiser, sector_list, preceded
    return plan, event


_PART_EVENT_PATH = {
    Session: "event__slug",
    Appearance: "session__event__slug",
    DiscussionGroup: "session__event__slug",
    Conclusion: "group__session__event__slug",
    ShockStress: "event__slug",
    Document: "event__slug",
    Photo: "event__slug",
}


def _owner_event_slug(model, ref):
    return model.objects.filter(ref=ref).values_list(_PART_EVENT_PATH[model], flat=True).first()


_MEDIA_KINDS = {
    (Document, "file"): ("document", "documents/2018/….pdf or .pptx"),
    (Photo, "image"): ("photo", "photos/2018/….jpg, .png or .webp"),
    (Photo, "thumbnail"): ("thumbnail", "photos/thumbnails/2018/….webp"),
}


def _media_owners(name):
    """(model, field, ref, event slug) of every row whose file is `name`."""
    return [
        (model, field_name, ref, owner_slug)
        for model, field_name in _MEDIA_KINDS
        for ref, owner_slug in model.objects.filter(**{field_name: name}).values_list(
            "ref", "event__slug"
        )
    ]


def _is_stored_file(name):
    """A file (not a folder) in the media storage."""
    if isinstance(default_storage, FileSystemStorage):
        return os.path.isfile(default_storage.path(name))
    return default_storage.exists(name)  # object storage: no folders to mistake for files


def validate_event_document(document):
    """(errors, warnings) without writing anything."""
    plan, _ = _plan_import(document)
    return plan.errors, plan.warnings


def import_event(document, *, user=None, progress=None, comment="Imported"):
    """Create or replace one event from a document: all of it, or nothing.

    Raises ImportFailed with every error (path: message) if the document is invalid.
    Returns (event, warnings).
    """
    plan, event = _plan_import(document)
    if plan.errors:
        raise ImportFailed(plan.errors)
    total = sum(len(objects) for _, objects in plan.steps)
    done = 0
    try:
        with transaction.atomic(), reversion.create_revision():
            if event.pk:
                # Replace the parts: the document is the whole truth about this event.
                # Documents and photos are updated in place (by ref), so that their
                # files stay; only those the document no longer lists are deleted.
                for model in (Session, ShockStress):
                    model.objects.filter(event=event).delete()
                kept = {
                    obj.ref
                    for _, objects in plan.steps
                    for obj in objects
                    if isinstance(obj, Document | Photo)
                }
                for model in (Document, Photo):
                    model.objects.filter(event=event).exclude(ref__in=kept).delete()
                park_orders(event_id=event.pk)
            for label, objects in plan.steps:
                for obj in objects:
                    _save(obj, event)
                    done += 1
                    if progress:
                        progress(done, total, label)
            event.sectors.set(event._sectors)
            event.preceded_by.set(event._preceded)
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(comment)
    except DatabaseError as error:  # IntegrityError, DataError…
        raise ImportFailed([f"$: the database refused the document ({error})"]) from error
    return event, plan.warnings


def _save(obj, event):
    """Attach an unsaved object to its (by now saved) parents, then save it."""
    if isinstance(obj, Event):
        obj.organiser = obj._organiser
    if isinstance(obj, Session | ShockStress | Document | Photo):
        obj.event = event
    if isinstance(obj, Appearance):
        obj.session, obj.person, obj.on_behalf_of = obj._session, obj._person, obj._on_behalf_of
    if isinstance(obj, DiscussionGroup):
        obj.session, obj.focus_area = obj._session, obj._focus_area
    if isinstance(obj, Conclusion):
        obj.group = obj._group
        obj.parent = getattr(obj, "_parent", None)
    if isinstance(obj, ShockStress):
        obj.named_by = obj._named_by
    if isinstance(obj, Document | Photo):
        obj.session, obj.group, obj.person = obj._session, obj._group, obj._person
        existing = type(obj).objects.filter(ref=obj.ref).values_list("pk", flat=True).first()
        if existing is not None:
            obj.pk, obj._state.adding = existing, False
    obj.save()
