"""Every public list is paginated or bounded: the page `?page=` names, or a 404."""

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
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


class WithTotalPaginator(Paginator):
    """Pages of a long ordered queryset: the page's ids are read with the total in one
    narrow query (COUNT(*) OVER ()), so the joins and filters run once rather than once
    to count and again for the page; then the page's rows are read whole by their ids
    (with the queryset's select_related). An out-of-range page counts apart to say so."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        ids_and_total = list(
            self.object_list.annotate(total_rows=Window(Count("pk"))).values_list(
                "pk", "total_rows"
            )[bottom : bottom + self.per_page]
        )
        if ids_and_total:
            self.__dict__["count"] = ids_and_total[0][1]  # Paginator.count: a cached_property
        number = self.validate_number(number)
        # The rows by their ids, with the queryset's select_related and only() but not
        # its filters (they chose the ids already; a filter with subqueries would run
        # again).
        reader = self.object_list.model._default_manager.all()
        reader.query.select_related = self.object_list.query.select_related
        reader.query.deferred_loading = self.object_list.query.deferred_loading
        rows = reader.in_bulk([pk for pk, _total in ids_and_total])
        return Page([rows[pk] for pk, _total in ids_and_total], number, self)

    def get_page(self, number):
        """Paginator.get_page() without counting first: a page number that is not one
        gives the first page, one past the end the last."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))
