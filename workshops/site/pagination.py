"""Every public list is paginated or bounded: the page `?page=` names, or a 404."""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, Window
from django.http import Http404


def paginated(request, queryset, per_page):
    """The page `?page=` names: a 404 for one that is not a page number or is out of range."""
    try:
        return Paginator(queryset, per_page).page(request.GET.get("page", 1))
    except (InvalidPage, ValueError) as error:
        raise Http404(str(error)) from error


def may_store_page(request, response, *, allowed=("page",)):
    """Lets the page cache store a paginated page: the request names each parameter
    once, only those the page reads, and not page 1 (which is the unnumbered page)."""
    single = all(key in allowed and len(request.GET.getlist(key)) == 1 for key in request.GET)
    if single and request.GET.get("page", "2") != "1":
        response.page_cache_query_ok = True
    return response


# Far beyond any list's length, and within a signed 64-bit integer (SQLite, PostgreSQL).
MAX_ROW_OFFSET = 2**62


class WithTotalPaginator(Paginator):
    """Pages of a long ordered queryset: the page's ids are read with the total in one
    narrow query (COUNT(*) OVER ()), so the joins and filters run once rather than once
    to count and again for the page; then the page's rows are read whole by their ids
    (with the queryset's select_related), or by `rows` (ids -> {id: row}) if given. An
    out-of-range page counts apart to say so."""

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > MAX_ROW_OFFSET:
            # Past any list's end, and past what the database takes as a number (a
            # 64-bit integer): `?page=99999999999999999999` is a 404, not a 500.
            raise EmptyPage(self.error_messages["no_results"])
        ids, total = self.ids_and_total(bottom, bottom + self.per_page)
        if total is not None:
            self.__dict__["count"] = total  # Paginator.count: a cached_property
        number = self.validate_number(number)
        if self.rows is not None:  # the caller reads them: {id: row}
            rows = self.rows(ids)
            return Page([rows[pk] for pk in ids], number, self)
        # The rows by their ids, with the queryset's select_related and only() but not
        # its filters (they chose the ids already; a filter with subqueries would run
        # again).
        reader = self.object_list.model._default_manager.order_by()  # placed by id below
        reader.query.select_related = self.object_list.query.select_related
        reader.query.deferred_loading = self.object_list.query.deferred_loading
        rows = reader.in_bulk(ids)
        return Page([rows[pk] for pk in ids], number, self)

    def ids_and_total(self, bottom, top):
        """The ids of rows bottom..top-1 and the total, or None for it when there are no
        such rows."""
        ids_and_total = list(
            self.object_list.annotate(total_rows=Window(Count("pk"))).values_list(
                "pk", "total_rows"
            )[bottom:top]
        )
        total = ids_and_total[0][1] if ids_and_total else None
        return [pk for pk, _total in ids_and_total], total

    def get_page(self, number):
        """Paginator.get_page() without counting first: a page number that is not one
        gives the first page, one past the end the last."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))


# The order of a list of conclusions: the newest event first, then by session, group and
# position. ConclusionPaginator reads its pages in it.
CONCLUSION_ORDER = (
    "-group__session__event__start_date",
    "group__session__order",
    "group__number",
    "order",
    "pk",
)


class ConclusionPaginator(WithTotalPaginator):
    """Pages of a queryset of conclusions in CONCLUSION_ORDER, by group: the database
    counts the chosen conclusions of each group, ranks the (few thousand) groups, and
    sorts the conclusions of only the groups that reach the page; so the tens of
    thousands of conclusions are not sorted, nor joined to their events, to show 20.
    Groups that tie (same event date, session order and number) are placed as one
    block, their conclusions mixed by position as CONCLUSION_ORDER mixes them. One
    query gives the page's ids and the total, on any page (even past the end)."""

    def __init__(self, object_list, per_page, *args, groups=None, **kwargs):
        """groups: a queryset of discussion groups whose conclusions (every one) the
        queryset is; then they are ranked and counted by group (_ids_and_total_of_groups)."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.groups = groups

    def ids_and_total(self, bottom, top):
        queryset = self.object_list
        if tuple(queryset.query.order_by) != CONCLUSION_ORDER:
            raise ValueError("ConclusionPaginator pages conclusions in CONCLUSION_ORDER only.")
        if self.groups is not None:
            return self._ids_and_total_of_groups(bottom, top)
        from focus_areas.models import DiscussionGroup
        from workshops.models import Event, Session

        qn = connections[queryset.db].ops.quote_name
        # The chosen conclusions' (id, group id), in that order (not by values_list():
        # modeltranslation's may reorder the columns).
        chosen = queryset.query.chain()
        chosen.clear_ordering(force=True)
        chosen.select_related = False
        chosen.clear_select_clause()
        chosen.add_fields(["id", "group_id"])
        try:
            inner, params = chosen.sql_with_params()
        except EmptyResultSet:  # a filter that nothing can match
            return [], 0
        tables = {
            "conclusion": qn(queryset.model._meta.db_table),
            "group": qn(DiscussionGroup._meta.db_table),
            "session": qn(Session._meta.db_table),
            "event": qn(Event._meta.db_table),
            "order": qn("order"),
        }
        sql = _CONCLUSION_PAGE_SQL.format(inner=inner, **tables)
        return _placed_ids_and_total(queryset.db, sql, [*params, *params, bottom, top, bottom, top])

    def _ids_and_total_of_groups(self, bottom, top):
        """ids_and_total() when the queryset is every conclusion of `groups` (a queryset
        of discussion groups): the groups are chosen, counted (by the conclusions' group
        index, per chosen group) and ranked in one pass, and the page's conclusions are
        read by their groups; the conclusions are not chosen twice, nor joined to their
        groups, sessions and events again."""
        queryset = self.object_list
        chosen = self.groups.query.chain()
        chosen.clear_ordering(force=True)
        chosen.select_related = False
        chosen.clear_select_clause()
        chosen.add_fields(["id", "session__event__start_date", "session__order", "number"])
        try:
            inner, params = chosen.sql_with_params()
        except EmptyResultSet:  # a filter that nothing can match
            return [], 0
        qn = connections[queryset.db].ops.quote_name
        sql = _GROUPS_PAGE_SQL.format(
            inner=inner, conclusion=qn(queryset.model._meta.db_table), order=qn("order")
        )
        return _placed_ids_and_total(queryset.db, sql, [*params, bottom, top, bottom, top])


def _placed_ids_and_total(db, sql, params):
    """Runs a page query that gives (id, place) rows and one (NULL, total) row: the ids
    in their places, and the total."""
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = next(int(count or 0) for pk, count in rows if pk is None)
    placed = sorted((row for row in rows if row[0] is not None), key=lambda row: row[1])
    return [pk for pk, _place in placed], total


# chosen: the groups with their sort keys; grp: each with its number of conclusions
# (counted once: MATERIALIZED, else the database counts again for each window); ranked:
# the rows before each group's block of tied groups (same event date, session order and
# number) and up to its end, from one sort; shown: the blocks that reach rows
# bottom..top-1; placed: their conclusions' positions, sorted by the groups' keys
# already read.
_GROUPS_PAGE_SQL = """
    WITH chosen (gid, day, sorder, gnumber) AS ({inner}),
    grp (gid, day, sorder, gnumber, n) AS MATERIALIZED (
        SELECT gid, day, sorder, gnumber,
               (SELECT COUNT(*) FROM {conclusion} c WHERE c.group_id = chosen.gid)
          FROM chosen
    ),
    ranked (gid, day, sorder, gnumber, before_rows, upto) AS (
        SELECT gid, day, sorder, gnumber,
               COALESCE(SUM(n) OVER (ORDER BY day DESC, sorder, gnumber
                                     GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
               SUM(n) OVER (ORDER BY day DESC, sorder, gnumber)
          FROM grp
    ),
    shown (gid, day, sorder, gnumber, before_rows) AS (
        SELECT gid, day, sorder, gnumber, before_rows
          FROM ranked WHERE upto > %s AND before_rows < %s
    ),
    placed (cid, place) AS (
        SELECT c.id,
               (SELECT MIN(before_rows) FROM shown) - 1 + ROW_NUMBER() OVER (
                   ORDER BY shown.day DESC, shown.sorder, shown.gnumber, c.{order}, c.id)
          FROM shown
          JOIN {conclusion} c ON c.group_id = shown.gid
    )
    SELECT cid, place FROM placed WHERE place >= %s AND place < %s
    UNION ALL
    SELECT NULL, MAX(upto) FROM ranked
"""


# picked: the queryset's conclusions, and picked_again (each is read once, so the
# database inlines both: the second reads only the page's groups, by their index);
# counted: how many of each group; ranked: each group's place (the conclusions up to the
# end of its block of tied groups, and in the block); shown: the blocks that reach rows
# bottom..top-1; placed: their conclusions' positions.
_CONCLUSION_PAGE_SQL = """
    WITH picked (cid, gid) AS ({inner}),
    picked_again (cid, gid) AS ({inner}),
    counted (gid, n) AS (SELECT gid, COUNT(*) FROM picked GROUP BY gid),
    ranked (gid, upto, block) AS (
        SELECT counted.gid,
               SUM(counted.n) OVER (ORDER BY e.start_date DESC, s.{order}, g.number),
               SUM(counted.n) OVER (PARTITION BY e.start_date, s.{order}, g.number)
          FROM counted
          JOIN {group} g ON g.id = counted.gid
          JOIN {session} s ON s.id = g.session_id
          JOIN {event} e ON e.id = s.event_id
    ),
    shown (gid, before_rows) AS (
        SELECT gid, upto - block FROM ranked WHERE upto > %s AND upto - block < %s
    ),
    placed (cid, place) AS (
        SELECT again.cid,
               (SELECT MIN(before_rows) FROM shown) - 1 + ROW_NUMBER() OVER (
                   ORDER BY e.start_date DESC, s.{order}, g.number, c.{order}, c.id)
          FROM picked_again again
          JOIN shown ON shown.gid = again.gid
          JOIN {conclusion} c ON c.id = again.cid
          JOIN {group} g ON g.id = c.group_id
          JOIN {session} s ON s.id = g.session_id
          JOIN {event} e ON e.id = s.event_id
    )
    SELECT cid, place FROM placed WHERE place >= %s AND place < %s
    UNION ALL
    SELECT NULL, SUM(n) FROM counted
"""
