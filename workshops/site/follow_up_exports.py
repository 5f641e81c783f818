"""The follow-up as data (docs/api.md): one JSON document and one CSV per plan, and
the public links, paginated, as JSON. Both languages in every JSON text."""

import csv
import io

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.views import View

from focus_areas.models import conclusion_label
from follow_up.models import Link, StatusUpdate
from follow_up.selectors import shown_of_update
from jakres.core.refs import quick_reverse
from workshops.models import default_programme_id
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
    return (f"{path}_id", f"{path}__ref", f"{path}__number", f"{path}__parent_id",
            f"{path}__group__number", f"{path}__parent__number")  # fmt: skip


# What _link() reads, as values (a page is 100 links: model instances of each link, its
# conclusions, group, area, item and plan cost more than the rest of the request). The
# plans' and programmes' long texts are not read.
EXPORTED_LINK_FIELDS = (
    "ref", "kind", "date", "note_ind", "note_en", "source_url",
    *_conclusion_fields("conclusion"), *_conclusion_fields("later_conclusion"),
    "group_id", "group__ref",
    "focus_area_id", "focus_area__number", "focus_area__programme_id",
    "focus_area__programme__slug",
    "plan_item_id", "plan_item__code", "plan_item__plan__slug",
)  # fmt: skip


class LinksExportView(View):
    """/follow-up/links.json?page=N: every public link, oldest first, 100 a page."""

    def get(self, request):
        links = Link.objects.public().order_by("pk")
        paginator = Paginator(links.values(*EXPORTED_LINK_FIELDS), LINKS_PER_PAGE)
        # Counted without the joins that the values read (Paginator.count would keep them).
        paginator.count = links.count()
        try:  # as the HTML lists: a page that is not one is a 404, not page 1
            page = paginator.page(request.GET.get("page", 1))
        except (InvalidPage, ValueError) as error:
            raise Http404(str(error)) from error
        site = request.build_absolute_uri("/")[:-1]
        default_programme = default_programme_id()
        document = {
            "format": "jakres-follow-up-links",
            "version": 1,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "links": [_link(site, default_programme, row) for row in page.object_list],
        }
        return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _conclusion(row, path):
    """(ref, label, URL path) of the link's conclusion or later conclusion, or Nones."""
    if not row[f"{path}_id"]:
        return None, None, None
    ref = row[f"{path}__ref"]
    parent_number = row[f"{path}__parent__number"] if row[f"{path}__parent_id"] else None
    label = conclusion_label(row[f"{path}__group__number"], row[f"{path}__number"], parent_number)
    return ref, label, quick_reverse("focus_areas:conclusion_permalink", "ref", ref)


def _link(site, default_programme, row):
    """A link as the export writes it (as Conclusion.label and the models'
    get_absolute_url() write their parts), URLs on `site` (the request's scheme and host)."""
    conclusion, conclusion_label_, conclusion_url = _conclusion(row, "conclusion")
    later, later_label, later_url = _conclusion(row, "later_conclusion")
    if conclusion_url:
        from_url = conclusion_url
    elif row["group_id"]:
        from_url = quick_reverse("focus_areas:group_permalink", "ref", row["group__ref"])
    elif row["focus_area_id"]:
        number = row["focus_area__number"]
        if row["focus_area__programme_id"] == default_programme:
            from_url = quick_reverse("focus_areas:detail", "number", number)
        else:
            from_url = reverse(
                "focus_areas:programme_detail",
                kwargs={"programme": row["focus_area__programme__slug"], "number": number},
            )
    else:
        from_url = None
    if row["plan_item_id"]:
        plan, code = row["plan_item__plan__slug"], row["plan_item__code"]
        to_url = reverse("follow_up:item", kwargs={"slug": plan, "code": code})
    else:
        plan = code = None
        to_url = later_url

    def url(path):
        return site + iri_to_uri(path) if path else None

    return {
        "ref": row["ref"],
        "kind": row["kind"],
        "date": _iso(row["date"]),
        "conclusion": conclusion,
        "conclusion_label": conclusion_label_,
        "group": row["group__ref"] if row["group_id"] else None,
        "focus_area": row["focus_area__number"] if row["focus_area_id"] else None,
        "from_url": url(from_url),
        "plan": plan,
        "plan_item": code,
        "later_conclusion": later,
        "later_conclusion_label": later_label,
        "to_url": url(to_url),
        "note": {"id": row["note_ind"] or "", "en": row["note_en"] or ""},
        "source_url": row["source_url"],
    }
