"""Every public list is paginated or bounded: the page `?page=` names, or a 404."""

from django.core.paginator import InvalidPage, Paginator
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
