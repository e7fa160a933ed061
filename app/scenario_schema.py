"""The scenario document's schema: one set of pydantic models for YAML, JSON, the control API
and the command line, and the checks that every name a document refers to exists.

`parse_document` validates a document completely (shape, enums, unknown keys, references) and
raises one ScenarioError naming the path of every bad field, before anything is written.

Three optional keys keep what an export would otherwise lose (documents without them load as
before):

- `devices[].decisionTrace`: the recorded decision trace of a device (`app.scenario_trace`).
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

from app.enrollment import rules
from app.inputs import nul_location, nul_message
from app.models import CorporateIdentifier
from app.profiles import DEVICE_GROUPS_REFUSED
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


def _refs(doc: ScenarioDoc) -> list[str]:
    """Every name the document refers to must exist: errors in document order."""
    errors: list[str] = []
    upns: set[str] = set()
    for i, user in enumerate(doc.users):
        key = user.upn.casefold()
        if key in upns:
            errors.append(f"users[{i}].upn: duplicate userPrincipalName '{user.upn}'")
        upns.add(key)
        if (user.password is None) == (user.passwordHash is None):
            errors.append(f"users[{i}]: give exactly one of password or passwordHash")
    kinds: dict[str, str] = {}
    for i, group in enumerate(doc.groups):
        if group.name in kinds:
            errors.append(f"groups[{i}].name: duplicate group name '{group.name}'")
        kinds[group.name] = group.kind
        if group.kind == "device" and group.members and group.rule is not None:
            errors.append(
                f"groups[{i}].members: a dynamic device group's members come from its rule; "
                "give members or a rule, not both"
            )
        elif group.kind == "device":
            errors += _device_member_errors(i, group, doc.devices)
        listed: set[str] = set()
        for j, member in enumerate(group.members if group.kind == "user" else []):
            if member.casefold() not in upns:
                errors.append(f"groups[{i}].members[{j}]: no user '{member}'")
            elif member.casefold() in listed:
                errors.append(f"groups[{i}].members[{j}]: '{member}' is listed twice")
            listed.add(member.casefold())
        if group.rule is not None:
            if group.kind == "user":
                errors.append(f"groups[{i}].rule: only device groups have a membership rule here")
            else:
                try:
                    rules.validate(group.rule)
                except rules.RuleError as exc:
                    errors.append(f"groups[{i}].rule: {exc}")
    for i, profile in enumerate(doc.profiles):
        errors += _option_errors(i, profile)
        for side in ("include", "exclude"):
            for j, name in enumerate(getattr(profile.assign, side)):
                where = f"profiles[{i}].assign.{side}[{j}]"
                if name.casefold() == "all":
                    if side == "exclude":
                        errors.append(f"{where}: All users can be included, not excluded")
                elif name not in kinds:
                    hint = " (write all for All users)" if name.casefold() == "all users" else ""
                    errors.append(f"{where}: no group named '{name}'{hint}")
                elif kinds[name] == "device":
                    errors.append(f"{where}: '{name}' is a device group. {DEVICE_GROUPS_REFUSED}")
    seen: set[tuple[str, str]] = set()
    for i, ident in enumerate(doc.corporateIdentifiers):
        key = (ident.type, CorporateIdentifier.key(ident.value))
        if key in seen:
            errors.append(
                f"corporateIdentifiers[{i}].value: duplicate {ident.type} '{ident.value}'"
            )
        seen.add(key)
    return errors


def device_members(reference: str, devices: list[DeviceDoc]) -> list[int]:
    """The positions in `devices` of the devices a static device group member names: those
    with that serialNumber, else those without a serial number with that deviceName."""
    by_serial = [n for n, d in enumerate(devices) if d.serialNumber and d.serialNumber == reference]
    return by_serial or [
        n for n, d in enumerate(devices) if not d.serialNumber and d.deviceName == reference
    ]


def _device_member_errors(i: int, group: GroupDoc, devices: list[DeviceDoc]) -> list[str]:
    errors: list[str] = []
    listed: set[str] = set()
    for j, member in enumerate(group.members):
        where = f"groups[{i}].members[{j}]"
        if member in listed:
            errors.append(f"{where}: '{member}' is listed twice")
        elif not device_members(member, devices):
            errors.append(
                f"{where}: no device with serialNumber '{member}' in devices "
                "(nor one without a serial number with that deviceName)"
            )
        listed.add(member)
    return errors


def _option_errors(i: int, profile: ProfileDoc) -> list[str]:
    if profile.enrollmentTypeOptions is None:
        return []
    errors: list[str] = []
    if "requireUserChoice" in profile.model_fields_set and not profile.requireUserChoice:
        errors.append(
            f"profiles[{i}].requireUserChoice: must be true or left out when "
            "enrollmentTypeOptions is given"
        )
    owners: set[str] = set()
    for j, option in enumerate(profile.enrollmentTypeOptions):
        if option.ownerType in owners:
            errors.append(
                f"profiles[{i}].enrollmentTypeOptions[{j}].ownerType: "
                f"'{option.ownerType}' is listed twice"
            )
        owners.add(option.ownerType)
    return errors


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
    errors = _refs(doc)
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
