"""A `$filter` tree as a predicate over Graph JSON: for the small collections served from memory,
and for the values a derived property can take (the SQL side asks which of them match).

OData's rules, as Graph applies them: strings compare without regard to case, `null` equals only
`null` and orders before nothing, `ne` is true of a missing value, `any()` of an empty collection
is false and `all()` of one is true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.graph.errors import bad_request
from app.graph.query.fields import DATETIME, Field, as_datetime, member, value_of
from app.graph.query.nodes import And, Call, Compare, In, Lambda, Node, Not, Or, Prop

Env = dict[str, Any]  # "" -> the entity's JSON, a lambda variable -> the element
Predicate = Callable[[Env], bool]
Resolver = Callable[[Prop], tuple[Field, Field]]  # -> (top-level field, field named)

_ORDER = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def _fold(value: Any, field: Field) -> Any:
    if isinstance(value, str):
        return as_datetime(value) if field.edm == DATETIME else value.casefold()
    return value


class Scope:
    """Resolves the paths of a tree: top-level names through `resolve`, a lambda's variable to
    the element of the collection it ranges over."""

    def __init__(self, resolve: Resolver, var: str = "", element: Field | None = None) -> None:
        self.resolve, self.var, self.element = resolve, var, element

    def field(self, prop: Prop) -> tuple[Field, Field, Callable[[Env], Any]]:
        """(top-level field or None for the variable, field named, value getter)."""
        if self.var and prop.path[0] == self.var:
            field = self.element if len(prop.path) == 1 else member(self.element, prop.path[1:], "")
            rest, key = prop.path[1:], self.var
            return self.element, field, lambda env: _dig(env.get(key), rest)
        top, field = self.resolve(prop)
        rest = prop.path[1:]
        return top, field, lambda env: _dig(env[""].get(top.name), rest)

    def inner(self, collection: Field, var: str) -> Scope:
        element = Field(collection.name, collection.element)
        return Scope(self.resolve, var, element)


def _dig(value: Any, rest: tuple[str, ...]) -> Any:
    for name in rest:
        if not isinstance(value, dict):
            return None
        value = next((v for k, v in value.items() if k.casefold() == name.casefold()), None)
    return value


def compile_node(node: Node, scope: Scope) -> Predicate:
    """The predicate of a tree (every name and literal checked first: a 400, never a guess)."""
    if isinstance(node, And):
        parts = [compile_node(n, scope) for n in node.operands]
        return lambda env: all(p(env) for p in parts)
    if isinstance(node, Or):
        parts = [compile_node(n, scope) for n in node.operands]
        return lambda env: any(p(env) for p in parts)
    if isinstance(node, Not):
        inner = compile_node(node.operand, scope)
        return lambda env: not inner(env)
    if isinstance(node, Lambda):
        return _lambda(node, scope)
    _, field, get = scope.field(node.prop)
    if isinstance(node, Compare):
        wanted = _fold(value_of(field, node.value), field)
        test = _ORDER[node.op]

        def compare(env: Env) -> bool:
            have = _fold(get(env), field)
            if have is None or wanted is None:
                return test(have is None, wanted is None) if node.op in ("eq", "ne") else False
            try:
                return test(have, wanted)
            except TypeError:  # a stored value of another type never matches
                return node.op == "ne"

        return compare
    if isinstance(node, In):
        wanted_set = [_fold(value_of(field, v), field) for v in node.values]
        return lambda env: _fold(get(env), field) in wanted_set
    return _call(node, field, get)


def _call(node: Call, field: Field, get: Callable[[Env], Any]) -> Predicate:
    text = value_of(field, node.value)
    if not isinstance(text, str) or field.edm not in ("Edm.String", "Edm.Untyped"):
        raise bad_request(f"Invalid $filter: {node.name}() needs a string property and a string.")
    needle = text.casefold()
    method = {"startswith": str.startswith, "endswith": str.endswith, "contains": str.__contains__}
    test = method[node.name]
    return lambda env: isinstance(get(env), str) and test(get(env).casefold(), needle)


def _lambda(node: Lambda, scope: Scope) -> Predicate:
    _, collection, get = scope.field(node.collection)
    if not collection.is_collection:
        raise bad_request(
            f"Invalid $filter: {node.kind}() ranges over a collection; '{collection.name}' is "
            "not one."
        )
    if node.body is None:
        if node.kind == "all":
            raise bad_request("Invalid $filter: all() needs a condition, e.g. all(x:x eq 'a').")
        return lambda env: bool(get(env))
    body = compile_node(node.body, scope.inner(collection, node.var))
    quantifier = any if node.kind == "any" else all
    var = node.var
    return lambda env: quantifier(body({**env, var: item}) for item in (get(env) or ()))
