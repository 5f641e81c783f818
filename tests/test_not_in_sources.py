"""“Masih kurang” can be told that the sources do not record an item (issue 10, item 7)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.admin_forms import form_data
from tests.conftest import WORKSHOP_SLUG
from workshops.models import Event

pytestmark = pytest.mark.django_db


def missing_column(client):
    html = client.get(reverse("admin:workshops_event_changelist")).content.decode()
    row = html[html.index("Lokakarya Perdana Program Prioritas") :]
    return row[: row.index("</tr>")]


def test_an_item_not_in_the_sources_is_no_longer_asked_for(client, publisher, workshop):
    client.force_login(publisher)
    assert "tempat" in missing_column(client)  # the seed names no venue
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    data = form_data(client.get(url).content.decode(), "event_form")
    data["not_in_sources"] = ["venue"]
    assert client.post(url, data).status_code == 302
    assert Event.objects.get(pk=workshop.pk).not_in_sources == ["venue"]
    assert "tempat" not in missing_column(client)


def test_not_in_sources_travels_with_an_export(tmp_path, workshop):
    Event.objects.filter(pk=workshop.pk).update(not_in_sources=["venue", "participant_count"])
    path = tmp_path / "event.json"
    call_command("export_event", WORKSHOP_SLUG, "-o", str(path))
    document = json.loads(path.read_text())
    assert document["event"]["not_in_sources"] == ["venue", "participant_count"]
    Event.objects.filter(pk=workshop.pk).update(not_in_sources=[])
    call_command("import_event", str(path), verbosity=0)
    assert Event.objects.get(pk=workshop.pk).not_in_sources == ["venue", "participant_count"]
    document["event"]["not_in_sources"] = ["parking"]
    path.write_text(json.dumps(document))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_event", str(path), verbosity=0, stderr=errors)
    assert "event.not_in_sources: names items that do not exist: parking" in errors.getvalue()
