"""Bidirectional control characters cannot reorder what readers see in names and titles."""

import re

import pytest
from django.urls import reverse

from focus_areas.models import FocusArea
from jakres.core.text import render_text
from tests.factories import AppearanceFactory, EventFactory, FocusAreaFactory, PersonFactory
from workshops.models import Event, Person

# Embeddings and overrides, isolates, and the three invisible direction marks.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
RLO, PDF, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"


def test_bidi_controls_are_stripped_from_an_event_title_in_both_languages(db, client):
    """Protects public event titles (both language columns) from spoofed display order."""
    event = EventFactory(
        title=f"Lokakarya {RLO}fdp.exe{PDF} Banjir",
        title_en=f"Flood {LRI}Workshop{PDI}{RLM}",
        subtitle=f"Sub{RLO}judul",
        venue=f"Balai{RLO} Kota",
    )
    stored = Event.objects.values("title", "title_ind", "title_en", "subtitle", "venue").get(
        pk=event.pk
    )
    assert stored == {
        "title": "Lokakarya fdp.exe Banjir",
        "title_ind": "Lokakarya fdp.exe Banjir",
        "title_en": "Flood Workshop",
        "subtitle": "Subjudul",
        "venue": "Balai Kota",
    }
    url = event.get_absolute_url()
    pages = {prefix: client.get(prefix + url).content.decode() for prefix in ("", "/en")}
    assert "Lokakarya fdp.exe Banjir" in pages[""]
    assert "Flood Workshop" in pages["/en"]
    assert not BIDI.search(pages[""] + pages["/en"])


def test_bidi_controls_are_stripped_from_a_person_saved_in_the_admin(staff_client):
    """Protects a person's name and short name entered through the admin."""
    response = staff_client.post(
        reverse("admin:workshops_person_add"),
        {
            "name": f"Budi {RLO}otnayirpuS",
            "slug": "budi-suprianto",
            "honorific_ind": f"Bapak{RLM}",
            "honorific_en": f"Mr{LRI}",
            "short_name": f"{RLO}Budi",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(slug="budi-suprianto")
    assert (person.name, person.short_name) == ("Budi otnayirpuS", "Budi")
    assert (person.honorific_ind, person.honorific_en) == ("Bapak", "Mr")
    AppearanceFactory(person=person)
    html = staff_client.get(person.get_absolute_url()).content.decode()
    assert "Budi otnayirpuS" in html
    assert not BIDI.search(html)


def test_bidi_controls_are_stripped_from_a_focus_area_title(db):
    """Protects focus-area titles, which Editors publish without review."""
    area = FocusAreaFactory(number=42, title=f"Air {RLO}bersih", title_en=f"Clean{PDF} water")
    assert FocusArea.objects.values_list("title_ind", "title_en").get(pk=area.pk) == (
        "Air bersih",
        "Clean water",
    )


def test_plain_titles_are_untouched(db):
    """Protects ordinary Indonesian and English titles (and Arabic-script text) from the filter."""
    person = PersonFactory(name="Dr. Ir. Oswar M. Mungkasa, MURP", short_name="Pak Oswar")
    assert Person.objects.get(pk=person.pk).name == "Dr. Ir. Oswar M. Mungkasa, MURP"
    event = EventFactory(title="Lokakarya – “Jakarta Berketahanan” (مرحبا)")
    assert Event.objects.get(pk=event.pk).title_ind == "Lokakarya – “Jakarta Berketahanan” (مرحبا)"


def test_bidi_controls_are_stripped_from_markdown(db):
    """Protects long Markdown texts on public pages from reordered display."""
    assert str(render_text(f"Hasil {RLO}diskusi{PDF} kelompok")) == "<p>Hasil diskusi kelompok</p>"


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202d", "\u2067", "\u2068", "\u061c"])
def test_every_bidi_control_is_stripped(db, char):
    """Protects titles from each of the embedding, override, isolate and mark characters."""
    event = EventFactory(title=f"A{char}B")
    assert Event.objects.get(pk=event.pk).title_ind == "AB"
