"""The page of a refused form post (CSRF_FAILURE_VIEW): the site's own 403 page in the
reader's language, under the site's CSP, instead of Django's bare page with its inline
style. A post to a page that takes none reaches it too (before the view's 405)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
