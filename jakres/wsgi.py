import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakres.settings.production")

# Cached public pages and 304s are answered before Django builds a request; a miss
# reaches Django with the lookup's outcome, so each request reads the cache once.
from jakres.core.cache import PageCacheWSGIApp

application = PageCacheWSGIApp(get_wsgi_application())
