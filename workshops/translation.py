"""Translated fields (django-modeltranslation).

Each field below gets an `_id` (Indonesian, the source) and an `_en` column on
the same table, so a page reads both languages without extra joins or queries.
"""

from modeltranslation.translator import TranslationOptions, register

from workshops.models import (
    Appearance,
    Document,
    Event,
    Hazard,
    Organisation,
    Person,
    Photo,
    Programme,
    ProgrammePhase,
    Sector,
    Session,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("honorific",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = (
        "title",
        "subtitle",
        "topic",
        "schedule_note",
        "venue",
        "programme_phase",
        "purpose",
        "summary",
        "feeds_into",
    )


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Appearance)
class AppearanceTranslation(TranslationOptions):
    fields = ("title_at_time", "additional_title_at_time", "summary")


@register(Hazard)
class HazardTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "attribution_note")


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption",)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "secretariat", "introduction")


@register(ProgrammePhase)
class ProgrammePhaseTranslation(TranslationOptions):
    fields = ("name", "description")
