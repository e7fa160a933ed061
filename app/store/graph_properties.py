"""Graph properties kept as given: the ones a tool may write that the simulator stores but never
decides or queries by (a user's department, a device's notes, a group's classification...).

They live in one JSON column per entity, `graph_properties`, keyed by their Graph names; the
columns the simulator decides by stay typed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column


class GraphProperties:
    """Mixin: the `graph_properties` JSON column (NULL until a tool writes one)."""

    graph_properties: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    def graph_extra(self) -> dict[str, Any]:
        """The kept properties (a copy: assign the whole dict back to change it)."""
        return dict(self.graph_properties or {})

    def keep_graph(self, values: dict[str, Any]) -> None:
        """Merge `values` in; a None value removes the property (Graph's "not set")."""
        merged = self.graph_extra()
        for name, value in values.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        self.graph_properties = merged or None
