"""Uploads are judged by content, re-encoded without metadata, stored under generated
names; a refused file gets a clear message and leaves nothing behind."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from tests.admin_forms import form_data
from tests.security.document_files import real_pdf_bytes, real_pptx_bytes
from workshops.models import Document, Photo

pytestmark = pytest.mark.django_db


def jpeg_with_gps(size=(1200, 900)):
    image = Image.new("RGB", size, (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Uji"  # Make
    gps = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def decompression_bomb(width=30000, height=30000):
    """A valid PNG header announcing 900 Mpx, with a few bytes of compressed zeros."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = zlib.compress(b"\x00" * (1 + width // 8) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def stored_files():
    found = []
    for folder in ("photos", "documents"):
        if not default_storage.exists(folder):
            continue
        stack = [folder]
        while stack:
            current = stack.pop()
            directories, files = default_storage.listdir(current)
            found += [f"{current}/{name}" for name in files]
            stack += [f"{current}/{name}" for name in directories]
    return found


def post_with_new_row(client, workshop, prefix, row, upload_field, upload):
    url = reverse("admin:workshops_event_change", args=[workshop.pk])
    if prefix == "photos":
        url += "?part=photos"  # the photos have a page of their own among the event's parts
    data = form_data(client.get(url).content.decode(), "event_form")
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    data[f"{prefix}-{index}-{upload_field}"] = upload
    return client.post(url, data)


def upload_photo(client, workshop, name, content, content_type="image/jpeg"):
    """Through the photo admin page (the event page's photo rows use the same form)."""
    return client.post(
        reverse("admin:workshops_photo_add"),
        {
            "event": workshop.pk,
            "order": "8",
            "caption_ind": "Foto unggahan",
            "image": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def upload_document(client, workshop, name, content, content_type="application/pdf"):
    return client.post(
        reverse("admin:workshops_document_add"),
        {
            "event": workshop.pk,
            "order": "5",
            "kind": "slides",
            "title_ind": "Paparan unggahan",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_photo_uploaded_on_the_event_page_is_processed_too(staff_client, workshop):
    response = post_with_new_row(
        staff_client,
        workshop,
        "photos",
        {"order": "8", "caption_ind": "Foto di halaman acara"},
        "image",
        SimpleUploadedFile("IMG_0002.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    assert response.status_code == 302
    photo = Photo.objects.get(caption_ind="Foto di halaman acara")
    assert photo.thumbnail.name.startswith("photos/thumbnails/")
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        assert 0x8825 not in image.getexif()
    html = staff_client.get(workshop.get_absolute_url()).content.decode()
    assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in html


def test_photo_is_reencoded_without_exif_and_gets_a_thumbnail(staff_client, workshop):
    response = upload_photo(staff_client, workshop, "IMG 0001 rahasia.JPG", jpeg_with_gps())
    assert response.status_code == 302
    photo = Photo.objects.get(caption_ind="Foto unggahan")
    assert photo.image.name.startswith("photos/")
    assert "rahasia" not in photo.image.name and "IMG" not in photo.image.name
    assert photo.image.name.endswith(".jpg")
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 900)
        exif = image.getexif()
        assert 0x8825 not in exif and 0x010F not in exif
        assert "exif" not in image.info
    with default_storage.open(photo.thumbnail.name) as stored, Image.open(stored) as thumb:
        assert thumb.format == "WEBP"
        assert max(thumb.size) == 800


def test_real_pdf_and_pptx_are_accepted_under_generated_names(staff_client, workshop):
    response = upload_document(staff_client, workshop, "Paparan Pak Oswar.pdf", real_pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get(title_ind="Paparan unggahan")
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert "Oswar" not in document.file.name
    document.delete()
    response = upload_document(
        staff_client, workshop, "slides.pptx", real_pptx_bytes(), "application/vnd.ms-powerpoint"
    )
    assert response.status_code == 302


BAD_PHOTOS = {
    "html renamed .png": ("foto.png", b"<html><script>alert(1)</script></html>", "image/png"),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "image/svg+xml",
    ),
    "fake jpeg": ("foto.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
    "gif": ("animasi.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    "decompression bomb": ("bom.png", decompression_bomb(), "image/png"),
}


@pytest.mark.parametrize("case", list(BAD_PHOTOS))
def test_bad_photo_is_refused_and_leaves_nothing(staff_client, workshop, case):
    name, content, content_type = BAD_PHOTOS[case]
    before, files = Photo.objects.count(), stored_files()
    response = upload_photo(staff_client, workshop, name, content, content_type)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert (
        any(
            phrase in html
            for phrase in ("Only JPEG, PNG and WebP", "JPEG, PNG", "too large", "terlalu besar")
        )
        or "Unggah gambar yang valid" in html
        or "Upload a valid image" in html
    )
    assert Photo.objects.count() == before
    assert stored_files() == files


BAD_DOCUMENTS = {
    "fake pdf": ("laporan.pdf", b"This is plain text pretending to be a PDF.", "application/pdf"),
    "html as pdf": ("laporan.pdf", b"<html><body>hi</body></html>", "application/pdf"),
    "zip that is not pptx": ("slides.pptx", b"PK\x03\x04 broken zip", "application/zip"),
    "truncated pdf": ("laporan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "application/pdf"),
    "html between pdf markers": (
        "laporan.pdf",
        b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
        "application/pdf",
    ),
}


@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_bad_document_is_refused_and_leaves_nothing(staff_client, workshop, case):
    name, content, content_type = BAD_DOCUMENTS[case]
    before, files = Document.objects.count(), stored_files()
    response = upload_document(staff_client, workshop, name, content, content_type)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only PDF and PowerPoint" in html or "damaged" in html or "PDF" in html
    assert "errorlist" in html
    assert Document.objects.count() == before
    assert stored_files() == files


@override_settings(UPLOAD_MAX_DOCUMENT_BYTES=1024, UPLOAD_MAX_IMAGE_BYTES=1024)
def test_oversized_files_are_refused_and_leave_nothing(staff_client, workshop):
    files = stored_files()
    pdf = b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n"
    response = upload_document(staff_client, workshop, "besar.pdf", pdf)
    assert response.status_code == 200
    assert "the limit is 1.0" in response.content.decode() or "1,0" in response.content.decode()
    response = upload_photo(staff_client, workshop, "besar.jpg", jpeg_with_gps())
    assert response.status_code == 200
    assert Document.objects.filter(title_ind="Paparan unggahan").count() == 0
    assert Photo.objects.filter(caption_ind="Foto unggahan").count() == 0
    assert stored_files() == files


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.pdf.html", "no-extension"])
def test_document_is_stored_with_the_extension_of_its_content(staff_client, workshop, name):
    # (A PDF with HTML inside is refused: tests/security/test_document_structure.py.)
    response = upload_document(staff_client, workshop, name, real_pdf_bytes(), "text/html")
    assert response.status_code == 302
    document = Document.objects.get(title_ind="Paparan unggahan")
    assert document.file.name.endswith(".pdf"), document.file.name
