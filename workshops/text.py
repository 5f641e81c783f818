"""Rendering of staff-entered text: Markdown, then the nh3 sanitiser's allowlist.

Whatever staff type (or paste), only these tags and attributes reach a page:
no scripts, no event handlers, no iframes, no styles, and links only to
http, https and mailto addresses.
"""

import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "a", "abbr", "sub", "sup", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _markdown():
    # Building a Markdown converter is costly; keep one per thread and reset it.
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["sane_lists", "nl2br"], output_format="html"
        )
    return converter.reset()


@lru_cache(maxsize=4096)
def render_text(value: str) -> SafeString:
    """Staff Markdown as safe HTML (the same text always gives the same HTML)."""
    if not value:
        return mark_safe("")
    html = _markdown().convert(value)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)
