"""Every form of the portal and the console (tests/form_targets.py) refuses what no text field
takes, with a 400 that writes nothing: a file part in any field (issue 13: a 500 in the portal
sign-in and 11 console forms) and a lone surrogate, percent-encoded as a crafted post would."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest

from tests.admin_helpers import text
from tests.form_targets import TARGETS, Console, Target


@pytest.fixture
def console(app, client, new_tenant) -> Console:
    return Console(app, client, new_tenant)


def test_the_form_list_names_every_post_view_of_the_portal_and_the_console(app):
    posting = {
        f"{rule.endpoint.split('.')[0].removesuffix('_t')}.{rule.endpoint.split('.')[1]}"
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and rule.endpoint.split(".")[0] in ("admin", "admin_t", "portal", "portal_t")
    }
    assert posting == {target.view for target in TARGETS}


def post_file_part(console: Console, target: Target, name: str):
    form = console.form(target)  # a fresh token each time, as a browser would have
    upload = (io.BytesIO(b"<script>x</script>"), "a.txt")
    data: dict[str, Any] = {n: list(values) for n, values in form.data().items()}
    data[name] = upload
    return console.client.post(form.action, data=data, content_type="multipart/form-data")


def post_surrogate(console: Console, target: Target, name: str, surrogate: str):
    """The form as its page fills it, with `a<surrogate>b` in `name` (added if the form has
    no such field)."""
    form = console.form(target)
    pairs = [(n, v) for n, values in form.data().items() for v in values]
    if name not in form.data():
        pairs.append((name, ""))
    body = "&".join(f"{quote(n)}={f'a{surrogate}b' if n == name else quote(v)}" for n, v in pairs)
    return console.client.post(
        form.action, data=body, content_type="application/x-www-form-urlencoded"
    )


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.view)
def test_file_parts_and_lone_surrogates_in_any_form_are_400s_that_write_nothing(console, target):
    """The issue counted the portal sign-in and 11 console forms; this is every form and every
    field a user types into (a form with none gets an extra field). A browser never sends a
    lone surrogate (it sends U+FFFD); a crafted post percent-encodes its UTF-8 bytes, which
    Werkzeug would have kept as the literal text `%ED%A0%80`."""
    form = console.form(target)
    before = console.state()
    typed = form.text_fields or [n for n in form.data() if n != "csrf_token"] or ["comment"]
    for name in form.text_fields or ["comment"]:
        response = post_file_part(console, target, name)
        assert response.status_code == 400, (name, response.status_code)
        assert f"Form field &#39;{name}&#39; is a file upload" in text(response) or (
            f"Form field '{name}' is a file upload" in text(response)
        )
    for i, name in enumerate(typed):
        surrogate = ("%ED%A0%80", "%ed%bf%bf")[i % 2]  # a high one and a low one
        response = post_surrogate(console, target, name, surrogate)
        assert response.status_code == 400, (name, response.status_code)
        assert "lone UTF-16 surrogate" in text(response), name
    assert console.state() == before


def test_the_import_form_still_takes_its_csv_file(console):
    form = console.form(next(t for t in TARGETS if t.view == "admin.identifier_import"))
    upload = (io.BytesIO(b"F2LXC0RP0077,from a file\n"), "ids.csv")
    data = {**form.data(), "csv_file": upload, "csv_text": ""}
    response = console.client.post(form.action, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "F2LXC0RP0077" in str(console.state()[0]["corporateIdentifiers"])
