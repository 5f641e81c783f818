"""Search through the stored index (search_index/): snippets with the matched words
marked, every kind of hit (shocks and stresses and people too), true totals per kind,
pagination, a misspelt word corrected on PostgreSQL, and an index that follows every
change of the proceedings in the same transaction."""

import re

import pytest
from django.db import connection

from focus_areas.models import Conclusion
from search_index.indexing import rebuild
from search_index.models import Entry
from tests.factories import ConclusionFactory, DiscussionGroupFactory, EventFactory
from tests.test_public_views import text_of
from workshops.models import Appearance, EventStatus, Person

pytestmark = pytest.mark.django_db


def html_of(client, path="/search/", **query):
    response = client.get(path, query)
    assert response.status_code == 200
    return response.content.decode()


def test_results_show_a_snippet_with_the_matched_words_marked(client, workshop):
    html = html_of(client, q="volunteerism")
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>volunteerism</mark>" in snippet
    assert "Perlu adanya program untuk meningkatkan" in snippet


def test_snippets_escape_the_text_around_the_marks(client, workshop):
    conclusion = Conclusion.objects.filter(group__session__event=workshop).first()
    conclusion.text = "Partisipasi warga `<img src=x onerror=alert(1)>` & kelola"
    conclusion.save()
    html = html_of(client, q="partisipasi warga")
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "<img" not in html.split('class="search-results"')[1]
    assert "<mark>Partisipasi</mark> <mark>warga</mark>" in snippet


def test_shocks_stresses_and_people_are_hits(client, workshop):
    text = text_of(client.get("/search/", {"q": "banjir"}))
    assert re.search(r"Guncangan dan tekanan \(\d+\)", text)
    html = html_of(client, q="Mungkasa")
    assert 'href="/people/oswar-m-mungkasa/"' in html
    assert "Orang (1)" in text_of(client.get("/search/", {"q": "Mungkasa"}))


def test_totals_are_true_and_one_kind_is_paginated(client, workshop):
    group = DiscussionGroupFactory()
    ConclusionFactory.create_batch(45, group=group, text="Tanggul laut raksasa")
    text = text_of(client.get("/search/", {"q": "tanggul"}))
    assert "45 hasil" in text
    assert "Simpulan (45)" in text
    assert "Semua 45 simpulan" in text  # the overview shows a few, and links to all
    page_two = html_of(client, q="tanggul", kind="conclusion", page="2")
    assert page_two.count('class="search-hit"') == 20
    assert '<ol class="search-hits" start="21">' in page_two
    assert "Halaman 2 dari 3" in text_of(
        client.get("/search/", {"q": "tanggul", "kind": "conclusion", "page": "2"})
    )
    last = html_of(client, q="tanggul", kind="conclusion", page="3")
    assert last.count('class="search-hit"') == 5
    beyond = text_of(client.get("/search/", {"q": "tanggul", "kind": "conclusion", "page": "4"}))
    assert "Tidak ada halaman hasil seperti itu" in beyond


@pytest.mark.parametrize(
    "query", [{"kind": "nonsense"}, {"page": "abc"}, {"page": "0"}, {"page": "9" * 30}]
)
def test_odd_kinds_and_pages_get_a_friendly_page(client, workshop, query):
    text = text_of(client.get("/search/", {"q": "banjir", **query}))
    assert "Jenis hasil atau nomor halaman itu tidak ada" in text
    assert "hasil untuk “banjir”" in text


def test_a_misspelt_word_is_corrected_on_postgresql(client, workshop):
    text = text_of(client.get("/search/", {"q": "banjr"}))
    if connection.vendor == "postgresql":
        assert "Tidak ada yang cocok dengan “banjr”; ini hasil untuk “banjir”." in text
        assert re.search(r"Guncangan dan tekanan \(\d+\)", text)
    else:  # SQLite keeps the simple word match
        assert "0 hasil" in text


def test_english_pages_show_english_snippets_and_mark_fallbacks(client, workshop):
    html = html_of(client, "/en/search/", q="schoolyards")
    assert "<mark>schoolyards</mark>" in html
    ConclusionFactory(text_ind="Sumur resapan di setiap kelurahan", text_en="")
    html = html_of(client, "/en/search/", q="resapan")
    assert '<p class="search-snippet" lang="id">' in html
    assert "not yet translated, shown in Indonesian" in html


def test_the_index_follows_every_change(client, workshop):
    conclusion = Conclusion.objects.filter(group__session__event=workshop).first()
    conclusion.text = "Kata unik zebracross"
    conclusion.save()
    assert "1 hasil" in text_of(client.get("/search/", {"q": "zebracross"}))
    conclusion.delete()
    assert "0 hasil" in text_of(client.get("/search/", {"q": "zebracross"}))
    person = Person.objects.get(slug="oswar-m-mungkasa")
    person.name = "Oswar Muadzin Mungkasa"
    person.save()
    assert "Oswar Muadzin Mungkasa" in text_of(client.get("/search/", {"q": "Muadzin"}))


def test_unpublished_events_are_never_found(client, workshop):
    draft = EventFactory(status=EventStatus.DRAFT, title="Rapat rahasia kucingmerah")
    ConclusionFactory(group=DiscussionGroupFactory(session__event=draft), text="kucingmerah juga")
    assert "0 hasil" in text_of(client.get("/search/", {"q": "kucingmerah"}))
    workshop.status = EventStatus.WITHDRAWN
    workshop.save()
    assert "0 hasil" in text_of(client.get("/search/", {"q": "volunteerism"}))
    assert "0 hasil" in text_of(client.get("/search/", {"q": "Mungkasa"}))  # spoke nowhere public
    workshop.status = EventStatus.PUBLISHED
    workshop.save()
    assert "1 hasil" in text_of(client.get("/search/", {"q": "volunteerism"}))
    assert "Orang (1)" in text_of(client.get("/search/", {"q": "Mungkasa"}))


def test_the_index_kept_by_saves_is_the_rebuilt_index(workshop):
    """Loading the fixture (raw saves, parts in any order) indexes everything."""
    fields = ("kind", "object_id", "event_id", "person_id", "title_ind", "title_en",
              "body_ind", "body_en", "path_ind", "path_en", "date", "public")  # fmt: skip
    kept = sorted(Entry.objects.values_list(*fields))
    kinds = {entry[0] for entry in kept}
    assert kinds == {"event", "key_point", "conclusion", "shock_stress", "person"}
    # 3 events, 3 key points, 20 conclusions, 11 shocks and stresses, 5 people
    assert len(kept) == 42
    rebuild()
    assert sorted(Entry.objects.values_list(*fields)) == kept


def test_a_groups_new_number_reaches_its_conclusions_labels_in_the_index(workshop):
    """A conclusion's hit is titled by its label ("2.3"), which holds its group's
    number: renumbering a group (saved on its own page, or among the event's rows)
    re-titles its conclusions' and sub-points' entries, as a rebuild would."""
    fields = ("kind", "object_id", "title_ind", "title_en")
    group = workshop.sessions.get(groups__number=2).groups.get(number=2)
    group.number = 7
    group.save()
    titles = dict(
        Entry.objects.filter(
            kind="conclusion", object_id__in=group.conclusions.values("pk")
        ).values_list("object_id", "title_en")
    )
    assert titles and all(title.startswith("7.") for title in titles.values())
    kept = sorted(Entry.objects.values_list(*fields))
    rebuild()
    assert sorted(Entry.objects.values_list(*fields)) == kept


def test_only_talks_with_key_points_are_key_point_hits_and_each_leads_to_them(client, workshop):
    """A key-point hit links to the talk's key points on the proceedings page; a
    speaker with none (Wicaksono, Dede Herland) is found as a person, not as a key-point
    hit whose link leads nowhere. Taking a talk's key points out takes its hit out."""
    entries = list(Entry.objects.filter(kind="key_point"))
    assert len(entries) == 3
    for entry in entries:
        page, anchor = entry.path_ind.split("#")
        assert f'id="{anchor}"' in client.get(page).content.decode()
    text = text_of(client.get("/search/", {"q": "Wicaksono"}))
    assert "Pokok-pokok paparan" not in text and "Orang (1)" in text
    talk = Appearance.objects.get(pk=entries[0].object_id)
    talk.summary_ind = talk.summary_en = ""
    talk.save()
    assert not Entry.objects.filter(kind="key_point", object_id=talk.pk).exists()


def test_search_pages_that_exist_are_stored_and_others_not(client, workshop):
    ConclusionFactory.create_batch(25, group=DiscussionGroupFactory(), text="Tanggul laut")
    for query, stored in (
        ({"q": "tanggul", "kind": "conclusion", "page": "2"}, True),
        ({"q": "tanggul", "kind": "conclusion"}, True),
        ({"q": "tanggul", "kind": "conclusion", "page": "1"}, False),  # same as no page
        ({"q": "tanggul", "kind": "conclusion", "page": "3"}, False),  # no such page
        ({"q": "tanggul", "page": "2"}, False),  # the overview has no pages
        ({"q": "tanggul", "kind": "nonsense"}, False),
    ):
        client.get("/search/", query)
        assert (client.get("/search/", query).get("X-Cache") == "HIT") is stored, query
