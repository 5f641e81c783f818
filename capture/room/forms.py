"""The rapporteur's forms (django-crispy-forms renders them, Bootstrap 5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from capture.fields import AuthorField, TextField


class NameForm(forms.Form):
    author = AuthorField()


class PointForm(forms.Form):
    """Add a point, or (with a parent) a sub-point under one."""

    text = TextField(label=_("Conclusion"))
    author = AuthorField()
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, known_author="", sub_point=False, **kwargs):
        super().__init__(*args, **kwargs)
        if sub_point:
            self.fields["text"].label = _("Sub-point")
        if known_author:
            self.fields["author"].widget = forms.HiddenInput()
            self.initial.setdefault("author", known_author)


class EditForm(PointForm):
    """Change a point's text; `base_version` is the version the change starts from."""

    point = forms.IntegerField(widget=forms.HiddenInput)
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    """Move, remove or restore a point (the buttons)."""

    point = forms.IntegerField()
    author = AuthorField(
        error_messages={"required": _("Type your name at the top of the page first.")}
    )
    base_version = forms.IntegerField(required=False)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    position = forms.IntegerField(required=False, min_value=1, max_value=10_000)
