"""Reads of the follow-up that pages share: the shown status of plan items, the public
outcomes of conclusions, in a fixed number of queries whatever the data's size."""

from types import SimpleNamespace
from typing import NamedTuple

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from focus_areas.models import conclusion_label
from follow_up.models import (
    CARRIED_KINDS,
    PUBLISHED,
    SHOWN_STATUS_LABELS,
    ItemStatus,
    Link,
    LinkKind,
    StatusUpdate,
)
from follow_up.rules import shown_status
from jakres.core.refs import quick_reverse

# What became of a conclusion, as the list's filter and the focus area's chart name it.
CARRIED = "carried"
NOT_TAKEN_UP = "not_taken_up"
NONE = "none"
_taken_up = lazy(lambda label: gettext("Taken up: %(status)s") % {"status": label}, str)
OUTCOME_LABELS = {
    **{key: _taken_up(label) for key, label in SHOWN_STATUS_LABELS.items()},
    CARRIED: _("Carried to a later event"),
    NOT_TAKEN_UP: _("Not taken up"),
    NONE: _("No follow-up recorded yet"),
}  # fmt: skip
# The order of the chart's bars and the filter's choices.
OUTCOME_ORDER = (
    *ItemStatus.values,
    "no_news",
    "no_update",
    CARRIED,
    NOT_TAKEN_UP,
    NONE,
)


class Latest(NamedTuple):
    """A latest update's values, as shown_status() reads them (no model instance)."""

    status: str
    date: object
    percent: int | None


class Shown(NamedTuple):
    """An item's status as the public sees it (rules.shown_status)."""

    key: str
    date: object
    percent: int | None

    @property
    def label(self):
        return SHOWN_STATUS_LABELS[self.key]

    @property
    def is_stale(self):
        return self.key == "no_news"


def with_latest_update(items):
    """Plan items annotated with their latest published update (status, date, %)."""
    latest = StatusUpdate.objects.public().filter(item=OuterRef("pk")).order_by("-date", "-pk")
    return items.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
        latest_percent=Subquery(latest.values("percent")[:1]),
    )


def shown_of(item, today=None) -> Shown:
    """The shown status of an item annotated by with_latest_update()."""
    latest = None
    if item.latest_status:
        latest = Latest(item.latest_status, item.latest_date, item.latest_percent)
    return Shown(*shown_status(latest, today or timezone.localdate()))


def shown_of_update(update, today=None) -> Shown:
    """The shown status of an item whose latest published update is `update` (None:
    it has none), as shown_of() gives it from with_latest_update()."""
    latest = Latest(update.status, update.date, update.percent) if update else None
    return Shown(*shown_status(latest, today or timezone.localdate()))


def statuses_from_updates(updates) -> dict:
    """{item id: Shown} from a queryset of public updates (of the items wanted), in
    one plain query, latest first: the first row of each item is its latest, as
    with_latest_update() picks it. An item without a public update is absent (the
    caller shows shown_of_update(None): no status reported). Lighter than
    item_statuses(): no correlated subqueries to build, compile and run."""
    today = timezone.localdate()
    found = {}
    rows = updates.latest_first().values_list("item_id", "status", "date", "percent")
    for item_id, status, date, percent in rows:
        if item_id not in found:
            found[item_id] = Shown(*shown_status(Latest(status, date, percent), today))
    return found


def item_statuses(items) -> dict:
    """{item id: Shown} for a queryset of items, in one query."""
    today = timezone.localdate()
    rows = with_latest_update(items).values_list(
        "pk", "latest_status", "latest_date", "latest_percent"
    )
    found = {}
    for pk, status, date, percent in rows:
        latest = Latest(status, date, percent) if status else None
        found[pk] = Shown(*shown_status(latest, today))
    return found


def statuses_of_items(item_ids) -> dict:
    """{item id: Shown} for these items (ids of existing items), as item_statuses()
    gives them, from their published updates in one query (statuses_from_updates), an
    item without any shown as "no status reported"."""
    item_ids = {pk for pk in item_ids if pk is not None}
    if not item_ids:
        return {}
    found = statuses_from_updates(StatusUpdate.objects.public().filter(item_id__in=item_ids))
    unreported = shown_of_update(None)
    return {pk: found.get(pk, unreported) for pk in item_ids}


def outcome_of(kind, plan_item_id, statuses) -> str:
    """The outcome key a link (of `kind`, to `plan_item_id`) gives its conclusion."""
    if kind == LinkKind.TAKEN_UP:
        shown = statuses.get(plan_item_id)
        return shown.key if shown else "no_update"
    if kind in CARRIED_KINDS:
        return CARRIED
    return NOT_TAKEN_UP


# What a list shows of each outcome (follow_up/outcome.html): the other columns, long
# texts among them, are not read for it.
OUTCOME_FIELDS = (
    "conclusion_id", "group_id", "focus_area_id", "kind", "plan_item_id",
    "later_conclusion_id", "date",
    "plan_item__plan_id", "plan_item__code", "plan_item__title_ind", "plan_item__title_en",
    "plan_item__plan__slug", "plan_item__plan__title_ind", "plan_item__plan__title_en",
    "later_conclusion__ref", "later_conclusion__group_id", "later_conclusion__parent_id",
    "later_conclusion__number",
    "later_conclusion__group__number", "later_conclusion__group__session_id",
    "later_conclusion__group__session__event_id",
    "later_conclusion__group__session__event__title_ind",
    "later_conclusion__group__session__event__title_en",
    "later_conclusion__group__session__event__start_date",
    "later_conclusion__parent__number",
)  # fmt: skip


def public_links_of(conclusions):
    """Public links made on these conclusions, their groups or focus areas (with what
    they point to), in one query. `conclusions` are public (of published events: their
    groups are too, and a focus area always is) and have their group loaded."""
    ids = {c.pk for c in conclusions}
    group_ids = {c.group_id for c in conclusions}
    area_ids = {c.group.focus_area_id for c in conclusions}
    return (
        Link.objects.public_from_public_origins()
        .filter(
            Q(conclusion_id__in=ids) | Q(group_id__in=group_ids) | Q(focus_area_id__in=area_ids)
        )
        .select_related(
            "plan_item__plan", "later_conclusion__group__session__event", "later_conclusion__parent"
        )
        .order_by("date", "pk")
    )


def attach_outcomes(conclusions, *, listed=False) -> None:
    """Sets `.outcomes` (public links reaching each conclusion, oldest first) and
    `.latest_outcome` (the last, or None) on each, with the shown status of linked
    items (`link.shown`). Two queries, whatever the number of conclusions. `listed`:
    only what a list shows of them is read (OUTCOME_FIELDS)."""
    conclusions = list(conclusions)
    if not conclusions:
        return
    links = public_links_of(conclusions)
    if listed:
        links = links.only(*OUTCOME_FIELDS)
    links = list(links)
    statuses = statuses_of_items(link.plan_item_id for link in links)
    for link in links:
        link.shown = statuses.get(link.plan_item_id)
        link.outcome = outcome_of(link.kind, link.plan_item_id, statuses)
    for conclusion in conclusions:
        conclusion.outcomes = [
            link
            for link in links
            if link.conclusion_id == conclusion.pk
            or link.group_id == conclusion.group_id
            or link.focus_area_id == conclusion.group.focus_area_id
        ]
        conclusion.latest_outcome = conclusion.outcomes[-1] if conclusion.outcomes else None


class ListedOutcome(SimpleNamespace):
    """A conclusion's latest public outcome as a list shows it (the `listed_conclusion`
    template filter), from plain rows: kind, kind_label, shown (the linked item's
    status), group_id and focus_area_id (the link's scope), the plan item (code,
    title_ind/_en, url, plan: title_ind/_en) or the later conclusion (label, url,
    event: title_ind/_en, start_date)."""


# The values of a link that a list shows (ListedOutcome), in this order.
_LISTED_LINK_COLUMNS = (
    "conclusion_id", "group_id", "focus_area_id", "kind", "plan_item_id",
    "plan_item__code", "plan_item__title_ind", "plan_item__title_en",
    "plan_item__plan__slug", "plan_item__plan__title_ind", "plan_item__plan__title_en",
    "later_conclusion__ref", "later_conclusion__number", "later_conclusion__parent__number",
    "later_conclusion__group__number",
    "later_conclusion__group__session__event__title_ind",
    "later_conclusion__group__session__event__title_en",
    "later_conclusion__group__session__event__start_date",
)  # fmt: skip


def attach_latest_outcomes(conclusions) -> None:
    """Sets `.latest_outcome` (a ListedOutcome, or None) on each of these listed
    conclusions (objects with pk, group_id and focus_area_id, of published events): the
    last of the public links reaching it (made on it, its group or its focus area; by
    date, then as entered), as attach_outcomes() picks it, from plain rows rather than
    model instances. Two queries, whatever the number of conclusions."""
    conclusions = list(conclusions)
    if not conclusions:
        return
    ids = {c.pk for c in conclusions}
    group_ids = {c.group_id for c in conclusions}
    area_ids = {c.focus_area_id for c in conclusions}
    rows = list(
        Link.objects.public_from_public_origins()
        .filter(
            Q(conclusion_id__in=ids) | Q(group_id__in=group_ids) | Q(focus_area_id__in=area_ids)
        )
        .order_by("date", "pk")
        .rewrite(False)
        .values_list(*_LISTED_LINK_COLUMNS)
    )
    statuses = statuses_of_items(row[4] for row in rows)
    latest = {}  # the last link of each origin: the rows are oldest first
    for row in rows:
        if row[0] is not None:
            latest["conclusion", row[0]] = row
        elif row[1] is not None:
            latest["group", row[1]] = row
        else:
            latest["area", row[2]] = row
    position = {id(row): index for index, row in enumerate(rows)}
    made = {}
    for conclusion in conclusions:
        reaching = [
            row
            for row in (
                latest.get(("conclusion", conclusion.pk)),
                latest.get(("group", conclusion.group_id)),
                latest.get(("area", conclusion.focus_area_id)),
            )
            if row is not None
        ]
        if not reaching:
            conclusion.latest_outcome = None
            continue
        row = max(reaching, key=lambda row: position[id(row)])
        if id(row) not in made:
            made[id(row)] = _listed_outcome(row, statuses)
        conclusion.latest_outcome = made[id(row)]


def _listed_outcome(row, statuses) -> ListedOutcome:
    (
        _conclusion_id, group_id, focus_area_id, kind, item_id,
        code, item_title_ind, item_title_en, plan_slug, plan_title_ind, plan_title_en,
        later_ref, later_number, later_parent_number, later_group_number,
        event_title_ind, event_title_en, event_start_date,
    ) = row  # fmt: skip
    outcome = ListedOutcome(
        kind=kind,
        kind_label=LinkKind(kind).label,
        shown=statuses.get(item_id),
        group_id=group_id,
        focus_area_id=focus_area_id,
        plan_item=None,
        later_conclusion=None,
    )
    if item_id is not None:
        outcome.plan_item = SimpleNamespace(
            code=code,
            title_ind=item_title_ind,
            title_en=item_title_en,
            url=reverse("follow_up:item", kwargs={"slug": plan_slug, "code": code}),
            plan=SimpleNamespace(title_ind=plan_title_ind, title_en=plan_title_en),
        )
    if later_ref is not None:
        outcome.later_conclusion = SimpleNamespace(
            label=conclusion_label(later_group_number, later_number, later_parent_number),
            url=quick_reverse("focus_areas:conclusion_permalink", "ref", later_ref),
            event=SimpleNamespace(
                title_ind=event_title_ind, title_en=event_title_en, start_date=event_start_date
            ),
        )
    return outcome


def _conclusion_fields(path):
    """What a conclusion's link shows: its ref, label and event (title and date)."""
    return (
        f"{path}__ref", f"{path}__number", f"{path}__group_id", f"{path}__parent_id",
        f"{path}__group__number", f"{path}__group__session_id",
        f"{path}__group__session__event_id", f"{path}__group__session__event__title_ind",
        f"{path}__group__session__event__title_en",
        f"{path}__group__session__event__start_date", f"{path}__parent__number",
    )  # fmt: skip


# What a conclusion's trail shows of each outcome (follow_up/outcome.html and the note):
# the plans' and events' long texts are not read.
TRAIL_LINK_FIELDS = (
    "kind", "date", "note_ind", "note_en", "source_url",
    "conclusion_id", "group_id", "focus_area_id", "plan_item_id", "later_conclusion_id",
    "plan_item__code", "plan_item__title_ind", "plan_item__title_en", "plan_item__plan_id",
    "plan_item__plan__slug", "plan_item__plan__title_ind", "plan_item__plan__title_en",
    *_conclusion_fields("later_conclusion"),
)  # fmt: skip


def attach_trail_outcomes(conclusion) -> None:
    """attach_outcomes([conclusion]) for the conclusion's own page, lighter: the links
    with only what the trail shows (TRAIL_LINK_FIELDS), and the linked items' statuses
    from their public updates (statuses_from_updates: no correlated subqueries)."""
    links = list(public_links_of([conclusion]).only(*TRAIL_LINK_FIELDS))
    item_ids = {link.plan_item_id for link in links if link.plan_item_id}
    statuses = {}
    if item_ids:
        no_update = shown_of_update(None)
        found = statuses_from_updates(StatusUpdate.objects.public().filter(item_id__in=item_ids))
        statuses = {pk: found.get(pk, no_update) for pk in item_ids}  # as item_statuses()
    for link in links:
        link.shown = statuses.get(link.plan_item_id)
        link.outcome = outcome_of(link.kind, link.plan_item_id, statuses)
    area_id = conclusion.group.focus_area_id
    conclusion.outcomes = [
        link
        for link in links
        if link.conclusion_id == conclusion.pk
        or link.group_id == conclusion.group_id
        or link.focus_area_id == area_id
    ]
    conclusion.latest_outcome = conclusion.outcomes[-1] if conclusion.outcomes else None


def mark_trails(groups) -> None:
    """Sets `.has_trail` on the (prefetched) conclusions of these groups: has each a
    public trail (a public link made on it, its group or its focus area, or one carried
    to it)? One query by indexed ids, whatever the number of conclusions."""
    conclusions = [c for group in groups for c in group.conclusions.all()]
    if not conclusions:
        return
    ids = {c.pk for c in conclusions}
    group_ids = {group.pk for group in groups}
    area_ids = {group.focus_area_id for group in groups}
    reached = {"conclusion": set(), "group": set(), "area": set(), "later": set()}
    rows = (
        Link.objects.public()
        .filter(
            Q(conclusion_id__in=ids)
            | Q(group_id__in=group_ids)
            | Q(focus_area_id__in=area_ids)
            | Q(later_conclusion_id__in=ids)
        )
        .values_list("conclusion_id", "group_id", "focus_area_id", "later_conclusion_id")
    )
    for row in rows:
        for table, key in zip(("conclusion", "group", "area", "later"), row, strict=True):
            reached[table].add(key)
    reached_from_above = {
        g.pk for g in groups if g.pk in reached["group"] or g.focus_area_id in reached["area"]
    }
    for conclusion in conclusions:
        conclusion.has_trail = (
            conclusion.group_id in reached_from_above
            or conclusion.pk in reached["conclusion"]
            or conclusion.pk in reached["later"]
        )


def conclusions_with_outcome(conclusions, outcome, statuses):
    """The (public) conclusions with at least one public outcome `outcome`; `statuses`
    are the programme's items' (item_statuses). The links' own origins are the
    conclusions, their groups or areas, so only the links' state (and a later
    conclusion's event) is checked."""
    published = Link.objects.filter(state=PUBLISHED)
    if outcome == NONE:
        return conclusions.exclude(_reached_by(Link.objects.public_from_public_origins()))
    if outcome == CARRIED:
        links = Link.objects.public_from_public_origins().filter(kind__in=sorted(CARRIED_KINDS))
    elif outcome == NOT_TAKEN_UP:
        links = published.filter(kind=LinkKind.NOT_TAKEN_UP)
    else:
        items = [pk for pk, shown in statuses.items() if shown.key == outcome]
        links = published.filter(kind=LinkKind.TAKEN_UP, plan_item_id__in=items)
    return conclusions.filter(_reached_by(links))


def conclusions_led_by(conclusions, organisation_slug):
    """The (public) conclusions taken up in an item led by that organisation."""
    links = Link.objects.filter(
        state=PUBLISHED, plan_item__lead_organisation__slug=organisation_slug
    )
    return conclusions.filter(_reached_by(links))


def _reached_by(links):
    """A Q on conclusions: reached by one of `links` (a queryset), with IN subqueries
    that the database runs once (not per conclusion)."""
    return (
        Q(pk__in=links.filter(conclusion__isnull=False).values("conclusion_id"))
        | Q(group_id__in=links.filter(group__isnull=False).values("group_id"))
        | Q(group__focus_area_id__in=links.filter(focus_area__isnull=False).values("focus_area_id"))
    )


# Each public conclusion of a focus area, its latest public link (made on it, its group
# or the area: the latest date, then the latest entered), counted by (kind, plan item),
# with the plan item's latest published update (of the area's programme's items, as
# item_statuses reads them); the last row is the number of the area's public
# conclusions. Public as in Conclusion.objects.published() and
# Link.objects.public_from_public_origins(): a later conclusion is checked against the
# few hidden ones (of events not published, found from the events), not joined up to
# its event per link. The area's groups (of published events) are read once; only a
# group's or the area's links are spread over their conclusions.
# Each conclusion's own links are found through the link table's conclusion index, a
# conclusion at a time, from the groups' conclusions found through theirs: an area's
# links are a fifth of all, and scanning and hashing both whole tables, as PostgreSQL's
# planner otherwise chose, cost about a third more (15,000 links). PostgreSQL is held
# to that order by LATERAL subqueries it may not flatten (OFFSET 0); SQLite, which has
# no LATERAL, joins that way by itself.
_AREA_OWN_LINKS = {
    "postgresql": """
              FROM grp
             CROSS JOIN LATERAL (SELECT c.id FROM focus_areas_conclusion c
                                  WHERE c.group_id = grp.gid OFFSET 0) c
             CROSS JOIN LATERAL (SELECT l.date, l.id, l.kind, l.plan_item_id, l.later_conclusion_id
                                   FROM follow_up_link l
                                  WHERE l.conclusion_id = c.id AND l.state = %(published)s
                                 OFFSET 0) l""",
    "sqlite": """
              FROM grp
              JOIN focus_areas_conclusion c ON c.group_id = grp.gid
              JOIN follow_up_link l ON l.conclusion_id = c.id AND l.state = %(published)s""",
}

_AREA_OUTCOMES_SQL = """
        WITH grp (gid) AS (
            SELECT g.id
              FROM focus_areas_discussiongroup g
              JOIN workshops_session s ON s.id = g.session_id
              JOIN workshops_event e ON e.id = s.event_id
             WHERE g.focus_area_id = %%(area)s AND e.status = %%(published)s
        ),
        hidden (cid) AS (
            SELECT c.id
              FROM workshops_event e
              JOIN workshops_session s ON s.event_id = e.id
              JOIN focus_areas_discussiongroup g ON g.session_id = s.id
              JOIN focus_areas_conclusion c ON c.group_id = g.id
             WHERE e.status <> %%(published)s
        ),
        reach (cid, day, lid, kind, item, later) AS (
            SELECT c.id, l.date, l.id, l.kind, l.plan_item_id, l.later_conclusion_id%(own_links)s
            UNION ALL
            SELECT c.id, l.date, l.id, l.kind, l.plan_item_id, l.later_conclusion_id
              FROM grp
              JOIN follow_up_link l ON l.group_id = grp.gid
              JOIN focus_areas_conclusion c ON c.group_id = grp.gid
             WHERE l.state = %%(published)s
            UNION ALL
            SELECT c.id, l.date, l.id, l.kind, l.plan_item_id, l.later_conclusion_id
              FROM follow_up_link l
              JOIN focus_areas_conclusion c ON c.group_id IN (SELECT gid FROM grp)
             WHERE l.focus_area_id = %%(area)s AND l.state = %%(published)s
        ),
        ranked (kind, item, position) AS (
            SELECT kind, item, ROW_NUMBER() OVER (PARTITION BY cid ORDER BY day DESC, lid DESC)
              FROM reach
             WHERE later IS NULL OR later NOT IN (SELECT cid FROM hidden)
        ),
        counted (kind, item, number) AS (
            SELECT kind, item, COUNT(*) FROM ranked WHERE position = 1 GROUP BY kind, item
        )
        SELECT counted.kind, counted.item, counted.number, u.status, u.date, u.percent
          FROM counted
          LEFT JOIN follow_up_statusupdate u ON u.id = (
                SELECT lu.id FROM follow_up_statusupdate lu
                  JOIN follow_up_planitem i ON i.id = lu.item_id
                  JOIN follow_up_plan p ON p.id = i.plan_id
                 WHERE lu.item_id = counted.item AND lu.state = %%(published)s
                   AND p.programme_id = %%(programme)s
                 ORDER BY lu.date DESC, lu.id DESC LIMIT 1)
        UNION ALL
        SELECT NULL, NULL, COUNT(*), NULL, NULL, NULL
          FROM grp JOIN focus_areas_conclusion c ON c.group_id = grp.gid
"""


def outcome_counts_of_area(focus_area, statuses=None) -> dict:
    """{outcome: number of the area's published conclusions whose latest public outcome
    it is}. `statuses` (item_statuses of the programme's items) may be given; without
    them the query reads the linked items' latest updates itself.

    The database picks each conclusion's latest public link (made on it, its group or
    the area; the latest date, then the latest entered, as attach_outcomes orders them)
    and counts them by (kind, plan item): one query, a handful of rows, whatever the
    number of conclusions. Public as in Conclusion.objects.published() and
    Link.objects.public_from_public_origins()."""
    with connection.cursor() as cursor:
        cursor.execute(
            _AREA_OUTCOMES_SQL % {"own_links": _AREA_OWN_LINKS[connection.vendor]},
            {
                "area": focus_area.pk,
                "programme": focus_area.programme_id,
                "published": PUBLISHED,
            },
        )
        rows = cursor.fetchall()
    if statuses is None:
        today = timezone.localdate()
        statuses = {
            item_id: Shown(*shown_status(Latest(status, date, percent) if status else None, today))
            for kind, item_id, _number, status, date, percent in rows
            if kind == LinkKind.TAKEN_UP
        }
    counts = dict.fromkeys(OUTCOME_ORDER, 0)
    total = 0
    for kind, item_id, number, *_latest in rows:
        if kind is None:
            total = number
        else:
            counts[outcome_of(kind, item_id, statuses)] += number
    counts[NONE] = total - sum(counts.values())
    return counts
