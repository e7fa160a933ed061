"""The control API's trace checks its candidates by construction, not on every call: its bytes are
the same as when the whole trace goes through the schema, for every kind of candidate."""

from __future__ import annotations

import json

from app.automation import trace
from app.control.automation import trace_body
from app.control.schemas import Trace
from app.store import Tenant, User, db
from tests.test_trace_api import SCENARIO


def test_the_trace_body_is_what_the_schema_writes(app, client, new_tenant) -> None:
    tenant_id = new_tenant(SCENARIO)["id"]
    with app.test_request_context():
        tenant = db.session.get(Tenant, tenant_id)
        users = db.session.scalars(db.select(User).where(User.tenant_id == tenant_id)).all()
        assert len(users) == 4
        kinds = set()
        for user in users:
            for device in (("", "", ""), ("F2LXCORP0001", "", "12.4"), ("", "35-1", "17.5")):
                result = trace.build(tenant, user, device[0], device[1], os_version=device[2])
                result["device"] = dict(
                    zip(("serialNumber", "imei", "osVersion"), device, strict=True)
                )
                checked = Trace.model_validate(result).body()
                assert json.dumps(trace_body(result)) == json.dumps(checked)  # order included
                kinds |= {
                    (c["included"], c["excluded"], c["applied"]) for c in checked["candidates"]
                }
    # included and applied; included but a higher one applies; excluded; not included
    assert {(True, False, True), (True, False, False), (False, True, False)} <= kinds


def test_the_http_answer_is_the_checked_trace(app, client, new_tenant) -> None:
    tenant_id = new_tenant(SCENARIO)["id"]
    response = client.get(f"/_sim/tenants/{tenant_id}/resolve?upn=ned@fabrikam.com")
    with app.test_request_context():
        tenant = db.session.get(Tenant, tenant_id)
        user = db.session.scalar(db.select(User).where(User.upn == "ned@fabrikam.com"))
        result = trace.build(tenant, user, "", "", os_version="")
        result["device"] = {"osVersion": "", "serialNumber": "", "imei": ""}
        expected = Trace.model_validate(result).body()
    assert list(response.get_json()) == list(expected)
    assert response.get_json() == expected
