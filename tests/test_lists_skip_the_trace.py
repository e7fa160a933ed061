"""Lists of recorded devices never read the decision trace (issue 15, item 5): it is read only
where it is shown, a device's own trace."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from app.store import db
from bench.graph_lists import scenario


@contextmanager
def statements(app):
    seen: list[str] = []

    def record(conn, cursor, statement, *_):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def reads_trace(seen: list[str]) -> bool:
    return any("managed_devices.trace" in s for s in seen)


def test_device_lists_do_not_read_the_trace_and_a_device_page_does(app, client, new_tenant):
    tenant = new_tenant(scenario(3))
    headers = {"Authorization": f"Bearer {tenant['token']}"}
    graph = f"/t/{tenant['id']}/beta/deviceManagement/managedDevices"
    with statements(app) as seen:
        listed = client.get(f"{graph}?$top=2", headers=headers)
        assert listed.status_code == 200 and len(listed.get_json()["value"]) == 2
        assert client.get(f"/t/{tenant['id']}/admin/devices").status_code == 200
    assert seen and not reads_trace(seen)
    device_id = listed.get_json()["value"][0]["id"]
    with statements(app) as seen:
        exported = client.get(f"/_sim/tenants/{tenant['id']}/scenario")
        assert exported.status_code == 200
    assert reads_trace(seen)  # deferred, not dropped: where it is shown it is read
    assert device_id
