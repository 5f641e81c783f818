"""The follow-up in the admin: plans and their items, links from conclusions, status
updates. Rights come from the events' roles (follow_up_workflow); links and updates
change state only through the list's actions, like events."""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from follow_up.models import Link, LinkKind, Plan, PlanItem, StatusUpdate
from workshops.editorial import follow_up_workflow as workflow
from workshops.editorial import permissions
from workshops.editorial.admin_base import (
    PositionedAdminMixin,
    SafeChangelistMixin,
    TransitionActionsMixin,
)
from workshops.models import EventStatus, Programme

# Where each chosen row reaches its programme.
PROGRAMME_PATHS = {
    "conclusion": "group__session__event__programme_id",
    "later_conclusion": "group__session__event__programme_id",
    "group": "session__event__programme_id",
    "focus_area": "programme_id",
    "plan_item": "plan__programme_id",
    "item": "plan__programme_id",
    "parent": "plan__programme_id",
    "programme": "pk",
}
CHOICES = {
    "conclusion": Conclusion.objects.select_related("group__session__event"),
    "later_conclusion": Conclusion.objects.filter(
        group__session__event__status=EventStatus.PUBLISHED
    ).select_related("group__session__event"),
    "group": DiscussionGroup.objects.select_related("session__event", "focus_area"),
    "focus_area": FocusArea.objects.all(),
    "plan_item": PlanItem.objects.select_related("plan"),
    "item": PlanItem.objects.select_related("plan"),
    "parent": PlanItem.objects.select_related("plan"),
    "programme": Programme.objects.all(),
}


def limited_choices(user, name):
    """The rows a user may pick for a field: only their programmes' (a crafted POST
    naming another programme's row gets “select a valid choice”)."""
    queryset = CHOICES[name]
    ids = permissions.programme_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{PROGRAMME_PATHS[name]}__in": ids})


class ProgrammeScopedMixin:
    """A staffer limited to programmes sees and picks only their programmes' rows."""

    programme_path = "plan__programme_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = permissions.programme_ids(request.user)
        if ids is None:
            return queryset
        if isinstance(self.programme_path, tuple):
            scope = Q()
            for path in self.programme_path:
                scope |= Q(**{f"{path}__in": ids})
            return queryset.filter(scope)
        return queryset.filter(**{f"{self.programme_path}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in CHOICES:
            kwargs["queryset"] = limited_choices(request.user, db_field.name)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return permissions.may(request.user, permissions.Action.EDIT)

    def has_view_permission(self, request, obj=None):
        return permissions.may(request.user, permissions.Action.EDIT)


# --- Plans and items ---------------------------------------------------------------


class PlanItemInline(TranslationTabularInline):
    model = PlanItem
    extra = 0
    fields = ("code", "parent", "title", "lead_organisation", "source_url")
    autocomplete_fields = ("lead_organisation",)
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            plan_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            kwargs["queryset"] = PlanItem.objects.filter(plan_id=plan_id or 0).select_related(
                "plan"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlanRightsMixin(ProgrammeScopedMixin):
    """Plans are the programme's record, like focus areas: anyone who edits events of
    the programme may edit them."""

    def has_add_permission(self, request, obj=None):
        return permissions.may(request.user, permissions.Action.EDIT)

    def has_change_permission(self, request, obj=None):
        allowed = permissions.may(request.user, permissions.Action.EDIT)
        return allowed and (obj is None or permissions.works_on(request.user, obj_programme(obj)))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and request.user.has_perm(
            permissions.PUBLISH
        )


def obj_programme(obj):
    return obj.programme_id if isinstance(obj, Plan) else workflow.programme_id_of(obj)


@admin.register(Plan)
class PlanAdmin(
    PositionedAdminMixin, PlanRightsMixin, SafeChangelistMixin, VersionAdmin, TranslationAdmin
):
    """A programme's plans, in their order; a new one goes after the programme's others."""

    programme_path = "programme_id"
    position_parents = ("programme",)
    list_display = ("title", "programme", "date_note", "item_count")
    list_select_related = ("programme",)
    search_fields = ("title_ind", "title_en", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PlanItemInline,)

    @admin.display(description=_("items"))
    def item_count(self, obj):
        return obj.items.count()


@admin.register(PlanItem)
class PlanItemAdmin(PlanRightsMixin, SafeChangelistMixin, VersionAdmin, TranslationAdmin):
    """A pillar, goal or action. The search box (also in the link form's plan item
    box) finds items by code or by words of their title."""

    list_display = ("code", "title", "plan", "lead_organisation")
    list_filter = (("plan", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("plan", "lead_organisation")
    search_fields = ("code", "title_ind", "title_en", "plan__title_ind")
    autocomplete_fields = ("parent", "lead_organisation")
    readonly_fields = ("follow_up",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")

    def get_search_results(self, request, queryset, search_term):
        # “1.2” finds the item coded 1.2 and those under it.
        term = search_term.strip()
        if term and term.replace(".", "").isdigit():
            return queryset.filter(Q(code=term) | Q(code__startswith=f"{term}.")), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("Follow-up"))
    def follow_up(self, obj):
        if not obj or not obj.pk:
            return _("Save first.")
        return follow_up_panel(
            links=obj.links.select_related("conclusion", "group", "focus_area"),
            add_links=[
                (
                    _("Add a conclusion taken up here"),
                    "link",
                    {"kind": LinkKind.TAKEN_UP, "plan_item": obj.pk},
                )
            ],
            updates=obj.updates.order_by("-date", "-pk"),
            add_update={"item": obj.pk},
        )


# --- Links and updates ----------------------------------------------------------------


class StateActionsMixin(TransitionActionsMixin):
    """The state changes, as list actions checked by role (follow_up_workflow)."""

    actions = ("submit_for_review", "return_to_draft", "publish", "withdraw")
    readonly_fields = ("state", "published_at")

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # one by one, each checked
        return found

    def has_add_permission(self, request, obj=None):
        return permissions.may(request.user, permissions.Action.EDIT)

    def has_change_permission(self, request, obj=None):
        return workflow.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.may_change(request.user, obj)

    def save_model(self, request, obj, form, change):
        workflow.save(obj=obj, user=request.user)

    def transition_one(self, request, obj, name):
        return workflow.transition(obj=obj, user=request.user, name=name)

    def transition_message(self, obj):
        return _("“%(item)s” is now %(state)s.") % {"item": obj, "state": obj.get_state_display()}

    def refusal_message(self, obj, message):
        return f"{obj}: {message}"


@admin.register(Link)
class LinkAdmin(
    StateActionsMixin, ProgrammeScopedMixin, SafeChangelistMixin, VersionAdmin, TranslationAdmin
):
    """What came of a conclusion (or a group, or a focus area). The plan item and later
    conclusion boxes search by words or code."""

    programme_path = (
        "conclusion__group__session__event__programme_id",
        "group__session__event__programme_id",
        "focus_area__programme_id",
    )
    list_display = ("__str__", "origin_text", "target_text", "state", "created_by")
    list_filter = ("state", "kind")
    list_select_related = (
        "conclusion",
        "group__focus_area",
        "focus_area",
        "plan_item__plan",
        "later_conclusion",
        "created_by",
    )
    search_fields = ("note_ind", "note_en", "conclusion__text_ind", "plan_item__code")
    autocomplete_fields = ("conclusion", "group", "focus_area", "plan_item", "later_conclusion")
    readonly_fields = ("state", "published_at", "created_by")
    fieldsets = (
        (None, {"fields": (("state", "published_at"), "created_by")}),
        (
            _("From"),
            {
                "fields": ("conclusion", "group", "focus_area"),
                "description": _("One of them: a conclusion, a whole group, or a focus area."),
            },
        ),
        (
            _("What came of it"),
            {"fields": ("kind", "plan_item", "later_conclusion", "date", "note", "source_url")},
        ),
    )

    @admin.display(description=_("from"))
    def origin_text(self, obj):
        return str(obj.origin)

    @admin.display(description=_("to"))
    def target_text(self, obj):
        return str(obj.plan_item or obj.later_conclusion or "—")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(
    StateActionsMixin, ProgrammeScopedMixin, SafeChangelistMixin, VersionAdmin, TranslationAdmin
):
    """One small form: the item, a date, a status (with a percentage when in
    progress), a note, and the evidence."""

    programme_path = "item__plan__programme_id"
    list_display = ("__str__", "item", "status", "percent", "state", "entered_by")
    list_filter = ("state", "status")
    list_select_related = ("item__plan", "entered_by")
    search_fields = ("item__code", "item__title_ind", "note_ind")
    autocomplete_fields = ("item",)
    readonly_fields = ("state", "published_at", "entered_by")
    fields = (
        ("state", "published_at", "entered_by"),
        "item",
        ("date", "status", "percent"),
        "note",
        ("evidence_file", "evidence_url"),
    )


# --- The panel on a conclusion's (and a plan item's) admin page --------------------


def _admin_url(name, query):
    return f"{reverse(f'admin:follow_up_{name}_add')}?{urlencode(query)}"


def follow_up_panel(*, links, add_links, updates=None, add_update=None):
    """The links (and status updates) of a conclusion or plan item, each linking to its
    own page, and the buttons that add one with the form filled in."""
    rows = format_html_join(
        "",
        '<li><a href="{}">{}</a> → {} <span class="follow-up-state">({})</span></li>',
        (
            (
                reverse("admin:follow_up_link_change", args=[link.pk]),
                link,
                link_target(link),
                link.get_state_display(),
            )
            for link in links
        ),
    )
    parts = [format_html('<ul class="follow-up-links">{}</ul>', rows)] if rows else []
    buttons = [
        format_html('<a class="button" href="{}">{}</a>', _admin_url(name, query), label)
        for label, name, query in add_links
    ]
    if updates is not None:
        update_rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="follow-up-state">({})</span></li>',
            (
                (
                    reverse("admin:follow_up_statusupdate_change", args=[u.pk]),
                    u,
                    u.get_state_display(),
                )
                for u in updates
            ),
        )
        if update_rows:
            parts.append(format_html('<ul class="follow-up-updates">{}</ul>', update_rows))
        buttons.append(
            format_html(
                '<a class="button" href="{}">{}</a>',
                _admin_url("statusupdate", add_update),
                _("Add a status update"),
            )
        )
    return format_html(
        "{}<p>{}</p>",
        format_html_join("", "{}", ((p,) for p in parts)),
        format_html_join(" ", "{}", ((b,) for b in buttons)),
    )


@admin.display(description=_("Follow-up (tindak lanjut)"))
def conclusion_follow_up(admin_self, obj):
    """For ConclusionAdmin: this conclusion's links, and buttons to add one (the form
    opens with the conclusion chosen; its boxes search plan items and later
    conclusions by words or code)."""
    if not obj or not obj.pk:
        return _("Save first.")
    links = Link.objects.filter(Q(conclusion=obj) | Q(later_conclusion=obj)).select_related(
        "conclusion", "plan_item__plan", "later_conclusion"
    )
    return follow_up_panel(
        links=links,
        add_links=[
            (
                _("Taken up in a plan item"),
                "link",
                {"conclusion": obj.pk, "kind": LinkKind.TAKEN_UP},
            ),
            (
                _("Carried to a later conclusion"),
                "link",
                {"conclusion": obj.pk, "kind": LinkKind.REFINED},
            ),
            (_("Not taken up"), "link", {"conclusion": obj.pk, "kind": LinkKind.NOT_TAKEN_UP}),
        ],
    )


def link_target(link):
    """What a link points to: its plan item or later conclusion; for a link from a
    conclusion carried to this one, the earlier conclusion."""
    return link.plan_item or link.later_conclusion or link.origin
