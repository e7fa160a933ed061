"""Input no database can store: the NUL character.

SQLite keeps a NUL (U+0000) inside text; PostgreSQL refuses it in every text column and even in
a query parameter, so a name or a URL with one would end in a 500 there. No field of the simulator
has any use for it: every face refuses it up front with a 400 that says where it was, the same on
both databases.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request

NUL = "\x00"


def nul_location(value: Any, where: str = "") -> str | None:
    """The path of the first string (or mapping key) holding a NUL, like `users[0].upn`; or None."""
    if isinstance(value, str):
        return (where or "(value)") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and NUL in key:
                return path
            found = nul_location(item, path)
            if found:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = nul_location(item, f"{where}[{index}]")
            if found:
                return found
    return None


def nul_message(where: str) -> str:
    where = where.replace(NUL, "\\u0000")
    return f"{where}: contains a NUL character (\\u0000), which no field accepts."


def _refuse_nul() -> None:
    if NUL in request.path:
        abort(400, description=nul_message("The URL path"))
    for name, values in request.args.lists():
        if NUL in name or any(NUL in value for value in values):
            abort(400, description=nul_message(f"Query parameter '{name}'"))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.form.lists():
            if NUL in name or any(NUL in value for value in values):
                abort(400, description=nul_message(f"Form field '{name}'"))
    if request.is_json:
        found = nul_location(request.get_json(silent=True))
        if found:
            abort(400, description=nul_message(f"The JSON body at {found}"))


def register(app: Flask) -> None:
    app.before_request(_refuse_nul)
