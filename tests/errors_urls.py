"""A URLconf for tests only: the public site plus a view that fails."""

from django.urls import path

from jakres.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug, for the 500 page test")


urlpatterns = [path("gagal/", failing_view), *site_urlpatterns]
