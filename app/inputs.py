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
    """The path of the first string (or mapping key) holding a NUL, like `users[0].upn`; or None.

    Walks with a stack of its own, not recursion: a body may nest as deep as the JSON parser allows.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path or "(value)"
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and NUL in key:
                    return child_path
                children.append((child, child_path))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(c, f"{path}[{i}]") for i, c in enumerate(item)]))
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
        request.get_data(cache=True)  # parse the form from a kept copy: a JSON API still sees it
        for name, values in request.form.lists():
            if NUL in name or any(NUL in value for value in values):
                abort(400, description=nul_message(f"Form field '{name}'"))
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested too deep: the view says so in its own words
            return
        found = nul_location(body)
        if found:
            abort(400, description=nul_message(f"The JSON body at {found}"))


def register(app: Flask) -> None:
    app.before_request(_refuse_nul)
