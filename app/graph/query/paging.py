"""Server paging as Graph pages: `@odata.nextLink` carrying an opaque `$skiptoken`.

In the default order the token holds the last row's key (keyset: the next page is an index range
scan, whatever the page number); under `$orderby` it holds an offset. Either way it is checked on
the way back in: a forged or foreign token is a 400 saying to use the link the last page gave.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import request
from sqlalchemy import and_, or_

from app.graph.errors import bad_request

MAX_TOKEN = 1024


def bad_token() -> Exception:
    return bad_request("Invalid $skiptoken: use the @odata.nextLink the previous page gave.")


def encode(state: dict[str, Any]) -> str:
    text = json.dumps(state, separators=(",", ":"), default=_tagged)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    raise TypeError(type(value).__name__)


def decode(token: str) -> dict[str, Any]:
    """The state a token carries; a 400 for anything this simulator did not write."""
    if len(token) > MAX_TOKEN:
        raise bad_token()
    try:
        state = json.loads(base64.urlsafe_b64decode(token.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_token() from None
    if not isinstance(state, dict):
        raise bad_token()
    return state


def offset_of(state: dict[str, Any]) -> int:
    offset = state.get("o")
    if type(offset) is not int or offset < 0:
        raise bad_token()
    return offset


def key_of(state: dict[str, Any], width: int) -> list[Any]:
    key = state.get("k")
    if not isinstance(key, list) or len(key) != width:
        raise bad_token()
    values = []
    for value in key:
        if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
            try:
                value = datetime.fromisoformat(value["t"])
            except ValueError:
                raise bad_token() from None
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            raise bad_token()
        values.append(value)
    return values


def after(columns: tuple[Any, ...], values: list[Any]):
    """Rows after `values` in the ascending order of `columns` (a keyset condition)."""
    parts = []
    for index, column in enumerate(columns):
        equal = [columns[i] == values[i] for i in range(index)]
        parts.append(and_(*equal, column > values[index]))
    # The leading `>=` lets the database start the index range at the key instead of scanning.
    return and_(columns[0] >= values[0], or_(*parts))


def next_link(state: dict[str, Any], drop: tuple[str, ...] = ("$skip",)) -> str:
    """This URL again with the token of the next page (other query options kept)."""
    args = [
        (k, v)
        for k, v in request.args.items(multi=True)
        if k not in ("$skiptoken", "$deltatoken", *drop)
    ]
    args.append(("$skiptoken", encode(state)))
    return f"{request.base_url}?{urlencode(args, safe='$')}"
