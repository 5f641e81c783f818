from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, RedirectView

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.models import Programme, default_programme
from workshops.site.follow_up_views import focus_area_summary


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

    def get_queryset(self):
        self.programme = programme_of(self.kwargs)
        return FocusArea.objects.filter(programme=self.programme)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class FocusAreaDetailView(DetailView):
    """A focus area, and every group's conclusions on it across events, newest first."""

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
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_queryset(self):
        return FocusArea.objects.filter(programme=self.programme).prefetch_related(
            Prefetch(
                "groups",
                queryset=DiscussionGroup.objects.published()
                .select_related("session__event")
                .prefetch_related(Prefetch("conclusions", Conclusion.objects.order_by("order")))
                .order_by("-session__event__start_date", "session__order", "number"),
                to_attr="published_groups",
            )
        )

    def get_context_data(self, **kwargs):
        chart = focus_area_summary(self.object, self.object.published_groups)
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
