"""Read an admin change form's current values, as a browser would submit them."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._select = None
        self._select_first = None
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self._input(name, attrs)
        elif tag == "select" and name:
            self._select = name
            self._select_first = None
            self.data[name] = []
        elif tag == "option" and self._select:
            self._option(attrs)
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def _input(self, name, attrs):
        kind = attrs.get("type", "text")
        if kind in ("submit", "button", "image", "file"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", "on"))
            return
        self.data[name] = [attrs.get("value", "")]

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in attrs:
            self.data[self._select].append(value)

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            multiple_or_chosen = self.data[self._select]
            if not multiple_or_chosen and self._select_first is not None:
                self.data[self._select] = [self._select_first]
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea] = ["".join(self._text).lstrip("\n")]
            self._textarea = None


def form_data(html: str, form_id: str) -> dict:
    """{name: value or [values]} of the form, as a browser would send it."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data = {}
    for name, values in parser.data.items():
        data[name] = values[0] if len(values) == 1 else values
    return data
