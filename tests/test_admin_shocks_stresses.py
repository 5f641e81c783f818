"""The shared shocks and stresses in the admin (issue 11): staff edit them like people;
an event's rows pick one of them, and follow the event's state."""

import json
import re

import pytest
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories import EventFactory, HazardFactory, ShockStressFactory
from workshops.models import EventStatus, Hazard, ShockStress

pytestmark = pytest.mark.django_db


def test_an_editor_adds_a_shared_shock_or_stress(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:workshops_hazard_add"),
        {"kind": "shock", "name_ind": "gempa bumi", "name_en": "earthquake", "slug": "gempa-bumi",
         "description_ind": "", "description_en": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Hazard.objects.get(slug="gempa-bumi").name_en == "earthquake"


def test_a_slug_taken_is_refused_next_to_the_field(client, editor, workshop):
    client.force_login(editor)
    response = client.post(
        reverse("admin:workshops_hazard_add"),
        {"kind": "shock", "name_ind": "Banjir", "name_en": "", "slug": "banjir"},
    )
    assert "sudah ada: pilih dari daftar saja" in response.content.decode()
    assert Hazard.objects.filter(slug="banjir").count() == 1


def test_an_administrator_may_only_look(client, administrator, workshop):
    client.force_login(administrator)
    hazard = Hazard.objects.get(slug="banjir")
    url = reverse("admin:workshops_hazard_change", args=[hazard.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"kind": "stress", "name_ind": "diubah", "slug": "banjir"})
    hazard.refresh_from_db()
    assert (hazard.kind, hazard.name_ind) == ("shock", "banjir")
    assert client.post(reverse("admin:workshops_hazard_add"), {"slug": "x"}).status_code == 403


def test_one_named_by_an_event_cannot_be_deleted(client, publisher, workshop):
    client.force_login(publisher)
    hazard = Hazard.objects.get(slug="banjir")
    client.post(reverse("admin:workshops_hazard_delete", args=[hazard.pk]), {"post": "yes"})
    assert Hazard.objects.filter(slug="banjir").exists()
    assert workshop.shocks_stresses.filter(hazard=hazard).exists()


def test_the_event_page_picks_a_shared_one_by_search(client, publisher, workshop):
    client.force_login(publisher)
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    page = client.get(url, {"part": "shocks"})  # the event's page, part "shocks"
    html = page.content.decode()
    select = re.search(r'<select[^>]*name="shocks_stresses-0-hazard"[^>]*>', html).group(0)
    assert "admin-autocomplete" in select  # a search-as-you-type field, not a long list
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "banj", "app_label": "workshops", "model_name": "shockstress",
         "field_name": "hazard"},
    )  # fmt: skip
    assert [r["text"] for r in json.loads(found.content)["results"]] == ["Guncangan: banjir"]


def test_an_editor_changes_a_drafts_row_to_another_shared_one(client, editor):
    draft = EventFactory(status=EventStatus.DRAFT)
    row = ShockStressFactory(event=draft, hazard=HazardFactory(name="Guncangan 1", slug="g-1"))
    other = HazardFactory(name="Guncangan 2", slug="g-2")
    client.force_login(editor)
    url = reverse("admin:workshops_shockstress_change", args=[row.pk])
    data = form_data(client.get(url).content.decode(), "shockstress_form")
    data["hazard"] = str(other.pk)
    assert client.post(url, data).status_code == 302
    assert ShockStress.objects.get(pk=row.pk).hazard == other


def test_a_row_moved_onto_a_published_event_is_refused(client, editor, workshop):
    """A crafted request: a draft's row given the published workshop's id."""
    draft = EventFactory(status=EventStatus.DRAFT)
    row = ShockStressFactory(event=draft, hazard=HazardFactory(name="Guncangan 3", slug="g-3"))
    client.force_login(editor)
    url = reverse("admin:workshops_shockstress_change", args=[row.pk])
    data = form_data(client.get(url).content.decode(), "shockstress_form")
    data["event"] = str(workshop.pk)
    refused = client.post(url, data)
    assert "hanya Penerbit yang dapat mengubahnya" in refused.content.decode()
    assert ShockStress.objects.get(pk=row.pk).event == draft
