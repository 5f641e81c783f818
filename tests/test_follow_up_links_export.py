"""/follow-up/links.json writes each public link from its columns (values, not model
instances: a page is 100 links): what it writes must be what the models say, for every
kind of link and origin: a conclusion and a sub-point, a group, a focus area of the
site's programme and of another, taken up, carried to a later conclusion, not taken up."""

import datetime
import json

import pytest

from follow_up.models import Link
from tests.factories import (
    ConclusionFactory,
    FocusAreaFactory,
    LinkFactory,
    ProgrammeFactory,
)
from workshops.models import default_programme

pytestmark = pytest.mark.django_db


def expected(link):
    """The link as the export wrote it from model instances (before it read values)."""

    def url(obj):
        return f"http://testserver{obj.get_absolute_url()}" if obj else None

    return {
        "ref": link.ref,
        "kind": link.kind,
        "date": link.date.isoformat(),
        "conclusion": link.conclusion.ref if link.conclusion_id else None,
        "conclusion_label": link.conclusion.label if link.conclusion_id else None,
        "group": link.group.ref if link.group_id else None,
        "focus_area": link.focus_area.number if link.focus_area_id else None,
        "from_url": url(link.conclusion or link.group or link.focus_area),
        "plan": link.plan_item.plan.slug if link.plan_item_id else None,
        "plan_item": link.plan_item.code if link.plan_item_id else None,
        "later_conclusion": link.later_conclusion.ref if link.later_conclusion_id else None,
        "later_conclusion_label": link.later_conclusion.label if link.later_conclusion_id else None,
        "to_url": url(link.plan_item or link.later_conclusion),
        "note": {"id": link.note_ind or "", "en": link.note_en or ""},
        "source_url": link.source_url,
    }


@pytest.fixture
def links():
    top = ConclusionFactory()
    point = ConclusionFactory(group=top.group, parent=top, number=2, order=1)
    later = ConclusionFactory()
    later_point = ConclusionFactory(group=later.group, parent=later, number=1, order=1)
    other = ProgrammeFactory(slug="lain", name="Lain")
    day = datetime.date
    made = [
        LinkFactory(conclusion=top, date=day(2019, 1, 1)),
        LinkFactory(conclusion=point, note_en="", date=day(2019, 1, 2)),
        LinkFactory(conclusion=None, group=point.group, date=day(2019, 1, 3)),
        LinkFactory(conclusion=None, focus_area=top.group.focus_area, date=day(2019, 1, 4)),
        LinkFactory(conclusion=None, focus_area=FocusAreaFactory(programme=other)),
        LinkFactory(kind="refined", plan_item=None, later_conclusion=later_point),
        LinkFactory(kind="replaced", plan_item=None, later_conclusion=later),
        LinkFactory(kind="not_taken_up", plan_item=None, note_ind="Tidak", note_en=""),
    ]
    assert default_programme() is not None and default_programme().slug != "lain"
    return made


@pytest.mark.parametrize("language", ["", "/en"])
def test_each_exported_link_is_what_its_models_say(client, links, language):
    document = json.loads(client.get(f"{language}/follow-up/links.json").content)
    assert (document["page"], document["pages"], document["count"]) == (1, 1, len(links))
    fresh = Link.objects.filter(pk__in=[link.pk for link in links]).order_by("pk")
    assert document["links"] == [expected(link) for link in fresh]
    by_kind = {link["kind"]: link for link in document["links"]}
    assert by_kind["refined"]["later_conclusion_label"].endswith(".1.a")
    area_urls = [link["from_url"] for link in document["links"] if link["focus_area"]]
    assert area_urls[0].endswith(f"/focus-areas/{links[0].conclusion.group.focus_area.number}/")
    assert "/programmes/lain/focus-areas/" in area_urls[1]


def test_the_export_pages_by_100_with_the_total(client, links):
    top = links[0].conclusion
    Link.objects.bulk_create(
        Link(conclusion=ConclusionFactory(group=top.group), kind="not_taken_up",
             state="published", date=datetime.date(2020, 1, 1), ref=f"hal{n:05d}")
        for n in range(150)
    )  # fmt: skip
    first = json.loads(client.get("/follow-up/links.json").content)
    second = json.loads(client.get("/follow-up/links.json?page=2").content)
    assert (first["count"], first["pages"], second["page"]) == (158, 2, 2)
    for page in ("9", "0", "-1", "abc", "99999999999999999999"):  # as the HTML lists
        assert client.get("/follow-up/links.json", {"page": page}).status_code == 404
    refs = [link["ref"] for link in first["links"] + second["links"]]
    assert len(refs) == len(set(refs)) == 158
    assert refs == list(Link.objects.order_by("pk").values_list("ref", flat=True))
