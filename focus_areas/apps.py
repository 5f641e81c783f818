from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusAreasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "focus_areas"
    verbose_name = _("Focus areas and group discussions")

    def ready(self):
        from focus_areas.hazard_matches import connect_signals
        from jakres.core.signals import connect_content_app

        connect_content_app(self)
        connect_signals()
