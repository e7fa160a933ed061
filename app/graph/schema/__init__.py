"""Graph's published type definitions (graph-types.json, made by extract.py from Microsoft's
metadata): each served type's beta and v1.0 property sets and its enums' members."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_DATA: dict[str, Any] = json.loads(Path(__file__).with_name("graph-types.json").read_text())


def beta_properties(type_name: str) -> tuple[str, ...]:
    return tuple(_DATA["entities"][type_name]["beta"])


@cache
def v1_properties(type_name: str) -> frozenset[str] | None:
    """The v1.0 property names of a type; None when v1.0 does not have the type."""
    v1 = _DATA["entities"].get(type_name, {}).get("v1")
    return frozenset(v1) if v1 is not None else None


def v1_types(type_name: str) -> dict[str, str]:
    """name -> EDM type (e.g. 'graph.complianceState') of the v1.0 properties of a type."""
    return dict(_DATA["entities"][type_name].get("v1") or {})


def complex_properties(type_name: str) -> tuple[str, ...]:
    return tuple(_DATA["complex"][type_name]["beta"])


@cache
def v1_complex_properties(type_name: str) -> frozenset[str] | None:
    """The v1.0 property names of a complex type the data file keeps; None if it keeps none."""
    v1 = _DATA["complex"].get(type_name, {}).get("v1")
    return frozenset(v1) if v1 is not None else None


def enum_members(enum: str, version: str = "beta") -> tuple[str, ...]:
    members = _DATA["enums"][enum]["v1" if version == "v1.0" else "beta"]
    return tuple(members or ())


@cache
def enum_of(type_name: str, prop: str) -> str | None:
    """The enum a property of a type has in v1.0, if it is one the data file keeps."""
    edm = (_DATA["entities"].get(type_name, {}).get("v1") or {}).get(prop, "")
    name = edm.removeprefix("graph.")
    return name if name in _DATA["enums"] else None


@cache
def complex_of(type_name: str, prop: str) -> str | None:
    """The complex type a property of a type has in v1.0, if it is one the data file keeps."""
    edm = (_DATA["entities"].get(type_name, {}).get("v1") or {}).get(prop, "")
    name = edm.removeprefix("graph.")
    return name if name in _DATA["complex"] else None


def v1_member(enum: str, value: Any) -> Any:
    """A beta enum member as v1.0 reads it: members v1.0 lacks are `unknownFutureValue`."""
    if not isinstance(value, str):
        return value
    members = _DATA["enums"][enum]["v1"] or ()
    return value if value in members else "unknownFutureValue"


@cache
def enum_names() -> frozenset[str]:
    return frozenset(_DATA["enums"])


@cache
def enum_all_members(enum: str) -> tuple[str, ...]:
    """Every member an enum has in either version (beta's first)."""
    data = _DATA["enums"].get(enum, {})
    return tuple(dict.fromkeys([*(data.get("beta") or ()), *(data.get("v1") or ())]))


@cache
def edm_types(type_name: str) -> dict[str, str]:
    """name -> EDM type of a type's properties (v1.0's typing; beta-only ones absent)."""
    return dict(_DATA["entities"].get(type_name, {}).get("v1") or {})


@cache
def complex_types(type_name: str) -> dict[str, str]:
    """name -> EDM type of a complex type's properties (empty when the data file lacks it)."""
    data = _DATA["complex"].get(type_name, {})
    typed = data.get("v1") or {}
    return {name: typed.get(name, "Edm.String") for name in data.get("beta") or typed}


def known_enums() -> frozenset[str]:
    """The enums whose members the data file keeps."""
    return frozenset(_DATA["enums"])
