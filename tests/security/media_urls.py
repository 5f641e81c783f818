"""The site's URLs plus the media route that DEBUG adds, for the media-serving tests."""

from jakres.core.media import media_urlpatterns
from jakres.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, *media_urlpatterns()]
