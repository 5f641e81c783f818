"""The public proceedings site: content, languages, links and bad input."""

import json
import re
from pathlib import Path

import factory
import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils.timezone import localtime

from focus_areas.models import Conclusion, DiscussionGroup
from tests.conftest import WORKSHOP_SLUG
from tests.factories import (
    AppearanceFactory,
    ConclusionFactory,
    EventFactory,
    PersonFactory,
    SessionFactory,
)
from workshops.models import Event, EventStatus, Person

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"


def text_of(response):
    """The page's visible text, whitespace folded, for content assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_explains_the_programme_and_shows_timeline(client, workshop):
    response = client.get("/")
    text = text_of(response)
    assert response.status_code == 200
    assert "Jakarta Berketahanan" in text
    assert "Lokakarya Perdana Program Prioritas Jakarta Berketahanan" in text
    assert "Memelihara kohesi sosial warga Jakarta" in text
    html = response.content.decode()
    timeline = html[html.index('class="timeline"') :]
    positions = [
        timeline.index("Status Ketahanan Kota Jakarta"),
        timeline.index("Visi Misi Program Prioritas"),
        timeline.index("Lokakarya Perdana"),
    ]
    assert positions == sorted(positions), "the timeline runs from oldest to newest"


def test_home_in_english(client, workshop):
    text = text_of(client.get("/en/"))
    assert workshop.title_en in text
    assert "Lokakarya Perdana Program Prioritas" not in text
    assert "The five focus areas" in text


def test_proceedings_page_facts(client, workshop):
    response = client.get(EVENT_URL)
    text = text_of(response)
    assert response.status_code == 200
    assert "26 September 2018" in text
    assert "Sekretariat Jakarta Berketahanan" in text
    assert "Tahap II" in text
    assert "140" in text
    assert "Akademisi dari berbagai universitas" in text
    assert "menjaring dan menyatukan persepsi" in text
    html = response.content.decode()
    for before in workshop.preceded_by.all():
        assert f'href="{before.get_absolute_url()}"' in html


def test_proceedings_page_sessions_speakers_and_moderator_in_order(client, workshop):
    text = text_of(client.get(EVENT_URL))
    order = [
        text.index("Dede Herland"),
        text.index("Oswar M. Mungkasa"),
        text.index("Lauren Sorkin"),
        text.index("Tri Dewi Virgiyanti"),
        text.index("Wicaksono Sarosa"),
    ]
    assert order == sorted(order)
    assert "Deputi Gubernur Tata Ruang dan Lingkungan Hidup DKI Jakarta" in text
    assert "Direktur Perkotaan, Perumahan dan Permukiman Bappenas" in text
    assert re.search(r"Moderator\s*:\s*Wicaksono Sarosa", text)
    assert "1.7 Triliun US Dollar" in text  # Lauren Sorkin's key points
    assert "Kepemimpinan dan Strategi" in text  # Ibu Virgie's key points


def test_proceedings_page_shocks_and_stresses(client, workshop):
    text = text_of(client.get(EVENT_URL))
    assert "kegagalan infrastruktur" in text
    assert "kesenjangan sosial" in text


def test_proceedings_page_groups_with_nested_sub_points(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    group = DiscussionGroup.objects.get(session__event=workshop, number=2)
    point = group.conclusions.get(parent=None, order=1)
    sub = point.children.get(order=1)
    start = html.index(f'id="{point.anchor}"')
    end = html.index("</li>\n", html.index(f'id="{sub.anchor}"'))
    fragment = html[start:end]
    assert '<ul class="sub-points">' in fragment
    assert "Peran BPBD mapping pulau yang aman di kep. seribu" in fragment
    for number in range(1, 6):
        assert f"Kelompok {number}" in html or f"Group {number}" in html


def test_proceedings_page_documents_and_citation(client, workshop):
    response = client.get(EVENT_URL)
    html = response.content.decode()
    assert (
        '<a href="https://issuu.com/jakberketahanan/docs/20181011_prosiding_lokakarya_perdan">'
        in html
    )
    text = text_of(response)
    assert "180925f Fragmented Gov dan Urban Linkages" in text
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert "Sekretariat Jakarta Berketahanan" in citation
    assert "(2018)" in citation
    assert f"http://testserver{EVENT_URL}" in citation


def test_photos_without_image_are_not_shown(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    assert "<img" not in html
    photo = workshop.photos.get(order=1)
    photo.image = "photos/2018/oswar.jpg"
    photo.save()
    html = client.get(EVENT_URL).content.decode()
    assert (
        'alt="Oswar M. Mungkasa (CRO Resilient Jakarta Secretariat) dalam Memberikan Paparan"'
        in html
    )


def test_conclusion_permalink_is_its_own_page_linking_to_its_anchor(client, workshop):
    # Issue 12: the permalink became the conclusion's page with its follow-up trail
    # (tests/test_follow_up_pages.py); it links to the conclusion's place.
    conclusion = Conclusion.objects.get(group__number=5, order=2, parent=None)
    response = client.get(conclusion.get_absolute_url())
    assert response.status_code == 200
    assert conclusion.text_ind in text_of(response)
    assert f'href="{EVENT_URL}#{conclusion.anchor}"' in response.content.decode()
    html = client.get(EVENT_URL).content.decode()
    assert f'id="{conclusion.anchor}"' in html
    assert f'href="{conclusion.get_absolute_url()}"' in html


def test_anchors_survive_reordering_and_edits_of_other_items(client, workshop):
    group = DiscussionGroup.objects.get(session__event=workshop, number=1)
    first, second, third = group.conclusions.filter(parent=None).order_by("order")
    anchor = third.anchor
    # Move the third conclusion to the top and edit another one.
    for conclusion, new_order in ((first, 11), (second, 12), (third, 1)):
        conclusion.order = new_order
        conclusion.save()
    first.text = "Teks yang diubah"
    first.save()
    third.refresh_from_db()
    assert third.anchor == anchor
    response = client.get(third.get_absolute_url())
    assert f'href="{EVENT_URL}#{anchor}"' in response.content.decode()
    html = client.get(EVENT_URL).content.decode()
    assert html.index(f'id="{anchor}"') < html.index(f'id="{first.anchor}"')


def test_group_permalink_redirects_to_group(client, workshop):
    group = DiscussionGroup.objects.get(session__event=workshop, number=3)
    response = client.get(reverse("focus_areas:group_permalink", kwargs={"ref": group.ref}))
    assert response.url == f"{EVENT_URL}#{group.anchor}"


def test_event_list_filters_by_year_kind_and_focus_area(client, workshop):
    EventFactory(title="Forum Uji 2019", kind="forum", start_date="2019-03-01")
    text = text_of(client.get("/events/"))
    assert "Forum Uji 2019" in text and "Lokakarya Perdana" in text
    text = text_of(client.get("/events/", {"year": "2018"}))
    assert "Forum Uji 2019" not in text and "Lokakarya Perdana" in text
    text = text_of(client.get("/events/", {"kind": "working_session"}))
    assert "Sesi Kerja Tahap II" in text and "Lokakarya Perdana" not in text
    text = text_of(client.get("/events/", {"focus_area": "4"}))
    assert "Lokakarya Perdana" in text and "Sesi Kerja" not in text and "Forum Uji" not in text


def test_event_list_paginates(client, db):
    for day in range(1, 13):
        EventFactory(title=f"Acara {day:02d}", start_date=f"2019-01-{day:02d}")
    first = text_of(client.get("/events/"))
    second = text_of(client.get("/events/", {"page": "2"}))
    assert "Acara 12" in first and "Acara 02" not in first
    assert "Acara 02" in second and "Acara 12" not in second


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"kind": "<script>"},
        {"focus_area": "-1"},
        {"focus_area": "x" * 5000},
    ],
)
def test_event_list_bad_filters_get_a_friendly_message(client, workshop, query):
    response = client.get("/events/", query)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1].replace(
        "&lt;script&gt;", ""
    )


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1.5"])
def test_event_list_bad_page_is_not_found(client, workshop, page):
    assert client.get("/events/", {"page": page}).status_code == 404


def test_person_page_lists_appearances_with_titles_then(client, workshop):
    response = client.get("/people/oswar-m-mungkasa/")
    text = text_of(response)
    assert "Oswar M. Mungkasa" in text
    assert "Deputi Gubernur Tata Ruang dan Lingkungan Hidup DKI Jakarta" in text
    assert "CRO Resilient Jakarta Secretariat" in text
    assert "Lokakarya Perdana Program Prioritas Jakarta Berketahanan" in text


def test_person_titles_are_per_appearance(client, workshop):
    later = SessionFactory(event=EventFactory(title="Forum 2019", start_date="2019-06-01"))
    oswar = workshop.sessions.get(order=2).appearances.get(person__slug="oswar-m-mungkasa").person
    AppearanceFactory(session=later, person=oswar, title_at_time="Jabatan baru 2019")
    text = text_of(client.get(oswar.get_absolute_url()))
    assert text.index("Jabatan baru 2019") < text.index("Deputi Gubernur Tata Ruang")


def test_focus_area_page_lists_conclusions_newest_first(client, workshop):
    newer = DiscussionGroup.objects.create(
        session=SessionFactory(event=EventFactory(start_date="2019-05-05")),
        focus_area_id=DiscussionGroup.objects.get(number=1).focus_area_id,
        number=1,
    )
    ConclusionFactory(group=newer, order=1, text="Simpulan yang lebih baru")
    text = text_of(client.get("/focus-areas/1/"))
    assert "Meningkatkan kapasitas tata kelola pemerintahan dan manajemen kota" in text
    assert "Program prioritas harus memiliki manfaat nyata" in text
    assert text.index("Simpulan yang lebih baru") < text.index("Program prioritas harus")
    assert "volunteerism" not in text  # group 3's conclusions belong to focus area 3


def test_search_finds_events_key_points_and_conclusions(client, workshop):
    text = text_of(client.get("/search/", {"q": "volunteerism"}))
    assert "Perlu adanya program untuk meningkatkan volunteerism" in text
    text = text_of(client.get("/search/", {"q": "Paris"}))
    assert "Lauren Sorkin" in text
    text = text_of(client.get("/search/", {"q": "Resilience Statement"}))
    assert "Status Ketahanan Kota Jakarta" in text


def test_search_in_english_text(client, workshop):
    # "schoolyards" occurs only in the English translation of Lauren Sorkin's key points.
    text = text_of(client.get("/en/search/", {"q": "schoolyards"}))
    assert "1 result for" in text
    assert "Lauren Sorkin" in text


def test_search_needs_every_word(client, workshop):
    text = text_of(client.get("/search/", {"q": "zzz qqq"}))
    assert "0 hasil" in text or "0 results" in text
    text = text_of(client.get("/search/", {"q": "fungsi kontrol"}))
    assert "memperkuat fungsi kontrol dalam pemerintah" in text
    assert "volunteerism" not in text


def test_canonical_and_citation_ignore_the_query_string(client, workshop):
    html = client.get(EVENT_URL, {"utm_source": "x", "foo": "☃"}).content.decode()
    assert f'<link rel="canonical" href="http://testserver{EVENT_URL}">' in html
    assert "utm_source" not in html.split('class="language-switch"')[0]
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert "utm_source" not in citation


def test_bad_host_header_is_a_400_not_a_500(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_focus_area_number_with_leading_zero_redirects(client, workshop):
    response = client.get("/focus-areas/03/")
    assert response.status_code == 301
    assert response.url == "/focus-areas/3/"


@pytest.mark.parametrize(
    "q",
    ["", "   ", "%%%", "'; DROP TABLE workshops_event; --", "\u200b", "ñandú 東京 🙂", "a" * 199],
)
def test_search_odd_queries_get_a_friendly_page(client, workshop, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_too_long_query_explains_the_limit(client, workshop):
    response = client.get("/search/", {"q": "banjir " * 100})
    assert response.status_code == 200
    assert "200" in text_of(response)


def test_search_null_byte_is_refused_politely(client, workshop):
    response = client.get("/search/?q=ban%00jir")
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_export_json_has_the_full_proceedings(client, workshop):
    response = client.get(reverse("workshops:event_export", kwargs={"slug": WORKSHOP_SLUG}))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["format"] == "jakres-proceedings"
    assert data["event"]["participants"] == {
        "count": 140,
        "qualifier": "more_than",
        "sectors": data["event"]["participants"]["sectors"],
    }
    assert len(data["event"]["participants"]["sectors"]) == 8
    assert [s["order"] for s in data["sessions"]] == [1, 2, 3]
    panel = data["sessions"][1]
    assert [a["person"]["name"] for a in panel["appearances"]][-1] == "Wicaksono Sarosa"
    groups = data["sessions"][2]["groups"]
    assert [g["focus_area"]["number"] for g in groups] == [1, 2, 3, 4, 5]
    assert len(groups[1]["conclusions"][0]["sub_points"]) == 2
    assert groups[0]["conclusions"][0]["text"]["en"]
    assert data["event"]["preceded_by"] == [
        "sesi-kerja-2018-08-23-status-ketahanan-kota",
        "sesi-kerja-2018-09-19-visi-misi-program-prioritas",
    ]


def test_jsonld_describes_event_sessions_and_performers(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2018-09-26"
    assert len(data["subEvent"]) == 3
    assert {p["name"] for p in data["performer"]} >= {"Lauren Sorkin", "Oswar M. Mungkasa"}
    assert '<meta property="og:title" content="Lokakarya Perdana' in html


def test_feed_lists_published_events(client, workshop):
    EventFactory(title="Draf Rahasia", status=EventStatus.DRAFT)
    response = client.get("/events/feed/")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Lokakarya Perdana Program Prioritas Jakarta Berketahanan" in body
    assert "Draf Rahasia" not in body


def whole_sitemap(client):
    """Every section of the sitemap index, every page of each, joined."""
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert sections
    return "".join(
        client.get(section.replace("&amp;", "&")).content.decode() for section in sections
    )


def test_sitemap_is_an_index_of_sections_split_into_pages(client, workshop):
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    for section in ("pages", "events", "focus-areas", "people", "conclusions", "follow-up"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index
    PersonFactory.create_batch(120, slug=factory.Sequence(lambda n: f"orang-{n}"))
    session = SessionFactory(event=workshop, order=50)
    for order, person in enumerate(Person.objects.filter(slug__startswith="orang-"), 1):
        AppearanceFactory(person=person, session=session, order=order)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-people.xml?p=2</loc>" in index
    first = client.get("/sitemap-people.xml").content.decode()
    assert first.count("<url>") == 100  # 50 people, each in both languages
    assert len(first) < 100_000
    assert client.get("/sitemap-people.xml?p=3").status_code == 200  # 125 people
    assert client.get("/sitemap-people.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_page_reads_only_its_own_rows(client, workshop):
    # Django's sitemap lists every (item, language) pair of a section to paginate it;
    # ours counts them in the database and reads one page's rows: 50 people a page.
    PersonFactory.create_batch(120, slug=factory.Sequence(lambda n: f"baca-{n:03}"))
    session = SessionFactory(event=workshop, order=50)
    for order, person in enumerate(Person.objects.filter(slug__startswith="baca-"), 1):
        AppearanceFactory(person=person, session=session, order=order)
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count, sender=Person)
    post_init.connect(count, sender=Event)
    try:
        index = client.get("/sitemap.xml").content.decode()
        assert made == []  # the index counts, and takes the events' latest change in SQL
        second = client.get("/sitemap-people.xml?p=2").content.decode()
        assert made.count(Person) == 50
    finally:
        post_init.disconnect(count, sender=Person)
        post_init.disconnect(count, sender=Event)
    latest = Event.objects.published().latest("updated_at").updated_at
    assert f"<lastmod>{localtime(latest).isoformat()}</lastmod>" in index
    assert "<loc>http://testserver/sitemap-people.xml?p=3</loc>" in index
    # The second page: people 51 to 100 by name, each in both languages, in order.
    names = list(Person.objects.with_published_appearances().order_by("name"))[50:100]
    locations = re.findall(r"<url><loc>http://testserver([^<]+)</loc>", second)
    expected = [url for person in names for url in (person.get_absolute_url(),)]
    assert locations[0::2] == expected
    assert locations[1::2] == ["/en" + url for url in expected]


def test_sitemap_has_hreflang_alternates(client, workshop):
    body = whole_sitemap(client)
    assert f"http://testserver{EVENT_URL}" in body
    assert f'hreflang="en" href="http://testserver/en{EVENT_URL}"' in body
    assert "/people/oswar-m-mungkasa/" in body
    assert "/focus-areas/3/" in body


def test_robots_txt_points_to_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_language_switch_keeps_the_reader_on_the_same_page(client, workshop):
    html = client.get(EVENT_URL).content.decode()
    switch = html[html.index('class="language-switch"') :]
    assert f'href="/en{EVENT_URL}" hreflang="en"' in switch
    html = client.get(f"/en{EVENT_URL}").content.decode()
    switch = html[html.index('class="language-switch"') :]
    assert f'href="{EVENT_URL}" hreflang="id"' in switch
    assert '<html lang="en">' in html


def test_english_page_uses_english_content(client, workshop):
    html = client.get(f"/en{EVENT_URL}").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert heading == workshop.title_en
    text = text_of(client.get(f"/en{EVENT_URL}"))
    assert "Deputy Governor" in text
    assert "floods" in text


def test_missing_english_falls_back_to_indonesian_with_marker(client, db):
    event = EventFactory(title="Sesi Tanpa Terjemahan", title_en="", slug="tanpa-terjemahan")
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert '<span lang="id">Sesi Tanpa Terjemahan</span>' in html
    assert "not yet translated" in html
    html_id = client.get(f"/events/{event.slug}/").content.decode()
    assert "fallback-marker" not in html_id


def test_staff_text_is_escaped_and_sanitised(client, db):
    event = EventFactory(summary='<script>alert(1)</script><img src=x onerror="alert(2)">')
    html = client.get(event.get_absolute_url()).content.decode()
    main = html[html.index("<main") :]
    assert "<script>alert" not in main
    assert "<img" not in main
    assert "onerror" not in main


def test_print_stylesheet_hides_navigation_and_shows_link_targets(client, db):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/jakres.css")).read_text(encoding="utf-8")
    print_css = css[css.index("@media print") :]
    assert ".site-header nav" in print_css and "display: none" in print_css
    assert 'content: " (" attr(href) ")"' in print_css
    assert "break-before: page" in print_css
    html = client.get("/").content.decode()
    assert "css/jakres.css" in html
