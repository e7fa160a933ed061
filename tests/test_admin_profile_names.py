"""A second profile with a name already taken: allowed (as in Intune), but the console warns,
naming the dynamic device groups that match on that enrollmentProfileName."""

from __future__ import annotations

import re

from tests.admin_helpers import SCENARIO, admin_base, text, token
from tests.people import BYOD_USERS, SALES

GROUPS = [
    BYOD_USERS,
    SALES,
    {"name": "Choice devices", "kind": "device",
     "rule": '(device.enrollmentProfileName -eq "BYOD Choice")'},
    {"name": "Personal choice", "kind": "device",
     "rule": '(device.enrollmentProfileName -eq "byod choice") -and '
             '(device.deviceOwnership -eq "Personal")'},
    {"name": "iPads", "kind": "device", "rule": '(device.deviceModel -startsWith "iPad")'},
    {"name": "Sales UE devices", "kind": "device",
     "rule": '(device.enrollmentProfileName -eq "Sales UE")'},
]  # fmt: skip


def _step(client, base, step, data):
    url = f"{base}/profiles/new/{step}"
    return client.post(url, data={"csrf_token": token(client, url), **data})


def _warning(page: str) -> str | None:
    found = re.search(r'<p class="warn name-warning" role="status">([^<]*)</p>', page)
    return found and found.group(1)


def test_a_duplicate_name_is_warned_about_with_the_groups_it_affects(client, new_tenant):
    base = admin_base(new_tenant, {**SCENARIO, "groups": GROUPS})
    client.get(f"{base}/profiles/new")
    response = _step(client, base, "basics", {"name": "byod CHOICE", "description": "d"})
    assert response.status_code == 302  # a warning, not an error
    settings = text(client.get(f"{base}/profiles/new/settings"))
    warning = _warning(settings)
    assert warning is not None
    assert "Another profile is already named &#34;byod CHOICE&#34;" in warning
    assert (
        "Dynamic device groups that would hold devices of both: Choice devices, Personal choice."
        in warning
    )
    assert "iPads" not in warning and "Sales UE devices" not in warning
    _step(client, base, "settings", {"require_choice": "required", "default_type": "user"})
    _step(client, base, "assignments", {"assign_to": "all", "exclude": []})
    review = text(client.get(f"{base}/profiles/new/review"))
    assert _warning(review) == warning
    created = client.post(
        f"{base}/profiles/new/review",
        data={"csrf_token": token(client, f"{base}/profiles/new/review")},
    )
    assert created.status_code == 302
    profile_page = text(client.get(created.headers["Location"]))
    assert "Choice devices, Personal choice" in _warning(profile_page)  # fmt: skip


def test_a_unique_name_has_no_warning_and_no_group_is_named_when_none_matches(client, new_tenant):
    base = admin_base(new_tenant, {**SCENARIO, "groups": GROUPS})
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "Kiosks", "description": "d"})
    assert _warning(text(client.get(f"{base}/profiles/new/settings"))) is None
    base = admin_base(new_tenant)  # no dynamic groups at all
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "Corp DE", "description": "d"})
    warning = _warning(text(client.get(f"{base}/profiles/new/settings")))
    assert warning.endswith("No dynamic device group matches this name today.")


def test_the_profile_page_warns_only_while_the_name_is_shared(client, new_tenant):
    base = admin_base(new_tenant)
    page = text(client.get(f"{base}/profiles"))
    link = re.search(r'<a href="([^"]+)">Sales UE</a>', page).group(1)
    assert _warning(text(client.get(link))) is None
