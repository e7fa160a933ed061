"""Input no field accepts, refused on every face before any view reads it.

- Text no database can store: a NUL (U+0000) — SQLite keeps it, PostgreSQL refuses it in every
  text column and even in a query parameter — and a lone UTF-16 surrogate (a JSON `"\\ud800"`
  without its pair), which is not text at all: it cannot be encoded as UTF-8, so storing it or
  writing it into a page would end in a 500. No field of the simulator has any use for either.
- Percent-escapes (in the path, the query or a urlencoded form) that decode to no UTF-8 text:
  Werkzeug would keep `%ED%A0%80` (an encoded lone surrogate) or `%FF` as that literal text, or
  drop a whole form holding a raw non-UTF-8 byte. A browser never sends either (it sends U+FFFD
  for a lone surrogate); the same goes for a multipart part, which Werkzeug reads as U+FFFD.
- A file part where a form wants text: only the views marked `accepts_files(...)` take uploads.
- A body larger than MAX_CONTENT_LENGTH (ENROLLSIM_MAX_REQUEST_BYTES): a 413 before it is read.

Each is a 4xx that says what and where, in the face's own error format (each face's error
handler renders the abort), the same on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

NUL = "\x00"
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
F = TypeVar("F", bound=Callable[..., Any])


def text_problem(text: str) -> str | None:
    """Why this text cannot be stored (a NUL or a lone surrogate), or None when it can."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    if found.group() == NUL:
        return "contains a NUL character (\\u0000), which no field accepts."
    return (
        f"contains a lone UTF-16 surrogate (\\u{ord(found.group()):04x}) without its pair, "
        "which is not text."
    )


def bad_text_location(value: Any, where: str = "") -> tuple[str, str] | None:
    """(path, problem) of the first string or mapping key that cannot be stored, like
    `users[0].upn`; or None.

    Walks with a stack of its own, not recursion: a body may nest as deep as the JSON parser allows.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return path or "(value)", problem
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    return child_path, problem
                children.append((child, child_path))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(c, f"{path}[{i}]") for i, c in enumerate(item)]))
    return None


def bad_text_message(where: str, problem: str) -> str:
    """`where: problem`, with the bad characters of `where` itself written as escapes."""
    shown = _BAD_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", where)
    return f"{shown}: {problem}"


def accepts_files(*names: str) -> Callable[[F], F]:
    """Mark a view whose form takes file uploads in these fields; every other file part is a 400."""

    def mark(view: F) -> F:
        view.accepted_files = frozenset(names)  # type: ignore[attr-defined]
        return view

    return mark


def _refuse(where: str, texts: list[str]) -> None:
    for text in texts:
        problem = text_problem(text)
        if problem:
            abort(400, description=bad_text_message(where, problem))


def _decoded(raw: bytes) -> tuple[str | None, str]:
    """(text, "") when `raw` is UTF-8 (a lone surrogate kept, for text_problem to name), else
    (None, why)."""
    try:
        return raw.decode("utf-8", "surrogatepass"), ""
    except UnicodeDecodeError as exc:
        return None, f"is not UTF-8 text (byte {exc.start + 1} of its decoded value)."


def _raw_path() -> bytes:
    """The path's bytes as the client sent them: Werkzeug's server and test client decode
    PATH_INFO with U+FFFD for bad escapes, so read the raw request URI where the server keeps it
    (Werkzeug, gunicorn, uWSGI and mod_wsgi all do)."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return unquote_to_bytes(urlsplit(raw.encode("latin-1", "replace")).path)
    return environ.get("PATH_INFO", "").encode("latin-1", "replace")


def _refuse_undecodable(where: str, encoded: bytes) -> None:
    """Refuse a query string or urlencoded body whose escapes decode to no UTF-8 text."""
    if b"%" not in encoded and encoded.isascii():
        return
    # latin-1 keeps every byte as one character, so the pairs can be re-read as bytes
    for name, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True,
                                 encoding="latin-1"):  # fmt: skip
        shown = name.encode("latin-1").decode("utf-8", "replace")
        for part in (name, value):
            text, why = _decoded(part.encode("latin-1"))
            problem = why or text_problem(text or "")
            if problem:
                abort(400, description=bad_text_message(f"{where} '{shown}'", problem))


def _check_size() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413, description=too_large_message(limit))


def too_large_message(limit: int) -> str:
    given = f"{request.content_length:,} bytes" if request.content_length else "larger"
    return (
        f"The request body is {given}; this server accepts at most {limit:,} bytes "
        "(ENROLLSIM_MAX_REQUEST_BYTES)."
    )


def _check_files() -> None:
    if not request.files:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    accepted = getattr(view, "accepted_files", frozenset())
    for name in request.files:
        if name not in accepted:
            abort(
                400,
                description=f"Form field '{name}' is a file upload; this field takes text only.",
            )


def _check_body() -> None:
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw = request.get_data(cache=True)  # parse the form from a kept copy: a JSON API sees it
        if request.mimetype == "application/x-www-form-urlencoded":
            _refuse_undecodable("Form field", raw)
        for name, values in request.form.lists():
            _refuse(f"Form field '{name}'", [name, *values])
        _check_files()
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested too deep: the view says so in its own words
            return
        found = bad_text_location(body)
        if found:
            abort(400, description=bad_text_message(f"The JSON body at {found[0]}", found[1]))


def _refuse_bad_input() -> None:
    _check_size()
    _refuse("The URL path", [request.path])
    path, why = _decoded(_raw_path())
    if why or text_problem(path or ""):
        abort(400, description=bad_text_message("The URL path", why or text_problem(path or "")))
    _refuse_undecodable("Query parameter", request.query_string)
    for name, values in request.args.lists():
        _refuse(f"Query parameter '{name}'", [name, *values])
    try:
        _check_body()
    except RequestEntityTooLarge as exc:  # sent without Content-Length, or one huge form field
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is None and limit is not None:
            abort(413, description=too_large_message(limit))
        abort(413, description=f"A form field is too large: {exc.description}")


def register(app: Flask) -> None:
    app.before_request(_refuse_bad_input)
