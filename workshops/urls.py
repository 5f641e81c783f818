from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
