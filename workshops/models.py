from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jakres.core.cache import request_content_version
from jakres.core.constraints import ReadableConstraints
from jakres.core.refs import RefModel, RefQuerySet, quick_reverse
from workshops.files import (
    document_upload_to,
    photo_upload_to,
    thumbnail_upload_to,
    validate_document,
)
from workshops.rules import (
    check_attachment_event,
    check_session_day,
    check_session_keeps_attachments,
)

# --- Choices ---------------------------------------------------------------


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    WORKING_SESSION = "working_session", _("Working session")
    FORUM = "forum", _("Forum")
    FGD = "fgd", _("Focus group discussion")
    PUBLIC_CONSULTATION = "public_consultation", _("Public consultation")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CountQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least")


class SessionKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    PANEL = "panel", _("Panel discussion")
    GROUP_DISCUSSION = "group_discussion", _("Group discussion")
    PLENARY = "plenary", _("Plenary")
    OTHER = "other", pgettext_lazy("session kind", "Other")


class AppearanceRole(models.TextChoices):
    OPENING_REMARKS = "opening_remarks", _("Opening remarks")
    KEYNOTE = "keynote", _("Keynote speaker")
    PRESENTER = "presenter", _("Presenter")
    RESOURCE_PERSON = "resource_person", _("Resource person")
    PANELIST = "panelist", _("Panelist")
    MODERATOR = "moderator", _("Moderator")
    REPRESENTATIVE = "representative", _("Speaking on behalf of an organisation")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class OrganiserRole(models.TextChoices):
    """How an organisation took part in holding an event."""

    ORGANISER = "organiser", _("Organiser")
    PARTNER = "partner", _("Partner")
    SUPPORTER = "supporter", _("Supporter")


class ShockStressKind(models.TextChoices):
    SHOCK = "shock", _("Shock")
    STRESS = "stress", _("Stress")


class RecordedItem(models.TextChoices):
    """What the event list's "Still missing" asks for; an event can say that the
    sources do not record an item, and it is no longer asked for."""

    VENUE = "venue", _("venue")
    SUMMARY = "summary", _("summary")
    PARTICIPANT_COUNT = "participant_count", _("participant count")
    SECTORS = "sectors", _("sectors")
    SESSIONS = "sessions", _("sessions")
    DOCUMENTS = "documents", _("documents")
    ENGLISH = "english", _("English text")


class DocumentKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    PROCEEDINGS = "proceedings", _("Proceedings")
    OTHER = "other", pgettext_lazy("document kind", "Other")


# --- Reference data --------------------------------------------------------


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organisation(ReadableConstraints, models.Model):
    constraint_fields = {"organisation_unique_slug": "slug"}

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    url = models.URLField(_("website"), blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="organisation_unique_slug",
                violation_error_message=_(
                    "An organisation with this slug already exists: it may already be in the list. Change the slug if this is another organisation."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Sector(ReadableConstraints, models.Model):
    """A kind of stakeholder present at an event (city government, academia, …)."""

    constraint_fields = {"sector_unique_slug": "slug"}

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("stakeholder sector")
        verbose_name_plural = _("stakeholder sectors")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="sector_unique_slug",
                violation_error_message=_(
                    "A sector with this slug already exists: it may already be in the list."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class PersonQuerySet(SlugQuerySet):
    def with_published_appearances(self):
        return self.filter(appearances__session__event__status=EventStatus.PUBLISHED).distinct()


class Person(ReadableConstraints, models.Model):
    """A person. Titles belong to appearances, because titles change over time."""

    constraint_fields = {"person_unique_slug": "name"}

    name = models.CharField(_("full name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    honorific = models.CharField(
        _("honorific"), max_length=40, blank=True, help_text=_("For example “Bapak” or “Ibu”.")
    )
    short_name = models.CharField(
        _("short name"),
        max_length=80,
        blank=True,
        help_text=_("How the person is called in the text, for example “Virgie”."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="person_unique_slug",
                violation_error_message=_(
                    "A person with this name (slug) already exists: choose them from the list instead, or, if this is someone else, change the slug."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return quick_reverse("workshops:person_detail", "slug", self.slug)


# --- Programmes ------------------------------------------------------------


class ProgrammeQuerySet(SlugQuerySet):
    def default(self):
        """The site's programme: the first by order (then by creation)."""
        return self.order_by("order", "pk").first()


class Programme(ReadableConstraints, models.Model):
    """A resilience programme (Jakarta Berketahanan, …): it owns its focus areas,
    numbered from 1 within it, and its events. The first by `order` is the site's."""

    constraint_fields = {
        "programme_unique_slug": "slug",
        "programme_end_year_not_before_start": "end_year",
    }

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    city = models.CharField(_("city"), max_length=100)
    network = models.CharField(
        _("network"), max_length=200, blank=True, help_text=_("For example “100 Resilient Cities”.")
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    secretariat = models.CharField(_("secretariat"), max_length=300, blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("A short public introduction (Markdown).")
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("The first programme is the site's.")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="programmes",
        help_text=_(
            "Editors and publishers limited to this programme. A staff user listed on no "
            "programme works on all of them."
        ),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="programme_unique_slug",
                violation_error_message=_("Another programme already has this slug."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="programme_end_year_not_before_start",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def years(self):
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


class ProgrammePhaseQuerySet(models.QuerySet):
    def get_by_natural_key(self, programme_slug, order):
        return self.get(programme__slug=programme_slug, order=order)


class ProgrammePhase(ReadableConstraints, models.Model):
    """A phase of a programme, such as “Tahap II”; dates only where a source gives them."""

    constraint_fields = {"phase_end_date_not_before_start": "end_date"}

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    objects = ProgrammePhaseQuerySet.as_manager()

    class Meta:
        ordering = ("programme", "order")
        verbose_name = _("programme phase")
        verbose_name_plural = _("programme phases")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "order"],
                name="phase_unique_order_in_programme",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="phase_end_date_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.order)

    natural_key.dependencies = ["workshops.programme"]


_default_programme = {}


def default_programme():
    """The site's programme (None if there is none), read once per process and content
    version: a change to a programme forgets it here at once (forget_default_programme,
    connected in WorkshopsConfig.ready) and, through the content version, in the other
    processes. None, and not remembered, when the database cannot be read, so that
    error pages still render."""
    try:
        version = request_content_version()
    except Exception:  # the cache is out
        version = None
    if version is None and "programme" in _default_programme:
        return _default_programme["programme"]  # the cache is out: keep what is remembered
    if "programme" not in _default_programme or _default_programme.get("version") != version:
        try:
            programme = Programme.objects.default()
        except DatabaseError:
            return None
        _default_programme.update(programme=programme, version=version)
    return _default_programme["programme"]


def forget_default_programme(**kwargs):
    _default_programme.clear()


def default_programme_id():
    programme = default_programme()
    return programme.pk if programme else None


# --- Events ----------------------------------------------------------------


class EventQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)


class Event(ReadableConstraints, models.Model):
    """A workshop (lokakarya), working session (sesi kerja), forum or FGD."""

    constraint_fields = {
        "event_unique_slug": "slug",
        "event_end_date_not_before_start": "end_date",
        "event_count_qualifier_needs_count": "participant_count",
    }

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    topic = models.CharField(
        _("topic"), max_length=300, blank=True, help_text=_("What the event was about, briefly.")
    )
    start_date = models.DateField(_("date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Only for events of more than one day.")
    )
    schedule_note = models.CharField(
        _("schedule note"), max_length=200, blank=True, help_text=_("For example “full day”.")
    )
    city = models.CharField(_("city"), max_length=100, default="Jakarta")
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    programme_phase = models.CharField(
        _("programme phase"),
        max_length=200,
        blank=True,
        help_text=_("For example “Tahap II” of the Jakarta Berketahanan programme."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    feeds_into = models.CharField(
        _("output feeds into"),
        max_length=300,
        blank=True,
        help_text=_("The later stage this event's output is input for."),
    )
    participant_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participant_count_qualifier = models.CharField(
        _("participant count is"),
        max_length=20,
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("stakeholder sectors present"), blank=True, related_name="events"
    )
    preceded_by = models.ManyToManyField(
        "self",
        verbose_name=_("preceded by"),
        symmetrical=False,
        blank=True,
        related_name="followed_by",
        help_text=_("Events that came before this one and led up to it."),
    )
    not_in_sources = models.JSONField(
        _("not recorded in the sources"),
        default=list,
        blank=True,
        help_text=_("Items the sources do not give: “Still missing” no longer asks for them."),
    )
    status = models.CharField(
        _("publication state"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: one more on every saved change of the event or of a part,
    # so a form opened before someone else's save is refused instead of overwriting it.
    edit_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ("-start_date", "title")
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [
            ("submit_event", _("Can submit an event for review")),
            ("publish_event", _("Can publish and withdraw an event")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="event_unique_slug",
                violation_error_message=_(
                    "Another event already has this slug (its address on the site): add the date or another word to make it different."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_date_not_before_start",
                violation_error_message=_("The end date cannot be before the event's date."),
            ),
            models.CheckConstraint(
                condition=Q(participant_count__isnull=False)
                | Q(participant_count_qualifier=CountQualifier.EXACT),
                name="event_count_qualifier_needs_count",
                violation_error_message=_(
                    "A qualifier such as “more than” needs a number of participants: enter the number, or choose “exactly”."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return quick_reverse("workshops:event_detail", "slug", self.slug)

    @property
    def is_published(self):
        return self.status == EventStatus.PUBLISHED

    @property
    def last_date(self):
        return self.end_date or self.start_date


class EventOrganiserQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug, organisation_slug):
        return self.get(event__slug=event_slug, organisation__slug=organisation_slug)


class EventOrganiser(ReadableConstraints, models.Model):
    """An organisation that held an event, in a role (organiser, partner, supporter),
    in the order the sources name them."""

    constraint_fields = {"eventorganiser_unique_organisation_in_event": "organisation"}

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="organisers"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="event_roles",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganiserRole.choices, default=OrganiserRole.ORGANISER
    )
    order = models.PositiveSmallIntegerField(_("order"))

    objects = EventOrganiserQuerySet.as_manager()

    class Meta:
        ordering = ("event", "order")
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="eventorganiser_unique_order_in_event",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "organisation"],
                name="eventorganiser_unique_organisation_in_event",
                violation_error_message=_(
                    "This organisation is already listed for this event: give it one row, with its role."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"

    def natural_key(self):
        return (*self.event.natural_key(), *self.organisation.natural_key())

    natural_key.dependencies = ["workshops.event", "workshops.organisation"]


class RemembersLoadedValues:
    """Keeps the values a row had when it was read, so that clean() can tell a row
    moved to another parent from an unchanged one without reading it again."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance


class Session(RemembersLoadedValues, RefModel):
    """A part of an event's programme, in order; on its own day and hours if the
    sources give them (a session without a day is on the event's first day)."""

    constraint_fields = {"session_end_time_after_start": "end_time"}

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(
        _("day"),
        null=True,
        blank=True,
        help_text=_("Only if the session is on another day than the event's first."),
    )
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)

    objects = RefQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("event", "order")
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["event", "order"],
                name="session_unique_order_in_event",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_end_time_after_start",
                violation_error_message=_("A session ends after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#sesi-{self.ref}"

    def clean(self):
        check_session_keeps_attachments(self)
        check_session_day(self)

    @property
    def day(self):
        """The session's day: its own, or the event's (first) day."""
        return self.date or self.event.start_date


class Appearance(RefModel):
    """A person speaking in a session, in a role, with the title held at that time."""

    constraint_fields = {"appearance_unique_person_role": "person"}

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="appearances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appearances"
    )
    role = models.CharField(_("role"), max_length=20, choices=AppearanceRole.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title_at_time = models.CharField(
        _("title at the time"),
        max_length=300,
        blank=True,
        help_text=_("The post or affiliation the person held at this event."),
    )
    additional_title_at_time = models.CharField(
        _("additional title at the time"),
        max_length=300,
        blank=True,
        help_text=_("A second post held at the same time, if the sources give one."),
    )
    on_behalf_of = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appearances",
    )
    summary = models.TextField(
        _("key points"), blank=True, help_text=_("A summary of what the person said.")
    )

    objects = RefQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("session", "order")
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["session", "order"],
                name="appearance_unique_order_in_session",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["session", "person", "role"],
                name="appearance_unique_person_role",
                violation_error_message=_(
                    "This person is already listed in this session with this role."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


class HazardQuerySet(SlugQuerySet):
    def named_by_published_events(self):
        """The shocks and stresses a published event names (the public list)."""
        return self.filter(mentions__event__status=EventStatus.PUBLISHED).distinct()


class Hazard(RemembersLoadedValues, ReadableConstraints, models.Model):
    """A shock (sudden event) or stress (slow-burning pressure), shared by every event
    that names it, with its own page (/guncangan-dan-tekanan/<slug>/)."""

    constraint_fields = {"hazard_unique_slug": "slug"}

    kind = models.CharField(_("kind"), max_length=10, choices=ShockStressKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("shock or stress")
        verbose_name_plural = _("shocks and stresses")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="hazard_unique_slug",
                violation_error_message=_(
                    "A shock or stress with this slug already exists: choose it from the list instead."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return quick_reverse("workshops:hazard_detail", "slug", self.slug)


class ShockStress(RefModel):
    """An event naming a shared shock or stress (Hazard), in its place in the list."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="shocks_stresses"
    )
    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("shock or stress"),
        on_delete=models.PROTECT,
        related_name="mentions",
    )
    named_by = models.ForeignKey(
        Appearance,
        verbose_name=_("named by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shocks_stresses",
    )
    order = models.PositiveSmallIntegerField(_("order"))

    objects = RefQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("event", "order")
        verbose_name = _("shock or stress named")
        verbose_name_plural = _("shocks and stresses named")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["event", "order"],
                name="shockstress_unique_order_in_event",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "hazard"],
                name="shockstress_unique_hazard_in_event",
                violation_error_message=_("This event already names this shock or stress."),
            ),
        ]

    def __str__(self):
        return str(self.hazard)


class Attachment(RefModel):
    """What documents and photos share: they hang on an event, optionally on a part of it."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.SET_NULL, null=True, blank=True
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True
    )
    group = models.ForeignKey(
        "focus_areas.DiscussionGroup",
        verbose_name=_("discussion group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"))

    objects = RefQuerySet.as_manager()

    class Meta(RefModel.Meta):
        abstract = True

    def clean(self):
        check_attachment_event(self)


class Document(Attachment):
    constraint_fields = {"document_file_or_url_not_both": "url"}

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF or PowerPoint (.pptx), at most 25 MB. Or give an external URL."),
    )
    url = models.URLField(_("external URL"), max_length=500, blank=True)
    attribution_note = models.CharField(
        _("attribution note"),
        max_length=400,
        blank=True,
        help_text=_(
            "How the document is attributed when the sources do not say, for example "
            "“Attributed to this talk from its title.”"
        ),
    )

    class Meta(Attachment.Meta):
        ordering = ("event", "order")
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        default_related_name = "documents"
        constraints = [
            *Attachment.Meta.constraints,
            models.UniqueConstraint(
                fields=["event", "order"],
                name="document_unique_order_in_event",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.CheckConstraint(
                condition=Q(file="") | Q(url=""),
                name="document_file_or_url_not_both",
                violation_error_message=_(
                    "A document is either an uploaded file or a link, not both: remove one of them."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def link(self):
        if self.file:
            return self.file.url
        return self.url


class Photo(Attachment):
    caption = models.CharField(_("caption"), max_length=400)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    image = models.ImageField(
        _("image"),
        upload_to=photo_upload_to,
        blank=True,
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=thumbnail_upload_to, blank=True, editable=False
    )

    class Meta(Attachment.Meta):
        ordering = ("event", "order")
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        default_related_name = "photos"
        constraints = [
            *Attachment.Meta.constraints,
            models.UniqueConstraint(
                fields=["event", "order"],
                name="photo_unique_order_in_event",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
        ]

    def __str__(self):
        return self.caption
