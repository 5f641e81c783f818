"""Documents are judged by their structure (a PDF that parses, a .pptx that declares a
presentation), and media is served so that no stored file runs as a page of the site."""

import importlib
import io
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, resolve, reverse
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfWriter

from tests.security.document_files import PPTX_MAIN, pptx_bytes, real_pdf_bytes, real_pptx_bytes
from tests.test_uploads import upload_document
from workshops.models import Document

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.domain)</script></body></html>"


NOT_A_PDF = "This PDF is damaged or is not a PDF."
NOT_A_DOCUMENT = "Only PDF and PowerPoint (.pptx) files can be uploaded as documents."
WEB_CONTENT = "This presentation contains files that do not belong in a presentation (%(name)s)."
BOMB = "This file is compressed beyond what a presentation can be."
TOO_MANY = "This presentation has too many parts (%(count)s)."


def refused(response, message, **params):
    """The admin shows the message (in the admin's language) next to the field."""
    assert response.status_code == 200
    html = response.content.decode()
    expected = escape(gettext(message) % params if params else gettext(message))
    assert f'<ul class="errorlist" id="id_file_error"><li>{expected}</li></ul>' in html, html[
        html.find("errorlist") - 200 : html.find("errorlist") + 600
    ]
    assert not Document.objects.filter(title_ind="Paparan unggahan").exists()


def test_html_between_pdf_markers_is_refused(staff_client, workshop):
    """A file that starts with %PDF- and ends with %%EOF but holds HTML is not a PDF."""
    polyglot = b"%PDF-1.4\n" + HTML + b"\n%%EOF\n"
    response = upload_document(staff_client, workshop, "laporan.pdf", polyglot)
    refused(response, NOT_A_PDF)


def test_pdf_with_an_empty_page_tree_is_refused(staff_client, workshop):
    """A PDF whose objects parse but that has no page is refused."""
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    response = upload_document(staff_client, workshop, "kosong.pdf", pdf)
    refused(response, NOT_A_PDF)


def cyclic_page_tree_pdf():
    """A page tree whose Kids point back at itself, with a correct xref table."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[2 0 R 3 0 R]/Count 1000000000>>",
        b"<</Type/Pages/Kids[2 0 R]/Parent 2 0 R/Count 1>>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_with_a_cyclic_page_tree_is_refused_quickly(staff_client, workshop):
    """A page tree that loops (and claims a billion pages) neither hangs nor crashes."""
    started = time.monotonic()
    response = upload_document(staff_client, workshop, "putar.pdf", cyclic_page_tree_pdf())
    assert time.monotonic() - started < 5
    refused(response, NOT_A_PDF)


def encrypted_pdf(user_password):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_locked_with_a_password_is_refused_with_a_clear_message(staff_client, workshop):
    """A PDF that only opens with a password is refused, saying why."""
    response = upload_document(staff_client, workshop, "rahasia.pdf", encrypted_pdf("rahasia"))
    refused(response, "This PDF is protected (encrypted); upload a copy without protection.")


def test_pdf_with_only_an_owner_password_is_accepted(staff_client, workshop):
    """A PDF anyone may open (permissions only) is a PDF like any other."""
    response = upload_document(staff_client, workshop, "terbatas.pdf", encrypted_pdf(""))
    assert response.status_code == 302
    assert Document.objects.get(title_ind="Paparan unggahan").file.name.endswith(".pdf")


def test_pptx_with_upper_case_part_names_is_judged_the_same(staff_client, workshop):
    """Part names differing in case (allowed by OPC) neither fail nor dodge the checks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[CONTENT_TYPES].XML", real_content_types())
        archive.writestr("PPT/Presentation.xml", "<p:presentation/>")
        archive.writestr("ppt/INDEX.HTML", HTML)
    response = upload_document(
        staff_client, workshop, "s.pptx", buffer.getvalue(), "application/zip"
    )
    refused(response, WEB_CONTENT, name="ppt/INDEX.HTML")


def test_zip_with_pptx_entry_names_and_html_is_refused(staff_client, workshop):
    """A zip with the two .pptx entry names (no presentation declared) plus index.html is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        archive.writestr("index.html", HTML)
    response = upload_document(
        staff_client, workshop, "slides.pptx", buffer.getvalue(), "application/zip"
    )
    refused(response, NOT_A_DOCUMENT)


@pytest.mark.parametrize(
    "name", ["index.html", "ppt/slides/page.htm", "ppt/embeddings/run.js", "docs/logo.svg"]
)
def test_real_pptx_with_web_content_inside_is_refused(staff_client, workshop, name):
    """A presentation carrying HTML, JavaScript or SVG outside ppt/media/ is refused."""
    content = pptx_bytes(extra=[(name, HTML)])
    response = upload_document(staff_client, workshop, "slides.pptx", content, "application/zip")
    refused(response, WEB_CONTENT, name=name)


def test_pptx_declaring_a_macro_presentation_is_refused(staff_client, workshop):
    """Only the plain presentation content type is accepted (no macro-enabled .pptm)."""
    macro = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
    content = pptx_bytes(content_types=real_content_types().replace(PPTX_MAIN, macro))
    response = upload_document(staff_client, workshop, "slides.pptx", content, "application/zip")
    refused(response, NOT_A_DOCUMENT)


def test_pptx_with_a_doctype_is_refused(staff_client, workshop):
    """[Content_Types].xml with a DTD (entity expansion) is refused, not parsed."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + real_content_types().split("?>", 1)[1]
    )
    content = pptx_bytes(content_types=laughs)
    response = upload_document(staff_client, workshop, "slides.pptx", content, "application/zip")
    refused(response, NOT_A_DOCUMENT)


def real_content_types():
    with zipfile.ZipFile(io.BytesIO(real_pptx_bytes())) as archive:
        return archive.read("[Content_Types].xml").decode()


def test_pptx_with_an_absurd_compression_ratio_is_refused(staff_client, workshop):
    """An entry that inflates far beyond any real slide part (a zip bomb) is refused."""
    content = pptx_bytes(extra=[("ppt/media/image1.png", b"\0" * (64 * 1024 * 1024))])
    assert len(content) < 1024 * 1024
    response = upload_document(staff_client, workshop, "slides.pptx", content, "application/zip")
    refused(response, BOMB)


def test_pptx_with_too_many_entries_is_refused(staff_client, workshop):
    """An archive with more entries than any presentation has is refused."""
    content = pptx_bytes(extra=[(f"ppt/slides/s{i}.xml", b"") for i in range(20_001)])
    response = upload_document(staff_client, workshop, "slides.pptx", content, "application/zip")
    refused(response, TOO_MANY, count=20_001 + 3)


def test_real_pdf_and_pptx_are_still_accepted(staff_client, workshop):
    """Well-formed PDF and PowerPoint files, SVG icons in ppt/media included, are accepted."""
    response = upload_document(staff_client, workshop, "Paparan.pdf", real_pdf_bytes(3))
    assert response.status_code == 302
    document = Document.objects.get(title_ind="Paparan unggahan")
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    document.delete()
    icon = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    pptx = pptx_bytes(extra=[("ppt/media/image2.svg", icon), ("ppt/media/image1.png", b"png")])
    response = upload_document(staff_client, workshop, "slides.pptx", pptx, "application/zip")
    assert response.status_code == 302
    stored = Document.objects.get(title_ind="Paparan unggahan")
    assert stored.file.name.endswith(".pptx")
    with default_storage.open(stored.file.name) as handle:
        assert handle.read() == pptx


# --- Serving media ----------------------------------------------------------------


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """Media in a folder on disk, served by the debug media view."""
    settings.MEDIA_ROOT = tmp_path
    settings.ROOT_URLCONF = "tests.security.media_urls"
    (tmp_path / "documents" / "2018").mkdir(parents=True)
    (tmp_path / "documents" / "2018" / "a1b2.pdf").write_bytes(real_pdf_bytes())
    (tmp_path / "photos" / "2018").mkdir(parents=True)
    (tmp_path / "photos" / "2018" / "c3d4.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    clear_url_caches()
    yield tmp_path
    clear_url_caches()


def test_media_view_sends_documents_as_downloads_with_nosniff(client, media_on_disk):
    """A stored document is a download (attachment) that the browser may not sniff."""
    response = client.get(reverse("media", kwargs={"path": "documents/2018/a1b2.pdf"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a1b2.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.close()


def test_media_view_sends_photos_inline_with_nosniff(client, media_on_disk):
    """A stored photo is shown inline, never sniffed, and sandboxed if opened alone."""
    response = client.get(reverse("media", kwargs={"path": "photos/2018/c3d4.png"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="c3d4.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    response.close()


@pytest.mark.parametrize(
    "path, status",
    [("documents/2018/", 404), ("documents/2018/x.pdf", 404), ("../settings.py", 400)],
)
def test_media_view_refuses_folders_missing_files_and_climbing(client, media_on_disk, path, status):
    """Folders are not listed and nothing outside the media folder is reachable."""
    (media_on_disk.parent / "settings.py").write_text("SECRET_KEY = 'x'")
    response = client.get(f"/media/{path}")
    assert response.status_code == status
    assert b"SECRET_KEY" not in response.content
    assert response["X-Content-Type-Options"] == "nosniff"


def test_debug_urlconf_serves_media_through_the_safe_view(settings):
    """With DEBUG on, /media/ is served by the view that adds the headers."""
    import jakres.urls
    from jakres.core.media import serve_media

    settings.DEBUG = True
    try:
        module = importlib.reload(jakres.urls)
        match = resolve("/media/documents/2018/a1b2.pdf", urlconf=module)
        assert match.func is serve_media
        assert match.kwargs == {"path": "documents/2018/a1b2.pdf"}
    finally:
        settings.DEBUG = False
        importlib.reload(jakres.urls)
        clear_url_caches()
