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
        self.forget_default_programme_on_change()

    def forget_default_programme_on_change(self):
        from django.db.models.signals import post_delete, post_save

        from workshops.models import Programme, forget_default_programme

        for signal in (post_save, post_delete):
            signal.connect(
                forget_default_programme, sender=Programme, dispatch_uid=f"programme-{signal!r}"
            )
