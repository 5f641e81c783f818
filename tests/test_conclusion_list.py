"""The `conclusion_list` filter writes a group's conclusions as the include it replaced
did (includes/conclusions.html), byte for byte, in both languages: with sub-points, a
"Follow-up" link on some (has_trail), an English text missing, and text to escape. The
proceedings and a focus area list a hundred conclusions a page; the include's look-ups
and translations per conclusion cost more than the rest of the page."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import ConclusionFactory
from workshops.templatetags.jakres import conclusion_list

pytestmark = pytest.mark.django_db

# includes/conclusions.html as it was, a template.
THE_INCLUDE = (Path(__file__).parent / "data" / "conclusions_include.html").read_text()


def group_with_conclusions(trails):
    first = ConclusionFactory(text_ind='Air & <tanah> "bersih"', text_en="")
    group = first.group
    second = ConclusionFactory(group=group, text_en="Second & last")
    ConclusionFactory(group=group, parent=first, number=1, order=1, text_en="")
    ConclusionFactory(group=group, parent=first, number=2, order=2, text_en="Point <b>")
    ConclusionFactory(group=group, parent=second, number=1, order=1)
    group.refresh_from_db()
    conclusions = group.conclusion_tree()
    for index, conclusion in enumerate(conclusions):
        if trails:
            conclusion.has_trail = index == 0
        for number, point in enumerate(conclusion.sub_points):
            if trails:
                point.has_trail = number == 1
    return conclusions


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("trails", [True, False], ids=["some-trails", "no-trail-attribute"])
def test_the_list_is_the_include_it_replaced(language, trails):
    conclusions = group_with_conclusions(trails)
    with translation.override(language):
        expected = Template(THE_INCLUDE).render(Context({"conclusions": conclusions}))
        assert str(conclusion_list(conclusions)) == expected
        assert conclusion_list([]) == Template(THE_INCLUDE).render(Context({"conclusions": []}))


def test_the_list_numbers_links_and_escapes_the_conclusions():
    conclusions = group_with_conclusions(trails=True)
    first = conclusions[0]
    with translation.override("en"):
        html = str(conclusion_list(conclusions))
        url = first.get_absolute_url()
    label = first.label
    assert url == f"/en/conclusions/{first.ref}/"
    assert f'<li id="simpulan-{first.ref}" class="conclusion">' in html
    assert f'<span class="conclusion-number">{label}</span>' in html
    assert (
        'Air &amp; &lt;tanah&gt; &quot;bersih&quot;</span> <span class="fallback-marker">' in html
    )
    assert (
        f'<a class="trail-link" href="{url}#tindak-lanjut">Follow-up'
        f'<span class="visually-hidden"> of conclusion {label}</span></a>'
    ) in html
    assert html.count('class="trail-link"') == 2  # the first conclusion, its second point
    assert f'<span class="conclusion-number">{label}.b</span>' in html
    assert "Point &lt;b&gt;" in html
    assert "Second &amp; last" in html
    assert html.count('<li id="simpulan-') == 5
