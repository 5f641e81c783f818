"""Checks and processing of staff uploads: slides, proceedings PDFs and photos.

A file is judged by its content, never by its name. Images are re-encoded with
Pillow, which drops EXIF (GPS included), and get a thumbnail. Every stored file gets
a generated name, so an upload's original name never reaches the disk or a URL.
"""

import io
import uuid
import warnings
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (800, 800)


def _generated_name(folder: str, extension: str) -> str:
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


DOCUMENT_EXTENSIONS = {"pdf", "pptx"}
PHOTO_EXTENSIONS = set(IMAGE_FORMATS.values())


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


def document_kind_of(upload) -> str:
    """'pdf' or 'pptx', from the file's content. Anything else is refused."""
    _check_size(upload, settings.UPLOAD_MAX_DOCUMENT_BYTES)
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        upload.seek(0)
        tail = upload.read()[-2048:]
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(_("This PDF is damaged or incomplete."), code="bad_pdf")
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
            return "pptx"
    raise ValidationError(
        _("Only PDF and PowerPoint (.pptx) files can be uploaded as documents."),
        code="bad_type",
    )


def validate_document(upload):
    document_kind_of(upload)


def process_image(upload):
    """Check an uploaded photo and re-encode it.

    Returns (image ContentFile, thumbnail ContentFile). Raises ValidationError for
    anything that is not a real JPEG, PNG or WebP within the size limits.
    """
    _check_size(upload, settings.UPLOAD_MAX_IMAGE_BYTES)
    refused = ValidationError(_("Only JPEG, PNG and WebP photos can be uploaded."), code="bad_type")
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses; a warning is already too big for us.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in IMAGE_FORMATS:
                    raise refused
                if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("The photo is %(width)s×%(height)s pixels; that is too large.")
                        % {"width": width, "height": height},
                        code="too_many_pixels",
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as original:
                original.load()
                image = ImageOps.exif_transpose(original)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The photo is too large to process safely."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise refused from error
    finally:
        upload.seek(0)

    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")

    # A fresh image carries no metadata: EXIF, GPS and comments stay behind.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    save_options = {"quality": 88} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=image_format, **save_options)
    extension = IMAGE_FORMATS[image_format]

    thumbnail = clean.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    thumb_buffer = io.BytesIO()
    thumbnail.save(thumb_buffer, format="WEBP", quality=80)

    return (
        ContentFile(buffer.getvalue(), name=f"photo.{extension}"),
        ContentFile(thumb_buffer.getvalue(), name="thumbnail.webp"),
    )
