"""People in the admin: a name like one already in the list is shown with that person,
to use instead; a Publisher merges people entered twice (issue 10, item 5)."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.admin import VersionAdmin

from workshops.editorial import permissions
from workshops.editorial.admin_base import RestoreFromEventOnlyMixin
from workshops.editorial.people import merge_people, similar_people
from workshops.models import Person


class PersonForm(forms.ModelForm):
    someone_else = forms.BooleanField(
        label=_("This is someone else: save as a new person"), required=False
    )

    similar = ()

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and self.instance.pk is None and not cleaned.get("someone_else"):
            self.similar = similar_people(name)
            if self.similar:
                raise ValidationError(
                    _(
                        "This name looks like a person already in the list (below): use "
                        "that person, or tick “This is someone else”."
                    ),
                    code="near_match",
                )
        return cleaned


@admin.register(Person)
class PersonAdmin(RestoreFromEventOnlyMixin, VersionAdmin, TranslationAdmin):
    form = PersonForm
    change_form_template = "admin/workshops/person/change_form.html"
    list_display = ("name", "short_name", "appearance_count")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge",)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and "someone_else" in fields:
            fields.remove("someone_else")
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(appearance_total=Count("appearances"))

    @admin.display(description=_("appearances"), ordering="appearance_total")
    def appearance_count(self, obj):
        return obj.appearance_total

    def get_urls(self):
        use = path(
            "<int:object_id>/use/",
            self.admin_site.admin_view(self.use_view),
            name="workshops_person_use",
        )
        return [use, *super().get_urls()]

    def use_view(self, request, object_id):
        """ "Use this person" from the add window of an event's speaker: the window
        closes and the speaker's field takes the person already in the list."""
        person = get_object_or_404(Person, pk=object_id)
        data = json.dumps({"value": str(person.pk), "obj": str(person)})
        return TemplateResponse(request, "admin/popup_response.html", {"popup_response_data": data})

    # Merging people entered twice: a Publisher's, with an intermediate page.

    def has_merge_permission(self, request):
        return permissions.may(request.user, permissions.Action.PUBLISH)

    @admin.action(description=_("Merge the selected people into one"), permissions=["merge"])
    def merge(self, request, queryset):
        people = list(queryset.order_by("-appearance_total", "name"))
        if len(people) < 2:
            self.message_user(request, _("Select at least two people to merge."), messages.ERROR)
            return None
        keep_pk = request.POST.get("keep")
        if keep_pk is None:
            return TemplateResponse(
                request,
                "admin/workshops/person/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Merge people"),
                    "people": people,
                    "opts": self.model._meta,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        keep = next((p for p in people if str(p.pk) == keep_pk), None)
        if keep is None:
            raise PermissionDenied  # a person not among those selected
        moved = merge_people(keep=keep, others=people, user=request.user)
        self.message_user(
            request,
            _("Merged into “%(name)s”: %(count)s appearances and attachments moved.")
            % {"name": keep.name, "count": moved},
            messages.SUCCESS,
        )
        return None
