"""Building blocks shared by the workshops and focus_areas admins."""

import nested_admin
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.forms import HiddenInput
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationInlineModelAdmin
from nested_admin.formsets import NestedInlineFormSet, mutable_querydict

from jakres.core.text import render_text
from workshops.editorial import permissions
from workshops.editorial.admin_rows import KnownAutocompleteSelect, rows_for_parent
from workshops.editorial.permissions import programme_ids
from workshops.editorial.workflow import (
    can_edit,
    edit_refusal,
    mark_event_changed,
    rows_of_event,
)
from workshops.ordering import next_position, park_rows


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

    def get_unique_error_message(self, unique_check):
        """Two rows of the form that would break a constraint: the constraint's own
        message (not the raw field names)."""
        for constraint in self.model._meta.constraints:
            if set(getattr(constraint, "fields", ())) == set(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)

    def get_queryset(self):
        request = getattr(self, "jakres_request", None)
        if not self.is_bound and request is not None and self.instance.pk is not None:
            # Shown, not saved: this parent's rows from one read for the whole event.
            if not hasattr(self, "_queryset"):
                self._queryset = rows_for_parent(
                    request,
                    self.jakres_rows,
                    request.jakres_event_id,
                    self.fk,
                    self.instance.pk,
                )
            return self._queryset
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


def may_edit_page(request) -> bool:
    """Rule: the rows of a page whose object the user may not change are read-only,
    except while a refused save is shown again with what was typed (see
    EventStateGuardMixin.changeform_view)."""
    if getattr(request, "jakres_show_refused", False):
        return True
    return getattr(request, "jakres_refusal", None) is None


class PositionNotTypedMixin:
    """Rule (issue 10): a row's position (`sortable_field_name`) is never shown or typed.

    On the event's pages (OrderedInlineMixin) it is a hidden input that the drag handles
    and up/down buttons write; on a row's own page (PositionedAdminMixin) there is
    nothing to write it, so it is left out of the form and a new row goes last."""

    sortable_field_name = "order"

    def position_widgets(self, kwargs):
        """The form's widgets with the position hidden (the event's pages)."""
        return {**kwargs.get("widgets", {}), self.sortable_field_name: HiddenInput}


class PositionedAdminMixin(PositionNotTypedMixin):
    """A row's own add and change page (a session, a document, a sector…): no position
    in the form or the list; a new row goes after its siblings, a row moved to another
    parent after the siblings there, and a row that stays keeps its position.

    `position_parents` names the fields the siblings share (none: all rows)."""

    position_parents = ("event",)

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), self.sortable_field_name)

    def position_siblings(self, obj):
        model = type(obj)
        scope = {}
        for name in self.position_parents:
            attname = model._meta.get_field(name).attname
            scope[attname] = getattr(obj, attname)
        siblings = model._default_manager.filter(**scope)
        return siblings.exclude(pk=obj.pk) if obj.pk else siblings

    def lock_parents(self, obj):
        """Hold the parent rows until the save commits, so that two rows added at once
        under one parent are numbered one after the other (PostgreSQL)."""
        for name in self.position_parents:
            field = type(obj)._meta.get_field(name)
            pk = getattr(obj, field.attname)
            if pk is not None:
                list(field.related_model._default_manager.select_for_update()
                     .filter(pk=pk).values_list("pk"))  # fmt: skip

    def save_model(self, request, obj, form, change):
        # (Within the admin's transaction: the position and the row are saved together.)
        if not change or set(form.changed_data) & set(self.position_parents):
            self.lock_parents(obj)
            setattr(obj, self.sortable_field_name, next_position(self.position_siblings(obj)))
        super().save_model(request, obj, form, change)


class OrderedInlineMixin(PositionNotTypedMixin):
    formset = OrderedFormSet
    extra = 0

    # Compact rows: one label per field, no order number (drag handle, up/down buttons).
    template = "admin/jakres/inline.html"
    show_change_link = False
    # Rows of nested inlines are read once for the whole event (admin_rows), with the
    # records their labels and autocompletes show.
    rows_read_once = True
    related_shown = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, AutocompleteSelect):
            field.widget.__class__ = KnownAutocompleteSelect
            field.widget.jakres_request = request
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related_shown)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            # In a row, only "add another" (a new person, say) is offered beside the
            # choice: the record's own page is in the admin's menu.
            field.widget.can_change_related = False
            field.widget.can_delete_related = False
            field.widget.can_view_related = False
        return field

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit_page(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_page(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit_page(request)

    def get_formset(self, request, obj=None, **kwargs):
        # The position is set by dragging or by the up/down buttons, never typed.
        kwargs["widgets"] = self.position_widgets(kwargs)
        formset = super().get_formset(request, obj, **kwargs)
        if getattr(request, "jakres_event_id", None) and self.rows_read_once:
            formset.jakres_request = request
            formset.jakres_rows = self.get_queryset(request).select_related(*self.related_shown)
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

    change_form_template = "admin/jakres/change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A page the user may read but not change is read-only, with the reason in one
        line; a save of it (a form opened before the event was published, a crafted
        POST) is refused by the form itself, so the page comes back with what was
        typed and the reason, not a bare 403."""
        reason = None
        if object_id is not None:
            stored = self.get_object(request, unquote(object_id))
            reason = edit_refusal(request.user, event_of(stored)) if stored else None
        request.jakres_refusal = reason
        request.jakres_show_refused = bool(reason) and request.method == "POST"
        extra_context = {**(extra_context or {}), "jakres_refusal": reason}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        attributes = {
            "jakres_user": request.user,
            "jakres_refusal": getattr(request, "jakres_refusal", None),
        }
        return type(form.__name__, (GuardedFormMixin, form), attributes)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and request.method == "POST" and hasattr(request, "jakres_refusal"):
            # A save on this page: the form refuses what may not be saved itself
            # (GuardedFormMixin), so the page comes back with what was typed.
            return allowed
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


class GuardedFormMixin:
    """Refuses a save the user may not make as a form error, so what was typed stays:
    a change of a stored object they may only read (the reason on the whole form), and
    a part added to or moved into such an event (the reason next to its field)."""

    jakres_user = None
    jakres_refusal = None

    def clean(self):
        cleaned = super().clean()
        if self.jakres_refusal:
            self.add_error(None, self.jakres_refusal)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.jakres_user is None or self.jakres_refusal:
            return
        try:
            event = event_of(self.instance)
        except ObjectDoesNotExist:
            return  # a required parent is missing: its field already says so
        reason = edit_refusal(self.jakres_user, event)
        if reason:
            field = next((f for f in ("event", "session", "group") if f in self.fields), None)
            self.add_error(field, reason)


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
    refused before, by AdminNulQueryMiddleware.) An add page's prefill that is not a
    row's id (`?conclusion=abc`, `?group=1.5`, `?plan_item=` with 20 digits) is left
    out, as an id of no row is: the field starts empty."""

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (OverflowError, ValueError):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one or field.one_to_one:
                try:
                    field.target_field.clean(value, None)  # the type, and the range
                except ValidationError:
                    del initial[name]
        return initial


class TransitionActionsMixin:
    """The publication state changes as list actions, each checked by role: the same
    four for events and for follow-up links and updates. The admin using it says how
    one row moves (`transition_one`) and how it is named in the messages."""

    def has_submit_permission(self, request):
        return permissions.may(request.user, permissions.Action.SUBMIT)

    def has_publish_permission(self, request):
        return permissions.may(request.user, permissions.Action.PUBLISH)

    def transition_one(self, request, obj, name):
        """The row after the named transition (raises PermissionDenied or ValidationError)."""
        raise NotImplementedError

    def transition_message(self, obj):
        """The success message once `obj` has moved."""
        raise NotImplementedError

    def _transition(self, request, queryset, name):
        for obj in queryset:
            try:
                obj = self.transition_one(request, obj, name)
            except (PermissionDenied, ValidationError) as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, self.refusal_message(obj, message), messages.ERROR)
            else:
                self.message_user(request, self.transition_message(obj), messages.SUCCESS)

    def refusal_message(self, obj, message):
        return message

    @admin.action(description=_("Submit for review"), permissions=["submit"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, "submit_for_review")

    @admin.action(description=_("Return to draft"), permissions=["submit"])
    def return_to_draft(self, request, queryset):
        self._transition(request, queryset, "return_to_draft")

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, "publish")

    @admin.action(description=_("Withdraw from the public site"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._transition(request, queryset, "withdraw")
