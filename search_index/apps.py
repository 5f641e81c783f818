from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchIndexConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search_index"
    verbose_name = _("Search index")

    def ready(self):
        from search_index.indexing import connect_signals

        connect_signals()
