import nested_admin
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.admin import VersionAdmin

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.editorial.admin import ConclusionInline
from workshops.editorial.admin_base import (
    EventStateGuardMixin,
    PositionedAdminMixin,
    RestoreFromEventOnlyMixin,
    SafeChangelistMixin,
)
from workshops.editorial.admin_follow_up import conclusion_follow_up
from workshops.editorial.deletion import PrimedDeletionMixin
from workshops.editorial.permissions import programme_ids
from workshops.models import Programme


@admin.register(FocusArea)
class FocusAreaAdmin(
    SafeChangelistMixin, RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin
):
    """Focus areas, numbered from 1 within their programme; a user limited to
    programmes sees and picks only theirs."""

    list_display = ("number", "title", "programme")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("programme",)
    search_fields = ("title_ind", "title_en", "slug")
    prepopulated_fields = {"slug": ("title",)}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = programme_ids(request.user)
        return queryset if ids is None else queryset.filter(programme_id__in=ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            ids = programme_ids(request.user)
            if ids is not None:
                kwargs["queryset"] = Programme.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DiscussionGroup)
class DiscussionGroupAdmin(
    PrimedDeletionMixin,
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
    nested_admin.NestedModelAdminMixin,
    TranslationAdmin,
):
    """Groups also have a list page, for finding them across events; a group of a
    published event can be changed only by a Publisher. Its conclusions and their
    sub-points are the rows of the event's own page (ConclusionInline): moved by drag
    handles and up/down buttons, no position typed."""

    list_display = ("__str__", "session", "focus_area", "conclusion_count", "numbered_by_editors")
    list_filter = (
        "numbered_by_editors",
        ("focus_area", admin.RelatedOnlyFieldListFilter),
        ("session__event", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("summary_ind", "summary_en", "session__title_ind", "session__event__title_ind")
    list_select_related = ("session", "session__event", "focus_area")
    autocomplete_fields = ("session", "focus_area")
    inlines = (ConclusionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(conclusion_total=Count("conclusions"))

    @admin.display(description=_("conclusions"), ordering="conclusion_total")
    def conclusion_count(self, obj):
        return obj.conclusion_total

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The event whose conclusions the rows may be (see rows_of_event).
        request.jakres_event_id = (
            DiscussionGroup.objects.filter(pk=object_id)
            .values_list("session__event_id", flat=True)
            .first()
            if str(object_id or "").isdigit()
            else None
        )
        if request.jakres_event_id is not None:
            # Its rows are its own conclusions and their sub-points, not the event's.
            request.jakres_rows_scope = {"group_id": int(object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Conclusion)
class ConclusionAdmin(
    PrimedDeletionMixin,
    PositionedAdminMixin,
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
    TranslationAdmin,
):
    list_display = ("__str__", "group", "number", "parent", "has_english")
    position_parents = ("group", "parent")
    list_filter = (
        ("group__focus_area", admin.RelatedOnlyFieldListFilter),
        ("group__session__event", admin.RelatedOnlyFieldListFilter),
    )
    # By words, or by the conclusion's reference (the follow-up's later-conclusion box).
    search_fields = ("text_ind", "text_en", "=ref")
    list_select_related = ("group", "group__focus_area", "parent")
    autocomplete_fields = ("group", "parent")
    readonly_fields = ("follow_up",)
    follow_up = conclusion_follow_up

    def position_siblings(self, obj):
        """A point goes after the group's points, a sub-point after its point's."""
        if obj.parent_id:
            siblings = Conclusion.objects.filter(parent_id=obj.parent_id)
        else:
            siblings = Conclusion.objects.filter(group_id=obj.group_id, parent__isnull=True)
        return siblings.exclude(pk=obj.pk) if obj.pk else siblings

    @admin.display(description=_("English"), boolean=True)
    def has_english(self, obj):
        return bool(obj.text_en)
