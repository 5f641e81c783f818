"""The fixture read against the seed article once more (issue 11, "content read against
the seed"): each test names the slip it guards against."""

import re

import pytest

from tests.conftest import WORKSHOP_SLUG
from tests.factories import EventFactory
from tests.test_public_views import text_of
from workshops.models import Event
from workshops.proceedings import neighbours_of

pytestmark = pytest.mark.django_db

AUG_23 = "/events/sesi-kerja-2018-08-23-status-ketahanan-kota/"
SEPT_19 = "/events/sesi-kerja-2018-09-19-visi-misi-program-prioritas/"


def test_the_working_sessions_have_their_own_summary(client, workshop):
    """The seed's "Keluaran dari rangkaian sesi kerja tersebut…" follows the list of both
    sessions; alone on one session's page its "tersebut" referred to nothing."""
    for url, which in ((AUG_23, "pertama"), (SEPT_19, "kedua")):
        text = text_of(client.get(url))
        assert "sesi kerja tersebut" not in text
        assert f"Sesi kerja {which} dari dua sesi kerja Tahap II" in text
        assert "Keluaran kedua sesi kerja ini menjadi masukan" in text


def test_the_first_working_session_lists_both_later_events(client, workshop):
    text = text_of(client.get(AUG_23))
    after = text.split("Kegiatan sesudahnya", 1)[1]
    assert "Visi Misi Program Prioritas" in after
    assert after.index("Visi Misi Program Prioritas") < after.index("Lokakarya Perdana")


def test_the_english_adds_nothing_to_the_seed(client, workshop):
    text = text_of(client.get(f"/en/events/{WORKSHOP_SLUG}/"))
    assert "Statistics" not in text  # the seed says only "dinas kominfotik"
    # The source's slips are kept in Indonesian and marked [sic] in English, alike.
    assert "1.7 trillion [sic] US dollars" in text
    assert "natural, non-natural, and natural [sic]" in text


def test_the_english_title_and_citation(client, workshop):
    html = client.get(f"/en/events/{WORKSHOP_SLUG}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.endswith("· Proceedings of Jakarta Berketahanan")
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert (
        '<cite lang="id">Lokakarya Perdana Program Prioritas Jakarta Berketahanan</cite>'
        in citation
    )
    assert "[Inaugural Workshop on the Resilient Jakarta Priority Programmes]" in citation
    indonesian = client.get(f"/events/{WORKSHOP_SLUG}/").content.decode()
    assert "<cite>Lokakarya Perdana Program Prioritas Jakarta Berketahanan</cite>" in indonesian
    assert re.search(r"<title>.*· Prosiding Jakarta Berketahanan</title>", indonesian, re.S)


def test_before_and_after_list_published_events_by_date_in_one_query(client, workshop):
    """The page reads both directions of the link in one query (neighbours_of); an
    event still in draft is not listed, and the order is by date."""
    first = Event.objects.get(slug=AUG_23.strip("/").split("/")[-1])
    draft = EventFactory(title="Rapat yang belum terbit", status="draft")
    draft.preceded_by.add(first)
    text = text_of(client.get(AUG_23))
    assert "Rapat yang belum terbit" not in text
    before, after = neighbours_of(first)
    assert before == []
    assert [e.start_date for e in after] == sorted(e.start_date for e in after)
    assert len(after) == 2 and draft not in after
