"""The proceedings as a PDF: made by WeasyPrint from the same content, tagged (PDF/UA-1)
with its title and language, with contents and page numbers, every conclusion in order,
cached under the content version and made afresh after a change."""

import io
import os
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG
from workshops.models import EventStatus
from workshops.site import pdf as pdf_module


def _needs_pango():
    if pdf_module.available():
        return []
    message = "WeasyPrint needs Pango: apt-get install -y libpango-1.0-0 libpangoft2-1.0-0"
    if os.environ.get("JAKRES_REQUIRE_PDF") == "1":
        raise RuntimeError(message)
    return [pytest.mark.skip(reason=message)]


pytestmark = [pytest.mark.django_db, *_needs_pango()]

PDF_URL = f"/events/{WORKSHOP_SLUG}/proceedings.pdf"


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_conclusion_is_in_the_pdf_in_order(client, workshop):
    reader = read(client.get(PDF_URL))
    text = text_of(reader)
    conclusions = Conclusion.objects.filter(group__session__event=workshop).order_by(
        "group__number", "parent_id", "order"
    )
    tops = [c for c in conclusions if c.parent_id is None]
    assert len(tops) > 10
    place = 0
    for group in workshop.sessions.get(kind="group_discussion").groups.order_by("number"):
        for conclusion in group.conclusion_tree():
            start = " ".join(conclusion.text_ind.split())[:50]
            found = text.find(start, place)
            assert found > place, start
            place = found
            for point in conclusion.sub_points:
                found = text.find(" ".join(point.text_ind.split())[:40], place)
                assert found >= place, point.text_ind
                place = found
    assert "Oswar M. Mungkasa" in text
    assert f"http://testserver/events/{WORKSHOP_SLUG}/" in text  # cite this


def test_the_pdf_is_tagged_with_its_title_and_language(client, workshop):
    for prefix, language, title in (
        ("", "id", "Lokakarya Perdana Program Prioritas Jakarta Berketahanan"),
        ("/en", "en", workshop.title_en),
    ):
        reader = read(client.get(prefix + PDF_URL))
        catalog = reader.trailer["/Root"]
        assert catalog["/Lang"] == language
        assert reader.metadata["/Title"] == title
        assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean)
        assert "/StructTreeRoot" in catalog
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert re.search(r"pdfuaid:part[^0-9]*1", xmp)


def test_the_contents_give_page_numbers(client, workshop):
    text = text_of(read(client.get(PDF_URL)))
    assert "Daftar isi" in text
    assert re.search(r"Kelompok 1: Meningkatkan kapasitas tata kelola .*?\.{5,} ?\d+", text)
    assert re.search(r"Cara mengutip \.{5,} ?\d+", text)


def test_the_pdf_is_cached_and_made_afresh_after_a_change(
    client, workshop, monkeypatch, django_assert_num_queries
):
    first = client.get(PDF_URL)
    etag = first["ETag"]
    made = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda *a: made.append(1) or real(*a))
    with django_assert_num_queries(0):  # a kept PDF is answered without the database
        assert client.get(PDF_URL).content == first.content
    assert client.get(PDF_URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert made == []
    conclusion = Conclusion.objects.filter(group__session__event=workshop).first()
    conclusion.text = "Simpulan yang diubah sesudahnya"
    conclusion.save()
    fresh = client.get(PDF_URL, HTTP_IF_NONE_MATCH=etag)
    assert made == [1]
    assert fresh["ETag"] != etag
    assert "Simpulan yang diubah sesudahnya" in text_of(read(fresh))


def test_only_published_events_have_a_pdf(client, workshop):
    workshop.status = EventStatus.DRAFT
    workshop.save()
    assert client.get(PDF_URL).status_code == 404


def test_the_page_offers_the_pdf_in_both_languages(client, workshop):
    page = client.get(f"/events/{WORKSHOP_SLUG}/").content.decode()
    assert f'<a href="{PDF_URL}" type="application/pdf" download>Unduh PDF</a>' in page
    english = client.get(f"/en/events/{WORKSHOP_SLUG}/").content.decode()
    assert f'<a href="/en{PDF_URL}" type="application/pdf" download>Download PDF</a>' in english


def test_making_the_pdf_fetches_nothing(client, workshop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    workshop.summary = "Lihat ![peta](file:///etc/passwd) dan ![foto](http://127.0.0.1:9/x.png)"
    workshop.save()
    text = text_of(read(client.get(PDF_URL)))
    assert "root:" not in text
    with pytest.raises(ValueError, match="fetches nothing"):
        pdf_module._refuse("file:///etc/passwd")
    assert "Lihat" in text


def test_without_pango_the_pdf_link_explains_itself(client, workshop, monkeypatch):
    def unavailable(*args):
        raise pdf_module.PdfUnavailable("no Pango")

    monkeypatch.setattr(pdf_module, "render_pdf", unavailable)
    response = client.get(PDF_URL)
    assert response.status_code == 503
    assert "PDF tidak tersedia" in response.content.decode()


def test_the_pdf_says_how_the_slides_are_attributed(client, workshop):
    text = text_of(read(client.get(PDF_URL)))
    assert "Tri Dewi Virgiyanti (Dikaitkan dengan paparan Ibu Virgie karena judulnya" in text
    english = text_of(read(client.get("/en" + PDF_URL)))
    assert "Attributed to Ms Virgie's talk because its title matches her topic" in english


def test_the_pdf_gives_what_the_page_gives(client, workshop):
    """The page's facts the PDF had left out: the venue not recorded, the programme
    phase, the original proceedings in "cite this"; and its metadata names who the
    citation names and the day it was made, which its text gives."""
    reader = read(client.get(PDF_URL))
    text = " ".join(text_of(reader).split())
    assert "Jakarta (tempat tidak tercatat)" in text
    assert "Tahap program" in text and "Tahap II" in text
    assert "(prosiding asli: https://issuu.com/" in text
    assert reader.metadata["/Author"] == "Sekretariat Jakarta Berketahanan"
    made = reader.metadata["/CreationDate"][2:10]
    assert made == timezone.localdate().strftime("%Y%m%d")
