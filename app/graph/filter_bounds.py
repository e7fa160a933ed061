"""How big a `$filter` the simulator reads, checked before it is parsed, on every collection.

OData's .NET server library (the one Graph runs on) refuses a filter of more than 100 nodes by
default (`ODataValidationSettings.MaxNodeCount`), and Graph refuses URLs much past 2,048
characters; the simulator bounds the same way, so no filter can nest deep enough to exhaust the
parser's stack: a 400 that says which bound, never a 500. Quoted strings are data, not structure:
parentheses and keywords inside them do not count.
"""

from __future__ import annotations

import re

from app.graph.errors import bad_request

MAX_FILTER_LENGTH = 2048
MAX_FILTER_DEPTH = 32  # parentheses inside parentheses
MAX_FILTER_OPERATORS = 100  # and, or, not, eq, ne, function calls

_STRING = re.compile(r"'(?:[^']|'')*'?")
_OPERATOR = re.compile(r"\b(?:and|or|not|eq|ne|gt|ge|lt|le|has|in)\b|\w+\s*\(", re.IGNORECASE)


def check_filter_bounds(text: str) -> None:
    """A 400 when `$filter` is longer, nests deeper or holds more operators than the bounds."""
    if len(text) > MAX_FILTER_LENGTH:
        raise bad_request(
            f"Invalid $filter: it is {len(text):,} characters long; the simulator reads at most "
            f"{MAX_FILTER_LENGTH:,}."
        )
    structure = _STRING.sub("''", text)
    depth = deepest = 0
    for character in structure:
        if character == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif character == ")":
            depth -= 1
    if deepest > MAX_FILTER_DEPTH:
        raise bad_request(
            f"Invalid $filter: parentheses nest {deepest} deep; the simulator reads at most "
            f"{MAX_FILTER_DEPTH}."
        )
    operators = len(_OPERATOR.findall(structure))
    if operators > MAX_FILTER_OPERATORS:
        raise bad_request(
            f"Invalid $filter: it holds {operators} operators and function calls; the simulator "
            f"reads at most {MAX_FILTER_OPERATORS}."
        )
