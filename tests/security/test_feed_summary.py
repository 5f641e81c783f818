"""The Atom feed carries the same sanitised HTML as the public pages, never raw staff markup."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories import EventFactory

ATOM = "{http://www.w3.org/2005/Atom}"

HOSTILE_SUMMARY = (
    "Ringkasan **nyata** dari lokakarya banjir rob.\n\n"
    "<script>alert('feed')</script>\n\n"
    '<img src="x" onerror="alert(2)">\n\n'
    "[klik di sini](javascript:alert(3)) dan "
    '<a href="javascript:alert(4)">tautan</a>\n\n'
    '<iframe src="https://evil.example/"></iframe>\n\n'
    "Penutup yang sebenarnya."
)


def _summary_html(body, title):
    root = ET.fromstring(body)
    for entry in root.iter(f"{ATOM}entry"):
        if entry.findtext(f"{ATOM}title") == title:
            summary = entry.find(f"{ATOM}summary")
            assert summary.get("type") == "html"
            return summary.text
    raise AssertionError(f"no entry titled {title!r}")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_feed_summary_is_sanitised_html(client, prefix):
    """Protects feed readers from script, handlers, javascript: links and frames in summaries."""
    EventFactory(
        title="Lokakarya Banjir Rob",
        title_en="Tidal Flood Workshop",
        summary=HOSTILE_SUMMARY,
        summary_en=HOSTILE_SUMMARY,
    )
    response = client.get(prefix + "/events/feed/")
    assert response.status_code == 200
    title = "Tidal Flood Workshop" if prefix else "Lokakarya Banjir Rob"
    html = _summary_html(response.content, title)
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<img"):
        assert bad not in lowered, (bad, html)
    assert "<p>Ringkasan <strong>nyata</strong> dari lokakarya banjir rob.</p>" in html
    assert '<a rel="noopener noreferrer nofollow">klik di sini</a>' in html
    assert "<p>Penutup yang sebenarnya.</p>" in html


@pytest.mark.django_db
def test_feed_falls_back_to_the_rendered_purpose(client):
    """Protects the feed entry of an event without a summary: its purpose, rendered."""
    EventFactory(
        title="Lokakarya Tanpa Ringkasan",
        summary="",
        summary_en="",
        purpose="Tujuan: *menyusun* rencana <script>x</script>.",
    )
    html = _summary_html(client.get("/events/feed/").content, "Lokakarya Tanpa Ringkasan")
    assert html.startswith("<p>Tujuan: <em>menyusun</em> rencana")
    assert "<script" not in html
