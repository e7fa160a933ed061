"""Scenario documents: one schema for YAML, JSON, the control API and the command line; load a
document into a tenant, export a tenant back into one.
"""

from app.scenarios.export import export
from app.scenarios.load import (
    clear_tenant,
    create_tenant,
    ensure_default_tenant,
    ensure_named_tenant,
    load_into,
    reset_tenant,
)
from app.scenarios.parsing import parse_document, parse_file, parse_text
from app.scenarios.schema import (
    CONSOLE_OPTIONS,
    GRAPH_ENROLLMENT_TYPES,
    ScenarioDoc,
    ScenarioError,
)

__all__ = [
    "CONSOLE_OPTIONS",
    "GRAPH_ENROLLMENT_TYPES",
    "ScenarioDoc",
    "ScenarioError",
    "clear_tenant",
    "create_tenant",
    "ensure_default_tenant",
    "ensure_named_tenant",
    "export",
    "load_into",
    "parse_document",
    "parse_file",
    "parse_text",
    "reset_tenant",
]
