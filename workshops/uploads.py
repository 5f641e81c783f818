"""Checks and processing of staff uploads: slides, proceedings PDFs and photos.

A file is judged by its content, never by its name: a PDF must parse as a PDF with a
page (pypdf, strict), a .pptx must be a zip that declares a PowerPoint presentation and
carries nothing a browser could run. Images are re-encoded with Pillow, which drops EXIF
(GPS included), are stored at most PHOTO_MAX_EDGE pixels on their long side, and get a
thumbnail. Every stored file gets a generated name, so an upload's original name never
reaches the disk or a URL.

Decoding a photo takes memory in proportion to its pixels, so photos are decoded one at
a time per process (_DECODE_LOCK), JPEGs at a reduced scale where the stored size allows
it (Image.draft), and never more than UPLOAD_MAX_IMAGE_PIXELS at full size.
"""

import io
import math
import re
import threading
import uuid
import warnings
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (800, 800)
# The long side of a stored photo. A JPEG twice as large or more is decoded at 1/2,
# 1/4 or 1/8 scale straight away, so no photo is ever held at more than
# UPLOAD_MAX_IMAGE_PIXELS.
PHOTO_MAX_EDGE = 2500

WEBP_DECODE_COPIES = 3
# One photo decoded at a time in a process: the memory of concurrent uploads adds up.
_DECODE_LOCK = threading.Lock()


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


def _check_size(upload, limit):
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
    _check_size(upload, settings.UPLOAD_MAX_DOCUMENT_BYTES)
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


# --- Photos ----------------------------------------------------------------------


def _fitted_size(size, box):
    width, height = size
    if width <= box[0] and height <= box[1]:
        return size
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


# Resizing works through the image in strips of output rows, each cut from the source
# with enough margin for the filter: the result is the same as one resize of the
# whole, without the whole-image copies Pillow would make (an RGBA image is
# premultiplied first, and the first filter pass is as tall as the source).
STRIP_ROWS = 128
_LANCZOS_SUPPORT = 3
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _working_mode(image):
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        return "RGBa"  # resampled premultiplied, so transparent pixels lend no colour
    if image.mode in ("1", "L", "I", "F") or image.mode.startswith("I;16"):
        return "L"
    return "RGB"


def _fit(image, box):
    """The image within box, as a new image; the image itself if it already fits.

    A resized image with transparency comes back premultiplied ("RGBa"): the caller
    converts it once the source has been let go.
    """
    size = _fitted_size(image.size, box)
    if size == image.size:
        return image
    mode = _working_mode(image)
    (width, height), (out_width, out_height) = image.size, size
    scale = height / out_height
    margin = math.ceil(_LANCZOS_SUPPORT * max(scale, 1)) + 2
    fitted = Image.new(mode, size)
    for top in range(0, out_height, STRIP_ROWS):
        bottom = min(top + STRIP_ROWS, out_height)
        source_top, source_bottom = top * scale, bottom * scale
        crop_top = max(0, math.floor(source_top) - margin)
        crop_bottom = min(height, math.ceil(source_bottom) + margin)
        strip = image.crop((0, crop_top, width, crop_bottom))
        if mode == "RGBa" and strip.mode != "RGBA":
            strip = strip.convert("RGBA")
        if strip.mode != mode:
            strip = strip.convert(mode)
        strip = strip.resize(
            (out_width, bottom - top),
            Image.Resampling.LANCZOS,
            box=(0, source_top - crop_top, width, source_bottom - crop_top),
        )
        fitted.paste(strip, (0, top))
    return fitted


def _pixel_limit(image_format):
    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    # libwebp and Pillow hold a WebP picture three more times while decoding it.
    return limit // WEBP_DECODE_COPIES if image_format == "WEBP" else limit


def _too_many_pixels(width, height, image_format):
    return ValidationError(
        _(
            "The photo is %(width)s×%(height)s pixels (%(megapixels)s megapixels); a "
            "%(format)s photo may have at most %(limit)s megapixels. Save it smaller, "
            "or as JPEG."
        )
        % {
            "width": width,
            "height": height,
            "megapixels": f"{width * height / 1_000_000:.1f}",
            "format": {"WEBP": "WebP"}.get(image_format, image_format),
            "limit": f"{_pixel_limit(image_format) / 1_000_000:.3g}",
        },
        code="too_many_pixels",
    )


def process_image(upload):
    """Check an uploaded photo and re-encode it.

    Returns (image ContentFile, thumbnail ContentFile). Raises ValidationError for
    anything that is not a real JPEG, PNG or WebP within the size limits.
    """
    _check_size(upload, settings.UPLOAD_MAX_IMAGE_BYTES)
    with _DECODE_LOCK:
        return _process_image(upload)


def _decoded_photo(upload):
    """(the photo decoded, reduced to the stored size and upright, its format).

    Raises ValidationError for anything that is not a JPEG, PNG or WebP we can decode
    within the pixel limits.
    """
    refused = ValidationError(_("Only JPEG, PNG and WebP photos can be uploaded."), code="bad_type")
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses; a warning is already too big for us.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image_format = _probed_format(upload, refused)
            image = _reduced(upload, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The photo is too large to process safely."), code="too_many_pixels"
        ) from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise refused from error
    finally:
        upload.seek(0)
    return image, image_format


def _probed_format(upload, refused):
    upload.seek(0)
    with Image.open(upload) as probe:
        image_format = probe.format
        if image_format not in IMAGE_FORMATS:
            raise refused
        probe.verify()
    return image_format


def _reduced(upload, image_format):
    upload.seek(0)
    image = Image.open(upload)
    announced = image.size
    if image_format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when that still covers the stored size.
        image.draft(None, _fitted_size(announced, (PHOTO_MAX_EDGE, PHOTO_MAX_EDGE)))
    if image.width * image.height > _pixel_limit(image_format):
        raise _too_many_pixels(*announced, image_format)
    image.load()
    orientation = image.getexif().get(_ORIENTATION)
    # From here on only the reduced image is kept: the full one is let go.
    image = _fit(image, (PHOTO_MAX_EDGE, PHOTO_MAX_EDGE))
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    return image


def _storable_mode(image, image_format):
    if image.mode == "RGBa":
        image = image.convert("RGBA")
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _process_image(upload):
    image, image_format = _decoded_photo(upload)
    image = _storable_mode(image, image_format)

    # A fresh image carries no metadata: EXIF, GPS and comments stay behind.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    del image
    buffer = io.BytesIO()
    save_options = {"quality": 88} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=image_format, **save_options)
    extension = IMAGE_FORMATS[image_format]

    thumbnail = _fit(clean, THUMBNAIL_SIZE)
    if thumbnail.mode == "RGBa":
        thumbnail = thumbnail.convert("RGBA")
    thumb_buffer = io.BytesIO()
    thumbnail.save(thumb_buffer, format="WEBP", quality=80)

    return (
        ContentFile(buffer.getvalue(), name=f"photo.{extension}"),
        ContentFile(thumb_buffer.getvalue(), name="thumbnail.webp"),
    )
