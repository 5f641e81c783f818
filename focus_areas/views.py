from django.views.generic import DetailView, RedirectView

from focus_areas.models import FocusArea


class FocusAreaDetailView(DetailView):
    queryset = FocusArea.objects.all()


class GroupPermalinkView(RedirectView):
    pass


class ConclusionPermalinkView(RedirectView):
    pass
