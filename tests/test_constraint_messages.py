"""Messages a secretary understands (issue 10, item 4): every constraint of the project
has its own message, in Indonesian and English, shown next to the field it concerns."""

import re

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint
from django.urls import reverse
from django.utils import translation

from tests.admin_forms import form_data
from tests.factories import EventFactory, PersonFactory
from workshops.models import EventStatus, Person

pytestmark = pytest.mark.django_db


def every_constraint():
    for app in ("workshops", "focus_areas", "follow_up", "search_index", "capture"):
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_has_a_readable_message_in_both_languages():
    constraints = list(every_constraint())
    assert len(constraints) >= 30
    for model, constraint in constraints:
        assert isinstance(constraint, CheckConstraint | UniqueConstraint)
        where = f"{model.__name__}: {constraint.name}"
        assert constraint.violation_error_message != constraint.default_violation_error_message, (
            where
        )
        with translation.override("en"):
            english = constraint.get_violation_error_message()
        with translation.override("id"):
            indonesian = constraint.get_violation_error_message()
        assert constraint.name not in english and constraint.name not in indonesian, where
        assert english != indonesian, f"{where} is not translated"
        field = getattr(model, "constraint_fields", {}).get(constraint.name)
        if field is not None:
            assert model._meta.get_field(field), where


def field_errors(html, field):
    match = re.search(rf'field-{field}\b.*?<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_end_date_before_start_is_said_next_to_the_end_date(client, editor):
    event = EventFactory(status=EventStatus.DRAFT)
    url = reverse("admin:workshops_event_change", args=[event.pk])
    client.force_login(editor)
    data = form_data(client.get(url).content.decode(), "event_form")
    data.update(start_date="2018-09-26", end_date="2018-09-25")
    html = client.post(url, data).content.decode()
    assert "Tanggal selesai tidak boleh sebelum tanggal kegiatan." in field_errors(html, "end_date")
    assert "event_end_date_not_before_start" not in html


def test_a_second_person_with_the_same_slug_is_told_next_to_the_name(client, editor):
    PersonFactory(name="Oswar M. Mungkasa", slug="oswar-m-mungkasa")
    client.force_login(editor)
    response = client.post(
        reverse("admin:workshops_person_add"),
        {"name": "Oswar M Mungkasa", "slug": "oswar-m-mungkasa"},
    )
    assert "Orang dengan nama (slug) ini sudah ada" in field_errors(
        response.content.decode(), "name"
    )
    assert Person.objects.count() == 1


def test_the_vocabulary_of_real_events_in_indonesian():
    """Issue 10, item 6: public consultations; opening remarks, keynotes, resource
    persons and rapporteurs."""
    from workshops.models import AppearanceRole, EventKind

    with translation.override("id"):
        assert str(EventKind.PUBLIC_CONSULTATION.label) == "Konsultasi publik"
        assert str(EventKind.FGD.label) == "Diskusi kelompok terpumpun (FGD)"
        roles = {str(role.label) for role in AppearanceRole}
    assert {"Sambutan", "Pembicara utama", "Narasumber", "Perumus"} <= roles
