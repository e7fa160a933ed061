"""The system query options of a request, read once and checked: `$select`, `$expand` (with a
nested `$select`), `$orderby`, `$top`, `$count` and the `ConsistencyLevel` header that decides
whether a directory collection counts at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask import request
from lark import Lark, Transformer
from lark.exceptions import UnexpectedInput

from app.graph import schema
from app.graph.errors import bad_request


def raw_options(allowed: set[str]) -> dict[str, str]:
    """The `$` query options of the request; unknown or unsupported ones are refused."""
    options: dict[str, str] = {}
    for key, value in request.args.items(multi=True):
        if not key.startswith("$"):
            continue
        if key not in allowed:
            raise bad_request(
                f"Query option '{key}' is not supported here; supported: "
                f"{', '.join(sorted(allowed))}."
            )
        if key in options:
            raise bad_request(f"Query option '{key}' is given more than once.")
        options[key] = value
    return options


def eventual() -> bool:
    """Whether the request asks for Graph's advanced queries (`ConsistencyLevel: eventual`)."""
    return request.headers.get("ConsistencyLevel", "").strip().lower() == "eventual"


def type_properties(type_name: str, own: Iterable[str]) -> dict[str, str]:
    """casefold -> name of every property of a type: Microsoft's list and the simulator's own."""
    return dict(_type_properties(type_name, tuple(own)))


@cache
def _type_properties(type_name: str, own: tuple[str, ...]) -> dict[str, str]:
    short = type_name.removeprefix("microsoft.graph.")
    names = list(own)
    try:
        names += schema.beta_properties(short)
    except KeyError:
        pass
    names += sorted(schema.v1_properties(short) or ())
    return {name.casefold(): name for name in names if not name.startswith("@")}


def select(text: str | None, known: dict[str, str], type_name: str) -> list[str] | None:
    """The properties `$select` names, as the type spells them; a 400 for a name it lacks."""
    if text is None:
        return None
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise bad_request("Invalid $select: give one or more property names.")
    selected: list[str] = []
    for name in names:
        canonical = known.get(name.casefold())
        if canonical is None:
            raise bad_request(f"Could not find a property named '{name}' on type '{type_name}'.")
        if canonical not in selected:
            selected.append(canonical)
    return selected


@dataclass(frozen=True)
class Expansion:
    name: str
    select: tuple[str, ...] | None = None  # as written; checked against the target's type


_EXPAND = r"""
start: item ("," item)*
item: NAME ["(" option (";" option)* ")"]
option: OPTION "=" NAME ("," NAME)*
OPTION: /\$?[A-Za-z]+/
NAME: /[A-Za-z_][\w.]*/
%import common.WS
%ignore WS
"""


class _ExpandTree(Transformer):
    def start(self, items):
        return items

    def item(self, children):
        name, *options = children
        chosen = None
        for option in options:
            if option is None:
                continue
            key, values = option
            if key.lstrip("$").lower() != "select":
                raise bad_request(
                    f"Invalid $expand: '{key}' inside $expand is not supported by the "
                    "simulator; use $select."
                )
            chosen = tuple(values)
        return Expansion(str(name), chosen)

    def option(self, children):
        key, *values = children
        return str(key), [str(v) for v in values]


@cache
def _expand_parser() -> Lark:
    return Lark(_EXPAND, parser="lalr", maybe_placeholders=True)


def expansions(text: str | None, expandable: Iterable[str], type_name: str) -> list[Expansion]:
    """The navigation properties `$expand` names (as the resource spells them)."""
    if text is None:
        return []
    try:
        items = _ExpandTree().transform(_expand_parser().parse(text))
    except UnexpectedInput:
        raise bad_request(
            f"Invalid $expand '{text}': give navigation properties, each optionally with "
            "($select=a,b)."
        ) from None
    known = {name.casefold(): name for name in expandable}
    out: list[Expansion] = []
    for item in items:
        canonical = known.get(item.name.casefold())
        if canonical is None:
            allowed = ", ".join(sorted(known.values())) or "nothing"
            raise bad_request(
                f"Could not find a navigation property named '{item.name}' on type "
                f"'{type_name}'; expandable: {allowed}."
            )
        out.append(Expansion(canonical, item.select))
    return out


def int_option(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_request(f"Invalid {name} '{text}': give a whole number.") from None
    if not low <= value <= high:
        raise bad_request(f"Invalid {name} '{text}': give a number from {low} to {high}.")
    return value


def orderby(text: str, known: dict[str, str]) -> tuple[str, bool]:
    """(property, descending) of a one-property `$orderby`."""
    parts = text.split()
    if not parts or "," in text:
        raise bad_request("$orderby takes one property, optionally followed by asc or desc.")
    if len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
        raise bad_request(f"Invalid $orderby '{text}': give a property, then asc or desc.")
    prop = known.get(parts[0].casefold())
    if prop is None:
        raise bad_request(f"$orderby: could not find a property named '{parts[0]}'.")
    return prop, len(parts) == 2 and parts[1].lower() == "desc"


def count_flag(text: str | None) -> bool:
    if text is not None and text not in ("true", "false"):
        raise bad_request("Invalid $count: use $count=true or $count=false.")
    return text == "true"
