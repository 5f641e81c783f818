"""Uploaded media served by Django itself (DEBUG only), with the headers that the web
server in front of production adds (docs/deploy.md): no stored file ever runs as a page
of the site.

- every response: `X-Content-Type-Options: nosniff` (the browser takes the type from
  the extension and never guesses HTML from the content) and
  `Content-Security-Policy: default-src 'none'; sandbox` (a file opened on its own can
  neither run script nor load anything);
- documents (`documents/…`): `Content-Disposition: attachment`, a download;
- photos (`photos/…`): shown inline.
"""

import posixpath
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import re_path
from django.utils.http import content_disposition_header
from django.views.static import serve

MEDIA_CSP = "default-src 'none'; sandbox"


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    # Judged on the path as serve() resolves it, so documents/../ cannot dodge it.
    if posixpath.normpath(path).lstrip("/").startswith("documents/"):
        response.headers["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(path)
        )
    return response


def media_urlpatterns():
    """The /media/ route (for DEBUG), like django.conf.urls.static.static() but safe."""
    prefix = settings.MEDIA_URL
    if not prefix or urlsplit(prefix).netloc:
        return []  # media on another host (S3, a CDN): nothing for Django to serve
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.*)$", serve_media, name="media")]
