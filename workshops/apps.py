from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"
    verbose_name = _("Workshops and proceedings")

    def ready(self):
        from workshops.cache import connect_signals
        from workshops.versioning import register_models

        register_models()
        connect_signals()
