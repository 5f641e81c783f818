"""The follow-up's public pages (issue 12) in both languages, what they show and hide,
and their query budgets at two data sizes."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command

from focus_areas.models import Conclusion, DiscussionGroup
from follow_up.models import Link, PlanItem
from tests.conftest import WORKSHOP_SLUG
from tests.factories import ConclusionFactory, LinkFactory, StatusUpdateFactory
from tests.scale import make_large_event
from tests.test_query_budgets import at_most_queries
from workshops.models import default_programme
from workshops.site.pagination import CONCLUSION_ORDER, ConclusionPaginator, WithTotalPaginator

pytestmark = pytest.mark.django_db

EVENT_URL = f"/events/{WORKSHOP_SLUG}/"
STRATEGY = "strategi-ketahanan-kota-jakarta-2019"
PLAN_URL = f"/follow-up/plans/{STRATEGY}/"
TODAY = datetime.date.today()


def text_of(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def trail(workshop):
    """Two 26 Sept conclusions taken up in pillars 1 and 2, an update on pillar 1, and
    a draft link and update that must stay out of sight."""
    call_command("loaddata", "follow_up_strategy", verbosity=0)
    first, second, third = Conclusion.objects.filter(
        group__session__event=workshop, parent=None
    ).order_by("group__number", "order")[:3]
    pillar = {i.code: i for i in PlanItem.objects.filter(plan__slug=STRATEGY)}
    LinkFactory(conclusion=first, plan_item=pillar["1"], note="Masuk pilar Siap.", note_en="")
    LinkFactory(conclusion=second, plan_item=pillar["2"], date=datetime.date(2019, 7, 1))
    LinkFactory(conclusion=third, plan_item=pillar["3"], state="draft", note="RAHASIA")
    StatusUpdateFactory(item=pillar["1"], status="in_progress", percent=35,
                        note="Berjalan.", note_en="Under way.")  # fmt: skip
    StatusUpdateFactory(item=pillar["1"], status="done", state="draft", note="DRAF",
                        date=TODAY)  # fmt: skip
    StatusUpdateFactory(item=pillar["2"], status="started", date=datetime.date(2020, 3, 1))
    return first, second, third, pillar


def test_the_conclusion_page_shows_its_trail_as_a_timeline(client, trail):
    first, *_ = trail
    response = client.get(first.get_absolute_url())
    html = response.content.decode()
    text = text_of(response)
    assert first.text_ind in text
    assert "Diambil dalam" in text and "Jakarta yang Siap" in text
    assert "Sedang berjalan (35%)" in text
    assert "Masuk pilar Siap." in text
    trail_html = html[html.index('class="timeline trail"') :]
    assert trail_html.index("26 September 2018") < trail_html.index("1 Juni 2019")
    assert f'href="{EVENT_URL}#{first.anchor}"' in html


def test_the_conclusion_page_in_english_marks_the_fallback(client, trail):
    first, *_ = trail
    response = client.get("/en" + first.get_absolute_url())
    text = text_of(response)
    assert "Taken up in" in text and "Ready Jakarta" in text and "In progress (35%)" in text
    html = response.content.decode()
    assert '<div lang="id" class="fallback"><p>Masuk pilar Siap.</p></div>' in html
    assert "not yet translated, shown in Indonesian" in text


def test_drafts_and_unpublished_events_stay_off_every_page(client, trail):
    first, _second, third, _pillar = trail
    pages = [third.get_absolute_url(), PLAN_URL, f"{PLAN_URL}3/", f"{PLAN_URL}1/",
             "/follow-up/", "/follow-up/feed/", "/follow-up/links.json",
             f"{PLAN_URL}plan.json", f"{PLAN_URL}plan.csv", "/focus-areas/1/"]  # fmt: skip
    for url in pages:
        body = client.get(url).content.decode()
        assert "RAHASIA" not in body and "DRAF" not in body, url
    event = first.group.session.event
    event.status = "withdrawn"
    event.save()
    assert client.get(first.get_absolute_url()).status_code == 404
    assert first.text_ind[:40] not in text_of(client.get(f"{PLAN_URL}1/"))


def test_the_conclusion_page_shows_links_carried_to_it_from_public_origins_only(client, trail):
    """A link carried here is shown from a published event's conclusion or group, or a
    focus area; not from a draft event's conclusion or group, nor a draft link."""
    first, *_ = trail
    draft = "draft"

    def carried(note, kind="refined", state="published", **origin):
        origin.setdefault("conclusion", None)
        LinkFactory(kind=kind, plan_item=None, later_conclusion=first, note_ind=note,
                    state=state, **origin)  # fmt: skip

    carried("Dibawa dari simpulan", conclusion=ConclusionFactory())
    carried("Dibawa dari kelompok", kind="repeated", group=ConclusionFactory().group)
    carried("Dibawa dari bidang", kind="replaced", focus_area=first.group.focus_area)
    carried("BAWA-ACARA-DRAF", conclusion=ConclusionFactory(group__session__event__status=draft))
    carried("BAWA-KELOMPOK-DRAF", kind="repeated",
            group=ConclusionFactory(group__session__event__status=draft).group)  # fmt: skip
    carried("BAWA-TAUTAN-DRAF", conclusion=ConclusionFactory(), state=draft)
    text = text_of(client.get(first.get_absolute_url()))
    for shown in ("Dibawa dari simpulan", "Dibawa dari kelompok", "Dibawa dari bidang"):
        assert shown in text
    for hidden in ("BAWA-ACARA-DRAF", "BAWA-KELOMPOK-DRAF", "BAWA-TAUTAN-DRAF"):
        assert hidden not in text


def test_the_proceedings_link_each_conclusion_with_a_trail_to_it(client, trail):
    first, second, third, _ = trail
    html = client.get(EVENT_URL).content.decode()
    assert f'href="{first.get_absolute_url()}#tindak-lanjut"' in html
    assert f'href="{second.get_absolute_url()}#tindak-lanjut"' in html
    assert f'href="{third.get_absolute_url()}#tindak-lanjut"' not in html  # a draft link


def test_the_plan_page_shows_its_tree_with_status_counts(client, trail):
    response = client.get(PLAN_URL)
    text = text_of(response)
    assert "Strategi Ketahanan Kota Jakarta (2019)" in text
    assert "https://www.100resilientcities.org/strategies/jakarta/" in text
    assert "1 Jakarta yang Siap" in text and "3 Jakarta yang Sinergis" in text
    # The items' statuses, not the conclusions' outcomes ("Diambil: …").
    assert "Sedang berjalan: 1" in text and "Diambil" not in text
    assert "Tidak ada kabar selama 12 bulan: 1" in text
    assert "Belum ada status dilaporkan: 1" in text
    english = text_of(client.get("/en" + PLAN_URL))
    assert "Jakarta City Resilience Strategy (2019)" in english and "Connected Jakarta" in english


def test_the_item_page_lists_its_conclusions_and_status_history(client, trail):
    first, second, *_ = trail
    response = client.get(f"{PLAN_URL}2/")
    text = text_of(response)
    assert second.text_ind[:40] in text and "Lokakarya Perdana" in text
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "· Strategi Ketahanan Kota Jakarta (2019) ·" in title  # items of two plans differ
    assert first.text_ind[:40] not in text
    assert "tidak ada kabar sejak 1 Maret 2020" in text
    text = text_of(client.get(f"/en{PLAN_URL}2/"))
    assert "no news since 1 March 2020" in text and "Status history" in text


def test_the_follow_up_list_filters_by_focus_area_event_status_and_lead(client, trail):
    first, second, _third, pillar = trail
    text = text_of(client.get("/follow-up/"))
    assert "20 simpulan" in text and "Tindak lanjut" in text
    text = text_of(client.get("/follow-up/", {"status": "in_progress"}))
    assert "1 simpulan" in text and first.text_ind[:40] in text
    text = text_of(client.get("/follow-up/", {"status": "no_news"}))
    assert "1 simpulan" in text and second.text_ind[:40] in text
    text = text_of(client.get("/follow-up/", {"status": "none"}))
    assert "18 simpulan" in text
    text = text_of(client.get("/follow-up/", {"focus_area": "5"}))
    in_area_5 = Conclusion.objects.filter(group__focus_area__number=5).count()
    assert f"{in_area_5} simpulan" in text and first.text_ind[:40] not in text
    text = text_of(client.get("/follow-up/", {"event": WORKSHOP_SLUG, "page": "1"}))
    assert "20 simpulan" in text
    assert client.get("/follow-up/", {"page": "9"}).status_code == 404
    org = first.group.session.event.organisers.get().organisation
    PlanItem.objects.filter(pk=pillar["1"].pk).update(lead_organisation=org)
    text = text_of(client.get("/follow-up/", {"lead": org.slug}))
    assert "1 simpulan" in text
    text = text_of(client.get("/follow-up/", {"status": "nonsense"}))
    assert "Masukkan pilihan yang valid. nonsense bukan salah satu" in text


def test_the_follow_up_filters_options_are_escaped_and_keep_the_choice(client, trail):
    """The filters' options are written in one pass (OptionsChoiceField): every label
    escaped, the chosen one selected, and a value not among them refused at its field
    with nothing else lost."""
    first = trail[0]
    event = first.group.session.event
    event.title_ind = 'Lokakarya <b>"tebal"</b> & kawan'
    event.save()
    html = client.get("/follow-up/", {"event": event.slug, "focus_area": "2"}).content.decode()
    assert (
        f'<option value="{event.slug}" selected>Lokakarya &lt;b&gt;&quot;tebal&quot;&lt;/b&gt;'
        f" &amp; kawan ({event.start_date.isoformat()})</option>"
    ) in html
    assert '<option value="2" selected>2. ' in html and "<b>" not in html
    response = client.get("/follow-up/", {"focus_area": "99", "event": event.slug})
    assert response.status_code == 200
    text = text_of(response)
    assert "Masukkan pilihan yang valid. 99 bukan salah satu" in text
    assert f'<option value="{event.slug}" selected>' in response.content.decode()


def test_follow_up_is_in_the_main_navigation(client, trail):
    html = client.get("/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert 'href="/follow-up/">Tindak lanjut</a>' in nav
    html = client.get("/en/follow-up/").content.decode()
    assert 'href="/en/follow-up/" aria-current="page">Follow-up</a>' in html


def test_the_focus_area_page_shows_a_status_chart_and_its_table(client, trail):
    html = client.get("/focus-areas/1/").content.decode()
    chart = html[html.index('<svg class="status-chart"') : html.index("</svg>")]
    assert 'aria-hidden="true"' in chart and "<rect" in chart and "<script" not in html
    table = html[html.index('<table class="table table-sm status-table">') :]
    table = text_of_html(table[: table.index("</table>")])
    assert "Diambil: Sedang berjalan 1" in table
    assert "Belum ada tindak lanjut tercatat 1" in table


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_feed_carries_published_status_updates(client, trail):
    body = client.get("/follow-up/feed/").content.decode()
    assert body.count("<entry>") == 2
    assert "1 Jakarta yang Siap: Sedang berjalan (35%)" in body
    body = client.get("/en/follow-up/feed/").content.decode()
    assert "1 Ready Jakarta: In progress (35%)" in body


def test_the_plan_exports_as_json_and_csv(client, trail):
    first, *_ = trail
    document = json.loads(client.get(f"{PLAN_URL}plan.json").content)
    assert document["plan"]["title"] == {
        "id": "Strategi Ketahanan Kota Jakarta (2019)",
        "en": "Jakarta City Resilience Strategy (2019)",
    }
    pillar = document["items"][0]
    assert (pillar["code"], pillar["status"]["shown"], pillar["status"]["percent"]) == (
        "1",
        "in_progress",
        35,
    )
    assert [u["status"] for u in pillar["updates"]] == ["in_progress"]
    rows = list(
        csv.reader(io.StringIO(client.get(f"{PLAN_URL}plan.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][:3] == ["code", "parent", "title_id"]
    assert rows[1][:2] == ["1", ""] and rows[1][5] == "in_progress" and rows[1][7] == "35"
    links = json.loads(client.get("/follow-up/links.json").content)
    assert links["count"] == 2
    assert {link["conclusion"] for link in links["links"]} == {first.ref, trail[1].ref}


def test_a_csv_cell_never_starts_a_formula(client, trail):
    PlanItem.objects.filter(plan__slug=STRATEGY, code="3").update(title_ind="=HYPERLINK(1)")
    rows = list(
        csv.reader(io.StringIO(client.get(f"{PLAN_URL}plan.csv").content.decode("utf-8-sig")))
    )
    assert rows[3][2] == "'=HYPERLINK(1)"


def test_an_unknown_plan_item_or_conclusion_is_a_404(client, trail):
    assert client.get(f"{PLAN_URL}9/").status_code == 404
    assert client.get(f"{PLAN_URL}1.2.3.4/").status_code == 404
    assert client.get("/follow-up/plans/tidak-ada/").status_code == 404
    assert client.get("/conclusions/tidakada/").status_code == 404


# --- Query budgets at two sizes ----------------------------------------------------------

# Page → the most queries one request may run, whatever the data's size.
BUDGETS = {
    "conclusion": 6,  # with the event's organisers for "cite this"
    "plan": 3,
    "plan item": 6,
    "follow-up list": 8,  # the page's ids and the total, then its rows (ConclusionPaginator)
    "follow-up list, filtered": 9,
    "focus area with chart": 5,  # paginated groups (4), the chart over all conclusions (1)
    "proceedings": 12,  # with the organisers (issue 10) and which conclusions have a trail
    "feed": 1,
    "plan.json": 3,
    "plan.csv": 3,
    "links.json": 2,
}


@pytest.fixture(params=["seed", "ten_times_larger"])
def sized(request, trail):
    if request.param == "seed":
        return trail[0], EVENT_URL
    large = make_large_event(scale=10, slug="acara-besar", start_date=datetime.date(2018, 10, 1))
    items = list(PlanItem.objects.filter(plan__slug=STRATEGY))
    links = [
        Link(conclusion=c, kind="taken_up", plan_item=items[n % len(items)], state="published",
             date=datetime.date(2019, 6, 1), ref=f"bes{n:05d}".replace("0", "a").replace("1", "b"))
        for n, c in enumerate(Conclusion.objects.filter(group__session__event=large))
    ]  # fmt: skip
    Link.objects.bulk_create(links)
    for item in items:
        StatusUpdateFactory.create_batch(10, item=item)
    return links[0].conclusion, "/events/acara-besar/"


def requests_of(page, conclusion, event_url):
    area = conclusion.group.focus_area.number
    return {
        "conclusion": [conclusion.get_absolute_url(), "/en" + conclusion.get_absolute_url()],
        "plan": [PLAN_URL, "/en" + PLAN_URL],
        "plan item": [f"{PLAN_URL}1/", f"{PLAN_URL}2/?page=1"],
        "follow-up list": ["/follow-up/", "/en/follow-up/?page=1"],
        "follow-up list, filtered": [
            f"/follow-up/?status=in_progress&focus_area={area}",
            "/follow-up/?status=none&lead=x&event=" + WORKSHOP_SLUG,
        ],
        "focus area with chart": [f"/focus-areas/{area}/"],
        "proceedings": [event_url],
        "feed": ["/follow-up/feed/"],
        "plan.json": [f"{PLAN_URL}plan.json"],
        "plan.csv": [f"{PLAN_URL}plan.csv"],
        "links.json": ["/follow-up/links.json"],
    }[page]


@pytest.mark.parametrize("page", BUDGETS)
def test_follow_up_pages_stay_within_their_query_budgets(client, sized, page):
    default_programme()
    for url in requests_of(page, *sized):
        with at_most_queries(BUDGETS[page], f"{page} ({url})"):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_follow_up_list_pages_count_and_order_in_one_query(client, trail):
    """The list's total and each page's conclusions come from one query
    (WithTotalPaginator): the total is right on every page, pages do not overlap,
    and a page past the end or not a number is a 404."""
    make_large_event(scale=2, slug="acara-kedua", start_date=datetime.date(2018, 10, 1))
    total = Conclusion.objects.published().count()
    pages = (total + 19) // 20
    assert pages > 1
    seen = []
    for number in range(1, pages + 1):
        html = client.get("/follow-up/", {"page": number}).content.decode()
        assert f"{total} simpulan" in text_of_html(html)
        items = html[html.index('<ul class="follow-up-list">') :]
        items = items[: items.index("</ul>")]
        seen += re.findall(r'<a href="/conclusions/([a-z0-9]+)/">', items)
    newest_first = Conclusion.objects.published().order_by(
        "-group__session__event__start_date", "group__session__order", "group__number",
        "order", "pk",
    )  # fmt: skip
    assert seen == [c.ref for c in newest_first]
    assert client.get("/follow-up/", {"page": pages + 1}).status_code == 404
    assert client.get("/follow-up/", {"page": "dua"}).status_code == 404
    # get_page(), as the plan item's page uses it: past the end, the last page.
    paginator = WithTotalPaginator(Conclusion.objects.order_by("pk"), 20)
    last = paginator.get_page(99)
    assert (last.number, paginator.count) == (pages, total)
    assert [c.pk for c in last] == [c.pk for c in Conclusion.objects.order_by("pk")][
        20 * (pages - 1) :
    ]
    assert paginator.get_page("x").number == 1


def test_the_conclusion_paginator_pages_as_the_database_orders_them(workshop):
    """ConclusionPaginator (the follow-up list's) counts and ranks groups, then sorts
    only the page's groups: each page is the slice of CONCLUSION_ORDER, with the total,
    for any page size, with filters, and with groups that tie (two events on one day,
    whose groups 1-5 of session 3 interleave by position), and it refuses another order."""
    day = datetime.date(2019, 3, 1)
    make_large_event(scale=1, slug="acara-pagi", start_date=day)
    make_large_event(scale=1, slug="acara-sore", start_date=day)
    make_large_event(scale=1, slug="acara-lain", start_date=datetime.date(2019, 2, 1))
    everything = Conclusion.objects.published().order_by(*CONCLUSION_ORDER)
    tied = [c.pk for c in everything.filter(group__session__event__start_date=day)]
    assert tied != sorted(tied)  # the two events' conclusions do interleave
    chosen = {
        "all": everything,
        "some": everything.exclude(order=2).filter(group__focus_area__number__in=[1, 3]),
        "none": everything.filter(pk__in=[]),
    }
    for name, queryset in chosen.items():
        assert_pages_as_ordered(name, queryset)
    # Every conclusion of some groups (the follow-up list's unfiltered and area/event
    # pages): the groups are counted and ranked without choosing their conclusions.
    published_groups = DiscussionGroup.objects.published()
    by_groups = {
        "all": published_groups,
        "some": published_groups.filter(focus_area__number__in=[1, 3]),
        "tied": published_groups.filter(session__event__start_date=day),
        "none": published_groups.filter(pk__in=[]),
    }
    for name, groups in by_groups.items():
        queryset = everything.filter(group__in=groups.values("pk"))
        assert_pages_as_ordered(name, queryset, groups=groups)
    with pytest.raises(ValueError):
        ConclusionPaginator(Conclusion.objects.order_by("pk"), 20).page(1)


def assert_pages_as_ordered(name, queryset, **options):
    """Every page, at five page sizes, holds the queryset's rows in its own order (and
    a page past the end none), with the total."""
    expected = list(queryset.values_list("pk", flat=True))
    for per_page in (1, 3, 7, 20, 1000):
        paginator = ConclusionPaginator(queryset, per_page, **options)
        pages = max(1, -(-len(expected) // per_page))
        for number in range(1, pages + 1):
            page = paginator.page(number)
            bottom = (number - 1) * per_page
            assert [c.pk for c in page] == expected[bottom : bottom + per_page], (
                name, per_page, number,
            )  # fmt: skip
            assert paginator.count == len(expected)
        past = ConclusionPaginator(queryset, per_page, **options)
        assert past.ids_and_total(pages * per_page, (pages + 1) * per_page) == (
            [],
            len(expected),
        )


def test_the_day_filter_formats_as_the_date_filter_in_each_language():
    """|day (the follow-up's dates, formatted once per day and language) gives what
    |date gives, in Indonesian and in English, whichever language formatted a day
    first; a datetime or nothing goes to |date."""
    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from workshops.templatetags.jakres import day

    days = [datetime.date(2018, 9, 26), datetime.date(2019, 3, 1), datetime.date(2024, 12, 31)]
    seen = set()
    for language in ("id", "en", "id"):
        with translation.override(language):
            for value in days:
                for fmt in ("j F Y", "Y-m-d"):
                    assert day(value, fmt) == date_filter(value, fmt)
                seen.add(day(value, "j F Y"))
            moment = datetime.datetime(2019, 3, 1, 10, 30)
            assert day(moment, "j F Y H:i") == date_filter(moment, "j F Y H:i")
            assert day(None, "j F Y") == date_filter(None, "j F Y") == ""
    assert {"26 September 2018", "1 Maret 2019", "1 March 2019"} <= seen


def test_a_page_number_past_what_the_database_counts_is_not_found(client, workshop):
    """A page number whose first row is past a 64-bit integer (what SQLite and
    PostgreSQL take) is a 404 on the follow-up list, whichever paginator it uses, not
    a server error; get_page() gives the last page."""
    for page in ("9223372036854775807", "99999999999999999999999"):
        assert client.get("/follow-up/", {"page": page}).status_code == 404
        filtered = {"page": page, "status": "not_taken_up"}
        assert client.get("/follow-up/", filtered).status_code == 404
    everything = Conclusion.objects.published().order_by(*CONCLUSION_ORDER)
    for paginator_class in (ConclusionPaginator, WithTotalPaginator):
        paginator = paginator_class(everything, 20)
        last = paginator.get_page(10**30)
        assert last.number == paginator.num_pages >= 1
        assert list(last) == list(everything[20 * (last.number - 1) :])
