"""The headers every face sends, by flask-talisman: a Content-Security-Policy that runs no inline
script (the templates keep theirs in static/), refuses framing and form posts elsewhere; `nosniff`;
no Referer (walk ids live in URLs); HSTS under HTTPS; and the session cookie SameSite=Lax, Secure
whenever the request came over HTTPS.

Inline `<style>` elements carry the request's nonce (`csp_nonce()` in templates): they hold the
tenant's accent colour, validated as `#RRGGBB` on every face. `style="…"` attributes cannot carry
one, so templates use none.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


class SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so (an https ENROLLSIM_PUBLIC_URL) or when
    this request itself came over HTTPS; plain HTTP on a laptop keeps working."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def register_headers(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=False,  # the simulator runs on plain HTTP locally; a proxy terminates TLS
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["style-src"],
        referrer_policy="no-referrer",
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=False,  # decided per request by SessionCookies
        session_cookie_samesite="Lax",
        permissions_policy={},
    )
    app.session_interface = SessionCookies()
    # Talisman makes the nonce in a before_request hook, but a request can be refused earlier: a
    # blueprint's URL processing 404s an unknown tenant before any hook runs, and the trusted-host
    # check runs first among them. Its error page still carries a nonce'd <style>, so the nonce is
    # made first of all (app-wide URL processing runs before any blueprint's and any hook).
    app.url_value_preprocessor(lambda _endpoint, _values: talisman._make_nonce())
