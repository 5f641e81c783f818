"""Search across events, speakers' key points and group conclusions.

PostgreSQL uses its full-text search (the "simple" configuration: there is no
Indonesian dictionary in PostgreSQL, and one index serves both languages). Other
databases (the embedded SQLite) fall back to matching every word, case-insensitively.
"""

import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

from focus_areas.models import Conclusion
from workshops.models import Appearance, Event

RESULT_LIMIT = 25
MAX_WORDS = 12

EVENT_FIELDS = (
    "title_ind",
    "title_en",
    "subtitle_ind",
    "subtitle_en",
    "topic_ind",
    "topic_en",
    "purpose_ind",
    "purpose_en",
    "summary_ind",
    "summary_en",
)
APPEARANCE_FIELDS = (
    "person__name",
    "title_at_time_ind",
    "title_at_time_en",
    "summary_ind",
    "summary_en",
)
CONCLUSION_FIELDS = ("text_ind", "text_en")


@dataclass
class SearchResults:
    query: str
    events: list = field(default_factory=list)
    key_points: list = field(default_factory=list)
    conclusions: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.events) + len(self.key_points) + len(self.conclusions)


def words_of(query: str) -> list[str]:
    """The words of a query: letters and digits only, at most MAX_WORDS of them."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


def _match(queryset, fields, query):
    words = words_of(query)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="simple")
        search_query = SearchQuery(" ".join(words), search_type="plain", config="simple")
        # @@: every word must occur. Results are listed newest first, not by ts_rank,
        # which would recompute every match's vector (slow when thousands match).
        return queryset.annotate(document=vector).filter(document=search_query)
    per_word = [
        reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields))
        for word in words
    ]
    return queryset.filter(reduce(operator.and_, per_word))


def search(query: str) -> SearchResults:
    results = SearchResults(query=query)
    if not words_of(query):
        return results
    results.events = list(
        _match(Event.objects.published(), EVENT_FIELDS, query).order_by("-start_date", "title")[
            :RESULT_LIMIT
        ]
    )
    results.key_points = list(
        _match(
            Appearance.objects.filter(session__event__status="published").exclude(summary_ind=""),
            APPEARANCE_FIELDS,
            query,
        )
        .select_related("person", "session__event")
        .order_by("-session__event__start_date", "session__order", "order")[:RESULT_LIMIT]
    )
    results.conclusions = list(
        _match(Conclusion.objects.published(), CONCLUSION_FIELDS, query)
        .select_related("group__focus_area__programme", "group__session__event")
        .order_by("-group__session__event__start_date", "group__number", "parent_id", "order")[
            :RESULT_LIMIT
        ]
    )
    return results
