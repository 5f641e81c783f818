"""Item 12: the language switch (and the hreflang links) never point off the site, even
on a 404 page reached through a path that looks like another host (//evil.example/x)."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]*)"')

HOSTILE_PATHS = [
    "//evil.example/x",
    "///evil.example/x",
    "/\\evil.example/x",
    "/\\/evil.example/x",
    "//evil.example",
    "/en//evil.example/x",
]


def switch_of(html):
    start = html.index('class="language-switch"')
    return html[start : html.index("</nav>", start)]


def assert_local(href):
    if href.startswith("#"):  # the skip link
        return
    if href.startswith(("http://", "https://")):  # the hreflang <link>s are absolute
        assert urlsplit(href).netloc == "testserver", href
        href = href.split("testserver", 1)[1]
    assert href.startswith("/"), href
    normalised = href.replace("\\", "/")  # browsers read a backslash as a slash
    assert not normalised.startswith("//"), href
    assert urlsplit(normalised).netloc == "", href


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_language_switch_on_a_hostile_404_path_stays_on_the_site(client, path):
    """GET //evil.example/x cannot make the language switch an open redirect."""
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    html = response.content.decode()
    switch = switch_of(html)
    links = HREF.findall(switch)
    assert len(links) == 1  # the other language; the current one is not a link
    for href in HREF.findall(html):
        assert_local(href)
    hrefs = " ".join(HREF.findall(html)).replace("\\", "/")
    assert "//evil.example" not in hrefs


def test_language_switch_keeps_a_hostile_query_local(client):
    """The switch keeps the query string, but the path in front of it stays local."""
    response = client.get("/", PATH_INFO="//evil.example/x", QUERY_STRING="q=banjir")
    html = response.content.decode()
    (href,) = HREF.findall(switch_of(html))
    assert_local(href)
    assert href.endswith("?q=banjir")


def test_language_switch_on_a_doubled_slash_real_page_uses_the_page(client, workshop):
    """A real page reached with doubled slashes links to its translation, locally."""
    response = client.get("/", PATH_INFO="//events/")
    html = response.content.decode()
    (href,) = HREF.findall(switch_of(html))
    assert href == "/en/events/"


def test_alternate_url_check_refuses_anything_but_a_local_path():
    """Belt and braces: a URL that is not a local path falls back to the home page."""
    from workshops.templatetags.jakres import local_path, local_url

    assert local_path("//evil.example/x") == "/evil.example/x"
    assert local_path("/\\evil.example/x") == "/%5Cevil.example/x"
    assert local_url("//evil.example/x", "en") == "/en/"
    assert local_url("https://evil.example/", "id") == "/"
    assert local_url("/events/", "en") == "/en/events/"


def test_page_address_on_a_hostile_404_path_names_this_site(client, db):
    """Item 12: the page's own address (og:url) on `//evil.example/x` stays on this site."""
    html = client.get("/", PATH_INFO="//evil.example/x").content.decode()
    assert '<meta property="og:url" content="http://testserver/evil.example/x">' in html
    assert "http://evil.example" not in html
