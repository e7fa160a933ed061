"""The console's device actions follow the same rules as Graph's (app.directory.device_actions):
Sync moves the check-in time and makes a retired or wiped device leave management; Retire and
Wipe are pending until then; every action shows in the device's results, in the console and in
Graph's deviceActionResults alike, and is journaled with its state."""

from __future__ import annotations

from app.store import JournalEvent, ManagedDevice, db
from tests.admin_helpers import SCENARIO, text, token
from tests.test_admin_directory import DEVICES


def _post(client, url, page):
    return client.post(url, data={"csrf_token": token(client, page)})


def _device(app, tenant_id: str, name: str) -> ManagedDevice | None:
    with app.app_context():
        found = db.session.scalar(
            db.select(ManagedDevice).filter_by(tenant_id=tenant_id, device_name=name)
        )
        db.session.expunge_all()
        return found


def _setup(client, app, new_tenant, name: str) -> tuple[str, str, str, str]:
    """(tenant id, the device's console page, device id, the tenant's Graph token)"""
    made = new_tenant({**SCENARIO, "devices": DEVICES})
    device = _device(app, made["id"], name)
    return made["id"], f"/t/{made['id']}/admin/devices/{device.id}", device.id, made["token"]


def _journal(app, tenant_id: str) -> list[dict]:
    with app.app_context():
        return [
            e.detail
            for e in db.session.scalars(
                db.select(JournalEvent)
                .filter_by(tenant_id=tenant_id, type="admin.write")
                .order_by(JournalEvent.id)
            )
        ]


def test_sync_moves_the_check_in_time(client, app, new_tenant):
    tenant_id, page, _, _ = _setup(client, app, new_tenant, "Megan's iPad")
    before = _device(app, tenant_id, "Megan's iPad")
    assert before.last_sync_at is None
    response = _post(client, f"{page}/actions/sync", page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    after = _device(app, tenant_id, "Megan's iPad")
    assert after.last_sync_at is not None and after.last_sync_at > before.enrolled_at
    shown = text(client.get(page))
    assert "Last check-in" in shown and after.last_sync_at.strftime("%Y-%m-%d %H:%M") in shown
    last = _journal(app, tenant_id)[-1]
    assert (last["action"], last["deviceId"], last["state"]) == ("device.sync", after.id, "done")
    assert "removed" not in last


def test_retire_is_pending_until_the_next_sync_then_the_device_is_gone(client, app, new_tenant):
    tenant_id, page, device_id, graph_token = _setup(client, app, new_tenant, "Alex's iPhone")
    _post(client, f"{page}/actions/retire", page)
    assert _device(app, tenant_id, "Alex's iPhone").management_state == "retirePending"
    shown = text(client.get(page))
    assert "Remote actions" in shown and "<td>Retire</td>" in shown
    assert "Pending: the device acts on it when it next checks in" in shown
    # Graph sees the same record.
    graph_device = client.get(
        f"/t/{tenant_id}/beta/deviceManagement/managedDevices/{device_id}",
        headers={"Authorization": f"Bearer {graph_token}"},
    ).get_json()
    assert graph_device["managementState"] == "retirePending"
    assert [(r["actionName"], r["actionState"]) for r in graph_device["deviceActionResults"]] == [
        ("retire", "pending")
    ]
    response = _post(client, f"{page}/actions/sync", page)
    assert response.status_code == 302 and response.headers["Location"].endswith("/devices")
    assert _device(app, tenant_id, "Alex's iPhone") is None
    listing = text(client.get(response.headers["Location"]))
    assert "Alex&#39;s iPhone checked in and left management; its record is gone." in listing
    last = _journal(app, tenant_id)[-1]
    assert (last["action"], last["state"], last["removed"]) == ("device.sync", "done", True)
    assert client.get(page).status_code == 404


def test_wipe_and_passcode_reset_on_device_enrollment(client, app, new_tenant):
    tenant_id, page, _, _ = _setup(client, app, new_tenant, "Megan's iPad")
    _post(client, f"{page}/actions/resetPasscode", page)
    _post(client, f"{page}/actions/wipe", page)
    device = _device(app, tenant_id, "Megan's iPad")
    assert device.management_state == "wipePending"
    results = {
        r["actionName"]: r["actionState"] for r in device.graph_extra()["deviceActionResults"]
    }
    assert results == {"resetPasscode": "done", "wipe": "pending"}
    shown = text(client.get(page))
    assert "<td>Passcode reset</td><td>Done</td>" in shown and "<td>Wipe</td>" in shown
    _post(client, f"{page}/actions/sync", page)
    assert _device(app, tenant_id, "Megan's iPad") is None


def test_user_enrollment_refuses_wipe_and_records_nothing(client, app, new_tenant):
    tenant_id, page, _, _ = _setup(client, app, new_tenant, "Alex's iPhone")
    refused = _post(client, f"{page}/actions/wipe", page)
    assert refused.status_code == 400
    assert "isn&#39;t available for User Enrollment devices" in text(refused)
    device = _device(app, tenant_id, "Alex's iPhone")
    assert device.management_state == "managed" and device.graph_properties is None
    assert "No remote action has been sent to this device." in text(client.get(page))
