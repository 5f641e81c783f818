"""The secret-link pages. Their paths start with the prefixes that
jakres/core/scrub.py scrubs from logs and the page cache never looks up
(tests/test_capture_safety.py checks that every one of them does)."""

from django.urls import path

from capture.room import views

app_name = "capture"

urlpatterns = [
    path("tulis/<str:token>/", views.rapporteur, name="rapporteur"),
    path("pleno/<str:token>/", views.plenary, name="plenary"),
    path("pleno/<str:token>/data.json", views.plenary_data, name="plenary_data"),
]
