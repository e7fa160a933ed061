"""The access token the web sign-in hands the device (apple-remotemanagement-user-login://):
signed with the app's secret key, bound to one tenant and user, valid for a few minutes."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.mdm.plists import MdmError

TOKEN_SECONDS = 900
_SALT = "enrollsim.mdm.access-token"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue(tenant_id: str, user_id: str) -> str:
    return _serializer().dumps({"t": tenant_id, "u": user_id})


def read(token: str, tenant_id: str, max_age: int = TOKEN_SECONDS) -> str:
    """The user id the token was issued for; 401 when forged, expired or another tenant's."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise MdmError(401, "The access token has expired: sign in again.") from None
    except BadSignature:
        raise MdmError(401, "The access token is not valid.") from None
    if (
        not isinstance(data, dict)
        or data.get("t") != tenant_id
        or not isinstance(data.get("u"), str)
    ):
        raise MdmError(401, "The access token is not valid for this tenant.")
    return data["u"]
