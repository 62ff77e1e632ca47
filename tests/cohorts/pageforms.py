"""Read a form the way a browser sends it: the fields a page renders, with their values."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = False
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = True
            self.fields = {}
            self.forms.append(self.fields)
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in attrs:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.fields[self._textarea] += data.removeprefix("\n") \
                if not self.fields[self._textarea] else data


def form_fields(html: str, containing: str) -> dict[str, str]:
    """The fields of the page's first form with a field named `containing`, with the
    values a browser would submit."""
    reader = _FormReader()
    reader.feed(html)
    found = next((f for f in reader.forms if containing in f), None)
    assert found is not None, f"the page has no form with a field {containing!r}"
    return found
