"""The follow-up list's rows: the `listed_conclusion` filter, fed by plain values
(listed_conclusions, attach_latest_outcomes), writes each conclusion as the list's
template loop and its follow_up/outcome.html include wrote it from model instances
(attach_outcomes), byte for byte, in both languages: every kind of outcome (taken up,
with each shown status; carried to a later conclusion; not taken up), made on the
conclusion, its group or its focus area, the latest of several, none, a draft link
and a link carried to an unpublished event left out, a sub-point, a long text, and
English texts missing."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from focus_areas.models import Conclusion
from follow_up.selectors import attach_latest_outcomes, attach_outcomes
from tests.factories import (
    ConclusionFactory,
    EventFactory,
    LinkFactory,
    PlanItemFactory,
    StatusUpdateFactory,
)
from workshops.site.follow_up_views import listed_conclusions
from workshops.templatetags.jakres import listed_conclusion

pytestmark = pytest.mark.django_db

# The loop body of followup_list.html the filter replaced, a template.
THE_LOOP_BODY = (
    "{% load i18n jakres %}\n"
    "    <li>\n"
    '      <span class="conclusion-number">{{ conclusion.label }}</span> <a href="{{ conclusion.get_absolute_url }}">{{ conclusion|tr_words:"text" }}</a>\n'
    '      <p class="event-meta">{{ conclusion.group.session.event|tr:"title" }}, <time datetime="{{ conclusion.group.session.event.start_date|day:\'Y-m-d\' }}">{{ conclusion.group.session.event.start_date|day:"j F Y" }}</time> · {% blocktranslate trimmed with number=conclusion.group.focus_area.number %}Focus area {{ number }}{% endblocktranslate %}</p>\n'
    '      <p class="latest-outcome">{% translate "Latest:" %} {% if conclusion.latest_outcome %}{% include "follow_up/outcome.html" with link=conclusion.latest_outcome %}{% else %}{% translate "No follow-up recorded yet" %}{% endif %}</p>\n'
    "    </li>\n"
    "  "
)


def make_conclusions():
    """Conclusions of one event, each reached by a different kind of outcome."""
    event = EventFactory(title_en="")  # its English title missing
    first = ConclusionFactory(
        group__session__event=event, text_ind=" ".join(["kata"] * 40) + " <b>&", text_en=""
    )
    group = first.group
    made = [first]
    stale, fresh, silent = (PlanItemFactory(title_en="") for _ in range(3))
    StatusUpdateFactory(item=stale, date=datetime.date(2019, 1, 1), status="in_progress")
    StatusUpdateFactory(item=fresh, status="in_progress", percent=40)
    fresh_done = PlanItemFactory(plan=fresh.plan)
    StatusUpdateFactory(item=fresh_done, status="done")
    LinkFactory(conclusion=first, plan_item=fresh, date=datetime.date(2019, 6, 1))
    LinkFactory(conclusion=first, plan_item=fresh_done, date=datetime.date(2019, 7, 1))
    for item in (stale, silent):
        made.append(ConclusionFactory(group=group, text_en=""))
        LinkFactory(conclusion=made[-1], plan_item=item)
    later_event = EventFactory(start_date=datetime.date(2020, 2, 2), title_en="")
    later_point = ConclusionFactory(group__session__event=later_event)
    later = ConclusionFactory(group=later_point.group, parent=later_point, number=1)
    made.append(ConclusionFactory(group=group))
    LinkFactory(conclusion=made[-1], kind="refined", plan_item=None, later_conclusion=later)
    made.append(ConclusionFactory(group=group))
    LinkFactory(conclusion=made[-1], kind="not_taken_up", plan_item=None)
    LinkFactory(conclusion=made[-1], plan_item=fresh, state="draft", date=datetime.date(2024, 1, 1))
    hidden_event = EventFactory(status="draft")
    hidden = ConclusionFactory(group__session__event=hidden_event)
    LinkFactory(conclusion=made[-1], kind="repeated", plan_item=None, later_conclusion=hidden,
                date=datetime.date(2024, 2, 1))  # fmt: skip
    made.append(ConclusionFactory(group=group, parent=made[1], number=2, text_en=""))
    # A second group, reached by a link made on it, and a third by its focus area's.
    other = ConclusionFactory(group__session__event=event)
    LinkFactory(conclusion=None, group=other.group, plan_item=fresh, date=datetime.date(2021, 1, 1))
    LinkFactory(conclusion=other, plan_item=silent, date=datetime.date(2020, 1, 1))
    area = ConclusionFactory(group__session__event=event)
    LinkFactory(conclusion=None, focus_area=area.group.focus_area, kind="not_taken_up",
                plan_item=None)  # fmt: skip
    alone = ConclusionFactory(group__session__event=event)
    return [*made, other, area, alone]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_listed_conclusion_is_the_loop_it_replaced(language):
    made = make_conclusions()
    ids = [c.pk for c in made]
    with translation.override(language):
        old = list(
            Conclusion.objects.filter(pk__in=ids)
            .select_related("group__session__event", "group__focus_area", "parent")
            .order_by("pk")
        )
        attach_outcomes(old, listed=True)
        expected = [Template(THE_LOOP_BODY).render(Context({"conclusion": c})) for c in old]
        rows = listed_conclusions(ids)
        new = [rows[pk] for pk in sorted(ids)]
        attach_latest_outcomes(new)
        assert [str(listed_conclusion(c)) for c in new] == expected
    seen = "".join(expected)
    parts = ["status-in_progress", "status-done", "status-no_news", "status-no_update",
             "outcome-scope", ".a</span>", "kata …"]  # fmt: skip
    if language == "en":
        parts += ["fallback-marker", '<span lang="id">']
    for part in parts:
        assert part in seen, part
    assert "<b>" not in seen
    assert sum(1 for c in new if c.latest_outcome is None) == 2  # a sub-point, and `alone`


def test_a_listed_conclusion_shows_its_latest_public_outcome():
    made = make_conclusions()
    rows = listed_conclusions([c.pk for c in made])
    listed = [rows[c.pk] for c in made]
    attach_latest_outcomes(listed)
    with translation.override("en"):
        lines = [str(listed_conclusion(c)) for c in listed]
    assert "Done" in lines[0] and "In progress" not in lines[0]  # the later of two
    assert "no news since 1 January 2019" in lines[1]
    assert "No status reported" in lines[2] or "status-no_update" in lines[2]
    assert "Refined at a later event: <a href=" in lines[3] and ".1.a</span>" in lines[3]
    # a draft link and one carried to an unpublished event are not shown
    assert "Latest: Not taken up\n</p>" in lines[4]
    assert "(for the whole group)" in lines[6]  # the group's link is later than its own
    assert 'Not taken up <span class="outcome-scope">(for the whole focus area)' in lines[7]
    assert "Latest: No follow-up recorded yet</p>" in lines[8]
