"""Hypothesis fuzzing of every portal and console form (issue 13, item 7), beside the Graph
fuzz (tests/test_graph_fuzz.py) and schemathesis on the control API (tests/test_openapi.py).

Each example takes one form as its page shows it (tests/form_targets.py) and spoils it: hostile
text in its fields (NUL, lone surrogates, control characters, markup, 100,000 characters and
more than a form field may hold), repeated values, random extra fields, a missing or wrong CSRF
token, file parts, urlencoded or multipart. The bar: never a 5xx, and a refused post (any 4xx)
writes nothing — no scenario change, no journal event, no walk moved. A post that succeeds may
write; if it deleted what later examples need, the next one starts on a new tenant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from urllib3 import encode_multipart_formdata

from app import create_app
from app.store import db
from app.testing.database import fresh_database
from tests.form_targets import TARGETS, Console, Target

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\ud83d",  # half of an emoji
    "\u202e\u200b\ufeff",
    "\r\n\t\x7f\x1b[31m",
    "<script>alert(1)</script>",
    "</title><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%00%ED%A0%80",
]
_SURROGATE = re.compile("[\ud800-\udfff]")
hostile_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=30),
    st.text(st.characters(codec=None, categories=["Cc", "Cs", "Cf", "Co"]), max_size=8),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.sampled_from(["true", "false", "on", "1", "0", "null", "[]", "{}", "user", "device"]),
    # a long value, and one over Werkzeug's limit for a form field (a 413)
    st.sampled_from([100_000, 600_000]).map(lambda n: "x" * n),
)
field_names = st.one_of(
    st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
    st.sampled_from(["\x00", "\ud800", "a b", "<x>", 'a"b', "csrf_token[]", "é", ""]),
)
# What to do to a form, drawn apart from the form itself: its fields are only known once its
# page is read, and a walk's buttons change as it goes, so changes name fields by position.
spoilers = st.fixed_dictionaries(
    {
        "changes": st.lists(
            st.tuples(st.integers(0, 15), st.lists(hostile_text, max_size=3)), max_size=3
        ),
        "extra": st.dictionaries(field_names, hostile_text, max_size=2),
        "csrf": st.sampled_from(["keep", "keep", "drop", "garble", "twice"]),
        "multipart": st.booleans(),
        "files": st.lists(st.integers(0, 15), max_size=2),
    }
)


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator[Console]:
    """One app and tenant for every form's examples (a fresh app per form would cost more than
    its examples); a form whose page a post took away is found again on a new tenant."""
    with fresh_database(tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"})
        client = app.test_client()

        def new_tenant(scenario: dict) -> dict:
            response = client.post("/_sim/tenants", json=scenario)
            assert response.status_code == 201, response.get_data(as_text=True)
            return response.get_json()

        yield Console(app, client, new_tenant)
        with app.app_context():
            db.engine.dispose()


def encode(pairs: list[tuple[str, Any]], multipart: bool) -> tuple[bytes, str]:
    """A raw body (text as UTF-8, lone surrogates as the bytes a crafted client would send)."""
    if multipart:  # a name is a header parameter here: one that is no text is left out
        fields = [
            (name, value if isinstance(value, tuple) else value.encode("utf-8", "surrogatepass"))
            for name, value in pairs
            if not _SURROGATE.search(name)
        ]
        return encode_multipart_formdata(fields)
    body = "&".join(
        f"{quote(name.encode('utf-8', 'surrogatepass'))}="
        f"{quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in pairs
        if not isinstance(value, tuple)
    )
    return body.encode(), "application/x-www-form-urlencoded"


def spoil(fields: dict[str, list[str]], spoiler: dict[str, Any]) -> list[tuple[str, Any]]:
    """The form's own (name, value) pairs with the spoiler's changes applied."""
    own = sorted(n for n in fields if n != "csrf_token") or ["comment"]
    changed = {own[i % len(own)]: values for i, values in spoiler["changes"]}
    pairs = [(n, v) for n, values in {**fields, **changed}.items() for v in values]
    pairs += list(spoiler["extra"].items())
    token = fields.get("csrf_token", [""])[0]
    pairs = [(n, v) for n, v in pairs if n != "csrf_token"]
    if spoiler["csrf"] != "drop":
        pairs.insert(0, ("csrf_token", token if spoiler["csrf"] != "garble" else token[::-1]))
    if spoiler["csrf"] == "twice":
        pairs.append(("csrf_token", "not-the-token"))
    if spoiler["multipart"] and pairs:
        files = {pairs[i % len(pairs)][0] for i in spoiler["files"]}
        pairs = [(n, ("a.txt", b"<x>") if n in files else v) for n, v in pairs]
    return pairs


def shown(pairs: list[tuple]) -> list[tuple]:
    """The pairs for a failure message: long values cut short."""
    return [(n, v[:60] + "…" if isinstance(v, str) and len(v) > 60 else v) for n, v in pairs]


def check(console: Console, target: Target, action: str, pairs: list[tuple], multipart: bool):
    before = console.state()
    body, content_type = encode(pairs, multipart)
    response = console.client.post(action, data=body, content_type=content_type)
    assert response.status_code < 500, (shown(pairs), response.get_data(as_text=True))
    after = console.state()
    if response.status_code == 401 and target.view == "portal.sign_in":
        # a well-formed sign-in with a wrong password is journaled, and nothing else
        added = after[1][len(before[1]) :]
        assert after[0] == before[0] and after[2] == before[2]
        assert {event["type"] for event in added} <= {"portal.signInFailed"}
    elif response.status_code >= 400:
        assert after == before, (response.status_code, shown(pairs))


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.view)
@given(spoiler=spoilers)
def test_no_spoiled_form_gets_a_5xx_or_writes_when_refused(console, target, spoiler):
    form = console.form(target, retry=True)
    pairs = spoil(form.data(), spoiler)
    check(console, target, form.action, pairs, spoiler["multipart"])
