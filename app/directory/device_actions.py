"""Remote actions on a recorded device, as Intune carries them out on an iPhone or iPad enrolled
through Company Portal (unsupervised).

Each action either is refused (a Windows-only action, or one Apple does not allow on a User
Enrollment device) or takes effect: it is recorded in the device's `deviceActionResults`, and
retire and wipe put the device in `retirePending` / `wipePending` until it next checks in
(`syncDevice`), when it leaves management and its record is gone, as in Intune.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.store import ManagedDevice, db, iso, utcnow

USER_ENROLLMENT = "appleUserEnrollment"
WINDOWS_ONLY = frozenset(
    {
        "updateWindowsDeviceAccount",
        "windowsDefenderScan",
        "windowsDefenderUpdateSignatures",
        "cleanWindowsDevice",
    }
)
# Supervised-only commands: an unsupervised device answers them NotSupported.
SUPERVISED_ONLY = frozenset({"rebootNow", "shutDown"})
# What Apple's User Enrollment lets an MDM do: no wipe, no passcode reset, no restart.
NOT_ON_USER_ENROLLMENT = frozenset({"wipe", "resetPasscode"})
PENDING_STATE = {"retire": "retirePending", "wipe": "wipePending"}
ACTIONS = frozenset(
    {"syncDevice", "remoteLock", "retire", "wipe", "rebootNow", "shutDown", "resetPasscode"}
    | WINDOWS_ONLY
)


class ActionRefused(Exception):
    """The action does not apply to this device; the message says why."""


@dataclass(frozen=True)
class ActionOutcome:
    """What an action did: its recorded state, and whether the device left management."""

    action: str
    state: str
    removed: bool = False


def refusal(device: ManagedDevice, action: str) -> str | None:
    """Why `action` cannot be sent to `device` (None: it can)."""
    if action in WINDOWS_ONLY:
        return (
            f"The action '{action}' is only for Windows devices; "
            f"this device runs {device.operating_system}."
        )
    if action in NOT_ON_USER_ENROLLMENT and device.enrollment_type == USER_ENROLLMENT:
        return f"The action '{action}' isn't available for User Enrollment devices."
    return None


def _result(device: ManagedDevice, action: str, state: str, now: datetime) -> None:
    kept = device.graph_extra()
    results = [r for r in kept.get("deviceActionResults", []) if r.get("actionName") != action]
    results.append(
        {
            "actionName": action,
            "actionState": state,
            "startDateTime": iso(now.replace(microsecond=0)),
            "lastUpdatedDateTime": iso(now.replace(microsecond=0)),
        }
    )
    kept["deviceActionResults"] = results
    device.graph_properties = kept


def perform(device: ManagedDevice, action: str, supervised: bool = False) -> ActionOutcome:
    """Carry `action` out on `device` inside the caller's transaction (refusal: ActionRefused)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown device action {action!r}")
    why = refusal(device, action)
    if why is not None:
        raise ActionRefused(why)
    now = utcnow()
    if action == "syncDevice":
        device.last_sync_at = now
        if device.management_state in PENDING_STATE.values():
            db.session.delete(device)  # the device checked in and left management
            return ActionOutcome(action, "done", removed=True)
        return ActionOutcome(action, "done")
    if action in PENDING_STATE:
        device.management_state = PENDING_STATE[action]
        _result(device, action, "pending", now)
        return ActionOutcome(action, "pending")
    state = "notSupported" if action in SUPERVISED_ONLY and not supervised else "done"
    _result(device, action, state, now)
    return ActionOutcome(action, state)
