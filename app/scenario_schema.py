"""The scenario document's schema: one set of pydantic models for YAML, JSON, the control API
and the command line; the checks that every name a document refers to exists are in
`app.scenario_refs`.

`parse_document` validates a document completely (shape, enums, unknown keys, references) and
raises one ScenarioError naming the path of every bad field, before anything is written.

Three optional keys keep what an export would otherwise lose (documents without them load as
before):

- `devices[].decisionTrace`: the recorded decision trace of a device (`app.scenario_trace`).
  Its applied-profile link is not written (a profile id belongs to one tenant): loading links a
  device to the tenant's profile named its `enrollmentProfileName` when exactly one has that name.
- `profiles[].enrollmentTypeOptions`: Graph's availableEnrollmentTypeOptions, written by export
  only when they differ from the console's `CONSOLE_OPTIONS`; when given it wins over
  `requireUserChoice` (which must then be true or left out).
- `groups[].members` of a static device group (kind device, no rule): each member names recorded
  devices of the document's `devices` by ONE text: the device's `serialNumber` when it has one,
  else (a device recorded without a serial number, as User Enrollment records them) its
  `deviceName`. A serial number is looked up first; a text matching no serial number names the
  devices without a serial number that have that deviceName. A member stands for every device it
  matches (records with one serial number are one device enrolled again).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.inputs import nul_location, nul_message
from app.scenario_refs import reference_errors
from app.scenario_trace import TraceDoc

GRAPH_ENROLLMENT_TYPES = (
    "unknown",
    "device",
    "user",
    "accountDrivenUserEnrollment",
    "webDeviceEnrollment",
    "unknownFutureValue",
)
DEFAULT_APNS_EXPIRY = date(2030, 1, 1)

Text = Annotated[str, Field(min_length=1, max_length=256)]

OPTION_TYPE = "microsoft.graph.appleOwnerTypeEnrollmentType"
# What the console's "Require user to select device type = Required" stores.
CONSOLE_OPTIONS = [
    {"@odata.type": OPTION_TYPE, "ownerType": "company", "enrollmentType": "device"},
    {"@odata.type": OPTION_TYPE, "ownerType": "personal", "enrollmentType": "user"},
]


# Optional text no longer than the column it is stored in.
Str32 = Annotated[str, Field(max_length=32)]
Str64 = Annotated[str, Field(max_length=64)]
Str256 = Annotated[str, Field(max_length=256)]
Str320 = Annotated[str, Field(max_length=320)]


class ScenarioError(ValueError):
    """A document that cannot be loaded; `message` names the path of the bad field.

    `code` tells a syntax error (`MalformedScenario`: not YAML/JSON at all) from a document
    that parses but breaks the schema (`InvalidScenario`).
    """

    def __init__(self, message: str, code: str = "InvalidScenario") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SettingsDoc(_Doc):
    mdmAuthority: Literal["intune", "unknown"] = "intune"
    apnsCertificateExpires: date | None = DEFAULT_APNS_EXPIRY
    ownershipBehavior: Literal["preview-2019", "ga-2020"] = "preview-2019"
    fastProfileInstall: bool = False


class UserDoc(_Doc):
    upn: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    displayName: Text | None = None
    password: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    # written by export, so a round trip keeps passwords
    passwordHash: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    managedAppleId: bool = True
    enabled: bool = True


class GroupDoc(_Doc):
    name: Text
    description: str = ""
    kind: Literal["user", "device"] = "user"
    members: list[str] = []
    rule: str | None = None


class AssignDoc(_Doc):
    include: list[str] = []
    exclude: list[str] = []

    @field_validator("include", "exclude", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class OptionDoc(_Doc):
    """One of Graph's availableEnrollmentTypeOptions (an appleOwnerTypeEnrollmentType)."""

    ownerType: Literal["company", "personal"]
    enrollmentType: Literal[GRAPH_ENROLLMENT_TYPES]  # type: ignore[valid-type]


class ProfileDoc(_Doc):
    name: Text
    description: str = ""
    requireUserChoice: bool = False
    defaultEnrollmentType: Literal[GRAPH_ENROLLMENT_TYPES] = "user"  # type: ignore[valid-type]
    platform: Annotated[str, Field(min_length=1, max_length=32)] = "iOS"
    assign: AssignDoc = AssignDoc()
    # optional; export writes it only when the options differ from the console's
    enrollmentTypeOptions: Annotated[list[OptionDoc], Field(min_length=1)] | None = None

    def stored_options(self) -> list[dict[str, str]]:
        """What EnrollmentProfile.enrollment_type_options holds for this profile."""
        if self.enrollmentTypeOptions is not None:
            return [
                {"@odata.type": OPTION_TYPE, **o.model_dump()} for o in self.enrollmentTypeOptions
            ]
        return [dict(o) for o in CONSOLE_OPTIONS] if self.requireUserChoice else []


class IdentifierDoc(_Doc):
    type: Literal["serialNumber", "imei"]
    value: Annotated[str, Field(min_length=1, max_length=64)]
    description: str = ""


class DeviceDoc(_Doc):
    userPrincipalName: Str320
    deviceName: Str256 = ""
    model: Literal["iPhone", "iPad"] = "iPhone"
    operatingSystem: Literal["iOS", "iPadOS"] | None = None
    osVersion: Str32 = ""
    serialNumber: Str64 = ""
    imei: Str64 = ""
    udid: Str64 = ""
    deviceEnrollmentType: Literal["userEnrollment", "appleUserEnrollment"]
    enrollmentProfileName: Str256 = ""
    managedDeviceOwnerType: Literal["personal", "company"]
    managementState: Annotated[str, Field(min_length=1, max_length=32)] = "managed"
    enrolledDateTime: datetime | None = None
    ownerAnswer: Literal["company", "personal"] | None = None
    securityScope: Literal["entireDevice", "workOnly"] | None = None
    decisionTrace: TraceDoc | None = None  # optional: the recorded decision trace

    @property
    def reference(self) -> str:
        """How a static device group's `members` name this device."""
        return self.serialNumber or self.deviceName


class ScenarioDoc(_Doc):
    company: Annotated[str, Field(min_length=1, max_length=200)] = "Contoso"
    themeColor: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#0078D4"
    settings: SettingsDoc = SettingsDoc()
    users: list[UserDoc] = []
    groups: list[GroupDoc] = []
    profiles: list[ProfileDoc] = []
    corporateIdentifiers: list[IdentifierDoc] = []
    devices: list[DeviceDoc] = []


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
    nul = nul_location(data)
    if nul:
        raise ScenarioError(nul_message(nul))
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
