"""The staff admin: complete entry of a workshop, and no access for the public."""

import re

import pytest
from django.urls import reverse

from focus_areas.models import DiscussionGroup
from tests.admin_forms import form_data
from tests.factories import FocusAreaFactory, PersonFactory
from workshops.models import Event, Session

pytestmark = pytest.mark.django_db


def test_admin_anonymous_is_redirected_to_login(client, workshop):
    response = client.get(reverse("admin:workshops_event_change", args=[workshop.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_non_staff_user_is_refused(client, django_user_model, workshop):
    user = django_user_model.objects.create_user(username="warga", password="x-y-z-123456")
    client.force_login(user)
    response = client.get(reverse("admin:workshops_event_change", args=[workshop.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    login_page = client.get(response.url).content.decode()
    # Django's message: "You are authenticated as warga, but are not authorized …"
    assert "warga" in login_page
    assert 'name="password"' in login_page
    assert "Lokakarya Perdana" not in login_page


def test_admin_staff_sees_the_workshop_with_its_parts(staff_client, workshop):
    changelist = staff_client.get(reverse("admin:workshops_event_changelist")).content.decode()
    assert "Lokakarya Perdana Program Prioritas Jakarta Berketahanan" in changelist
    assert "Sesi Kerja Tahap II" in changelist

    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    html = staff_client.get(url).content.decode()
    assert "Penyampaian materi dari Sekretariat Jakarta Berketahanan" in html
    assert "https://issuu.com/jakberketahanan/docs/20181011_prosiding_lokakarya_perdan" in html
    # The event's other parts have pages of their own, linked from its page.
    assert f'href="{url}?part=shocks"' in html and f'href="{url}?part=photos"' in html
    assert "banjir" in staff_client.get(url, {"part": "shocks"}).content.decode()
    photos = staff_client.get(url, {"part": "photos"}).content.decode()
    assert "Situassi Diskusi pada Kelompok 2" in photos

    panel = workshop.sessions.get(order=2)
    html = staff_client.get(reverse("admin:workshops_session_change", args=[panel.pk])).content
    html = html.decode()
    # The panel's speakers are its appearances (the event's page); the description keeps
    # what the list of speakers does not say (issue 11: the panel was introduced twice).
    assert "dengan antusiasnya partisipan melakukan tanya-jawab" in html

    group = DiscussionGroup.objects.get(session__event=workshop, number=2)
    html = staff_client.get(
        reverse("admin:focus_areas_discussiongroup_change", args=[group.pk])
    ).content.decode()
    assert "Peran BPBD mapping pulau yang aman di kep. seribu" in html


def test_admin_list_shows_what_is_missing(staff_client, workshop):
    html = staff_client.get(reverse("admin:workshops_event_changelist")).content.decode()
    # The seed names no venue for any event; the working sessions have no documents.
    assert "venue" in html or "tempat" in html
    assert "Still missing" in html or "Masih kurang" in html


def test_admin_autocomplete_finds_people_by_name(staff_client, workshop):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Virg",
            "app_label": "workshops",
            "model_name": "appearance",
            "field_name": "person",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Tri Dewi Virgiyanti"]


def form_errors(response):
    """The admin's error messages, for a readable assertion message."""
    html = response.content.decode()
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S) or html[:500]


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def the_event_with_two_sessions():
    """The event form's fields with two sessions (their speakers and groups are entered
    on each session's page)."""
    return {
        "title_ind": "Lokakarya Kedua",
        "title_en": "Second Workshop",
        "slug": "lokakarya-kedua",
        "kind": "workshop",
        "start_date": "2018-11-20",
        "city": "Jakarta",
        "participant_count_qualifier": "exact",
        **management("sessions", 2),
        "sessions-0-order": "1",
        "sessions-0-kind": "panel",
        "sessions-0-title_ind": "Diskusi panel",
        "sessions-1-order": "2",
        "sessions-1-kind": "group_discussion",
        "sessions-1-title_ind": "Diskusi kelompok",
    }


def the_panels_speakers(speaker, moderator):
    return {
        **management("sessions-0-appearances", 2),
        "sessions-0-appearances-0-order": "1",
        "sessions-0-appearances-0-role": "panelist",
        "sessions-0-appearances-0-person": str(speaker.pk),
        "sessions-0-appearances-0-title_at_time_ind": "Pengamat tata kota",
        "sessions-0-appearances-0-summary_ind": "Ruang terbuka **hijau**.",
        "sessions-0-appearances-1-order": "2",
        "sessions-0-appearances-1-role": "moderator",
        "sessions-0-appearances-1-person": str(moderator.pk),
    }


def the_discussions_group(area):
    return {
        **management("sessions-0-groups", 1),
        "sessions-0-groups-0-number": "1",
        "sessions-0-groups-0-focus_area": str(area.pk),
        "sessions-0-groups-0-summary_ind": "Simpulan:",
        **management("sessions-0-groups-0-conclusions", 2),
        "sessions-0-groups-0-conclusions-0-order": "1",
        "sessions-0-groups-0-conclusions-0-text_ind": "Perlu payung hukum",
        **management("sessions-0-groups-0-conclusions-0-children", 1),
        "sessions-0-groups-0-conclusions-0-children-0-order": "1",
        "sessions-0-groups-0-conclusions-0-children-0-text_ind": "Untuk Kepulauan Seribu",
        "sessions-0-groups-0-conclusions-1-order": "2",
        "sessions-0-groups-0-conclusions-1-text_ind": "Perlu kolaborasi",
        **management("sessions-0-groups-0-conclusions-1-children", 0),
    }


def session_page(event, session):
    url = reverse("admin:workshops_event_change", args=[event.pk])
    return f"{url}?part=session-{session.pk}"


def save_session_page(client, event, session, fields, button="_save"):
    """Open the session's page, fill in `fields` as a browser would, and save."""
    url = session_page(event, session)
    data = form_data(client.get(url).content.decode(), "event_form")
    data.update(fields)
    data[button] = "1"
    return client.post(url, data)


def test_admin_staff_enters_a_whole_workshop_on_its_pages(staff_client):
    """Event with its sessions in one save; then each session's speakers, and groups →
    conclusions → sub-points, on the session's page, which leads on to the next one."""
    speaker = PersonFactory(name="Nirwono Joga", slug="nirwono-joga")
    moderator = PersonFactory(name="Rujak Moderator", slug="rujak-moderator")
    area = FocusAreaFactory(number=1)
    add_url = reverse("admin:workshops_event_add")
    data = form_data(staff_client.get(add_url).content.decode(), "event_form")
    data.update(the_event_with_two_sessions())
    response = staff_client.post(add_url, data)
    assert response.status_code == 302, form_errors(response)

    event = Event.objects.get(slug="lokakarya-kedua")
    assert event.status == "draft"
    assert [s.title_ind for s in event.sessions.order_by("order")] == [
        "Diskusi panel",
        "Diskusi kelompok",
    ]
    panel, discussion = event.sessions.order_by("order")
    event_page = staff_client.get(reverse("admin:workshops_event_change", args=[event.pk]))
    assert f'href="{session_page(event, panel)}"' in event_page.content.decode()

    fields = the_panels_speakers(speaker, moderator)
    response = save_session_page(staff_client, event, panel, fields, "_next_session")
    assert response.status_code == 302, form_errors(response)
    assert response.url == session_page(event, discussion)  # on to the next session
    response = save_session_page(staff_client, event, discussion, the_discussions_group(area))
    assert response.status_code == 302, form_errors(response)
    assert response.url == reverse("admin:workshops_event_change", args=[event.pk])

    appearances = panel.appearances.order_by("order")
    assert [(a.role, a.person.name, a.title_at_time_ind or "") for a in appearances] == [
        ("panelist", "Nirwono Joga", "Pengamat tata kota"),
        ("moderator", "Rujak Moderator", ""),
    ]
    group = DiscussionGroup.objects.get(session__event=event)
    assert group.session_id == discussion.pk
    points = list(group.conclusions.filter(parent=None).order_by("order"))
    assert [c.text_ind for c in points] == ["Perlu payung hukum", "Perlu kolaborasi"]
    assert [(c.text_ind, c.group_id) for c in points[0].children.all()] == [
        ("Untuk Kepulauan Seribu", group.pk)
    ]
    assert Session.objects.filter(event=event).count() == 2
    # The event page sums each session up on one line.
    html = staff_client.get(reverse("admin:workshops_event_change", args=[event.pk]))
    assert "2 pembicara · 0 kelompok · 0 simpulan" in html.content.decode()
    assert "0 pembicara · 1 kelompok · 2 simpulan" in html.content.decode()


def test_admin_reorders_conclusions_by_position_without_clashing(staff_client, workshop):
    """Dragging rows sends new positions; a swap must not trip the unique orders."""
    group = DiscussionGroup.objects.get(session__event=workshop, number=1)
    change_url = session_page(workshop, group.session)
    data = form_data(staff_client.get(change_url).content.decode(), "event_form")
    prefix = "sessions-0-groups-0-conclusions"
    ids = [data[f"{prefix}-{i}-id"] for i in range(3)]
    assert ids == [str(c.pk) for c in group.conclusions.filter(parent=None).order_by("order")]
    # What nested-admin's drag and drop posts: the new positions (it counts from 0).
    data[f"{prefix}-0-order"], data[f"{prefix}-1-order"], data[f"{prefix}-2-order"] = "2", "1", "0"
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response)
    reordered = [c.pk for c in group.conclusions.filter(parent=None).order_by("order")]
    assert reordered == [int(ids[2]), int(ids[1]), int(ids[0])]
    assert [c.order for c in group.conclusions.filter(parent=None).order_by("order")] == [1, 2, 3]


def test_admin_event_page_reads_attachment_choices_once(staff_client, workshop):
    """Rows of documents and photos share their session and group choices."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DocumentFactory

    url = reverse("admin:workshops_event_change", args=[workshop.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return sum(
            1
            for q in queries.captured_queries
            if 'FROM "workshops_session"' in q["sql"]
            and '"workshops_session"."event_id" =' in q["sql"]
            and "ORDER BY" in q["sql"]
            and "LIMIT" not in q["sql"]
        )

    before = count()
    for order in range(10, 20):
        DocumentFactory(event=workshop, order=order)
    assert count() == before
