"""Shocks and stresses as shared records (issue 11): their pages, the events and the
conclusions that name them, nothing unpublished; and the attributed slides' note."""

import datetime
import html as htmllib
import re

import pytest

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG
from tests.factories import (
    DiscussionGroupFactory,
    EventFactory,
    HazardFactory,
    ShockStressFactory,
)
from workshops.models import EventStatus, Hazard, ShockStressKind

pytestmark = pytest.mark.django_db


def text_of(response):
    html = response.content.decode()
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_list_shows_shocks_and_stresses_in_both_languages(client, workshop):
    text = text_of(client.get("/guncangan-dan-tekanan/"))
    assert "Guncangan banjir (1 kegiatan)" in text
    assert "Tekanan degrasi lingkungan (1 kegiatan)" in text
    assert text.index("banjir") < text.index("kesenjangan sosial")
    english = text_of(client.get("/en/guncangan-dan-tekanan/"))
    assert "drought (1 event)" in english
    assert "environmental degradation (1 event)" in english


def test_the_event_page_links_its_shocks_and_stresses(client, workshop):
    html = client.get(f"/events/{WORKSHOP_SLUG}/").content.decode()
    assert '<a href="/guncangan-dan-tekanan/banjir/">banjir</a>' in html
    english = client.get(f"/en/events/{WORKSHOP_SLUG}/").content.decode()
    assert (
        '<a href="/en/guncangan-dan-tekanan/degrasi-lingkungan/">environmental degradation</a>'
        in english
    )


def test_a_shock_page_lists_the_published_events_naming_it(client, workshop):
    draft = EventFactory(status=EventStatus.DRAFT, title="Rapat rahasia")
    ShockStressFactory(event=draft, hazard=Hazard.objects.get(slug="banjir"))
    text = text_of(client.get("/guncangan-dan-tekanan/banjir/"))
    assert "Disebut di 1 kegiatan Lokakarya Perdana Program Prioritas" in text
    assert "Rapat rahasia" not in text
    english = text_of(client.get("/en/guncangan-dan-tekanan/banjir/"))
    assert "floods" in english and "Named at 1 event" in english


def test_one_named_only_by_a_draft_is_not_public(client, workshop):
    draft = EventFactory(status=EventStatus.DRAFT)
    secret = HazardFactory(name="rahasia", slug="rahasia")
    ShockStressFactory(event=draft, hazard=secret)
    assert client.get("/guncangan-dan-tekanan/rahasia/").status_code == 404
    assert client.get("/en/guncangan-dan-tekanan/rahasia/").status_code == 404
    assert "rahasia" not in text_of(client.get("/guncangan-dan-tekanan/"))
    assert "Tidak ada hasil" in text_of(client.get("/search/", {"q": "rahasia"}))


def test_conclusions_whose_text_names_it_as_whole_words(client, workshop):
    group = workshop.sessions.get(groups__number=1).groups.get(number=1)
    Conclusion.objects.create(group=group, order=90, text_ind="Mengurangi risiko banjir rob.")
    Conclusion.objects.create(group=group, order=91, text_ind="Kebanjiran bukan kata itu.")
    draft = EventFactory(status=EventStatus.DRAFT)
    ShockStressFactory(event=draft, hazard=Hazard.objects.get(slug="banjir"))
    draft_group = DiscussionGroupFactory(session__event=draft)
    Conclusion.objects.create(group=draft_group, order=1, text_ind="Banjir rahasia draf.")
    text = text_of(client.get("/guncangan-dan-tekanan/banjir/"))
    assert "draf" not in text
    assert "1 simpulan yang teksnya menyebutnya" in text
    assert "Mengurangi risiko banjir rob." in text
    assert "Kebanjiran" not in text


def test_the_newest_conclusions_naming_it_and_their_true_total(client, workshop):
    # More than the page shows (20): the newest come first, and the total counts every
    # published one and none of a draft's (counted as all matches less the draft's).
    genangan = HazardFactory(name="genangan", name_en="waterlogging", slug="genangan")
    ShockStressFactory(event=workshop, hazard=genangan, order=99)
    group = workshop.sessions.get(groups__number=1).groups.get(number=1)
    for n in range(20):
        Conclusion.objects.create(group=group, order=100 + n, text_ind=f"Genangan lama {n}.")
    newer = DiscussionGroupFactory(session__event__start_date=datetime.date(2019, 6, 1))
    for n in range(3):
        Conclusion.objects.create(group=newer, order=n + 1, text_ind=f"Genangan baru {n}.")
    draft = DiscussionGroupFactory(session__event__status=EventStatus.DRAFT)
    for n in range(2):
        Conclusion.objects.create(group=draft, order=n + 1, text_ind=f"Genangan draf {n}.")
    text = text_of(client.get("/guncangan-dan-tekanan/genangan/"))
    assert "20 terbaru dari 23 simpulan yang teksnya menyebutnya" in text
    assert "draf" not in text
    assert text.index("Genangan baru 0.") < text.index("Genangan lama 0.")
    assert "Genangan lama 16." in text and "Genangan lama 17." not in text
    english = text_of(client.get("/en/guncangan-dan-tekanan/genangan/"))
    assert "The newest 20 of 23 conclusions whose text names it" in english


def test_search_finds_a_shock_and_links_its_page(client, workshop):
    html = client.get("/search/", {"q": "kekeringan", "kind": "shock_stress"}).content.decode()
    assert '<a href="/guncangan-dan-tekanan/kekeringan/">kekeringan</a>' in html
    english = client.get("/en/search/", {"q": "drought", "kind": "shock_stress"}).content.decode()
    assert '<a href="/en/guncangan-dan-tekanan/kekeringan/">drought</a>' in english


def test_the_pages_are_paginated(client, workshop):
    for n in range(60):
        ShockStressFactory(
            event=workshop, hazard=HazardFactory(kind=ShockStressKind.STRESS), order=100 + n
        )
    first = text_of(client.get("/guncangan-dan-tekanan/"))
    assert "Halaman 1 dari 2" in first
    assert client.get("/guncangan-dan-tekanan/", {"page": "3"}).status_code == 404


def test_the_attributed_slides_say_so_in_both_languages(client, workshop):
    text = text_of(client.get(f"/events/{WORKSHOP_SLUG}/"))
    assert (
        "180925f Fragmented Gov dan Urban Linkages (tautan tidak tercatat) · Tri Dewi Virgiyanti "
        "Dikaitkan dengan paparan Ibu Virgie karena judulnya"
    ) in text
    english = text_of(client.get(f"/en/events/{WORKSHOP_SLUG}/"))
    assert "Attributed to Ms Virgie's talk because its title matches her topic" in english


def test_the_public_json_names_each_shared_one_and_its_page(client, workshop):
    document = client.get(f"/events/{WORKSHOP_SLUG}/proceedings.json").json()
    first = document["shocks_and_stresses"][0]
    assert first == {
        "shock_stress": "banjir",
        "kind": "shock",
        "name": {"id": "banjir", "en": "floods"},
        "url": "http://testserver/guncangan-dan-tekanan/banjir/",
        "named_by": "oswar-m-mungkasa",
    }
    slides = next(d for d in document["documents"] if "Fragmented" in d["title"]["id"])
    assert slides["attribution_note"]["en"].startswith("Attributed to Ms Virgie's talk")


def test_the_sitemap_lists_only_publicly_named_ones(client, workshop):
    draft = EventFactory(status=EventStatus.DRAFT)
    ShockStressFactory(event=draft, hazard=HazardFactory(name="rahasia", slug="rahasia"))
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-shocks-and-stresses.xml" in index
    section = client.get("/sitemap-shocks-and-stresses.xml").content.decode()
    assert "http://testserver/guncangan-dan-tekanan/banjir/" in section
    assert "http://testserver/en/guncangan-dan-tekanan/banjir/" in section
    assert "rahasia" not in section
    assert (
        "http://testserver/guncangan-dan-tekanan/</loc>"
        in client.get("/sitemap-pages.xml").content.decode()
    )
