"""Every change to an event and its parts is recorded (who, when, what), and an
earlier version can be restored with its parts."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from focus_areas.models import Conclusion, DiscussionGroup
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned_workshop(workshop):
    call_command("createinitialrevisions", verbosity=0, comment="Initial version")
    return workshop


def test_admin_edit_records_who_when_and_what(staff_client, staff_user, versioned_workshop):
    url = reverse("admin:workshops_event_change", args=[versioned_workshop.pk])
    data = form_data(staff_client.get(url).content.decode(), "event_form")
    data["title_en"] = "Changed English title"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    versions = Version.objects.get_for_object(versioned_workshop)
    assert versions.count() == 2
    latest = versions.first()
    assert latest.revision.user == staff_user
    assert latest.revision.date_created is not None
    assert latest.field_dict["title_en"] == "Changed English title"
    history = staff_client.get(
        reverse("admin:workshops_event_history", args=[versioned_workshop.pk])
    ).content.decode()
    assert "staf" in history


def test_restore_brings_back_the_event_with_its_parts(staff_client, versioned_workshop):
    event = versioned_workshop
    url = reverse("admin:workshops_event_change", args=[event.pk])
    data = form_data(staff_client.get(url).content.decode(), "event_form")
    initial_version = Version.objects.get_for_object(event).get()
    # An unfortunate edit: new title, the first session deleted, a conclusion rewritten.
    data["title_ind"] = "Judul yang salah"
    data["sessions-0-DELETE"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    # (The conclusion on its session's page: that save too is kept in the event's history.)
    group = DiscussionGroup.objects.get(session__event=event, number=1)
    session_url = f"{url}?part=session-{group.session_id}"
    data = form_data(staff_client.get(session_url).content.decode(), "event_form")
    data["sessions-0-groups-0-conclusions-0-text_ind"] = "Teks yang salah"
    response = staff_client.post(session_url, data)
    assert response.status_code == 302
    assert Version.objects.get_for_object(event).count() == 3
    latest = Version.objects.get_for_object(event).first().revision
    texts = [v.field_dict.get("text_ind") for v in latest.version_set.all()]
    assert "Teks yang salah" in texts
    event.refresh_from_db()
    assert event.title_ind == "Judul yang salah"
    assert event.sessions.count() == 2
    assert group.conclusions.get(order=1).text_ind == "Teks yang salah"

    revision_url = reverse("admin:workshops_event_revision", args=[event.pk, initial_version.pk])
    page = staff_client.get(revision_url)
    assert page.status_code == 200
    restore = form_data(page.content.decode(), "event_form")
    assert restore["title_ind"] == "Lokakarya Perdana Program Prioritas Jakarta Berketahanan"
    response = staff_client.post(revision_url, restore)
    assert response.status_code == 302

    event.refresh_from_db()
    assert event.title_ind == "Lokakarya Perdana Program Prioritas Jakarta Berketahanan"
    assert [s.order for s in event.sessions.order_by("order")] == [1, 2, 3]
    assert event.sessions.get(order=1).appearances.get().person.name == "Dede Herland"
    restored = Conclusion.objects.get(group__session__event=event, group__number=1, order=1)
    assert restored.text_ind.startswith("Perlu adanya pemahaman mengenai konsep ketahanan kota")
    assert Conclusion.objects.filter(group__session__event=event).count() == 20
