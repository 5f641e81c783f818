from django.apps import AppConfig, apps
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

# Apps whose models hold proceedings content (their CharFields lose bidi controls).
CONTENT_APPS = ("workshops", "focus_areas")


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"
    verbose_name = _("Workshops and proceedings")

    def ready(self):
        from workshops.cache import connect_signals
        from workshops.text import strip_bidi_controls
        from workshops.versioning import register_models

        register_models()
        connect_signals()
        for label in CONTENT_APPS:
            for model in apps.get_app_config(label).get_models():
                pre_save.connect(
                    strip_bidi_controls,
                    sender=model,
                    dispatch_uid=f"strip_bidi_controls:{model._meta.label}",
                )
