"""The console's lock for a shared deployment: with ENROLLSIM_CONTROL_TOKEN set, a browser session
signs in once with that token before any console page answers; without it the console is open.

The session keeps a keyed digest of the token, never the token: changing the control token (or
the secret key) signs every browser out, and a copied cookie tells nothing about the token.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.admin.blueprint import bp
from app.admin.forms import ConfirmForm

SESSION_KEY = "console_signed_in"
OPEN_VIEWS = {"sign_in", "sign_in_post"}
WRONG_TOKEN = (
    "That is not this server's control token. Check ENROLLSIM_CONTROL_TOKEN and try again."
)
SIGNED_OUT = "Signed out. Sign in again with the control token to use the console."
NOT_SIGNED_IN = "Sign in to the console first: this server asks for its control token."


class ControlTokenForm(FlaskForm):
    token = PasswordField("Control token", validators=[DataRequired("Enter the control token.")])


def lock_enabled() -> bool:
    return bool(current_app.config.get("CONTROL_TOKEN"))


def _mark(token: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"console-sign-in:" + token.encode(), hashlib.sha256).hexdigest()


def signed_in() -> bool:
    """True when the console is open, or this browser session signed in with today's token."""
    if not lock_enabled():
        return True
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, str):
        return False
    return hmac.compare_digest(kept, _mark(current_app.config["CONTROL_TOKEN"]))


def token_matches(given: str) -> bool:
    """Constant-time comparison of what the visitor typed with the control token."""
    expected = current_app.config["CONTROL_TOKEN"].encode()
    return hmac.compare_digest(given.encode(), expected)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    fallback = url_for(".index")
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.before_request
def _require_sign_in():
    endpoint = (request.endpoint or "").split(".")[-1]
    if endpoint in OPEN_VIEWS or signed_in():
        return None
    if request.method in {"GET", "HEAD"}:
        target = request.full_path if request.query_string else request.path
        return redirect(url_for(".sign_in", next=target))
    if request.is_json:
        return jsonify(error={"code": "Unauthorized", "message": NOT_SIGNED_IN}), 401
    abort(401, description=NOT_SIGNED_IN)


@bp.context_processor
def _lock_context() -> dict:
    return {
        "console_locked": lock_enabled(),
        "console_signed_in": signed_in(),
        "sign_out_form": ConfirmForm(formdata=None) if lock_enabled() else None,
    }


def _page(form: ControlTokenForm, next_url: str, status: int = 200):
    return render_template(
        "admin/sign_in.html", form=form, next_url=next_url, crumbs=[("Sign in", None)]
    ), status


@bp.get("/sign-in")
def sign_in():
    """The control token, asked once per browser session; an open console has nothing to ask."""
    next_url = safe_next(request.args.get("next"))
    if not lock_enabled() or signed_in():
        return redirect(next_url)
    return _page(ControlTokenForm(formdata=None), next_url)


@bp.post("/sign-in")
def sign_in_post():
    """Check the token (constant time) and go back where the visitor was going."""
    next_url = safe_next(request.form.get("next"))
    if not lock_enabled():
        return redirect(next_url, 303)
    form = ControlTokenForm()
    if not form.validate():
        return _page(form, next_url, 400)
    if not token_matches(form.token.data):
        form.token.errors = [WRONG_TOKEN]
        return _page(form, next_url, 401)
    session[SESSION_KEY] = _mark(current_app.config["CONTROL_TOKEN"])
    return redirect(next_url, 303)


@bp.post("/sign-out")
def sign_out():
    """Forget this browser session's sign-in (its walks stay its own)."""
    session.pop(SESSION_KEY, None)
    if lock_enabled():
        flash(SIGNED_OUT, "success")
        return redirect(url_for(".sign_in"), 303)
    return redirect(url_for(".index"), 303)
