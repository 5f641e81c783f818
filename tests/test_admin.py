"""The staff admin: complete entry of a workshop, and no access for the public."""

import re

import pytest
from django.urls import reverse

from focus_areas.models import Conclusion, DiscussionGroup
from tests.factories import FocusAreaFactory, PersonFactory
from workshops.models import Appearance, Event, Session

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

    page = staff_client.get(reverse("admin:workshops_event_change", args=[workshop.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Penyampaian materi dari Sekretariat Jakarta Berketahanan" in html
    assert "banjir" in html
    assert "https://issuu.com/jakberketahanan/docs/20181011_prosiding_lokakarya_perdan" in html
    assert "Situassi Diskusi pada Kelompok 2" in html

    panel = workshop.sessions.get(order=2)
    html = staff_client.get(reverse("admin:workshops_session_change", args=[panel.pk])).content
    html = html.decode()
    assert "Deputi Gubernur Tata Ruang dan Lingkungan Hidup DKI Jakarta" in html
    assert "Wicaksono Sarosa" in html

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


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def empty_formsets(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update(formset(prefix, []))
    return data


def test_admin_staff_enters_a_whole_workshop(staff_client):
    """Event → sessions → appearances and groups → conclusions with a sub-point."""
    speaker = PersonFactory(name="Nirwono Joga", slug="nirwono-joga")
    area = FocusAreaFactory(number=1)

    response = staff_client.post(
        reverse("admin:workshops_event_add"),
        {
            "title_ind": "Lokakarya Kedua",
            "title_en": "Second Workshop",
            "slug": "lokakarya-kedua",
            "kind": "workshop",
            "status": "draft",
            "start_date": "2018-11-20",
            "city": "Jakarta",
            "participant_count_qualifier": "exact",
            **formset(
                "sessions",
                [
                    {"order": "1", "kind": "panel", "title_ind": "Diskusi panel"},
                    {"order": "2", "kind": "group_discussion", "title_ind": "Diskusi kelompok"},
                ],
            ),
            **empty_formsets("shocks_stresses", "documents", "photos"),
        },
    )
    assert response.status_code == 302, form_errors(response)
    event = Event.objects.get(slug="lokakarya-kedua")
    assert [s.title_ind for s in event.sessions.order_by("order")] == [
        "Diskusi panel",
        "Diskusi kelompok",
    ]

    panel, groups_session = event.sessions.order_by("order")
    response = staff_client.post(
        reverse("admin:workshops_session_change", args=[panel.pk]),
        {
            "event": event.pk,
            "order": "1",
            "kind": "panel",
            "title_ind": "Diskusi panel",
            **formset(
                "appearances",
                [
                    {
                        "order": "1",
                        "role": "panelist",
                        "person": speaker.pk,
                        "title_at_time_ind": "Pengamat tata kota",
                        "summary_ind": "Ruang terbuka hijau.",
                    },
                    {"order": "2", "role": "moderator", "person": speaker.pk},
                ],
            ),
            **empty_formsets("groups"),
        },
    )
    assert response.status_code == 302, form_errors(response)
    appearances = Appearance.objects.filter(session=panel).order_by("order")
    assert [(a.role, a.person.name, a.title_at_time_ind or "") for a in appearances] == [
        ("panelist", "Nirwono Joga", "Pengamat tata kota"),
        ("moderator", "Nirwono Joga", ""),
    ]

    response = staff_client.post(
        reverse("admin:workshops_session_change", args=[groups_session.pk]),
        {
            "event": event.pk,
            "order": "2",
            "kind": "group_discussion",
            "title_ind": "Diskusi kelompok",
            **empty_formsets("appearances"),
            **formset(
                "groups", [{"number": "1", "focus_area": area.pk, "summary_ind": "Simpulan:"}]
            ),
        },
    )
    assert response.status_code == 302, form_errors(response)
    group = DiscussionGroup.objects.get(session=groups_session)

    response = staff_client.post(
        reverse("admin:focus_areas_discussiongroup_change", args=[group.pk]),
        {
            "session": groups_session.pk,
            "focus_area": area.pk,
            "number": "1",
            "summary_ind": "Simpulan:",
            **formset(
                "conclusions",
                [
                    {"order": "1", "text_ind": "Perlu payung hukum"},
                    {"order": "2", "text_ind": "Perlu kolaborasi"},
                ],
            ),
        },
    )
    assert response.status_code == 302, form_errors(response)
    first = Conclusion.objects.get(group=group, order=1)
    # A sub-point is added on the group page by naming its point.
    page = staff_client.get(reverse("admin:focus_areas_discussiongroup_change", args=[group.pk]))
    assert "Perlu payung hukum" in page.content.decode()
    conclusions = list(Conclusion.objects.filter(group=group).order_by("order"))
    rows = [
        {"id": c.pk, "group": group.pk, "order": str(c.order), "text_ind": c.text_ind}
        for c in conclusions
    ] + [{"order": "1", "parent": first.pk, "text_ind": "Untuk Kepulauan Seribu"}]
    response = staff_client.post(
        reverse("admin:focus_areas_discussiongroup_change", args=[group.pk]),
        {
            "session": groups_session.pk,
            "focus_area": area.pk,
            "number": "1",
            "summary_ind": "Simpulan:",
            **formset("conclusions", rows, initial=len(conclusions)),
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert [c.text_ind for c in first.children.all()] == ["Untuk Kepulauan Seribu"]
    assert Session.objects.filter(event=event).count() == 2
