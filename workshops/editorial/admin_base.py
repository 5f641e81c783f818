"""Building blocks shared by the workshops and focus_areas admins."""

import nested_admin
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationInlineModelAdmin
from nested_admin.formsets import NestedInlineFormSet, mutable_querydict

from jakres.core.text import render_text
from workshops.editorial.permissions import programme_ids
from workshops.editorial.workflow import can_edit, mark_event_changed, rows_of_event
from workshops.ordering import park_rows


class OrderedFormSet(NestedInlineFormSet):
    """Drag-and-drop ordering that numbers rows 1, 2, 3… and respects unique orders."""

    def process_forms_pre_save(self, forms):
        field = getattr(self, "sortable_field_name", None)
        if field is None:
            return forms

        def position(form):
            return getattr(form, "cleaned_data", {}).get(field) or 0

        forms.sort(key=position)
        number = 1
        moving = []
        for form in forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    moving.append(form.instance.pk)
                continue
            if not form._is_initial and not form.has_changed():
                continue
            stored = form.initial.get(field) if form.instance.pk else None
            if form.instance.pk and stored != number:
                moving.append(form.instance.pk)
            if getattr(form.instance, field) != number or stored != number:
                setattr(form.instance, field, number)
                with mutable_querydict(form.data):
                    form.data[form.add_prefix(field)] = str(number)
                form.__dict__.pop("changed_data", None)
            number += 1
        park_rows(self.model, field, moving)
        return forms

    def save(self, commit=True):
        parent_form = getattr(self, "parent_form", None)
        parent_formset = getattr(parent_form, "parent_formset", None)
        if parent_formset is not None and parent_formset._should_delete_form(parent_form):
            # The row these rows hang on is being deleted, and they go with it (the
            # database cascades). Saving them again would bring them back as orphans.
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        return super().save(commit)

    def get_queryset(self):
        # django-nested-admin loads posted rows by primary key from the whole table (so
        # rows can be dragged between parents); keep that to this event's own rows.
        queryset = super().get_queryset()
        allowed = getattr(self, "allowed_rows", None)
        if allowed is not None and self.is_bound:
            queryset = queryset.filter(pk__in=allowed.values("pk"))
        return queryset

    def clean(self):
        super().clean()
        allowed = getattr(self, "allowed_rows", None)
        if allowed is None:
            return
        pk_name = self.model._meta.pk.name
        named = {
            str(self.data.get(f"{self.add_prefix(i)}-{pk_name}") or "")
            for i in range(self.initial_form_count())
        } - {""}
        if not named:
            return
        known = {str(pk) for pk in allowed.filter(pk__in=[p for p in named if p.isdigit()])
                 .values_list("pk", flat=True)}  # fmt: skip
        if named - known:
            raise ValidationError(
                _(
                    "A row of this form belongs to another event or no longer exists. "
                    "Nothing was saved: reload the page and enter the change again."
                ),
                code="foreign_row",
            )


class OrderedInlineMixin:
    formset = OrderedFormSet
    sortable_field_name = "order"
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Existing rows may only be this event's own parts (see rows_of_event).
        formset.allowed_rows = rows_of_event(
            self.get_queryset(request), getattr(request, "jakres_event_id", None)
        )
        return formset


class NestedStacked(
    OrderedInlineMixin, TranslationInlineModelAdmin, nested_admin.NestedStackedInline
):
    pass


class NestedTabular(
    OrderedInlineMixin, TranslationInlineModelAdmin, nested_admin.NestedTabularInline
):
    pass


def event_of(obj):
    """The event an admin object belongs to, or None for a new one."""
    if obj is None:
        return None
    for path in ("event", "session.event", "group.session.event"):
        target = obj
        for attribute in path.split("."):
            target = getattr(target, attribute, None)
            if target is None:
                break
        if target is not None:
            return target
    return obj if obj.__class__.__name__ == "Event" else None


class EventStateGuardMixin:
    """Published events (and their parts) can be changed only by a Publisher.

    Checked on the object as stored (may it be changed or deleted?) and again on the
    object as submitted (may it be put there?), so a part cannot be added to, or
    moved into, a published event by someone who may not edit it.
    """

    # Where the model reaches its event's programme (roles limited to programmes).
    programme_path = {
        "event": "programme_id",
        "appearance": "session__event__programme_id",
        "discussiongroup": "session__event__programme_id",
        "conclusion": "group__session__event__programme_id",
    }

    def get_queryset(self, request):
        """Only the rows of the programmes the user works on: another programme's
        event or part is not found (its change page, its rows in a list)."""
        queryset = super().get_queryset(request)
        ids = programme_ids(request.user)
        if ids is None:
            return queryset
        name = queryset.model._meta.model_name
        path = self.programme_path.get(name, "event__programme_id")
        return queryset.filter(**{f"{path}__in": ids})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and can_edit(request.user, event_of(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and can_edit(request.user, event_of(obj))

    def save_model(self, request, obj, form, change):
        event = event_of(obj)
        if not can_edit(request.user, event):
            raise PermissionDenied(_("Only a Publisher can change a published event."))
        super().save_model(request, obj, form, change)
        if event is not None and event is not obj:
            mark_event_changed(event.pk)

    def delete_model(self, request, obj):
        event = event_of(obj)
        super().delete_model(request, obj)
        if event is not None and event is not obj:
            mark_event_changed(event.pk)


class RestoreFromEventOnlyMixin:
    """One revision holds an event with all its parts (and the shared records an
    import touched), so restoring any one version restores them all. That is done
    from the event's own history only, where it is guarded; other history pages
    can be read, not restored."""

    def revision_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied(_("Restore earlier versions from the event's history."))

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied(_("Restore earlier versions from the event's history."))

    def recoverlist_view(self, request, extra_context=None):
        raise PermissionDenied(_("Restore earlier versions from the event's history."))


def markdown_preview(field, description):
    """A read-only admin field that shows how a Markdown field will look."""

    @admin.display(description=description)
    def preview(self, obj):
        rendered = render_text(getattr(obj, field, "") or "")
        if not rendered:
            return "—"
        return format_html('<div class="markdown-preview">{}</div>', rendered)

    return preview


MARKDOWN_HELP = _(
    "Markdown: *italic*, **bold**, lists with “-” or “1.”, links as [text](https://…). "
    "The preview below shows the saved text."
)


class SafeChangelistMixin:
    """A filter value the database cannot even compare (a year of 11 digits) gets the
    admin's usual "invalid filter" page instead of a server error. (NUL bytes are
    refused before, by AdminNulQueryMiddleware.)"""

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (OverflowError, ValueError):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
