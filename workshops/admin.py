"""The secretariat's admin: enter a whole workshop without knowing any id."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from focus_areas.models import DiscussionGroup
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

admin.site.site_header = _("Jakarta Berketahanan proceedings")
admin.site.site_title = _("jakres admin")
admin.site.index_title = _("Secretariat workspace")


class SessionInline(TranslationStackedInline):
    model = Session
    extra = 0
    fields = ("order", "kind", "title", "description")
    show_change_link = True


class ShockStressInline(TranslationTabularInline):
    model = ShockStress
    extra = 0
    fields = ("kind", "order", "name", "named_by")
    autocomplete_fields = ("named_by",)


class AttachmentInlineMixin:
    """Offer only this event's sessions and groups for documents and photos."""

    extra = 0
    autocomplete_fields = ("person",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        event_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if db_field.name == "session":
            kwargs["queryset"] = Session.objects.filter(event_id=event_id or 0)
        elif db_field.name == "group":
            kwargs["queryset"] = DiscussionGroup.objects.filter(
                session__event_id=event_id or 0
            ).select_related("focus_area")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentInline(AttachmentInlineMixin, TranslationTabularInline):
    model = Document
    fields = ("order", "kind", "title", "file", "url", "session", "person", "group")


class PhotoInline(AttachmentInlineMixin, TranslationTabularInline):
    model = Photo
    fields = ("order", "caption", "credit", "image", "session", "person", "group")


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "start_date", "kind", "status", "missing_parts")
    list_filter = ("status", "kind", "start_date", "sectors")
    search_fields = ("title_ind", "title_en", "topic_ind", "topic_en", "slug")
    date_hierarchy = "start_date"
    list_select_related = ("organiser",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organiser", "preceded_by")
    filter_horizontal = ("sectors",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (SessionInline, ShockStressInline, DocumentInline, PhotoInline)
    fieldsets = (
        (
            None,
            {"fields": ("title", "subtitle", "slug", "kind", "topic", "status", "published_at")},
        ),
        (
            _("When and where"),
            {"fields": ("start_date", "end_date", "schedule_note", "city", "venue", "organiser")},
        ),
        (
            _("Programme"),
            {"fields": ("programme_phase", "purpose", "summary", "feeds_into", "preceded_by")},
        ),
        (
            _("Participants"),
            {"fields": ("participant_count_qualifier", "participant_count", "sectors")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                session_count=Count("sessions", distinct=True),
                document_count=Count("documents", distinct=True),
                sector_count=Count("sectors", distinct=True),
            )
        )

    @admin.display(description=_("Still missing"))
    def missing_parts(self, obj):
        return ", ".join(str(item) for item in missing_parts(obj)) or "—"


def missing_parts(event):
    """What a staffer still has to enter before the proceedings are complete."""
    missing = []
    if not event.venue:
        missing.append(_("venue"))
    if not event.summary:
        missing.append(_("summary"))
    if event.participant_count is None:
        missing.append(_("participant count"))
    if getattr(event, "sector_count", 1) == 0:
        missing.append(_("sectors"))
    if getattr(event, "session_count", 1) == 0:
        missing.append(_("sessions"))
    if getattr(event, "document_count", 1) == 0:
        missing.append(_("documents"))
    if not event.title_en or (event.summary_ind and not event.summary_en):
        missing.append(_("English text"))
    return missing


class AppearanceInline(TranslationStackedInline):
    model = Appearance
    extra = 0
    fields = (
        ("order", "role"),
        ("person", "on_behalf_of"),
        "title_at_time",
        "additional_title_at_time",
        "summary",
    )
    autocomplete_fields = ("person", "on_behalf_of")


class DiscussionGroupInline(TranslationStackedInline):
    model = DiscussionGroup
    extra = 0
    fields = ("number", "focus_area", "summary")
    autocomplete_fields = ("focus_area",)
    show_change_link = True


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    list_display = ("title", "event", "order", "kind", "appearance_count", "group_count")
    list_filter = ("kind", "event")
    search_fields = ("title_ind", "title_en", "event__title_ind")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    inlines = (AppearanceInline, DiscussionGroupInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                appearance_total=Count("appearances", distinct=True),
                group_total=Count("groups", distinct=True),
            )
        )

    @admin.display(description=_("speakers"), ordering="appearance_total")
    def appearance_count(self, obj):
        return obj.appearance_total

    @admin.display(description=_("groups"), ordering="group_total")
    def group_count(self, obj):
        return obj.group_total


@admin.register(Appearance)
class AppearanceAdmin(TranslationAdmin):
    list_display = ("person", "role", "title_at_time", "session", "has_key_points")
    list_filter = ("role", "session__event")
    search_fields = ("person__name", "title_at_time_ind", "title_at_time_en", "summary_ind")
    list_select_related = ("person", "session", "session__event")
    autocomplete_fields = ("session", "person", "on_behalf_of")

    @admin.display(description=_("key points"), boolean=True)
    def has_key_points(self, obj):
        return bool(obj.summary)


@admin.register(Person)
class PersonAdmin(TranslationAdmin):
    list_display = ("name", "short_name", "appearance_count")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(appearance_total=Count("appearances"))

    @admin.display(description=_("appearances"), ordering="appearance_total")
    def appearance_count(self, obj):
        return obj.appearance_total


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ("name", "acronym", "url")
    search_fields = ("name_ind", "name_en", "acronym")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ("name", "order")
    search_fields = ("name_ind", "name_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ShockStress)
class ShockStressAdmin(TranslationAdmin):
    list_display = ("name", "kind", "event", "order")
    list_filter = ("kind", "event")
    search_fields = ("name_ind", "name_en")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "named_by")


@admin.register(Document)
class DocumentAdmin(TranslationAdmin):
    list_display = ("title", "kind", "event", "has_link")
    list_filter = ("kind", "event")
    search_fields = ("title_ind", "title_en")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "session", "person", "group")

    @admin.display(description=_("file or link"), boolean=True)
    def has_link(self, obj):
        return bool(obj.file or obj.url)


@admin.register(Photo)
class PhotoAdmin(TranslationAdmin):
    list_display = ("caption", "event", "has_image", "credit")
    list_filter = ("event",)
    search_fields = ("caption_ind", "caption_en", "credit")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "session", "person", "group")

    @admin.display(description=_("image"), boolean=True)
    def has_image(self, obj):
        return bool(obj.image)
