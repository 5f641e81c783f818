"""The proceedings page as a publication (issue 11, item 1): its table of contents, no
sentence shown twice, the editors' numbering marked as such, one number per conclusion,
quiet permalinks, and one identity per focus area across the pages that show it."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from focus_areas.models import DiscussionGroup
from tests.conftest import WORKSHOP_SLUG
from workshops.transfer import import_event

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"
BLOCKS = {"p", "li", "dt", "dd", "div", "section", "summary", "blockquote", "h1", "h2", "h3",
          "h4", "h5", "h6", "td", "th", "figcaption", "header", "footer", "article"}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _ShownText(HTMLParser):
    """The text a reader sees in <main>: without the table of contents (which repeats the
    headings by design), the citation, text for screen readers only, scripts, and the body of a closed
    <details> (the source's paragraph behind the editors' numbering)."""

    def __init__(self):
        super().__init__()
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        hidden = (
            tag in ("script", "style", "nav", "svg")
            or "visually-hidden" in classes
            or "citation" in classes  # "cite this" repeats the title, as a citation must
            or (tag == "details" and "open" not in attrs)
        )
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        in_main = any(tag == "main" for tag, _ in self.stack)
        # A closed <details> still shows its <summary>.
        hidden = [i for i, (tag, h) in enumerate(self.stack) if h]
        if hidden and self.stack[hidden[0]][0] == "details" and len(hidden) == 1:
            shown = any(tag == "summary" for tag, _ in self.stack[hidden[0] :])
        else:
            shown = not hidden
        if in_main and shown:
            self.parts.append(data)


def shown_text(html):
    """The shown text, one line per block (paragraph, list item, heading…)."""
    parser = _ShownText()
    parser.feed(html)
    text = re.sub(r"[^\S\n]+", " ", " ".join(parser.parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def sentences(text):
    """Sentences and list items of some length, normalised (case, closing punctuation)."""
    pieces = re.split(r"(?<=[.!?;])\s+|\n", text)
    normal = (re.sub(r"[\s.;:!?]+$", "", p).strip().lower() for p in pieces)
    return [s for s in normal if len(s.split()) >= 6]


def toc_of(html):
    return re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_sentence_is_shown_twice_on_the_proceedings_page(client, workshop, prefix):
    html = client.get(prefix + EVENT_URL).content.decode()
    found = sentences(shown_text(html))
    assert len(found) > 40  # the page's text was read
    repeated = sorted({s for s in found if found.count(s) > 1})
    assert repeated == []
    # Nor a long one inside another (a purpose restated within the summary); titles of
    # a few words are quoted in other sentences by design.
    unique = {s for s in found if len(s.split()) >= 10}
    contained = sorted((s, t) for s in unique for t in set(found) if s != t and s in t)
    assert contained == []


@pytest.mark.parametrize(
    ("prefix", "titles"),
    [
        ("", ["Managing Director 100 Resilient Cities Asia Pacific",
              "Direktur Perkotaan, Perumahan dan Permukiman Bappenas",
              "Deputi CRO Jakarta Berketahanan"]),
        ("/en", ["Managing Director, 100 Resilient Cities Asia Pacific",
                 "Director of Urban Affairs, Housing and Settlements, Bappenas",
                 "Deputy CRO, Resilient Jakarta"]),
    ],
    ids=["id", "en"],
)  # fmt: skip
def test_the_panel_is_introduced_once(client, workshop, prefix, titles):
    """The sessions' speakers are listed with their titles; the seed's sentence that
    named them all again (with the same titles) is not repeated above the list."""
    text = shown_text(client.get(prefix + EVENT_URL).content.decode())
    for title in titles:
        assert text.count(title) == 1, title


def test_the_two_working_sessions_output_is_said_once(client, workshop):
    """Both sessions before the workshop feed the same stage; the seed says it once, after
    listing them ("Keluaran dari rangkaian sesi kerja tersebut…")."""
    html = client.get(EVENT_URL).content.decode()
    process = html[html.index('id="process-heading"') : html.index('id="programme-heading"')]
    assert process.count("Resilience Impact Assessment") == 1
    assert "Hasil kegiatan-kegiatan tersebut menjadi masukan bagi:" in process
    assert "Hasilnya menjadi masukan bagi" not in process
    english = client.get("/en" + EVENT_URL).content.decode()
    assert "Their output feeds into:" in english


def test_an_event_with_one_earlier_event_keeps_its_own_output_line(client, workshop):
    html = client.get("/events/sesi-kerja-2018-09-19-visi-misi-program-prioritas/").content
    text = html.decode()
    assert "Hasilnya menjadi masukan bagi:" in text
    assert "Hasil kegiatan-kegiatan tersebut" not in text


@pytest.mark.parametrize(
    ("prefix", "label", "sections", "group", "area"),
    [
        ("", "Daftar isi", ["Sekilas kegiatan", "Tujuan dan ringkasan", "Susunan acara",
                            "Diskusi kelompok per fokus utama", "Dokumen", "Cara mengutip"],
         "Kelompok", "Memelihara kohesi sosial warga Jakarta"),
        ("/en", "Contents", ["At a glance", "Purpose and summary", "Programme",
                             "Group discussions by focus area", "Documents", "Cite this"],
         "Group", "Maintaining the social cohesion of Jakarta&#x27;s residents"),
    ],
    ids=["id", "en"],
)  # fmt: skip
def test_the_table_of_contents_lists_the_sections_and_the_groups(
    client, workshop, prefix, label, sections, group, area
):
    html = client.get(prefix + EVENT_URL).content.decode()
    toc = toc_of(html)
    assert f'<span id="toc-label">{label}</span>' in toc
    assert '<nav class="toc" aria-labelledby="toc-label">' in toc
    assert "<details" in toc and "<summary>" in toc  # collapsible on phones
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', toc, re.S)
    texts = [re.sub(r"<[^>]+>", " ", t) for _, t in links]
    for section in sections:
        assert any(t.strip() == section for t in texts), section
    for target, _ in links:  # every entry lands on something on the page
        assert f'id="{target}"' in html
    groups = [(t, x) for t, x in links if t.startswith("kelompok-")]
    anchors = [g.anchor for g in DiscussionGroup.objects.order_by("number")]
    assert [t for t, _ in groups] == anchors
    words = [re.sub(r"<[^>]+>", " ", x).split() for _, x in groups]
    # Each entry: the focus area's mark, "Group N", the focus area's title.
    assert [w[:3] for w in words] == [[str(n), group, str(n)] for n in range(1, 6)]
    assert " ".join(words[4][3:]) == area


def test_editorial_numbering_is_marked_on_groups_3_and_4_only(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    groups = {
        g.number: html[html.index(f'id="{g.anchor}"') :].split("</section>", 1)[0]
        for g in DiscussionGroup.objects.all()
    }
    for number, section in groups.items():
        marked = "Penomoran oleh redaksi" in section
        assert marked == (number in (3, 4)), number
    # The source's paragraph stays on the page, closed, beside the editors' list.
    assert re.search(
        r'<details class="source-paragraph"><summary>Kelompok 3 sebagaimana tertulis di '
        r"sumber</summary><p>Kelompok ini menyimpulkan perlu adanya program",
        groups[3],
    )
    assert "Hal ini dilakukan untuk mengoptimalkan peluang" in groups[4]
    english = client.get("/en" + EVENT_URL).content.decode()
    assert english.count("Numbering added by the editors") == 2


def test_editorial_numbering_travels_with_the_export(workshop):
    out = io.StringIO()
    call_command("export_event", WORKSHOP_SLUG, stdout=out)
    document = json.loads(out.getvalue())
    groups = [g for s in document["sessions"] for g in s["groups"]]
    assert [g["numbered_by_editors"] for g in groups] == [False, False, True, True, False]
    groups[0]["numbered_by_editors"] = True
    import_event(document)
    assert DiscussionGroup.objects.get(number=1).numbered_by_editors is True


def test_the_public_json_says_which_numbering_is_the_editors(client, workshop):
    document = client.get(f"{EVENT_URL}proceedings.json").json()
    groups = [g for s in document["sessions"] for g in s["groups"]]
    assert {g["number"] for g in groups if g["numbered_by_editors"]} == {3, 4}


def test_conclusions_show_their_citable_number_and_a_named_permalink(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    numbers = re.findall(r'<span class="conclusion-number">([^<]+)</span>', html)
    assert numbers[:7] == ["1.1", "1.2", "1.3", "2.1", "2.1.a", "2.1.b", "2.2"]
    assert numbers[-1] == "5.3"
    # The symbol has a name; no visible "Tautan ke simpulan" line remains.
    assert '<span class="visually-hidden">Tautan ke simpulan 2.1.a</span></a>' in html
    assert '<span class="visually-hidden">Tautan ke kelompok 4</span></a>' in html
    assert "Tautan ke simpulan" not in shown_text(html)
    assert "Tautan ke kelompok" not in shown_text(html)
    english = client.get("/en" + EVENT_URL).content.decode()
    assert '<span class="visually-hidden">Link to conclusion 5.3</span></a>' in english
    # The copy button's words and the status region it announces in.
    assert re.search(r'id="copy-status" role="status" data-copy="Salin tautan"', html)
    assert re.search(r'data-copy="Copy link" data-copied="Link copied:"', english)
    assert '<script src="/static/js/permalinks.js" defer></script>' in html


def test_each_focus_area_has_one_mark_across_the_pages(client, workshop):
    mark = '<span class="fa-mark fa-3" aria-hidden="true">3</span>'
    proceedings = client.get(EVENT_URL).content.decode()
    assert proceedings.count(mark) == 2  # the table of contents and the group's heading
    assert 'class="group fa-3"' in proceedings
    area = client.get("/focus-areas/3/").content.decode()
    assert mark in area
    # The follow-up chart of that page draws in the same colour (its wrapper's class).
    assert re.search(r'class="focus-area-page fa-3".*class="status-chart"', area, re.S)
    for url in ("/", "/focus-areas/"):
        assert mark in client.get(url).content.decode()
