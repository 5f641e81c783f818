from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.models import EventKind

SEARCH_MAX_LENGTH = 200


class EventFilterForm(forms.Form):
    """Filters of the event list. Every value is optional; a bad one is reported, not fatal."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    focus_area = forms.TypedChoiceField(
        label=_("Focus area"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years=(), focus_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["kind"].choices = [("", _("All kinds")), *EventKind.choices]
        # The focus areas are already loaded by the view; reuse them.
        self.fields["focus_area"].choices = [("", _("All focus areas"))] + [
            (area.number, f"{area.number}. {area.title}") for area in focus_areas
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "filter-form"
        # A <button> without a name: it adds nothing to the query string.
        self.helper.layout = Layout(
            "year",
            "kind",
            "focus_area",
            StrictButton(_("Filter"), type="submit", css_class="btn-primary"),
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the proceedings"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Please use at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "search-form"
        self.helper.layout = Layout(
            "q", StrictButton(_("Search"), type="submit", css_class="btn-primary")
        )
