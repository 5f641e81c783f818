"""The rapporteur's page and the plenary screen, reached by secret links only.

Every response here (404s of wrong, expired or revoked links included) is never
stored by anyone (`Cache-Control: no-store`; the page cache does not even look these
paths up, jakres/core/scrub.py), sends no Referer onward and is not indexed. The token
is in the path, and is scrubbed from every log line (jakres/core/scrub.py).

The rapporteur's forms carry no CSRF token, and Django's CSRF check is off for this
view (csrf_exempt): with `Referrer-Policy: no-referrer` a browser sends neither a
Referer nor a real Origin (`Origin: null`) with the form, so Django's check (which on
HTTPS requires one of them) would refuse every save. It protects nothing here anyway:
a forged cross-site request must name the link's secret path, and whoever knows the
path may write on the sheet already (the link is the capability; there is no session
or cookie that another site could ride on).
"""

import hashlib
import json
from contextlib import suppress
from functools import wraps
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods
from django.views.defaults import page_not_found
from django_ratelimit.core import is_ratelimited

from capture import services
from capture.models import LinkKind
from capture.room.forms import ActionForm, EditForm, NameForm, PointForm
from jakres.core.middleware import client_ip_address

AUTHOR_COOKIE = "jakres_capture_author"


def private(view):
    """The headers of every capture response (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def not_found(request):
    """Rule: a wrong, expired or revoked link, or one whose event is no longer open,
    gets the site's plain 404, the same whatever the reason."""
    return page_not_found(request, None)


# --- The rapporteur's page -------------------------------------------------------------


@csrf_exempt
@private
@sensitive_variables("token")
@require_http_methods(["GET", "HEAD", "POST"])
def rapporteur(request, token):
    link = services.find_link(token, LinkKind.RAPPORTEUR)
    sheet = getattr(link.group, "capture_sheet", None) if link else None
    if sheet is None:
        return not_found(request)
    if request.method == "POST":
        return _post(request, link, sheet)
    return _page(request, link, sheet)


def _known_author(request):
    return services.clean_author(unquote(request.COOKIES.get(AUTHOR_COOKIE, "")))[:80]


def _page(request, link, sheet, *, bound=None, status=200, message=""):
    """The page; `bound` = (form key, bound form) shows that form with its errors and
    what was typed, in its place."""
    author = _known_author(request)
    top, removed = services.arrange(list(sheet.points.all()))
    key, form = bound or ("", None)
    # One point's form is open at a time (?edit=<id>, ?sub=<id>, or the one sent with
    # an error): the page stays light with many points, and works without JavaScript.
    wanted = key or _opened(request)
    shown = {"add", "name", "action", ""}
    for point in [*top, *(sub for top_point in top for sub in top_point.subs)]:
        point.edit_form = point.sub_form = None
        if wanted == f"edit-{point.pk}":
            point.edit_form = _form_for(key, form, wanted, point, author)
        elif wanted == f"sub-{point.pk}" and not point.parent_id:
            point.sub_form = _form_for(key, form, wanted, point, author, sub=True)
        else:
            continue
        shown.add(wanted)
    if key not in shown:  # its point is gone: what was typed goes to the add form
        key, form = "add", _as_new_point(form, author)
    add_form = form if key == "add" else PointForm(known_author=author, auto_id="id_add_%s")
    name_form = form if key == "name" else NameForm(initial={"author": author}, auto_id="id_%s")
    context = {
        "link": link,
        "group": link.group,
        "event": link.event,
        "points": top,
        "removed": removed,
        "add_form": add_form,
        "name_form": name_form,
        "author": author,
        "bound_key": key,
        "action_form": form if key == "action" else None,
        "message": message,
        "saved": request.GET.get("saved", "")[:40],
        "page_path": request.path,
    }
    return render(request, "capture/rapporteur.html", context, status=status)


def _opened(request):
    for name, prefix in (("edit", "edit-"), ("sub", "sub-")):
        value = request.GET.get(name, "")
        if value.isdigit():
            return prefix + value
    return ""


def _as_new_point(form, author):
    data = {"text": form.data.get("text", ""), "author": form.data.get("author", "")}
    new = PointForm(data, known_author=author, auto_id="id_add_%s")
    new.is_valid()
    for error in form.non_field_errors():
        new.add_error(None, error)
    return new


def _form_for(key, form, wanted, point, author, sub=False):
    if key == wanted:
        return form
    if sub:
        return PointForm(
            known_author=author, sub_point=True, initial={"parent": point.pk},
            auto_id=f"id_{wanted}_%s",
        )  # fmt: skip
    initial = {"point": point.pk, "base_version": point.version, "text": point.text}
    return EditForm(known_author=author, initial=initial, auto_id=f"id_{wanted}_%s")


def _post(request, link, sheet):
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.CAPTURE_MAX_BODY_BYTES:
        return HttpResponse(
            _("The text is too long to save."), status=413, content_type="text/plain; charset=utf-8"
        )
    handler = _ACTIONS.get(request.POST.get("action", ""))
    if handler is None:
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
    refusal = _rate_limited(request, link)
    if refusal:
        key, form = _bind(request)
        form.is_valid()
        form.add_error(None, refusal)
        return _page(request, link, sheet, bound=(key, form), status=429)
    return handler(request, link, sheet)


def _rate_limited(request, link):
    """Rule: saves are limited per link and per address (django-ratelimit, in the
    shared cache); over a limit the save is refused with a message, the text kept."""
    try:
        per_link = is_ratelimited(
            request, group="capture-save-link", key=lambda group, request: link.digest,
            rate=settings.CAPTURE_RATE_PER_LINK, method="POST", increment=True,
        )  # fmt: skip
        per_address = is_ratelimited(
            request, group="capture-save-address",
            key=lambda group, request: client_ip_address(request) or "",
            rate=settings.CAPTURE_RATE_PER_ADDRESS, method="POST", increment=True,
        )  # fmt: skip
    except Exception:
        return _("Saving is not possible right now. Wait a moment, then save again.")
    if per_link or per_address:
        return _(
            "Too many saves in a short time. Wait a minute, then save again: your text is "
            "still here."
        )
    return ""


def _posted(request):
    """What was sent, with the name typed once (the cookie) when a form sent none."""
    data = request.POST.copy()
    if not data.get("author", "").strip() and _known_author(request):
        data["author"] = _known_author(request)
    return data


def _bind(request):
    """The form a POST came from, bound to what was sent, with its key."""
    action = request.POST.get("action")
    author = _known_author(request)
    posted = _posted(request)
    if action == "add":
        parent = "".join(c for c in request.POST.get("parent", "") if c.isdigit())
        if parent:
            return f"sub-{parent}", PointForm(
                posted, known_author=author, sub_point=True, auto_id=f"id_sub-{parent}_%s"
            )
        return "add", PointForm(posted, known_author=author, auto_id="id_add_%s")
    if action == "edit":
        point = "".join(c for c in request.POST.get("point", "") if c.isdigit())
        return f"edit-{point}", EditForm(posted, known_author=author, auto_id=f"id_edit-{point}_%s")
    if action == "name":
        return "name", NameForm(posted, auto_id="id_%s")
    return "action", ActionForm(posted)


def _saved(request, key, author, anchor=""):
    target = f"{request.path}?saved={quote(key)}" + (f"#{anchor}" if anchor else "")
    response = redirect(target)
    response.status_code = 303
    if author:
        response.set_cookie(
            AUTHOR_COOKIE, quote(author), max_age=7 * 24 * 3600, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    return response


def _invalid(request, link, sheet, key, form, message=""):
    return _page(request, link, sheet, bound=(key, form), status=400, message=message)


def _add(request, link, sheet):
    key, form = _bind(request)
    if not form.is_valid():
        return _invalid(request, link, sheet, key, form)
    data = form.cleaned_data
    try:
        point = services.add_point(
            sheet=sheet, text=data["text"], author=data["author"], parent_id=data["parent"]
        )
    except services.PointGone as gone:
        form.add_error(None, str(gone))
        return _invalid(request, link, sheet, key, form)
    return _saved(request, key, data["author"], point.anchor)


def _edit(request, link, sheet):
    key, form = _bind(request)
    if not form.is_valid():
        return _invalid(request, link, sheet, key, form)
    data = form.cleaned_data
    try:
        point = services.edit_point(
            sheet=sheet, point_id=data["point"], text=data["text"], author=data["author"],
            base_version=data["base_version"],
        )  # fmt: skip
    except services.EditConflict as conflict:
        return _conflict(request, link, conflict, data["author"])
    except services.PointGone as gone:
        form.add_error(None, str(gone))
        return _invalid(request, link, sheet, key, form)
    return _saved(request, key, data["author"], point.anchor)


def _conflict(request, link, conflict, author):
    """Rule: both texts side by side, and the writer chooses; nothing was saved."""
    point = conflict.point
    mine = conflict.mine
    initial = {"point": point.pk, "base_version": point.version, "text": mine or ""}
    gone = point if point.deleted_at or point.parent is None else point.parent
    context = {
        "link": link,
        "group": link.group,
        "point": point,
        "mine": mine,
        "removed": conflict.removed,
        "removed_by": gone.deleted_by,
        "removed_at": gone.deleted_at,
        "author": author,
        "page_path": request.path,
        "keep_mine_form": EditForm(known_author=author, initial=initial, auto_id="id_mine_%s"),
        "readd_form": PointForm(
            known_author=author,
            initial={"text": mine or "", "parent": point.parent_id},
            auto_id="id_readd_%s",
        ),
    }
    return render(request, "capture/conflict.html", context, status=409)


def _action(request, link, sheet, run):
    form = ActionForm(_posted(request))
    if not form.is_valid():
        return _invalid(request, link, sheet, "action", form)
    data = form.cleaned_data
    try:
        point = run(data)
    except services.EditConflict as conflict:
        return _conflict(request, link, conflict, data["author"])
    except services.PointGone as gone:
        form.add_error(None, str(gone))
        return _invalid(request, link, sheet, "action", form)
    return _saved(request, "action", data["author"], point.anchor)


def _move(request, link, sheet):
    return _action(
        request, link, sheet,
        lambda data: services.move_point(
            sheet=sheet, point_id=data["point"], author=data["author"],
            direction=data["direction"], position=data["position"],
        ),
    )  # fmt: skip


def _remove(request, link, sheet):
    return _action(
        request, link, sheet,
        lambda data: services.remove_point(
            sheet=sheet, point_id=data["point"], author=data["author"],
            base_version=data["base_version"],
        ),
    )  # fmt: skip


def _restore(request, link, sheet):
    return _action(
        request, link, sheet,
        lambda data: services.restore_point(
            sheet=sheet, point_id=data["point"], author=data["author"]
        ),
    )  # fmt: skip


def _name(request, link, sheet):
    form = NameForm(request.POST, auto_id="id_%s")
    if not form.is_valid():
        return _invalid(request, link, sheet, "name", form)
    return _saved(request, "name", form.cleaned_data["author"])


_ACTIONS = {
    "add": _add,
    "edit": _edit,
    "move": _move,
    "remove": _remove,
    "restore": _restore,
    "name": _name,
}


# --- The plenary screen ----------------------------------------------------------------


def _plenary_groups(sheets):
    points = services.points_of(sheets)
    return [(sheet, services.arrange(points[sheet.pk])[0]) for sheet in sheets]


def _plenary_json(event_id, sheets, tag):
    """The plenary JSON of this state of the sheets: made once per state and language,
    and kept a minute in the shared cache for the other screens."""
    key = f"jakres:capture-plenary:{event_id}:{get_language()}:{tag.strip(chr(34))}"
    try:
        body = cache.get(key)
    except Exception:
        body = None
    if body is not None:
        return body
    groups = [
        {
            "number": sheet.group.number,
            "focus_area": sheet.group.focus_area.title,
            "points": [
                {"text": point.text, "sub_points": [sub.text for sub in point.subs]}
                for point in points
            ],
        }
        for sheet, points in _plenary_groups(sheets)
    ]
    body = json.dumps({"groups": groups}, ensure_ascii=False).encode()
    with suppress(Exception):  # without the cache, it is made for each request
        cache.set(key, body, 60)
    return body


def _state_tag(sheets):
    versions = ",".join(f"{sheet.pk}:{sheet.version}" for sheet in sheets)
    return '"' + hashlib.sha256(versions.encode()).hexdigest()[:32] + '"'


@private
@sensitive_variables("token")
@require_GET
def plenary(request, token):
    link = services.find_link(token, LinkKind.PLENARY)
    if link is None:
        return not_found(request)
    sheets = services.event_sheets(link.event_id)
    context = {
        "event": link.event,
        "groups": _plenary_groups(sheets),
        "poll_seconds": settings.CAPTURE_PLENARY_POLL_SECONDS,
        "page_path": request.path,
        "updated": timezone.now(),
    }
    return render(request, "capture/plenary.html", context)


@private
@sensitive_variables("token")
@require_GET
def plenary_data(request, token):
    """The plenary screen's content as JSON; 304 while no group changed."""
    link = services.find_link(token, LinkKind.PLENARY)
    if link is None:
        return not_found(request)
    sheets = services.event_sheets(link.event_id)
    tag = _state_tag(sheets)
    if request.META.get("HTTP_IF_NONE_MATCH") == tag:
        response = HttpResponseNotModified()
        response["ETag"] = tag
        return response
    body = _plenary_json(link.event_id, sheets, tag)
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = tag
    return response
