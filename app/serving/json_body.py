"""Graph's JSON response bodies written by orjson, byte for byte what Flask's encoder writes.

Encoding the body was a tenth of a Graph list's time (bench/throughput.py). For the values Graph
answers with — strings, integers, booleans, null, lists and objects in the order built; the
API keeps no floating-point property (app/graph/kept.py) — orjson writes the same compact JSON
as Flask's `json.dumps(separators=(",", ":"))`, except that it writes non-ASCII characters as
UTF-8 where Flask writes `\\uXXXX` escapes. Such a body (names with accents), and any value
orjson refuses (an integer beyond 64 bits, a key that is not a string), is written by Flask's
encoder instead. Dates and dataclasses go to Flask's `default` as before. One difference is
left, for floats only: below 1e-4 or from 1e16 on, orjson writes the same number in another
notation (`0.00001` for `1e-05`); Graph answers carry none, and the other faces, which might,
keep Flask's encoder.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, has_request_context, request
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
GRAPH = "graph"  # the Graph blueprint's registrations: graph, graph_t, graph_v1, graph_v1_t
# Other answers of strings, integers, booleans and null only: the control API's decision trace,
# which lists every profile of the tenant (bench/scale.py holds it flat as the tenant grows).
OTHERS = frozenset({"control.resolve"})


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with orjson for the Graph API's response bodies (and `OTHERS`)."""

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if not _compact_graph_answer(self):
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        body = encode(obj, self.default, sort_keys=self.sort_keys)
        if body is None:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


def _compact_graph_answer(provider: DefaultJSONProvider) -> bool:
    if (provider.compact is None and provider._app.debug) or provider.compact is False:
        return False  # indented for people: Flask's own
    if not has_request_context():
        return False
    return (request.blueprint or "").startswith(GRAPH) or request.endpoint in OTHERS


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
