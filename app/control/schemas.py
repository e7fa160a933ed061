"""The control API's shapes: one pydantic model per request, query string and response.

Views validate input with these models and build every response through them, and
`app.control.openapi` turns the same models into the OpenAPI document, so the published contract
cannot drift from what the API checks and answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Out(BaseModel):
    """A response body. Extra keys pass through so a face can add a field without a schema bump."""

    model_config = ConfigDict(extra="allow")

    def body(self, exclude: set[str] | None = None) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude=exclude)


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="A short PascalCase code, e.g. InvalidScenario.")
    message: str = Field(description="What is wrong and where, e.g. a path like profiles[1].name.")


class ErrorBody(_Out):
    error: ErrorDetail


class Health(_Out):
    status: Literal["ok"]
    version: str
    tenants: int | None = Field(
        None,
        ge=0,
        description="How many tenants exist; left out for a caller without the control token "
        "when ENROLLSIM_CONTROL_TOKEN is set (probes carry no token and see no tenant data).",
    )


class Ready(_Out):
    status: Literal["ready", "unavailable"]
    revision: str | None = Field(None, description="The schema revision the database is at.")
    reason: str | None = Field(None, description="Why the simulator cannot serve yet.")


class TenantCreated(_Out):
    id: str
    token: str = Field(description="Bearer token of the tenant's Graph-compatible API.")
    portalUrl: str
    adminUrl: str
    graphBaseUrl: str


class Counts(BaseModel):
    users: int = Field(ge=0)
    groups: int = Field(ge=0)
    profiles: int = Field(ge=0)
    devices: int = Field(ge=0)


class TenantSummary(_Out):
    id: str
    company: str
    createdDateTime: str
    portalUrl: str
    adminUrl: str
    graphBaseUrl: str
    counts: Counts


class Event(_Out):
    id: str = Field(description="Opaque; pass the last one seen as `after` to read what followed.")
    time: str = Field(description="ISO 8601 UTC with a Z.")
    type: str = Field(description="Dotted, e.g. portal.signIn, admin.write, control.reset.")
    user: str = Field(description="The user principal name involved, or empty.")
    detail: dict[str, Any]


class EventPage(_Out):
    value: list[Event]
    cursor: str | None = Field(
        description="Pass as `after` to read newer events; null while the journal is empty."
    )
    # Present only once the retention policy has dropped some of the tenant's events.
    prunedThrough: str | None = Field(
        None,
        description="Present once the retention policy (a cap on events per tenant and an age "
        "limit) has dropped events of this tenant: every event with an id up to this one is "
        "gone, none after it.",
    )
    prunedDateTime: str | None = Field(
        None, description="With prunedThrough: when events were last dropped (ISO 8601 UTC)."
    )
    eventsDropped: bool | None = Field(
        None,
        description="With prunedThrough: true when events this call would have returned may be "
        "gone, because `after` (or, without it, the start of the journal) lies before "
        "prunedThrough; a reader following the cursor missed the events up to prunedThrough.",
    )


class EventsQuery(_Query):
    type: Annotated[str, Field(max_length=64)] | None = Field(
        None,
        description="Exact type (portal.signIn), a prefix with .* (portal.*), or a comma list.",
    )
    user: Annotated[str, Field(max_length=320)] | None = Field(
        None, description="User principal name, case-insensitive."
    )
    after: Annotated[str, Field(max_length=20)] | None = Field(
        None,
        description="A cursor from an earlier answer: only events after it (at most 20 "
        "characters; a longer one is a 400).",
    )
    top: int = Field(100, ge=1, le=1000, description="At most this many events (oldest first).")


class ResolveQuery(_Query):
    upn: Annotated[str, Field(min_length=1, max_length=320)] = Field(
        description="The user principal name to check."
    )
    osVersion: Annotated[str, Field(max_length=32)] = ""
    serialNumber: Annotated[str, Field(max_length=64)] = ""
    imei: Annotated[str, Field(max_length=64)] = ""


class AppliedProfile(BaseModel):
    id: str
    name: str
    priority: int = Field(ge=0)


class TraceCandidate(_Out):
    id: str
    name: str
    priority: int
    included: bool = Field(description="Targets the user: included and not excluded.")
    applied: bool
    reason: str = Field(description="Names the including or excluding group.")


class OutcomeError(BaseModel):
    code: str
    message: str


class TraceOutcome(_Out):
    ownerAnswer: Literal["company", "personal"] | None
    securityScope: Literal["entireDevice", "workOnly"] | None
    enrollmentType: Literal["user", "device", "accountDrivenUserEnrollment", "webDeviceEnrollment"]
    deviceEnrollmentType: Literal[
        "userEnrollment", "appleUserEnrollment", "appleAccountDrivenUserEnrollment"
    ]
    managedDeviceOwnerType: Literal["personal", "company"]
    ownershipReason: str
    releaseRule: str = Field(
        "", description="The rule the tenant's Intune release applied to this path, naming it."
    )
    error: OutcomeError | None = Field(
        None, description="Set when this path would stop at an error screen for this device/user."
    )


class TraceDevice(BaseModel):
    osVersion: str
    serialNumber: str
    imei: str


class Trace(_Out):
    user: str
    appliedProfile: AppliedProfile | None
    reason: str
    candidates: list[TraceCandidate]
    asksOwner: bool
    ownershipBehavior: Literal["preview-2019", "ga-2020"]
    intuneRelease: Literal["preview-2019", "ga-2020", "current"] = "preview-2019"
    intuneReleaseName: str = ""
    outcomes: list[TraceOutcome]
    device: TraceDevice = Field(description="The device facts the outcomes were worked out for.")


def validation_message(exc: ValidationError) -> str:
    """'graph.errorRate: Input should be ...; seed: ...' — every bad field with its path."""
    parts = []
    for err in exc.errors():
        path = ""
        for piece in err["loc"]:
            path += f"[{piece}]" if isinstance(piece, int) else (f".{piece}" if path else piece)
        if err["type"] == "extra_forbidden":
            parts.append(f"{path}: unknown key")
        else:
            parts.append(f"{path or '(body)'}: {err['msg']}")
    return "; ".join(parts)


def api(
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    responses: dict[int, type[BaseModel] | None],
    body_required: bool = True,
) -> Callable:
    """Describe a view for the OpenAPI document; the view uses the same models to check input."""

    def mark(view: Callable) -> Callable:
        view.api_spec = {  # type: ignore[attr-defined]
            "body": body,
            "query": query,
            "responses": responses,
            "body_required": body_required,
        }
        return view

    return mark
