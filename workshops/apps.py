from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"
    verbose_name = _("Workshops and proceedings")

    def ready(self):
        from jakres.core.signals import connect_content_app
        from workshops.editorial.versioning import register_models

        register_models()
        connect_content_app(self)
