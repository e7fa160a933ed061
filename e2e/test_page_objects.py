"""The plugin's page objects against a stand-in portal built from spec §3's names and roles.

The real Company Portal is tested by its own suite; this checks that `PortalPage` finds every
control by the spec's accessible names and walks each path to "You're all set!".
"""

from __future__ import annotations

import threading

import pytest
from flask import Flask, redirect, request
from markupsafe import escape
from werkzeug.serving import make_server

from app.testing.pages import PortalPage, ProfileListPage

COMPANY = "Contoso <Labs>"


def screen(heading: str, body: str) -> str:
    return f"<!doctype html><title>Portal</title><h1>{escape(heading)}</h1>{body}"


def form(action: str, *buttons: str, fields: str = "") -> str:
    pressed = "".join(f'<button name="b" value="{escape(b)}">{escape(b)}</button>' for b in buttons)
    return f'<form method="post" action="{action}">{fields}{pressed}</form>'


def radios(*labels: str) -> str:
    return "".join(
        f'<label><input type="radio" name="r" value="{escape(label)}"> {escape(label)}</label>'
        for label in labels
    )


def stand_in_portal(visits: list[str]) -> Flask:
    app = Flask("stand-in")
    owner = [f"{COMPANY} owns this device", "I own this device"]
    scope = ["Secure entire device", "Secure work-related apps and data only"]
    pages = {
        "signin": screen(
            "Sign in",
            form(
                "/signin",
                "Sign in",
                fields='<label>Email <input name="e"></label>'
                '<label>Password <input name="p" type="password"></label>',
            ),
        ),
        "setup": screen(f"Set up {COMPANY} access", form("/setup", "Begin", "Postpone")),
        "owner": screen(
            "Select device and enrollment type", form("/owner", "Continue", fields=radios(*owner))
        ),
        "scope": screen(
            "Select device and enrollment type", form("/scope", "Continue", fields=radios(*scope))
        ),
        "authenticator": screen(
            "Download Microsoft Authenticator", form("/authenticator", "Download from App Store")
        ),
        "authenticated": screen(
            "Download Microsoft Authenticator", form("/authenticated", "Continue")
        ),
        "privacy": screen("Device management and privacy", form("/privacy", "Continue")),
        "download": screen("Download management profile", form("/download", "Ignore", "Allow")),
        "settings": screen(
            "How to install Management Profile", form("/settings", f"Enroll in {COMPANY}")
        ),
        "sheet": screen(
            "User Enrollment", form("/sheet", "Enroll My iPhone", "Cancel and Delete Profile")
        ),
        "appleid": screen(
            "Managed Apple ID",
            form(
                "/appleid",
                "Sign in",
                fields='<label>Password <input name="p" type="password"></label>',
            ),
        ),
        "install": screen("Install Profile", form("/install", "Install")),
        "trust": screen("Remote Management", form("/trust", "Trust")),
        "installed": screen("Profile Installed", form("/installed", "Done")),
        "done": screen("You're all set!", "<p>User Enrollment</p>" + form("/done", "Done")),
    }
    state = {"type": "device"}
    after = {
        "signin": "setup",
        "setup": "owner",
        "authenticator": "authenticated",
        "authenticated": "privacy",
        "privacy": "download",
        "sheet": "appleid",
        "appleid": "done",
        "install": "trust",
        "trust": "installed",
        "installed": "done",
    }

    @app.get("/<name>")
    def show(name: str):
        if name not in pages:
            return "", 404  # e.g. the browser's favicon request
        visits.append(name)
        return pages[name]

    @app.post("/<name>")
    def submit(name: str):
        choice = request.form.get("r")
        if name == "signin" and request.form["p"] != "Passw0rd!":
            return "wrong password", 400
        if name == "owner":
            nxt = "scope" if choice == "I own this device" else "privacy"
        elif name == "scope":
            state["type"] = "user" if choice == scope[1] else "device"
            nxt = "authenticator" if state["type"] == "user" else "privacy"
        elif name == "download":
            nxt = "settings" if request.form["b"] == "Allow" else "download"
        elif name == "settings":
            nxt = "sheet" if state["type"] == "user" else "install"
        else:
            nxt = after[name]
        return redirect(f"/{nxt}")

    return app


@pytest.fixture
def stand_in(page):
    visits: list[str] = []
    server = make_server("127.0.0.1", 0, stand_in_portal(visits), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    portal = PortalPage(page, COMPANY).open(f"http://127.0.0.1:{server.server_port}/signin")
    yield portal, visits
    server.shutdown()
    thread.join(timeout=5)


def test_company_answer_walks_the_device_enrollment_path(stand_in):
    portal, visits = stand_in
    portal.sign_in("alex@contoso.com", "Passw0rd!")
    portal.answer_owner("company")
    text = portal.finish()
    assert "You're all set!" in text
    assert visits == [
        "signin", "setup", "owner", "privacy", "download", "settings",
        "install", "trust", "installed", "done",
    ]  # fmt: skip


def test_work_only_walks_the_user_enrollment_path(stand_in):
    portal, visits = stand_in
    portal.sign_in("alex@contoso.com", "Passw0rd!")
    portal.answer_owner("personal")
    portal.answer_scope("workOnly")
    portal.finish()
    assert visits == [
        "signin", "setup", "owner", "scope", "authenticator", "authenticated", "privacy",
        "download", "settings", "sheet", "appleid", "done",
    ]  # fmt: skip


def test_finish_says_where_the_walk_stopped(stand_in):
    portal, _ = stand_in
    with pytest.raises(AssertionError, match="stopped before"):
        portal.page.set_content(
            screen("Couldn't enroll this device", "<p>UserEnrollmentUnsupportedOsVersion</p>")
        )
        portal.finish()


def stand_in_console(names: list[str]) -> Flask:
    app = Flask("stand-in-console")

    @app.get("/")
    def home():
        return screen("Home", '<nav><a href="/profiles">Enrollment type profiles</a></nav>')

    @app.get("/profiles")
    def profiles():
        rows = "".join(
            f"<tr><td>{i + 1}</td><td>{escape(name)}</td><td>User choice</td><td>Yes</td><td>"
            + form("/move", f"Move {name} up", f"Move {name} down")
            + "</td></tr>"
            for i, name in enumerate(names)
        )
        head = "<tr><th>Priority</th><th>Name</th><th>Enrollment type</th><th>Assigned</th></tr>"
        return screen("Enrollment type profiles", f"<table>{head}{rows}</table>")

    @app.post("/move")
    def move():
        label = request.form["b"].removeprefix("Move ")
        name, _, direction = label.rpartition(" ")
        i = names.index(name)
        j = max(0, min(len(names) - 1, i - 1 if direction == "up" else i + 1))
        names[i], names[j] = names[j], names[i]
        return redirect("/profiles")

    return app


def test_profile_list_reads_and_reorders_by_the_keyboard_buttons(page):
    names = ["BYOD <Choice>", "Sales UE", "Corporate DE"]
    server = make_server("127.0.0.1", 0, stand_in_console(names), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        profiles = ProfileListPage(page, f"http://127.0.0.1:{server.server_port}/").open()
        assert profiles.names() == ["BYOD <Choice>", "Sales UE", "Corporate DE"]
        profiles.move_down("BYOD <Choice>")
        assert profiles.names() == ["Sales UE", "BYOD <Choice>", "Corporate DE"]
        profiles.move_up("Corporate DE")
        assert profiles.names() == ["Sales UE", "Corporate DE", "BYOD <Choice>"]
    finally:
        server.shutdown()
        thread.join(timeout=5)
