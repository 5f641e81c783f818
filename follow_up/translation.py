"""Translated fields of the follow-up (Indonesian `_ind`, English `_en`)."""

from modeltranslation.translator import TranslationOptions, register

from follow_up.models import Link, Plan, PlanItem, StatusUpdate


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "date_note", "description", "source_note")


@register(PlanItem)
class PlanItemTranslation(TranslationOptions):
    fields = ("title", "description", "source_note")


@register(Link)
class LinkTranslation(TranslationOptions):
    fields = ("note",)


@register(StatusUpdate)
class StatusUpdateTranslation(TranslationOptions):
    fields = ("note",)
