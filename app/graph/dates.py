"""DateTimeOffset values as Graph's services write them, which differ by service: the directory
(users, groups, organization) and Intune's device inventory (managedDevice, the APNs certificate)
write whole seconds, `2026-01-01T10:00:00Z`; Intune's configuration objects (enrollment and
branding profiles, imported device identities) write seven fractional digits,
`2026-01-01T10:00:00.1234560Z`, as .NET's round-trip format does."""

from __future__ import annotations

from datetime import UTC, datetime


def whole_seconds(value: datetime | None) -> str | None:
    """`2026-01-01T10:00:00Z`: directory objects, managed devices, the APNs certificate."""
    if value is None:
        return None
    utc = _utc(value)
    if utc.year < 1000:  # strftime's %Y does not pad years before 1000 here: keep its text
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The same text as strftime, in a fraction of its time (a list of devices writes thousands).
    return (
        f"{utc.year}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def seven_digits(value: datetime | None) -> str | None:
    """`2026-01-01T10:00:00.1234560Z`: Intune configuration objects (100 ns ticks, 7 digits)."""
    if value is None:
        return None
    utc = _utc(value)
    return f"{utc.strftime('%Y-%m-%dT%H:%M:%S')}.{utc.microsecond:06d}0Z"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
