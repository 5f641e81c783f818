"""Processing of staff photo uploads (the file rules themselves: workshops/files.py).

Images are re-encoded with Pillow, which drops EXIF (GPS included), are stored at most
PHOTO_MAX_EDGE pixels on their long side, and get a thumbnail.

Decoding a photo takes memory in proportion to its pixels, so photos are decoded one at
a time per process (_DECODE_LOCK), JPEGs at a reduced scale where the stored size allows
it (Image.draft), and never more than UPLOAD_MAX_IMAGE_PIXELS at full size.
"""

import io
import math
import threading
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from workshops.files import IMAGE_FORMATS, check_size

THUMBNAIL_SIZE = (800, 800)
# The long side of a stored photo. A JPEG twice as large or more is decoded at 1/2,
# 1/4 or 1/8 scale straight away, so no photo is ever held at more than
# UPLOAD_MAX_IMAGE_PIXELS.
PHOTO_MAX_EDGE = 2500

WEBP_DECODE_COPIES = 3
# One photo decoded at a time in a process: the memory of concurrent uploads adds up.
_DECODE_LOCK = threading.Lock()


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
    check_size(upload, settings.UPLOAD_MAX_IMAGE_BYTES)
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
