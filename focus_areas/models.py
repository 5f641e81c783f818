from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from focus_areas.rules import (
    check_conclusion_structure,
    check_group_focus_area_in_programme,
    check_group_keeps_attachments,
)
from jakres.core.constraints import ReadableConstraints
from jakres.core.refs import RefModel, RefQuerySet, quick_reverse
from workshops.models import (
    EventStatus,
    Hazard,
    Programme,
    RemembersLoadedValues,
    default_programme_id,
)


class FocusAreaQuerySet(models.QuerySet):
    def get_by_natural_key(self, programme_slug, number):
        return self.get(programme__slug=programme_slug, number=number)


class FocusArea(ReadableConstraints, models.Model):
    """A focus area (Fokus Utama) of a programme, numbered from 1 within it."""

    constraint_fields = {
        "focusarea_unique_number_in_programme": "number",
        "focusarea_unique_slug_in_programme": "slug",
        "focusarea_number_positive": "number",
    }

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="focus_areas",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        ordering = ("programme_id", "number")
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="focusarea_unique_number_in_programme",
                violation_error_message=_(
                    "This programme already has a focus area with this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "slug"],
                name="focusarea_unique_slug_in_programme",
                violation_error_message=_(
                    "This programme already has a focus area with this slug."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="focusarea_number_positive",
                violation_error_message=_("Focus areas are numbered from 1."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.number)

    natural_key.dependencies = ["workshops.programme"]

    def get_absolute_url(self):
        """/focus-areas/<n>/ for the site's programme (no query: the programme is
        remembered per process); /programmes/<slug>/focus-areas/<n>/ for another."""
        if self.programme_id == default_programme_id():
            return quick_reverse("focus_areas:detail", "number", self.number)
        return reverse(
            "focus_areas:programme_detail",
            kwargs={"programme": self.programme.slug, "number": self.number},
        )


class DiscussionGroupQuerySet(RefQuerySet):
    def published(self):
        return self.filter(session__event__status=EventStatus.PUBLISHED)


class DiscussionGroup(RemembersLoadedValues, RefModel):
    """A breakout group of a session, working on one focus area."""

    constraint_fields = {"group_focus_area_once_per_session": "focus_area"}

    session = models.ForeignKey(
        "workshops.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.PROTECT, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(
        _("group number"), help_text=_("“Kelompok 1” is number 1; groups are listed by it.")
    )
    summary = models.TextField(
        _("lead or summary"),
        blank=True,
        help_text=_("The text that introduces or summarises the group's conclusions."),
    )
    numbered_by_editors = models.BooleanField(
        _("numbering added by the editors"),
        default=False,
        help_text=_(
            "The source gives these conclusions as running text (kept in the summary); "
            "the numbered list is the editors'. The page says so."
        ),
    )

    objects = DiscussionGroupQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("session", "number")
        verbose_name = _("discussion group")
        verbose_name_plural = _("discussion groups")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["session", "number"],
                name="group_unique_number_in_session",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["session", "focus_area"],
                name="group_focus_area_once_per_session",
                violation_error_message=_("This session already has a group on this focus area."),
            ),
        ]

    def __str__(self):
        return _("Group %(number)s – %(focus_area)s") % {
            "number": self.number,
            "focus_area": self.focus_area.title,
        }

    @property
    def anchor(self):
        return f"kelompok-{self.ref}"

    def get_absolute_url(self):
        return quick_reverse("focus_areas:group_permalink", "ref", self.ref)

    def clean(self):
        check_group_focus_area_in_programme(self)
        check_group_keeps_attachments(self)

    def conclusion_tree(self):
        """Top-level conclusions, each with `.sub_points`, from the prefetched conclusions."""
        conclusions = list(self.conclusions.all())
        children = {}
        for conclusion in conclusions:
            if conclusion.parent_id:
                children.setdefault(conclusion.parent_id, []).append(conclusion)
        top = [c for c in conclusions if not c.parent_id]
        for conclusion in conclusions:
            conclusion.group = self  # the label reads the group's and point's numbers
            conclusion.sub_points = sorted(children.get(conclusion.pk, []), key=lambda c: c.order)
            for point in conclusion.sub_points:
                point.parent = conclusion
        return sorted(top, key=lambda c: c.order)


# Rows being restored first step onto numbers from here (workshops.ordering's
# TEMPORARY_ORDER_BASE; that module imports this one).
PARKED_NUMBERS_FROM = 30000


def sub_point_letter(number: int) -> str:
    """A sub-point's letter: 1 → "a", 26 → "z", 27 → "aa"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def conclusion_label(group_number, number, parent_number=None) -> str:
    """The citable label: "2.3" is conclusion 3 of group 2, "2.1.a" sub-point a of 2.1."""
    if parent_number is None:
        return f"{group_number}.{number}"
    return f"{group_number}.{parent_number}.{sub_point_letter(number)}"


class ConclusionQuerySet(RefQuerySet):
    def published(self):
        return self.filter(group__session__event__status=EventStatus.PUBLISHED)


class Conclusion(RemembersLoadedValues, RefModel):
    """A numbered conclusion of a group; a conclusion with a parent is a sub-point."""

    constraint_fields = {
        "conclusion_not_own_parent": "parent",
        "conclusion_unique_number_in_group": "number",
        "conclusion_unique_number_in_parent": "number",
        "conclusion_number_positive": "number",
    }

    group = models.ForeignKey(
        DiscussionGroup,
        verbose_name=_("discussion group"),
        on_delete=models.CASCADE,
        related_name="conclusions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-point of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    # The citable number, kept when rows are reordered (`order`); only the explicit
    # renumbering (workshops/editorial/numbering.py) rewrites it from the order.
    number = models.PositiveSmallIntegerField(
        _("number"),
        blank=True,  # empty: save() gives the next free one
        help_text=_(
            "The citable number: “2.3” is conclusion 3 of group 2, “2.1.a” its sub-point a. "
            "Moving a conclusion does not change it."
        ),
    )
    text = models.TextField(_("text"))

    objects = ConclusionQuerySet.as_manager()

    class Meta(RefModel.Meta):
        ordering = ("group", "order")
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [
            *RefModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["group", "order"],
                condition=Q(parent__isnull=True),
                name="conclusion_unique_order_in_group",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["parent", "order"],
                condition=Q(parent__isnull=False),
                name="conclusion_unique_order_in_parent",
                violation_error_message=_(
                    "Two rows here are in the same position: move one of them and save again."
                ),
            ),
            models.UniqueConstraint(
                fields=["group", "number"],
                condition=Q(parent__isnull=True),
                name="conclusion_unique_number_in_group",
                violation_error_message=_(
                    "Another conclusion of this group already has this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["parent", "number"],
                condition=Q(parent__isnull=False),
                name="conclusion_unique_number_in_parent",
                violation_error_message=_(
                    "Another sub-point of this conclusion already has this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="conclusion_number_positive",
                violation_error_message=_("Conclusions are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="conclusion_not_own_parent",
                violation_error_message=_("A conclusion cannot be a sub-point of itself."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def anchor(self):
        return f"simpulan-{self.ref}"

    @property
    def label(self):
        """The citable label, "2.3" or "2.1.a". Reads the group (and the point of a
        sub-point): load them with it (select_related, or DiscussionGroup.conclusion_tree())."""
        parent_number = self.parent.number if self.parent_id else None
        return conclusion_label(self.group.number, self.number, parent_number)

    def get_absolute_url(self):
        return quick_reverse("focus_areas:conclusion_permalink", "ref", self.ref)

    def clean(self):
        check_conclusion_structure(self)

    def save(self, *args, **kwargs):
        # In save() rather than in a service (STYLE.md prefers services): every path that
        # adds a conclusion (admin inlines, live capture, a restored version, an import,
        # tests) then gets the next free number without having to remember it. A row that
        # moves to another group or point takes the next free number there.
        loaded = getattr(self, "_loaded_values", {})
        moved_away = any(
            name in loaded and loaded[name] != getattr(self, name)
            for name in ("group_id", "parent_id")
        )
        if self.number is None or moved_away:
            self.number = self.next_free_number()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "number"}
        super().save(*args, **kwargs)

    def next_free_number(self) -> int:
        """One more than the highest number among the row's siblings (the group's points,
        or its point's sub-points)."""
        if self.parent_id:
            siblings = Conclusion.objects.filter(parent_id=self.parent_id)
        else:
            siblings = Conclusion.objects.filter(group_id=self.group_id, parent__isnull=True)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        # Not the temporary numbers of rows being restored (workshops/ordering.py).
        siblings = siblings.filter(number__lt=PARKED_NUMBERS_FROM)
        highest = siblings.aggregate(highest=Max("number"))["highest"]
        return (highest or 0) + 1


class HazardConclusion(models.Model):
    """A conclusion whose text names a shock or stress (focus_areas/hazard_matches.py
    holds the rule and keeps these rows in step). Stored so that a shock or stress page
    does not scan every conclusion's text with a regex on each view; whether the event
    is published stays a filter at read time."""

    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("shock or stress"),
        on_delete=models.CASCADE,
        related_name="conclusion_matches",
    )
    conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("conclusion"),
        on_delete=models.CASCADE,
        related_name="hazard_matches",
    )

    class Meta:
        ordering = ("hazard", "conclusion")
        verbose_name = _("conclusion naming a shock or stress")
        verbose_name_plural = _("conclusions naming a shock or stress")
        constraints = [
            models.UniqueConstraint(
                fields=["hazard", "conclusion"],
                name="hazard_conclusion_unique_pair",
                violation_error_message=_(
                    "This conclusion is already listed as naming this shock or stress."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.hazard_id} ↔ {self.conclusion_id}"
