"""Live capture, staff's side (issue 13, items 1 and 5): the event's rapporteur links,
the printable QR sheet, the review with history, editing, and accepting into the
event's conclusions; nothing captured is public before the event is published."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from capture.models import CapturedPoint, CaptureLink, CaptureSheet, LinkKind
from focus_areas.models import Conclusion
from tests.capture_helpers import draft_event, open_links, post, tomorrow
from tests.conftest import member
from tests.factories import ProgrammeFactory
from workshops.editorial import workflow
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db


def links_url(event):
    return reverse("admin:capture_links", args=[event.pk])


def review_url(event):
    return reverse("admin:capture_review", args=[event.pk])


def fill(client, links):
    post(client, links[1], action="add", text="Pemahaman konsep ketahanan", author="Ani")
    post(client, links[1], action="add", text="Payung hukum", author="Budi")
    parent = CapturedPoint.objects.get(text="Pemahaman konsep ketahanan")
    post(client, links[1], action="add", text="Peran BPBD", parent=parent.pk, author="Ani")
    post(client, links[1], action="add", text="Dihapus", author="Ani")
    removed = CapturedPoint.objects.get(text="Dihapus")
    post(client, links[1], action="remove", point=removed.pk, base_version=1, author="Ani")
    post(client, links[2], action="add", text="Fasilitas sosial", author="Citra")


def test_an_editor_creates_the_links_and_the_groups_from_the_events_page(client, editor):
    event = draft_event(areas=3)
    client.force_login(editor)
    change = client.get(reverse("admin:workshops_event_change", args=[event.pk])).content.decode()
    assert links_url(event) in change and "Tautan rapporteur" in change
    page = client.get(links_url(event)).content.decode()
    assert "Belum ada tautan." in page
    response = client.post(
        links_url(event), {"action": "issue", "expires_at": tomorrow().strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    page = client.get(links_url(event)).content.decode()
    links = CaptureLink.objects.filter(event=event)
    assert links.filter(kind=LinkKind.RAPPORTEUR).count() == 3
    for link in links:
        assert "http://testserver" + link.get_absolute_url() in page


def test_the_expiry_must_be_in_the_future(client, editor):
    event = draft_event()
    client.force_login(editor)
    response = client.post(links_url(event), {"action": "issue", "expires_at": "2018-09-26T17:00"})
    assert response.status_code == 200
    assert "Pilih waktu di masa depan." in response.content.decode()
    assert not CaptureLink.objects.exists()


def test_the_printable_sheet_has_a_qr_code_per_group_with_its_name(client, editor):
    event = draft_event(areas=2)
    links = open_links(event)
    client.force_login(editor)
    page = client.get(reverse("admin:capture_print", args=[event.pk])).content.decode()
    assert page.count("<svg") == 3  # two groups and the plenary screen
    assert page.count('class="half-page"') == 3
    assert "Kelompok 1" in page and "Fokus 1" in page and "Fokus 2" in page
    assert "capture-print.css" in page
    assert "http://testserver" + links[2].get_absolute_url() in page


def test_revoking_and_replacing_a_link(client, editor):
    event = draft_event()
    links = open_links(event)
    client.force_login(editor)
    old = links[1].get_absolute_url()
    client.post(links_url(event), {"action": "reissue", "link": links[1].pk})
    assert client.get(old).status_code == 404
    new = CaptureLink.objects.active().get(event=event, group=links[1].group)
    assert client.get(new.get_absolute_url()).status_code == 200
    client.post(links_url(event), {"action": "revoke", "link": new.pk})
    assert client.get(new.get_absolute_url()).status_code == 404


def test_a_published_events_print_page_says_why_it_is_closed(client, publisher):
    """Staff who may edit the event are told what stands in the way (its state), not
    that their account may not open the page."""
    event = draft_event()
    event.status = EventStatus.PUBLISHED
    event.save()
    client.force_login(publisher)
    response = client.get(reverse("admin:capture_print", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Pencatatan langsung hanya untuk draf" in html
    assert "Akun Anda tidak boleh membuka halaman ini" not in html


def test_staff_of_another_programme_or_without_rights_reach_nothing(client, django_user_model):
    event = draft_event()
    links = open_links(event)
    outsider = member(django_user_model, "Editor", "lain")
    ProgrammeFactory(slug="kota-lain", name="Kota Lain").staff.add(outsider)
    client.force_login(outsider)
    for url in [
        links_url(event),
        review_url(event),
        reverse("admin:capture_print", args=[event.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(links_url(event), {"action": "revoke", "link": links[1].pk}).status_code == 404
    )
    nobody = django_user_model.objects.create_user("tamu", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(links_url(event)).status_code == 403
    assert (
        client.post(review_url(event), {"sheet": links[1].group.capture_sheet.pk}).status_code
        == 403
    )
    assert CaptureLink.objects.active().count() == 3
    assert not Conclusion.objects.exists()


def test_a_published_event_gets_no_links_nor_accepted_text(client, publisher):
    event = draft_event()
    links = open_links(event)
    post(client, links[1], action="add", text="Terlambat")
    event.status = EventStatus.PUBLISHED
    event.save()
    client.force_login(publisher)
    assert "hanya untuk draf" in client.get(links_url(event)).content.decode()
    assert client.post(links_url(event), {"action": "issue", "expires_at": "x"}).status_code == 403
    response = client.post(review_url(event), {"sheet": links[1].group.capture_sheet.pk})
    assert response.status_code == 403
    assert not Conclusion.objects.exists()


def test_the_review_shows_who_wrote_what_with_the_history(client, editor):
    event = draft_event(areas=2)
    links = open_links(event)
    fill(client, links)
    point = CapturedPoint.objects.get(text="Payung hukum")
    post(
        client,
        links[1],
        action="edit",
        point=point.pk,
        base_version=1,
        text="Payung hukum daerah",
        author="Dewi",
    )
    client.force_login(editor)
    page = client.get(review_url(event)).content.decode()
    assert "Payung hukum daerah" in page and "ditulis oleh Dewi" in page
    assert "Budi · ditambahkan: Payung hukum" in page
    assert "Dewi · diubah: Payung hukum daerah" in page
    assert "Fasilitas sosial" in page and "ditulis oleh Citra" in page
    assert "1 butir dihapus hari ini" in page
    assert "Belum diterima." in page


def test_accepting_makes_the_groups_conclusions_in_order_in_one_revision(client, editor):
    event = draft_event(areas=2)
    links = open_links(event)
    fill(client, links)
    group = links[1].group
    group.conclusions.create(order=1, text_ind="Simpulan lama")
    before = type(event).objects.get(pk=event.pk).edit_version
    client.force_login(editor)
    sheet = CaptureSheet.objects.get(group=group)
    response = client.post(review_url(event), {"sheet": sheet.pk})
    assert response.status_code == 302
    rows = [(c.parent.text_ind if c.parent else None, c.order, c.text_ind, c.text_en)
            for c in Conclusion.objects.filter(group=group).order_by("parent_id", "order")]  # fmt: skip
    assert sorted(rows, key=str) == sorted([
        (None, 1, "Pemahaman konsep ketahanan", ""),
        (None, 2, "Payung hukum", ""),
        ("Pemahaman konsep ketahanan", 1, "Peran BPBD", ""),
    ], key=str)  # fmt: skip
    assert type(event).objects.get(pk=event.pk).edit_version == before + 1
    revision = Version.objects.get_for_object(event).first().revision
    assert revision.user == editor
    assert "kelompok 1 diterima" in revision.comment
    sheet.refresh_from_db()
    assert sheet.accepted_version == sheet.version and sheet.accepted_by == editor
    client.post(review_url(event), {"sheet": sheet.pk})  # again: replaced, not doubled
    assert Conclusion.objects.filter(group=group).count() == 3
    assert event.status == EventStatus.DRAFT


def test_staff_edit_captured_text_before_accepting_and_stale_edits_are_refused(client, editor):
    event = draft_event()
    links = open_links(event)
    post(client, links[1], action="add", text="Salah ketik")
    point = CapturedPoint.objects.get()
    client.force_login(editor)
    url = reverse("admin:capture_point", args=[point.pk])
    response = client.post(url, {"text": "Tanpa salah ketik", "base_version": 1})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text == "Tanpa salah ketik" and point.author == "editor (staf)"
    stale = client.post(url, {"text": "Versi basi", "base_version": 1})
    page = stale.content.decode()
    assert stale.status_code == 200 and "perubahan Anda tidak disimpan" in page
    assert "Tanpa salah ketik" in page and "Versi basi" in page
    point.refresh_from_db()
    assert point.text == "Tanpa salah ketik"


def test_captured_text_is_public_only_once_the_event_is_published(client, editor, publisher):
    event = draft_event(slug="lokakarya-tangkap")
    links = open_links(event)
    word = "Zamrudkhatulistiwa"
    post(client, links[1], action="add", text=f"Simpulan {word}")
    client.force_login(editor)
    client.post(review_url(event), {"sheet": links[1].group.capture_sheet.pk})
    client.logout()
    public = [
        "/events/lokakarya-tangkap/", "/en/events/lokakarya-tangkap/",
        "/events/lokakarya-tangkap/proceedings.json", f"/search/?q={word}", "/events/feed/",
        "/sitemap.xml", "/focus-areas/1/", "/events/",
        links[1].group.get_absolute_url(),
    ]  # fmt: skip
    for url in public:
        page = client.get(url, follow=True).content.decode()
        assert f"Simpulan {word}" not in page and event.title not in page, url
    workflow.submit_for_review(event=event, user=editor)
    workflow.publish(event=event, user=publisher)
    page = client.get("/events/lokakarya-tangkap/").content.decode()
    assert f"Simpulan {word}" in page
    assert event.title in client.get(f"/search/?q={word}").content.decode()
    assert client.get(links[1].get_absolute_url()).status_code == 404  # writing has ended
    assert reversion.is_registered(Conclusion)


def test_the_accept_service_checks_the_user_and_the_state_itself(client, editor, django_user_model):
    from django.core.exceptions import PermissionDenied

    from workshops.editorial.capture_review import accept_sheet

    event = draft_event()
    links = open_links(event)
    post(client, links[1], action="add", text="Butir")
    sheet = links[1].group.capture_sheet
    nobody = django_user_model.objects.create_user("tamu", password="x", is_staff=True)
    with pytest.raises(PermissionDenied):
        accept_sheet(sheet_id=sheet.pk, user=nobody)
    event.status = EventStatus.PUBLISHED
    event.save()
    with pytest.raises(PermissionDenied):
        accept_sheet(sheet_id=sheet.pk, user=editor)
    assert not Conclusion.objects.exists()
