from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]

# Indonesian pages have no prefix; English pages live under /en/.
urlpatterns += i18n_patterns(
    path("", include("workshops.urls")),
    path("", include("focus_areas.urls")),
    prefix_default_language=False,
)
