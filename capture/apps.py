from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaptureConfig(AppConfig):
    """Live capture: rapporteurs write their group's conclusions during the event.

    Its rows are never public and never part of the page cache's content: nothing of
    them reaches a public page until staff accept them into the event's conclusions
    (focus_areas.Conclusion), which then follow the event's workflow."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "capture"
    verbose_name = _("Live capture")
