import datetime

import factory
from django.utils.text import slugify

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea
from workshops.models import (
    Appearance,
    AppearanceRole,
    Document,
    DocumentKind,
    Event,
    EventKind,
    EventOrganiser,
    EventStatus,
    Hazard,
    Organisation,
    OrganiserRole,
    Person,
    Photo,
    Programme,
    Sector,
    Session,
    SessionKind,
    ShockStress,
    ShockStressKind,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasi {n}")
    slug = factory.Sequence(lambda n: f"organisasi-{n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sektor {n}")
    slug = factory.Sequence(lambda n: f"sektor-{n}")
    order = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Narasumber {n}")
    slug = factory.Sequence(lambda n: f"narasumber-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """Jakarta Berketahanan unless told otherwise: the site's programme."""

    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = "jakarta-berketahanan"
    name = "Jakarta Berketahanan"
    name_en = "Jakarta Berketahanan"
    city = "Jakarta"
    network = "100 Resilient Cities"
    start_year = 2018
    end_year = 2019
    secretariat = "Sekretariat Jakarta Berketahanan (Resilient Jakarta)"
    secretariat_en = "Jakarta Berketahanan (Resilient Jakarta) Secretariat"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ("programme", "number")

    programme = factory.SubFactory(ProgrammeFactory)

    number = factory.Sequence(lambda n: n + 10)
    title = factory.LazyAttribute(lambda o: f"Fokus utama {o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Focus area {o.number}")
    slug = factory.LazyAttribute(lambda o: f"fokus-{o.number}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)

    title = factory.Sequence(lambda n: f"Lokakarya Uji {n}")
    title_en = factory.Sequence(lambda n: f"Test Workshop {n}")
    slug = factory.Sequence(lambda n: f"lokakarya-uji-{n}")
    kind = EventKind.WORKSHOP
    start_date = factory.Sequence(lambda n: datetime.date(2019, 1, 1) + datetime.timedelta(days=n))
    status = EventStatus.PUBLISHED
    summary = "Ringkasan lokakarya."
    summary_en = "Summary of the workshop."


class EventOrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOrganiser

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganiserRole.ORGANISER
    order = factory.Sequence(lambda n: n + 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = SessionKind.PRESENTATION
    title = factory.Sequence(lambda n: f"Sesi {n}")
    title_en = factory.Sequence(lambda n: f"Session {n}")


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = AppearanceRole.PANELIST
    order = factory.Sequence(lambda n: n + 1)
    title_at_time = "Kepala Bidang"
    summary = "Pokok-pokok paparan."


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hazard
        django_get_or_create = ("slug",)

    kind = ShockStressKind.SHOCK
    name = factory.Sequence(lambda n: f"Guncangan {n}")
    name_en = factory.LazyAttribute(lambda o: f"Shock {o.name.split()[-1]}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ShockStressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShockStress

    event = factory.SubFactory(EventFactory)
    hazard = factory.SubFactory(HazardFactory)
    order = factory.Sequence(lambda n: n + 1)


class DiscussionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionGroup

    session = factory.SubFactory(SessionFactory, kind=SessionKind.GROUP_DISCUSSION)
    focus_area = factory.SubFactory(FocusAreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "Simpulan kelompok adalah:"


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    group = factory.SubFactory(DiscussionGroupFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Simpulan nomor {n}")
    text_en = factory.Sequence(lambda n: f"Conclusion number {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    event = factory.SubFactory(EventFactory)
    kind = DocumentKind.SLIDES
    title = factory.Sequence(lambda n: f"Paparan {n}")
    order = factory.Sequence(lambda n: n + 1)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    event = factory.SubFactory(EventFactory)
    caption = factory.Sequence(lambda n: f"Foto {n}")
    order = factory.Sequence(lambda n: n + 1)


# --- Follow-up (issue 12) -------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "follow_up.Plan"

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"rencana-uji-{n}")
    title = factory.Sequence(lambda n: f"Rencana Uji {n}")
    title_en = factory.Sequence(lambda n: f"Test Plan {n}")
    source_url = "https://example.org/rencana.pdf"


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "follow_up.PlanItem"

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Pilar uji {n}")
    title_en = factory.Sequence(lambda n: f"Test pillar {n}")
    source_url = "https://example.org/rencana.pdf"


class LinkFactory(factory.django.DjangoModelFactory):
    """A published link from a conclusion to a plan item (taken up)."""

    class Meta:
        model = "follow_up.Link"

    conclusion = factory.SubFactory(ConclusionFactory)
    kind = "taken_up"
    plan_item = factory.SubFactory(PlanItemFactory)
    date = datetime.date(2019, 6, 1)
    note = "Diambil dalam strategi."
    note_en = "Taken up in the strategy."
    source_url = "https://example.org/sumber"
    state = "published"


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "follow_up.StatusUpdate"

    item = factory.SubFactory(PlanItemFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    status = "started"
    note = "Sudah dimulai."
    note_en = "Has started."
    evidence_url = "https://example.org/bukti"
    state = "published"
