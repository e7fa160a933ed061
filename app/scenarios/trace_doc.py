"""The shape of `devices[].decisionTrace`: a device's recorded decision trace
(app.automation.trace.build plus the outcome the walk took), checked for the fields the console
renders.

Keys beyond these are kept as they are (a trace may say more than the console shows); a trace
written by hand that lacks what the device page needs is refused with its path instead of
breaking the page later. Profile ids inside a trace are the recording tenant's: a trace is a
record of what was decided there, kept as is.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class TraceProfile(_Part):
    name: str
    priority: int


class TraceCandidate(_Part):
    name: str
    priority: int
    included: bool = False
    excluded: bool = False
    applied: bool = False
    reason: str = ""


class TraceOutcome(_Part):
    ownerAnswer: str | None = None
    securityScope: str | None = None
    enrollmentType: str | None = None
    deviceEnrollmentType: str
    managedDeviceOwnerType: str
    ownershipReason: str = ""


class TraceDoc(_Part):
    appliedProfile: TraceProfile | None = None
    reason: str | None = None
    candidates: list[TraceCandidate] = []
    asksOwner: bool = False
    ownershipBehavior: str = ""
    outcomes: list[TraceOutcome] = []
    outcome: TraceOutcome | None = None
