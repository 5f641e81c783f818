from django.urls import path
from django.views.decorators.http import require_safe

from workshops.site import views
from workshops.site.feeds import LatestEventsFeed

app_name = "workshops"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/feed/", require_safe(LatestEventsFeed()), name="event_feed"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path(
        "events/<slug:slug>/proceedings.json",
        views.EventExportView.as_view(),
        name="event_export",
    ),
    path("events/<slug:slug>/proceedings.pdf", views.EventPdfView.as_view(), name="event_pdf"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("guncangan-dan-tekanan/", views.HazardListView.as_view(), name="hazard_list"),
    path(
        "guncangan-dan-tekanan/<slug:slug>/",
        views.HazardDetailView.as_view(),
        name="hazard_detail",
    ),
]
