from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "follow_up"
    verbose_name = _("Follow-up (tindak lanjut)")

    def ready(self):
        from jakres.core.signals import connect_content_app

        connect_content_app(self)
