from django.urls import path

from workshops.site import focus_area_views as views
from workshops.site.follow_up_views import ConclusionDetailView

app_name = "focus_areas"

urlpatterns = [
    path("focus-areas/", views.FocusAreaListView.as_view(), name="list"),
    path("focus-areas/<int:number>/", views.FocusAreaDetailView.as_view(), name="detail"),
    path(
        "programmes/<slug:programme>/focus-areas/",
        views.FocusAreaListView.as_view(),
        name="programme_list",
    ),
    path(
        "programmes/<slug:programme>/focus-areas/<int:number>/",
        views.FocusAreaDetailView.as_view(),
        name="programme_detail",
    ),
    path("groups/<slug:ref>/", views.GroupPermalinkView.as_view(), name="group_permalink"),
    path(
        "conclusions/<slug:ref>/",
        ConclusionDetailView.as_view(),
        name="conclusion_permalink",
    ),
]
