"""Live capture (issue 13): links, the rapporteur's page, conflicts, undo, the plenary
screen. Safety against the public: tests/test_capture_safety.py; staff review:
tests/test_capture_review.py; the browser: tests/browser/test_capture_browser.py."""

import datetime

import pytest
from django.utils import timezone

from capture import services
from capture.models import CapturedPoint, CapturedRevision, CaptureLink, CaptureSheet, LinkKind
from capture.tokens import digest_of
from focus_areas.models import DiscussionGroup
from tests.capture_helpers import draft_event, open_links, post
from tests.factories import DiscussionGroupFactory
from workshops.models import EventStatus, SessionKind

pytestmark = pytest.mark.django_db


def texts(link):
    sheet = CaptureSheet.objects.get(group=link.group)
    top, _removed = services.arrange(list(sheet.points.all()))
    return [(p.text, [s.text for s in p.subs]) for p in top]


def point_of(link, text):
    return CapturedPoint.objects.get(sheet__group=link.group, text=text)


# --- Links --------------------------------------------------------------------------


def test_links_create_a_group_per_focus_area_when_the_event_has_none():
    event = draft_event(areas=3)
    links = open_links(event)
    groups = DiscussionGroup.objects.filter(session__event=event).order_by("number")
    assert [(g.number, g.focus_area.number) for g in groups] == [(1, 1), (2, 2), (3, 3)]
    assert groups[0].session.kind == SessionKind.GROUP_DISCUSSION
    assert sorted(k for k in links if k != "plenary") == [1, 2, 3]
    assert links["plenary"].group is None


def test_links_use_the_events_own_groups_and_are_not_doubled():
    event = draft_event(areas=2)
    group = DiscussionGroupFactory(session__event=event, number=7)
    open_links(event)
    open_links(event)  # a second time: the active links stay
    assert list(DiscussionGroup.objects.filter(session__event=event)) == [group]
    assert CaptureLink.objects.filter(event=event, kind=LinkKind.RAPPORTEUR).count() == 1
    assert CaptureLink.objects.filter(event=event, kind=LinkKind.PLENARY).count() == 1


def test_a_link_stores_no_token_and_its_token_can_be_derived_again():
    event = draft_event()
    link = open_links(event)[1]
    token = link.token
    assert len(token) == 43
    stored = CaptureLink.objects.filter(pk=link.pk).values()[0]
    assert token not in str(stored)
    assert stored["digest"] == digest_of(token)
    assert CaptureLink.objects.get(pk=link.pk).token == token  # the printable page again


def test_the_default_expiry_is_the_end_of_the_events_day_or_of_today():
    today = timezone.localdate()
    event = draft_event(start_date=today)
    expiry = timezone.localtime(services.default_expiry(event))
    assert (expiry.date(), expiry.hour, expiry.minute) == (today, 23, 59)
    old = draft_event(start_date=datetime.date(2018, 9, 26))
    assert timezone.localtime(services.default_expiry(old)).date() == today


def test_capture_refuses_a_published_event():
    event = draft_event(status=EventStatus.PUBLISHED)
    with pytest.raises(services.CaptureClosed):
        open_links(event)


def test_a_rapporteur_link_opens_its_groups_page_only(client):
    event = draft_event(areas=2)
    links = open_links(event)
    page = client.get(links[1].get_absolute_url()).content.decode()
    assert "Kelompok 1" in page and "Fokus 1" in page
    assert "Fokus 2" not in page


# --- Writing --------------------------------------------------------------------------


def test_a_rapporteur_adds_points_and_sub_points_with_their_name(client):
    link = open_links(draft_event())[1]
    response = post(client, link, action="add", text="Perlu payung hukum")
    assert response.status_code == 303
    assert response["Location"].startswith(link.get_absolute_url() + "?saved=add#butir-")
    parent = point_of(link, "Perlu payung hukum")
    post(client, link, action="add", text="Peran BPBD", parent=parent.pk)
    post(client, link, action="add", text="Jaringan kominfotik", parent=parent.pk)
    post(client, link, action="add", text="Koordinasi forum")
    assert texts(link) == [
        ("Perlu payung hukum", ["Peran BPBD", "Jaringan kominfotik"]),
        ("Koordinasi forum", []),
    ]
    revision = CapturedRevision.objects.get(point=parent)
    assert (revision.author, revision.action, revision.text) == ("Rina", "add", parent.text)
    page = client.get(link.get_absolute_url()).content.decode()
    assert "Peran BPBD" in page and "ditulis oleh Rina" in page


def test_the_name_is_typed_once(client):
    link = open_links(draft_event())[1]
    response = post(client, link, action="name", author="Budi Santoso")
    assert response.status_code == 303
    page = client.get(link.get_absolute_url()).content.decode()
    assert 'type="hidden" name="author" value="Budi Santoso"' in page
    client.post(link.get_absolute_url(), {"action": "add", "text": "Tanpa nama lagi"})
    assert point_of(link, "Tanpa nama lagi").author == "Budi Santoso"


def test_a_sub_point_cannot_have_sub_points_nor_go_under_another_groups_point(client):
    links = open_links(draft_event(areas=2))
    post(client, links[1], action="add", text="Butir")
    parent = point_of(links[1], "Butir")
    post(client, links[1], action="add", text="Sub", parent=parent.pk)
    sub = point_of(links[1], "Sub")
    response = post(client, links[1], action="add", text="Sub dari sub", parent=sub.pk)
    assert response.status_code == 400
    assert "Sub dari sub" in response.content.decode()  # what was typed stays
    response = post(client, links[2], action="add", text="Menyusup", parent=parent.pk)
    assert response.status_code == 400
    assert not CapturedPoint.objects.filter(text__in=["Sub dari sub", "Menyusup"]).exists()


def test_an_edit_keeps_every_revision_with_its_author(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Versi satu")
    point = point_of(link, "Versi satu")
    post(
        client, link, action="edit", point=point.pk, base_version=1, text="Versi dua", author="Sari"
    )
    point.refresh_from_db()
    assert (point.text, point.version, point.author) == ("Versi dua", 2, "Sari")
    history = list(point.revisions.values_list("version", "author", "text"))
    assert history == [(1, "Rina", "Versi satu"), (2, "Sari", "Versi dua")]


def test_points_move_up_down_and_to_a_position(client):
    link = open_links(draft_event())[1]
    for text in ["A", "B", "C"]:
        post(client, link, action="add", text=text)
    c = point_of(link, "C")
    post(client, link, action="move", point=c.pk, direction="up")
    assert [t for t, _s in texts(link)] == ["A", "C", "B"]
    post(client, link, action="move", point=point_of(link, "A").pk, direction="down")
    assert [t for t, _s in texts(link)] == ["C", "A", "B"]
    post(client, link, action="move", point=point_of(link, "B").pk, position=1)
    assert [t for t, _s in texts(link)] == ["B", "C", "A"]
    assert CapturedRevision.objects.filter(action="move").count() == 3


def test_a_removal_can_be_undone_the_same_day_only(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Hapus aku")
    point = point_of(link, "Hapus aku")
    post(client, link, action="remove", point=point.pk, base_version=1)
    assert texts(link) == []
    page = client.get(link.get_absolute_url()).content.decode()
    assert "Dihapus hari ini" in page and "Hapus aku" in page
    post(client, link, action="restore", point=point.pk)
    assert texts(link) == [("Hapus aku", [])]
    post(client, link, action="remove", point=point.pk, base_version=1)
    CapturedPoint.objects.filter(pk=point.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert "Hapus aku" not in client.get(link.get_absolute_url()).content.decode()
    response = post(client, link, action="restore", point=point.pk)
    assert response.status_code == 400
    assert texts(link) == []


# --- Two phones at once ---------------------------------------------------------------


def test_a_save_based_on_an_older_version_shows_both_texts_and_saves_nothing(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Teks awal")
    point = point_of(link, "Teks awal")
    first = post(
        client, link, action="edit", point=point.pk, base_version=1, text="Teks Ani", author="Ani"
    )
    assert first.status_code == 303
    second = post(
        client, link, action="edit", point=point.pk, base_version=1, text="Teks Budi", author="Budi"
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Teks Ani" in page and "Teks Budi" in page and "ditulis oleh Ani" in page
    assert 'name="base_version" value="2"' in page  # the choice to save over it knowingly
    point.refresh_from_db()
    assert point.text == "Teks Ani"
    chosen = post(
        client, link, action="edit", point=point.pk, base_version=2, text="Teks Ani dan Budi",
        author="Budi",
    )  # fmt: skip
    assert chosen.status_code == 303
    assert texts(link) == [("Teks Ani dan Budi", [])]


def test_editing_a_point_removed_meanwhile_offers_to_add_the_text_again(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Akan dihapus")
    point = point_of(link, "Akan dihapus")
    post(client, link, action="remove", point=point.pk, base_version=1, author="Ani")
    response = post(client, link, action="edit", point=point.pk, base_version=1, text="Teks baru")
    assert response.status_code == 409
    page = response.content.decode()
    assert "dihapus oleh Ani" in page and "Teks baru" in page
    assert 'value="add"' in page


def test_removing_a_point_changed_meanwhile_is_a_conflict(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Lama")
    point = point_of(link, "Lama")
    post(client, link, action="edit", point=point.pk, base_version=1, text="Baru", author="Ani")
    response = post(client, link, action="remove", point=point.pk, base_version=1)
    assert response.status_code == 409
    assert "Baru" in response.content.decode()
    assert texts(link) == [("Baru", [])]


def test_a_point_of_another_group_cannot_be_touched(client):
    links = open_links(draft_event(areas=2))
    post(client, links[2], action="add", text="Milik kelompok 2")
    other = point_of(links[2], "Milik kelompok 2")
    for data in [
        {"action": "edit", "point": other.pk, "base_version": 1, "text": "Dibajak"},
        {"action": "remove", "point": other.pk, "base_version": 1},
        {"action": "move", "point": other.pk, "direction": "up"},
        {"action": "restore", "point": other.pk},
    ]:
        response = post(client, links[1], **data)
        assert response.status_code == 400, data
    other.refresh_from_db()
    assert (other.text, other.deleted_at) == ("Milik kelompok 2", None)


# --- Bad input ------------------------------------------------------------------------


def test_bad_input_gets_a_message_next_to_the_field_and_keeps_the_text(client):
    link = open_links(draft_event())[1]
    response = post(client, link, action="add", text="   ", author="Rina")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tuliskan teks butir ini." in page
    response = client.post(link.get_absolute_url(), {"action": "add", "text": "Tanpa nama"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ketik nama Anda" in page and "Tanpa nama" in page
    response = post(client, link, action="add", text="x" * 2001)
    assert response.status_code == 400
    assert "x" * 2001 in response.content.decode()
    assert not CapturedPoint.objects.exists()


def test_text_is_cleaned_like_staff_text(client):
    link = open_links(draft_event())[1]
    post(
        client,
        link,
        action="add",
        text="  Ba\x00njir\u202e rob\r\nbaris dua\x07 ",
        author="Ri\u202ena",
    )
    point = CapturedPoint.objects.get()
    assert point.text == "Banjir rob\nbaris dua"
    assert point.author == "Rina"
    post(client, link, action="add", text="<script>alert(1)</script>")
    page = client.get(link.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unknown_action_or_a_body_too_large_is_refused(client):
    link = open_links(draft_event())[1]
    assert post(client, link, action="publish").status_code == 400
    response = post(client, link, action="add", text="y" * 40_000)
    assert response.status_code == 413
    assert not CapturedPoint.objects.exists()


# --- The plenary screen -------------------------------------------------------------


def test_the_plenary_screen_shows_every_group_and_its_json_says_when_nothing_changed(client):
    links = open_links(draft_event(areas=2))
    post(client, links[1], action="add", text="Simpulan satu")
    parent = point_of(links[1], "Simpulan satu")
    post(client, links[1], action="add", text="Sub satu", parent=parent.pk)
    post(client, links[2], action="add", text="Simpulan dua")
    url = links["plenary"].get_absolute_url()
    page = client.get(url).content.decode()
    assert "Simpulan satu" in page and "Sub satu" in page and "Simpulan dua" in page
    assert 'data-poll-url="' + url + 'data.json"' in page
    assert "<script src=" in page and "<script>" not in page
    data = client.get(url + "data.json")
    assert data.json() == {
        "groups": [
            {"number": 1, "focus_area": "Fokus 1",
             "points": [{"text": "Simpulan satu", "sub_points": ["Sub satu"]}]},
            {"number": 2, "focus_area": "Fokus 2",
             "points": [{"text": "Simpulan dua", "sub_points": []}]},
        ]
    }  # fmt: skip
    again = client.get(url + "data.json", HTTP_IF_NONE_MATCH=data["ETag"])
    assert again.status_code == 304
    post(client, links[2], action="add", text="Simpulan tiga")
    changed = client.get(url + "data.json", HTTP_IF_NONE_MATCH=data["ETag"])
    assert changed.status_code == 200
    assert changed.json()["groups"][1]["points"][1]["text"] == "Simpulan tiga"


def test_the_plenary_screen_is_not_the_rapporteurs_and_writes_nothing(client):
    links = open_links(draft_event())
    plenary = links["plenary"].get_absolute_url()
    assert client.post(plenary, {"action": "add", "text": "x", "author": "y"}).status_code == 405
    rapporteur_with_plenary_token = (
        links[1].get_absolute_url().replace(links[1].token, links["plenary"].token)
    )
    assert client.get(rapporteur_with_plenary_token).status_code == 404
    plenary_with_rapporteur_token = plenary.replace(links["plenary"].token, links[1].token)
    assert client.get(plenary_with_rapporteur_token).status_code == 404


def test_one_points_form_opens_by_a_link_without_javascript(client):
    link = open_links(draft_event())[1]
    post(client, link, action="add", text="Butir pertama")
    point = point_of(link, "Butir pertama")
    page = client.get(link.get_absolute_url()).content.decode()
    assert f"?edit={point.pk}#butir-{point.pk}" in page and f"?sub={point.pk}#" in page
    assert "<textarea" in page and page.count("<textarea") == 1  # the add form only
    edit = client.get(link.get_absolute_url(), {"edit": point.pk}).content.decode()
    assert f'id="id_edit-{point.pk}_text">\nButir pertama</textarea>' in edit
    assert f'name="base_version" value="1" id="id_edit-{point.pk}_base_version"' in edit
    sub = client.get(link.get_absolute_url(), {"sub": point.pk}).content.decode()
    assert f'name="parent" value="{point.pk}"' in sub
    assert client.get(link.get_absolute_url(), {"edit": "x<y"}).status_code == 200


def test_the_plenary_json_is_in_the_screens_language_and_leaves_out_removed_points(client):
    links = open_links(draft_event(areas=1))
    post(client, links[1], action="add", text="Tetap")
    post(client, links[1], action="add", text="Dihapus")
    removed = point_of(links[1], "Dihapus")
    post(client, links[1], action="remove", point=removed.pk, base_version=1)
    token = links["plenary"].token
    indonesian = client.get(f"/pleno/{token}/data.json").json()["groups"][0]
    english = client.get(f"/en/pleno/{token}/data.json").json()["groups"][0]
    assert (indonesian["focus_area"], english["focus_area"]) == ("Fokus 1", "Focus area 1")
    assert indonesian["points"] == english["points"] == [{"text": "Tetap", "sub_points": []}]
    assert "Dihapus" not in client.get(f"/pleno/{token}/").content.decode()
