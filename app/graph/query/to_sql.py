"""A `$filter` tree as a SQLAlchemy condition, so the database filters and the page is all that is
read. Every condition is null-safe (never SQL NULL), so `not` means what OData says it means.

A property held in a column compares in SQL; a derived one (a few states, each a SQL condition)
is asked in memory which of its states match and becomes their disjunction; a property the
simulator never sets is null (or empty) for every row, so its condition is a constant.
"""

from __future__ import annotations

import operator
from typing import Any

from sqlalchemy import and_, false, func, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from app.graph.errors import bad_request
from app.graph.query.fields import BOOLEAN, DATETIME, NUMBERS, Field, value_of
from app.graph.query.in_memory import Scope, compile_node
from app.graph.query.nodes import And, Call, Compare, In, Lambda, Node, Not, Or

Condition = ColumnElement[bool]


def where(node: Node, scope: Scope) -> Condition:
    """The SQL condition of a tree (names and literals checked as the in-memory side checks)."""
    if isinstance(node, And):
        return and_(*(where(n, scope) for n in node.operands))
    if isinstance(node, Or):
        return or_(*(where(n, scope) for n in node.operands))
    if isinstance(node, Not):
        return not_(where(node.operand, scope))
    prop = node.collection if isinstance(node, Lambda) else node.prop
    top, field, _ = scope.field(prop)
    if top.column is not None and field is top and not isinstance(node, Lambda):
        return _column(node, field)
    return _states(node, top, scope)


def _states(node: Node, top: Field, scope: Scope) -> Condition:
    predicate = compile_node(node, scope)  # checks names and literals, as a column would
    states = top.states or ((true(), [] if top.is_collection else None),)
    matching = [cond for cond, value in states if predicate({"": {top.name: value}})]
    if not matching:
        return false()
    return or_(*matching) if len(matching) > 1 else matching[0]


def _text(field: Field) -> bool:
    return field.edm not in (BOOLEAN, DATETIME) and field.edm not in NUMBERS


def _sides(field: Field, value: Any) -> tuple[Any, Any]:
    """Column and value as compared: text without regard to case."""
    column = field.column
    if _text(field) and isinstance(value, str):
        return (column if field.folded else func.lower(column)), value.casefold()
    return column, value


def _column(node: Compare | In | Call, field: Field) -> Condition:
    column = field.column
    if isinstance(node, In):
        values = [value_of(field, v) for v in node.values]
        present = [v for v in values if v is not None]
        parts = []
        if present:
            lhs, _ = _sides(field, present[0])
            folded = [_sides(field, v)[1] for v in present]
            parts.append(and_(column.is_not(None), lhs.in_(folded)))
        if len(present) < len(values):
            parts.append(column.is_(None))
        return or_(*parts) if len(parts) > 1 else parts[0]
    value = value_of(field, node.value)
    if isinstance(node, Call):
        if not isinstance(value, str) or not _text(field):
            raise bad_request(
                f"Invalid $filter: {node.name}() needs a string property and a string."
            )
        lhs, needle = _sides(field, value)
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = {
            "startswith": f"{escaped}%",
            "endswith": f"%{escaped}",
            "contains": f"%{escaped}%",
        }[node.name]
        return and_(column.is_not(None), lhs.like(pattern, escape="\\"))
    if value is None:
        if node.op == "eq":
            return column.is_(None)
        if node.op == "ne":
            return column.is_not(None)
        return false()
    lhs, rhs = _sides(field, value)
    if node.op == "ne":
        return or_(column.is_(None), lhs != rhs)
    compare = {"eq": operator.eq, "gt": operator.gt, "ge": operator.ge, "lt": operator.lt}
    compare["le"] = operator.le
    return and_(column.is_not(None), compare[node.op](lhs, rhs))
