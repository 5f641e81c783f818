"""Item 21: in production every cookie the site sets, deletions included, carries
Secure, HttpOnly and SameSite; anonymous public pages set none but that deletion."""

import pytest
from django.test import override_settings

from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

PRODUCTION_COOKIES = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_HTTPONLY": True,
    "CSRF_COOKIE_SAMESITE": "Lax",
}
PUBLIC_PAGES = ["/", f"/events/{WORKSHOP_SLUG}/", "/en/events/", "/search/?q=banjir", "/nope/"]


def set_cookie_headers(response):
    return [morsel.output(header="Set-Cookie:") for morsel in response.cookies.values()]


def assert_flagged_deletion(header):
    assert header.startswith('Set-Cookie: sessionid="";')
    assert "Max-Age=0" in header
    assert "expires=Thu, 01 Jan 1970 00:00:00 GMT" in header
    attributes = {part.strip().split("=")[0] for part in header.split(";")}
    assert {"Secure", "HttpOnly", "SameSite"} <= attributes, header
    assert "SameSite=Lax" in header


@override_settings(**PRODUCTION_COOKIES)
@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/admin/logout/"])
def test_stale_session_cookie_is_deleted_with_all_flags(client, db, path):
    """The deletion of a stale sessionid carries Secure, HttpOnly and SameSite=Lax."""
    client.cookies["sessionid"] = "stale0000000000000000000000000000"
    response = (
        client.get(path, secure=True) if "logout" not in path else client.post(path, secure=True)
    )
    deletions = [h for h in set_cookie_headers(response) if h.startswith("Set-Cookie: sessionid=")]
    assert len(deletions) == 1, set_cookie_headers(response)
    assert_flagged_deletion(deletions[0])


@override_settings(**PRODUCTION_COOKIES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_with_a_stale_session_cookie_set_no_unflagged_cookie(client, workshop, path):
    """A stale sessionid on a public page is left alone or deleted with every flag."""
    client.cookies["sessionid"] = "stale0000000000000000000000000000"
    for header in set_cookie_headers(client.get(path, secure=True)):
        assert_flagged_deletion(header)


@override_settings(**PRODUCTION_COOKIES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anonymous_public_pages_set_no_cookie(client, workshop, path):
    """A plain anonymous visit leaves no cookie at all."""
    response = client.get(path, secure=True)
    assert set_cookie_headers(response) == []
    assert "Set-Cookie" not in str(response.serialize_headers())


@override_settings(
    **{**PRODUCTION_COOKIES, "SESSION_COOKIE_HTTPONLY": False, "CSRF_COOKIE_HTTPONLY": False}
)
def test_every_staff_cookie_gets_the_flags_whatever_the_setting(client, django_user_model):
    """Cookies set by the login and the messages carry all three flags too."""
    django_user_model.objects.create_user(
        username="staf", password="sandi-uji-panjang", is_staff=True
    )
    login_page = client.get("/admin/login/", secure=True)
    seen = set_cookie_headers(login_page)
    response = client.post(
        "/admin/login/",
        {
            "username": "staf",
            "password": "sandi-uji-panjang",
            "next": "/admin/",
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        secure=True,
    )
    assert response.status_code == 302
    seen += set_cookie_headers(response)
    seen += set_cookie_headers(client.post("/admin/logout/", secure=True))
    names = {header.split(":", 1)[1].split("=", 1)[0].strip() for header in seen}
    assert {"csrftoken", "sessionid"} <= names
    for header in seen:
        assert "; Secure" in header and "; HttpOnly" in header, header
        assert "SameSite=Lax" in header, header


@override_settings(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_SAMESITE="Lax")
def test_without_https_a_deletion_is_not_marked_secure(client, db):
    """In development (plain HTTP) deletions get HttpOnly and SameSite, not Secure."""
    client.cookies["sessionid"] = "stale0000000000000000000000000000"
    response = client.get("/admin/login/")
    (header,) = [h for h in set_cookie_headers(response) if h.startswith("Set-Cookie: sessionid")]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header
