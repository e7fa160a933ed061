"""`$filter` as the simulator reads it: bounded first (app.graph.filter_bounds), then parsed by the
grammar (app.graph.query.grammar), then checked against where Graph allows each function.

Nothing is half-understood: every operator, function, lambda and literal of the spec is evaluated,
in SQL or in memory, and anything else is a 400 that says so.
"""

from __future__ import annotations

from app.graph.errors import GraphError
from app.graph.filter_bounds import check_filter_bounds
from app.graph.query.grammar import parse
from app.graph.query.nodes import Call, Node, walk


def parse_filter(text: str) -> Node:
    """The tree of a `$filter`, after the bounds that keep any filter from nesting too deep."""
    check_filter_bounds(text)
    return parse(text)


def check_advanced(node: Node, advanced: bool) -> None:
    """On directory objects Graph evaluates `endswith` only as an advanced query
    (`ConsistencyLevel: eventual` and `$count=true`); without them it is refused."""
    if advanced:
        return
    if any(isinstance(n, Call) and n.name == "endswith" for n in walk(node)):
        raise GraphError(
            400,
            "Operator 'endsWith' is not supported because the required parameters might be "
            "missing. Try adding $count with a value of true and set the ConsistencyLevel header "
            "to eventual.",
            code="Request_UnsupportedQuery",
        )
