"""The 26 Sept 2018 workshop fixture carries every fact of the seed article."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from tests.conftest import WORKSHOP_SLUG
from tests.factories import EventFactory, FocusAreaFactory, PersonFactory, SessionFactory
from workshops.models import (
    Appearance,
    AppearanceRole,
    CountQualifier,
    Document,
    DocumentKind,
    Event,
    EventKind,
    EventStatus,
    ShockStressKind,
)

pytestmark = pytest.mark.django_db

PROJECT_MODELS = [m for m in apps.get_models() if m._meta.app_label in {"workshops", "focus_areas"}]


def row_counts():
    return {m._meta.label: m.objects.count() for m in PROJECT_MODELS} | {
        "sectors": Event.sectors.through.objects.count(),
        "preceded_by": Event.preceded_by.through.objects.count(),
    }


def test_workshop_facts(workshop):
    assert workshop.title_ind == "Lokakarya Perdana Program Prioritas Jakarta Berketahanan"
    assert workshop.title_en
    assert workshop.kind == EventKind.WORKSHOP
    assert workshop.start_date == datetime.date(2018, 9, 26)
    assert workshop.city == "Jakarta"
    # The seed names one organiser, the Secretariat, and no partner or supporter.
    assert [(o.organisation.name_ind, o.role) for o in workshop.organisers.all()] == [
        ("Sekretariat Jakarta Berketahanan", "organiser")
    ]
    # It gives no session its own day or hours ("sehari penuh": a full day).
    assert [(s.date, s.start_time, s.end_time) for s in workshop.sessions.all()] == [
        (None, None, None)
    ] * 3
    assert workshop.programme_phase_ind == "Tahap II"
    assert workshop.status == EventStatus.PUBLISHED
    assert "City Resilience Strategy" in workshop.subtitle_ind
    assert "menjaring dan menyatukan persepsi" in workshop.purpose_ind


def test_workshop_participants_more_than_140_with_their_sectors(workshop):
    assert workshop.participant_count == 140
    assert workshop.participant_count_qualifier == CountQualifier.MORE_THAN
    assert [s.name_ind for s in workshop.sectors.order_by("order")] == [
        "Pemerintah kota",
        "Pemerintah wilayah",
        "Pemerintah pusat",
        "Pihak swasta",
        "NGO lokal",
        "NGO nasional",
        "NGO internasional",
        "Akademisi dari berbagai universitas",
    ]


def test_two_working_sessions_came_before_with_dates_and_topics(workshop):
    before = {e.start_date: e for e in workshop.preceded_by.all()}
    assert sorted(before) == [datetime.date(2018, 8, 23), datetime.date(2018, 9, 19)]
    august, september = before[datetime.date(2018, 8, 23)], before[datetime.date(2018, 9, 19)]
    assert august.kind == september.kind == EventKind.WORKING_SESSION
    assert "Status Ketahanan Kota Jakarta (Resilience Statement)" in august.topic_ind
    assert "Visi Misi Program Prioritas Jakarta Berketahanan" in september.topic_ind
    assert "Resilience Impact Assessment" in august.feeds_into_ind
    assert "Resilience Impact Assessment" in september.feeds_into_ind
    assert august.status == september.status == EventStatus.PUBLISHED


def test_three_sessions_in_order(workshop):
    sessions = list(workshop.sessions.order_by("order"))
    assert [s.order for s in sessions] == [1, 2, 3]
    assert [s.kind for s in sessions] == ["presentation", "panel", "group_discussion"]
    assert "Sekretariat Jakarta Berketahanan" in sessions[0].title_ind


def speakers(workshop):
    return {
        a.person.name: a
        for a in Appearance.objects.filter(session__event=workshop).select_related(
            "person", "session", "on_behalf_of"
        )
    }


def test_every_speaker_with_title_and_role(workshop):
    by_name = speakers(workshop)
    assert set(by_name) == {
        "Dede Herland",
        "Oswar M. Mungkasa",
        "Lauren Sorkin",
        "Tri Dewi Virgiyanti",
        "Wicaksono Sarosa",
    }
    dede = by_name["Dede Herland"]
    assert (dede.session.order, dede.role) == (1, AppearanceRole.PRESENTER)
    assert dede.title_at_time_ind == "Deputi CRO Jakarta Berketahanan"
    assert dede.on_behalf_of.name_ind == "Sekretariat Jakarta Berketahanan"

    oswar = by_name["Oswar M. Mungkasa"]
    assert oswar.title_at_time_ind == "Deputi Gubernur Tata Ruang dan Lingkungan Hidup DKI Jakarta"
    assert oswar.additional_title_at_time_ind == "CRO Resilient Jakarta Secretariat"
    assert by_name["Lauren Sorkin"].title_at_time_ind == (
        "Managing Director 100 Resilient Cities Asia Pacific"
    )
    assert by_name["Tri Dewi Virgiyanti"].title_at_time_ind == (
        "Direktur Perkotaan, Perumahan dan Permukiman Bappenas"
    )
    assert by_name["Tri Dewi Virgiyanti"].person.short_name == "Virgie"
    panel = [
        a.person.name
        for a in Appearance.objects.filter(session__event=workshop, session__order=2)
        .select_related("person")
        .order_by("order")
    ]
    assert panel == [
        "Oswar M. Mungkasa",
        "Lauren Sorkin",
        "Tri Dewi Virgiyanti",
        "Wicaksono Sarosa",
    ]
    for name in ("Oswar M. Mungkasa", "Lauren Sorkin", "Tri Dewi Virgiyanti"):
        assert by_name[name].role == AppearanceRole.PANELIST


def test_moderator_is_recorded(workshop):
    moderator = Appearance.objects.get(session__event=workshop, role=AppearanceRole.MODERATOR)
    assert moderator.person.name == "Wicaksono Sarosa"
    assert moderator.session.order == 2


def test_each_panelist_key_points(workshop):
    by_name = speakers(workshop)
    oswar = by_name["Oswar M. Mungkasa"].summary_ind
    assert "globalisasi, urbanisasi, dan perubahan iklim" in oswar
    assert "pendekatan kolaboratif" in oswar
    lauren = by_name["Lauren Sorkin"].summary_ind
    assert "1.7 Triliun US Dollar" in lauren
    assert "700 halaman sekolah" in lauren
    virgie = by_name["Tri Dewi Virgiyanti"].summary_ind
    assert "fragmented governance" in virgie
    assert "Kepemimpinan dan Strategi" in virgie
    for name in ("Oswar M. Mungkasa", "Lauren Sorkin", "Tri Dewi Virgiyanti"):
        assert by_name[name].summary_en, f"{name} has no English key points"


def test_shocks_and_stresses_named_in_the_panel(workshop):
    named = workshop.shocks_stresses.select_related("hazard").order_by("order")
    shocks = [s.hazard for s in named if s.hazard.kind == ShockStressKind.SHOCK]
    stresses = [s.hazard for s in named if s.hazard.kind == ShockStressKind.STRESS]
    assert [s.name_ind for s in shocks] == [
        "banjir",
        "demonstrasi",
        "kekeringan",
        "wabah penyakit",
        "ketiadaan listrik",
        "kegagalan infrastruktur",
    ]
    assert [s.name_ind for s in stresses] == [
        "penurunan kualitas makanan",
        "peningkatan mobilitas",
        "sistem pengadaan air bersih yang tidak berkelanjutan",
        "degrasi lingkungan",
        "kesenjangan sosial",
    ]
    assert {s.named_by.person.name for s in workshop.shocks_stresses.all()} == {"Oswar M. Mungkasa"}
    # Shared records, each with its page, slugged from the (source's) Indonesian name.
    assert [s.slug for s in shocks][:2] == ["banjir", "demonstrasi"]
    assert stresses[3].slug == "degrasi-lingkungan"
    assert stresses[3].name_en == "environmental degradation"


def test_the_fragmented_gov_slides_say_their_attribution_is_inferred(workshop):
    """The seed lists the slides without a presenter; their title is Ibu Virgie's topic."""
    slides = workshop.documents.get(title_ind__contains="Fragmented Gov dan Urban Linkages")
    assert slides.person.name == "Tri Dewi Virgiyanti"
    assert "Ibu Virgie" in slides.attribution_note_ind
    assert "sumber tidak menyebutkan" in slides.attribution_note_ind
    assert "the source does not say" in slides.attribution_note_en
    others = workshop.documents.exclude(pk=slides.pk)
    assert [d.attribution_note_ind for d in others] == ["", "", ""]


def test_five_focus_areas_with_titles(workshop):
    assert [(f.number, f.title_ind) for f in FocusArea.objects.all()] == [
        (1, "Meningkatkan kapasitas tata kelola pemerintahan dan manajemen kota"),
        (2, "Membangun budaya siap siaga untuk menghadapi berbagai guncangan"),
        (
            3,
            "Meningkatkan kesehatan dan kesejahteraan melalui tata kelola air bersih, "
            "air limbah dan sampah dengan lebih baik",
        ),
        (4, "Meningkatkan mobilitas dan konektivitas warga Jakarta"),
        (5, "Memelihara kohesi sosial warga Jakarta"),
    ]
    assert all(f.title_en for f in FocusArea.objects.all())


def conclusions_of(workshop, number):
    group = DiscussionGroup.objects.get(session__event=workshop, number=number)
    return group, [c.text_ind for c in group.conclusions.filter(parent=None).order_by("order")]


def test_group_conclusions_in_order(workshop):
    groups = DiscussionGroup.objects.filter(session__event=workshop).order_by("number")
    assert [(g.number, g.focus_area.number, g.session.order) for g in groups] == [
        (n, n, 3) for n in range(1, 6)
    ]
    _, first = conclusions_of(workshop, 1)
    assert first == [
        "Perlu adanya pemahaman mengenai konsep ketahanan kota yang dipahami dan dipercayai "
        "bersama sebagai basis perencanaan kota",
        "Diperlukan payung hukum sebagai jawaban dalam rangka meningkatkan kapasitas tata "
        "kelola pemerintahan dan manjemen kota lintas wilayah",
        "Program prioritas harus memiliki manfaat nyata dan dampak langsung bagi masyarakat",
    ]
    _, second = conclusions_of(workshop, 2)
    assert len(second) == 4
    assert second[1] == (
        "Koordinasi dengan Forum Komunikasi Pemerintah daerah (berdasarkan UU no. 24 tahun 2009)"
    )
    assert second[3].startswith("Advokasi dalam perencanaan program dan anggaran")
    group3, third = conclusions_of(workshop, 3)
    assert len(third) == 4
    assert "volunteerism" in third[0]
    assert "memperkuat fungsi kontrol dalam pemerintah" in third[3]
    assert group3.summary_ind.startswith("Kelompok ini menyimpulkan")
    _, fourth = conclusions_of(workshop, 4)
    assert len(fourth) == 4
    assert "program detail" in fourth[0]
    _, fifth = conclusions_of(workshop, 5)
    assert len(fifth) == 3
    assert fifth[0].startswith("Diperlukan Fasilitas Sosial")
    assert "komunkasi" in fifth[1]
    assert all(c.text_en for c in Conclusion.objects.filter(group__session__event=workshop))


def test_group_two_first_conclusion_has_its_two_sub_points(workshop):
    group = DiscussionGroup.objects.get(session__event=workshop, number=2)
    first = group.conclusions.get(parent=None, order=1)
    assert first.text_ind.startswith("Dalam membangun sadar budaya bencana")
    assert [c.text_ind for c in first.children.order_by("order")] == [
        "Peran BPBD mapping pulau yang aman di kep. seribu",
        "Seribu dalam mengembangkan Jaringan kominfotik dengan dinas kominfotik untuk "
        "mengantisipasi bencana",
    ]
    assert Conclusion.objects.filter(parent__isnull=False).count() == 2


def test_presentation_titles_and_proceedings_link(workshop):
    slides = list(workshop.documents.filter(kind=DocumentKind.SLIDES).order_by("order"))
    assert [d.title_ind for d in slides] == [
        "Paparan Lokakarya CRO-Program Jakarta Berketahanan",
        "20180918 – Roadshow JKT Phase 2 Kick off – INA",
        "180925f Fragmented Gov dan Urban Linkages",
    ]
    proceedings = workshop.documents.get(kind=DocumentKind.PROCEEDINGS)
    assert proceedings.title_ind == (
        "20181011_PROSIDING Lokakarya Perdana Program Prioritas Jakarta Berketahanan_r"
    )
    assert (
        proceedings.url
        == "https://issuu.com/jakberketahanan/docs/20181011_prosiding_lokakarya_perdan"
    )


def test_photo_captions_as_written(workshop):
    captions = [p.caption_ind for p in workshop.photos.order_by("order")]
    assert len(captions) == 7
    assert (
        captions[0]
        == "Oswar M. Mungkasa (CRO Resilient Jakarta Secretariat) dalam Memberikan Paparan"
    )
    assert "Situassi Diskusi pada Kelompok 2" in captions
    assert not any(p.image for p in workshop.photos.all())


def test_every_public_text_has_an_english_version(workshop):
    for model, fields in [
        (Event, ["title", "summary", "purpose", "programme_phase"]),
        (Appearance, ["title_at_time"]),
        (Document, ["title"]),
        (FocusArea, ["title"]),
        (DiscussionGroup, ["summary"]),
    ]:
        for obj in model.objects.all():
            for field in fields:
                if getattr(obj, f"{field}_ind"):
                    assert getattr(obj, f"{field}_en"), f"{obj!r}.{field} has no English"


def test_loading_twice_changes_nothing(workshop):
    before = row_counts()
    dump_before = dump()
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    assert row_counts() == before
    assert dump() == dump_before


def test_fixture_loads_where_primary_keys_differ(db):
    # Rows made first take the low primary keys the fixture's objects would get.
    for _ in range(3):
        SessionFactory(event=EventFactory(), order=1)
        PersonFactory()
    FocusAreaFactory(number=9)
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    workshop = Event.objects.get(slug=WORKSHOP_SLUG)
    assert workshop.sessions.count() == 3
    assert Appearance.objects.filter(session__event=workshop).count() == 5


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "workshops",
        "focus_areas",
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def test_dumpdata_loaddata_round_trip_into_an_empty_database(workshop, tmp_path):
    original = dump()
    counts = row_counts()
    path = tmp_path / "dump.json"
    path.write_text(original, encoding="utf-8")
    for model in reversed(PROJECT_MODELS):
        model.objects.all().delete()
    assert Event.objects.count() == 0
    call_command("loaddata", str(path), verbosity=0)
    assert row_counts() == counts
    assert dump() == original


def test_setup_portal_never_overwrites_staff_edits(db):
    call_command("setup_portal", verbosity=0)
    conclusion = Conclusion.objects.get(text_ind__contains="manjemen")
    conclusion.text = conclusion.text_ind.replace("manjemen", "manajemen")
    conclusion.save()
    call_command("setup_portal", verbosity=0)
    conclusion.refresh_from_db()
    assert "manajemen kota lintas wilayah" in conclusion.text_ind
