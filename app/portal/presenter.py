"""The presenter view (`?present=1`): remembered per browser, shared by every phone face (Company
Portal, the Settings app, web enrollment) so a demo keeps it from one face to the next."""

from __future__ import annotations

from flask import request, session

PRESENT_SESSION_KEY = "portal_present"


def remember_presenter_view() -> None:
    """`?present=1` turns the presenter view on for this browser (larger phone and panel, no
    simulator chrome) until `?present=0`."""
    wanted = request.args.get("present")
    if wanted in {"1", "true", "yes"}:
        session[PRESENT_SESSION_KEY] = True
    elif wanted in {"0", "false", "no"}:
        session.pop(PRESENT_SESSION_KEY, None)


def presenting() -> bool:
    return bool(session.get(PRESENT_SESSION_KEY))
