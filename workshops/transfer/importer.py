"""Importing one event document: checked whole first, every error with its path, then
written in one transaction."""

import os
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, transaction
from django.db.models import FileField

from focus_areas import rules
from focus_areas.models import Conclusion, DiscussionGroup
from jakres.core.languages import LANGUAGES, column
from workshops import schema
from workshops.models import (
    Appearance,
    Document,
    Event,
    EventOrganiser,
    Photo,
    Programme,
    Session,
    ShockStress,
)
from workshops.ordering import park_orders
from workshops.transfer.reading import shape_problem


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
    programmes: list = field(default_factory=list)  # new or updated, written first


_PART_EVENT_PATH = {
    Session: "event__slug",
    Appearance: "session__event__slug",
    DiscussionGroup: "session__event__slug",
    Conclusion: "group__session__event__slug",
    ShockStress: "event__slug",
    Document: "event__slug",
    Photo: "event__slug",
}

_MEDIA_FIELDS = {Document: ("file",), Photo: ("image", "thumbnail")}


def _media_owners(name):
    """(model, field, ref, event slug) of every row whose file is `name`."""
    return [
        (model, field_name, ref, owner_slug)
        for model, fields in _MEDIA_FIELDS.items()
        for field_name in fields
        for ref, owner_slug in model.objects.filter(**{field_name: name}).values_list(
            "ref", "event__slug"
        )
    ]


def _is_stored_file(name):
    """A file (not a folder) in the media storage."""
    if isinstance(default_storage, FileSystemStorage):
        return os.path.isfile(default_storage.path(name))
    return default_storage.exists(name)  # object storage: no folders to mistake for files


class ServerLookup(schema.Lookup):
    """What checking an import document asks this server."""

    def __init__(self):
        super().__init__()
        self.missing_media = set()  # named files that are not in the media storage

    def stored(self, record_class, key):
        found = record_class.django_model.objects.filter(**{record_class.key: key})
        if record_class is schema.FocusArea:  # numbered within the event's programme
            found = found.filter(programme=self.programme())
        return found.exists()

    def programme(self):
        """The programme the event goes to: the one the document names, else the
        event's own, else the site's (None if the server has none)."""
        if self.index.programme_slug:
            return Programme.objects.filter(slug=self.index.programme_slug).first()
        event = Event.objects.filter(slug=self.index.event_slug).select_related("programme")
        event = event.first()
        return event.programme if event else Programme.objects.default()

    def owner(self, part_class, ref):
        model = part_class.django_model
        return model.objects.filter(ref=ref).values_list(_PART_EVENT_PATH[model], flat=True).first()

    def media_problem(self, part_class, field, name, ref, media):
        """A part may keep its own current file, or one no row uses.

        Another part's file is refused: the import would share it, and deleting either
        part later (django-cleanup) would delete the other's file with it.
        """
        for model, field_name, owner_ref, owner_slug in _media_owners(name):
            own = (model, field_name, owner_ref, owner_slug) == (
                part_class.django_model,
                field,
                ref,
                self.index.event_slug,
            )
            if not own:
                return (
                    f"{name!r} belongs to the {model._meta.model_name} {owner_ref!r} of "
                    f"the event {owner_slug!r}; an import may name only its own files"
                )
        try:
            exists = _is_stored_file(name)
        except (SuspiciousFileOperation, OSError, ValueError):
            return f"{name!r} is not a stored file name like {media.shape}"
        if not exists:
            self.missing_media.add(name)
        return None


def _field_path(where, name):
    """Where a model field's error is in the document: "title_en" -> "title.en"."""
    if name == "__all__":
        return where
    for language in LANGUAGES:
        suffix = column("", language)
        if name.endswith(suffix):
            name = f"{name[: -len(suffix)]}.{language}"
    return f"{where}.{name}"


class _Planner:
    """The unsaved model objects of a checked document, each linked to its parents."""

    def __init__(self, plan, document, lookup, update_shared):
        self.plan, self.document, self.lookup = plan, document, lookup
        self.update_shared = update_shared
        self.records = {}  # (record node class, key) -> model object
        self.parts = {}  # ref -> model object

    def run(self):
        document = self.document
        self.programme = self.event_programme()
        shared = self.shared_records()
        event = self.event()
        self.plan.steps = [
            ("shared records", shared),
            ("event", [event]),
            *self.sessions(),
            ("shocks and stresses", [
                self.part(node, f"shocks_and_stresses[{i}]", _named_by=self.local(node.named_by),
                          _hazard=self.record(node.shock_stress))
                for i, node in enumerate(document.shocks_and_stresses)
            ]),
            ("documents", self.attachments(document.documents, "documents")),
            ("photos", self.attachments(document.photos, "photos")),
        ]  # fmt: skip
        return event

    def check(self, obj, where):
        """The model's own validation, a safety net behind the schema's checks."""
        exclude = {f.name for f in obj._meta.fields if f.is_relation or isinstance(f, FileField)}
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.plan.errors += [
                f"{_field_path(where, name)}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]

    def event_programme(self):
        """The document's programme (created first if new), else the event's, else the
        site's: an old document without one imports into the site's programme."""
        for position, node in enumerate(self.document.programmes):
            existing = Programme.objects.filter(slug=node.slug).first()
            obj = self.records[schema.Programme, node.slug] = existing or Programme()
            if existing is None or self.update_shared:
                schema.apply(node, obj)
                self.check(obj, f"programmes[{position}]")
                self.plan.programmes.append(obj)
        if self.document.event.programme is not None:
            return self.record(self.document.event.programme)
        programme = self.lookup.programme()
        if programme is None:
            self.plan.errors.append("event.programme: is required (this server has no programme)")
        return programme

    def shared_records(self):
        """Matched by natural key; created when missing, changed only with update_shared.
        Focus areas are matched by number within the event's programme."""
        written = [*self.plan.programmes]
        for name in ("organisations", "sectors", "people", "focus_areas", "hazards"):
            for position, node in enumerate(getattr(self.document, name)):
                cls, key = type(node), getattr(node, node.key)
                existing = self.stored_record(cls, key)
                obj = self.records[cls, key] = existing or cls.django_model()
                if cls is schema.FocusArea and existing is None:
                    obj.programme = self.programme
                if existing is None or self.update_shared:
                    schema.apply(node, obj)
                    self.check(obj, f"{name}[{position}]")
                    written.append(obj)
        return written

    def record(self, ref):
        """The shared record a reference names: in the document or on the server."""
        if ref is None:
            return None
        cls, key = ref.target, getattr(ref, ref.target.key)
        if (cls, key) not in self.records:
            self.records[cls, key] = self.stored_record(cls, key)
        return self.records[cls, key]

    def stored_record(self, cls, key):
        found = cls.django_model.objects.filter(**{cls.key: key})
        if cls is schema.FocusArea:
            found = found.filter(programme=self.programme)
        return found.first()

    def local(self, ref):
        return None if ref is None else self.parts[ref.ref]

    def event(self):
        node = self.document.event
        event = Event.objects.filter(slug=node.slug).first() or Event(slug=node.slug)
        event._programme = self.programme
        schema.apply(node, event)
        schema.apply(node.participants, event)
        self.check(event, "event")
        event._organisers = [
            EventOrganiser(organisation=self.record(row.organisation), role=row.role, order=order)
            for order, row in enumerate(node.organisers, start=1)
        ]
        event._sectors = [self.record(sector) for sector in node.participants.sectors]
        event._preceded = []
        for position, ref in enumerate(node.preceded_by):
            other = Event.objects.filter(slug=ref.slug).first()
            if other is None:
                self.plan.warnings.append(
                    f"event.preceded_by[{position}]: {ref.slug!r} is not on this server; "
                    "link skipped"
                )
            else:
                event._preceded.append(other)
        return event

    def part(self, node, where, **links):
        obj = node.django_model()
        schema.apply(node, obj)
        for name, value in links.items():
            setattr(obj, name, value)
        self.check(obj, where)
        self.parts[node.ref] = obj
        return obj

    def sessions(self):
        steps = {label: [] for label in ("sessions", "speakers", "groups", "conclusions")}
        steps["sub-points"] = []
        event = self.document.event
        last = event.end_date or event.start_date
        for s, node in enumerate(self.document.sessions):
            where = f"sessions[{s}]"
            if node.date and not event.start_date <= node.date <= last:
                self.plan.errors.append(f"{where}.date: is not one of the event's days")
            session = self.part(node, where)
            steps["sessions"].append(session)
            steps["speakers"] += [
                self.part(
                    item, f"{where}.appearances[{a}]", _session=session,
                    _person=self.record(item.person),
                    _on_behalf_of=self.record(item.on_behalf_of),
                )
                for a, item in enumerate(node.appearances)
            ]  # fmt: skip
            for g, item in enumerate(node.groups):
                self.group(item, f"{where}.groups[{g}]", session, steps)
        return list(steps.items())

    def group(self, node, where, session, steps):
        group = self.part(node, where, _session=session, _focus_area=self.record(node.focus_area))
        steps["groups"].append(group)
        _fill_numbers(node.conclusions)
        for c, item in enumerate(node.conclusions):
            path = f"{where}.conclusions[{c}]"
            conclusion = self.part(item, path, _group=group)
            steps["conclusions"].append(conclusion)
            _fill_numbers(item.sub_points)
            steps["sub-points"] += [
                self.part(point, f"{path}.sub_points[{p}]", _group=group, _parent=conclusion)
                for p, point in enumerate(item.sub_points)
            ]

    def attachments(self, nodes, name):
        objects = []
        for position, node in enumerate(nodes):
            where = f"{name}[{position}]"
            obj = self.part(
                node, where, _session=self.local(node.session), _group=self.local(node.group),
                _person=self.record(node.person),
            )  # fmt: skip
            for field_name in _MEDIA_FIELDS[type(obj)]:
                stored = self.stored_file(getattr(node, field_name), f"{where}.{field_name}")
                getattr(obj, field_name).name = stored
            objects.append(obj)
        return objects

    def stored_file(self, name, where):
        if name and name in self.lookup.missing_media:
            self.plan.warnings.append(
                f"{where}: {name!r} is not in this server's media; left empty"
            )
            return ""
        return name or ""


def _plan_import(document, *, update_shared=False):
    plan = _Plan()
    problem = shape_problem(document)
    if problem:
        plan.errors.append(f"$: the document {problem}")
        return plan, None
    lookup = ServerLookup()
    checked, plan.errors = schema.validate(document, lookup)
    if checked is None:
        return plan, None
    event = _Planner(plan, checked, lookup, update_shared).run()
    return plan, event


def validate_event_document(document, *, update_shared=False):
    """(errors, warnings) without writing anything."""
    plan, _ = _plan_import(document, update_shared=update_shared)
    return plan.errors, plan.warnings


def _fill_numbers(nodes):
    """Conclusions (or sub-points) that a document gives no number (one written before
    numbers were stored) get the next free ones, by their order: 1, 2, 3… when none
    has one, as the pages showed them."""
    highest = max((node.number for node in nodes if node.number is not None), default=0)
    for node in sorted(nodes, key=lambda node: node.order):
        if node.number is None:
            highest += 1
            node.number = highest


def import_event(document, *, user=None, progress=None, comment="Imported", update_shared=False):
    """Create or replace one event from a document: all of it, or nothing.

    Shared records that exist are left as they are unless `update_shared`.
    Raises ImportFailed with every error (path: message) if the document is invalid.
    Returns (event, warnings).
    """
    plan, event = _plan_import(document, update_shared=update_shared)
    if plan.errors:
        raise ImportFailed(plan.errors)
    try:
        with transaction.atomic(), reversion.create_revision():
            _write(plan, event, progress)
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(comment)
    except DatabaseError as error:  # IntegrityError, DataError…
        raise ImportFailed([f"$: the database refused the document ({error})"]) from error
    except ValidationError as error:  # a rule across rows (workshops.editorial.workflow)
        raise ImportFailed([f"$: {message}" for message in error.messages]) from error
    return event, plan.warnings


def _write(plan, event, progress):
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
    total = sum(len(objects) for _, objects in plan.steps)
    done = 0
    for label, objects in plan.steps:
        for obj in objects:
            _save(obj, event)
            done += 1
            if progress:
                progress(done, total, label)
    event.sectors.set(event._sectors)
    EventOrganiser.objects.filter(event=event).delete()
    for row in event._organisers:
        row.event = event
    EventOrganiser.objects.bulk_create(event._organisers)
    event.preceded_by.set(event._preceded)


def _save(obj, event):
    """Attach an unsaved object to its (by now saved) parents, then save it."""
    if isinstance(obj, Event):
        obj.programme = obj._programme
    if isinstance(obj, Session | ShockStress | Document | Photo):
        obj.event = event
    if isinstance(obj, Appearance):
        obj.session, obj.person, obj.on_behalf_of = obj._session, obj._person, obj._on_behalf_of
    if isinstance(obj, DiscussionGroup):
        obj.session, obj.focus_area = obj._session, obj._focus_area
    if isinstance(obj, Conclusion):
        obj.group = obj._group
        obj.parent = getattr(obj, "_parent", None)
        rules.check_conclusion_structure(obj)
    if isinstance(obj, ShockStress):
        obj.named_by, obj.hazard = obj._named_by, obj._hazard
    if isinstance(obj, Document | Photo):
        obj.session, obj.group, obj.person = obj._session, obj._group, obj._person
        rules.check_attachment_event(obj)
        existing = type(obj).objects.filter(ref=obj.ref).values_list("pk", flat=True).first()
        if existing is not None:
            obj.pk, obj._state.adding = existing, False
    obj.save()
