"""The secretariat's admin: a whole workshop on one page, without knowing any id.

An event is edited with its nested parts (sessions → speakers and groups →
conclusions → sub-points), dragged into order, previewed as the public will see
it, moved through draft → in review → published by actions that check roles, and
every saved change is kept in its history (django-reversion), restorable.
"""

import nested_admin
import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from focus_areas.models import Conclusion, DiscussionGroup
from workshops.editorial import numbering, permissions, workflow
from workshops.editorial.admin_base import (
    MARKDOWN_HELP,
    EventStateGuardMixin,
    NestedStacked,
    OrderedInlineMixin,
    PositionedAdminMixin,
    RestoreFromEventOnlyMixin,
    SafeChangelistMixin,
    TransitionActionsMixin,
    markdown_preview,
)
from workshops.editorial.deletion import PrimedDeletionMixin
from workshops.editorial.uploads import process_image
from workshops.files import document_kind_of
from workshops.models import (
    Appearance,
    Document,
    Event,
    EventOrganiser,
    Hazard,
    Organisation,
    Photo,
    Programme,
    ProgrammePhase,
    RecordedItem,
    Sector,
    Session,
    ShockStress,
    default_programme,
)
from workshops.proceedings import proceedings_context, proceedings_parts, with_proceedings


def _site_header():
    programme = default_programme()
    name = programme.name if programme else settings.SITE_NAME
    return _("%(name)s proceedings") % {"name": name}


admin.site.site_header = lazy(_site_header, str)()


def programmes_of(user):
    ids = permissions.programme_ids(user)
    programmes = Programme.objects.all()
    return programmes if ids is None else programmes.filter(pk__in=ids)


class ProgrammePhaseInline(TranslationTabularInline):
    model = ProgrammePhase
    extra = 1
    fields = ("order", "name", "start_date", "end_date", "description", "source_url")


@admin.register(Programme)
class ProgrammeAdmin(VersionAdmin, TranslationAdmin):
    """A programme, its phases, and the staff limited to it. Its focus areas are
    numbered from 1 within it (Focus areas)."""

    list_display = ("name", "city", "network", "start_year", "end_year", "order")
    search_fields = ("name_ind", "name_en", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("staff",)
    inlines = (ProgrammePhaseInline,)


admin.site.site_title = _("jakres admin")
admin.site.index_title = _("Secretariat workspace")


# The event's editor is one change page in parts, so that no page grows with the size
# of the event (issue 10: at most 250 KB of HTML and 30 queries): the event's own
# fields with its organisers, sessions (one line each) and documents; each session
# with its speakers and groups; the shocks and stresses; the photos. Every part is
# the event's own change form (same permissions, stale-form check, row checks and
# history), showing only that part's inlines: `?part=session-12`, `?part=shocks`,
# `?part=photos`.
MAIN_PART = ""
LIST_PARTS = ("shocks", "photos")


def event_part_url(event_id, part=MAIN_PART):
    url = reverse("admin:workshops_event_change", args=[event_id])
    return f"{url}?{urlencode({'part': part})}" if part else url


# --- Uploads ---------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            # Named after what the content is, never after what the upload claims.
            upload.name = f"document.{document_kind_of(upload)}"
        return upload


class PhotoForm(forms.ModelForm):
    """A photo is refused without its image file (issue 10): a caption alone would be
    saved and then appear nowhere. (The seed's seven captions whose photos were never
    found stay as records, marked "photo not available", and untouched they save.)"""

    def clean(self):
        cleaned = super().clean()
        has_image = cleaned.get("image") or (self.instance.pk and self.instance.image)
        # (A new position alone, which the page's script writes to every row, is no edit.)
        changed = self.instance.pk is None or set(self.changed_data) - {"order"}
        if not has_image and changed and "image" not in self.errors:
            self.add_error(
                "image", _("A photo needs its image file: upload it, or leave the photo out.")
            )
        return cleaned

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            image, self._thumbnail = process_image(upload)
            return image
        return upload

    def save(self, commit=True):
        thumbnail = getattr(self, "_thumbnail", None)
        if thumbnail is not None:
            self.instance.thumbnail = thumbnail
        return super().save(commit)


class EventForm(forms.ModelForm):
    """The event page. It carries the version of the event it was opened at, and a
    save is refused when someone else saved the event since (workflow.check_not_stale)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    not_in_sources = forms.MultipleChoiceField(
        label=_("not recorded in the sources"),
        choices=RecordedItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Items the sources do not give: “Still missing” no longer asks for them."),
    )

    jakres_part = MAIN_PART

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.edit_version
        self.replaced_version = None
        if self.jakres_part != MAIN_PART:  # a part's page saves none of the event's fields
            self.fields.pop("not_in_sources", None)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                self.replaced_version = workflow.check_not_stale(
                    event_id=self.instance.pk,
                    loaded_version=self.data.get(self.add_prefix("loaded_version")),
                )
            except workflow.StaleEdit as error:
                self.add_error(None, error)
        return cleaned


# --- The nested event editor ---------------------------------------------------


def session_summary(session):
    # (The words of the summary line the page's script wrote before.)
    return str(_("{speakers} speakers · {groups} groups · {conclusions} conclusions")).format(
        speakers=session.speaker_count,
        groups=session.group_count,
        conclusions=session.conclusion_count,
    )


class SubPointFormSet(NestedStacked.formset):
    """Sub-points hang on a conclusion; they belong to the same group."""

    def save_new(self, form, commit=True):
        form.instance.group_id = self.instance.group_id
        return super().save_new(form, commit)


class SubPointInline(NestedStacked):
    model = Conclusion
    fk_name = "parent"
    formset = SubPointFormSet
    # The number is kept when rows move; "Renumber conclusions by their order" resets it.
    fields = ("order", "number", "text")
    readonly_fields = ("number",)
    verbose_name = _("sub-point")
    verbose_name_plural = _("sub-points")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=False)


class ConclusionInline(NestedStacked):
    model = Conclusion
    fk_name = "group"
    fields = ("order", "number", "text")
    readonly_fields = ("number",)
    inlines = (SubPointInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)


class DiscussionGroupInline(NestedStacked):
    model = DiscussionGroup
    sortable_field_name = "number"
    fields = ("number", "focus_area", "summary", "numbered_by_editors")
    related_shown = ("focus_area",)
    autocomplete_fields = ("focus_area",)
    inlines = (ConclusionInline,)


class AppearanceInline(NestedStacked):
    model = Appearance
    fields = (
        "order",
        ("role", "person", "on_behalf_of"),
        ("title_at_time", "additional_title_at_time"),
        "summary",
    )
    autocomplete_fields = ("person", "on_behalf_of")
    related_shown = ("person", "on_behalf_of")


class OrganiserInline(OrderedInlineMixin, nested_admin.NestedStackedInline):
    """The organisations that held the event, each in its role, in order (no text of
    its own to translate)."""

    model = EventOrganiser
    fields = ("order", ("organisation", "role"))
    autocomplete_fields = ("organisation",)
    related_shown = ("organisation",)


class SessionInline(NestedStacked):
    """The event page's sessions: their own fields and one summary line each, with the
    link to the session's page, where its speakers and groups are edited."""

    model = Session
    fields = (
        "order",
        ("kind", "title"),
        ("date", "start_time", "end_time"),
        "description",
        "parts",
    )
    readonly_fields = ("parts",)

    def get_queryset(self, request):
        def count(rows, path):
            rows = rows.filter(**{path: OuterRef("pk")}).order_by()
            counted = rows.values(path).annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), 0)

        return (
            super()
            .get_queryset(request)
            .annotate(
                speaker_count=count(Appearance.objects.all(), "session"),
                group_count=count(DiscussionGroup.objects.all(), "session"),
                conclusion_count=count(Conclusion.objects.filter(parent=None), "group__session"),
            )
        )

    @admin.display(description=_("speakers and groups"))
    def parts(self, obj):
        if not obj or not obj.pk:
            return _("Save the event first; then its speakers and groups are entered here.")
        url = event_part_url(obj.event_id, f"session-{obj.pk}")
        return format_html(
            '{} · <a href="{}" class="jk-session-link">{}</a>',
            session_summary(obj),
            url,
            _("Edit session"),
        )


class OneSessionInline(NestedStacked):
    """A session's own page (the event's page, part "session-<id>"): the session's
    fields with its speakers, groups, conclusions and sub-points."""

    model = Session
    fields = (("kind", "title"), "description")
    inlines = (AppearanceInline, DiscussionGroupInline)
    sortable_field_name = None
    can_delete = False
    max_num = 0
    verbose_name_plural = _("session")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk=getattr(request, "jakres_session_id", 0))

    def has_add_permission(self, request, obj=None):
        return False


class ShockStressInline(OrderedInlineMixin, nested_admin.NestedStackedInline):
    """The event's shocks and stresses: each row picks a shared one (or a new one is
    made in its own admin page, from the pencil-and-plus next to the field)."""

    model = ShockStress
    fields = ("order", ("hazard", "named_by"))
    autocomplete_fields = ("hazard", "named_by")
    related_shown = ("hazard", "named_by__person")


class AttachmentInlineMixin:
    """Offer only this event's sessions and groups for documents and photos."""

    autocomplete_fields = ("person",)
    related_shown = ("person", "session", "group__focus_area")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The event being edited (set by EventAdmin.changeform_view; a recovery's URL
        # names a version, not the event).
        event_id = str(getattr(request, "jakres_event_id", "") or "")
        event_id = event_id if event_id.isdigit() else None
        if db_field.name == "session":
            kwargs["queryset"] = Session.objects.filter(event_id=event_id or 0)
        elif db_field.name == "group":
            kwargs["queryset"] = DiscussionGroup.objects.filter(
                session__event_id=event_id or 0
            ).select_related("session")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group":
            # Short and unambiguous (every group session has a group 1): "Sesi 3, kelompok 1".
            field.label_from_instance = group_label
        if db_field.name in ("session", "group"):
            # Every row of the inline offers the same few choices: read them once per
            # request, not once per row. (Validation still uses the queryset.)
            cache = request.__dict__.setdefault("_jakres_attachment_choices", {})
            key = (db_field.name, event_id)
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("session", "group") and hasattr(field.widget, "can_add_related"):
            field.widget.can_add_related = False  # they are added on the event's pages
        return field


def group_label(group):
    return _("Session %(session)s, group %(number)s") % {
        "session": group.session.order,
        "number": group.number,
    }


class DocumentInline(AttachmentInlineMixin, NestedStacked):
    """Stacked rows, not a wide table: the page fits a 1,280 px screen. The rare
    attribution note is edited on the document's own page (Documents), which keeps the
    event's page within its 250 KB at five times the parts."""

    model = Document
    form = DocumentForm
    fields = (
        "order",
        ("kind", "title"),
        ("file", "url"),
        ("session", "person", "group"),
    )


class PhotoInline(AttachmentInlineMixin, NestedStacked):
    model = Photo
    form = PhotoForm
    fields = (
        "order",
        ("caption", "credit"),
        ("image", "image_state"),
        ("session", "person", "group"),
    )
    readonly_fields = ("image_state",)

    @admin.display(description=_("image file"))
    def image_state(self, obj):
        return "✓" if obj and obj.image else _("photo not available")


class _SharedPost(QueryDict):
    """The event page's POST data, shared by all its formsets.

    django-nested-admin gives every nested formset its own copy of the whole POST,
    which is quadratic in the number of rows (a group of 1,400 conclusions: 1,400
    copies of 12,700 fields, minutes of CPU). The formsets only ever write keys
    under their own forms' prefixes, so one mutable copy serves them all.
    """

    def copy(self):
        return self


def _number(value):
    """A version id from the URL, or a 404 for anything that is not a number."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


@admin.register(Event)
class EventAdmin(
    PrimedDeletionMixin,
    TransitionActionsMixin,
    SafeChangelistMixin,
    EventStateGuardMixin,
    VersionAdmin,
    nested_admin.NestedModelAdminMixin,
    TranslationAdmin,
):
    form = EventForm
    change_form_template = "admin/workshops/event/change_form.html"
    list_display = ("title", "start_date", "kind", "status", "published_at", "missing_parts")
    list_filter = ("status", "kind", "start_date", "sectors")
    search_fields = ("title_ind", "title_en", "topic_ind", "topic_en", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("preceded_by",)
    readonly_fields = (
        "status",
        "published_at",
        "preview_link",
        "purpose_preview",
        "summary_preview",
        "created_at",
        "updated_at",
    )
    # The main page shows every inline not listed under a part (a new inline shows
    # there by being added to `inlines`); see MAIN_PART.
    inlines = (
        OrganiserInline, SessionInline, DocumentInline, ShockStressInline, PhotoInline,
        OneSessionInline,
    )  # fmt: skip
    part_inlines = {
        "shocks": (ShockStressInline,),
        "photos": (PhotoInline,),
        "session": (OneSessionInline,),
    }
    actions = (
        "submit_for_review",
        "return_to_draft",
        "publish",
        "withdraw",
        "renumber_conclusions",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("status", "published_at"),
                    "preview_link",
                    "loaded_version",
                    "title",
                    "subtitle",
                    "slug",
                    "kind",
                    "topic",
                )
            },
        ),
        (
            _("When and where"),
            {"fields": ("start_date", "end_date", "schedule_note", "city", "venue")},
        ),
        (
            pgettext_lazy("admin section", "Programme"),
            {
                "fields": (
                    "programme",
                    "programme_phase",
                    "purpose",
                    "purpose_preview",
                    "summary",
                    "summary_preview",
                    "feeds_into",
                    "preceded_by",
                ),
                "description": MARKDOWN_HELP,
            },
        ),
        (
            _("Participants"),
            {
                "fields": (
                    "participant_count_qualifier",
                    "participant_count",
                    "sectors",
                    "not_in_sources",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    purpose_preview = markdown_preview("purpose", _("Purpose preview"))
    summary_preview = markdown_preview("summary", _("Summary preview"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":  # only the programmes the user works on
            kwargs["queryset"] = programmes_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sectors":  # eight or so: ticked in a list
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        programme = programmes_of(request.user).first()
        if programme is not None:
            initial.setdefault("programme", programme.pk)
        return initial

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

    def changelist_view(self, request, extra_context=None):
        may_recover = permissions.may(request.user, permissions.Action.RECOVER)
        extra_context = {**(extra_context or {}), "jakres_may_recover": may_recover}
        return super().changelist_view(request, extra_context)

    def view_on_site(self, obj):
        """ "View on site": the public page once published, the preview before (the
        public URL of an unpublished event is a 404)."""
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("admin:workshops_event_preview", args=[obj.pk])

    @admin.display(description=_("Still missing"))
    def missing_parts(self, obj):
        return ", ".join(str(item) for item in workflow.missing_parts(obj)) or "—"

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return _("Save first to preview.")
        url = reverse("admin:workshops_event_preview", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · '
            '<a href="{}?lang=en" target="_blank" rel="noopener">{}</a>',
            url,
            _("Preview as the public will see it"),
            url,
            _("in English"),
        )

    # Publication state: only the actions below change it, and each checks the role.

    def transition_one(self, request, obj, name):
        return workflow.transition(event=obj, user=request.user, name=name)

    def transition_message(self, obj):
        return _("“%(event)s” is now %(state)s.") % {
            "event": obj.title,
            "state": obj.get_status_display(),
        }

    @admin.action(description=_("Renumber conclusions by their order"), permissions=["change"])
    def renumber_conclusions(self, request, queryset):
        """Numbers are kept when rows are moved; this makes them follow the order again."""
        for event in queryset:
            try:
                count = numbering.renumber_conclusions(event=event, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"“{event.title}”: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(event)s”: %(count)s conclusions got a new number.")
                    % {"event": event.title, "count": count},
                    messages.SUCCESS,
                )

    # "Preview as the public will see it": staff only, any state, never cached.

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="workshops_event_preview",
        )
        return [preview, *super().get_urls()]

    # --- The parts of the event's page (see MAIN_PART) ---------------------------------

    def get_inlines(self, request, obj):
        part = getattr(request, "jakres_part", MAIN_PART)
        if part != MAIN_PART:
            return self.part_inlines["session" if part.startswith("session-") else part]
        elsewhere = {inline for inlines in self.part_inlines.values() for inline in inlines}
        return [inline for inline in self.inlines if inline not in elsewhere]

    def get_fieldsets(self, request, obj=None):
        if getattr(request, "jakres_part", MAIN_PART) != MAIN_PART:
            return ((None, {"fields": ("loaded_version",)}),)
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.jakres_part = getattr(request, "jakres_part", MAIN_PART)
        return form

    def get_prepopulated_fields(self, request, obj=None):
        if getattr(request, "jakres_part", MAIN_PART) != MAIN_PART:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def _part_of(self, request, object_id):
        """The part named by `?part=` (404 for anything else, or for a session of
        another event), and the context its page needs."""
        part = request.GET.get("part", MAIN_PART)
        request.jakres_part = MAIN_PART
        if part == MAIN_PART:
            return {}
        if object_id is None or not str(object_id).isdigit():
            raise Http404
        context = {}
        if part.startswith("session-"):
            number = part.removeprefix("session-")
            session = Session.objects.filter(
                pk=number if number.isdigit() else 0, event_id=object_id
            ).first()
            if session is None:
                raise Http404
            request.jakres_session_id = session.pk
            following = (
                Session.objects.filter(event_id=object_id, order__gt=session.order)
                .order_by("order")
                .first()
            )
            context = {
                "jakres_part_title": _("Session %(session)s") % {"session": session},
                "jakres_next_session": following,
            }
        elif part in LIST_PARTS:
            titles = {"shocks": _("Shocks and stresses"), "photos": _("Photos")}
            context = {"jakres_part_title": titles[part]}
        else:
            raise Http404
        request.jakres_part = part
        return {
            **context,
            "jakres_part": part,
            "jakres_event_url": event_part_url(object_id),
            "show_save_and_add_another": False,
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["jakres_parts"] = [
                (event_part_url(obj.pk, part), title, part == request.jakres_part)
                for part, title in (
                    (MAIN_PART, _("Event, sessions and documents")),
                    ("shocks", _("Shocks and stresses")),
                    ("photos", _("Photos")),
                )
            ]
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def response_change(self, request, obj):
        part = getattr(request, "jakres_part", MAIN_PART)
        if part == MAIN_PART or "_popup" in request.POST:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("“%(event)s” was saved.") % {"event": obj.title},
            messages.SUCCESS,
        )
        if "_next_session" in request.POST and part.startswith("session-"):
            current = Session.objects.filter(pk=request.jakres_session_id).first()
            following = (
                obj.sessions.filter(order__gt=current.order).order_by("order").first()
                if current
                else None
            )
            if following is not None:
                return HttpResponseRedirect(event_part_url(obj.pk, f"session-{following.pk}"))
        if "_continue" in request.POST:
            return HttpResponseRedirect(event_part_url(obj.pk, part))
        return HttpResponseRedirect(event_part_url(obj.pk))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**self._part_of(request, object_id), **(extra_context or {})}
        # The event whose parts the inline rows may be (see rows_of_event).
        request.jakres_event_id = object_id
        if request.method == "POST":
            shared = request.POST.copy()
            shared.__class__ = _SharedPost
            request.POST = shared
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST" or object_id is None:
                raise
        # Another save changed the same rows at the same moment (the database refused
        # this one, and nothing of it was kept): show the form again, with what was
        # typed and the "someone else saved" message, instead of a server error.
        request.POST = request.POST.copy()
        request.POST["loaded_version"] = "-1"
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and form.replaced_version is not None:
            obj.edit_version = form.replaced_version + 1
        super().save_model(request, obj, form, change)

    # Restoring a version: only a version of this very event, whose revision touches
    # nothing of another event; recovering a deleted event is a Publisher's right.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            Version.objects.get_for_model(Event), pk=_number(version_id), object_id=object_id
        )
        current = get_object_or_404(Event, pk=version.object_id)
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        if not permissions.works_on(request.user, version.field_dict.get("programme_id")):
            raise PermissionDenied  # a version from when it was another programme's
        workflow.check_revision_scope(revision=version.revision, event_id=version.object_id)
        title = _("Revert %(name)s") % {"name": version.object_repr}
        return self._restore_view(request, version, "revision_form.html", title, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        """Deleted events a Publisher may recover: only those of their programmes."""
        if not permissions.may(request.user, permissions.Action.RECOVER):
            raise PermissionDenied
        deleted = Version.objects.get_deleted(Event).select_related("revision")[:200]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": opts.verbose_name,
            "title": _("Recover deleted %(name)s") % {"name": opts.verbose_name_plural},
            "deleted": [
                version
                for version in deleted
                if permissions.works_on(request.user, version.field_dict.get("programme_id"))
            ],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            [f"reversion/{opts.app_label}/{opts.model_name}/recover_list.html",
             f"reversion/{opts.app_label}/recover_list.html", "reversion/recover_list.html"],
            context,
        )  # fmt: skip

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_for_model(Event), pk=_number(version_id))
        if Event.objects.filter(pk=version.object_id).exists():
            raise Http404
        stored = version.field_dict  # the deleted event as its last version held it
        deleted = Event(pk=version.object_id, programme_id=stored.get("programme_id"),
                        status=stored.get("status"))  # fmt: skip
        if not permissions.may(request.user, permissions.Action.RECOVER, deleted):
            raise PermissionDenied
        workflow.check_revision_scope(revision=version.revision, event_id=version.object_id)
        title = _("Recover %(name)s") % {"name": version.object_repr}
        return self._restore_view(request, version, "recover_form.html", title, extra_context)

    def _restore_view(self, request, version, template, title, extra_context):
        """The event's change form filled from `version` (GET), or that version saved
        back with the changes made in the form (POST): see workflow.restore_event.
        Written here, on django-reversion's public API, so that nothing of the
        package's private views is overridden."""
        opts = self.model._meta
        context = {"title": title, "revert": template == "revision_form.html",
                   "recover": template == "recover_form.html", **(extra_context or {})}  # fmt: skip

        def form_view():
            with self.create_revision(request):
                response = self.changeform_view(
                    request, str(version.object_id), request.path, context
                )
                if request.method == "POST" and response.status_code == 302:
                    reversion.set_comment(
                        _("Restored the version saved on %(date)s")
                        % {"date": localize(template_localtime(version.revision.date_created))}
                    )
                elif response.status_code == 200:
                    response.template_name = [
                        f"reversion/{opts.app_label}/{opts.model_name}/{template}",
                        f"reversion/{opts.app_label}/{template}",
                        f"reversion/{template}",
                    ]
                    response.render()
            return response

        try:
            return workflow.restore_event(
                version=version, keep=request.method == "POST", form_view=form_view
            )
        except RevertError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def preview_view(self, request, object_id):
        if not object_id.isdigit():
            raise Http404
        events = permissions.events_of(request.user, Event.objects.all())
        event = get_object_or_404(with_proceedings(events), pk=object_id)
        if not self.has_view_or_change_permission(request, event):
            raise PermissionDenied
        language = "en" if request.GET.get("lang") == "en" else "id"
        with translation.override(language):
            context = proceedings_context(event, request)
            context.update(event=event, object=event, preview=True)
            context["proceedings"] = proceedings_parts(context, request)
            response = TemplateResponse(request, "workshops/event_detail.html", context)
            response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response


class EventPartAdmin(
    PrimedDeletionMixin,
    PositionedAdminMixin,
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
    TranslationAdmin,
):
    """Sessions, speakers and the rest also have list pages, for searching across events.
    Their position is set on the event's page (drag handles, up/down buttons); a row
    added on its own page goes last under its parent (PositionedAdminMixin)."""


@admin.register(Session)
class SessionAdmin(EventPartAdmin):
    list_display = ("title", "event", "kind")
    list_filter = ("kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title_ind", "title_en", "event__title_ind")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)


@admin.register(Appearance)
class AppearanceAdmin(EventPartAdmin):
    list_display = ("person", "role", "title_at_time", "session", "has_key_points")
    position_parents = ("session",)
    list_filter = ("role", ("session__event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("person__name", "title_at_time_ind", "title_at_time_en", "summary_ind")
    list_select_related = ("person", "session", "session__event")
    autocomplete_fields = ("session", "person", "on_behalf_of")

    @admin.display(description=_("key points"), boolean=True)
    def has_key_points(self, obj):
        return bool(obj.summary)


@admin.register(ShockStress)
class ShockStressAdmin(
    PrimedDeletionMixin,
    PositionedAdminMixin,
    SafeChangelistMixin,
    EventStateGuardMixin,
    RestoreFromEventOnlyMixin,
    VersionAdmin,
):
    list_display = ("hazard", "event")
    list_filter = ("hazard__kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("hazard__name_ind", "hazard__name_en")
    list_select_related = ("event", "hazard")
    autocomplete_fields = ("event", "hazard", "named_by")


@admin.register(Hazard)
class HazardAdmin(RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin):
    """The shared shocks and stresses that events name (each with its public page)."""

    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name_ind", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Document)
class DocumentAdmin(EventPartAdmin):
    form = DocumentForm
    list_display = ("title", "kind", "event", "has_link")
    list_filter = ("kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title_ind", "title_en")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "session", "person", "group")

    @admin.display(description=_("file or link"), boolean=True)
    def has_link(self, obj):
        return bool(obj.file or obj.url)


@admin.register(Photo)
class PhotoAdmin(EventPartAdmin):
    form = PhotoForm
    list_display = ("caption", "event", "has_image", "credit")
    list_filter = (("event", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("caption_ind", "caption_en", "credit")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "session", "person", "group")

    @admin.display(description=_("image"), boolean=True)
    def has_image(self, obj):
        return bool(obj.image)


@admin.register(Organisation)
class OrganisationAdmin(RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin):
    list_display = ("name", "acronym", "url")
    search_fields = ("name_ind", "name_en", "acronym")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Sector)
class SectorAdmin(PositionedAdminMixin, RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin):
    """Sectors are listed in their order; a new one goes last."""

    list_display = ("name",)
    position_parents = ()
    search_fields = ("name_ind", "name_en")
    prepopulated_fields = {"slug": ("name",)}
