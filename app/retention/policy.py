"""The retention policy as the settings give it (app/config.py reads and checks them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Policy:
    """Each limit None when switched off. Ages in seconds."""

    journal_max_events: int | None = 10_000
    journal_max_age: int | None = 30 * 86400
    walk_max_age: int | None = 86400
    idle_tenant_ttl: int | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        return cls(
            journal_max_events=config.get("JOURNAL_MAX_EVENTS"),
            journal_max_age=config.get("JOURNAL_MAX_AGE"),
            walk_max_age=config.get("WALK_MAX_AGE"),
            idle_tenant_ttl=config.get("IDLE_TENANT_TTL"),
        )

    def journal_kept(self) -> str:
        """What a tenant's journal keeps: "the newest 10,000 events, for up to 30 days"."""
        parts = []
        if self.journal_max_events is not None:
            count = self.journal_max_events
            parts.append(f"the newest {count:,} event{'' if count == 1 else 's'}")
        if self.journal_max_age is not None:
            parts.append(f"for up to {in_words(self.journal_max_age)}")
        if not parts:
            return "every event"
        if self.journal_max_events is None:
            return f"events {parts[0]}"
        return ", ".join(parts)

    def describe(self) -> list[str]:
        """The policy in words, one line per rule, as `flask --app app prune` prints it."""
        walks = self.walk_max_age
        idle = self.idle_tenant_ttl
        return [
            f"journal: each tenant keeps {self.journal_kept()}",
            "walks: "
            + (f"removed when untouched for {in_words(walks)}" if walks else "kept")
            + " (the devices they recorded are always kept)",
            f"tenants: removed after {in_words(idle)} without a request (never `default`)"
            if idle
            else "tenants: kept however long they are idle (ENROLLSIM_IDLE_TENANT_TTL is off)",
        ]


def cutoff(now: datetime, seconds: int | None) -> datetime | None:
    """The moment before which something is older than `seconds` (None: no limit)."""
    return None if seconds is None else now - timedelta(seconds=seconds)


def in_words(seconds: int) -> str:
    """30 days, 12 hours, 90 minutes, 45 seconds: the largest unit that divides it."""
    for unit, size in (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            if unit == "week":  # people say 14 days rather than 2 weeks for a retention
                unit, count = "day", seconds // 86400
            return f"{count:,} {unit}{'' if count == 1 else 's'}"
    return f"{seconds:,} second{'' if seconds == 1 else 's'}"
