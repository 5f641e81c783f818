"""An import document names only its own media files, and a missing file never turns an
admin save into a server error."""

import io
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.admin_forms import form_data
from tests.security.document_files import real_pdf_bytes
from workshops.models import Document, Event, Photo
from workshops.transfer import ImportFailed, import_event

pytestmark = pytest.mark.django_db

OTHER_SLUG = "sesi-kerja-2018-09-19-visi-misi-program-prioritas"


def exported(slug):
    out = io.StringIO()
    call_command("export_event", slug, stdout=out)
    return json.loads(out.getvalue())


def new_document_item(order, file_name, ref="dkmtamu2"):
    return {
        "ref": ref,
        "order": order,
        "kind": "other",
        "title": {"id": "Berkas orang lain", "en": ""},
        "url": "",
        "file": file_name,
        "session": None,
        "person": None,
        "group": None,
    }


@pytest.fixture
def workshop_files(workshop):
    """The workshop's slides PDF and first photo, stored in the media."""
    document = Document.objects.get(event=workshop, order=2)
    document.file.save("paparan.pdf", ContentFile(real_pdf_bytes()), save=True)
    photo = Photo.objects.get(event=workshop, order=1)
    photo.image.save("foto.jpg", ContentFile(b"jpeg"), save=True)
    photo.thumbnail.save("thumb.webp", ContentFile(b"webp"), save=True)
    return document, photo


def test_import_cannot_take_over_another_events_document_file(
    workshop_files, tmp_path, django_capture_on_commit_callbacks
):
    """Another event's stored document file cannot be named (and later deleted) by an import."""
    document, _ = workshop_files
    victim = document.file.name
    attack = exported(OTHER_SLUG)
    attack["documents"].append(new_document_item(90, victim))
    path = tmp_path / "attack.json"
    path.write_text(json.dumps(attack), encoding="utf-8")
    err = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(CommandError, match="nothing was written"):
            call_command("import_event", str(path), stdout=io.StringIO(), stderr=err)
        # The second half of the attack: the same event again, without that document.
        import_event(exported(OTHER_SLUG))

    assert f"error: documents[{len(attack['documents']) - 1}].file: {victim!r}" in err.getvalue()
    assert "belongs to" in err.getvalue()
    assert default_storage.exists(victim)
    assert Document.objects.get(pk=document.pk).file.name == victim
    assert not Document.objects.filter(ref="dkmtamu2").exists()


@pytest.mark.parametrize("field", ["image", "thumbnail"])
def test_import_cannot_take_over_another_events_photo_files(workshop_files, field):
    """Another event's photo and thumbnail files cannot be named by an imported photo."""
    _, photo = workshop_files
    victim = getattr(photo, field).name
    attack = exported(OTHER_SLUG)
    item = {
        "ref": "phttamu2",
        "order": 90,
        "caption": {"id": "Foto orang lain", "en": ""},
        "credit": "",
        "image": "",
        "thumbnail": "",
        "session": None,
        "person": None,
        "group": None,
    }
    item[field] = victim
    attack["photos"].append(item)
    with pytest.raises(ImportFailed) as failure:
        import_event(attack)
    index = len(attack["photos"]) - 1
    assert any(
        error.startswith(f"photos[{index}].{field}: {victim!r}") and "belongs to" in error
        for error in failure.value.errors
    ), failure.value.errors
    assert default_storage.exists(victim)
    assert not Photo.objects.filter(ref="phttamu2").exists()


def test_import_cannot_name_one_file_twice(workshop_files):
    """Two rows of one document cannot share a file (removing one would delete the other's)."""
    document, _ = workshop_files
    own = exported(document.event.slug)
    own["documents"].append(new_document_item(90, document.file.name))
    with pytest.raises(ImportFailed) as failure:
        import_event(own)
    assert any(
        error.startswith(f"documents[{len(own['documents']) - 1}].file: {document.file.name!r}")
        for error in failure.value.errors
    ), failure.value.errors
    assert Document.objects.get(pk=document.pk).file.name == document.file.name


@pytest.mark.parametrize(
    "key, name",
    [
        ("file", "documents"),
        ("file", "documents/{year}"),
        ("file", "documents/{year}/"),
        ("file", "photos/{year}/{photo}"),
        ("file", "documents/{year}/../{year}/{document}"),
        ("file", "documents/{year}/catatan.html"),
        ("file", "/etc/passwd"),
        ("file", "C:\\media\\x.pdf"),
    ],
)
def test_import_refuses_folders_and_names_outside_the_upload_folders(workshop_files, key, name):
    """Folder names, climbing paths and names outside documents/ are refused as media files."""
    document, photo = workshop_files
    year = document.file.name.split("/")[1]
    name = name.format(
        year=year,
        document=document.file.name.rsplit("/", 1)[1],
        photo=photo.image.name.rsplit("/", 1)[1],
    )
    attack = exported(OTHER_SLUG)
    attack["documents"].append(new_document_item(90, name))
    with pytest.raises(ImportFailed) as failure:
        import_event(attack)
    index = len(attack["documents"]) - 1
    assert any(
        error.startswith(f"documents[{index}].{key}: ") and repr(name) in error
        for error in failure.value.errors
    ), failure.value.errors
    assert default_storage.exists(document.file.name)


def test_import_accepts_a_copied_media_file_that_no_row_uses(workshop, tmp_path):
    """Moving an event with its media folder still works: an unused stored file is accepted."""
    name = default_storage.save(f"documents/2018/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF"))
    document = exported(OTHER_SLUG)
    document["documents"].append(new_document_item(90, name))
    event, warnings = import_event(document)
    assert Document.objects.get(ref="dkmtamu2", event=event).file.name == name
    assert not warnings


def test_import_on_disk_accepts_a_copied_file_but_not_a_folder_named_like_one(
    workshop, settings, tmp_path
):
    """On disk, a copied file is accepted and a folder with a file's name is not a file."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    (tmp_path / "documents" / "2018").mkdir(parents=True)
    copied = f"documents/2018/{uuid.uuid4().hex}.pdf"
    (tmp_path / copied).write_bytes(real_pdf_bytes())
    folder = f"documents/2018/{uuid.uuid4().hex}.pptx"
    (tmp_path / folder).mkdir()
    document = exported(OTHER_SLUG)
    document["documents"] += [
        new_document_item(90, copied),
        new_document_item(91, folder, ref="dkmtamu3"),
    ]
    event, warnings = import_event(document)
    assert Document.objects.get(ref="dkmtamu2", event=event).file.name == copied
    assert Document.objects.get(ref="dkmtamu3", event=event).file.name == ""
    assert warnings == [
        f"documents[{len(document['documents']) - 1}].file: {folder!r} is not in this "
        "server's media; left empty"
    ]


def test_event_with_a_missing_document_file_can_still_be_saved_in_the_admin(staff_client, workshop):
    """Saving an event whose stored document and photo files are gone is not a server error."""
    gone = f"documents/2018/{uuid.uuid4().hex}.pdf"
    Document.objects.filter(event=workshop, order=2).update(file=gone, url="")
    Photo.objects.filter(event=workshop, order=1).update(
        image=f"photos/2018/{uuid.uuid4().hex}.jpg",
        thumbnail=f"photos/thumbnails/2018/{uuid.uuid4().hex}.webp",
    )
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "event_form")
    data["title_ind"] = "Judul yang diperbaiki"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.get(pk=workshop.pk).title_ind == "Judul yang diperbaiki"
    assert Document.objects.get(event=workshop, order=2).file.name == gone


def test_document_with_a_missing_file_can_still_be_saved_on_its_own_page(staff_client, workshop):
    """The document's own admin page saves too when its stored file is missing."""
    gone = f"documents/2018/{uuid.uuid4().hex}.pdf"
    Document.objects.filter(event=workshop, order=2).update(file=gone, url="")
    document = Document.objects.get(event=workshop, order=2)
    url = reverse("admin:workshops_document_change", args=[document.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "document_form")
    data["title_ind"] = "Paparan yang diperbaiki"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.get(pk=document.pk).title_ind == "Paparan yang diperbaiki"
