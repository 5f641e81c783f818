"""Translated fields (django-modeltranslation); see workshops/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from focus_areas.models import Conclusion, DiscussionGroup, FocusArea


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("title", "description")


@register(DiscussionGroup)
class DiscussionGroupTranslation(TranslationOptions):
    fields = ("summary",)


@register(Conclusion)
class ConclusionTranslation(TranslationOptions):
    fields = ("text",)
