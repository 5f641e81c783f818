from django.db import models
from django.db.models import Q
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
            conclusion.sub_points = sorted(children.get(conclusion.pk, []), key=lambda c: c.order)
        return sorted(top, key=lambda c: c.order)


class ConclusionQuerySet(RefQuerySet):
    def published(self):
        return self.filter(group__session__event__status=EventStatus.PUBLISHED)


class Conclusion(RemembersLoadedValues, RefModel):
    """A numbered conclusion of a group; a conclusion with a parent is a sub-point."""

    constraint_fields = {"conclusion_not_own_parent": "parent"}

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

    def get_absolute_url(self):
        return quick_reverse("focus_areas:conclusion_permalink", "ref", self.ref)

    def clean(self):
        check_conclusion_structure(self)
