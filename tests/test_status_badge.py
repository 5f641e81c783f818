"""The status_badge filter writes an item's shown status as the include it replaced
did (follow_up/status.html before it became the filter), byte for byte, in both
languages: a plan lists every item, and an include per item cost a render each."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from follow_up.selectors import Shown
from workshops.templatetags.jakres import status_badge

# follow_up/status.html as it was, a template.
THE_INCLUDE = (
    '{% load i18n %}<span class="status status-{{ shown.key }}">{% if shown.key == "no_news" %}'
    '{% blocktranslate trimmed with date=shown.date|date:"j F Y" %}no news since {{ date }}'
    "{% endblocktranslate %}{% else %}{{ shown.label }}{% if shown.percent is not None %} "
    "({{ shown.percent }}%){% endif %}{% if shown.date %}, <time datetime=\"{{ shown.date|date:'Y-m-d' }}\">"
    '{{ shown.date|date:"j F Y" }}</time>{% endif %}{% endif %}</span>'
)

DAY = datetime.date(2025, 7, 17)
SHOWN = [
    Shown("no_news", DAY, None),
    Shown("in_progress", DAY, 40),
    Shown("in_progress", DAY, 0),
    Shown("in_progress", DAY, None),
    Shown("done", DAY, None),
    Shown("no_update", None, None),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: f"{s.key}-{s.percent}")
def test_the_badge_is_the_include_it_replaced(language, shown):
    with translation.override(language):
        expected = Template(THE_INCLUDE).render(Context({"shown": shown}))
        assert str(status_badge(shown)) == expected
        # and the include, now the filter, still writes it (with its line's end)
        include = Template('{% include "follow_up/status.html" %}').render(
            Context({"shown": shown})
        )
        assert include == expected + "\n"


def test_the_badge_names_the_status_and_its_date():
    with translation.override("en"):
        assert str(status_badge(Shown("no_news", DAY, None))) == (
            '<span class="status status-no_news">no news since 17 July 2025</span>'
        )
        assert str(status_badge(Shown("in_progress", DAY, 40))) == (
            '<span class="status status-in_progress">In progress (40%), '
            '<time datetime="2025-07-17">17 July 2025</time></span>'
        )
