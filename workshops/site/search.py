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
from django.db.models import BooleanField, Count, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search_index.indexing import MARKS
from search_index.models import Entry, EntryKind

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


def _matching(words):
    entries = Entry.objects.filter(public=True)
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


def _page_of_entries(words, kinds, page, language):
    """The entries to show: one kind's page, or the first few of each kind. The ids are
    chosen first, each kind newest first through its own index (a few rows read even
    when 15,000 match), then those rows are read, with their snippets on PostgreSQL."""
    newest = ("-date", "id")  # as the index on (kind, -date, id) of public entries
    matching = _matching(words)
    if len(kinds) == 1:
        start = (page - 1) * PAGE_SIZE
        ids = matching.filter(kind=kinds[0]).order_by(*newest).values_list("id", flat=True)
        ids = list(ids[start : start + PAGE_SIZE])
    elif connection.features.supports_slicing_ordering_in_compound:
        firsts = [
            matching.filter(kind=kind).order_by(*newest).values_list("id", flat=True)[:PREVIEW_SIZE]
            for kind in kinds
        ]
        ids = list(firsts[0].union(*firsts[1:], all=True))
    else:  # SQLite: one window over the matches
        ranked = matching.annotate(
            place=Window(RowNumber(), partition_by="kind", order_by=list(newest))
        )
        ids = list(ranked.filter(place__lte=PREVIEW_SIZE).values_list("id", flat=True))
    rows = Entry.objects.filter(id__in=ids).select_related("event").order_by("kind", *newest)
    if connection.vendor == "postgresql":
        rows = rows.annotate(headline=_headline(words, language == "en"))
    return list(rows)


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
    kinds = [kind] if kind else sorted(results.counts)
    entries = _page_of_entries(words, kinds, page, language)
    results.hits = _hits(entries, words, language)
    return results


def _hits(entries, words, language):
    english = language == "en"
    hits = []
    for entry in entries:
        body = entry.body_en if english and entry.body_en else entry.body_ind
        snippet = entry.headline if hasattr(entry, "headline") else _snippet(body, words)
        fell_back = english and bool(entry.body_ind) and not entry.body_en
        title = (entry.title_en if english else "") or entry.title_ind
        path = entry.path_en if english else entry.path_ind
        hits.append(Hit(entry, title, _marked(snippet or ""), path, fell_back))
    return hits


def _headline(words, english):
    """The body's best fragments with the matches marked (PostgreSQL's ts_headline)."""
    text = " ".join(words)
    column = "CASE WHEN body_en <> '' THEN body_en ELSE body_ind END" if english else "body_ind"
    config = "english" if english else "indonesian"
    return RawSQL(
        f"ts_headline('{config}'::regconfig, {column}, {TSQUERY}, %s)",
        (text, text, HEADLINE_OPTIONS),
    )


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
