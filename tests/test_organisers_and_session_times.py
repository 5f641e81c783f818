"""The vocabulary of real events (issue 10, item 6): several organisers per event, each
in its role, and a session's own day and hours, so that a two-day event places its
sessions under their day."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from tests.admin_forms import form_data
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    OrganisationFactory,
    SessionFactory,
)
from tests.test_constraint_messages import field_errors
from workshops.models import Event, EventOrganiser, EventStatus, OrganiserRole, Session
from workshops.proceedings import with_proceedings
from workshops.transfer import export_event, import_event

pytestmark = pytest.mark.django_db

SECRETARIAT = "Sekretariat Jakarta Berketahanan"


def jsonld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def facts(html):
    """The "At a glance" list as [(term, description)], tags removed."""
    block = re.search(r'<dl class="facts-list">(.*?)</dl>', html, re.S)[1]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return [(re.sub(r"<[^>]+>", "", t), re.sub(r"<[^>]+>", "", d).strip()) for t, d in pairs]


def event_with_three_roles(**fields):
    # A fixed date: the factory's sequence of dates passes into 2020 after a few hundred
    # events made by earlier tests, and the citation shows the year.
    fields.setdefault("start_date", datetime.date(2019, 3, 5))
    event = EventFactory(**fields)
    for order, (name, name_en, role) in enumerate(
        (
            ("Dinas Cipta Karya", "Public Works Agency", OrganiserRole.ORGANISER),
            ("Bappeda DKI", "Bappeda Jakarta", OrganiserRole.ORGANISER),
            ("Universitas Indonesia", "University of Indonesia", OrganiserRole.PARTNER),
            ("Yayasan Air Bersih", "Clean Water Foundation", OrganiserRole.SUPPORTER),
        ),
        start=1,
    ):
        organisation = OrganisationFactory(name=name, name_en=name_en, url="")
        EventOrganiserFactory(event=event, organisation=organisation, role=role, order=order)
    return event


# --- The models ----------------------------------------------------------------------------


def test_an_organisation_twice_in_one_event_is_told_next_to_the_organisation():
    row = EventOrganiserFactory()
    again = EventOrganiser(
        event=row.event, organisation=row.organisation, role=OrganiserRole.PARTNER, order=2
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert error.value.message_dict == {
        "organisation": [
            "Organisasi ini sudah tercantum untuk kegiatan ini: cukup satu baris, dengan perannya."
        ]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_a_session_on_a_day_outside_its_event_is_told_next_to_the_day():
    event = EventFactory(start_date=datetime.date(2019, 3, 4), end_date=datetime.date(2019, 3, 5))
    session = SessionFactory.build(event=event, order=1, date=datetime.date(2019, 3, 6))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert list(error.value.message_dict) == ["date"]
    assert error.value.message_dict["date"][0].startswith(
        "Hari sesi harus salah satu hari kegiatan (4 Maret 2019 sampai 5 Maret 2019)."
    )
    session.date = datetime.date(2019, 3, 5)
    session.full_clean()  # the second day is one of the event's


def test_a_session_ending_before_it_starts_is_told_next_to_the_end_time():
    session = SessionFactory.build(
        event=EventFactory(), start_time=datetime.time(10), end_time=datetime.time(9, 30)
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict == {"end_time": ["Sesi harus berakhir setelah dimulai."]}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict == {"end_time": ["A session ends after it starts."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


# --- The public pages ----------------------------------------------------------------------


def test_the_workshop_page_names_its_one_organiser_as_before(client, workshop):
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert ("Penyelenggara", SECRETARIAT) in facts(html)
    assert "Mitra" not in dict(facts(html))
    assert f'<p class="citation">{SECRETARIAT}. (2018).' in html
    assert jsonld(html)["organizer"] == [{"@type": "Organization", "name": SECRETARIAT}]
    assert "sponsor" not in jsonld(html)
    english = client.get("/en" + workshop.get_absolute_url()).content.decode()
    assert ("Organiser", "Resilient Jakarta Secretariat") in facts(english)


def test_organisers_are_listed_by_role_in_both_languages(client):
    event = event_with_three_roles()
    html = client.get(event.get_absolute_url()).content.decode()
    assert facts(html)[2:5] == [
        ("Penyelenggara", "Dinas Cipta Karya; Bappeda DKI"),
        ("Mitra", "Universitas Indonesia"),
        ("Didukung oleh", "Yayasan Air Bersih"),
    ]
    # The citation's authors are the organisers, not the partner or the supporter.
    assert '<p class="citation">Dinas Cipta Karya; Bappeda DKI. (2019).' in html
    data = jsonld(html)
    assert [o["name"] for o in data["organizer"]] == [
        "Dinas Cipta Karya",
        "Bappeda DKI",
        "Universitas Indonesia",
    ]
    assert [o["name"] for o in data["sponsor"]] == ["Yayasan Air Bersih"]

    english = client.get("/en" + event.get_absolute_url()).content.decode()
    assert facts(english)[2:5] == [
        ("Organisers", "Public Works Agency; Bappeda Jakarta"),
        ("Partner", "University of Indonesia"),
        ("Supported by", "Clean Water Foundation"),
    ]


def session_lines(html):
    """(day heading or None, session heading, kind line) in the order of the page."""
    start = html.index('id="programme-heading"')
    programme = html[start : html.index('<section class="proceedings-section', start)]
    found = re.findall(
        r'<h3 class="session-day"[^>]*>(.*?)</h3>|<h3 id="sesi-[^"]+-heading">(.*?)</h3>\s*'
        r'<p class="eyebrow">(.*?)</p>',
        programme,
        re.S,
    )
    strip = lambda text: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()  # noqa: E731
    return [tuple(strip(part) for part in match if part) for match in found]


def two_day_event():
    event = EventFactory(start_date=datetime.date(2019, 3, 4), end_date=datetime.date(2019, 3, 5))
    SessionFactory(event=event, order=1, title="Pembukaan", start_time=datetime.time(9),
                   end_time=datetime.time(10, 30))  # fmt: skip
    SessionFactory(event=event, order=2, title="Kunjungan lapangan",
                   date=datetime.date(2019, 3, 5), start_time=datetime.time(8))  # fmt: skip
    SessionFactory(event=event, order=3, title="Diskusi panel", kind="panel")
    return event


def test_a_two_day_event_places_its_sessions_under_their_day(client):
    event = two_day_event()
    html = client.get(event.get_absolute_url()).content.decode()
    assert session_lines(html) == [
        ("Hari 1: Senin, 4 Maret 2019",),
        ("Sesi 1: Pembukaan", "Paparan · 9.00–10.30"),
        ("Sesi 2: Diskusi panel", "Diskusi panel"),
        ("Hari 2: Selasa, 5 Maret 2019",),
        ("Sesi 3: Kunjungan lapangan", "Paparan · 8.00"),
    ]
    english = client.get("/en" + event.get_absolute_url()).content.decode()
    assert session_lines(english)[0] == ("Day 1: Monday, 4 March 2019",)
    assert session_lines(english)[3] == ("Day 2: Tuesday, 5 March 2019",)
    sub_events = jsonld(html)["subEvent"]
    assert [(s["name"], s["startDate"], s.get("endDate")) for s in sub_events] == [
        ("Pembukaan", "2019-03-04T09:00", "2019-03-04T10:30"),
        ("Kunjungan lapangan", "2019-03-05T08:00", None),
        ("Diskusi panel", "2019-03-04", None),
    ]


def test_a_one_day_event_has_no_day_headings(client, workshop):
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert [line[0] for line in session_lines(html)] == [
        "Sesi 1: Penyampaian materi dari Sekretariat Jakarta Berketahanan",
        "Sesi 2: Pemaparan materi dan diskusi panel",
        "Sesi 3: Diskusi kelompok",
    ]


# --- Export and import ---------------------------------------------------------------------


def exported(slug):
    return export_event(with_proceedings(Event.objects.all()).get(slug=slug))


def test_organisers_and_session_hours_survive_an_export_and_import():
    event = event_with_three_roles(start_date=datetime.date(2019, 3, 4),
                                   end_date=datetime.date(2019, 3, 5))  # fmt: skip
    SessionFactory(event=event, order=1, date=datetime.date(2019, 3, 5),
                   start_time=datetime.time(13), end_time=datetime.time(15, 30))  # fmt: skip
    document = exported(event.slug)
    assert [(o["organisation"], o["role"]) for o in document["event"]["organisers"]] == [
        (row.organisation.slug, row.role) for row in event.organisers.order_by("order")
    ]
    assert (document["sessions"][0]["date"], document["sessions"][0]["start_time"],
            document["sessions"][0]["end_time"]) == ("2019-03-05", "13:00", "15:30")  # fmt: skip

    EventOrganiser.objects.filter(event=event).delete()
    Session.objects.filter(event=event).update(start_time=None, end_time=None, date=None)
    import_event(document)
    assert exported(event.slug) == document
    assert [r.role for r in event.organisers.order_by("order")] == [
        "organiser", "organiser", "partner", "supporter"
    ]  # fmt: skip


def test_the_public_json_lists_the_organisers_with_their_roles(client, workshop):
    data = client.get(workshop.get_absolute_url() + "proceedings.json").json()
    secretariat = {"id": SECRETARIAT, "en": "Resilient Jakarta Secretariat"}
    assert data["event"]["organisers"] == [{"organisation": secretariat, "role": "organiser"}]
    assert data["event"]["organiser"] == secretariat  # as in version 1 of the public JSON
    assert [s["date"] for s in data["sessions"]] == [None, None, None]


# --- The admin -----------------------------------------------------------------------------


def change_url(event):
    return reverse("admin:workshops_event_change", args=[event.pk])


def test_staff_add_organisers_with_roles_in_the_order_of_the_rows(client, publisher):
    event = EventFactory(status=EventStatus.DRAFT)
    first, second = OrganisationFactory(), OrganisationFactory()
    client.force_login(publisher)
    data = form_data(client.get(change_url(event)).content.decode(), "event_form")
    assert data["organisers-TOTAL_FORMS"] == "0"
    data.update({
        "organisers-TOTAL_FORMS": "2",
        "organisers-0-organisation": str(second.pk), "organisers-0-role": "partner",
        "organisers-0-order": "2",
        "organisers-1-organisation": str(first.pk), "organisers-1-role": "organiser",
        "organisers-1-order": "1",
    })  # fmt: skip
    response = client.post(change_url(event), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(r.organisation, r.role, r.order) for r in event.organisers.order_by("order")] == [
        (first, "organiser", 1),
        (second, "partner", 2),
    ]


def test_staff_are_told_next_to_the_field_about_an_organisation_given_twice(client, publisher):
    event = EventFactory(status=EventStatus.DRAFT)
    organisation = OrganisationFactory()
    client.force_login(publisher)
    data = form_data(client.get(change_url(event)).content.decode(), "event_form")
    data.update({
        "organisers-TOTAL_FORMS": "2",
        "organisers-0-organisation": str(organisation.pk), "organisers-0-role": "organiser",
        "organisers-0-order": "1",
        "organisers-1-organisation": str(organisation.pk), "organisers-1-role": "partner",
        "organisers-1-order": "2",
    })  # fmt: skip
    html = client.post(change_url(event), data).content.decode()
    assert "Organisasi ini sudah tercantum untuk kegiatan ini" in html
    assert "eventorganiser_unique" not in html
    assert not event.organisers.exists()


def test_a_session_day_outside_the_event_is_told_next_to_the_day_in_the_admin(client, publisher):
    event = EventFactory(status=EventStatus.DRAFT, start_date=datetime.date(2019, 3, 4))
    SessionFactory(event=event, order=1)
    client.force_login(publisher)
    data = form_data(client.get(change_url(event)).content.decode(), "event_form")
    data.update({"sessions-0-date": "2019-03-07", "sessions-0-start_time": "10:00",
                 "sessions-0-end_time": "09:00"})  # fmt: skip
    html = client.post(change_url(event), data).content.decode()
    assert "Hari sesi harus salah satu hari kegiatan" in field_errors(html, "date")
    assert "Sesi harus berakhir setelah dimulai." in field_errors(html, "end_time")
    assert Session.objects.get(event=event).date is None


def test_a_crafted_post_cannot_take_another_events_organiser_row(client, editor):
    mine = EventFactory(status=EventStatus.DRAFT)
    other = EventOrganiserFactory(event=EventFactory(status=EventStatus.DRAFT), order=1)
    client.force_login(editor)
    data = form_data(client.get(change_url(mine)).content.decode(), "event_form")
    data.update({
        "organisers-TOTAL_FORMS": "1", "organisers-INITIAL_FORMS": "1",
        "organisers-0-id": str(other.pk), "organisers-0-event": str(mine.pk),
        "organisers-0-organisation": str(other.organisation_id),
        "organisers-0-role": "supporter", "organisers-0-order": "1",
    })  # fmt: skip
    html = client.post(change_url(mine), data).content.decode()
    assert "Salah satu baris formulir ini milik kegiatan lain atau sudah tidak ada." in html
    other.refresh_from_db()
    assert (other.event_id, other.role) != (mine.pk, "supporter")
    assert not mine.organisers.exists()


def test_an_editor_cannot_change_the_organisers_of_a_published_event(client, editor, workshop):
    row = workshop.organisers.get()
    client.force_login(editor)
    html = client.get(change_url(workshop)).content.decode()
    group = html[html.index('id="organisers-group"') : html.index('id="sessions-group"')]
    assert SECRETARIAT in group and "Penyelenggara" in group  # shown…
    assert 'name="organisers-0-role"' not in html  # …not editable
    data = form_data(html, "event_form")
    data.update({
        "organisers-TOTAL_FORMS": "1", "organisers-INITIAL_FORMS": "1",
        "organisers-0-id": str(row.pk), "organisers-0-event": str(workshop.pk),
        "organisers-0-organisation": str(row.organisation_id),
        "organisers-0-role": "partner", "organisers-0-order": "1",
    })  # fmt: skip
    response = client.post(change_url(workshop), data)
    assert "hanya Penerbit yang dapat mengubahnya" in response.content.decode()
    row.refresh_from_db()
    assert row.role == "organiser"


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_organiser_to_an_organiser_row_and_back():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("workshops", "0010_trigram_extension")]
    after = [("workshops", "0011_event_organisers_and_session_times")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        organisation = old.get_model("workshops", "Organisation").objects.create(
            name="Sekretariat", name_ind="Sekretariat", slug="sekretariat"
        )
        programme = old.get_model("workshops", "Programme").objects.create(
            name="P", slug="p", city="Jakarta"
        )
        event = old.get_model("workshops", "Event").objects.create(
            programme=programme, title="K", title_ind="K", slug="k", kind="workshop",
            start_date=datetime.date(2018, 9, 26), organiser=organisation,
        )  # fmt: skip
        old.get_model("workshops", "Event").objects.create(
            programme=programme, title="L", title_ind="L", slug="l", kind="workshop",
            start_date=datetime.date(2018, 9, 27),
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        rows = new.get_model("workshops", "EventOrganiser").objects.values_list(
            "event_id", "organisation_id", "role", "order"
        )
        assert list(rows) == [(event.pk, organisation.pk, "organiser", 1)]
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        assert old.get_model("workshops", "Event").objects.get(pk=event.pk).organiser_id == (
            organisation.pk
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- The PDF -------------------------------------------------------------------------------


def test_the_pdf_names_the_organisers_by_role_and_places_sessions_under_their_day(client):
    from tests.test_pdf import _needs_pango, read, text_of

    if _needs_pango():
        pytest.skip("WeasyPrint needs Pango")
    event = two_day_event()
    for order, (name, role) in enumerate(
        (("Dinas Cipta Karya", "organiser"), ("Universitas Indonesia", "partner")), start=1
    ):
        EventOrganiserFactory(event=event, organisation=OrganisationFactory(name=name),
                              role=role, order=order)  # fmt: skip
    text = text_of(read(client.get(event.get_absolute_url() + "proceedings.pdf")))
    assert "Penyelenggara Dinas Cipta Karya Mitra Universitas Indonesia" in text
    assert "Mitra: Universitas Indonesia" in text  # on the cover
    day_one, day_two = text.rindex("Hari 1: Senin, 4 Maret 2019"), text.rindex("Hari 2: Selasa")
    assert day_one < text.rindex("Sesi 1: Pembukaan") < text.rindex("Sesi 2: Diskusi panel")
    assert text.rindex("Sesi 2: Diskusi panel") < day_two < text.rindex("Sesi 3: Kunjungan")
    assert "Paparan · 9.00–10.30" in text
    assert "Dinas Cipta Karya. (2019)." in text  # cite this: the organiser only


def test_restoring_a_version_brings_back_its_organisers(client, publisher, workshop):
    from django.core.management import call_command
    from reversion.models import Version

    call_command("createinitialrevisions", verbosity=0, comment="Initial version")
    initial = Version.objects.get_for_object(workshop).get()
    client.force_login(publisher)
    data = form_data(client.get(change_url(workshop)).content.decode(), "event_form")
    partner = OrganisationFactory(name="Mitra Baru")
    data["organisers-0-DELETE"] = "on"
    data.update({"organisers-TOTAL_FORMS": "2", "organisers-1-organisation": str(partner.pk),
                 "organisers-1-role": "partner", "organisers-1-order": "2"})  # fmt: skip
    assert client.post(change_url(workshop), data).status_code == 302
    assert [(r.organisation.name, r.role) for r in workshop.organisers.all()] == [
        ("Mitra Baru", "partner")
    ]
    url = reverse("admin:workshops_event_revision", args=[workshop.pk, initial.pk])
    restore = form_data(client.get(url).content.decode(), "event_form")
    assert client.post(url, restore).status_code == 302
    assert [(r.organisation.name, r.role) for r in workshop.organisers.all()] == [
        (SECRETARIAT, "organiser")
    ]
