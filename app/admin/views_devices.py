"""Devices: every recorded enrollment, its decision trace, ownership, and the remote actions
(carried out by the same rules as Graph's device actions: app.directory.device_actions)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from app.admin.blueprint import bp
from app.admin.deleting import confirm_delete
from app.admin.forms import ConfirmForm, OwnershipForm
from app.automation import journal
from app.directory import device_actions, listing
from app.store import EnrollmentProfile, ManagedDevice, db, transaction
from app.tenancy import tenant_row

TYPE_LABELS = {"appleUserEnrollment": "User enrollment", "userEnrollment": "Device enrollment"}
OWNERSHIP_LABELS = {"personal": "Personal", "company": "Corporate"}
# Spec §7: a User Enrollment device offers only these; Device Enrollment offers all.
USER_ENROLLMENT_ACTIONS = ["retire", "delete", "remoteLock", "sync"]
ALL_ACTIONS = ["retire", "wipe", "delete", "remoteLock", "sync", "resetPasscode"]
ACTION_LABELS = {
    "retire": "Retire",
    "wipe": "Wipe",
    "delete": "Delete",
    "remoteLock": "Remote lock",
    "sync": "Sync",
    "resetPasscode": "Passcode reset",
}
# The console's action names as Graph's (the console says "Sync" where Graph says syncDevice).
GRAPH_ACTION = {"sync": "syncDevice"}
RESULT_STATES = {
    "pending": "Pending: the device acts on it when it next checks in",
    "done": "Done",
    "notSupported": "Not supported on this device",
    "failed": "Failed",
}
FILTERS = ("user", "type", "ownership", "profile")


def actions_for(device: ManagedDevice) -> list[str]:
    return (
        USER_ENROLLMENT_ACTIONS if device.enrollment_type == "appleUserEnrollment" else ALL_ACTIONS
    )


def _profile_of(device: ManagedDevice) -> EnrollmentProfile | None:
    """The applied profile, while it still exists in this tenant."""
    profile = db.session.get(EnrollmentProfile, device.profile_id) if device.profile_id else None
    return profile if profile is not None and profile.tenant_id == g.tenant.id else None


def _device_or_404(device_id: str) -> ManagedDevice:
    device = tenant_row(ManagedDevice, device_id)
    if device is None:
        abort(404, description=f"No device with id '{device_id}'.")
    return device


def _crumbs(*extra):
    return [("Devices", url_for(".devices")), *extra]


def _matches(device: ManagedDevice, chosen: dict[str, str]) -> bool:
    values = {
        "user": device.user_principal_name.casefold(),
        "type": device.enrollment_type,
        "ownership": device.owner_type,
        "profile": device.enrollment_profile_name or "(none)",
    }
    return all(
        not wanted or values[key] == (wanted.casefold() if key == "user" else wanted)
        for key, wanted in chosen.items()
    )


@bp.get("/devices")
def devices():
    """All recorded devices, newest first; filters by name, user, type, ownership, profile."""
    everything = listing.devices(g.tenant.id)
    chosen = {key: request.args.get(key, "").strip() for key in FILTERS}
    search = request.args.get("q", "").strip().casefold()
    shown = [
        d
        for d in everything
        if _matches(d, chosen) and (not search or search in d.device_name.casefold())
    ]
    options = {
        "user": sorted({d.user_principal_name for d in everything}, key=str.casefold),
        "profile": sorted({d.enrollment_profile_name or "(none)" for d in everything}),
    }
    return render_template(
        "admin/devices.html",
        devices=shown,
        total=len(everything),
        chosen=chosen,
        search=request.args.get("q", "").strip(),
        options=options,
        type_labels=TYPE_LABELS,
        ownership_labels=OWNERSHIP_LABELS,
        crumbs=_crumbs(),
    )


@bp.route("/devices/<device_id>", methods=["GET", "POST"])
def device_page(device_id: str):
    """Every recorded field, the answers, the decision trace; ownership is the admin's to set."""
    device = _device_or_404(device_id)
    form = OwnershipForm(data={"ownership": device.owner_type})
    if form.validate_on_submit():
        before = device.owner_type
        if form.ownership.data == before:
            flash(
                f"Ownership of {device.device_name} is already {OWNERSHIP_LABELS[before]}.", "info"
            )
        else:
            with transaction(g.tenant.id):
                device.owner_type = form.ownership.data
                journal.record(
                    g.tenant.id,
                    "admin.write",
                    user=device.user_principal_name,
                    action="device.ownership",
                    deviceId=device.id,
                    deviceName=device.device_name,
                    before=before,
                    after=device.owner_type,
                )
            flash(
                f"Device ownership of {device.device_name} set to "
                f"{OWNERSHIP_LABELS[device.owner_type]}.",
                "success",
            )
        return redirect(url_for(".device_page", device_id=device.id))
    return render_template(
        "admin/device.html",
        device=device,
        form=form,
        actions=[(a, ACTION_LABELS[a]) for a in actions_for(device) if a != "delete"],
        results=_results(device),
        profile=_profile_of(device),
        type_labels=TYPE_LABELS,
        ownership_labels=OWNERSHIP_LABELS,
        crumbs=_crumbs((device.device_name or device.id, None)),
    ), (422 if form.errors else 200)


@bp.post("/devices/<device_id>/actions/<action>")
def device_action(device_id: str, action: str):
    """A remote action; only the ones the device's enrollment type supports (spec §7)."""
    device = _device_or_404(device_id)
    if not ConfirmForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    if action == "delete" or action not in ACTION_LABELS:
        abort(404)
    if action not in actions_for(device):
        abort(
            400,
            description=f"{ACTION_LABELS[action]} isn't available for User Enrollment devices.",
        )
    name, user = device.device_name, device.user_principal_name
    with transaction(g.tenant.id):
        try:
            outcome = device_actions.perform(device, GRAPH_ACTION.get(action, action))
        except device_actions.ActionRefused as refused:
            abort(400, description=str(refused))
        journal.record(
            g.tenant.id,
            "admin.write",
            user=user,
            action=f"device.{action}",
            deviceId=device_id,
            deviceName=name,
            state=outcome.state,
            **({"removed": True} if outcome.removed else {}),
        )
    if outcome.removed:
        flash(f"{name} checked in and left management; its record is gone.", "success")
        return redirect(url_for(".devices"))
    flash(f"{ACTION_LABELS[action]} sent to {name}: {_state_words(outcome.state)}.", "success")
    return redirect(url_for(".device_page", device_id=device_id))


def _state_words(state: str) -> str:
    return RESULT_STATES.get(state, state).split(":")[0].lower()


def _results(device: ManagedDevice) -> list[dict[str, str]]:
    """The device's recorded action results (Graph's deviceActionResults), newest first."""
    results = device.graph_extra().get("deviceActionResults", [])
    return [
        {
            "action": ACTION_LABELS.get(r["actionName"], r["actionName"]),
            "state": RESULT_STATES.get(r["actionState"], r["actionState"]),
            "when": r["lastUpdatedDateTime"],
        }
        for r in sorted(results, key=lambda r: r["lastUpdatedDateTime"], reverse=True)
    ]


@bp.route("/devices/<device_id>/delete", methods=["GET", "POST"])
def device_delete(device_id: str):
    """Ask, then remove the device record."""
    device = _device_or_404(device_id)
    page = url_for(".device_page", device_id=device.id)

    def delete() -> bool:
        journal.record(
            g.tenant.id,
            "admin.write",
            user=device.user_principal_name,
            action="device.delete",
            deviceId=device.id,
            deviceName=device.device_name,
        )
        db.session.delete(device)
        return True

    return confirm_delete(
        "device",
        device.device_name,
        consequence="The record disappears from Devices and from Graph's managedDevices.",
        cancel=page,
        crumbs=_crumbs((device.device_name, page), ("Delete", None)),
        delete=delete,
        done=url_for(".devices"),
    )
