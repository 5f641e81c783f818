"""Staff Markdown renders as formatted text, and no payload survives as script."""

import re

import pytest
from django.urls import reverse

from jakres.core.text import render_text
from tests.factories import AppearanceFactory, ConclusionFactory, EventFactory, SessionFactory

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](javascript:alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input onfocus=alert(1) autofocus></form>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#106;avascript:alert(1)">x</a>',
]

# Executable markup: script-capable elements, event handlers, and script URLs in
# attributes. (A payload may survive as harmless visible text, e.g. "![x](javascript:…)".)
SCRIPT_PATTERN = re.compile(
    r"<script|<iframe|<svg|<object|<embed|<form|<style|<math|\son\w+\s*="
    r"|(?:href|src|action|data)\s*=\s*[\"']?\s*(?:javascript|data|vbscript):",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_leaves_no_script_or_handler(payload):
    html = str(render_text(payload))
    assert not SCRIPT_PATTERN.search(html), html


def test_markdown_formatting_is_kept():
    html = str(render_text("**Penting**: lihat [laporan](https://example.org/a).\n\n- satu\n- dua"))
    assert "<strong>Penting</strong>" in html
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">laporan</a>' in html
    assert "<ul>" in html and "<li>satu</li>" in html


@pytest.mark.django_db
def test_xss_corpus_in_every_staff_text_field_of_a_public_page(client):
    corpus = "\n\n".join(XSS_PAYLOADS)
    event = EventFactory(summary=corpus, purpose=corpus, summary_en=corpus)
    session = SessionFactory(event=event, description=corpus)
    AppearanceFactory(session=session, summary=corpus)
    ConclusionFactory(group__session=session, group__summary=corpus, text="Simpulan")
    for prefix in ("", "/en"):
        html = client.get(prefix + event.get_absolute_url()).content.decode()
        main = html[html.index("<main") :]
        assert not SCRIPT_PATTERN.search(main), SCRIPT_PATTERN.search(main)


@pytest.mark.django_db
def test_admin_shows_how_the_markdown_will_look(staff_client):
    event = EventFactory(summary="Ringkasan dengan **tebal**.", status="draft")
    html = staff_client.get(
        reverse("admin:workshops_event_change", args=[event.pk])
    ).content.decode()
    assert (
        '<div class="markdown-preview"><p>Ringkasan dengan <strong>tebal</strong>.</p></div>'
        in html
    )
