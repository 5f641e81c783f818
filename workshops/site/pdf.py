"""The proceedings of an event as a tagged PDF (PDF/UA-1), made by WeasyPrint from the
same content as the page: cover, contents with page numbers, sessions and speakers,
key points, shocks and stresses, the groups' numbered conclusions, documents as links,
and how to cite it.

A PDF is made on its first request and kept in the cache under the content version,
so any change to the proceedings makes the next request build a fresh one (as pages
are invalidated). Without a shared cache (development) it is made on every request.
WeasyPrint fetches nothing: the stylesheet is read from the repository and every other
URL is refused, so a link in staff text cannot make the server fetch it.
"""

import contextlib
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from jakres.core.cache import request_content_version

STYLESHEET = Path(settings.BASE_DIR) / "static" / "pdf" / "proceedings.css"
CACHE_SECONDS = 7 * 24 * 3600


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: the system lacks Pango (README, "The PDF")."""


def available():
    """Whether WeasyPrint can run (it needs the Pango library of the system)."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def _refuse(url, *args, **kwargs):
    raise ValueError(f"the proceedings PDF fetches nothing ({url[:80]})")


def cache_key(slug):
    """The PDF's key: its event, language and the content version (any change to the
    proceedings, publication and withdrawal included, makes a new version)."""
    version = request_content_version()
    digest = hashlib.sha256(f"{slug}|{get_language()}|{version}".encode()).hexdigest()[:32]
    return f"jakres:pdf:{digest}"


def cached_pdf(slug):
    """(bytes, key) of the PDF kept for this event, language and content version, or
    (None, key); (None, None) without a shared cache or when it does not answer."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None, None
    try:
        key = cache_key(slug)
        return cache.get(key), key
    except Exception:
        return None, None


def render_pdf(context, request):
    try:
        from weasyprint import CSS, HTML  # imported on first use: it loads Pango
    except OSError as error:
        raise PdfUnavailable(str(error)) from error

    html = render_to_string("workshops/proceedings_pdf.html", context, request=request)
    document = HTML(string=html, base_url=context["site_url"], url_fetcher=_refuse)
    return document.write_pdf(
        stylesheets=[CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_refuse)],
        pdf_variant="pdf/ua-1",
        pdf_identifier=hashlib.sha256(context["canonical_url"].encode()).hexdigest()[:32].encode(),
        uncompressed_pdf=False,
    )


def proceedings_pdf(key, context, request):
    """The PDF made from the context, and kept under `key` (when there is one)."""
    pdf = render_pdf(context, request)
    if key is not None:
        with contextlib.suppress(Exception):  # served all the same; made again next time
            cache.set(key, pdf, CACHE_SECONDS)
    return pdf
