"""The follow-up (tindak lanjut) of conclusions: a programme's plans and their items,
the links from conclusions (or groups, or focus areas) to what came of them, and the
dated status of each plan item.

Links and status updates go through the events' states (draft → in review →
published, published → withdrawn); only published ones, from published events, are
public (the querysets' `public()`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from follow_up.rules import (
    check_item_structure,
    check_link,
    check_update,
    sort_key_of,
)
from jakres.core.refs import RefModel, RefQuerySet, quick_reverse
from workshops.files import document_upload_to, validate_document
from workshops.models import EventStatus, Organisation, Programme

# Links and updates move through the states of events.
State = EventStatus
PUBLISHED = EventStatus.PUBLISHED
MAX_DEPTH = 3


class LinkKind(models.TextChoices):
    TAKEN_UP = "taken_up", _("Taken up in a plan")
    REPEATED = "repeated", _("Repeated at a later event")
    REFINED = "refined", _("Refined at a later event")
    REPLACED = "replaced", _("Replaced at a later event")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


CARRIED_KINDS = frozenset({LinkKind.REPEATED, LinkKind.REFINED, LinkKind.REPLACED})


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STALLED = "stalled", _("Stalled")
    DROPPED = "dropped", _("Dropped")


# Shown instead of a status (never stored).
NO_NEWS = "no_news"
NO_UPDATE = "no_update"
SHOWN_STATUS_LABELS = {
    **dict(ItemStatus.choices),
    NO_NEWS: _("No news for 12 months"),
    NO_UPDATE: _("No status reported"),
}
# Finished: an old "done" or "dropped" stays what it is (see rules.shown_status).
FINAL_STATUSES = frozenset({ItemStatus.DONE, ItemStatus.DROPPED})


# --- Plans ---------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Plan(models.Model):
    """A document of a programme's response, such as the Draft Nol of the strategy."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="plans"
    )
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Only where a source gives the day.")
    )
    date_note = models.CharField(
        _("when"), max_length=200, blank=True, help_text=_("For example “late November 2018”.")
    )
    description = models.TextField(_("description"), blank=True)
    source_url = models.URLField(_("source"), max_length=500)
    source_note = models.TextField(
        _("about the sources"),
        blank=True,
        help_text=_("Other sources, and where they disagree."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ("programme_id", "order", "pk")
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="plan_unique_slug",
                violation_error_message=_("A plan with this address (slug) already exists."),
            )
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return quick_reverse("follow_up:plan", "slug", self.slug)


class PlanItemQuerySet(RefQuerySet):
    def get_by_natural_key(self, plan_slug, code):
        return self.get(plan__slug=plan_slug, code=code)


class PlanItem(RefModel):
    """A pillar, goal or action of a plan (depth 1, 2, 3), coded like “1.2.3”."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("“1” for a pillar, “1.2” for its goal, “1.2.3”.")
    )
    sort_key = models.CharField(max_length=40, editable=False, default="")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plan_items",
    )
    source_url = models.URLField(_("source"), max_length=500)
    source_note = models.TextField(
        _("about the sources"), blank=True, help_text=_("Where sources disagree, say so here.")
    )

    objects = PlanItemQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("plan", "sort_key")
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="planitem_unique_code_in_plan",
                violation_error_message=_("This plan already has an item with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="planitem_not_own_parent",
                violation_error_message=_("An item cannot be placed under itself."),
            ),
        ]

    def __str__(self):
        # Both plans have a pillar 1: the plan's name tells them apart (in the admin's
        # search boxes too). Load the plan with the item (select_related).
        return f"{self.code} {self.title} ({self.plan.title})"

    def natural_key(self):
        return (self.plan.slug, self.code)

    natural_key.dependencies = ["follow_up.plan"]

    @property
    def depth(self):
        return self.code.count(".") + 1

    def get_absolute_url(self):
        """Needs the plan loaded (select_related("plan"))."""
        return reverse("follow_up:item", kwargs={"slug": self.plan.slug, "code": self.code})

    def clean(self):
        check_item_structure(self, max_depth=MAX_DEPTH)

    def save(self, *args, **kwargs):
        self.sort_key = sort_key_of(self.code)
        super().save(*args, **kwargs)


# --- Links -------------------------------------------------------------------------


def _hidden_conclusions():
    """The conclusions of events that are not published, as a subquery.

    Links are checked against what is hidden rather than joined to what is public: the
    hidden conclusions (of the few events not published) are found from the events by
    their indexes, and each link is then one look-up in that small set. Joining every
    link to its conclusion, group, session and event instead made a pass over all the
    links (15,000 at the benchmark's size) cost four joins, and planning the pages'
    queries cost more than running them."""
    return Conclusion.objects.exclude(group__session__event__status=PUBLISHED).values("pk")


class LinkQuerySet(RefQuerySet):
    def public(self):
        """Published links from a published event (or a focus area), whose later
        conclusion, if any, is of a published event too."""
        hidden_groups = DiscussionGroup.objects.exclude(session__event__status=PUBLISHED)
        return self.filter(
            (Q(conclusion__isnull=False) & ~Q(conclusion__in=_hidden_conclusions()))
            | (Q(group__isnull=False) & ~Q(group__in=hidden_groups.values("pk")))
            | Q(focus_area__isnull=False)
        ).public_from_public_origins()

    def public_from_public_origins(self):
        """public(), for links whose conclusion, group or focus area the caller has
        already read as public: only their own state and their later conclusion's
        event are checked."""
        return self.filter(state=PUBLISHED).exclude(later_conclusion__in=_hidden_conclusions())


class Link(RefModel):
    """What came of a conclusion (or of a whole group, or a focus area)."""

    conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("conclusion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_links",
    )
    group = models.ForeignKey(
        DiscussionGroup,
        verbose_name=_("discussion group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_links",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_links",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
        help_text=_("For “taken up in a plan”."),
    )
    later_conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("later conclusion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_from",
        help_text=_("For “repeated”, “refined” or “replaced” at a later event."),
    )
    date = models.DateField(_("date"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("For “not taken up”, the reason (required).")
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    state = models.CharField(
        _("publication state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LinkQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("date", "pk")
        verbose_name = _("follow-up link")
        verbose_name_plural = _("follow-up links")
        constraints = [
            *RefModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(conclusion__isnull=False, group__isnull=True, focus_area__isnull=True)
                | Q(conclusion__isnull=True, group__isnull=False, focus_area__isnull=True)
                | Q(conclusion__isnull=True, group__isnull=True, focus_area__isnull=False),
                name="link_exactly_one_origin",
                violation_error_message=_(
                    "A link starts from exactly one conclusion, group or focus area."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=LinkKind.TAKEN_UP, plan_item__isnull=False, later_conclusion__isnull=True
                )
                | Q(
                    kind__in=sorted(CARRIED_KINDS),
                    plan_item__isnull=True,
                    later_conclusion__isnull=False,
                )
                | Q(
                    kind=LinkKind.NOT_TAKEN_UP,
                    plan_item__isnull=True,
                    later_conclusion__isnull=True,
                ),
                name="link_target_matches_kind",
                violation_error_message=_(
                    "This kind of link needs its own target: a plan item for “taken up in”, a later conclusion for “carried to”, none for “not taken up”."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=[origin, target],
                    condition=Q(**{f"{origin}__isnull": False, f"{target}__isnull": False}),
                    name=f"link_unique_{origin}_{target}",
                    violation_error_message=_("This link already exists."),
                )
                for origin in ("conclusion", "group", "focus_area")
                for target in ("plan_item", "later_conclusion")
            ],
            *[
                models.UniqueConstraint(
                    fields=[origin, "kind"],
                    condition=Q(**{f"{origin}__isnull": False}, kind=LinkKind.NOT_TAKEN_UP),
                    name=f"link_unique_not_taken_up_{origin}",
                    violation_error_message=_("It is already recorded as not taken up."),
                )
                for origin in ("conclusion", "group", "focus_area")
            ],
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%Y-%m-%d})"

    @property
    def origin(self):
        return self.conclusion or self.group or self.focus_area

    def clean(self):
        check_link(self)

    def validate_constraints(self, exclude=None):
        # The kind, its target and duplicates are checked by clean(), with each
        # message next to its field; the database still holds the constraints.
        super().validate_constraints(
            exclude={*(exclude or ()), "kind", "plan_item", "later_conclusion"}
        )


# --- Status updates ---------------------------------------------------------------


class StatusUpdateQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state=PUBLISHED)

    def latest_first(self):
        return self.order_by("-date", "-pk")


class StatusUpdate(models.Model):
    """A dated status of a plan item, with its evidence."""

    item = models.ForeignKey(
        PlanItem, verbose_name=_("plan item"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices)
    percent = models.PositiveSmallIntegerField(
        _("percent done"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Only for “in progress”, from 0 to 100; may stay empty."),
    )
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"),
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF or PowerPoint (.pptx), at most 25 MB. Or give a URL."),
    )
    evidence_url = models.URLField(_("evidence (URL)"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    state = models.CharField(
        _("publication state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ("item", "-date", "-pk")
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        indexes = [models.Index(fields=["item", "state", "date"], name="update_item_state_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="update_percent_at_most_100",
                violation_error_message=_("The percentage must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(status=ItemStatus.IN_PROGRESS),
                name="update_percent_only_in_progress",
                violation_error_message=_("A percentage is given only for “in progress”."),
            ),
            models.CheckConstraint(
                condition=~Q(evidence_file="", evidence_url="")
                & (Q(evidence_file="") | Q(evidence_url="")),
                name="update_one_evidence",
                violation_error_message=_(
                    "Give the evidence as a file or as a link, not both and not neither."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.item.code}: {self.get_status_display()} ({self.date:%Y-%m-%d})"

    @property
    def evidence_link(self):
        return self.evidence_file.url if self.evidence_file else self.evidence_url

    def clean(self):
        check_update(self)
