from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from workshops.site import follow_up_exports as exports
from workshops.site import follow_up_views as views
from workshops.site.feeds import StatusUpdatesFeed


class ItemCode:
    """A plan item's code: “1”, “1.2”, “1.2.3”."""

    regex = r"[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2}){0,2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ItemCode, "code")

app_name = "follow_up"

urlpatterns = [
    path("follow-up/", views.FollowUpListView.as_view(), name="index"),
    path("follow-up/feed/", require_safe(StatusUpdatesFeed()), name="feed"),
    path("follow-up/links.json", exports.LinksExportView.as_view(), name="links_export"),
    path("follow-up/plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan"),
    path("follow-up/plans/<slug:slug>/plan.json", exports.PlanExportView.as_view(), name="plan_export"),
    path("follow-up/plans/<slug:slug>/plan.csv", exports.PlanCsvView.as_view(), name="plan_csv"),
    path("follow-up/plans/<slug:slug>/<code:code>/", views.PlanItemDetailView.as_view(), name="item"),
]  # fmt: skip
