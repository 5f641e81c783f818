"""The strategy fixture (fixtures/follow_up_strategy.json) holds what
shared/research/strategy.md says, each record with its source, and nothing more."""

import io

import pytest
from django.core.management import call_command

from follow_up.models import Link, Plan, PlanItem, StatusUpdate

pytestmark = pytest.mark.django_db

DRAFT_NOL = "https://issuu.com/jakberketahanan/docs/jakarta_draft_0_resilience_strategy"
STRATEGY = "https://www.100resilientcities.org/strategies/jakarta/"
UCLG = "https://www.uclg-aspac.org/jakarta-ready-to-be-more-resilient-in-2019/"

# strategy.md, "The three pillars": Indonesian name, 100RC's English name, and the
# other English name (UCLG ASPAC, Strategy Brief), with what each covers.
PILLARS = {
    "1": ("Jakarta yang Siap", "Ready Jakarta", "WELL-PREPARED Jakarta", "bencana"),
    "2": ("Jakarta yang Sehat", "Healthy Jakarta", "HEALTHY Jakarta", "air limbah"),
    "3": ("Jakarta yang Sinergis", "Connected Jakarta", "CONNECTED Jakarta", "Keterhubungan"),
}


@pytest.fixture
def strategy(workshop):
    call_command("loaddata", "follow_up_strategy", verbosity=0)


def test_the_two_plans_of_the_sources_with_their_sources(strategy):
    draft, final = Plan.objects.order_by("order")
    assert draft.title_ind == "Draft Nol Strategi Ketahanan Kota Jakarta"
    assert draft.date is None and draft.date_note_ind == "akhir November 2018"
    assert draft.source_url == DRAFT_NOL
    assert "Balai Kota" in draft.description_ind
    assert "Jakarta Berketahanan yang Siap, Sehat, dan Sinergis" in draft.description_ind
    assert "Michael Berkowitz" in draft.description_ind
    assert "beritajakarta.id" in draft.source_note_ind
    assert final.title_ind == "Strategi Ketahanan Kota Jakarta (2019)"
    assert final.source_url == STRATEGY and UCLG in final.source_note_en
    assert "10 April 2019" in final.source_note_en
    assert {draft.programme.slug, final.programme.slug} == {"jakarta-berketahanan"}


def test_each_plan_holds_the_three_pillars_and_nothing_invented(strategy):
    for plan in Plan.objects.all():
        items = list(plan.items.order_by("sort_key"))
        assert [i.code for i in items] == ["1", "2", "3"]  # no goals or actions: not in the sources
        for item in items:
            name_id, name_en, other_en, covers = PILLARS[item.code]
            assert (item.title_ind, item.title_en) == (name_id, name_en)
            assert item.source_url == plan.source_url
            assert item.parent_id is None and item.lead_organisation_id is None
        final = {i.code: i for i in items}
        if plan.source_url == STRATEGY:
            for code, (_id, _en, other_en, covers) in PILLARS.items():
                assert other_en in final[code].source_note_en  # where sources disagree
                assert covers in final[code].description_ind


def test_every_plan_and_item_has_a_source_url(strategy):
    assert all(p.source_url.startswith("https://") for p in Plan.objects.all())
    assert all(i.source_url.startswith("https://") for i in PlanItem.objects.all())


def test_no_links_or_statuses_the_sources_do_not_give(strategy):
    assert not Link.objects.exists()
    assert not StatusUpdate.objects.exists()


def test_loading_the_strategy_twice_changes_nothing(strategy):
    before = list(PlanItem.objects.values_list("pk", "ref", "code", "title_ind", "plan_id"))
    call_command("loaddata", "follow_up_strategy", verbosity=0)
    assert list(PlanItem.objects.values_list("pk", "ref", "code", "title_ind", "plan_id")) == before
    assert Plan.objects.count() == 2


def test_setup_portal_adds_the_strategy_to_a_database_that_has_events(workshop):
    call_command("setup_portal", verbosity=0, stdout=io.StringIO())
    assert Plan.objects.count() == 2 and PlanItem.objects.count() == 6
