"""Rendering of staff-entered text: Markdown, then the nh3 sanitiser's allowlist.

Whatever staff type (or paste), only these tags and attributes reach a page:
no scripts, no event handlers, no iframes, no styles, and links only to
http, https and mailto addresses.

Rendering takes time and memory in proportion to the text, whatever the text:

- The Markdown parser is pulldown-cmark (through pyromark), which parses CommonMark
  in linear time; single line breaks become <br> (as "nl2br" did before).
- The sanitiser's HTML parser (html5ever) slows down with the square of the depth of
  open elements, so the depth is bounded before it runs: a text whose lists or quotes
  nest deeper than MAX_BLOCK_DEPTH, or that is longer than MAX_MARKDOWN_CHARS, is shown
  as plain escaped paragraphs; a text with more than MAX_RAW_HTML_TAGS "<" characters
  has its HTML shown as text rather than parsed.
- Markup that would make the rest of a text disappear (an unclosed <style>, <script>,
  <textarea>, comment, ...) is shown as text instead.
- Rendered texts are cached per process, up to RENDER_CACHE_BYTES in all.
"""

import html
import re
import sys
import threading
from collections import OrderedDict

import nh3
import pyromark
from django.db import models
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "a", "abbr", "sub", "sup", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

MAX_MARKDOWN_CHARS = 50_000  # longer texts are shown as plain paragraphs
MAX_BLOCK_DEPTH = 32  # lists and quotes nested deeper: plain paragraphs
MAX_RAW_HTML_TAGS = 256  # more "<" than this: all of them are shown as text
MAX_TAG_CHARS = 1_000  # a longer (or unfinished) HTML tag is shown as text
RENDER_CACHE_BYTES = 8 * 1024 * 1024
RENDER_CACHE_ENTRY_BYTES = 256 * 1024  # larger renderings are not cached

# --- Bidirectional controls ----------------------------------------------------------

# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and the invisible
# direction marks (LRM, RLM, ALM). Nothing in these texts needs them, and they can make
# a title or a name read differently from what is stored ("Trojan Source" spoofing).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))


def clean_single_line(value: str) -> str:
    """A title, name or caption without bidirectional control characters."""
    return value.translate(_NO_BIDI)


def strip_bidi_controls(sender, instance, **kwargs):
    """pre_save: every CharField of a content model (each language's column too) loses
    its bidirectional controls, whether saved from the admin, an import or the shell."""
    # Through __dict__, not getattr: the descriptor of a translated field (title) reads
    # and writes the active language's column (title_ind, title_en), which are cleaned
    # as fields of their own.
    values = instance.__dict__
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField):
            value = values.get(field.attname)
            if isinstance(value, str):
                values[field.attname] = clean_single_line(value)


# --- Markdown ----------------------------------------------------------------------

# A private-use character stands for a "<" that must stay text: Markdown sees an
# ordinary character (in text and in code alike), and it becomes "&lt;" afterwards.
_LT = "\ue000"
_WS = "\t\n\f "
# Elements whose content the HTML parser swallows up to their end tag (or to the end).
_SWALLOWING = re.compile(
    r"/?(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext"
    r"|template)(?![^\t\n\f />])",
    re.IGNORECASE,
)
# One tag, read the way the HTML tokenizer reads it (possessive: linear, no backtracking).
_TAG = re.compile(
    rf"</?[A-Za-z][^{_WS}/>]*+"
    rf"(?:[{_WS}/]++"  # whitespace and stray slashes
    rf"|[^{_WS}/>][^{_WS}/>=]*+"  # an attribute name, then its value (if any)
    rf"(?:[{_WS}]*+=[{_WS}]*+(?:\"[^\"]*+\"|'[^']*+'|[^{_WS}>\"'][^{_WS}>]*+|(?=>))"
    rf"|(?![{_WS}]*+=))"
    rf")*+>"
)
_BLOCK_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_BLOCK_DEPTH // 2},}}", re.MULTILINE)
_LIST_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*+\n)++")


def _too_deep(value):
    """Could the lists and quotes of this text nest deeper than MAX_BLOCK_DEPTH?

    A container opens on a line whose start holds its marker ("> ", "- ", "1. ") or its
    indentation (two columns at least per list level), so each line's leading markers
    and indentation bound the depth. Only lines with a long start are looked at.
    """
    for match in _BLOCK_PREFIX.finditer(value):
        start = match.group()
        depth = (
            start.count(">")
            + len(_LIST_MARKER.findall(start))
            + (start.count(" ") + 4 * start.count("\t")) // 2
        )
        if depth > MAX_BLOCK_DEPTH:
            return True
    return False


def _neutralise_html(value):
    """Mark as text every "<" whose HTML would hide what follows it.

    (Each "<" may be the start of raw HTML, which Markdown passes on unchanged.)
    """
    if value.count("<") > MAX_RAW_HTML_TAGS:
        return value.replace("<", _LT)
    comments_end = value.rfind("-->")
    out, last = [], 0
    pos = value.find("<")
    while pos != -1:
        after = value[pos + 1 : pos + 2]
        if value.startswith("<!--", pos):
            keep = comments_end >= pos + 2  # "-->" follows (closes "<!-->" too)
        elif _SWALLOWING.match(value, pos + 1):
            keep = False
        elif after.isascii() and (after.isalpha() or after == "/"):
            line_end = value.find("\n", pos)
            end = min(pos + MAX_TAG_CHARS, len(value) if line_end == -1 else line_end)
            keep = _TAG.match(value, pos, end) is not None  # ends on its own line
        else:
            keep = after not in ("!", "?")  # "<!x" and "<?" hide text up to the next ">"
        if not keep:
            out.append(value[last:pos])
            out.append(_LT)
            last = pos + 1
        pos = value.find("<", pos + 1)
    out.append(value[last:])
    return "".join(out)


def _plain(value):
    """The text as escaped paragraphs, its line breaks kept: no Markdown, no HTML."""
    paragraphs = _BLANK_LINES.split(value.strip("\n"))
    return "\n".join(
        "<p>" + html.escape(paragraph, quote=False).replace("\n", "<br>\n") + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def _render(value):
    value = clean_single_line(value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace(_LT, "")
    if len(value) > MAX_MARKDOWN_CHARS or _too_deep(value):
        return _plain(value)
    source = (_neutralise_html(value) + "\n").replace("\n", "  \n")  # line break: <br>
    try:
        rendered = pyromark.html(source)
    except UnicodeEncodeError:  # lone surrogates
        rendered = pyromark.html(source.encode("utf-8", "replace").decode("utf-8"))
    # The two spaces that made each line break a <br> stay where Markdown keeps text as
    # it is (code blocks, raw HTML, titles): take them out again.
    rendered = rendered.replace("  \n", "\n").replace(_LT, "&lt;")
    # A comment with no "-->" after it would hide the rest (e.g. one cut short by the
    # end of a quote): show it as text.
    cut = max(rendered.rfind("-->") - 1, 0)  # no "<!--" from here on is ever closed
    if rendered.find("<!--", cut) != -1:
        rendered = rendered[:cut] + rendered[cut:].replace("<!--", "&lt;!--")
    return nh3.clean(
        rendered.rstrip("\n"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- Cache ---------------------------------------------------------------------------


class RenderCache:
    """A least-recently-used cache bounded by the size of what it holds."""

    ENTRY_OVERHEAD = 200  # the dict slot and the tuple, roughly

    def __init__(self, max_bytes, max_entry_bytes):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.size_bytes = 0
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value):
        size = sys.getsizeof(key) + sys.getsizeof(value) + self.ENTRY_OVERHEAD
        if size > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, size)
            self.size_bytes += size
            while self.size_bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size_bytes -= dropped

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.size_bytes = 0


render_cache = RenderCache(RENDER_CACHE_BYTES, RENDER_CACHE_ENTRY_BYTES)


def render_text(value: str) -> SafeString:
    """Staff Markdown as safe HTML (the same text always gives the same HTML)."""
    if not value:
        return mark_safe("")
    cached = render_cache.get(value)
    if cached is None:
        cached = mark_safe(_render(value))
        render_cache.put(value, cached)
    return cached


render_text.cache_clear = render_cache.clear
