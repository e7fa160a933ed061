"""The POST forms of a page as a browser would submit them: each form's action and its fields
with the values the page put in them (a checked radio, a selected option, a textarea's text).

The form tests post what the page offers, then change one field: so a new field or a renamed one
is fuzzed without anyone listing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Inputs whose value a user types: where hostile text goes.
TEXT_TYPES = {"text", "password", "email", "search", "url", "tel", "date", "number", ""}


@dataclass
class Form:
    action: str  # the path the form posts to
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    text_fields: list[str] = field(default_factory=list)  # typed into: inputs and textareas
    choice_fields: list[str] = field(default_factory=list)  # selects, radios, checkboxes
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def data(self) -> dict[str, list[str]]:
        """The values a browser would send (with the first named button pressed)."""
        out: dict[str, list[str]] = {}
        for name, value in [*self.fields, *self.buttons[:1]]:
            out.setdefault(name, []).append(value)
        return out


class _FormParser(HTMLParser):
    """Collects forms; a control outside any form joins the one its `form=` attribute names."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}  # forms by id, made early when a control names one
        self.form: Form | None = None  # the <form> being read
        self.target: Form | None = None  # the form the current select or textarea belongs to
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.textarea_text: list[str] = []

    def _named(self, form_id: str) -> Form:
        return self.by_id.setdefault(form_id, Form(action="", multipart=False))

    def _open_form(self, a: dict[str, str]) -> None:
        if a.get("method", "get").lower() != "post":
            return
        form = self._named(a["id"]) if a.get("id") else Form(action="", multipart=False)
        form.action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
        form.multipart = a.get("enctype") == "multipart/form-data"
        self.form = form

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open_form(a)
            return
        form = self._named(a["form"]) if a.get("form") else self.form
        if tag == "option" and self.select and self.target:
            self._option(self.target, a)
        if form is None or "disabled" in a or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            self._input(form, name, a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self.target, self.select, self.select_first, self.select_chosen = (
                form,
                name,
                None,
                False,
            )
            form.choice_fields.append(name)
        elif tag == "textarea":
            self.target, self.textarea, self.textarea_text = form, name, []

    def _input(self, form: Form, name: str, a: dict[str, str]) -> None:
        kind = a.get("type", "").lower()
        if kind in ("radio", "checkbox"):
            if name not in form.choice_fields:
                form.choice_fields.append(name)
            if "checked" in a:
                form.fields.append((name, a.get("value", "on")))
        elif kind == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif kind != "file":
            form.fields.append((name, a.get("value", "")))
            if kind in TEXT_TYPES:
                form.text_fields.append(name)

    def _option(self, form: Form, a: dict[str, str]) -> None:
        value = a.get("value", "")
        if self.select_first is None:
            self.select_first = value
        if "selected" in a and not self.select_chosen:
            form.fields.append((self.select or "", value))
            self.select_chosen = True

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select" and self.select and self.target:
            if not self.select_chosen and self.select_first is not None:
                self.target.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.target:
            text = "".join(self.textarea_text).removeprefix("\n")
            self.target.fields.append((self.textarea, text))
            self.target.text_fields.append(self.textarea)
            self.textarea = None


def post_forms(html: str, page_url: str) -> list[Form]:
    """Every `method="post"` form of the page, in page order."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, page_url: str, action: str) -> Form:
    """The page's form that posts to `action`; one ending in `*` matches a prefix."""
    forms = post_forms(html, page_url)
    for form in forms:
        if form.action == action or (action.endswith("*") and form.action.startswith(action[:-1])):
            return form
    raise AssertionError(f"No form posts to {action} on {page_url}: {[f.action for f in forms]}")
