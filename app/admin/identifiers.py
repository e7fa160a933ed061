"""Corporate device identifiers: check one, parse an Intune-style CSV, write them.

Intune imports a CSV without a header, one `identifier,details` per line. The whole file is
checked first; any malformed or duplicate line is reported by its number and nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select

from app.store import CorporateIdentifier, db, limits

_IMEI = re.compile(r"^\d{15}$")
_SERIAL = re.compile(r"^[A-Za-z0-9]{1,64}$")
KIND_LABELS = {"serialNumber": "Serial number", "imei": "IMEI"}
MAX_DESCRIPTION = limits.IDENTIFIER_DETAILS


@dataclass(frozen=True)
class ParsedIdentifier:
    line: int
    value: str
    description: str


class ImportError_(ValueError):
    """Every problem of a CSV, one message per bad line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def check_value(kind: str, value: str) -> str | None:
    """Why `value` is not a valid identifier of `kind`, or None."""
    cleaned = CorporateIdentifier.key(value)
    if kind == "imei" and not _IMEI.match(cleaned):
        return f"'{value}' is not an IMEI (15 digits)."
    if kind == "serialNumber" and not _SERIAL.match(cleaned):
        return f"'{value}' is not a serial number (letters and digits only, at most 64)."
    return None


def existing_keys(tenant_id: str, kind: str) -> set[str]:
    return set(
        db.session.scalars(
            select(CorporateIdentifier.value_key).where(
                CorporateIdentifier.tenant_id == tenant_id, CorporateIdentifier.kind == kind
            )
        )
    )


def parse_csv(text: str, kind: str, existing: set[str]) -> list[ParsedIdentifier]:
    """All lines of the CSV, or ImportError_ listing every bad line by number."""
    errors: list[str] = []
    parsed: list[ParsedIdentifier] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) > 2:
            errors.append(
                f"Line {number}: expected identifier,details but found {len(row)} fields."
            )
            continue
        value = row[0].strip()
        description = row[1].strip() if len(row) == 2 else ""
        problem = check_value(kind, value) if value else "the identifier is empty."
        key = CorporateIdentifier.key(value)
        if problem:
            errors.append(f"Line {number}: {problem}")
        elif len(description) > MAX_DESCRIPTION:
            errors.append(f"Line {number}: details are longer than {MAX_DESCRIPTION} characters.")
        elif key in seen:
            errors.append(f"Line {number}: {value} duplicates line {seen[key]}.")
        elif key in existing:
            errors.append(f"Line {number}: {value} is already a corporate identifier.")
        else:
            seen[key] = number
            parsed.append(ParsedIdentifier(number, value, description))
    if errors:
        raise ImportError_(errors)
    if not parsed:
        raise ImportError_(["The file has no identifiers."])
    return parsed


def add(tenant_id: str, kind: str, value: str, description: str) -> CorporateIdentifier:
    identifier = CorporateIdentifier(
        tenant_id=tenant_id,
        kind=kind,
        value=value.strip(),
        value_key=CorporateIdentifier.key(value),
        description=description.strip(),
    )
    db.session.add(identifier)
    db.session.flush()
    return identifier
