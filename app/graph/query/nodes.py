"""The parsed `$filter`: a small tree that both evaluators (SQL and in-memory) read, so a filter
means the same thing on every collection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Prop:
    """A property path as written (`displayName`, `c`, `c/skuId`); names are resolved later."""

    path: tuple[str, ...]

    @property
    def text(self) -> str:
        return "/".join(self.path)


@dataclass(frozen=True)
class Lit:
    """A literal: kind is string | int | float | bool | null | datetime | guid | enum."""

    kind: str
    value: Any
    text: str


@dataclass(frozen=True)
class Compare:
    op: str  # eq ne gt ge lt le
    prop: Prop
    value: Lit


@dataclass(frozen=True)
class In:
    prop: Prop
    values: tuple[Lit, ...]


@dataclass(frozen=True)
class Call:
    name: str  # startswith | endswith | contains
    prop: Prop
    value: Lit


@dataclass(frozen=True)
class Lambda:
    kind: str  # any | all
    collection: Prop
    var: str
    body: Node | None  # `any()` without a body: the collection is not empty


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Compare | In | Call | Lambda | Not | And | Or


def walk(node: Node):
    """Every node of a tree, parents first."""
    yield node
    if isinstance(node, Not):
        yield from walk(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from walk(operand)
    elif isinstance(node, Lambda) and node.body is not None:
        yield from walk(node.body)
