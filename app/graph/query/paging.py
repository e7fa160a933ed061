"""Server paging as Graph pages: `@odata.nextLink` carrying an opaque `$skiptoken`.

In the default order the token holds the last row's key (keyset: the next page is an index range
scan, whatever the page number); under `$orderby` it holds an offset. Tokens are signed with the
app's secret, so a forged or foreign one is a 400 saying to use the link the last page gave, and
no value a client made up ever reaches a query.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, or_

from app.graph.errors import bad_request

MAX_TOKEN = 1024


def bad_token(option: str = "$skiptoken") -> Exception:
    link = "@odata.deltaLink" if option == "$deltatoken" else "@odata.nextLink"
    return bad_request(f"Invalid {option}: use the {link} the previous page gave.")


def _signer() -> URLSafeSerializer:
    return _signer_for(current_app.secret_key)


@lru_cache(maxsize=8)
def _signer_for(secret_key: str | bytes) -> URLSafeSerializer:
    """One serializer per key, built once: every page of a list signs a token."""
    return URLSafeSerializer(secret_key, salt="graph-page-token")


def encode(state: dict[str, Any]) -> str:
    return _signer().dumps(_tagged(state))


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dict):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    return value


def decode(token: str, option: str = "$skiptoken") -> dict[str, Any]:
    """The state a token carries; a 400 for anything this simulator did not write."""
    if len(token) > MAX_TOKEN:
        raise bad_token(option)
    try:
        state = _signer().loads(token)
    except BadData:
        raise bad_token(option) from None
    if not isinstance(state, dict):
        raise bad_token(option)
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
