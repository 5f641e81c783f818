import html

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from workshops.models import EventKind

SEARCH_MAX_LENGTH = 200


class OptionsChoiceField(forms.ChoiceField):
    """A choice field for long lists of plain (value, label) pairs: a value is checked
    in a set, and the options are written as HTML in one pass (`options_html`, shown by
    templates/includes/filter_form.html), rather than through Django's per-choice
    normalising, checking and widget rendering, which cost milliseconds for the
    hundreds of events of the follow-up list."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        # Not on the widget: the template writes the options (render_options).
        self._choices = [(str(key), str(label)) for key, label in value]
        self._values = {key for key, _label in self._choices}

    def valid_value(self, value):
        return str(value) in self._values

    def render_options(self, current):
        # html.escape: what django.utils.html.escape() does to a str, without its lazy
        # and safe-string wrapping, hundreds of times a page.
        return mark_safe(  # every value and label is escaped here
            "".join(
                f'<option value="{html.escape(key)}"{" selected" if key == current else ""}>'
                f"{html.escape(label)}</option>"
                for key, label in self._choices
            )
        )


def _write_options(form):
    """Each OptionsChoiceField's options as HTML, the submitted value selected."""
    for name, field in form.fields.items():
        current = str(form.data.get(name, "")) if form.is_bound else ""
        field.options_html = field.render_options(current)


def _optional_int(value):
    return int(value) if value else None


class EventFilterForm(forms.Form):
    """Filters of the event list. Every value is optional; a bad one is reported, not
    fatal. Written by templates/includes/filter_form.html (not crispy-forms: cheaper)."""

    year = OptionsChoiceField(label=_("Year"), required=False)
    kind = OptionsChoiceField(label=_("Kind"), required=False)
    focus_area = OptionsChoiceField(label=_("Focus area"), required=False)

    def __init__(self, *args, years=(), focus_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["kind"].choices = [("", _("All kinds")), *EventKind.choices]
        # The focus areas are already loaded by the view; reuse them.
        self.fields["focus_area"].choices = [("", _("All focus areas"))] + [
            (area.number, f"{area.number}. {area.title}") for area in focus_areas
        ]
        _write_options(self)

    def clean_year(self):
        return _optional_int(self.cleaned_data["year"])

    def clean_focus_area(self):
        return _optional_int(self.cleaned_data["focus_area"])


class FollowUpFilterForm(forms.Form):
    """Filters of the follow-up list: focus area, event, outcome, lead organisation."""

    focus_area = OptionsChoiceField(label=_("Focus area"), required=False)
    event = OptionsChoiceField(label=_("Event"), required=False)
    status = OptionsChoiceField(label=_("Outcome"), required=False)
    lead = OptionsChoiceField(label=_("Lead organisation"), required=False)

    def __init__(self, *args, focus_areas=(), events=(), leads=(), outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        english = get_language() == "en"
        self.fields["focus_area"].choices = [("", _("All focus areas"))] + [
            (area.number, f"{area.number}. {area.title}") for area in focus_areas
        ]
        self.fields["event"].choices = [("", _("All events"))] + [
            (slug, f"{(english and title_en) or title_ind} ({day.isoformat()})")
            for slug, title_ind, title_en, day in events
        ]
        self.fields["status"].choices = [("", _("Any outcome")), *outcomes]
        self.fields["lead"].choices = [("", _("Any lead organisation"))] + [
            (slug, (english and name_en) or name_ind) for slug, name_ind, name_en in leads
        ]
        _write_options(self)

    def clean_focus_area(self):
        return _optional_int(self.cleaned_data["focus_area"])


class SearchForm(forms.Form):
    """Rendered by templates/includes/search_form.html (not crispy-forms: cheaper)."""

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
