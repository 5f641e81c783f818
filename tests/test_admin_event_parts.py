"""The event's admin page in parts (issue 10, item 3): each session's speakers and
groups on the session's page, the shocks and stresses and the photos on theirs; every
part is the event's own form, with the same rules: no row of another event or of
another session, read-only with the reason for an Editor on a published event, a
refused or stale save keeps what was typed, and the history is the event's."""

import pytest
from django.urls import reverse

from focus_areas.models import Conclusion, DiscussionGroup
from tests.admin_forms import form_data
from tests.factories import EventFactory, SessionFactory
from tests.test_admin_refusals import PUBLISHED_REASON, visible_inputs
from workshops.models import Event, EventStatus, Session

pytestmark = pytest.mark.django_db

STALE = "Orang lain menyimpan kegiatan ini"


def part_url(event, part):
    return f"{reverse('admin:workshops_event_change', args=[event.pk])}?part={part}"


def group_session(event):
    return DiscussionGroup.objects.filter(session__event=event).first().session


@pytest.fixture
def draft(workshop):
    """The fixture's event as a draft, which an Editor may change."""
    Event.objects.filter(pk=workshop.pk).update(status=EventStatus.DRAFT)
    workshop.refresh_from_db()
    return workshop


def test_the_session_page_shows_the_session_with_its_rows_and_the_way_back(client, editor, draft):
    session = group_session(draft)
    client.force_login(editor)
    html = client.get(part_url(draft, f"session-{session.pk}")).content.decode()
    assert "Peran BPBD mapping pulau yang aman di kep. seribu" in html  # a conclusion
    assert 'name="sessions-0-groups-0-conclusions-0-text_ind"' in html
    assert 'name="sessions-1-title_ind"' not in html  # only this session
    assert 'name="title_ind"' not in html  # not the event's own fields
    event_url = reverse("admin:workshops_event_change", args=[draft.pk])
    breadcrumbs = html[html.index('class="breadcrumbs"') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</div>")]
    assert f'href="{event_url}"' in breadcrumbs and str(session) in breadcrumbs


@pytest.mark.parametrize("part", ["session-999999", "session-x", "everything", "session-"])
def test_an_unknown_part_is_not_found(client, editor, draft, part):
    client.force_login(editor)
    response = client.get(part_url(draft, part))
    assert response.status_code == 404
    assert draft.title_ind not in response.content.decode()


def test_a_session_of_another_event_is_not_found_on_this_events_page(client, editor, draft):
    other = EventFactory(status=EventStatus.DRAFT)
    session = SessionFactory(event=other, order=1, title_ind="Sesi kegiatan lain")
    client.force_login(editor)
    response = client.get(part_url(draft, f"session-{session.pk}"))
    assert response.status_code == 404
    assert "Sesi kegiatan lain" not in response.content.decode()
    data = form_data(client.get(part_url(other, f"session-{session.pk}")).content.decode(),
                     "event_form")  # fmt: skip
    data["sessions-0-title_ind"] = "Diubah lewat kegiatan lain"
    assert client.post(part_url(draft, f"session-{session.pk}"), data).status_code == 404
    assert Session.objects.get(pk=session.pk).title_ind == "Sesi kegiatan lain"


def test_a_crafted_post_naming_another_events_conclusion_is_refused(client, editor, draft):
    other = EventFactory(status=EventStatus.DRAFT)
    foreign_session = SessionFactory(event=other, order=1, kind="group_discussion")
    foreign_group = DiscussionGroup.objects.create(
        session=foreign_session, focus_area=DiscussionGroup.objects.first().focus_area, number=1
    )
    foreign = Conclusion.objects.create(group=foreign_group, order=1, text_ind="Milik lain")
    session = group_session(draft)
    url = part_url(draft, f"session-{session.pk}")
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "event_form")
    data["sessions-0-groups-0-conclusions-0-id"] = str(foreign.pk)
    data["sessions-0-groups-0-conclusions-0-text_ind"] = "Diambil alih"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "milik kegiatan lain" in html or "belongs to another event" in html
    assert "Diambil alih" in html  # what was typed stays
    foreign.refresh_from_db()
    assert (foreign.group_id, foreign.text_ind) == (foreign_group.pk, "Milik lain")


def test_a_crafted_post_naming_another_session_of_the_event_is_refused(client, editor, draft):
    """The session page's form is that one session: another session's id is refused."""
    session = group_session(draft)
    other = draft.sessions.exclude(pk=session.pk).first()
    url = part_url(draft, f"session-{session.pk}")
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "event_form")
    data["sessions-0-id"] = str(other.pk)
    data["sessions-0-title_ind"] = "Judul yang diselundupkan"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "milik kegiatan lain atau sudah tidak ada" in response.content.decode()
    assert not Session.objects.filter(title_ind="Judul yang diselundupkan").exists()


def test_an_editor_sees_a_published_events_session_read_only_and_a_save_keeps_the_input(
    client, editor, workshop
):
    session = group_session(workshop)
    url = part_url(workshop, f"session-{session.pk}")
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert PUBLISHED_REASON in html
    assert visible_inputs(html, "event_form") == []
    assert 'name="_save"' not in html and "_next_session" not in html
    # A form opened while it was a draft, saved after it was published.
    Event.objects.filter(pk=workshop.pk).update(status=EventStatus.DRAFT)
    data = form_data(client.get(url).content.decode(), "event_form")
    Event.objects.filter(pk=workshop.pk).update(status=EventStatus.PUBLISHED)
    data["sessions-0-groups-0-conclusions-0-text_ind"] = "Simpulan yang diketik editor"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert PUBLISHED_REASON in html
    assert "Simpulan yang diketik editor" in html
    assert not Conclusion.objects.filter(text_ind="Simpulan yang diketik editor").exists()


def test_a_stale_session_page_is_refused_and_keeps_the_input(client, editor, draft):
    session = group_session(draft)
    url = part_url(draft, f"session-{session.pk}")
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "event_form")
    # Someone else saves the event's photos meanwhile.
    photos = form_data(client.get(part_url(draft, "photos")).content.decode(), "event_form")
    assert client.post(part_url(draft, "photos"), photos).status_code == 302
    data["sessions-0-groups-0-conclusions-0-text_ind"] = "Teks dari halaman lama"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert STALE in html
    assert "Teks dari halaman lama" in html
    assert not Conclusion.objects.filter(text_ind="Teks dari halaman lama").exists()


def test_a_parts_page_changes_none_of_the_events_own_fields(client, publisher, draft):
    Event.objects.filter(pk=draft.pk).update(not_in_sources=["venue"], title_en="Judul Inggris")
    client.force_login(publisher)
    for part in ("shocks", "photos", f"session-{group_session(draft).pk}"):
        data = form_data(client.get(part_url(draft, part)).content.decode(), "event_form")
        data["_continue"] = "1"
        response = client.post(part_url(draft, part), data)
        assert response.status_code == 302
        assert response.url == part_url(draft, part)  # "save and continue" stays on the part
    draft.refresh_from_db()
    assert draft.not_in_sources == ["venue"]
    assert draft.title_en == "Judul Inggris"


def test_the_attribution_note_is_edited_on_the_documents_own_page(client, publisher, workshop):
    """Not on the event's page (its rows stay light enough for 250 KB at five times
    the parts), but on the document's own admin page, in both languages."""
    client.force_login(publisher)
    event_page = client.get(reverse("admin:workshops_event_change", args=[workshop.pk]))
    assert 'name="documents-0-title_ind"' in event_page.content.decode()
    assert "attribution_note" not in event_page.content.decode()
    document = workshop.documents.exclude(attribution_note_ind="").get()
    html = client.get(reverse("admin:workshops_document_change", args=[document.pk])).content
    html = html.decode()
    assert 'name="attribution_note_ind"' in html and 'name="attribution_note_en"' in html
    assert document.attribution_note_ind[:40] in html
