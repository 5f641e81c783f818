from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.editorial.admin_base import (
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    SafeChangelistMixin,
)
from workshops.editorial.admin_follow_up import conclusion_follow_up
from workshops.editorial.permissions import programme_ids
from workshops.models import Programme
from workshops.ordering import park_rows


@admin.register(FocusArea)
class FocusAreaAdmin(RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin):
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


class ConclusionInline(TranslationTabularInline):
    """Conclusions and their sub-points. A sub-point names its point in “sub-point of”."""

    model = Conclusion
    fk_name = "group"
    extra = 1
    fields = ("order", "number", "parent", "text")
    readonly_fields = ("number",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            group_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            kwargs["queryset"] = Conclusion.objects.filter(
                group_id=group_id or 0, parent__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DiscussionGroup)
class DiscussionGroupAdmin(
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
    TranslationAdmin,
):
    """Groups also have a list page, for finding them across events; a group of a
    published event can be changed only by a Publisher."""

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

    def save_formset(self, request, form, formset, change):
        # Rows that change places step off their positions first (workshops/ordering.py),
        # so that swapping two orders never meets "unique order in the group" halfway.
        moving = [
            row.instance.pk
            for row in formset.forms
            if row.instance.pk and "order" in getattr(row, "changed_data", ())
        ]
        park_rows(formset.model, "order", moving)
        super().save_formset(request, form, formset, change)


@admin.register(Conclusion)
class ConclusionAdmin(
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
    TranslationAdmin,
):
    list_display = ("__str__", "group", "number", "order", "parent", "has_english")
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

    @admin.display(description=_("English"), boolean=True)
    def has_english(self, obj):
        return bool(obj.text_en)
