from django.views.generic import DetailView, TemplateView

from workshops.models import Event, Person


class HomeView(TemplateView):
    template_name = "workshops/home.html"


class EventDetailView(DetailView):
    queryset = Event.objects.published()


class PersonDetailView(DetailView):
    queryset = Person.objects.all()
