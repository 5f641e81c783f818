"""The follow-up as data (docs/api.md): one JSON document and one CSV per plan, and
the public links, paginated, as JSON. Both languages in every JSON text."""

import csv
import io

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views import View

from follow_up.models import Link, StatusUpdate
from follow_up.selectors import shown_of_update
from workshops.site.follow_up_views import PlanMixin

LINKS_PER_PAGE = 100


def both(obj, field):
    return {"id": getattr(obj, f"{field}_ind") or "", "en": getattr(obj, f"{field}_en") or ""}


def _iso(day):
    return day.isoformat() if day else None


def plan_items(plan):
    """The plan's items with their shown status (two queries: items, updates); an
    item's status is its latest public update's, the first of its updates."""
    items = list(plan.items.select_related("lead_organisation", "parent").order_by("sort_key"))
    updates = {}
    for update in StatusUpdate.objects.public().filter(item__plan=plan).latest_first():
        updates.setdefault(update.item_id, []).append(update)
    today = timezone.localdate()
    for item in items:
        item.plan = plan
        item.public_updates = updates.get(item.pk, [])
        item.shown = shown_of_update(item.public_updates[0] if item.public_updates else None, today)
    return items


def _item(request, item):
    return {
        "ref": item.ref,
        "code": item.code,
        "parent": item.parent.code if item.parent_id else None,
        "title": both(item, "title"),
        "description": both(item, "description"),
        "lead_organisation": item.lead_organisation.name if item.lead_organisation else None,
        "source_url": item.source_url,
        "source_note": both(item, "source_note"),
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "status": {
            "shown": item.shown.key,
            "date": _iso(item.shown.date),
            "percent": item.shown.percent,
        },
        "updates": [
            {
                "date": _iso(u.date),
                "status": u.status,
                "percent": u.percent,
                "note": both(u, "note"),
                "evidence": request.build_absolute_uri(u.evidence_link)
                if u.evidence_file
                else u.evidence_url,
            }
            for u in item.public_updates
        ],
    }


class PlanExportView(PlanMixin, View):
    """/follow-up/plans/<slug>/plan.json"""

    def get(self, request, slug):
        plan = self.get_plan()
        document = {
            "format": "jakres-follow-up-plan",
            "version": 1,
            "url": request.build_absolute_uri(plan.get_absolute_url()),
            "plan": {
                "slug": plan.slug,
                "programme": plan.programme.slug,
                "title": both(plan, "title"),
                "date": _iso(plan.date),
                "when": both(plan, "date_note"),
                "description": both(plan, "description"),
                "source_url": plan.source_url,
                "source_note": both(plan, "source_note"),
            },
            "items": [_item(request, item) for item in plan_items(plan)],
        }
        return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})


CSV_COLUMNS = (
    "code", "parent", "title_id", "title_en", "lead_organisation", "status", "status_date",
    "percent", "source_url", "url",
)  # fmt: skip


class PlanCsvView(PlanMixin, View):
    """/follow-up/plans/<slug>/plan.csv: one row per item, for spreadsheets."""

    def get(self, request, slug):
        plan = self.get_plan()
        items = plan_items(plan)
        out = io.StringIO()
        out.write("\ufeff")  # so that spreadsheets read UTF-8
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for item in items:
            writer.writerow(
                [
                    item.code, item.parent.code if item.parent_id else "", _cell(item.title_ind),
                    _cell(item.title_en), _cell(item.lead_organisation.name if item.lead_organisation else ""),
                    item.shown.key, _iso(item.shown.date) or "",
                    "" if item.shown.percent is None else item.shown.percent,
                    item.source_url,
                    request.build_absolute_uri(item.get_absolute_url()),
                ]
            )  # fmt: skip
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{plan.slug}.csv"'
        return response


def _cell(text):
    """No formula injection: a cell that a spreadsheet would run starts with a quote."""
    text = text or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _conclusion_fields(path):
    """What a conclusion's ref and label read (label: its group's and point's numbers)."""
    return (f"{path}__ref", f"{path}__number", f"{path}__group_id", f"{path}__parent_id",
            f"{path}__group__number", f"{path}__parent__number")  # fmt: skip


# What _link() reads: the plans' and programmes' long texts are not read.
EXPORTED_LINK_FIELDS = (
    "ref", "kind", "date", "note_ind", "note_en", "source_url",
    "conclusion_id", "group_id", "focus_area_id", "plan_item_id", "later_conclusion_id",
    *_conclusion_fields("conclusion"), *_conclusion_fields("later_conclusion"),
    "group__ref",
    "focus_area__number", "focus_area__programme_id", "focus_area__programme__slug",
    "plan_item__code", "plan_item__plan_id", "plan_item__plan__slug",
)  # fmt: skip


class LinksExportView(View):
    """/follow-up/links.json?page=N: every public link, oldest first, 100 a page."""

    def get(self, request):
        links = (
            Link.objects.public()
            .select_related(
                "conclusion__group", "conclusion__parent", "group", "focus_area__programme",
                "plan_item__plan", "later_conclusion__group", "later_conclusion__parent",
            )
            .only(*EXPORTED_LINK_FIELDS)
            .order_by("pk")
        )  # fmt: skip
        page = Paginator(links, LINKS_PER_PAGE).get_page(request.GET.get("page"))
        document = {
            "format": "jakres-follow-up-links",
            "version": 1,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "links": [_link(request, link) for link in page.object_list],
        }
        return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _link(request, link):
    def url(obj):
        return request.build_absolute_uri(obj.get_absolute_url()) if obj else None

    return {
        "ref": link.ref,
        "kind": link.kind,
        "date": _iso(link.date),
        "conclusion": link.conclusion.ref if link.conclusion_id else None,
        "conclusion_label": link.conclusion.label if link.conclusion_id else None,
        "group": link.group.ref if link.group_id else None,
        "focus_area": link.focus_area.number if link.focus_area_id else None,
        "from_url": url(link.conclusion or link.group or link.focus_area),
        "plan": link.plan_item.plan.slug if link.plan_item_id else None,
        "plan_item": link.plan_item.code if link.plan_item_id else None,
        "later_conclusion": link.later_conclusion.ref if link.later_conclusion_id else None,
        "later_conclusion_label": (
            link.later_conclusion.label if link.later_conclusion_id else None
        ),
        "to_url": url(link.plan_item or link.later_conclusion),
        "note": both(link, "note"),
        "source_url": link.source_url,
    }
