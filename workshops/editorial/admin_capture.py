"""Live capture in the admin: the event's "Rapporteur links" (issue, revoke, re-issue,
valid until), the printable QR sheet, and the review of what the groups captured
(history, edit, accept into the event's conclusions). Separate admin views, linked
from the event's page (templates/admin/workshops/event/change_form.html)."""

import datetime

import segno
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capture import services
from capture.fields import TextField
from capture.models import CapturedPoint, CaptureLink
from workshops.editorial import permissions
from workshops.editorial.admin_base import SafeChangelistMixin
from workshops.editorial.capture_review import accept_sheet, may_capture
from workshops.models import Event


class ExpiryForm(forms.Form):
    expires_at = forms.DateTimeField(
        label=gettext_lazy("Valid until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        if value > timezone.now() + datetime.timedelta(days=30):
            raise forms.ValidationError(_("A link can be valid for 30 days at most."))
        return value


class StaffEditForm(forms.Form):
    text = TextField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    base_version = forms.IntegerField(widget=forms.HiddenInput)


@admin.register(CaptureLink)
class CaptureLinkAdmin(SafeChangelistMixin, admin.ModelAdmin):
    """Not listed in the admin's index: staff reach these views from an event."""

    def has_module_permission(self, request):
        return False

    def get_model_perms(self, request):
        return {}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("event/<int:event_id>/", view(self.links_view), name="capture_links"),
            path("event/<int:event_id>/print/", view(self.print_view), name="capture_print"),
            path("event/<int:event_id>/review/", view(self.review_view), name="capture_review"),
            path("point/<int:point_id>/", view(self.point_view), name="capture_point"),
        ]

    # --- Who may ---------------------------------------------------------------------

    def _event(self, request, event_id, *, open_only=True):
        event = get_object_or_404(
            permissions.events_of(request.user, Event.objects.all()), pk=event_id
        )
        if not permissions.may(request.user, permissions.Action.EDIT, event):
            raise PermissionDenied
        if open_only and not may_capture(request.user, event):
            # The account may edit the event: what stands in the way is its state.
            raise PermissionDenied(_("Live capture is only for drafts and events in review."))
        return event

    def _context(self, request, event, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "event": event,
            "opts": Event._meta,
            "may_capture": may_capture(request.user, event),
        }

    # --- Links ---------------------------------------------------------------------

    def links_view(self, request, event_id):
        event = self._event(request, event_id, open_only=request.method == "POST")
        form = ExpiryForm(initial={"expires_at": services.default_expiry(event)})
        if request.method == "POST":
            form, done = self._links_post(request, event)
            if done:
                return redirect("admin:capture_links", event_id=event.pk)
        links = CaptureLink.objects.filter(event=event).select_related("group__focus_area")
        context = self._context(request, event, _("Rapporteur links"))
        context.update(
            form=form,
            links=[(link, request.build_absolute_uri(link.get_absolute_url())) for link in links],
            now=timezone.now(),
        )
        return TemplateResponse(request, "admin/capture/links.html", context)

    def _links_post(self, request, event):
        action = request.POST.get("action")
        if action == "issue":
            form = ExpiryForm(request.POST)
            if not form.is_valid():
                return form, False
            services.issue_links(
                event=event, user=request.user, expires_at=form.cleaned_data["expires_at"]
            )
            messages.success(request, _("Every group has an active link."))
            return form, True
        link = get_object_or_404(CaptureLink, pk=_number(request.POST.get("link")), event=event)
        if action == "revoke":
            services.revoke_link(link=link)
            messages.success(request, _("The link no longer works."))
        elif action == "reissue":
            services.reissue_link(link=link, user=request.user)
            messages.success(request, _("A new link replaces the old one, which no longer works."))
        return None, True

    def print_view(self, request, event_id):
        event = self._event(request, event_id)
        links = (
            CaptureLink.objects.filter(event=event)
            .active()
            .select_related("group__focus_area")
            .order_by("kind", "group__number")
        )
        sheets = []
        for link in links:
            url = request.build_absolute_uri(link.get_absolute_url())
            qr = segno.make(url, error="m").svg_inline(scale=5, omitsize=True, title=str(link))
            sheets.append({"link": link, "url": url, "qr": qr})
        context = self._context(request, event, _("Rapporteur links to print"))
        context["sheets"] = sheets
        return TemplateResponse(request, "admin/capture/print.html", context)

    # --- Review ----------------------------------------------------------------------

    def review_view(self, request, event_id):
        event = self._event(request, event_id, open_only=request.method == "POST")
        if request.method == "POST":
            try:
                created = accept_sheet(
                    sheet_id=_number(request.POST.get("sheet")), user=request.user
                )
            except PermissionDenied as refusal:
                messages.error(request, str(refusal) or _("You are not allowed to do this."))
            else:
                messages.success(
                    request,
                    _("%(count)s conclusions are now the group's, in the event's draft.")
                    % {"count": len(created)},
                )
            return redirect("admin:capture_review", event_id=event.pk)
        sheets = services.event_sheets(event.pk)
        points = {sheet.pk: [] for sheet in sheets}
        for point in CapturedPoint.objects.filter(sheet__in=list(points)):
            points[point.sheet_id].append(point)
        revisions = _revisions(points)
        groups = []
        for sheet in sheets:
            top, removed = services.arrange(points[sheet.pk])
            for point in points[sheet.pk]:
                point.history = revisions.get(point.pk, [])
            groups.append({"sheet": sheet, "points": top, "removed": removed})
        context = self._context(request, event, _("Captured conclusions"))
        context["groups"] = groups
        return TemplateResponse(request, "admin/capture/review.html", context)

    def point_view(self, request, point_id):
        point = get_object_or_404(
            CapturedPoint.objects.select_related("sheet__group__focus_area"), pk=point_id
        )
        event = self._event(request, point.sheet.event_id)
        form = StaffEditForm(initial={"text": point.text, "base_version": point.version})
        conflict = None
        if request.method == "POST":
            form = StaffEditForm(request.POST)
            if form.is_valid():
                try:
                    services.edit_point(
                        sheet=point.sheet, point_id=point.pk, text=form.cleaned_data["text"],
                        author=_staff_name(request.user),
                        base_version=form.cleaned_data["base_version"],
                    )  # fmt: skip
                except services.EditConflict as error:
                    conflict = error.point
                    form = StaffEditForm(
                        initial={
                            "text": form.cleaned_data["text"],
                            "base_version": conflict.version,
                        }
                    )
                else:
                    messages.success(request, _("The captured text was changed."))
                    return redirect("admin:capture_review", event_id=event.pk)
        context = self._context(request, event, _("Edit a captured point"))
        context.update(point=point, form=form, conflict=conflict)
        return TemplateResponse(request, "admin/capture/point.html", context)


def _revisions(points):
    from capture.models import CapturedRevision

    ids = [point.pk for sheet_points in points.values() for point in sheet_points]
    found = {}
    for revision in CapturedRevision.objects.filter(point_id__in=ids):
        found.setdefault(revision.point_id, []).append(revision)
    return found


def _staff_name(user):
    return (user.get_full_name() or user.get_username())[:70] + " (staf)"


def _number(value):
    return int(value) if str(value or "").isdigit() else None
