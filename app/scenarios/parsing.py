"""Reading a scenario document: YAML or JSON text, or a decoded mapping, validated completely
(shape, enums, unknown keys, references) into one ScenarioError naming the path of every bad
field, before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.inputs import bad_text_location, bad_text_message
from app.scenarios.references import reference_errors
from app.scenarios.schema import ScenarioDoc, ScenarioError


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


# What a field with a pattern looks like, for a readable message instead of the regex.
_FORMS = {
    "upn": "a user principal name like name@contoso.com",
    "themeColor": "a colour like #0078D4",
}


def _message(err: dict[str, Any]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    where, kind = _path(loc), err["type"]
    if kind == "extra_forbidden":
        return f"{where}: unknown key"
    if kind == "literal_error":
        return f"{where}: {err['input']!r} is not one of {err['ctx']['expected']}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"{where}: expected a mapping of keys, not {_kind_of(err['input'])}"
    if kind == "list_type":
        return f"{where}: expected a list, not {_kind_of(err['input'])}"
    if kind == "string_type" and isinstance(err["input"], int | float):
        return f"{where}: expected text; write {err['input']!r} in quotes so it stays as written"
    if kind == "bool_type":
        return f"{where}: expected true or false, not {_kind_of(err['input'])}"
    if kind == "int_type":
        return f"{where}: expected a whole number, not {_kind_of(err['input'])}"
    if kind == "string_pattern_mismatch" and loc and loc[-1] in _FORMS:
        return f"{where}: {err['input']!r} is not {_FORMS[str(loc[-1])]}"
    return f"{where}: {err['msg']}"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def parse_document(data: Any) -> ScenarioDoc:
    """Validate a decoded document (dict) completely; raise ScenarioError naming every bad path."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError("(document): a scenario is a mapping of keys (company, users, ...)")
    bad_text = bad_text_location(data)
    if bad_text:
        raise ScenarioError(bad_text_message(*bad_text))
    try:
        doc = ScenarioDoc.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError("; ".join(_message(e) for e in exc.errors())) from None
    errors = reference_errors(doc)
    if errors:
        raise ScenarioError("; ".join(errors))
    return doc


def parse_text(text: str, source: str = "scenario") -> ScenarioDoc:
    """YAML (and so JSON, a subset of it) text to a validated document."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML or JSON"
        raise ScenarioError(f"{source}: {problem}{where}", code="MalformedScenario") from None
    return parse_document(data)


def parse_file(path: str | Path) -> ScenarioDoc:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: {exc.strerror}") from None
    return parse_text(text, source=str(path))
