"""Public pages of the follow-up (tindak lanjut): a conclusion's trail, plans and their
items, the list of every conclusion with its latest outcome, and their feeds and
exports. Only published links and updates are public, and only from published events
(the querysets' public())."""

from collections import Counter
from types import SimpleNamespace

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea, conclusion_label
from follow_up.models import PUBLISHED, SHOWN_STATUS_LABELS, Link, Plan, PlanItem, StatusUpdate
from follow_up.selectors import (
    OUTCOME_LABELS,
    OUTCOME_ORDER,
    attach_latest_outcomes,
    attach_trail_outcomes,
    conclusions_led_by,
    conclusions_with_outcome,
    item_statuses,
    outcome_counts_of_area,
    shown_of_update,
    statuses_from_updates,
)
from jakres.core.cache import allow_storing_query
from jakres.core.refs import quick_reverse
from workshops.models import Event, EventOrganiser, Organisation, default_programme
from workshops.proceedings import cited_organisers
from workshops.site.forms import FollowUpFilterForm
from workshops.site.pagination import CONCLUSION_ORDER, ConclusionPaginator, WithTotalPaginator

LINKS_PER_PAGE = 50


def _single_values(request, allowed) -> bool:
    return all(key in allowed and len(request.GET.getlist(key)) == 1 for key in request.GET)


class ConclusionDetailView(DetailView):
    """/conclusions/<ref>/: a conclusion and its trail, as a vertical timeline: the
    event it came from, conclusions carried to it, and every public link from it (or
    its group, or its focus area) with the status of each linked item."""

    template_name = "follow_up/conclusion_detail.html"
    context_object_name = "conclusion"
    slug_field = slug_url_kwarg = "ref"

    def get_queryset(self):
        return (
            Conclusion.objects.published()
            .select_related("group__session__event", "group__focus_area", "parent")
            .prefetch_related(
                Prefetch(
                    "group__session__event__organisers",
                    queryset=EventOrganiser.objects.select_related("organisation").order_by(
                        "order"
                    ),
                )
            )
        )

    def get_context_data(self, **kwargs):
        conclusion = self.object
        sub_points = list(conclusion.children.order_by("order"))
        for point in sub_points:  # their labels read the group and the point
            point.group, point.parent = conclusion.group, conclusion
        if conclusion.parent_id:  # a point is in its sub-point's group
            conclusion.parent.group = conclusion.group
        attach_trail_outcomes(conclusion)
        # Links carried to this (published) conclusion: public() would check their
        # later conclusion (this one) and their origins through subqueries of hidden
        # conclusions and groups; their origins' events are joined for the page anyway,
        # and a query of half the joins is planned in half the time (~20 -> ~10 ms in a
        # new connection, at 15,000 links).
        carried_from = list(
            Link.objects.filter(later_conclusion=conclusion, state=PUBLISHED)
            .filter(
                Q(conclusion__group__session__event__status=PUBLISHED)
                | Q(group__session__event__status=PUBLISHED)
                | Q(focus_area__isnull=False)
            )
            .select_related(
                "conclusion__group__session__event", "conclusion__parent", "group__session__event"
            )
        )
        event = conclusion.group.session.event
        timeline = [("origin", event.start_date, None)]
        kwargs["cited_organisers"] = cited_organisers(event)
        timeline += [("carried_from", link.date, link) for link in carried_from]
        timeline += [("outcome", link.date, link) for link in conclusion.outcomes]
        timeline.sort(key=lambda entry: (entry[1], entry[0] != "origin"))
        return super().get_context_data(
            event=event,
            timeline=timeline,
            sub_points=sub_points,
            canonical_url=self.request.build_absolute_uri(conclusion.get_absolute_url()),
            **kwargs,
        )


class PlanMixin:
    def get_plan(self):
        return get_object_or_404(Plan.objects.select_related("programme"), slug=self.kwargs["slug"])


class PlanDetailView(PlanMixin, DetailView):
    """A plan's tree of items with each item's status, and the status counts."""

    template_name = "follow_up/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return self.get_plan()

    def get_context_data(self, **kwargs):
        items = list(self.object.items.select_related("lead_organisation").order_by("sort_key"))
        statuses = statuses_from_updates(
            StatusUpdate.objects.public().filter(item__plan=self.object)
        )
        no_update = shown_of_update(None)
        for item in items:
            item.shown = statuses.get(item.pk, no_update)
        counts = Counter(item.shown.key for item in items)
        return super().get_context_data(
            tree=tree_of(items),
            items=items,
            status_counts=[(key, SHOWN_STATUS_LABELS[key], counts[key]) for key in OUTCOME_ORDER if counts[key]],
            **kwargs,
        )  # fmt: skip


def tree_of(items):
    """Top-level items, each with `.sub_items` (from the loaded items, no query)."""
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for item in items:
        item.sub_items = children.get(item.pk, [])
    return children.get(None, [])


# What an item's page shows of each link (the conclusion's number, text and event, or
# the group's or area's name): the events' long texts and the links' notes are not read.
_EVENT_FIELDS = ("title_ind", "title_en", "start_date")
ANSWER_FIELDS = (
    "date", "conclusion_id", "group_id", "focus_area_id",
    "conclusion__ref", "conclusion__group_id", "conclusion__parent_id", "conclusion__number",
    "conclusion__text_ind", "conclusion__text_en",
    "conclusion__group__number", "conclusion__group__session_id",
    "conclusion__group__session__event_id",
    *(f"conclusion__group__session__event__{name}" for name in _EVENT_FIELDS),
    "conclusion__parent__number",
    "group__ref", "group__number", "group__session_id", "group__focus_area_id",
    "group__session__event_id", *(f"group__session__event__{name}" for name in _EVENT_FIELDS),
    "group__focus_area__number", "group__focus_area__programme_id",
    "group__focus_area__title_ind", "group__focus_area__title_en",
    "focus_area__number", "focus_area__programme_id", "focus_area__title_ind",
    "focus_area__title_en",
)  # fmt: skip


class PlanItemDetailView(PlanMixin, DetailView):
    """An item: its status history, its sub-items, and the conclusions it answers
    (with their events), paginated."""

    template_name = "follow_up/planitem_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        items = PlanItem.objects.select_related("plan__programme", "lead_organisation", "parent")
        return get_object_or_404(items, plan__slug=self.kwargs["slug"], code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        item = self.object
        links = (
            Link.objects.public()
            .filter(plan_item=item)
            .select_related(
                "conclusion__group__session__event",
                "conclusion__parent",
                "group__session__event",
                "group__focus_area",
                "focus_area",
            )
            .only(*ANSWER_FIELDS)
            .order_by("-date", "pk")
        )
        page = WithTotalPaginator(links, LINKS_PER_PAGE).get_page(self.request.GET.get("page"))
        # The item's status is its latest public update's: the first of its history.
        history = list(StatusUpdate.objects.public().filter(item=item).latest_first())
        item.shown = shown_of_update(history[0] if history else None)
        sub_items = list(item.children.order_by("sort_key"))
        statuses = (
            statuses_from_updates(StatusUpdate.objects.public().filter(item__parent=item))
            if sub_items
            else {}
        )
        no_update = shown_of_update(None)
        for sub in sub_items:
            sub.shown = statuses.get(sub.pk, no_update)
            sub.plan = item.plan
        return super().get_context_data(
            plan=item.plan,
            history=history,
            sub_items=sub_items,
            page_obj=page,
            answers=page.object_list,
            **kwargs,
        )


class ListedConclusion(SimpleNamespace):
    """A conclusion on the follow-up list (the `listed_conclusion` template filter):
    pk, group_id, focus_area_id, label, url, text_ind, text_en, area_number, event
    (title_ind, title_en, start_date), and latest_outcome (attach_latest_outcomes)."""


# What the list shows of each conclusion (listed_conclusions), in this order.
LISTED_COLUMNS = (
    "pk", "ref", "number", "text_ind", "text_en", "parent__number",
    "group_id", "group__number", "group__focus_area_id", "group__focus_area__number",
    "group__session__event__title_ind", "group__session__event__title_en",
    "group__session__event__start_date",
)  # fmt: skip


def listed_conclusions(ids) -> dict:
    """{id: ListedConclusion} of these conclusions, in one query of plain values (no
    model instances, nor the events' long texts)."""
    rows = Conclusion.objects.filter(pk__in=ids).order_by().rewrite(False)
    found = {}
    for row in rows.values_list(*LISTED_COLUMNS):
        pk, ref, number, text_ind, text_en, parent_number, group_id, group_number = row[:8]
        area_id, area_number, title_ind, title_en, start_date = row[8:]
        found[pk] = ListedConclusion(
            pk=pk,
            group_id=group_id,
            focus_area_id=area_id,
            label=conclusion_label(group_number, number, parent_number),
            url=quick_reverse("focus_areas:conclusion_permalink", "ref", ref),
            text_ind=text_ind,
            text_en=text_en,
            area_number=area_number,
            event=SimpleNamespace(title_ind=title_ind, title_en=title_en, start_date=start_date),
        )
    return found


class FollowUpListView(ListView):
    """/follow-up/: every published conclusion of the site's programme with its latest
    outcome, filtered by focus area, event, outcome and lead organisation, paginated."""

    template_name = "follow_up/followup_list.html"
    context_object_name = "conclusions"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.programme = default_programme()
        if self.programme is None:
            raise Http404
        self.focus_areas = list(FocusArea.objects.filter(programme=self.programme))
        events = Event.objects.published().filter(programme=self.programme)
        leads = Organisation.objects.filter(
            led_plan_items__plan__programme=self.programme
        ).distinct()
        self.form = FollowUpFilterForm(
            request.GET or None,
            focus_areas=self.focus_areas,
            # rewrite(False): the columns as they are, without modeltranslation's
            # fallback (a dict a row): the form picks the language.
            events=events.order_by("-start_date").rewrite(False).values_list("slug", "title_ind", "title_en", "start_date"),
            leads=leads.values_list("slug", "name_ind", "name_en"),
            outcomes=[(key, OUTCOME_LABELS[key]) for key in OUTCOME_ORDER],
        )  # fmt: skip
        return super().get(request, *args, **kwargs)

    def filters(self) -> dict:
        return self.form.cleaned_data if self.form.is_bound and self.form.is_valid() else {}

    def by_outcome(self) -> bool:
        """Filtered on outcomes or leads: few conclusions, read by their links."""
        data = self.filters()
        return bool(data.get("status") or data.get("lead"))

    def get_queryset(self):
        data = self.filters()
        if self.by_outcome():
            # Few: joined to their events and sorted whole (WithTotalPaginator).
            conclusions = Conclusion.objects.published().filter(
                group__focus_area__programme=self.programme
            )
            if data["focus_area"]:
                conclusions = conclusions.filter(group__focus_area__number=data["focus_area"])
            if data["event"]:
                conclusions = conclusions.filter(group__session__event__slug=data["event"])
        else:
            # Many: chosen by their groups, counted and ranked by group, and only the
            # page's groups sorted (ConclusionPaginator).
            groups = DiscussionGroup.objects.published().filter(
                focus_area__programme=self.programme
            )
            if data.get("focus_area"):
                groups = groups.filter(focus_area__number=data["focus_area"])
            if data.get("event"):
                groups = groups.filter(session__event__slug=data["event"])
            self.groups = groups
            conclusions = Conclusion.objects.filter(group__in=groups.values("pk"))
        # The page's rows are read apart, as plain values (listed_conclusions).
        conclusions = conclusions.order_by(*CONCLUSION_ORDER)
        if data.get("lead"):
            conclusions = conclusions_led_by(conclusions, data["lead"])
        if data.get("status"):
            statuses = item_statuses(PlanItem.objects.filter(plan__programme=self.programme))
            conclusions = conclusions_with_outcome(conclusions, data["status"], statuses)
        return conclusions

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.by_outcome():
            return WithTotalPaginator(queryset, per_page, rows=listed_conclusions, **kwargs)
        return ConclusionPaginator(
            queryset, per_page, groups=self.groups, rows=listed_conclusions, **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        attach_latest_outcomes(context["conclusions"])
        context["plans"] = list(Plan.objects.filter(programme=self.programme))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if _single_values(self.request, {"focus_area", "event", "status", "lead", "page"}) and (
            not self.form.is_bound or self.form.is_valid()
        ):
            allow_storing_query(response)
        return response


def focus_area_summary(focus_area):
    """The status summary of all a focus area's published conclusions (the chart and
    its table, whichever page of groups is shown): [(outcome, label, count, bar width,
    bar offset)]. Counted by the database, with the linked items' statuses, in one
    query (selectors.outcome_counts_of_area)."""
    counts = outcome_counts_of_area(focus_area)
    most = max(counts.values(), default=0) or 1
    shown = [(key, count) for key, count in counts.items() if count]
    return [
        (key, OUTCOME_LABELS[key], count, max(1, round(220 * count / most)), 26 * index)
        for index, (key, count) in enumerate(shown)
    ]
