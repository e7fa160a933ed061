"""JSON response bodies written by orjson, byte for byte what Flask's own encoder writes.

Encoding the body was a tenth of a Graph list's time (bench/throughput.py). orjson writes the
same compact JSON as `json.dumps(separators=(",", ":"))` for the values the app returns, except
that it writes non-ASCII characters as UTF-8 where Flask writes `\\uXXXX` escapes; such a body
(rare: names with accents), and any value orjson refuses (an int beyond 64 bits, non-string
keys), is written by Flask's encoder instead, so every answer keeps its exact bytes. Dates and
dataclasses go to Flask's `default` as before (orjson's own ISO dates would differ)."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson for response bodies; `dumps` and `loads` unchanged."""

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)  # indented for people: Flask's own
        obj = self._prepare_response_obj(args, kwargs)
        body = encode(obj, self.default, sort_keys=self.sort_keys)
        if body is None:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


def encode(obj: Any, default: Any, *, sort_keys: bool = False) -> bytes | None:
    """The compact JSON of `obj` and a newline, as Flask writes it; None where only Flask's
    encoder writes the same bytes."""
    try:
        body = orjson.dumps(
            obj, default=default, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
        )
    except (orjson.JSONEncodeError, TypeError):
        return None
    return body + b"\n" if body.isascii() else None
