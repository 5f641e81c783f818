"""One schema for an event's document: the public proceedings JSON and the export.

The document of an event is described once, here, as pydantic models: the event, its
sessions with their speakers (appearances) and discussion groups, the groups'
conclusions with their sub-points, the shocks and stresses, documents and photos, and
the records that events share (organisations, sectors, people, focus areas), which parts
reference by natural key. Every translated text is a `Translated`, {"id": …, "en": …}.

Two audiences write it:

- PUBLIC, /events/<slug>/proceedings.json (docs/api.md). A reference shows what it
  points at (a person's slug and name, an organisation's name, …).
- EXPORT, export_event and import_event (docs/import-export.md). A reference is the key
  alone, and everything needed to rebuild the event is in.

A field marked ONLY_PUBLIC or ONLY_EXPORT is written for that audience only. Each node
names the Django model it mirrors: a field with the name of a model field (or renamed in
`django_names`) is copied to and from that model field and checked by it (choices,
lengths, URLs, slugs), so adding a translated field takes one line here. The schema adds
the types, what is required, and the references. `event_document()` builds a document
from the ORM for either audience; `validate()` checks an export document before an
import, and lists every error with its path in the document.
"""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, ClassVar, get_args, get_origin

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import FileField
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SkipValidation,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from focus_areas import models as focus_orm
from jakres.core.languages import LANGUAGES, both, column
from workshops import models as orm
from workshops.files import STORED_NAME_PATTERNS

PUBLIC, EXPORT = "public", "export"
PUBLIC_FORMAT, PUBLIC_VERSION = "jakres-proceedings", 1
EXPORT_FORMAT, EXPORT_VERSION = "jakres-event", 3
# Versions 1 and 2: docs/import-export.md, "Older versions". Version 2 had one
# "organiser" (read as the first of "organisers"), no session days or hours, and each
# event's shocks and stresses by name (made shared records on import).
READABLE_VERSIONS = (1, 2, 3)


@dataclass(frozen=True)
class Only:
    """Field metadata: the field is written for this audience only."""

    audience: str


ONLY_PUBLIC, ONLY_EXPORT = Only(PUBLIC), Only(EXPORT)


@dataclass(frozen=True)
class Unique:
    """List metadata: no two items have the same `key` (checked on the raw document)."""

    key: str
    label: str


@dataclass(frozen=True)
class Media:
    """Field metadata: the storage name of an uploaded file of this kind, or ""."""

    kind: str
    shape: str


def problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("jakres", "{message}", {"message": message})


def unstorable(text: str) -> bool:
    """NUL and lone surrogates: PostgreSQL refuses the one, UTF-8 the other."""
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _audience(info) -> str:
    context = info.context
    return context.get("audience", EXPORT) if isinstance(context, dict) else EXPORT


def _lookup(info):
    return info.context if isinstance(info.context, Lookup) else None


def _is_key(value, kind) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


# --- The nodes ---------------------------------------------------------------------------


class Node(BaseModel):
    """A node of the document, mirroring `django_model` (see the module's docstring)."""

    model_config = ConfigDict(strict=True, validate_default=True, extra="ignore")
    django_model: ClassVar[type | None] = None
    django_names: ClassVar[dict[str, str]] = {}

    @model_serializer(mode="wrap")
    def _serialize(self, handler, info):
        data = handler(self)
        hidden = _hidden_fields(type(self), _audience(info))
        return {key: value for key, value in data.items() if key not in hidden}

    @field_validator("*")
    @classmethod
    def _check(cls, value, info):
        if isinstance(value, str) and unstorable(value):
            raise problem("contains characters that cannot be stored (NUL, surrogates)")
        _check_django(cls, info.field_name, value)
        _check_on_server(cls, info.field_name, value, info)
        return value


@functools.cache
def _hidden_fields(cls, audience) -> frozenset:
    return frozenset(
        name
        for name, info in cls.model_fields.items()
        if any(isinstance(m, Only) and m.audience != audience for m in info.metadata)
    )


def _marker(cls, name, kind):
    return next((m for m in cls.model_fields[name].metadata if isinstance(m, kind)), None)


@functools.cache
def _django_field(cls, name):
    """The model field that holds node field `name`: concrete, no relation, no file."""
    if cls.django_model is None:
        return None
    try:
        field = cls.django_model._meta.get_field(cls.django_names.get(name, name))
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.is_relation or isinstance(field, FileField):
        return None
    return field


@functools.cache
def mapped_fields(cls) -> tuple:
    """(node field, model attribute, is translated) of the fields copied to and from the model."""
    mapped = []
    for name, info in cls.model_fields.items():
        field = _django_field(cls, name)
        translated = isinstance(info.annotation, type) and issubclass(info.annotation, Translated)
        if field is not None:
            mapped.append((name, field.attname, translated))
    return tuple(mapped)


def _django_messages(field, value):
    try:
        field.clean(value, None)
    except DjangoValidationError as error:
        return error.messages
    return []


def _check_django(cls, name, value):
    """The model field's own checks, errors at the field (or at its language)."""
    field = _django_field(cls, name)
    if field is None or value is None:
        return
    if isinstance(value, Translated):
        model = cls.django_model
        errors = [
            ((language,), message)
            for language in LANGUAGES
            for message in _django_messages(
                model._meta.get_field(column(field.name, language)), getattr(value, language)
            )
        ]
    else:
        errors = [((), message) for message in _django_messages(field, value)]
    if errors:
        raise ValidationError.from_exception_data(
            cls.__name__,
            [InitErrorDetails(type=problem(m), loc=loc, input=value) for loc, m in errors],
        )


def _check_on_server(cls, name, value, info):
    """A part's ref and a media name, as far as the server (the Lookup) is concerned."""
    lookup = _lookup(info)
    if name == "ref" and issubclass(cls, Part) and lookup is not None:
        message = lookup.part_problem(cls, value)
        if message:
            raise problem(message)
    media = _marker(cls, name, Media)
    if media is None or not value:
        return
    if len(value) > 255 or not STORED_NAME_PATTERNS[media.kind].fullmatch(value):
        raise problem(f"{value!r} is not a stored file name like {media.shape}")
    message = lookup and lookup.media_problem(cls, name, value, info.data.get("ref"), media)
    if message:
        raise problem(message)


def _none_as(default):
    return BeforeValidator(lambda value: default if value is None else value)


def _given(text):
    if not text:
        raise problem("is required")
    return text


def _parsed(parse, value, message):
    if not isinstance(value, str):
        return value  # the type check says what is wrong
    try:
        parsed = parse(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise problem(message.format(value))
    return parsed


Blank = Annotated[str, _none_as("")]
Date = Annotated[
    date, BeforeValidator(lambda v: _parsed(parse_date, v, "“{}” is not a date (YYYY-MM-DD)"))
]
Time = Annotated[
    time,
    BeforeValidator(lambda v: _parsed(parse_time, v, "“{}” is not a time (HH:MM)")),
    PlainSerializer(lambda t: t.strftime("%H:%M"), when_used="json"),
]
DateTime = Annotated[
    datetime,
    BeforeValidator(lambda v: _parsed(parse_datetime, v, "“{}” is not a date and time")),
    PlainSerializer(datetime.isoformat, when_used="json"),
]


class Translated(Node):
    """A text in both languages; "" where a language has no text yet."""

    id: str = ""
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _object(cls, value):
        if value is None:
            return {}
        if not isinstance(value, dict | Translated):
            raise problem('must be an object like {"id": "…", "en": "…"}')
        return value

    @classmethod
    def of(cls, obj, field):
        return cls.model_construct(**both(obj, field))


class RequiredTranslated(Translated):
    """A text whose Indonesian version (the source) is required."""

    id: Annotated[str, AfterValidator(_given)]


def empty_text():
    """The default of a translated field: empty in both languages (and checked so)."""
    return Field(default_factory=dict)


class Record(Node):
    """A record that events share, referenced by its natural key, `key`."""

    key: ClassVar[str] = "slug"
    label: ClassVar[str]


class Part(Node):
    """A part of one event, referenced by its `ref`, unique on a server."""

    key: ClassVar[str] = "ref"
    label: ClassVar[str]


class Ref(Node):
    """A reference to a record or part. The export writes the key alone; the public JSON
    shows the field `shown`, or the whole object."""

    target: ClassVar[type[Node]]
    shown: ClassVar[str | None] = None
    expects: ClassVar[str] = "must be {label}'s key, not {type}"
    checked: ClassVar[bool] = True

    @model_serializer(mode="wrap")
    def _serialize(self, handler, info):
        if _audience(info) == EXPORT:
            return getattr(self, self.target.key)
        data = handler(self)
        return data[self.shown] if self.shown else data

    @model_validator(mode="before")
    @classmethod
    def _from_key(cls, value):
        key = cls.target.key
        if _is_key(value, cls.model_fields[key].annotation):
            return {key: value}
        label = cls.target.label
        article = "an" if label[0] in "aeiou" else "a"
        raise problem(cls.expects.format(label=f"{article} {label}", type=type(value).__name__))

    @model_validator(mode="after")
    def _resolves(self, info):
        lookup = _lookup(info)
        if self.checked and lookup is not None:
            message = lookup.reference_problem(self.target, getattr(self, self.target.key))
            if message:
                raise problem(message)
        return self


# --- Shared records and references to them -----------------------------------------------


class Programme(Record):
    django_model, label = orm.Programme, "programme"
    slug: str
    name: RequiredTranslated = empty_text()
    city: str
    network: Blank = ""
    start_year: int | None = None
    end_year: int | None = None
    secretariat: Translated = empty_text()
    introduction: Translated = empty_text()
    source_url: Blank = ""


class Organisation(Record):
    django_model, label = orm.Organisation, "organisation"
    slug: str
    name: RequiredTranslated = empty_text()
    acronym: Blank = ""
    url: Blank = ""


class Sector(Record):
    django_model, label = orm.Sector, "sector"
    slug: str
    order: Annotated[int, _none_as(0)] = 0
    name: RequiredTranslated = empty_text()


class Person(Record):
    django_model, label = orm.Person, "person"
    slug: str
    name: str
    short_name: Blank = ""
    honorific: Translated = empty_text()


class FocusArea(Record):
    django_model, label, key = focus_orm.FocusArea, "focus area", "number"
    number: int
    slug: str
    title: RequiredTranslated = empty_text()
    description: Translated = empty_text()


class Hazard(Record):
    """A shock or stress that events share (its page: /guncangan-dan-tekanan/<slug>/)."""

    django_model, label = orm.Hazard, "shock or stress"
    slug: str
    kind: str
    name: RequiredTranslated = empty_text()
    description: Translated = empty_text()


class ProgrammeRef(Ref):
    target = Programme
    slug: str


class OrganisationRef(Ref):
    target, shown = Organisation, "name"
    slug: str
    name: Translated | None = None


class SectorRef(Ref):
    target = Sector
    slug: str
    name: Translated | None = None


class PersonRef(Ref):
    target = Person
    slug: str
    name: str | None = None


class FocusAreaRef(Ref):
    target = FocusArea
    number: int
    title: Translated | None = None


# --- The parts of an event ---------------------------------------------------------------


class SubPoint(Part):
    django_model, label = focus_orm.Conclusion, "sub-point"
    ref: str
    order: int
    # The stored number (1 is "a"); a document without it is numbered by order.
    number: Annotated[int, Field(ge=1)] | None = None
    citation_label: Annotated[str | None, ONLY_PUBLIC] = None
    text: RequiredTranslated = empty_text()


class Conclusion(Part):
    django_model, label = focus_orm.Conclusion, "conclusion"
    ref: str
    order: int
    # The stored, citable number within the group; "citation_label" is "2.3".
    number: Annotated[int, Field(ge=1)] | None = None
    citation_label: Annotated[str | None, ONLY_PUBLIC] = None
    url: Annotated[str | None, ONLY_PUBLIC] = None
    text: RequiredTranslated = empty_text()
    sub_points: Annotated[
        list[SubPoint], _none_as([]), Unique("order", "order"), Unique("number", "number")
    ] = []


class Group(Part):
    django_model, label = focus_orm.DiscussionGroup, "group"
    ref: str
    number: int
    url: Annotated[str | None, ONLY_PUBLIC] = None
    focus_area: FocusAreaRef
    summary: Translated = empty_text()
    numbered_by_editors: bool = False
    conclusions: Annotated[list[Conclusion], Unique("order", "order"), Unique("number", "number")]


class Appearance(Part):
    django_model, label = orm.Appearance, "appearance"
    django_names = {"key_points": "summary"}
    ref: str
    order: Annotated[int, ONLY_EXPORT]
    person: PersonRef
    role: str
    title_at_time: Translated = empty_text()
    additional_title_at_time: Translated = empty_text()
    on_behalf_of: OrganisationRef | None = None
    key_points: Translated = empty_text()


class Session(Part):
    django_model, label = orm.Session, "session"
    ref: str
    order: int
    kind: str
    title: RequiredTranslated = empty_text()
    description: Translated = empty_text()
    # The session's own day and hours, where the sources give them (else null: the
    # session is on the event's first day).
    date: Date | None = None
    start_time: Time | None = None
    end_time: Time | None = None
    appearances: Annotated[list[Appearance], Unique("order", "order")]
    groups: Annotated[list[Group], Unique("number", "number"), Unique("focus_area", "focus area")]

    @field_validator("end_time")
    @classmethod
    def _ends_after_start(cls, value, info):
        start = info.data.get("start_time")
        if value and start and value <= start:
            raise problem("is not after the start time")
        return value


class LocalRef(Ref):
    """A reference to a part of this same document."""

    expects = "must be a ref (a string) or null"
    ref: str


class AppearanceRef(LocalRef):
    target, shown = Appearance, "person"
    person: str | None = None  # the person's slug, which the public JSON shows


class SessionRef(LocalRef):
    target = Session


class GroupRef(LocalRef):
    target = Group


class HazardRef(Ref):
    target, shown = Hazard, "slug"
    slug: str


class ShockStress(Part):
    """An event naming a shared shock or stress: in the export its slug (`shock_stress`),
    the record in the document's `hazards`; in the public JSON its slug, kind, name and
    page."""

    django_model, label = orm.ShockStress, "shock or stress named"
    ref: Annotated[str, ONLY_EXPORT]
    order: Annotated[int, ONLY_EXPORT]
    shock_stress: HazardRef
    kind: Annotated[str | None, ONLY_PUBLIC] = None
    name: Annotated[Translated | None, ONLY_PUBLIC] = None
    url: Annotated[str | None, ONLY_PUBLIC] = None
    named_by: AppearanceRef | None = None


class Attachment(Part):
    """What documents and photos share: they may hang on a session, group or person."""

    ref: Annotated[str, ONLY_EXPORT]
    order: Annotated[int, ONLY_EXPORT]


# Where a document or photo hangs: written in the export only.
OnSession = Annotated[SessionRef | None, ONLY_EXPORT]
OnPerson = Annotated[PersonRef | None, ONLY_EXPORT]
OnGroup = Annotated[GroupRef | None, ONLY_EXPORT]


class Document(Attachment):
    """`url`: in the public JSON where to get the document (its file here, or the
    external URL); in the export the external URL only, the file being `file`."""

    django_model, label = orm.Document, "document"
    kind: str
    title: RequiredTranslated = empty_text()
    url: str | None = None
    file: Annotated[str | None, ONLY_EXPORT, Media("document", "documents/2018/….pdf or .pptx")] = (
        None
    )
    attribution_note: Translated = empty_text()
    session: OnSession = None
    person: OnPerson = None
    group: OnGroup = None

    @model_validator(mode="after")
    def _file_or_url(self):
        if self.url and self.file:
            raise problem("a document is a file or a URL, not both")
        return self


class Photo(Attachment):
    django_model, label = orm.Photo, "photo"
    caption: RequiredTranslated = empty_text()
    credit: Blank = ""
    url: Annotated[str | None, ONLY_PUBLIC] = None
    image: Annotated[
        str | None, ONLY_EXPORT, Media("photo", "photos/2018/….jpg, .png or .webp")
    ] = None
    thumbnail: Annotated[
        str | None, ONLY_EXPORT, Media("thumbnail", "photos/thumbnails/2018/….webp")
    ] = None
    session: OnSession = None
    person: OnPerson = None
    group: OnGroup = None


# --- The event and its document ----------------------------------------------------------


class Participants(Node):
    django_model = orm.Event
    django_names = {"count": "participant_count", "qualifier": "participant_count_qualifier"}
    count: int | None = None
    qualifier: str
    sectors: list[SectorRef]


class EventOrganiser(Node):
    """An organisation that held the event, in its role; in the order of the list."""

    django_model = orm.EventOrganiser
    organisation: OrganisationRef
    role: str = orm.OrganiserRole.ORGANISER.value


class EventRef(Ref):
    """An event that came before, by slug; one not on the server is skipped on import."""

    expects, checked, shown = "must be an event's slug (a string)", False, "slug"
    slug: str


class Event(Node):
    django_model = orm.Event
    key: ClassVar[str] = "slug"
    label: ClassVar[str] = "event"
    slug: str
    # The programme the event belongs to; a document without one (format version 1)
    # goes to the event's programme, or for a new event to the site's programme.
    programme: Annotated[ProgrammeRef | None, ONLY_EXPORT] = None
    kind: str
    status: Annotated[str, ONLY_EXPORT]
    published_at: Annotated[DateTime | None, ONLY_EXPORT] = None
    title: RequiredTranslated = empty_text()
    subtitle: Translated = empty_text()
    topic: Translated = empty_text()
    start_date: Date
    end_date: Date | None = None
    schedule_note: Translated = empty_text()
    city: str | None = None  # none: the model's default, or what the event has
    venue: Translated = empty_text()
    # Every organisation that held the event, with its role, in order.
    organisers: Annotated[list[EventOrganiser], Unique("organisation", "organisation")] = []
    # The first organiser (role "organiser"): the public JSON's field of version 1; an
    # export of version 2 has it instead of "organisers" (read as its only row).
    organiser: Annotated[OrganisationRef | None, ONLY_PUBLIC] = None
    programme_phase: Translated = empty_text()
    purpose: Translated = empty_text()
    summary: Translated = empty_text()
    feeds_into: Translated = empty_text()
    participants: Participants
    # Items of "Still missing" the sources do not record (RecordedItem values).
    not_in_sources: Annotated[list[str], ONLY_EXPORT] = []
    preceded_by: list[EventRef]
    followed_by: Annotated[list[str], ONLY_PUBLIC] = []

    @model_validator(mode="before")
    @classmethod
    def _one_organiser(cls, value):
        if isinstance(value, dict) and "organisers" not in value and value.get("organiser"):
            value = {**value, "organisers": [{"organisation": value["organiser"]}]}
        return value

    @field_validator("not_in_sources")
    @classmethod
    def _known_items(cls, value):
        unknown = sorted(set(value) - set(orm.RecordedItem.values))
        if unknown:
            raise problem(f"names items that do not exist: {', '.join(unknown)}")
        return [item for item in orm.RecordedItem.values if item in value]

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, value, info):
        start = info.data.get("start_date")
        if value and start and value < start:
            raise problem("is before the start date")
        return value


EventRef.target = Event


class EventDocument(Node):
    format: Annotated[str, SkipValidation] = EXPORT_FORMAT
    version: Annotated[int, SkipValidation] = EXPORT_VERSION
    url: Annotated[str | None, ONLY_PUBLIC] = None
    event: Event
    programmes: Annotated[list[Programme], ONLY_EXPORT, Unique("slug", "slug")] = []
    organisations: Annotated[list[Organisation], ONLY_EXPORT, Unique("slug", "slug")]
    sectors: Annotated[list[Sector], ONLY_EXPORT, Unique("slug", "slug")]
    people: Annotated[list[Person], ONLY_EXPORT, Unique("slug", "slug")]
    focus_areas: Annotated[list[FocusArea], ONLY_EXPORT, Unique("number", "number")]
    hazards: Annotated[list[Hazard], ONLY_EXPORT, Unique("slug", "slug")] = []
    sessions: Annotated[list[Session], Unique("order", "order")]
    shocks_and_stresses: Annotated[
        list[ShockStress], Unique("order", "order"), Unique("shock_stress", "shock or stress")
    ]
    documents: Annotated[list[Document], Unique("order", "order")]
    photos: Annotated[list[Photo], Unique("order", "order")]

    def dump(self, audience: str) -> dict:
        return self.model_dump(mode="json", context={"audience": audience})


# --- Building a document from the ORM ----------------------------------------------------


def model_values(cls, obj) -> dict:
    """The mapped fields of node class `cls`, read from model instance `obj`."""
    return {
        name: Translated.of(obj, attname) if translated else getattr(obj, attname)
        for name, attname, translated in mapped_fields(cls)
    }


def apply(node: Node, obj) -> None:
    """Copy a checked node's mapped fields onto model instance `obj`; a None leaves a
    field that cannot be null as it is."""
    for name, attname, translated in mapped_fields(type(node)):
        value = getattr(node, name)
        if translated:
            for language in LANGUAGES:
                setattr(obj, column(attname, language), getattr(value, language))
        elif value is not None or _django_field(type(node), name).null:
            setattr(obj, attname, value)


def _build(cls, obj, **fields):
    return cls.model_construct(**{**model_values(cls, obj), **fields})


def _unchanged(url):
    return url


def event_document(event, *, audience=EXPORT, absolute=_unchanged) -> EventDocument:
    """The document of an event loaded with `workshops.proceedings.with_proceedings()`.

    The public one costs no queries of its own; the export reads the photos that have
    no image yet as well. `absolute(url)` makes the public JSON's links absolute.
    """
    public = audience == PUBLIC
    builder = _Builder(event, public, absolute)
    if public:
        photos = event.photos.all()
    else:  # the prefetched photos are those with an image
        photos = orm.Photo.objects.filter(event=event).select_related("person")
    parts = {
        "event": builder.event(),
        "sessions": [builder.session(s) for s in event.sessions.all()],
        "shocks_and_stresses": [builder.shock(s) for s in event.shocks_stresses.all()],
        "documents": [builder.document(d) for d in event.documents.all()],
        "photos": [builder.photo(p) for p in photos],
    }
    return EventDocument.model_construct(
        format=PUBLIC_FORMAT if public else EXPORT_FORMAT,
        version=PUBLIC_VERSION if public else EXPORT_VERSION,
        url=absolute(event.get_absolute_url()) if public else None,
        **parts,
        **builder.records(),  # after the parts: the people they name
    )


class _Builder:
    def __init__(self, event, public, absolute):
        self.source, self.public, self.absolute = event, public, absolute
        self.people = {}  # slug -> Person, for the export's list
        self.hazards = {}  # slug -> Hazard, likewise
        sessions = event.sessions.all()
        self.session_refs = {s.pk: s.ref for s in sessions}
        self.group_refs = {g.pk: g.ref for s in sessions for g in s.groups.all()}

    def event(self):
        event = self.source
        return _build(
            Event,
            event,
            programme=None
            if self.public
            else ProgrammeRef.model_construct(slug=event.programme.slug),
            organisers=[
                _build(EventOrganiser, row, organisation=self.organisation(row.organisation))
                for row in event.organisers.all()
            ],
            organiser=self.organisation(
                next(
                    (r.organisation for r in event.organisers.all() if r.role == "organiser"),
                    None,
                )
            )
            if self.public
            else None,
            participants=_build(
                Participants,
                event,
                sectors=[
                    SectorRef.model_construct(slug=s.slug, name=Translated.of(s, "name"))
                    for s in event.sectors.all()
                ],
            ),
            preceded_by=[EventRef.model_construct(slug=e.slug) for e in event.preceded_by.all()],
            followed_by=[e.slug for e in event.followed_by.all()],
        )

    def organisation(self, org):
        if org is None:
            return None
        return OrganisationRef.model_construct(slug=org.slug, name=Translated.of(org, "name"))

    def person(self, person):
        if person is None:
            return None
        self.people[person.slug] = person
        return PersonRef.model_construct(slug=person.slug, name=person.name)

    def link(self, obj):
        return self.absolute(obj.get_absolute_url()) if self.public else None

    def session(self, session):
        return _build(
            Session,
            session,
            appearances=[self.appearance(a) for a in session.appearances.all()],
            groups=[self.group(g) for g in session.groups.all()],
        )

    def appearance(self, appearance):
        return _build(
            Appearance,
            appearance,
            person=self.person(appearance.person),
            on_behalf_of=self.organisation(appearance.on_behalf_of),
        )

    def group(self, group):
        area = group.focus_area
        return _build(
            Group,
            group,
            url=self.link(group),
            focus_area=FocusAreaRef.model_construct(
                number=area.number, title=Translated.of(area, "title")
            ),
            conclusions=[self.conclusion(c) for c in group.conclusion_tree()],
        )

    def conclusion(self, conclusion):
        public = self.public
        return _build(
            Conclusion,
            conclusion,
            citation_label=conclusion.label if public else None,
            url=self.link(conclusion),
            sub_points=[
                _build(SubPoint, point, citation_label=point.label if public else None)
                for point in conclusion.sub_points
            ],
        )

    def shock(self, shock):
        named_by = shock.named_by if shock.named_by_id else None
        hazard = self.hazards[shock.hazard.slug] = shock.hazard
        public = {}
        if self.public:
            public = {"kind": hazard.kind, "name": Translated.of(hazard, "name"),
                      "url": self.link(hazard)}  # fmt: skip
        return _build(
            ShockStress,
            shock,
            shock_stress=HazardRef.model_construct(slug=hazard.slug),
            named_by=named_by
            and AppearanceRef.model_construct(ref=named_by.ref, person=named_by.person.slug),
            **public,
        )

    def attached(self, obj):
        """Where an export's document or photo hangs (the public JSON does not say)."""
        if self.public:
            return {}

        def ref(cls, refs, name):
            pk = getattr(obj, f"{name}_id")
            if pk is None:
                return None
            return cls.model_construct(ref=refs.get(pk) or getattr(obj, name).ref)

        return {
            "session": ref(SessionRef, self.session_refs, "session"),
            "group": ref(GroupRef, self.group_refs, "group"),
            "person": self.person(obj.person) if obj.person_id else None,
        }

    def document(self, document):
        if self.public:
            url = self.absolute(document.link) if document.link else None
        else:
            url = document.url
        return _build(
            Document, document, url=url, file=document.file.name or "", **self.attached(document)
        )

    def photo(self, photo):
        return _build(
            Photo,
            photo,
            url=self.absolute(photo.image.url) if self.public else None,
            image=photo.image.name or "",
            thumbnail=photo.thumbnail.name or "",
            **self.attached(photo),
        )

    def records(self):
        """The shared records the export references (the public JSON has none)."""
        if self.public:
            keys = ("programmes", "organisations", "sectors", "people", "focus_areas", "hazards")
            return {key: [] for key in keys}
        event = self.source
        sessions = event.sessions.all()
        organisations = {row.organisation for row in event.organisers.all()} | {
            a.on_behalf_of for s in sessions for a in s.appearances.all()
        }
        areas = {g.focus_area for s in sessions for g in s.groups.all()}
        return {
            "programmes": [_build(Programme, event.programme)],
            "organisations": [
                _build(Organisation, o)
                for o in sorted(filter(None, organisations), key=lambda o: o.slug)
            ],
            "sectors": [_build(Sector, s) for s in event.sectors.all()],
            "people": [_build(Person, p) for _, p in sorted(self.people.items())],
            "focus_areas": [_build(FocusArea, f) for f in sorted(areas, key=lambda f: f.number)],
            "hazards": [_build(Hazard, h) for _, h in sorted(self.hazards.items())],
        }


# --- Checking an export document ---------------------------------------------------------


class Index:
    """What a raw document declares, read before validation (so whatever else is wrong
    with it): the keys of its records and parts, and the problems only the whole
    document shows (orders used twice in a list, refs used twice, a file named twice)."""

    def __init__(self):
        self.keys = defaultdict(set)  # node class -> keys declared
        self.refs = Counter()
        self.media = {}  # storage name -> where it is first named
        self.event_slug = None
        self.programme_slug = None  # the programme the document names, if any
        self.problems = []  # (path, message)

    def note(self, cls, item, path):
        key = item.get(getattr(cls, "key", None) or "")
        if _is_key(key, str | int):
            self.keys[cls].add(key)
            if issubclass(cls, Part):
                self.refs[key] += 1
        for name in cls.model_fields:
            name_given = item.get(name)
            if _marker(cls, name, Media) and isinstance(name_given, str) and name_given:
                where = f"{path}.{name}"
                if name_given in self.media:
                    first = self.media[name_given]
                    self.problems.append((where, f"{name_given!r} is already named at {first}"))
                else:
                    self.media[name_given] = where

    def check_unique(self, items, markers, path):
        for marker in markers:
            counts = Counter(
                item.get(marker.key)
                for item in items
                if isinstance(item, dict) and _is_key(item.get(marker.key), str | int)
            )
            self.problems += [
                (path, f"{marker.label} {value!r} is used {count} times")
                for value, count in counts.items()
                if count > 1
            ]


@functools.cache
def _children(cls) -> tuple:
    """(field, node class, is a list, Unique markers) of the fields that hold nodes."""
    children = []
    for name, info in cls.model_fields.items():
        many = get_origin(info.annotation) is list
        child = get_args(info.annotation)[0] if many else info.annotation
        if (
            isinstance(child, type)
            and issubclass(child, Node)
            and not issubclass(child, (Translated, Ref))
        ):
            unique = tuple(m for m in info.metadata if isinstance(m, Unique))
            children.append((name, child, many, unique))
    return tuple(children)


def _survey(cls, item, path, index):
    index.note(cls, item, path)
    for name, child, many, unique in _children(cls):
        value, where = item.get(name), f"{path}.{name}" if path else name
        if many and isinstance(value, list):
            index.check_unique(value, unique, where)
            for position, element in enumerate(value):
                if isinstance(element, dict):
                    _survey(child, element, f"{where}[{position}]", index)
        elif not many and isinstance(value, dict):
            _survey(child, value, where, index)


def survey(document: dict) -> Index:
    index = Index()
    event = document.get("event")
    index.event_slug = event.get("slug") if isinstance(event, dict) else None
    programme = event.get("programme") if isinstance(event, dict) else None
    index.programme_slug = programme if isinstance(programme, str) else None
    _survey(EventDocument, document, "", index)
    index.problems += [
        ("$", f"the ref {ref!r} is used {count} times")
        for ref, count in index.refs.items()
        if count > 1
    ]
    return index


class Lookup:
    """What checking a document asks beyond the document itself. This one answers from
    the document's Index alone; the import's (workshops.transfer) asks the server."""

    def __init__(self):
        self.index = Index()

    def stored(self, record_class, key) -> bool:
        """Whether the server has the record (this one cannot tell, so yes)."""
        return True

    def owner(self, part_class, ref):
        """The slug of the event whose part has `ref` on the server, or None."""
        return None

    def media_problem(self, part_class, field, name, ref, media):
        """Why the part may not keep the stored file `name`, or None."""
        return None

    def reference_problem(self, target, key):
        if key in self.index.keys[target]:
            return None
        if issubclass(target, Part):
            return f"no {target.label} with ref {key!r} in this document"
        return None if self.stored(target, key) else f"unknown {target.label} {key!r}"

    def part_problem(self, part_class, ref):
        owner = self.owner(part_class, ref)
        if owner is not None and owner != self.index.event_slug:
            return f"{ref!r} belongs to the event {owner!r}"
        return None


_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "date_type": "must be a date (YYYY-MM-DD)",
    "datetime_type": "must be a date and time",
}


def path(loc) -> str:
    """("sessions", 2, "appearances", 0, "person") -> "sessions[2].appearances[0].person"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "$"


_V1_PARTICIPANTS = {
    "participant_count": "count",
    "participant_count_qualifier": "qualifier",
    "sectors": "sectors",
}


def upgrade_v1(document: dict) -> dict:
    """A version 1 export in version 2's shape: an appearance's "summary" is its
    "key_points", the event's participant fields one "participants" object."""
    document = dict(document)
    event = document.get("event")
    if isinstance(event, dict):
        event = dict(event)
        event["participants"] = {
            new: event.pop(old) for old, new in _V1_PARTICIPANTS.items() if old in event
        }
        document["event"] = event

    def appearance(item):
        if isinstance(item, dict) and "summary" in item:
            item = {"key_points" if key == "summary" else key: v for key, v in item.items()}
        return item

    def session(item):
        if isinstance(item, dict) and isinstance(item.get("appearances"), list):
            item = {**item, "appearances": [appearance(a) for a in item["appearances"]]}
        return item

    if isinstance(document.get("sessions"), list):
        document["sessions"] = [session(s) for s in document["sessions"]]
    return document


def v1_path(loc) -> str:
    """Where an error of an upgraded version 1 document is in that document."""
    loc = list(loc)
    if loc[:2] == ["event", "participants"] and len(loc) > 2:
        loc[1:3] = [{v: k for k, v in _V1_PARTICIPANTS.items()}[loc[2]]]
    if len(loc) > 4 and loc[0] == "sessions" and loc[2:5:2] == ["appearances", "key_points"]:
        loc[4] = "summary"
    return path(loc)


def upgrade_v2(document: dict) -> dict:
    """A version 1 or 2 export in version 3's shape: a shock or stress named with its
    own kind and name becomes a shared one (`hazards`), slugged from its Indonesian
    name, which the event's row names by that slug."""
    from django.utils.text import slugify

    items = document.get("shocks_and_stresses")
    if not isinstance(items, list):
        return document
    hazards = list(document.get("hazards") or [])
    known = {h.get("slug") for h in hazards if isinstance(h, dict)}
    upgraded = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(item, dict) and "shock_stress" not in item and isinstance(name, dict):
            slug = slugify(str(name.get("id") or ""))[:120]
            if slug and slug not in known:
                known.add(slug)
                hazards.append({"slug": slug, "kind": item.get("kind"), "name": name})
            item = {key: v for key, v in item.items() if key not in ("kind", "name")}
            item["shock_stress"] = slug
        upgraded.append(item)
    return {**document, "shocks_and_stresses": upgraded, "hazards": hazards}


def _header_errors(document):
    errors = []
    if document.get("format") != EXPORT_FORMAT:
        errors.append(f'format: must be "{EXPORT_FORMAT}"')
    version = document.get("version")
    if not (_is_key(version, int) and version in READABLE_VERSIONS):
        errors.append(f"version: must be {' or '.join(map(str, READABLE_VERSIONS))}")
    return errors


def validate(document, lookup: Lookup | None = None):
    """(the checked EventDocument, []) or (None, every error as "path: message")."""
    if not isinstance(document, dict):
        return None, ["$: the document must be a JSON object"]
    errors, locate = _header_errors(document), path
    if document.get("version") == 1 and _is_key(document["version"], int):
        document, locate = upgrade_v1(document), v1_path
    if document.get("version") in (1, 2) and _is_key(document["version"], int):
        document = upgrade_v2(document)
    lookup = lookup or Lookup()
    lookup.index = survey(document)
    errors += [f"{where}: {message}" for where, message in lookup.index.problems]
    try:
        checked = EventDocument.model_validate(document, context=lookup)
    except ValidationError as error:
        lines = [
            f"{locate(e['loc'])}: {_MESSAGES.get(e['type'], e['msg'])}" for e in error.errors()
        ]
        return None, errors + lines
    return (None, errors) if errors else (checked, [])
