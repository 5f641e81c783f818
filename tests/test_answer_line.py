"""The `answer` filter writes a link on its plan item's page as the template lines it
replaced did (planitem_detail.html), byte for byte, in both languages: for a
conclusion (with a long text, a sub-point's label, an English text missing), a group
and a focus area."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import ConclusionFactory, LinkFactory, ProgrammeFactory
from workshops.templatetags.jakres import answer

pytestmark = pytest.mark.django_db

# The lines of planitem_detail.html the filter replaced, a template.
THE_LINES = (
    "{% load i18n jakres %}{% if link.conclusion %}"
    '<span class="conclusion-number">{{ link.conclusion.label }}</span> '
    '<a href="{{ link.conclusion.get_absolute_url }}">{{ link.conclusion|tr_words:"text" }}</a>'
    ' — {{ link.conclusion.group.session.event|tr:"title" }}, <time datetime="'
    "{{ link.conclusion.group.session.event.start_date|date:'Y-m-d' }}\">"
    '{{ link.conclusion.group.session.event.start_date|date:"j F Y" }}</time>'
    '{% elif link.group %}<a href="{{ link.group.get_absolute_url }}">{% blocktranslate trimmed '
    "with number=link.group.number %}Group {{ number }}{% endblocktranslate %}, "
    '{{ link.group.focus_area|tr:"title" }}</a> — {{ link.group.session.event|tr:"title" }}'
    '{% else %}<a href="{{ link.focus_area.get_absolute_url }}">{{ link.focus_area|tr:"title" }}</a>'
    '{% endif %}\n      ({% blocktranslate trimmed with date=link.date|date:"j F Y" %}linked '
    "{{ date }}{% endblocktranslate %})"
)


def links():
    long = ConclusionFactory(text_ind=" ".join(["kata"] * 40) + " <b>&", text_en="")
    point = ConclusionFactory(group=long.group, parent=long, number=1, text_en="A & B")
    group = ConclusionFactory().group
    area = ConclusionFactory().group.focus_area
    return [
        LinkFactory(conclusion=long),
        LinkFactory(conclusion=point),
        LinkFactory(conclusion=None, group=group),
        LinkFactory(conclusion=None, focus_area=area),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_answer_is_the_lines_it_replaced(language):
    with translation.override(language):
        for link in links():
            expected = Template(THE_LINES).render(Context({"link": link}))
            assert str(answer(link)) == expected


def test_the_answer_escapes_and_shortens_the_text():
    with translation.override("id"):
        line = str(answer(links()[0]))
    assert "&lt;b&gt;" not in line and "<b>" not in line  # cut after 30 words
    assert line.count("kata") == 30 and "kata …</a>" in line
    assert "(ditautkan 1 Juni 2019)" in line


@pytest.mark.parametrize("words", [28, 29, 40])
def test_a_long_text_shown_in_indonesian_is_cut_with_its_markup_whole(words):
    """In English, a conclusion with no English text is the Indonesian in a span with a
    marker; its 30 words are cut before those are added, so no tag is left open (cut
    after, 28 words left `<span …</a>`, 40 an unclosed span and no marker)."""
    link = LinkFactory(
        conclusion=ConclusionFactory(text_ind=" ".join(["kata"] * words), text_en="")
    )
    with translation.override("en"):
        line = str(answer(link))
    link_text = line[line.index(">", line.index("<a href")) + 1 : line.index("</a>")]
    assert link_text.startswith('<span lang="id">kata ')
    assert link_text.count("kata") == min(words, 30)
    assert link_text.endswith(
        '</span> <span class="fallback-marker">(not yet translated, shown in Indonesian)</span>'
    )
    assert line.count("<span") == line.count("</span>")


@pytest.mark.parametrize("words", [18, 19, 25])
def test_the_trail_cuts_an_earlier_conclusion_with_its_markup_whole(client, words):
    """A conclusion's trail names the earlier conclusion carried to it by its first 20
    words; in English, one with no English text is the Indonesian in a span with a
    marker, cut before those are added (cut after, 18 words left the marker's span
    open, 25 the language span)."""
    programme = ProgrammeFactory()
    earlier = ConclusionFactory(
        group__session__event__programme=programme,
        group__session__event__start_date=datetime.date(2018, 9, 26),
        text_ind=" ".join(["kata"] * words),
        text_en="",
    )
    later = ConclusionFactory(
        group__session__event__programme=programme,
        group__session__event__start_date=datetime.date(2018, 11, 20),
    )
    LinkFactory(
        conclusion=earlier, kind="refined", plan_item=None, later_conclusion=later,
        date=datetime.date(2018, 11, 20),
    )  # fmt: skip
    page = client.get("/en" + later.get_absolute_url()).content.decode()
    start = page.index(">", page.index(f'<a href="{earlier.get_absolute_url()}"')) + 1
    link_text = page[start : page.index("</a>", start)]
    assert link_text.startswith('<span lang="id">kata ')
    assert link_text.count("kata") == min(words, 20)
    assert link_text.endswith(
        '</span> <span class="fallback-marker">(not yet translated, shown in Indonesian)</span>'
    )
