"""Rendering of staff-entered text. Everything goes through the nh3 sanitiser."""

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br"}


def render_text(value: str) -> SafeString:
    """Plain text with paragraphs and line breaks, as sanitised HTML."""
    if not value:
        return mark_safe("")
    html = linebreaks(escape(value))
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}))
