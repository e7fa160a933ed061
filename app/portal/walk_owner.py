"""Which browser session a walk belongs to: a random key kept in the session's signed cookie.

The walk stores a digest of the key (app.portal.walks), so neither the database nor the journal
holds anything that would open the walk in another browser. The key is made on the first sign-in
of a browser session and lives as long as the session cookie: closing the browser ends it.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import session

SESSION_KEY = "portal_browser"


def _key(create: bool) -> str | None:
    key = session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        return key
    if not create:
        return None
    key = secrets.token_urlsafe(18)
    session[SESSION_KEY] = key
    return key


def _digest(key: str) -> str:
    return hashlib.sha256(f"portal-walk-owner:{key}".encode()).hexdigest()


def new_walk_owner() -> str:
    """The owner a walk signed in now gets: this browser session's (made on first use)."""
    return _digest(_key(create=True) or "")


def this_browser() -> str:
    """This browser session's owner key; one no walk has when the session never signed in."""
    key = _key(create=False)
    return _digest(key) if key else "no-walks-in-this-browser-session"
