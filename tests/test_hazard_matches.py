"""The stored matches of conclusions to the shocks and stresses their text names
(focus_areas/hazard_matches.py) equal the whole-word regex rule after every kind of
change: a conclusion saved, created or deleted, a shock or stress created, renamed or
deleted, fixtures loaded, an old version restored, everything matched afresh."""

import re

import pytest
import reversion
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from reversion.models import Version

from focus_areas.hazard_matches import hazard_pattern, rematch_all
from focus_areas.models import Conclusion, HazardConclusion
from tests.factories import ConclusionFactory, HazardFactory
from workshops.models import Hazard

pytestmark = pytest.mark.django_db


def by_sql_regex(hazard):
    """The rule as the database's own case-insensitive regex (what the page used to
    run): the stored matches must agree with it on both backends."""
    pattern = {"postgresql": r"\m{}\M"}.get(connection.vendor, r"\b{}\b")
    condition = Q(pk__in=[])
    for language in ("ind", "en"):
        words = (getattr(hazard, f"name_{language}") or "").split()
        if words:
            regex = pattern.format(r"\s+".join(re.escape(word) for word in words))
            condition |= Q(**{f"text_{language}__iregex": regex})
    return set(Conclusion.objects.filter(condition).values_list("pk", flat=True))


def stored(hazard):
    return set(
        HazardConclusion.objects.filter(hazard=hazard).values_list("conclusion_id", flat=True)
    )


def assert_stored_equals_rule():
    for hazard in Hazard.objects.all():
        assert stored(hazard) == by_sql_regex(hazard), hazard.name_ind
    assert HazardConclusion.objects.count() == sum(
        len(by_sql_regex(hazard)) for hazard in Hazard.objects.all()
    )


TEXTS = [
    ("Banjir datang lagi.", ""),  # capital first letter
    ("BANJIR, lalu kekeringan", ""),  # upper case, punctuation after
    ("(banjir)", ""),  # brackets around
    ("banjirnya surut", ""),  # inside a longer word: no
    ("pascabanjir", ""),  # at the end of a longer word: no
    ("bánjir", ""),  # an accent: another word
    ("banjir_rob", ""),  # underscore joins words: no
    ("ketahanan\n  kota diuji", ""),  # two words over a line break
    ("ketahanankota", ""),  # two words run together: no
    ("", "Floods again."),  # English text, English name
    ("", "banjir in English text"),  # Indonesian name in English text: no
]


@pytest.fixture
def hazards():
    return [
        HazardFactory(name="banjir", name_en="floods", slug="banjir"),
        HazardFactory(name="ketahanan kota", name_en="urban resilience", slug="ketahanan-kota"),
    ]


def make_conclusions():
    return [ConclusionFactory(text=ind, text_en=en) for ind, en in TEXTS]


def test_the_rule_matches_whole_words_case_insensitive():
    banjir = hazard_pattern("banjir")
    assert [bool(banjir.search(text)) for text, _ in TEXTS[:7]] == [
        True, True, True, False, False, False, False,
    ]  # fmt: skip
    assert hazard_pattern("ketahanan kota").search("Ketahanan\tKota!")
    assert not hazard_pattern("ketahanan kota").search("ketahanankota")
    assert hazard_pattern("  ") is None


def test_created_conclusions_are_matched_as_the_regex_does(hazards):
    made = make_conclusions()
    assert stored(hazards[0]) == {made[i].pk for i in (0, 1, 2, 9)}
    assert stored(hazards[1]) == {made[7].pk}
    assert_stored_equals_rule()


def test_a_hazard_made_after_the_conclusions_is_matched(hazards):
    make_conclusions()
    HazardFactory(name="kota", name_en="city", slug="kota")
    assert_stored_equals_rule()


def test_editing_either_language_rematches(hazards):
    conclusion = ConclusionFactory(text="Banjir", text_en="")
    conclusion.text_ind = "Kemarau"
    conclusion.save()
    assert stored(hazards[0]) == set()
    conclusion.text_en = "Urban  resilience first"
    conclusion.save()
    assert stored(hazards[1]) == {conclusion.pk}
    fresh = Conclusion.objects.get(pk=conclusion.pk)
    fresh.text_en = "nothing"
    fresh.save()
    assert stored(hazards[1]) == set()
    assert_stored_equals_rule()


def test_renaming_a_hazard_in_either_language_rematches(hazards):
    make_conclusions()
    hazard = Hazard.objects.get(slug="banjir")
    hazard.name_ind = "kekeringan"
    hazard.save()
    assert_stored_equals_rule()
    assert Conclusion.objects.get(text_en="Floods again.").pk in stored(hazard)
    hazard.name_en = "flood"  # "Floods" is another word
    hazard.save()
    assert stored(hazard) == {Conclusion.objects.get(text_ind="BANJIR, lalu kekeringan").pk}
    assert_stored_equals_rule()


def test_deleting_either_side_removes_its_matches(hazards):
    made = make_conclusions()
    made[0].delete()
    assert_stored_equals_rule()
    hazards[1].delete()
    assert not HazardConclusion.objects.filter(hazard_id=hazards[1].pk).exists()
    assert_stored_equals_rule()


def test_loading_a_fixture_rematches_raw_saves(hazards, tmp_path):
    conclusion = ConclusionFactory(text="Kemarau", text_en="")
    conclusion.text_ind = "Banjir besar"  # in the fixture only
    path = tmp_path / "conclusion.json"
    path.write_text(serializers.serialize("json", [conclusion]))
    call_command("loaddata", str(path), verbosity=0)
    assert stored(hazards[0]) == {conclusion.pk}
    assert_stored_equals_rule()


def test_restoring_an_old_version_rematches(hazards):
    with reversion.create_revision():
        conclusion = ConclusionFactory(text="Banjir besar", text_en="")
    conclusion.text_ind = "Kemarau"
    conclusion.save()
    assert stored(hazards[0]) == set()
    Version.objects.get_for_object(conclusion).first().revert()
    assert stored(hazards[0]) == {conclusion.pk}
    assert_stored_equals_rule()


def test_matching_everything_afresh_equals_the_rule(hazards):
    make_conclusions()
    HazardConclusion.objects.all().delete()
    Conclusion.objects.filter(text_ind="pascabanjir").update(text_ind="banjir!")  # no signal
    assert rematch_all() == 6
    assert_stored_equals_rule()
