"""The Managed Apple ID sheet asks for the password (federated Managed Apple IDs sign in with the
work account's): a wrong or missing one keeps the sheet with an error and records no device."""

from __future__ import annotations

import pytest

from app.enrollment import wording
from tests.portal_walker import Walker, profile, scenario


@pytest.fixture
def walker(client, new_tenant):
    def make(doc: dict) -> Walker:
        return Walker(client, new_tenant(doc))

    return make


def _at_apple_id_sheet(walker) -> Walker:
    w = walker(scenario(profiles=[profile(choice=False)]))
    w.sign_in(authenticator="1").walk("begin", "continue", "allow", "openProfile", "enroll")
    assert wording.MANAGED_APPLE_ID_TEXT in w.page
    assert 'type="password"' in w.page and ">Password</label>" in w.page
    return w


@pytest.mark.parametrize("password", ["wrong", "", "passw0rd!"])
def test_a_wrong_password_shows_an_error_and_records_nothing(walker, password):
    w = _at_apple_id_sheet(walker)
    w.password = password
    w.press("appleIdSignIn")
    assert w.status == 400
    assert wording.APPLE_ID_PASSWORD_WRONG.replace("'", "&#39;") in w.page
    assert 'aria-invalid="true"' in w.page
    assert wording.MANAGED_APPLE_ID_TEXT in w.page  # still on the sheet
    assert w.devices() == []
    w.password = "Passw0rd!"
    w.press("appleIdSignIn")
    assert w.heading == wording.ALL_SET
    assert len(w.devices()) == 1
