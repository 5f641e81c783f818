"""People entered twice (issue 10, item 5): near-matches on adding, and merging."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse
from reversion.models import Version

from tests.factories import AppearanceFactory, DocumentFactory, PersonFactory
from workshops.editorial.people import near_match, similar_people
from workshops.models import Appearance, Document, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "one, other",
    [
        ("Oswar Muadzin Mungkasa", "Oswar M. Mungkasa"),
        ("Ibu Tri Dewi Virgiyanti", "tri dewi  virgiyanti"),
        ("Bapak Dr. Wicaksono Sarosa", "Wicaksono Sarosa, Ph.D."),
        ("Dede  Herland", "Dede Herland"),
        ("Lauren Sorkin", "L. Sorkin"),
        ("Nirwono Joga", "NirwonoJoga"),
    ],
)
def test_names_of_one_person_are_near_matches(one, other):
    assert near_match(one, other)
    assert near_match(other, one)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Oswar M. Mungkasa", "Oswar Siregar"),
        ("Tri Dewi", "Dewi Tri"),
        ("Ibu", "Ibu"),
        ("Ani", "Ani Budi"),
    ],
)
def test_names_of_different_people_are_not(one, other):
    assert not near_match(one, other)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_misspelt_name_is_found_by_trigram_similarity_on_postgresql():
    joga = PersonFactory(name="Nirwono Joga", slug="nirwono-joga")
    PersonFactory(name="Oswar Siregar", slug="oswar-siregar")
    assert not near_match("Nirwono Yoga", "Nirwono Joga")  # the rule alone misses it
    assert similar_people("Nirwono Yoga") == [joga]


def test_adding_a_variant_of_a_name_shows_the_person_already_there(client, editor):
    oswar = PersonFactory(name="Oswar M. Mungkasa", slug="oswar-m-mungkasa")
    assert similar_people("Oswar Muadzin Mungkasa") == [oswar]
    client.force_login(editor)
    url = reverse("admin:workshops_person_add")
    data = {"name": "Oswar Muadzin Mungkasa", "slug": "oswar-muadzin-mungkasa"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nama ini mirip dengan orang yang sudah ada" in html
    assert reverse("admin:workshops_person_change", args=[oswar.pk]) in html
    assert Person.objects.count() == 1
    popup = client.post(url + "?_popup=1", {**data, "_popup": "1"}).content.decode()
    assert reverse("admin:workshops_person_use", args=[oswar.pk]) in popup
    use = client.get(reverse("admin:workshops_person_use", args=[oswar.pk])).content.decode()
    assert f"&quot;value&quot;: &quot;{oswar.pk}&quot;" in use
    assert client.post(url, {**data, "someone_else": "on"}).status_code == 302
    assert Person.objects.count() == 2


def test_a_publisher_merges_people_entered_twice_with_history(client, publisher):
    kept = PersonFactory(name="Oswar M. Mungkasa", slug="oswar-m-mungkasa")
    twice = PersonFactory(name="Oswar Muadzin Mungkasa", slug="oswar-muadzin-mungkasa")
    spoke = AppearanceFactory(person=twice)
    slides = DocumentFactory(person=twice)
    client.force_login(publisher)
    changelist = reverse("admin:workshops_person_changelist")
    selected = {"action": "merge", ACTION_CHECKBOX_NAME: [kept.pk, twice.pk]}
    confirm = client.post(changelist, selected)
    assert "Gabungkan" in confirm.content.decode()
    done = client.post(changelist, {**selected, "keep": str(kept.pk)}, follow=True)
    assert "Digabungkan ke" in done.content.decode()
    assert not Person.objects.filter(pk=twice.pk).exists()
    assert Appearance.objects.get(pk=spoke.pk).person == kept
    assert Document.objects.get(pk=slides.pk).person == kept
    assert Version.objects.get_for_object(kept).first().revision.user == publisher


def test_an_editor_cannot_merge_people(client, editor):
    one, two = PersonFactory(), PersonFactory()
    client.force_login(editor)
    changelist = reverse("admin:workshops_person_changelist")
    response = client.post(
        changelist, {"action": "merge", ACTION_CHECKBOX_NAME: [one.pk, two.pk], "keep": one.pk}
    )
    assert response.status_code in (200, 302)
    assert Person.objects.filter(pk__in=[one.pk, two.pk]).count() == 2
