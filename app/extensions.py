"""Extension objects, created here and bound to the app in create_app."""

from flask_wtf.csrf import CSRFProtect

from app.store import db

csrf = CSRFProtect()

__all__ = ["csrf", "db"]
