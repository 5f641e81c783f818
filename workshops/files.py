"""The file rules of the model fields: where uploads are stored, and which are accepted.

A file is judged by its content, never by its name: a PDF must parse as a PDF with a
page (pypdf, strict), a .pptx must be a zip that declares a PowerPoint presentation and
carries nothing a browser could run. Every stored file gets a generated name, so an
upload's original name never reaches the disk or a URL. Photos are re-encoded by the
editorial wing (workshops/editorial/uploads.py).
"""

import re
import uuid
import warnings
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _generated_name(folder: str, extension: str) -> str:
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


DOCUMENT_EXTENSIONS = {"pdf", "pptx"}
PHOTO_EXTENSIONS = set(IMAGE_FORMATS.values())

# The names this site gives stored files (see the *_upload_to functions below). Imports
# accept only such names, so no folder, other path or other type can be named.
STORED_NAME_PATTERNS = {
    "document": re.compile(r"documents/[0-9]{4}/[A-Za-z0-9_-]{1,100}\.(pdf|pptx)"),
    "photo": re.compile(r"photos/[0-9]{4}/[A-Za-z0-9_-]{1,100}\.(jpg|png|webp)"),
    "thumbnail": re.compile(r"photos/thumbnails/[0-9]{4}/[A-Za-z0-9_-]{1,100}\.webp"),
}


def _extension(filename, allowed, fallback):
    # The forms name every accepted file after its checked type ("document.pdf");
    # anything else never decides how a stored file is served.
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    return extension if extension in allowed else fallback


def document_upload_to(instance, filename):
    return _generated_name("documents", _extension(filename, DOCUMENT_EXTENSIONS, "bin"))


def photo_upload_to(instance, filename):
    return _generated_name("photos", _extension(filename, PHOTO_EXTENSIONS, "bin"))


def thumbnail_upload_to(instance, filename):
    return _generated_name("photos/thumbnails", "webp")


def check_size(upload, limit):
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _head(upload, length=8):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


# --- Documents -------------------------------------------------------------------


def _not_a_document():
    return ValidationError(
        _("Only PDF and PowerPoint (.pptx) files can be uploaded as documents."),
        code="bad_type",
    )


def document_kind_of(upload) -> str:
    """'pdf' or 'pptx', from the file's structure. Anything else is refused."""
    check_size(upload, settings.UPLOAD_MAX_DOCUMENT_BYTES)
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        _check_pdf(upload)
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        _check_pptx(upload)
        return "pptx"
    raise _not_a_document()


def validate_document(value):
    # Only a new upload is checked. A file already stored was checked when it came;
    # reading it again on every save would download it (S3) and fail if it has gone
    # missing, which must never stop staff from saving the rest of the form.
    if isinstance(value, FieldFile) and getattr(value, "_committed", True):
        return
    document_kind_of(value)


# A PDF's page tree is walked down its first branch only, never flattened: a file
# that claims a billion pages or loops back on itself costs no more than one that
# has one page.
PDF_MAX_TREE_DEPTH = 32


def _check_pdf(upload):
    damaged = ValidationError(_("This PDF is damaged or is not a PDF."), code="bad_pdf")
    # Deferred: pypdf is only needed when a PDF arrives.
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(upload, strict=True)
            if reader.is_encrypted and not _opens_without_password(reader):
                raise ValidationError(
                    _("This PDF is protected (encrypted); upload a copy without protection."),
                    code="encrypted_pdf",
                )
            catalog = reader.trailer["/Root"].get_object()
            if catalog.get("/Type") != "/Catalog":
                raise damaged
            node, seen = catalog["/Pages"].get_object(), set()
            for _depth in range(PDF_MAX_TREE_DEPTH):
                if not isinstance(node, DictionaryObject) or id(node) in seen:
                    raise damaged
                seen.add(id(node))
                if node.get("/Type") == "/Page":
                    return
                kids = node.get("/Kids")
                if node.get("/Type") != "/Pages" or not kids:
                    raise damaged
                node = kids.get_object()[0].get_object()
            raise damaged
    except ValidationError:
        raise
    except Exception as error:  # whatever the parser trips on, it is not a PDF
        raise damaged from error
    finally:
        upload.seek(0)


def _opens_without_password(reader):
    """An encrypted PDF that anyone may read (no user password) is still a PDF."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # AES needs the cryptography package; a bad /Encrypt, anything
        return False


PPTX_CONTENT_TYPES = "[content_types].xml"
PPTX_MAIN_PART = "ppt/presentation.xml"
PPTX_MAIN_TYPE = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
PPTX_MAX_ENTRIES = 10_000
PPTX_MAX_UNCOMPRESSED = 400 * 1024 * 1024
PPTX_MAX_RATIO = 200  # real parts: images ~1, XML up to ~30
PPTX_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# Files a browser would run or render as a page. PowerPoint keeps SVG icons (with a
# PNG fallback) in ppt/media/, so SVG is accepted there and nowhere else.
PPTX_REFUSED_SUFFIXES = {
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta",
    ".js", ".mjs", ".svg", ".svgz", ".xsl", ".xslt",
}  # fmt: skip
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _check_pptx(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > PPTX_MAX_ENTRIES:
                raise ValidationError(
                    _("This presentation has too many parts (%(count)s).")
                    % {"count": len(entries)},
                    code="pptx_entries",
                )
            by_name = {entry.filename.lower(): entry for entry in entries}  # OPC: any case
            if PPTX_CONTENT_TYPES not in by_name or PPTX_MAIN_PART not in by_name:
                raise _not_a_document()
            with archive.open(by_name[PPTX_CONTENT_TYPES]) as handle:
                content_types = handle.read(PPTX_MAX_CONTENT_TYPES_BYTES + 1)
            if not _declares_presentation(content_types):
                raise _not_a_document()
            _check_pptx_entries(entries)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _not_a_document() from error
    finally:
        upload.seek(0)


def _check_pptx_entries(entries):
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > PPTX_MAX_UNCOMPRESSED or (
            entry.file_size > 1024 * 1024 and ratio > PPTX_MAX_RATIO
        ):
            raise ValidationError(
                _("This file is compressed beyond what a presentation can be."),
                code="pptx_bomb",
            )
        path = PurePosixPath(entry.filename.lower())
        suffix = path.suffix
        svg_icon = suffix == ".svg" and path.parent == PurePosixPath("ppt/media")
        if (
            (suffix in PPTX_REFUSED_SUFFIXES and not svg_icon)
            or entry.filename.startswith("/")
            or ".." in path.parts
        ):
            raise ValidationError(
                _(
                    "This presentation contains files that do not belong in a "
                    "presentation (%(name)s)."
                )
                % {"name": entry.filename[:100]},
                code="pptx_web_content",
            )


def _declares_presentation(content_types: bytes) -> bool:
    # OOXML never has a DTD: refusing one leaves no entity to expand.
    if len(content_types) > PPTX_MAX_CONTENT_TYPES_BYTES or b"<!DOCTYPE" in content_types.upper():
        return False
    try:
        root = ElementTree.fromstring(content_types)
    except ElementTree.ParseError:
        return False
    return any(
        element.get("PartName", "").lower() == f"/{PPTX_MAIN_PART}"
        and element.get("ContentType", "").lower() == PPTX_MAIN_TYPE
        for element in root.iter(f"{_CONTENT_TYPES_NS}Override")
    )
