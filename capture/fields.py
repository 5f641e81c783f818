"""Form fields of captured text, shared by the rapporteur's page and the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from capture.services import MAX_AUTHOR_CHARS, MAX_TEXT_CHARS, clean_author, clean_text


class AuthorField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Written by (your name)"))
        kwargs.setdefault("max_length", MAX_AUTHOR_CHARS)
        kwargs.setdefault(
            "error_messages", {"required": _("Type your name, so others know who wrote it.")}
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean(clean_author(value or ""))


class TextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT_CHARS)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("error_messages", {"required": _("Write the text of the point.")})
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean(clean_text(value or ""))
