"""The console per Intune release (enrollment-today.md §1): the Settings step of Create profile,
the profile page and its Edit show the release's options and names, from releases.py."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from app.admin.release_settings import LEGACY_REFUSED
from app.enrollment.releases import LEGACY_USER_ENROLLMENT_LABEL
from app.store import EnrollmentProfile, JournalEvent, Tenant, db, transaction
from tests.admin_helpers import SCENARIO, text, token

CURRENT_NAMES = [
    "Device enrollment with Company Portal",
    "Web based device enrollment",
    "Account driven user enrollment",
    "Determine based on user choice",
]
GA_NAMES = ["Device enrollment", "User enrollment", "Determine based on user choice"]


def _base(new_tenant, release: str) -> str:
    made = new_tenant({**SCENARIO, "settings": {"intuneRelease": release}})
    return f"/t/{made['id']}/admin"


def _step(client, base, step, data):
    url = f"{base}/profiles/new/{step}"
    return client.post(url, data={"csrf_token": token(client, url), **data})


def _profile(app, base: str, name: str) -> EnrollmentProfile:
    tenant_id = base.split("/")[2]
    with app.app_context():
        row = db.session.scalar(
            db.select(EnrollmentProfile).filter_by(tenant_id=tenant_id, name=name)
        )
        db.session.expunge(row)
        return row


def _checked(page: str) -> str | None:
    """The value of the checked Enrollment type radio."""
    found = re.search(r'<input checked[^>]*name="enrollment_type"[^>]*value="([^"]+)"', page)
    return found.group(1) if found else None


def _create(client, base, enrollment_type: str, name: str = "Today"):
    client.get(f"{base}/profiles/new")
    assert _step(client, base, "basics", {"name": name, "description": "d"}).status_code == 302
    response = _step(client, base, "settings", {"enrollment_type": enrollment_type})
    assert response.status_code == 302, text(response)
    assert _step(client, base, "assignments", {"assign_to": "all"}).status_code == 302
    review = client.get(f"{base}/profiles/new/review")
    assert review.status_code == 200
    return review, _step(client, base, "review", {"create": "1"})


@pytest.mark.parametrize(
    ("release", "shown", "hidden"),
    [
        (
            "preview-2019",
            ["Require user to select device type", "Default enrollment type"],
            ["Determine based on user choice", "Account driven user enrollment"],
        ),
        ("ga-2020", ["Enrollment type", *GA_NAMES], ["Require user to select device type"]),
        (
            "current",
            ["Enrollment type", *CURRENT_NAMES],
            [LEGACY_USER_ENROLLMENT_LABEL, "Require user to select device type"],
        ),
    ],
)
def test_settings_step_shows_the_release_names(client, new_tenant, release, shown, hidden):
    base = _base(new_tenant, release)
    client.get(f"{base}/profiles/new")
    assert _step(client, base, "basics", {"name": "P", "description": "d"}).status_code == 302
    page = text(client.get(f"{base}/profiles/new/settings"))
    for name in shown:
        assert name in page, name
    for name in hidden:
        assert name not in page, name


@pytest.mark.parametrize(
    ("enrollment_type", "label"),
    [
        ("accountDrivenUserEnrollment", "Account driven user enrollment"),
        ("webDeviceEnrollment", "Web based device enrollment"),
        ("device", "Device enrollment with Company Portal"),
    ],
)
def test_current_wizard_creates_each_type(client, app, new_tenant, enrollment_type, label):
    base = _base(new_tenant, "current")
    review, created = _create(client, base, enrollment_type)
    assert f"<dt>Enrollment type</dt><dd>{label}</dd>" in text(review)
    assert created.status_code == 302
    profile = _profile(app, base, "Today")
    assert (profile.default_enrollment_type, profile.enrollment_type_options) == (
        enrollment_type,
        [],
    )
    page = text(client.get(created.headers["Location"]))
    assert f"<dt>Enrollment type</dt><dd>{label}</dd>" in page
    assert f"· {label}</p>" in page  # the heading line names the type the same way
    assert label in text(client.get(f"{base}/profiles"))


@pytest.mark.parametrize(
    ("release", "pairs"),
    [
        ("ga-2020", [("company", "device"), ("personal", "user")]),
        (
            "current",
            [
                ("company", "device"),
                ("personal", "device"),
                ("personal", "accountDrivenUserEnrollment"),
            ],
        ),
    ],
)
def test_user_choice_stores_the_release_pairs(client, app, new_tenant, release, pairs):
    base = _base(new_tenant, release)
    _review, created = _create(client, base, "choice")
    assert created.status_code == 302
    profile = _profile(app, base, "Today")
    stored = [(o["ownerType"], o["enrollmentType"]) for o in profile.enrollment_type_options]
    assert stored == pairs
    assert "Determine based on user choice" in text(client.get(created.headers["Location"]))


def test_current_refuses_legacy_user_enrollment_for_a_new_profile(client, app, new_tenant):
    base = _base(new_tenant, "current")
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "Legacy", "description": "d"})
    response = _step(client, base, "settings", {"enrollment_type": "user"})
    assert response.status_code == 422
    assert escape(LEGACY_REFUSED) in text(response)
    assert client.get(f"{base}/profiles/new/review").status_code == 302  # settings not done
    with app.app_context():
        assert db.session.scalar(db.select(EnrollmentProfile).filter_by(name="Legacy")) is None


@pytest.mark.parametrize("release", ["ga-2020", "current"])
def test_unknown_type_is_a_clear_422(client, new_tenant, release):
    base = _base(new_tenant, release)
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "P", "description": "d"})
    response = _step(client, base, "settings", {"enrollment_type": "bogus"})
    assert response.status_code == 422
    assert "Choose one of: " in text(response)
    assert _step(client, base, "settings", {}).status_code == 422


def test_current_keeps_legacy_option_on_a_profile_that_has_it(client, app, new_tenant):
    base = _base(new_tenant, "current")
    sales = _profile(app, base, "Sales UE")  # profile-based User Enrollment from the scenario
    page = text(client.get(f"{base}/profiles/{sales.id}"))
    assert f"<dd>{LEGACY_USER_ENROLLMENT_LABEL}</dd>" in page
    edit_url = f"{base}/profiles/{sales.id}/edit/settings"
    edit = text(client.get(edit_url))
    assert LEGACY_USER_ENROLLMENT_LABEL in edit
    assert (
        'value="user" checked' in edit
        or 'checked type="radio" value="user"' in edit
        or ('value="user"' in edit and "checked" in edit)
    )
    saved = client.post(
        edit_url, data={"csrf_token": token(client, edit_url), "enrollment_type": "user"}
    )
    assert saved.status_code == 302
    assert _profile(app, base, "Sales UE").default_enrollment_type == "user"
    # Moving it off the legacy type is allowed; afterwards the option is gone for it too.
    moved = client.post(
        edit_url,
        data={
            "csrf_token": token(client, edit_url),
            "enrollment_type": "accountDrivenUserEnrollment",
        },
    )
    assert moved.status_code == 302
    assert LEGACY_USER_ENROLLMENT_LABEL not in text(client.get(edit_url))
    back = client.post(
        edit_url, data={"csrf_token": token(client, edit_url), "enrollment_type": "user"}
    )
    assert back.status_code == 422
    assert escape(LEGACY_REFUSED) in text(back)
    corp = _profile(app, base, "Corp DE")
    assert LEGACY_USER_ENROLLMENT_LABEL not in text(
        client.get(f"{base}/profiles/{corp.id}/edit/settings")
    )


def test_edit_writes_journal_and_choice_round_trips(client, app, new_tenant):
    base = _base(new_tenant, "current")
    corp = _profile(app, base, "Corp DE")
    url = f"{base}/profiles/{corp.id}/edit/settings"
    response = client.post(
        url, data={"csrf_token": token(client, url), "enrollment_type": "choice"}
    )
    assert response.status_code == 302
    assert _checked(text(client.get(url))) == "choice"
    with app.app_context():
        actions = [e.detail.get("action") for e in db.session.scalars(db.select(JournalEvent))]
    assert "profile.edit.settings" in actions


def test_release_changed_mid_wizard_asks_for_settings_again(client, app, new_tenant):
    base = _base(new_tenant, "preview-2019")
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "P", "description": "d"})
    _step(client, base, "settings", {"require_choice": "required", "default_type": "user"})
    _step(client, base, "assignments", {"assign_to": "all"})
    with app.app_context():  # as every write does: in a transaction, which bumps the revision
        tenant_id = base.split("/")[2]
        with transaction(tenant_id):
            db.session.get(Tenant, tenant_id).intune_release = "current"
    review = client.get(f"{base}/profiles/new/review")
    assert review.status_code == 302
    assert review.headers["Location"].endswith("/profiles/new/settings")
    page = text(client.get(review.headers["Location"]))
    assert "Intune release has changed; choose the Settings again." in page
    assert "Account driven user enrollment" in page


def test_preview_profile_list_keeps_2019_names(client, new_tenant):
    base = _base(new_tenant, "preview-2019")
    page = text(client.get(f"{base}/profiles"))
    assert "User choice" in page and "User enrollment" in page
    assert "Determine based on user choice" not in page
