"""Search across events, speakers' key points, group conclusions, shocks and stresses,
and people, through the search index (search_index/models.py).

PostgreSQL matches the stored vectors (the Indonesian text parsed as Indonesian, the
English as English; a query matches when all its words occur in either language),
shows a snippet of each result with the matched words marked (ts_headline), and, when
nothing matches, corrects a misspelt word to the closest word of the index (pg_trgm).
Other databases (the embedded SQLite) match every word case-insensitively and make the
snippet in Python. Results are counted per kind (true totals) and listed newest first:
a few of each kind, or one kind page by page.
"""

import math
import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search_index.indexing import MARKS
from search_index.models import Entry, EntryKind
from workshops.models import Appearance, EventStatus

MAX_WORDS = 12
PAGE_SIZE = 20
PREVIEW_SIZE = 5
SNIPPET_CHARACTERS = 220
TSQUERY = "(websearch_to_tsquery('indonesian'::regconfig, %s) || websearch_to_tsquery('english'::regconfig, %s))"
HEADLINE_OPTIONS = (
    f"StartSel={MARKS[0]}, StopSel={MARKS[1]}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass
class Hit:
    entry: Entry
    title: str
    snippet: str
    path: str
    fell_back: bool  # English page, text shown in Indonesian


@dataclass
class SearchResults:
    query: str
    kind: str = ""
    page: int = 1
    corrected: str = ""  # the query as corrected, when a word was misspelt
    counts: dict = field(default_factory=dict)  # kind → number of matches
    hits: list = field(default_factory=list)  # this page's, or every kind's first few

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def first_number(self):
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def pages(self):
        return max(1, math.ceil(self.counts.get(self.kind, 0) / PAGE_SIZE)) if self.kind else 1

    def kinds(self):
        """(kind, label, count) of every kind, in a fixed order."""
        return [(k.value, k.label, self.counts.get(k.value, 0)) for k in EntryKind]

    def groups(self):
        """(kind, label, count, hits) of each kind with hits, in a fixed order."""
        return [
            (value, label, count, [h for h in self.hits if h.entry.kind == value])
            for value, label, count in self.kinds()
            if count
        ]


def words_of(query: str) -> list[str]:
    """The words of a query: letters and digits only, at most MAX_WORDS of them."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


def _visible():
    """Entries of published events, and people who spoke at one."""
    spoke = Appearance.objects.filter(
        person=OuterRef("person"), session__event__status=EventStatus.PUBLISHED
    )
    return Entry.objects.filter(
        Q(event__status=EventStatus.PUBLISHED)
        | Q(event__isnull=True, kind=EntryKind.PERSON) & Exists(spoke)
    )


def _matching(words):
    entries = _visible()
    if connection.vendor == "postgresql":
        text = " ".join(words)
        matches = RawSQL(f"search_index_entry.vector @@ {TSQUERY}", (text, text), BooleanField())
        return entries.filter(matches)
    fields = ("title_ind", "title_en", "body_ind", "body_en")
    per_word = [
        reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields))
        for word in words
    ]
    return entries.filter(reduce(operator.and_, per_word))


def _counts(words):
    rows = _matching(words).values("kind").annotate(n=Count("id")).order_by()
    return {row["kind"]: row["n"] for row in rows}


def _corrected(words):
    """The words with each one the index lacks replaced by its closest word (PostgreSQL;
    one query), or None when no word could be corrected."""
    if connection.vendor != "postgresql":
        return None
    lowered = [w.lower() for w in words]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q.word, (SELECT w.word FROM search_index_word w WHERE w.word %% q.word "
            "ORDER BY similarity(w.word, q.word) DESC, w.word LIMIT 1) "
            "FROM unnest(%s::text[]) AS q(word) "
            "WHERE NOT EXISTS (SELECT 1 FROM search_index_word k WHERE k.word = q.word)",
            [lowered],
        )
        fixes = {word: best for word, best in cursor.fetchall() if best}
    if not fixes:
        return None
    return [fixes.get(w, w) for w in lowered]


def _page_of_entries(words, kind, page):
    entries = _matching(words).select_related("event")
    if kind:
        start = (page - 1) * PAGE_SIZE
        return list(
            entries.filter(kind=kind).order_by(F("date").desc(nulls_last=True), "id")[
                start : start + PAGE_SIZE
            ]
        )
    ranked = entries.annotate(
        place=Window(
            RowNumber(), partition_by="kind", order_by=[F("date").desc(nulls_last=True), "id"]
        )
    )
    return list(
        ranked.filter(place__lte=PREVIEW_SIZE).order_by(
            "kind", F("date").desc(nulls_last=True), "id"
        )
    )


def search(query: str, *, kind: str = "", page: int = 1, language: str = "id") -> SearchResults:
    results = SearchResults(query=query, kind=kind, page=page)
    words = words_of(query)
    if not words:
        return results
    results.counts = _counts(words)
    if not results.counts:
        corrected = _corrected(words)
        if corrected:
            results.counts = _counts(corrected)
            if results.counts:
                words, results.corrected = corrected, " ".join(corrected)
    if not results.counts or (kind and page > results.pages):
        return results
    entries = _page_of_entries(words, kind, page)
    results.hits = _hits(entries, words, language)
    return results


def _hits(entries, words, language):
    english = language == "en"
    snippets = _headlines(entries, words, english) if connection.vendor == "postgresql" else {}
    hits = []
    for entry in entries:
        body = entry.body_en if english and entry.body_en else entry.body_ind
        snippet = snippets.get(entry.pk) if snippets else _snippet(body, words)
        fell_back = english and bool(entry.body_ind) and not entry.body_en
        title = (entry.title_en if english else "") or entry.title_ind
        hits.append(
            Hit(
                entry,
                title,
                _marked(snippet or ""),
                entry.path_en if english else entry.path_ind,
                fell_back,
            )
        )
    return hits


def _headlines(entries, words, english):
    """{entry id: the body's best fragments with the matches marked}, in one query."""
    if not entries:
        return {}
    text = " ".join(words)
    column = "CASE WHEN body_en <> '' THEN body_en ELSE body_ind END" if english else "body_ind"
    config = "english" if english else "indonesian"
    headline = RawSQL(
        f"ts_headline('{config}'::regconfig, {column}, {TSQUERY}, %s)",
        (text, text, HEADLINE_OPTIONS),
    )
    rows = Entry.objects.filter(pk__in=[e.pk for e in entries]).annotate(headline=headline)
    return dict(rows.values_list("pk", "headline"))


def _snippet(body, words):
    """A window of the body around the first match, with every match marked (SQLite)."""
    lowered = body.lower()
    found = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    start = max(0, min(found) - 60) if found else 0
    window = body[start : start + SNIPPET_CHARACTERS]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{MARKS[0]}{m.group(0)}{MARKS[1]}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARACTERS < len(body) else ""
    return f"{prefix}{marked}{suffix}"


def _marked(snippet):
    """Escaped HTML of a snippet, with its marked words in <mark>."""
    html = escape(snippet).replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>")
    return mark_safe(html)
