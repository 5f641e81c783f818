"""Programmes (architecture issue, part 1): a programme owns its focus areas, numbered
from 1 within it, and its events; the first programme is the site's, and names it. A
second programme, made in the admin with its own focus areas, leaves Jakarta's pages as
they were; staff limited to one programme neither see nor change another's drafts."""

import pytest
from django.core.management import call_command

from focus_areas.models import FocusArea
from tests.admin_forms import form_data
from tests.conftest import WORKSHOP_SLUG, member
from tests.factories import EventFactory, ProgrammeFactory
from workshops.models import Event, EventStatus, Programme, default_programme

pytestmark = pytest.mark.django_db

JAKARTA_PAGES = [
    "/",
    "/en/",
    "/focus-areas/",
    "/focus-areas/3/",
    "/en/focus-areas/3/",
    f"/events/{WORKSHOP_SLUG}/",
    f"/en/events/{WORKSHOP_SLUG}/",
    "/events/",
    "/events/feed/",
]


def pages(client):
    found = {}
    for path in JAKARTA_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = response.content
    return found


def make_programme_in_the_admin(client, areas):
    """A programme and its focus areas, entered through the admin's forms."""
    add = "/admin/workshops/programme/add/"
    data = form_data(client.get(add).content.decode(), "programme_form")
    data.update(
        name_ind="Semarang Tangguh",
        name_en="Resilient Semarang",
        slug="semarang-tangguh",
        city="Semarang",
        network="100 Resilient Cities",
        start_year="2016",
        end_year="2019",
        order="1",
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(slug="semarang-tangguh")
    for number in range(1, areas + 1):
        add = "/admin/focus_areas/focusarea/add/"
        data = form_data(client.get(add).content.decode(), "focusarea_form")
        data.update(
            programme=str(programme.pk),
            number=str(number),
            title_ind=f"Fokus Semarang {number}",
            title_en=f"Semarang focus {number}",
            slug=f"fokus-semarang-{number}",
        )
        response = client.post(add, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    return programme


@pytest.mark.parametrize("areas", [3, 5, 7])
def test_a_second_programme_with_its_own_focus_areas_leaves_jakarta_unchanged(
    client, admin_client, workshop, areas
):
    before = pages(client)
    jakarta_areas = list(FocusArea.objects.values_list("pk", "programme_id", "number", "title"))

    semarang = make_programme_in_the_admin(admin_client, areas)

    assert semarang.focus_areas.count() == areas
    assert (
        list(
            FocusArea.objects.filter(pk__in=[pk for pk, *_ in jakarta_areas]).values_list(
                "pk", "programme_id", "number", "title"
            )
        )
        == jakarta_areas
    )
    assert default_programme().slug == "jakarta-berketahanan"
    after = pages(client)
    assert [path for path in JAKARTA_PAGES if before[path] != after[path]] == []

    response = client.get("/programmes/semarang-tangguh/focus-areas/3/")
    assert response.status_code == 200
    assert "Fokus Semarang 3" in response.content.decode()
    assert "Fokus Semarang 3" not in client.get("/focus-areas/3/").content.decode()
    listing = client.get("/programmes/semarang-tangguh/focus-areas/").content.decode()
    assert all(f"Fokus Semarang {n}" in listing for n in range(1, areas + 1))
    assert "Fokus Semarang" not in client.get("/focus-areas/").content.decode()
    sitemap = client.get("/sitemap-focus-areas.xml").content.decode()
    assert "/programmes/semarang-tangguh/focus-areas/3/" in sitemap
    assert "/focus-areas/3/</loc>" in sitemap
    area = semarang.focus_areas.get(number=3)
    assert area.get_absolute_url() == "/programmes/semarang-tangguh/focus-areas/3/"


def test_old_focus_area_urls_stay_jakartas(client, workshop):
    response = client.get("/programmes/jakarta-berketahanan/focus-areas/3/")
    assert response.status_code == 301
    assert response["Location"] == "/focus-areas/3/"
    assert client.get("/focus-areas/3/").status_code == 200
    assert client.get("/programmes/tidak-ada/focus-areas/3/").status_code == 404
    # The site's programme's list has one address too, in each language.
    for prefix in ("", "/en"):
        response = client.get(f"{prefix}/programmes/jakarta-berketahanan/focus-areas/")
        assert (response.status_code, response["Location"]) == (301, f"{prefix}/focus-areas/")
    assert client.get("/programmes/tidak-ada/focus-areas/").status_code == 404


def test_site_name_and_texts_come_from_the_programme(client, admin_client, workshop):
    Programme.objects.filter(slug="jakarta-berketahanan").update(
        name_ind="Kota Uji", name_en="Test City", introduction_ind="Pengantar uji."
    )
    Programme.objects.get(slug="jakarta-berketahanan").save()  # forgets the remembered one
    home = client.get("/").content.decode()
    assert "Prosiding Kota Uji" in home
    assert "Pengantar uji." in home
    assert "<title>Beranda · Prosiding Kota Uji</title>" in home or "Kota Uji</title>" in home
    assert "Test City" in client.get("/en/").content.decode()
    assert "Kota Uji: prosiding lokakarya" in client.get("/events/feed/").content.decode()
    assert "Kota Uji" in admin_client.get("/admin/").content.decode()


def test_the_fixture_loads_twice_and_setup_portal_keeps_one_programme(db):
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    call_command("setup_portal", verbosity=0)
    jakarta = Programme.objects.get()
    assert (jakarta.city, jakarta.network, jakarta.years) == (
        "Jakarta",
        "100 Resilient Cities",
        "2018–2019",
    )
    assert [p.name_ind for p in jakarta.phases.all()] == ["Tahap I", "Tahap II"]
    assert jakarta.focus_areas.count() == 5
    assert Event.objects.exclude(programme=jakarta).count() == 0


# --- Staff limited to a programme ------------------------------------------------------


@pytest.fixture
def two_programmes(django_user_model, workshop):
    jakarta = Programme.objects.get(slug="jakarta-berketahanan")
    other = ProgrammeFactory(slug="semarang-tangguh", name="Semarang Tangguh", city="Semarang")
    editor = member(django_user_model, "Editor")
    other.staff.add(editor)  # an Editor of Semarang only
    jakarta_draft = EventFactory(programme=jakarta, status=EventStatus.DRAFT, title="Draf Jakarta")
    own_draft = EventFactory(programme=other, status=EventStatus.DRAFT, title="Draf Semarang")
    return editor, jakarta_draft, own_draft


def test_an_editor_of_one_programme_does_not_see_anothers_drafts(client, two_programmes):
    editor, jakarta_draft, own_draft = two_programmes
    client.force_login(editor)
    changelist = client.get("/admin/workshops/event/").content.decode()
    assert "Draf Semarang" in changelist
    assert "Draf Jakarta" not in changelist
    response = client.get(f"/admin/workshops/event/{jakarta_draft.pk}/change/")
    assert response.status_code in (302, 403, 404)
    assert "Draf Jakarta" not in response.content.decode()
    assert client.get(f"/admin/workshops/event/{own_draft.pk}/change/").status_code == 200
    assert client.get(f"/admin/workshops/event/{jakarta_draft.pk}/preview/").status_code == 404
    sessions = client.get("/admin/workshops/session/").content.decode()
    assert "Draf Jakarta" not in sessions


def test_an_editor_of_one_programme_cannot_change_anothers_draft(client, two_programmes):
    editor, jakarta_draft, own_draft = two_programmes
    client.force_login(editor)
    own_url = f"/admin/workshops/event/{own_draft.pk}/change/"
    data = form_data(client.get(own_url).content.decode(), "event_form")
    data["title_ind"] = "Diubah"
    # The same form, crafted to the other programme's event.
    response = client.post(f"/admin/workshops/event/{jakarta_draft.pk}/change/", data)
    assert response.status_code in (302, 403, 404)
    jakarta_draft.refresh_from_db()
    assert jakarta_draft.title_ind == "Draf Jakarta"
    # Nor can the editor move an own event into the other programme.
    data["programme"] = str(jakarta_draft.programme_id)
    response = client.post(own_url, data)
    own_draft.refresh_from_db()
    assert own_draft.programme.slug == "semarang-tangguh"
    assert own_draft.title_ind == "Draf Semarang"
    # Nor act on it from the changelist.
    client.post(
        "/admin/workshops/event/",
        {"action": "submit_for_review", "_selected_action": [str(jakarta_draft.pk)]},
    )
    jakarta_draft.refresh_from_db()
    assert jakarta_draft.status == EventStatus.DRAFT


# --- Export and import ---------------------------------------------------------------


def test_an_export_carries_the_programme_and_an_old_one_goes_to_the_sites(workshop):
    import json

    from tests.test_import_export import empty_the_database, exported
    from workshops.transfer import import_event

    document = json.loads(exported(WORKSHOP_SLUG))
    assert document["event"]["programme"] == "jakarta-berketahanan"
    assert [p["slug"] for p in document["programmes"]] == ["jakarta-berketahanan"]

    # A document from before programmes: no programme named anywhere.
    del document["event"]["programme"], document["programmes"]
    document["event"]["preceded_by"] = []
    empty_the_database()
    site = ProgrammeFactory(slug="kota-lain", name="Kota Lain", city="Bandung")
    ProgrammeFactory(slug="kedua", name="Kedua", city="Medan", order=5)
    event, _ = import_event(document)
    assert event.programme == site
    assert {area.programme for area in FocusArea.objects.all()} == {site}
    assert FocusArea.objects.count() == 5


def test_focus_areas_of_an_import_are_matched_within_the_events_programme(workshop):
    import json

    from tests.test_import_export import exported
    from workshops.transfer import import_event

    other = ProgrammeFactory(slug="kedua", name="Kedua", city="Medan", order=5)
    for number in (1, 2, 3):
        FocusArea.objects.create(programme=other, number=number, title="Lain", slug=f"l{number}")
    document = json.loads(exported(WORKSHOP_SLUG))
    event, _ = import_event(document)  # the same document again: nothing moves
    assert event.programme.slug == "jakarta-berketahanan"
    areas = FocusArea.objects.filter(groups__session__event=event)
    assert areas.count() == 5
    assert set(areas.values_list("programme_id", flat=True)) == {event.programme_id}
    assert other.focus_areas.count() == 3


def test_a_group_works_on_a_focus_area_of_its_events_programme(workshop):
    from django.core.exceptions import ValidationError

    from focus_areas.models import DiscussionGroup

    other = ProgrammeFactory(slug="kedua", name="Kedua", city="Medan", order=5)
    foreign = FocusArea.objects.create(programme=other, number=3, title="Lain", slug="lain")
    group = DiscussionGroup.objects.filter(session__event__slug=WORKSHOP_SLUG).first()
    group.focus_area = foreign
    with pytest.raises(ValidationError, match="focus_area"):
        group.full_clean()


def test_a_publisher_of_one_programme_cannot_recover_anothers_deleted_event(
    client, django_user_model, workshop
):
    """A deleted event of a programme a Publisher does not work on stays deleted."""
    import reversion
    from django.urls import reverse
    from reversion.models import Version

    other = ProgrammeFactory(slug="semarang-tangguh", name="Semarang Tangguh", city="Semarang")
    publisher = member(django_user_model, "Publisher")
    other.staff.add(publisher)
    with reversion.create_revision():
        event = EventFactory(programme=workshop.programme, status=EventStatus.DRAFT)
    event_pk = event.pk
    event.delete()
    version = Version.objects.get_deleted(Event).get(object_id=str(event_pk))
    client.force_login(publisher)
    url = reverse("admin:workshops_event_recover", args=[version.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert not Event.objects.filter(pk=event_pk).exists()


def test_the_page_description_and_feed_subtitle_name_the_site_programme(client, workshop):
    """No programme's name is written into a template or a UI string."""
    workshop.programme.name_ind = "Kota Tangguh"
    workshop.programme.save()
    html = client.get("/").content.decode()
    assert (
        '<meta name="description" content="Prosiding lokakarya, sesi kerja, dan forum program Kota Tangguh.">'
        in html
    )
    assert "<subtitle>Lokakarya, sesi kerja, dan forum program Kota Tangguh.</subtitle>" in (
        client.get("/events/feed/").content.decode()
    )


def test_restoring_a_version_from_another_programme_is_refused(client, django_user_model, workshop):
    """An Editor of one programme cannot restore a version from when the event was
    another programme's (which would move it there)."""
    import reversion
    from django.urls import reverse
    from reversion.models import Version

    other = ProgrammeFactory(slug="semarang-tangguh", name="Semarang Tangguh", city="Semarang")
    with reversion.create_revision():
        event = EventFactory(programme=other, status=EventStatus.DRAFT)
    Event.objects.filter(pk=event.pk).update(programme=workshop.programme)
    editor = member(django_user_model, "Editor")
    workshop.programme.staff.add(editor)
    version = Version.objects.get_for_object(event).get()
    client.force_login(editor)
    url = reverse("admin:workshops_event_revision", args=[event.pk, version.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert Event.objects.get(pk=event.pk).programme_id == workshop.programme_id


def test_the_recover_list_shows_only_the_deleted_events_of_ones_programmes(
    client, django_user_model, workshop
):
    """A Publisher of one programme does not see another's deleted events."""
    import reversion
    from django.urls import reverse

    other = ProgrammeFactory(slug="semarang-tangguh", name="Semarang Tangguh", city="Semarang")
    with reversion.create_revision():
        ours = EventFactory(programme=workshop.programme, title="Terhapus di Jakarta")
        theirs = EventFactory(programme=other, title="Terhapus di Semarang")
    ours.delete()
    theirs.delete()
    publisher = member(django_user_model, "Publisher")
    workshop.programme.staff.add(publisher)
    client.force_login(publisher)
    html = client.get(reverse("admin:workshops_event_recoverlist")).content.decode()
    assert "Terhapus di Jakarta" in html
    assert "Terhapus di Semarang" not in html
    part_list = client.get(reverse("admin:workshops_session_recoverlist"))
    assert part_list.status_code == 403
