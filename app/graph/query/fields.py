"""What a `$filter` may name on a type, and which literals each property compares with.

A `Field` is one filterable Graph property: its EDM type (Microsoft's metadata), and where its
value lives for SQL: a column, a set of derived states (`groupTypes` is `[DynamicMembership]`
exactly when a rule is stored), or nowhere (a property of the type the simulator never sets:
always null, or an empty collection). The in-memory evaluator reads the same names from JSON.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import ColumnProperty

from app.graph import schema
from app.graph.errors import GraphError, bad_request
from app.graph.query.nodes import Lit, Prop

STRING, BOOLEAN, DATETIME, GUID = "Edm.String", "Edm.Boolean", "Edm.DateTimeOffset", "Edm.Guid"
UNTYPED = "Edm.Untyped"
NUMBERS = {"Edm.Int32", "Edm.Int64", "Edm.Double", "Edm.Decimal", "Edm.Byte", "Edm.Int16"}
PYTHON_TYPES = {str: STRING, bool: BOOLEAN, int: "Edm.Int32"}


@dataclass(frozen=True)
class Field:
    name: str
    edm: str
    column: Any = None  # a SQL expression; None with no states: never set
    states: tuple[tuple[Any, Any], ...] | None = None  # (SQL condition, value) pairs
    folded: bool = False  # the column holds the value case-folded already (an indexed key)

    @property
    def is_collection(self) -> bool:
        return self.edm.startswith("Collection(")

    @property
    def element(self) -> str:
        return self.edm[len("Collection(") : -1] if self.is_collection else self.edm

    @property
    def enum(self) -> str | None:
        name = self.element.removeprefix("graph.")
        return name if name in schema.enum_names() else None


def unsupported(prop: str, type_name: str) -> GraphError:
    resource = type_name.removeprefix("microsoft.graph.")
    return GraphError(
        400,
        f"Unsupported or invalid query filter clause specified for property '{prop}' of "
        f"resource '{resource[:1].upper()}{resource[1:]}'.",
        code="Request_UnsupportedQuery",
    )


def unknown(prop: str, type_name: str) -> GraphError:
    return bad_request(f"Could not find a property named '{prop}' on type '{type_name}'.")


def resolve(fields: dict[str, Field], prop: Prop, type_name: str, known: set[str]) -> Field:
    """The field a top-level path names, without regard to case."""
    name = prop.path[0]
    field = fields.get(name.casefold())
    if field is None:
        if name.casefold() in known:
            raise unsupported(name, type_name)
        raise unknown(name, type_name)
    if len(prop.path) > 1:
        return member(field, prop.path[1:], type_name)
    return field


def member(field: Field, path: tuple[str, ...], type_name: str) -> Field:
    """A property of a complex value (`onPremisesExtensionAttributes/extensionAttribute1`)."""
    edm = field.element
    for name in path:
        if edm.startswith("Edm.") or edm.removeprefix("graph.") in schema.enum_names():
            raise bad_request(
                f"Invalid $filter: '{field.name}' holds a {edm} value, which has no property "
                f"'{name}'."
            )
        complex_name = edm.removeprefix("graph.")
        props = schema.complex_types(complex_name)
        if not props:  # a complex type the data file lacks: its members compare untyped
            return Field(f"{field.name}/{'/'.join(path)}", UNTYPED)
        match = next((p for p in props if p.casefold() == name.casefold()), None)
        if match is None:
            raise unknown(name, f"microsoft.graph.{complex_name}")
        edm = props[match]
    return Field(f"{field.name}/{'/'.join(path)}", edm)


def value_of(field: Field, lit: Lit) -> Any:
    """The Python value a literal compares as with `field`; a 400 when the types don't meet."""
    if lit.kind == "null":
        return None
    if field.is_collection:
        raise bad_request(
            f"Invalid $filter: '{field.name}' is a collection; compare its elements inside "
            f"any() or all(), e.g. {field.name}/any(x:x eq {lit.text})."
        )
    edm = field.edm
    ok = (
        edm == UNTYPED
        or (edm == STRING and lit.kind in ("string", "guid"))
        or (edm == BOOLEAN and lit.kind == "bool")
        or (edm in NUMBERS and lit.kind in ("int", "float"))
        or (edm == DATETIME and lit.kind == "datetime")
        or (edm == GUID and lit.kind in ("guid", "string"))
        or (field.enum is not None and lit.kind in ("string", "enum"))
    )
    if not ok:
        raise bad_request(
            f"Invalid $filter: '{field.name}' is {edm.replace('graph.', 'microsoft.graph.')} "
            f"and can't be compared with {lit.text}."
        )
    if edm == GUID and lit.kind == "string":
        try:
            return str(uuid.UUID(lit.value))
        except ValueError:
            raise bad_request(f"Invalid $filter: '{lit.value}' is not a GUID.") from None
    if field.enum is not None:
        members = schema.enum_all_members(field.enum)
        match = next((m for m in members if m.casefold() == str(lit.value).casefold()), None)
        if members and match is None:
            raise bad_request(
                f"Invalid $filter: the string '{lit.value}' is not a valid enumeration type "
                f"constant of microsoft.graph.{field.enum}."
            )
        return match or lit.value
    return lit.value


def as_datetime(value: Any) -> datetime | None:
    """A JSON date-time (Graph's ISO text) as an aware datetime, for in-memory comparison."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _column_of(model: Any, attribute: str) -> Any:
    """The model's mapped column of that name (never a relationship or a Python property)."""
    found = getattr(model, attribute, None)
    return found if isinstance(getattr(found, "property", None), ColumnProperty) else None


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def type_fields(
    type_name: str, names: tuple[str, ...], model: Any = None, /, **stored: Any
) -> dict[str, Field]:
    """Fields for `names` of a type in Microsoft's metadata. `stored` maps a name to its SQL
    column, a tuple of (condition, value) states, or a whole Field; a name not given there is
    read from the model's column of the same name in snake case (`jobTitle` -> `job_title`) when
    it has one, and is otherwise never set (null)."""
    edms = schema.edm_types(type_name.removeprefix("microsoft.graph."))
    fields = {}
    for name in (*names, *(n for n in stored if n not in names)):
        where = stored.get(name)
        if where is None and model is not None:
            where = _column_of(model, _snake(name))
        if isinstance(where, Field):
            fields[name.casefold()] = where
            continue
        states = where if isinstance(where, tuple) else None
        column = None if states is not None else where
        fields[name.casefold()] = Field(name, edms.get(name, STRING), column, states)
    return fields


def python_fields(filterable: dict[str, type]) -> dict[str, Field]:
    """Fields of a collection evaluated in memory (name -> str | bool | int)."""
    return {
        name.casefold(): Field(name, PYTHON_TYPES.get(kind, STRING))
        for name, kind in filterable.items()
    }
