"""Device actions on managedDevices (`/retire`, `/wipe`, `/syncDevice`, `/remoteLock`, ...): `204`
with no body, as Graph answers them, one journal line each, and the effect that
app.directory.device_actions describes; an action that does not apply to the device is a 400.
"""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field

from app.directory import device_actions as actions
from app.graph.blueprint import bp
from app.graph.bodies import Body, json_body, parse
from app.graph.errors import bad_request, not_found
from app.graph.odata import journal
from app.graph.responses import no_content
from app.store import ManagedDevice, transaction
from app.tenancy import tenant_row


class WipeBody(Body):
    """wipe's optional parameters (Graph's names); an iPhone or iPad honours keepEnrollmentData
    and persistEsimDataPlan, the others are Windows' and macOS's."""

    keepEnrollmentData: bool = False
    keepUserData: bool = False
    persistEsimDataPlan: bool = False
    macOsUnlockCode: str | None = Field(default=None, max_length=6)
    obliterationBehavior: str | None = Field(default=None, max_length=64)


class EmptyBody(Body):
    """An action without parameters: whatever the body holds is ignored, as Graph does."""


BODIES: dict[str, type[Body]] = {"wipe": WipeBody}


def _run(device_id: str, action: str) -> Any:
    data = json_body(required=False)
    body = parse(BODIES.get(action, EmptyBody), data)
    with transaction(g.tenant.id):
        device = tenant_row(ManagedDevice, device_id)
        if device is None:
            raise not_found("managedDevice", device_id)
        try:
            outcome = actions.perform(device, action)
        except actions.ActionRefused as refused:
            raise bad_request(str(refused)) from None
        detail: dict[str, Any] = {"state": outcome.state}
        if outcome.removed:
            detail["removed"] = True
        if action == "wipe":
            detail.update(body.model_dump(exclude_none=True))
        journal(action, "managedDevice", device_id, user=device.user_principal_name, **detail)
    return no_content()


def _register(action: str) -> None:
    def view(device_id: str):
        return _run(device_id, action)

    view.__name__ = f"device_{action}"
    view.__doc__ = f"Device action {action}: 204, journaled, its effect on the device."
    bp.add_url_rule(
        f"/deviceManagement/managedDevices/<device_id>/{action}",
        view.__name__,
        view,
        methods=["POST"],
    )


for _action in sorted(actions.ACTIONS):
    _register(_action)
