"""Staff Markdown renders in bounded time and memory, and no text silently disappears."""

import gc
import re
import time
import tracemalloc

import pytest

from jakres.core import text
from jakres.core.text import render_text
from tests.factories import FocusAreaFactory

END = "AKHIR-TEKS"
SIZE = 100_000  # characters of hostile input
BUDGET = 0.2  # seconds for one render


def _run(unit, size=SIZE):
    return (unit * (size // len(unit) + 1))[:size]


def hostile(size):
    """Shapes of text that made a Markdown parser or the sanitiser super-linear."""
    return {
        # Python-Markdown's link and reference patterns backtrack on these.
        "open brackets": _run("[", size),
        "empty links": _run("[](", size),
        "images": _run("![", size),
        "bracketed words": _run("[a", size),
        "reference links": _run("[x][", size),
        "footnote-like": _run("[^", size),
        "bracket then tag": _run("[<", size),
        "image links": _run("![](", size),
        "long lines of images": ("![" * 500 + "\n") * (size // 1001),
        "open bracket then parens": "[" * (size // 2) + "](" * (size // 4),
        # Emphasis, code, entities, line structure.
        "stars": _run("*", size),
        "underscores": _run("_", size),
        "star words": _run("*a", size),
        "strong words": _run("**a", size),
        "mixed emphasis": _run("*_", size),
        "nested emphasis": "*_" * (size // 4) + "_*" * (size // 4),
        "backticks": _run("`", size),
        "growing backtick runs": "".join("`" * i + "a" for i in range(1, int((2 * size) ** 0.5))),
        "ampersands": _run("&", size),
        "numeric entities": _run("&#", size),
        "empty list items": _run("-\n", size),
        "short lines": _run("a\n", size),
        "links": _run("[a](b) ", size),
        # Nesting: the sanitiser's HTML parser is quadratic in the depth of open elements.
        "nested quotes": _run(">", size),
        "nested quotes with spaces": _run("> ", size),
        "nested lists": _run("- ", size),
        "nested ordered lists": _run("1. ", size),
        "nested lists by indent": "".join("  " * i + "- a\n" for i in range(int(size**0.5))),
        "nested lists by tabs": "".join("\t" * i + "- a\n" for i in range(int(size**0.5))),
        "quotes and lists": _run("> - ", size),
        # Raw HTML.
        "angle brackets": _run("<", size),
        "unfinished tags": _run("<a ", size),
        "nested divs": _run("<div>\n", size),
        "nested list tags": _run("<ul><li>", size),
        "nested definition lists": _run("<dl><dt>", size),
        "nested blockquote tags": _run("<blockquote>", size),
        "unclosed comments": _run("<!--", size),
        "formatting tags with attributes then paragraphs": "".join(
            f"<b title={i}>" for i in range(size // 30)
        )
        + "\n\n".join(["x"] * (size // 30)),
        "formatting tags then closing paragraphs": "".join(
            f"<i class={i}>" for i in range(size // 20)
        )
        + "</p>" * (size // 20),
        "misnested end tags": _run("<b></a>", size),
        "links in bold": _run("<a><b>", size),
        "end tags hidden in attributes": _run('<div title="</div>">', size),
        "divs in a few paragraphs": _run("<div>" * 200 + "\n\n" + "x\n\n" * 200, size),
        "unclosed quote": '<div title="\n\n' + _run("x ", size),
    }


HOSTILE = list(hostile(SIZE))
# Just under the size above which a text is no longer parsed as Markdown: the slowest.
AT_THE_LIMIT = getattr(text, "MAX_MARKDOWN_CHARS", SIZE) - 100


@pytest.mark.parametrize("size", [SIZE, AT_THE_LIMIT], ids=["100KB", "limit"])
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markdown_renders_within_budget(name, size):
    """Protects every public page from a staff text that takes seconds to render."""
    render_text("Pemanasan **awal**.")  # imports and converters are ready
    value = hostile(size)[name] + "\n\n" + END
    started = time.perf_counter()
    html = str(render_text(value))
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET, f"{name}: {elapsed:.3f} s"
    assert END in html


def test_text_beyond_the_markdown_limit_is_shown_as_plain_paragraphs():
    """Protects the server from a megabyte of Markdown: it is shown, escaped, not parsed."""
    value = "**Awal** <b>x</b>\n\n" + _run("[a", 1_000_000) + "\n\n" + END
    started = time.perf_counter()
    html = str(render_text(value))
    assert time.perf_counter() - started < BUDGET
    assert html.startswith("<p>**Awal** &lt;b&gt;x&lt;/b&gt;</p>")
    assert html.endswith(f"<p>{END}</p>")
    assert "<b>" not in html


UNCLOSED = [
    "<style>",
    "<script>",
    "<textarea>",
    "<STYLE type='text/css'>",
    "<title>",
    "<xmp>",
    "<iframe>",
    "<noscript>",
    "<noembed>",
    "<noframes>",
    "<plaintext>",
    "<template>",
    "<!--",
    "<?php",
    "<!DOCTYPE",
    "<![CDATA[",
]
SWALLOWING_TAG = re.compile(
    r"<\s*/?\s*(?:style|script|textarea|title|xmp|iframe|noscript|noembed|noframes"
    r"|plaintext|template)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("opening", UNCLOSED)
@pytest.mark.parametrize("layout", ["own line", "inline"])
def test_unclosed_tag_does_not_hide_the_rest_of_the_text(opening, layout):
    """Protects staff text after an unclosed <style>, <script>, <textarea> (and kin)."""
    if layout == "own line":
        value = f"Awal.\n\n{opening}\n\nSesudah **tebal**, lanjut."
    else:
        value = f"Awal {opening} tengah.\n\nSesudah **tebal**, lanjut."
    html = str(render_text(value))
    assert "Awal" in html
    if layout == "inline":
        assert "tengah." in html
    assert "<p>Sesudah <strong>tebal</strong>, lanjut.</p>" in html, html
    assert not SWALLOWING_TAG.search(html), html
    assert "&lt;/p&gt;" not in html and "&lt;strong&gt;" not in html, html


def test_closed_script_and_style_show_as_text_and_never_run():
    """Protects pages from script and style markup: shown as text, never as tags."""
    html = str(render_text("A <script>alert(1)</script> B <style>p{}</style> C"))
    assert html == (
        "<p>A &lt;script&gt;alert(1)&lt;/script&gt; B &lt;style&gt;p{}&lt;/style&gt; C</p>"
    )


@pytest.mark.django_db
def test_unclosed_style_in_a_focus_area_does_not_hide_its_description(client):
    """Protects the public focus-area page (Editors publish it without review)."""
    area = FocusAreaFactory(
        number=41,
        description="Ketahanan pesisir.\n\n<style>\n\nProgram **tanggul** laut dan mangrove.",
    )
    html = client.get(area.get_absolute_url()).content.decode()
    main = html[html.index("<main") :]
    assert "<p>Program <strong>tanggul</strong> laut dan mangrove.</p>" in main
    assert not SWALLOWING_TAG.search(main)


def test_render_cache_is_bounded_by_size():
    """Protects each worker's memory from many large texts kept in the render cache."""
    render_text.cache_clear()
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        for i in range(200):
            render_text(f"Teks {i}: " + "kata biasa dan **tebal** " * 1_600)  # 40 KB each
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    # 200 texts of 40 KB and their HTML would keep 17 MB; the cache keeps at most 8 MiB.
    assert retained < 10 * 1024 * 1024, f"{retained / 2**20:.1f} MiB retained"
    cache = text.render_cache
    assert 0 < cache.size_bytes <= cache.max_bytes
    # Small texts are still served from the cache.
    small = "Ringkasan *singkat*."
    assert render_text(small) is render_text(small)
    assert str(render_text(small)) == "<p>Ringkasan <em>singkat</em>.</p>"
