"""export_event / import_event: an exact round trip, and all-or-nothing imports that
report every error with its path in the document."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from focus_areas.models import Conclusion, FocusArea
from jakres.core.languages import LANGUAGES
from tests.conftest import WORKSHOP_SLUG
from tests.test_fixture import PROJECT_MODELS, row_counts
from workshops import schema
from workshops.models import Event, Person
from workshops.proceedings import with_proceedings
from workshops.transfer import ImportFailed, export_event, import_event

pytestmark = pytest.mark.django_db

WORKING_SESSIONS = [
    "sesi-kerja-2018-08-23-status-ketahanan-kota",
    "sesi-kerja-2018-09-19-visi-misi-program-prioritas",
]


def exported(slug):
    out = io.StringIO()
    call_command("export_event", slug, stdout=out)
    return out.getvalue()


def page(client, slug, prefix=""):
    return client.get(f"{prefix}/events/{slug}/").content.decode()


def empty_the_database():
    for model in reversed(PROJECT_MODELS):
        model.objects.all().delete()
    assert Event.objects.count() == FocusArea.objects.count() == 0


def test_round_trip_into_an_empty_database_gives_the_same_public_page(client, workshop, tmp_path):
    slugs = [*WORKING_SESSIONS, WORKSHOP_SLUG]
    documents = {slug: exported(slug) for slug in slugs}
    pages = {(slug, prefix): page(client, slug, prefix) for slug in slugs for prefix in ("", "/en")}
    proceedings_json = client.get(f"/events/{WORKSHOP_SLUG}/proceedings.json").content
    empty_the_database()

    for slug in slugs:  # the working sessions first: the workshop links back to them
        path = tmp_path / f"{slug}.json"
        path.write_text(documents[slug], encoding="utf-8")
        out = io.StringIO()
        call_command("import_event", str(path), stdout=out, stderr=io.StringIO())
        assert f"Imported {slug}" in out.getvalue()

    for (slug, prefix), html in pages.items():
        assert page(client, slug, prefix) == html, f"{prefix}/events/{slug}/ differs"
    assert client.get(f"/events/{WORKSHOP_SLUG}/proceedings.json").content == proceedings_json
    for slug in slugs:
        assert exported(slug) == documents[slug]


def test_importing_the_same_document_again_changes_nothing(workshop):
    document = json.loads(exported(WORKSHOP_SLUG))
    counts = row_counts()
    import_event(document)
    assert row_counts() == counts
    assert json.loads(exported(WORKSHOP_SLUG)) == document


def test_import_replaces_the_parts_of_an_existing_event(workshop):
    document = json.loads(exported(WORKSHOP_SLUG))
    groups = document["sessions"][2]["groups"]
    groups[0]["conclusions"] = groups[0]["conclusions"][:1]
    groups[0]["conclusions"][0]["text"]["en"] = "A corrected translation"
    import_event(document)
    group_one = Conclusion.objects.filter(group__session__event=workshop, group__number=1)
    assert [c.text_en for c in group_one] == ["A corrected translation"]


def broken(document):
    document = copy.deepcopy(document)
    document["event"]["start_date"] = "2018-02-30"
    document["event"]["kind"] = "party"
    document["sessions"][1]["appearances"][0]["role"] = "juggler"
    document["sessions"][1]["appearances"][1]["person"] = "nobody-at-all"
    document["sessions"][2]["groups"][1]["conclusions"][0]["sub_points"][1]["order"] = 1
    document["sessions"][2]["groups"][4]["focus_area"] = 1
    document["shocks_and_stresses"][0]["named_by"] = "zzzzzzzz"
    document["documents"][3]["url"] = "not a url"
    del document["sessions"][0]["title"]
    return document


EXPECTED_ERROR_PATHS = [
    "event.start_date",
    "event.kind",
    "sessions[1].appearances[0].role",
    "sessions[1].appearances[1].person",
    "sessions[2].groups[1].conclusions[0].sub_points",
    "sessions[2].groups",
    "shocks_and_stresses[0].named_by",
    "documents[3].url",
    "sessions[0].title.id",
]


def test_broken_document_changes_nothing_and_lists_every_error(workshop):
    document = json.loads(exported(WORKSHOP_SLUG))
    before = exported(WORKSHOP_SLUG)
    counts = row_counts()
    with pytest.raises(ImportFailed) as failure:
        import_event(broken(document))
    paths = [error.split(": ", 1)[0] for error in failure.value.errors]
    for expected in EXPECTED_ERROR_PATHS:
        assert expected in paths, f"{expected} not reported in {failure.value.errors}"
    assert row_counts() == counts
    assert exported(WORKSHOP_SLUG) == before


def test_import_command_reports_errors_and_exits_non_zero(workshop, tmp_path):
    document = broken(json.loads(exported(WORKSHOP_SLUG)))
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=errors)
    assert "error: sessions[1].appearances[0].role:" in errors.getvalue()
    assert "error: event.start_date:" in errors.getvalue()


def test_import_is_all_or_nothing_when_the_database_refuses(workshop, monkeypatch):
    """A failure while writing (after validation) rolls everything back."""
    document = json.loads(exported(WORKSHOP_SLUG))
    document["event"]["title"]["id"] = "Judul baru"
    before, counts = exported(WORKSHOP_SLUG), row_counts()
    from workshops.transfer import importer

    original_save = importer._save
    calls = {"n": 0}

    def failing_save(obj, event):
        calls["n"] += 1
        if calls["n"] == 40:
            from django.db import IntegrityError

            raise IntegrityError("simulated failure half-way")
        return original_save(obj, event)

    monkeypatch.setattr(importer, "_save", failing_save)
    with pytest.raises(ImportFailed):
        import_event(document)
    assert row_counts() == counts
    assert exported(WORKSHOP_SLUG) == before


@pytest.mark.parametrize(
    "document, path",
    [
        ([], "$"),
        ({"format": "x", "version": 9}, "format"),
        ({"format": "jakres-event", "version": 1, "event": "x"}, "event"),
        ({"format": "jakres-event", "version": 1, "event": {}, "sessions": "x"}, "sessions"),
    ],
)
def test_import_of_malformed_documents_is_refused(db, document, path):
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    assert any(error.startswith(path) for error in failure.value.errors)
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "options, written",
    [
        ([], 56),  # the event and its parts; its 31 shared records are already here
        (["--update-shared"], 87),  # and the shared records, updated
    ],
)
def test_long_imports_show_progress(workshop, tmp_path, options, written):
    path = tmp_path / "event.json"
    path.write_text(exported(WORKSHOP_SLUG), encoding="utf-8")
    out = io.StringIO()
    call_command("import_event", str(path), *options, stdout=out, stderr=io.StringIO())
    lines = [line for line in out.getvalue().splitlines() if line.startswith("[")]
    assert len(lines) >= 5
    assert lines[-1].startswith(f"[{written}/{written}]")


def test_export_of_unknown_slug_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No event with the slug"):
        call_command("export_event", "tidak-ada", stdout=io.StringIO())


def test_export_matches_the_module_function(workshop):
    event = with_proceedings(Event.objects.all()).get(slug=WORKSHOP_SLUG)
    assert json.loads(exported(WORKSHOP_SLUG)) == export_event(event)


def hostile(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


HOSTILE_CHANGES = {
    "order is a list": lambda d: d["sessions"][0].__setitem__("order", [1]),
    "organiser is a dict": lambda d: d["event"].__setitem__("organiser", {"x": 1}),
    "organisers' organisation is a dict": lambda d: d["event"]["organisers"][0].__setitem__(
        "organisation", {"x": 1}
    ),
    "unknown organiser role": lambda d: d["event"]["organisers"][0].__setitem__("role", "host"),
    "organisation twice": lambda d: d["event"]["organisers"].append(d["event"]["organisers"][0]),
    "session time not a time": lambda d: d["sessions"][0].__setitem__("start_time", "9 pagi"),
    "session ends before it starts": lambda d: d["sessions"][0].update(
        start_time="10:00", end_time="09:00"
    ),
    "session on another day": lambda d: d["sessions"][0].__setitem__("date", "2018-09-27"),
    "person is a list": lambda d: d["sessions"][1]["appearances"][0].__setitem__("person", ["a"]),
    "named_by is a dict": lambda d: d["shocks_and_stresses"][0].__setitem__("named_by", {}),
    "document session is a list": lambda d: d["documents"][0].__setitem__("session", [1]),
    "focus area is a list": lambda d: d["sessions"][2]["groups"][0].__setitem__("focus_area", [1]),
    "impossible published_at": lambda d: d["event"].__setitem__(
        "published_at", "2018-02-30T10:00:00"
    ),
    "file outside media": lambda d: d["documents"][0].__setitem__("file", "/etc/passwd"),
    "file climbing up": lambda d: d["documents"][0].__setitem__("file", "../../x.pdf"),
    "lone surrogate": lambda d: d["event"]["title"].__setitem__("en", "judul \ud800"),
    "NUL byte": lambda d: d["sessions"][0]["title"].__setitem__("id", "sesi\x00"),
    "NUL in a slug": lambda d: d["people"][0].__setitem__("name", "Dede\x00"),
}


@pytest.mark.parametrize("case", list(HOSTILE_CHANGES))
def test_hostile_documents_are_listed_errors_and_change_nothing(workshop, case):
    document = hostile(json.loads(exported(WORKSHOP_SLUG)), HOSTILE_CHANGES[case])
    before, counts = exported(WORKSHOP_SLUG), row_counts()
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    assert failure.value.errors, case
    assert all(": " in error for error in failure.value.errors)
    assert row_counts() == counts
    assert exported(WORKSHOP_SLUG) == before


def test_reimport_keeps_the_files_of_documents_and_photos(
    workshop, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from workshops.models import Document, Photo

    document = Document.objects.get(event=workshop, order=2)
    document.file.save("paparan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    photo = Photo.objects.get(event=workshop, order=1)
    photo.image.save("foto.jpg", ContentFile(b"jpeg"), save=True)
    names = (document.file.name, photo.image.name)
    exported_document = json.loads(exported(WORKSHOP_SLUG))
    with django_capture_on_commit_callbacks(execute=True):
        import_event(exported_document)
    assert all(default_storage.exists(name) for name in names)
    assert Document.objects.get(ref=document.ref).file.name == names[0]
    assert Photo.objects.get(ref=photo.ref).image.name == names[1]
    assert json.loads(exported(WORKSHOP_SLUG)) == exported_document


# --- Shared records -----------------------------------------------------------------------


def import_file(tmp_path, text, *options):
    path = tmp_path / "event.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_event", str(path), *options, stdout=io.StringIO(), stderr=io.StringIO())


def test_reimporting_an_old_export_keeps_current_edits_of_shared_records(workshop, tmp_path):
    """People, organisations, sectors and focus areas are other events' too: an import
    matches them and changes them only when asked to (--update-shared)."""
    old_export = exported(WORKSHOP_SLUG)
    old = json.loads(old_export)
    person = Person.objects.get(slug=old["people"][0]["slug"])
    area = FocusArea.objects.get(number=1)
    Person.objects.filter(pk=person.pk).update(name="Nama Yang Diperbaiki")
    FocusArea.objects.filter(pk=area.pk).update(title_ind="Judul baru", title_en="New title")

    import_file(tmp_path, old_export)
    person.refresh_from_db()
    area.refresh_from_db()
    assert person.name == "Nama Yang Diperbaiki"
    assert (area.title_ind, area.title_en) == ("Judul baru", "New title")

    import_file(tmp_path, old_export, "--update-shared")
    person.refresh_from_db()
    area.refresh_from_db()
    assert person.name == old["people"][0]["name"]
    assert area.title_en == next(f["title"]["en"] for f in old["focus_areas"] if f["number"] == 1)
    assert area.title_en != "New title"


def test_import_creates_missing_shared_records_without_the_flag(workshop):
    document = json.loads(exported(WORKSHOP_SLUG))
    person = document["people"][0]
    person["slug"] = "orang-baru"
    document["sessions"][1]["appearances"][0]["person"] = "orang-baru"
    import_event(document)
    assert Person.objects.get(slug="orang-baru").name == person["name"]


# --- The format's versions ----------------------------------------------------------------


def as_version_2(document):
    """A version 3 document as export_event wrote it before version 3: one organiser,
    no session days or hours, each shock or stress with its own kind and name (no
    shared records)."""
    document = copy.deepcopy(document)
    document["version"] = 2
    event = document["event"]
    organisers = event.pop("organisers")
    assert len(organisers) <= 1 and all(o["role"] == "organiser" for o in organisers)
    event["organiser"] = organisers[0]["organisation"] if organisers else None
    for session in document["sessions"]:
        for name in ("date", "start_time", "end_time"):
            assert session.pop(name) is None
    hazards = {h["slug"]: h for h in document.pop("hazards")}
    for item in document["shocks_and_stresses"]:
        hazard = hazards[item.pop("shock_stress")]
        item["kind"], item["name"] = hazard["kind"], hazard["name"]
    return document


def as_version_1(document):
    """A version 3 document as export_event wrote it before version 2."""
    document = as_version_2(document)
    document["version"] = 1
    event = document["event"]
    participants = event.pop("participants")
    event["participant_count"] = participants["count"]
    event["participant_count_qualifier"] = participants["qualifier"]
    event["sectors"] = participants["sectors"]
    for session in document["sessions"]:
        for appearance in session["appearances"]:
            appearance["summary"] = appearance.pop("key_points")
    return document


def test_export_is_version_3_and_a_version_2_document_still_imports(workshop):
    """Version 2 had one organiser and each event's shocks and stresses by name."""
    document = json.loads(exported(WORKSHOP_SLUG))
    assert (document["format"], document["version"]) == ("jakres-event", 3)
    assert document["event"]["organisers"] == [
        {"organisation": "sekretariat-jakarta-berketahanan", "role": "organiser"}
    ]
    assert document["shocks_and_stresses"][0]["shock_stress"] == "banjir"
    assert document["hazards"][0]["name"] == {"id": "banjir", "en": "floods"}
    counts = row_counts()
    import_event(as_version_2(document), update_shared=True)
    assert row_counts() == counts
    assert json.loads(exported(WORKSHOP_SLUG)) == document


def test_export_is_version_3_and_a_version_1_document_still_imports(workshop):
    document = json.loads(exported(WORKSHOP_SLUG))
    assert (document["format"], document["version"]) == ("jakres-event", 3)
    assert "key_points" in document["sessions"][1]["appearances"][0]
    counts = row_counts()
    import_event(as_version_1(document), update_shared=True)
    assert row_counts() == counts
    assert json.loads(exported(WORKSHOP_SLUG)) == document


def test_errors_in_a_version_1_document_have_its_paths(workshop):
    document = as_version_1(json.loads(exported(WORKSHOP_SLUG)))
    document["event"]["participant_count_qualifier"] = "lots"
    document["sessions"][1]["appearances"][0]["summary"] = "not an object"
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    paths = [error.split(": ", 1)[0] for error in failure.value.errors]
    assert paths == ["event.participant_count_qualifier", "sessions[1].appearances[0].summary"]


def test_one_definition_of_a_translated_text():
    assert tuple(schema.Translated.model_fields) == LANGUAGES


def test_the_public_json_and_the_export_are_one_schema(client, workshop):
    """What the public JSON shows of a session is the export's session, with references
    shown instead of keyed and the export's internal fields left out."""
    event = with_proceedings(Event.objects.all()).get(slug=WORKSHOP_SLUG)
    document = schema.event_document(event)
    public = client.get(f"/events/{WORKSHOP_SLUG}/proceedings.json").json()
    exported_document = export_event(event)
    for position, session in enumerate(document.sessions):
        assert (
            session.model_dump(mode="json", context={"audience": "export"})
            == (exported_document["sessions"][position])
        )
        shown = public["sessions"][position]
        assert [a["key_points"] for a in shown["appearances"]] == [
            a["key_points"] for a in exported_document["sessions"][position]["appearances"]
        ]
        assert [a["person"]["slug"] for a in shown["appearances"]] == [
            a.person.slug for a in session.appearances
        ]
