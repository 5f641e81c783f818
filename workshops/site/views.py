"""Public pages. Every page reads through `.published()`: nothing else is public."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from focus_areas.models import Conclusion, FocusArea
from jakres.core.cache import allow_storing_query
from jakres.core.fragments import remembered
from search_index.models import EntryKind
from workshops.models import (
    Appearance,
    Event,
    EventKind,
    EventStatus,
    Hazard,
    Person,
    default_programme_id,
)
from workshops.proceedings import proceedings_context, proceedings_parts, with_proceedings
from workshops.site.exports import proceedings_document
from workshops.site.forms import EventFilterForm, SearchForm
from workshops.site.pagination import (
    CONCLUSION_ORDER,
    ConclusionPaginator,
    may_store_page,
    paginated,
)
from workshops.site.pdf import PdfUnavailable, cached_pdf, proceedings_pdf
from workshops.site.search import search

# The home page's timeline: the latest events, with a link to all of them.
TIMELINE_LENGTH = 12
APPEARANCES_PER_PAGE = 20


class HomeView(TemplateView):
    template_name = "workshops/home.html"

    def get_context_data(self, **kwargs):
        published = Event.objects.published()
        latest = list(published.order_by("-start_date", "-title")[:TIMELINE_LENGTH])
        workshop = next((e for e in latest if e.kind == EventKind.WORKSHOP), None)
        if workshop is None and len(latest) == TIMELINE_LENGTH:
            workshop = published.filter(kind=EventKind.WORKSHOP).order_by("-start_date").first()
        return super().get_context_data(
            timeline=latest[::-1],  # the latest events, oldest first
            timeline_total=published.count() if len(latest) == TIMELINE_LENGTH else len(latest),
            latest_workshop=workshop or (latest[0] if latest else None),
            focus_areas=list(FocusArea.objects.filter(programme_id=default_programme_id())),
            **kwargs,
        )


class EventListView(ListView):
    template_name = "workshops/event_list.html"
    context_object_name = "events"
    paginate_by = 10

    def get(self, request, *args, **kwargs):
        self.focus_areas = list(FocusArea.objects.filter(programme_id=default_programme_id()))
        years = [d.year for d in Event.objects.published().dates("start_date", "year", "DESC")]
        self.form = EventFilterForm(request.GET or None, years=years, focus_areas=self.focus_areas)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        events = Event.objects.published().order_by("-start_date", "title")
        if self.form.is_bound and self.form.is_valid():
            data = self.form.cleaned_data
            if data["year"]:
                events = events.filter(start_date__year=data["year"])
            if data["kind"]:
                events = events.filter(kind=data["kind"])
            if data["focus_area"]:
                events = events.filter(
                    sessions__groups__focus_area__number=data["focus_area"],
                    sessions__groups__focus_area__programme_id=default_programme_id(),
                ).distinct()
        return events

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, focus_areas=self.focus_areas, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Filters that name an existing year, kind and focus area, and a page within
        # range (others are a 404), may be stored in the page cache.
        if _single_values(self.request, {"year", "kind", "focus_area", "page"}) and (
            not self.form.is_bound or self.form.is_valid()
        ):
            allow_storing_query(response)
        return response


class ProceedingsMixin:
    """The one place that decides what a proceedings page loads, and how."""

    # The page reads the events before and after in proceedings_context (one query);
    # the export and the PDF prefetch them.
    neighbours = True

    def get_queryset(self):
        return with_proceedings(Event.objects.published(), neighbours=self.neighbours)


class EventDetailView(ProceedingsMixin, DetailView):
    """The proceedings page. Its parts are kept under the content version, per
    language and site address (jakres/core/fragments.py), so that a request the page
    cache does not answer reads nothing from the database when they are kept."""

    template_name = "workshops/event_detail.html"
    context_object_name = "event"
    neighbours = False

    def get(self, request, *args, **kwargs):
        origin = _stored_origin(request)
        if origin is None:  # a made-up port: rendered, never kept
            parts = self._render_parts()
        else:
            parts = remembered(request, ("proceedings", kwargs["slug"], origin), self._render_parts)
        return self.render_to_response({"view": self, "proceedings": parts})

    def _render_parts(self):
        self.object = self.get_object()  # a 404 keeps nothing
        context = super().get_context_data(
            object=self.object, **proceedings_context(self.object, self.request)
        )
        return proceedings_parts(context, self.request)


def _stored_origin(request):
    """scheme://host of the request, or None when its Host names a port the server
    does not listen on: Django accepts an allowed host with any port, and made-up
    ports (site:1, site:2…) must not fill the cache with copies of a page."""
    host = request.get_host()
    port = host.rpartition("]")[2].partition(":")[2]
    if port and port != str(request.META.get("SERVER_PORT", "")):
        return None
    return f"{request.scheme}://{host}"


class EventExportView(ProceedingsMixin, DetailView):
    """The full proceedings as JSON, both languages (documented in docs/api.md)."""

    def render_to_response(self, context, **response_kwargs):
        document = proceedings_document(self.object, request=self.request)
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'inline; filename="{self.object.slug}.json"'
        return response


class EventPdfView(ProceedingsMixin, DetailView):
    """The proceedings as a tagged PDF, in the page's language (workshops/site/pdf.py).
    A PDF kept in the cache is answered before anything is read from the database."""

    def get(self, request, *args, **kwargs):
        pdf, key = cached_pdf(kwargs["slug"])
        if pdf is None:
            return super().get(request, *args, **kwargs)  # 404 unless published
        return self._respond(pdf, key)

    def render_to_response(self, context, **response_kwargs):
        event = self.object
        context = {
            **proceedings_context(event, self.request),
            "event": event,
            "site_url": self.request.build_absolute_uri("/").rstrip("/"),
            "generated": timezone.localdate(),
        }
        _, key = cached_pdf(event.slug)
        try:
            pdf = proceedings_pdf(key, context, self.request)
        except PdfUnavailable:
            return render(
                self.request, "workshops/pdf_unavailable.html", {"event": event}, status=503
            )
        return self._respond(pdf, key)

    def _respond(self, pdf, key):
        etag = f'"{key.rsplit(":", 1)[1]}"' if key else None
        if etag and etag in parse_etags(self.request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            filename = f"{self.kwargs['slug']}-{get_language()}.pdf"
            response["Content-Disposition"] = f'inline; filename="{filename}"'
        if etag:
            response["ETag"] = etag
        patch_cache_control(response, public=True, no_cache=True)
        return response


class PersonDetailView(DetailView):
    """A person and their appearances at published events, newest first, paginated."""

    template_name = "workshops/person_detail.html"
    context_object_name = "person"
    model = Person

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        appearances = (
            Appearance.objects.filter(person=person, session__event__status=EventStatus.PUBLISHED)
            .select_related("session__event", "on_behalf_of")
            .order_by("-session__event__start_date", "session__order", "order")
        )
        self.page_obj = paginated(self.request, appearances, APPEARANCES_PER_PAGE)
        if not self.page_obj.paginator.count:
            # Somebody who appears only in unpublished events is not public yet.
            raise Http404
        return person

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_obj=self.page_obj, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return may_store_page(self.request, response)  # only pages that exist get here


class SearchView(TemplateView):
    """`?q=` words, `?kind=` one kind of result (else the first few of each),
    `?page=` a page of that kind."""

    template_name = "workshops/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        results = None
        kind, page = self._kind(), self._page()
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
            results = search(
                form.cleaned_data["q"], kind=kind or "", page=page or 1, language=get_language()
            )
        return super().get_context_data(
            form=form, results=results, bad_parameters=kind is None or page is None, **kwargs
        )

    def _kind(self):
        """The kind asked for ("" for all), or None when it is not one."""
        kind = self.request.GET.get("kind", "")
        return kind if kind in ("", *EntryKind.values) else None

    def _page(self):
        """The page asked for (1 when none), or None when it is not a page number."""
        page = self.request.GET.get("page", "1")
        return int(page) if page.isdigit() and 0 < len(page) < 6 and int(page) > 0 else None

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Only a search written in its plain form (lower case, single spaces) that
        # finds something may be stored; any other text is answered, not kept.
        query = self.request.GET.get("q", "")
        results = context.get("results")
        if (
            _single_values(self.request, {"q", "kind", "page"})
            and not context["bad_parameters"]
            and query == " ".join(query.split()).lower()
            and results is not None
            and results.hits
            # A page number only with a kind (the overview has no pages), never page 1.
            and ("page" not in self.request.GET or (results.kind and results.page > 1))
        ):
            allow_storing_query(response)
        return response


def _single_values(request, allowed) -> bool:
    """Every query parameter is one this page reads, and given once."""
    return all(key in allowed and len(request.GET.getlist(key)) == 1 for key in request.GET)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


# --- Shocks and stresses ------------------------------------------------------------------

HAZARDS_PER_PAGE = 50
HAZARD_EVENTS_PER_PAGE = 20
# The newest conclusions that name a shock or stress; the search lists the rest.
HAZARD_CONCLUSIONS_SHOWN = 20


class HazardListView(ListView):
    """Every shock and stress that a published event names, shocks first."""

    template_name = "workshops/hazard_list.html"
    context_object_name = "hazards"
    paginate_by = HAZARDS_PER_PAGE

    def get_queryset(self):
        published = Q(mentions__event__status=EventStatus.PUBLISHED)
        return (
            Hazard.objects.annotate(event_count=Count("mentions", filter=published))
            .filter(event_count__gt=0)
            .order_by("kind", f"name_{'en' if get_language() == 'en' else 'ind'}", "slug")
        )

    def paginate_queryset(self, queryset, page_size):
        page = paginated(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return may_store_page(self.request, response)


class HazardDetailView(DetailView):
    """A shock or stress: the published events that name it, page by page, and the
    newest published conclusions whose text names it (hazard_conclusions). One named
    only by unpublished events is not public: 404."""

    template_name = "workshops/hazard_detail.html"
    context_object_name = "hazard"
    model = Hazard

    def get_object(self, queryset=None):
        hazard = super().get_object(queryset)
        events = (
            Event.objects.published()
            .filter(shocks_stresses__hazard=hazard)
            .order_by("-start_date", "slug")
            .only("slug", "kind", "start_date", "title_ind", "title_en")
        )
        self.page_obj = paginated(self.request, events, HAZARD_EVENTS_PER_PAGE)
        if not self.page_obj.paginator.count:
            raise Http404
        return hazard

    def get_context_data(self, **kwargs):
        # The newest, by the follow-up list's paginator: ranked by group, so that a shock
        # or stress named by thousands of conclusions does not sort them all for 20.
        conclusions = (
            hazard_conclusions(self.object)
            .order_by(*CONCLUSION_ORDER)
            .select_related("group__session__event", "group__focus_area")
        )
        newest = ConclusionPaginator(conclusions, HAZARD_CONCLUSIONS_SHOWN).page(1)
        shown, total = list(newest.object_list), newest.paginator.count
        return super().get_context_data(
            page_obj=self.page_obj, conclusions=shown, conclusion_total=total, **kwargs
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return may_store_page(self.request, response)


def hazard_conclusions(hazard):
    """Published conclusions (and sub-points) whose text names the shock or stress: its
    name in that language as whole words, case-insensitive (either language). The
    matches are stored (focus_areas/hazard_matches.py), so no page scans every
    conclusion's text; whether the event is published is checked here, at read time."""
    return Conclusion.objects.filter(
        hazard_matches__hazard=hazard, group__session__event__status=EventStatus.PUBLISHED
    )
