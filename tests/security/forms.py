"""Read a page's edit form the way a browser submits it: every field with its current value (html.parser)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Inputs a person types text into; the suite puts its hostile texts in each.
TYPED = {"text", "email", "url", "tel", "search", "number", "date", "time", "datetime-local", ""}
NOT_OURS = ("/konto/wyloguj/", "/i18n/setlang/", "/szukaj/")


@dataclass
class Form:
    action: str
    data: dict = field(default_factory=dict)  # name -> value or [values]
    typed: list = field(default_factory=list)  # names of text inputs and textareas, in order
    files: list = field(default_factory=list)
    buttons: dict = field(default_factory=dict)  # name -> [values] of the submit buttons


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self.form = Form(action=attributes.get("action", ""))
            self.forms.append(self.form)
        if self.form is None or tag not in ("input", "textarea", "select", "option", "button"):
            return
        data = self.form.data
        if tag == "input" and name:
            kind = attributes.get("type", "").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    data.setdefault(name, []).append(attributes.get("value", "on"))
            elif kind == "file":
                self.form.files.append(name)
            elif kind == "submit":
                self.form.buttons.setdefault(name, []).append(attributes.get("value", ""))
            else:
                data[name] = attributes.get("value", "")
                if kind in TYPED:
                    self.form.typed.append(name)
        elif tag == "textarea" and name:
            self.textarea = name
            data[name] = ""
            self.form.typed.append(name)
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes)
            data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attributes:
            data[self.select[0]].append(attributes.get("value", ""))
        elif tag == "button" and name and attributes.get("type", "submit") == "submit":
            self.form.buttons.setdefault(name, []).append(attributes.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.form.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def edit_form(html):
    """The page's main POST form (not the sign-out, language or search forms): the one with the most fields."""
    reader = _Reader()
    reader.feed(html)
    forms = [form for form in reader.forms if not form.action.startswith(NOT_OURS)]
    if not forms:
        return None
    form = max(forms, key=lambda form: len(form.data) + len(form.files))
    for name, values in list(form.data.items()):
        if isinstance(values, list) and len(values) == 1:
            form.data[name] = values[0]
    # A textarea's first new line belongs to the markup, not to the text.
    for name in form.typed:
        if isinstance(form.data.get(name), str) and form.data[name].startswith("\n"):
            form.data[name] = form.data[name][1:]
    return form
