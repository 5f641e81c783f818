"""Photos are decoded within a fixed memory budget, one at a time per process; larger
ones are refused with a clear message before any decoding."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from PIL import Image

from tests.test_uploads import upload_photo
from workshops.models import Photo

pytestmark = pytest.mark.django_db

# Measured on the development machine (Pillow 13, Python 3.11), growth of the peak
# resident memory of a fresh process while it processes the image: PNG RGBA at
# 25 Mpx 135 MB, JPEG at 25 Mpx 131 MB, WebP at 8.3 Mpx 132 MB, four PNGs at once
# 140 MB (before: 497 MB, 402 MB, about 280 MB and 1,820 MB).
MEMORY_BUDGET_MB = 200

MEASURE = """
import gc, json, os, resource, sys, threading
os.environ["DJANGO_SETTINGS_MODULE"] = "jakres.settings.test"
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from workshops.editorial.uploads import process_image
data = open(sys.argv[1], "rb").read()
uploads = [SimpleUploadedFile("foto", data) for _ in range(int(sys.argv[2]))]
sizes = []
def run(upload):
    image, thumbnail = process_image(upload)
    sizes.append(len(image))
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
threads = [threading.Thread(target=run, args=(upload,)) for upload in uploads]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (after - before) / 1024, "processed": len(sizes)}))
"""

GENERATE = """
import sys
from PIL import Image
kind, width, height, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
if kind == "jpeg":
    Image.new("RGB", (width, height), (30, 120, 200)).save(path, "JPEG", quality=50)
else:
    Image.new("RGBA", (width, height), (30, 120, 200, 128)).save(path, "WEBP", method=0)
"""


def flat_png(width, height):
    """An 8-bit RGBA PNG of one colour, written row by row (no image in memory)."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x1e\x78\xc8\x80" * width
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def largest_allowed(kind, folder):
    """The costliest photo to decode that the limits still allow, as a file."""
    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    path = folder / f"largest.{kind}"
    if kind == "png":
        side = int(limit**0.5)
        path.write_bytes(flat_png(side, side))
    elif kind == "jpeg":
        # Just under twice the stored size: decoded at full scale, no draft possible.
        side = min(int(limit**0.5), 2 * 2500 - 1)
        subprocess.run(
            [sys.executable, "-c", GENERATE, "jpeg", str(side), str(side), str(path)], check=True
        )
    else:
        side = int((limit // 3) ** 0.5)
        subprocess.run(
            [sys.executable, "-c", GENERATE, "webp", str(side), str(side), str(path)], check=True
        )
    return path


def memory_growth(path, at_once=1):
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(at_once)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jakres.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["processed"] == at_once
    return measured["growth_mb"]


@pytest.mark.parametrize("kind", ["png", "jpeg", "webp"])
def test_largest_allowed_photo_is_decoded_within_the_memory_budget(tmp_path, kind):
    """The costliest photo the limits allow is processed within the memory budget."""
    growth = memory_growth(largest_allowed(kind, tmp_path))
    assert growth < MEMORY_BUDGET_MB, f"{kind}: {growth:.0f} MB"


def test_four_photos_at_once_are_decoded_one_at_a_time(tmp_path):
    """Four concurrent uploads in one process stay within the budget of one."""
    growth = memory_growth(largest_allowed("png", tmp_path), at_once=4)
    assert growth < MEMORY_BUDGET_MB, f"{growth:.0f} MB"


def too_many_pixels(width, height, megapixels, image_format, limit):
    """The refusal as the admin shows it, in the admin's language."""
    message = gettext(
        "The photo is %(width)s×%(height)s pixels (%(megapixels)s megapixels); a "
        "%(format)s photo may have at most %(limit)s megapixels. Save it smaller, "
        "or as JPEG."
    )
    params = {"width": width, "height": height, "megapixels": megapixels}
    return message % {**params, "format": image_format, "limit": limit}


def test_png_above_the_pixel_limit_is_refused_with_a_clear_message(staff_client, workshop):
    """The 170 KB PNG of 6,300 × 6,300 pixels is refused before it is decoded."""
    content = flat_png(6300, 6300)
    assert len(content) < 200 * 1024
    response = upload_photo(staff_client, workshop, "besar.png", content)
    assert response.status_code == 200
    assert too_many_pixels(6300, 6300, "39.7", "PNG", "25") in response.content.decode()
    assert not Photo.objects.filter(caption_ind="Foto unggahan").exists()


def test_webp_above_its_pixel_limit_is_refused(staff_client, workshop):
    """WebP, which costs libwebp three more copies, has a third of the pixel limit."""
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 3000), (10, 20, 30)).save(buffer, "WEBP", method=0)
    response = upload_photo(staff_client, workshop, "besar.webp", buffer.getvalue(), "image/webp")
    assert response.status_code == 200
    assert too_many_pixels(3000, 3000, "9.0", "WebP", "8.33") in response.content.decode()
    assert not Photo.objects.filter(caption_ind="Foto unggahan").exists()


def test_large_jpeg_is_accepted_and_stored_at_display_size(staff_client, workshop):
    """A 24-megapixel camera JPEG is decoded at half scale and stored 2,500 pixels wide."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0)}  # GPSInfo
    Image.new("RGB", (6000, 4000), (200, 40, 40)).save(buffer, "JPEG", exif=exif)
    response = upload_photo(staff_client, workshop, "kamera.jpg", buffer.getvalue(), "image/jpeg")
    assert response.status_code == 302
    photo = Photo.objects.get(caption_ind="Foto unggahan")
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (1667, 2500)  # reduced, then turned upright
        assert not image.getexif()
    with default_storage.open(photo.thumbnail.name) as stored, Image.open(stored) as thumb:
        assert thumb.size == (533, 800)


def test_strip_resizing_matches_a_whole_image_resize():
    """Resizing in strips gives the picture a whole-image resize gives (no seams)."""
    from workshops.editorial.uploads import _fit

    noise = Image.effect_noise((1200, 1500), 60).convert("RGB")
    whole = noise.resize((400, 500), Image.Resampling.LANCZOS)
    strips = _fit(noise, (500, 500))
    assert strips.size == whole.size == (400, 500)
    worst = max(abs(a - b) for a, b in zip(strips.tobytes(), whole.tobytes(), strict=True))
    assert worst <= 1


def test_transparent_png_keeps_its_transparency_when_reduced(staff_client, workshop):
    """A reduced PNG keeps its alpha channel and its transparent areas stay clear."""
    image = Image.new("RGBA", (3000, 3000), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 1500, 3000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    response = upload_photo(staff_client, workshop, "logo.png", buffer.getvalue())
    assert response.status_code == 302
    photo = Photo.objects.get(caption_ind="Foto unggahan")
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as stored_image:
        assert stored_image.mode == "RGBA" and stored_image.size == (2500, 2500)
        assert stored_image.getpixel((100, 100)) == (255, 0, 0, 255)
        assert stored_image.getpixel((2400, 100))[3] == 0
