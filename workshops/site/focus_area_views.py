from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, RedirectView

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.models import Programme, default_programme
from workshops.site.follow_up_views import focus_area_summary
from workshops.site.pagination import may_store_page, paginated

# Groups per page of a focus area (each with all its conclusions).
GROUPS_PER_PAGE = 8


def programme_of(kwargs):
    """The programme a focus-area URL names; the site's one for /focus-areas/…."""
    if "programme" in kwargs:
        return get_object_or_404(Programme, slug=kwargs["programme"])
    programme = default_programme()
    if programme is None:
        raise Http404
    return programme


class FocusAreaListView(ListView):
    """A programme's focus areas: the site's at /focus-areas/, another's at
    /programmes/<slug>/focus-areas/."""

    template_name = "focus_areas/focusarea_list.html"
    context_object_name = "focus_areas"

    def get(self, request, *args, **kwargs):
        if "programme" in kwargs and default_programme() == programme_of(kwargs):
            # The site's own programme has one address for it, as its areas do.
            return redirect("focus_areas:list", permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.programme = programme_of(self.kwargs)
        return FocusArea.objects.filter(programme=self.programme)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class FocusAreaDetailView(DetailView):
    """A focus area, and its groups' conclusions across events, newest first, a few
    groups per page."""

    template_name = "focus_areas/focusarea_detail.html"
    context_object_name = "focus_area"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get(self, request, *args, **kwargs):
        self.programme = programme_of(self.kwargs)
        self.object = self.get_object()
        self.object.programme = self.programme
        if request.path != self.object.get_absolute_url():  # e.g. /focus-areas/03/
            return redirect(self.object.get_absolute_url(), permanent=True)
        groups = (
            DiscussionGroup.objects.published()
            .filter(focus_area=self.object)
            .select_related("session__event")
            .order_by("-session__event__start_date", "session__order", "number")
        )
        page_obj = paginated(request, groups, GROUPS_PER_PAGE)
        page_obj.object_list = list(page_obj.object_list)
        prefetch_related_objects(
            page_obj.object_list, Prefetch("conclusions", Conclusion.objects.order_by("order"))
        )
        for group in page_obj.object_list:
            for conclusion in group.conclusions.all():
                # No "Follow-up" link on this page (the proceedings have them): said
                # here, as the template's look-up of a missing attribute costs a dir()
                # of the model per conclusion.
                conclusion.has_trail = False
        context = self.get_context_data(object=self.object, page_obj=page_obj)
        return may_store_page(request, self.render_to_response(context))

    def get_queryset(self):
        return FocusArea.objects.filter(programme=self.programme)

    def get_context_data(self, **kwargs):
        chart = focus_area_summary(self.object)
        return super().get_context_data(
            chart=chart, chart_height=max(26 * len(chart), 26), **kwargs
        )


class GroupPermalinkView(RedirectView):
    """/groups/<ref>/ → the group's place on its proceedings page."""

    def get_redirect_url(self, *args, **kwargs):
        group = get_object_or_404(
            DiscussionGroup.objects.published().select_related("session__event"), ref=kwargs["ref"]
        )
        return f"{group.session.event.get_absolute_url()}#{group.anchor}"
