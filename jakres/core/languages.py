"""The two content languages and where django-modeltranslation keeps each one."""

from django.conf import settings

LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)  # ("id", "en"): source first

# modeltranslation names the Indonesian column "<field>_ind", because "<field>_id"
# would clash with Django's foreign-key columns.
_SUFFIX = {"id": "ind"}


def column(field: str, language: str) -> str:
    """The attribute that holds `field` in `language`, e.g. ("title", "id") → "title_ind"."""
    return f"{field}_{_SUFFIX.get(language, language)}"


def both(obj, field) -> dict:
    """{"id": …, "en": …} of a translated field; "" where a language has no text."""
    return {language: getattr(obj, column(field, language)) or "" for language in LANGUAGES}
