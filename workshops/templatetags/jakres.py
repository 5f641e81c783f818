"""Template helpers for bilingual content, sanitised text and machine-readable data."""

import datetime
import functools
import json
import re

from django import template
from django.conf import settings
from django.template.defaultfilters import date
from django.urls import translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.html import conditional_escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jakres.core.languages import column
from jakres.core.text import render_text

register = template.Library()

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def translated(obj, field: str):
    """(text, language of that text, fell back?) for the active language."""
    language = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    text = getattr(obj, column(field, language), None)
    if text:
        return text, language, False
    source = getattr(obj, column(field, SOURCE_LANGUAGE), None) or ""
    return source, SOURCE_LANGUAGE, language != SOURCE_LANGUAGE and bool(source)


def fallback_marker():
    return format_html(
        ' <span class="fallback-marker">({})</span>',
        _("not yet translated, shown in Indonesian"),
    )


@register.filter
def tr(obj, field):
    """`{{ event|tr:"title" }}`: a translated field, inline. A missing English text
    shows the Indonesian, in a span with lang="id" and a visible marker."""
    return _translated_html(obj, field, block=False)


@register.filter
def tr_text(obj, field):
    """`{{ programme|tr_text:"introduction" }}`: a translated plain-text field, inline,
    with only &, < and > escaped (quotes need none in element content)."""
    text, language, fell_back = translated(obj, field)
    body = mark_safe(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    if not fell_back or not text:
        return body
    return format_html('<span lang="{}">{}</span>{}', language, body, fallback_marker())


@register.filter
def tr_words(obj, field):
    """`{{ conclusion|tr_words:"text" }}`: |tr of the text's first 30 words (as
    |truncatewords:30 cuts); `"text:20"`, its first 20. Cut before a fallback's span and
    marker are added: cut after, the cut fell inside them and left a tag open
    (`<span …</a>`)."""
    field, _colon, count = field.partition(":")
    text, language, fell_back = translated(obj, field)
    text = Truncator(text).words(int(count or 30), truncate=" …") if text else ""
    if not fell_back:
        return text
    return format_html('<span lang="{}">{}</span>{}', language, text, fallback_marker())


@register.filter
def tr_block(obj, field):
    """`{{ event|tr_block:"summary" }}`: a translated Markdown field, as sanitised HTML."""
    return _translated_html(obj, field, block=True)


def _translated_html(obj, field, block):
    text, language, fell_back = translated(obj, field)
    if not text:
        return ""
    if block:
        body = render_text(text)
        if not fell_back:
            return body
        return format_html(
            '<div lang="{}" class="fallback">{}</div><p class="fallback-note">{}</p>',
            language,
            body,
            fallback_marker(),
        )
    if not fell_back:
        return text
    return format_html('<span lang="{}">{}</span>{}', language, text, fallback_marker())


@register.simple_tag(takes_context=True)
def alternate_urls(context, keep_query=False):
    """[(language code, language name, URL of this page in that language)].

    The language switch keeps the query (a search stays a search); the hreflang
    links in the head name the page alone.
    """
    request = context.get("request")
    if request is None:
        return []
    path = local_path(request.path)
    query = request.META.get("QUERY_STRING", "") if keep_query else ""
    if query:
        path = f"{path}?{iri_to_uri(query)}"
    return [(code, name, local_url(path, code)) for code, name in settings.LANGUAGES]


def local_path(path):
    """The request's path as a single-slash local path: `//evil.example/x` (which a
    browser reads as another host) becomes `/evil.example/x`, and a backslash, which
    browsers read as a slash, is percent-encoded."""
    return _SLASHES.sub("/", "/" + escape_uri_path(path))


def local_url(path, language):
    url = translate_url(path, language)
    # Belt and braces: only ever a path on this site.
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return translate_url("/", language)


_SLASHES = re.compile(r"/{2,}")


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """A schema.org data block. It is data, not script, so a strict CSP allows it."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter(expects_localtime=True)
def day(value, arg):
    """`{{ event.start_date|day:"j F Y" }}`: |date for a day (a date, not a datetime),
    formatted once per day, format and language in a process, not on every row of a
    list (the month names are the language's). Anything else goes to |date."""
    if type(value) is not datetime.date:
        return date(value, arg)
    return _formatted_day(value, arg, get_language())


@functools.lru_cache(maxsize=4096)
def _formatted_day(value, arg, language):
    return date(value, arg)


@register.filter
def status_badge(shown):
    """`{{ item.shown|status_badge }}`: an item's shown status (selectors.Shown), as
    follow_up/status.html writes it (that template is this filter). A plan lists every
    item with its status: an include per item costs a context and a render each. Its
    days are formatted by |day (once per day and language)."""
    if shown.key == "no_news":
        since = _("no news since %(date)s") % {"date": conditional_escape(day(shown.date, "j F Y"))}
        return format_html('<span class="status status-{}">{}</span>', shown.key, mark_safe(since))
    parts = [conditional_escape(shown.label)]
    if shown.percent is not None:
        parts.append(f" ({shown.percent}%)")
    if shown.date:
        parts.append(
            format_html(
                ', <time datetime="{}">{}</time>',
                day(shown.date, "Y-m-d"),
                day(shown.date, "j F Y"),
            )
        )
    return format_html(
        '<span class="status status-{}">{}</span>', shown.key, mark_safe("".join(parts))
    )


@register.filter
def answer(link):
    """`{{ link|answer }}`: a link on its plan item's page (planitem_detail.html): the
    conclusion (its number, text, event and day), or the group or focus area it was made
    on, and the day it was linked. Written here, not in the template: an item lists 50
    a page, and the template's look-ups, filters and translations cost much more a line."""
    if link.conclusion_id:
        conclusion = link.conclusion
        event = conclusion.group.session.event
        origin = format_html(
            '<span class="conclusion-number">{}</span> <a href="{}">{}</a> — {}, '
            '<time datetime="{}">{}</time>',
            conclusion.label,
            conclusion.get_absolute_url(),
            tr_words(conclusion, "text"),
            tr(event, "title"),
            day(event.start_date, "Y-m-d"),
            day(event.start_date, "j F Y"),
        )
    elif link.group_id:
        group = link.group
        origin = format_html(
            '<a href="{}">{}, {}</a> — {}',
            group.get_absolute_url(),
            mark_safe(_("Group %(number)s") % {"number": conditional_escape(group.number)}),
            tr(group.focus_area, "title"),
            tr(group.session.event, "title"),
        )
    else:
        area = link.focus_area
        origin = format_html('<a href="{}">{}</a>', area.get_absolute_url(), tr(area, "title"))
    linked = _("linked %(date)s") % {"date": conditional_escape(day(link.date, "j F Y"))}
    return format_html("{}\n      ({})", origin, mark_safe(linked))


@register.filter
def listed_conclusion(conclusion):
    """`{{ conclusion|listed_conclusion }}`: a conclusion on the follow-up list (its
    number, text, event, day and focus area, and its latest outcome), as the loop of
    followup_list.html and its follow_up/outcome.html include wrote it (this filter is
    them). The list shows 20 a page: the template's look-ups, includes and translations
    cost much more a line. Reads a ListedConclusion (workshops.site.follow_up_views) and
    its ListedOutcome (follow_up.selectors): plain values, no model instances."""
    event = conclusion.event
    latest = conclusion.latest_outcome
    return format_html(
        '\n    <li>\n      <span class="conclusion-number">{}</span> <a href="{}">{}</a>\n'
        '      <p class="event-meta">{}, <time datetime="{}">{}</time> · {}</p>\n'
        '      <p class="latest-outcome">{} {}</p>\n    </li>\n  ',
        conclusion.label,
        conclusion.url,
        tr_words(conclusion, "text"),
        tr(event, "title"),
        day(event.start_date, "Y-m-d"),
        day(event.start_date, "j F Y"),
        mark_safe(
            _("Focus area %(number)s") % {"number": conditional_escape(conclusion.area_number)}
        ),
        _("Latest:"),
        _outcome_line(latest) if latest else _("No follow-up recorded yet"),
    )


def _outcome_line(link):
    """A listed outcome as follow_up/outcome.html writes a link (its trailing newline
    too, and status.html's after a status)."""
    if link.kind == "taken_up":
        item = link.plan_item
        line = format_html(
            '{} <a href="{}">{}, {} {}</a>',
            _("Taken up in"),
            item.url,
            tr(item.plan, "title"),
            item.code,
            tr(item, "title"),
        )
        if link.shown:
            line = format_html("{} — {}\n", line, status_badge(link.shown))
    elif link.kind == "not_taken_up":
        line = conditional_escape(_("Not taken up"))
    else:
        later = link.later_conclusion
        line = format_html(
            '{}: <a href="{}">{}, <span class="conclusion-number">{}</span></a> '
            '(<time datetime="{}">{}</time>)',
            link.kind_label,
            later.url,
            tr(later.event, "title"),
            later.label,
            day(later.event.start_date, "Y-m-d"),
            day(later.event.start_date, "j F Y"),
        )
    if link.group_id:
        scope = format_html(' <span class="outcome-scope">({})</span>', _("for the whole group"))
    elif link.focus_area_id:
        scope = format_html(
            ' <span class="outcome-scope">({})</span>', _("for the whole focus area")
        )
    else:
        scope = ""
    return format_html("{}{}\n", line, scope)


@register.filter
def conclusion_list(conclusions):
    """`{{ group.conclusion_tree|conclusion_list }}`: a group's conclusions (from
    DiscussionGroup.conclusion_tree: each with `.sub_points`), numbered, each with its
    permalink and, where `.has_trail` is set, its "Follow-up" link. Written here, not in
    a template: the proceedings and a focus area list a hundred conclusions a page, and
    the template's look-ups, filters and translations per conclusion cost more than the
    rest of the page."""
    link_to = conditional_escape(_("Link to conclusion"))
    follow_up = conditional_escape(_("Follow-up"))
    of_conclusion = conditional_escape(_("of conclusion"))

    def trail(conclusion, url, label):
        if not getattr(conclusion, "has_trail", False):
            return ""
        return (
            f'<a class="trail-link" href="{url}#tindak-lanjut">{follow_up}'
            f'<span class="visually-hidden"> {of_conclusion} {label}</span></a>'
        )

    parts = ['<ol class="conclusions">\n  ']
    for conclusion in conclusions:
        label = conditional_escape(conclusion.label)
        url = conditional_escape(conclusion.get_absolute_url())
        parts.append(
            f'\n  <li id="{conditional_escape(conclusion.anchor)}" class="conclusion">\n'
            f'    <span class="conclusion-number">{label}</span>\n'
            f'    <div class="conclusion-body">\n'
            f"      {conditional_escape(tr(conclusion, 'text'))}\n"
            f'      <a class="permalink" href="{url}"><span class="visually-hidden">'
            f"{link_to} {label}</span></a>\n"
            f"      {trail(conclusion, url, label)}\n      "
        )
        if conclusion.sub_points:
            parts.append('\n      <ul class="sub-points">\n        ')
            for point in conclusion.sub_points:
                point_label = conditional_escape(point.label)
                point_url = conditional_escape(point.get_absolute_url())
                point_trail = trail(point, point_url, point_label)
                parts.append(
                    f'\n        <li id="{conditional_escape(point.anchor)}" '
                    f'class="conclusion sub-point"><span class="conclusion-number">'
                    f'{point_label}</span> <span class="conclusion-body">'
                    f"{conditional_escape(tr(point, 'text'))} "
                    f'<a class="permalink" href="{point_url}"><span class="visually-hidden">'
                    f"{link_to} {point_label}</span></a>"
                    f"{' ' + point_trail if point_trail else ''}</span></li>\n        "
                )
            parts.append("\n      </ul>\n      ")
        parts.append("\n    </div>\n  </li>\n  ")
    parts.append("\n</ol>\n")
    return mark_safe("".join(parts))
