"""What every content app connects in its AppConfig.ready(): the models of a content
app hold proceedings, so a change to any of them makes the cached pages out of date
(cache.py), and their CharFields lose bidirectional controls (text.py)."""

from django.db.models.signals import pre_save

from jakres.core.cache import connect_content_models
from jakres.core.text import strip_bidi_controls


def connect_content_app(app_config):
    connect_content_models(app_config.get_models(include_auto_created=True))
    for model in app_config.get_models():
        pre_save.connect(
            strip_bidi_controls,
            sender=model,
            dispatch_uid=f"strip_bidi_controls:{model._meta.label}",
        )
