"""The scenario document's schema: one set of pydantic models for YAML, JSON, the control API
and the command line. `app.scenarios.parsing` validates a document against it and then checks,
with `app.scenarios.references`, that every name the document refers to exists.

Three optional keys keep what an export would otherwise lose (documents without them load as
before):

- `devices[].decisionTrace`: the recorded decision trace of a device (`app.scenarios.trace_doc`).
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

`users[].graphProperties`, `groups[].graphProperties` and `devices[].graphProperties` (optional)
hold what Graph tools wrote that the simulator keeps as given (a user's department, a group's
classification, a device's notes and its recorded action results), by Graph's names, checked
as the Graph API checks them, so an export loads back and a reset restores them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.directory.branding_fields import models as branding_models
from app.enrollment.releases import ReleaseConflict, release_from
from app.scenarios.trace_doc import TraceDoc
from app.store import limits

GRAPH_ENROLLMENT_TYPES = (
    "unknown",
    "device",
    "user",
    "accountDrivenUserEnrollment",
    "webDeviceEnrollment",
    "unknownFutureValue",
)
DEFAULT_APNS_EXPIRY = date(2030, 1, 1)
ACCOUNT_DRIVEN_RECORD = "appleAccountDrivenUserEnrollment"  # a device's deviceEnrollmentType

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
Description = Annotated[str, Field(max_length=limits.DESCRIPTION)]
# A DateTimeOffset as Graph writes it: UTC with a Z.
UtcStamp = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$")]


def _kept_user_or_group(type_name: str, value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A user's or group's graphProperties checked as a Graph write checks them (None: empty)."""
    if value is None:
        return None
    # Imported here: the Graph layer's type data, read only when a document carries the key.
    from app.graph import kept, kept_types
    from app.graph.errors import GraphError

    spec = kept_types.USER if type_name == "user" else kept_types.GROUP
    unknown = sorted(set(value) - set(spec.names))
    if unknown:
        raise ValueError(
            f"'{unknown[0]}' is not a {type_name} property the simulator keeps "
            f"(kept: {', '.join(spec.names)})"
        )
    try:
        checked = kept.accept(spec, value)
    except GraphError as exc:
        raise ValueError(exc.message) from None
    return {name: v for name, v in checked.items() if v is not None} or None


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
    # Strict, as the OpenAPI document says: booleans are true/false and integers integers, in
    # JSON and YAML alike ("yes", 1 or "7" are errors); dates alone are read from their text.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class SettingsDoc(_Doc):
    mdmAuthority: Literal["intune", "unknown"] = "intune"
    apnsCertificateExpires: Annotated[date, Field(strict=False)] | None = DEFAULT_APNS_EXPIRY
    ownershipBehavior: Literal["preview-2019", "ga-2020"] = "preview-2019"
    fastProfileInstall: bool = False
    # enrollment-today.md §1: the release; ownershipBehavior is the same switch for the first two
    intuneRelease: Literal["preview-2019", "ga-2020", "current"] = "preview-2019"
    deviceLimit: Annotated[int, Field(ge=1, le=15)] = 15  # enrollment-today.md §5
    serviceDiscovery: Literal["published", "missing", "wrongContentType"] = "published"
    profileInstallWindowSeconds: Annotated[int, Field(ge=0, le=86_400)] = 480

    @model_validator(mode="after")
    def _one_release(self) -> SettingsDoc:
        """Either key alone says the release; both must agree (the error names both keys)."""
        given = self.model_fields_set
        try:
            release = release_from(
                self.intuneRelease if "intuneRelease" in given else None,
                self.ownershipBehavior if "ownershipBehavior" in given else None,
            )
        except ReleaseConflict as exc:
            raise ValueError(str(exc)) from None
        self.intuneRelease = release.value
        self.ownershipBehavior = "preview-2019" if release.value == "preview-2019" else "ga-2020"
        return self


class UserDoc(_Doc):
    upn: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    displayName: Text | None = None
    password: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    # written by export, so a round trip keeps passwords
    passwordHash: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    managedAppleId: bool = True
    enabled: bool = True
    intuneLicensed: bool = True  # false: Company Portal stops with UserLicenseTypeInvalid
    graphProperties: dict[str, Any] | None = None  # optional: kept Graph properties

    @field_validator("graphProperties")
    @classmethod
    def _kept(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _kept_user_or_group("user", value)


class GroupDoc(_Doc):
    name: Text
    description: Description = ""
    kind: Literal["user", "device"] = "user"
    members: list[str] = []
    rule: Annotated[str, Field(max_length=limits.MEMBERSHIP_RULE)] | None = None
    graphProperties: dict[str, Any] | None = None  # optional: kept Graph properties

    @field_validator("graphProperties")
    @classmethod
    def _kept(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _kept_user_or_group("group", value)


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
    description: Description = ""
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
    description: Annotated[str, Field(max_length=limits.IDENTIFIER_DETAILS)] = ""


class DeviceActionResultDoc(_Doc):
    """One of a managedDevice's deviceActionResults (app.directory.device_actions)."""

    actionName: Annotated[str, Field(min_length=1, max_length=64)]
    actionState: Literal["none", "pending", "canceled", "active", "done", "failed", "notSupported"]
    startDateTime: UtcStamp
    lastUpdatedDateTime: UtcStamp


class DeviceGraphPropertiesDoc(_Doc):
    """What a tool wrote on a managedDevice (PATCH) or an action recorded, kept as given."""

    notes: Description | None = None
    managedDeviceName: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    roleScopeTagIds: Annotated[list[Str64], Field(max_length=100)] | None = None
    deviceActionResults: Annotated[list[DeviceActionResultDoc], Field(max_length=50)] | None = None

    def stored(self) -> dict[str, Any] | None:
        """What ManagedDevice.graph_properties holds for these (None: nothing)."""
        return self.model_dump(mode="json", exclude_none=True) or None


class DeviceDoc(_Doc):
    userPrincipalName: Str320
    deviceName: Str256 = ""
    model: Literal["iPhone", "iPad"] = "iPhone"
    operatingSystem: Literal["iOS", "iPadOS"] | None = None
    osVersion: Str32 = ""
    serialNumber: Str64 = ""
    imei: Str64 = ""
    udid: Str64 = ""
    # and "appleAccountDrivenUserEnrollment" (enrollment-today.md §3), let through by
    # _account_driven so a bad value keeps the message that names the 2019 types
    deviceEnrollmentType: Literal["userEnrollment", "appleUserEnrollment"]
    enrollmentProfileName: Str256 = ""
    managedDeviceOwnerType: Literal["personal", "company"]
    managementState: Annotated[str, Field(min_length=1, max_length=32)] = "managed"
    enrolledDateTime: Annotated[datetime, Field(strict=False)] | None = None
    ownerAnswer: Literal["company", "personal"] | None = None
    securityScope: Literal["entireDevice", "workOnly"] | None = None
    decisionTrace: TraceDoc | None = None  # optional: the recorded decision trace
    graphProperties: DeviceGraphPropertiesDoc | None = None  # optional: kept Graph properties

    @field_validator("deviceEnrollmentType", mode="wrap")
    @classmethod
    def _account_driven(cls, value: Any, handler: Any) -> Any:
        return value if value == ACCOUNT_DRIVEN_RECORD else handler(value)

    @property
    def reference(self) -> str:
        """How a static device group's `members` name this device."""
        return self.serialNumber or self.deviceName


class BrandingProfileDoc(branding_models(_Doc, "Doc")):  # type: ignore[misc]
    """A Company Portal branding profile, by Graph's property names (app.scenarios.branding)."""

    profileName: Text
    isDefaultProfile: bool = False
    assign: list[Text] = []


class ScenarioDoc(_Doc):
    company: Annotated[str, Field(min_length=1, max_length=200)] = "Contoso"
    themeColor: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#0078D4"
    settings: SettingsDoc = SettingsDoc()
    users: list[UserDoc] = []
    groups: list[GroupDoc] = []
    profiles: list[ProfileDoc] = []
    corporateIdentifiers: list[IdentifierDoc] = []
    devices: list[DeviceDoc] = []
    brandingProfiles: list[BrandingProfileDoc] = []  # optional (app.scenarios.branding)
