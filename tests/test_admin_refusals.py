"""No lost input (issue 10, item 1): a page the user may not change is read-only with
a one-line reason, and every refused save comes back with what was typed and the
reason, never a bare 403."""

import re

import pytest
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories import EventFactory
from workshops.models import Event, EventStatus, Session

pytestmark = pytest.mark.django_db

PUBLISHED_REASON = "hanya Penerbit yang dapat mengubahnya"
VISIBLE_FIELD = re.compile(
    r"<(textarea|select)\b[^>]*\bname=|<input\b(?![^>]*type=\"(hidden|checkbox)\")[^>]*\bname=\"(?!csrfmiddlewaretoken)"
)


def visible_inputs(html, form_id):
    """The named, visible form controls inside the change form."""
    start = html.index(f'id="{form_id}"')
    form = html[start : html.index("</form>", start)]
    return [m.group(0) for m in VISIBLE_FIELD.finditer(form)]


def test_editor_sees_a_published_event_read_only_with_the_reason(client, editor, workshop):
    client.force_login(editor)
    html = client.get(reverse("admin:workshops_event_change", args=[workshop.pk])).content.decode()
    assert PUBLISHED_REASON in html
    assert 'class="jakres-refusal"' in html
    assert visible_inputs(html, "event_form") == []
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "djn-add-handler" not in html  # no "add another" links


def test_publisher_sees_the_same_event_editable_without_a_reason(client, publisher, workshop):
    client.force_login(publisher)
    html = client.get(reverse("admin:workshops_event_change", args=[workshop.pk])).content.decode()
    assert PUBLISHED_REASON not in html
    assert 'name="_save"' in html
    assert len(visible_inputs(html, "event_form")) > 50


def test_refused_save_of_an_event_published_meanwhile_keeps_what_was_typed(client, editor):
    event = EventFactory(status=EventStatus.DRAFT, title="Judul awal")
    url = reverse("admin:workshops_event_change", args=[event.pk])
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "event_form")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.PUBLISHED)
    data["title_ind"] = "Judul yang diketik editor"
    data["summary_ind"] = "Ringkasan panjang yang diketik editor."
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert PUBLISHED_REASON in html
    assert "Judul yang diketik editor" in html
    assert "Ringkasan panjang yang diketik editor." in html
    assert Event.objects.get(pk=event.pk).title_ind == "Judul awal"


def test_refused_save_of_a_part_page_keeps_what_was_typed(client, editor, workshop):
    session = workshop.sessions.get(order=1)
    url = reverse("admin:workshops_session_change", args=[session.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert PUBLISHED_REASON in page
    assert visible_inputs(page, "session_form") == []
    response = client.post(
        url,
        {"event": workshop.pk, "kind": "plenary", "title_ind": "Judul sesi baru"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert PUBLISHED_REASON in html and "Judul sesi baru" in html
    session.refresh_from_db()
    assert session.title_ind != "Judul sesi baru"


def test_part_added_to_a_published_event_is_refused_next_to_the_event_field(
    client, editor, workshop
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:workshops_session_add"),
        {"event": workshop.pk, "kind": "plenary", "title_ind": "Sesi selundupan"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(r'field-event.*?<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    assert errors and PUBLISHED_REASON in errors.group(1)
    assert "Sesi selundupan" in html
    assert not Session.objects.filter(title_ind="Sesi selundupan").exists()


def test_a_refused_delete_explains_itself_in_indonesian(client, editor):
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(editor)
    response = client.post(
        reverse("admin:workshops_event_delete", args=[event.pk]), {"post": "yes"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in html
    assert "Tidak diizinkan" in html
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_photo_without_its_image_file_is_refused_next_to_the_image(client, publisher, workshop):
    from tests.test_admin import form_errors

    url = reverse("admin:workshops_event_change", args=[workshop.pk]) + "?part=photos"
    client.force_login(publisher)
    page = client.get(url).content.decode()
    assert "foto tidak tersedia" in page  # the seed's captions whose photos were never found
    data = form_data(page, "event_form")
    index = int(data["photos-TOTAL_FORMS"])
    data["photos-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {f"photos-{index}-order": str(index + 1), f"photos-{index}-caption_ind": "Tanpa berkas"}
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200, form_errors(response)
    assert re.search(r"field-image\b.*?Foto memerlukan berkas gambarnya", html, re.S)
    assert "Tanpa berkas" in html
    assert not workshop.photos.filter(caption_ind="Tanpa berkas").exists()


def test_the_seeds_image_less_photos_may_move_and_the_event_still_saves(
    client, publisher, workshop
):
    """The page's script renumbers every row (from 0): a photo that only moved is no edit."""
    url = reverse("admin:workshops_event_change", args=[workshop.pk]) + "?part=photos"
    client.force_login(publisher)
    data = form_data(client.get(url).content.decode(), "event_form")
    for index in range(int(data["photos-TOTAL_FORMS"])):
        data[f"photos-{index}-order"] = str(index)
    response = client.post(url, data)
    assert response.status_code == 302
