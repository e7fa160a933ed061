"""Admin console: the profile wizard, the profile page, priority (including two admins at once)."""

from __future__ import annotations

import re
import threading

import pytest

from app.directory import profiles
from app.directory.profiles import DEVICE_GROUPS_REFUSED
from app.scenarios import CONSOLE_OPTIONS
from app.store import EnrollmentProfile, Group, JournalEvent, db
from tests.admin_helpers import admin_base, text, token


def _ids(app, tenant_id: str) -> dict[str, str]:
    with app.app_context():
        return {p.name: p.id for p in profiles.ordered(tenant_id)}


def _order(app, tenant_id: str) -> list[tuple[str, int]]:
    with app.app_context():
        return [(p.name, p.priority) for p in profiles.ordered(tenant_id)]


def _groups(app, tenant_id: str) -> dict[str, str]:
    with app.app_context():
        return {
            g.name: g.id
            for g in db.session.scalars(db.select(Group).filter_by(tenant_id=tenant_id))
        }


def _tenant_id(base: str) -> str:
    return base.split("/")[2]


def _step(client, base, step, data):
    url = f"{base}/profiles/new/{step}"
    return client.post(url, data={"csrf_token": token(client, url), **data})


def _walk_to_review(client, base, groups, name="New Profile", include=("BYOD Users",)):
    client.get(f"{base}/profiles/new")
    assert _step(client, base, "basics", {"name": name, "description": "Desc"}).status_code == 302
    response = _step(
        client, base, "settings", {"require_choice": "required", "default_type": "user"}
    )
    assert response.status_code == 302
    response = _step(
        client,
        base,
        "assignments",
        {"assign_to": "selected", "include": [groups[n] for n in include], "exclude": []},
    )
    assert response.status_code == 302, text(response)


def test_list_shows_priority_type_and_assigned(client, new_tenant):
    base = admin_base(new_tenant)
    page = text(client.get(f"{base}/profiles"))
    assert "<h1>Enrollment type profiles</h1>" in page
    rows = re.findall(
        r'<td class="priority" data-priority>(\d+)</td>\s*<td><a [^>]+>([^<]+)</a>', page
    )
    assert rows == [("1", "BYOD Choice"), ("2", "Sales UE"), ("3", "Corp DE")]
    assert "User choice" in page and "User enrollment" in page and "Device enrollment" in page
    assert 'aria-label="Move Sales UE up"' in page and 'aria-label="Move Sales UE down"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "description": "x"}, "Enter a name."),
        ({"name": "  ", "description": "x"}, "Enter a name."),
        ({"name": "P", "description": ""}, "Enter a description."),
        ({"name": "x" * 257, "description": "d"}, "Field cannot be longer than 256 characters."),
    ],
)
def test_basics_validates_before_next(client, new_tenant, data, message):
    base = admin_base(new_tenant)
    client.get(f"{base}/profiles/new")
    response = _step(client, base, "basics", data)
    assert response.status_code == 422
    assert message in text(response)
    # Settings is not reachable until Basics is valid.
    assert client.get(f"{base}/profiles/new/settings").status_code == 302


def test_settings_validates_choice(client, new_tenant):
    base = admin_base(new_tenant)
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "P", "description": "D"})
    response = _step(client, base, "settings", {"require_choice": "maybe", "default_type": "x"})
    assert response.status_code == 422
    page = text(response)
    assert "Not a valid choice" in page
    assert page.count('class="field-errors"') == 2


def test_assignments_refuse_a_device_group(client, app, new_tenant):
    base = admin_base(new_tenant)
    groups = _groups(app, _tenant_id(base))
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "P", "description": "D"})
    _step(client, base, "settings", {"require_choice": "notConfigured", "default_type": "user"})
    response = _step(
        client,
        base,
        "assignments",
        {"assign_to": "selected", "include": [groups["Corporate iPads"]]},
    )
    assert response.status_code == 422
    assert DEVICE_GROUPS_REFUSED.replace("'", "&#39;") in text(response)


def test_assignments_refuse_a_group_both_included_and_excluded(client, app, new_tenant):
    base = admin_base(new_tenant)
    groups = _groups(app, _tenant_id(base))
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "P", "description": "D"})
    _step(client, base, "settings", {"require_choice": "notConfigured", "default_type": "user"})
    sales = groups["Sales"]
    response = _step(
        client,
        base,
        "assignments",
        {"assign_to": "selected", "include": [sales], "exclude": [sales]},
    )
    assert response.status_code == 422
    assert "both included and excluded: Sales" in text(response)


def test_nothing_is_saved_until_create_then_it_lands_last(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    _walk_to_review(client, base, _groups(app, tenant_id))
    review = text(client.get(f"{base}/profiles/new/review"))
    for shown in (
        "New Profile",
        "Desc",
        "Required",
        "User enrollment",
        "Selected groups",
        "BYOD Users",
    ):
        assert shown in review
    assert len(_order(app, tenant_id)) == 3  # still nothing written
    url = f"{base}/profiles/new/review"
    response = client.post(url, data={"csrf_token": token(client, url), "create": "1"})
    assert response.status_code == 302
    assert _order(app, tenant_id)[-1] == ("New Profile", 3)
    with app.app_context():
        created = db.session.get(EnrollmentProfile, _ids(app, tenant_id)["New Profile"])
        assert created.enrollment_type_options == CONSOLE_OPTIONS
        assert [a.group.name for a in created.assignments] == ["BYOD Users"]
        event = db.session.scalars(
            db.select(JournalEvent).filter_by(tenant_id=tenant_id, type="admin.write")
        ).all()[-1]
        assert event.detail["action"] == "profile.create"
    # The wizard state is gone: a new wizard starts at Basics, empty.
    assert client.get(f"{base}/profiles/new/review").status_code == 302


def test_previous_keeps_what_was_typed(client, new_tenant):
    base = admin_base(new_tenant)
    client.get(f"{base}/profiles/new")
    _step(client, base, "basics", {"name": "Kept", "description": "D"})
    response = _step(client, base, "settings", {"previous": "1", "require_choice": "required"})
    assert response.headers["Location"].endswith("/profiles/new/basics")
    assert 'value="Kept"' in text(client.get(f"{base}/profiles/new/basics"))


def test_html_in_a_profile_name_is_escaped(client, app, new_tenant):
    base = admin_base(new_tenant)
    _walk_to_review(client, base, _groups(app, _tenant_id(base)), name="<script>alert(1)</script>")
    url = f"{base}/profiles/new/review"
    client.post(url, data={"csrf_token": token(client, url), "create": "1"})
    for page in (
        f"{base}/profiles",
        f"{base}/profiles/{_ids(app, _tenant_id(base))['<script>alert(1)</script>']}",
    ):
        body = text(client.get(page))
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_create_without_csrf_token_is_refused(client, new_tenant):
    base = admin_base(new_tenant)
    client.get(f"{base}/profiles/new")
    response = client.post(f"{base}/profiles/new/basics", data={"name": "P", "description": "D"})
    assert response.status_code == 400


def test_edit_reuses_the_wizard_forms(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    profile_id = _ids(app, tenant_id)["Sales UE"]
    url = f"{base}/profiles/{profile_id}/edit/basics"
    response = client.post(
        url, data={"csrf_token": token(client, url), "name": "", "description": ""}
    )
    assert response.status_code == 422
    assert "Enter a name." in text(response) and "Enter a description." in text(response)
    url = f"{base}/profiles/{profile_id}/edit/settings"
    client.post(
        url,
        data={
            "csrf_token": token(client, url),
            "require_choice": "required",
            "default_type": "device",
        },
    )
    url = f"{base}/profiles/{profile_id}/edit/assignments"
    response = client.post(url, data={"csrf_token": token(client, url), "assign_to": "all"})
    assert response.status_code == 302
    page = text(client.get(f"{base}/profiles/{profile_id}"))
    assert "Required" in page and "Device enrollment" in page and "All users" in page


def test_delete_asks_then_closes_the_gap(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    url = f"{base}/profiles/{_ids(app, tenant_id)['BYOD Choice']}/delete"
    assert "Are you sure you want to delete the profile BYOD Choice?" in text(client.get(url))
    client.post(url, data={"csrf_token": token(client, url)})
    assert _order(app, tenant_id) == [("Sales UE", 0), ("Corp DE", 1)]


def test_move_buttons(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    ids = _ids(app, tenant_id)
    csrf = token(client, f"{base}/profiles")
    client.post(
        f"{base}/profiles/{ids['Corp DE']}/move", data={"csrf_token": csrf, "direction": "up"}
    )
    assert [n for n, _ in _order(app, tenant_id)] == ["BYOD Choice", "Corp DE", "Sales UE"]
    response = client.post(
        f"{base}/profiles/{ids['BYOD Choice']}/move",
        data={"csrf_token": csrf, "direction": "up"},
        follow_redirects=True,
    )
    assert "BYOD Choice already has the highest priority." in text(response)
    bad = client.post(
        f"{base}/profiles/{ids['Corp DE']}/move", data={"csrf_token": csrf, "direction": "sideways"}
    )
    assert bad.status_code == 400


def test_reorder_json(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    ids = _ids(app, tenant_id)
    csrf = token(client, f"{base}/profiles")
    order = [ids["Corp DE"], ids["BYOD Choice"], ids["Sales UE"]]
    response = client.post(
        f"{base}/profiles/reorder", json={"order": order}, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 200
    assert [p["name"] for p in response.get_json()["value"]] == [
        "Corp DE",
        "BYOD Choice",
        "Sales UE",
    ]
    assert (
        client.post(f"{base}/profiles/reorder", json={"order": order}).status_code == 400
    )  # no CSRF
    bad = client.post(
        f"{base}/profiles/reorder", json={"order": "x"}, headers={"X-CSRFToken": csrf}
    )
    assert bad.status_code == 400
    unknown = client.post(
        f"{base}/profiles/reorder", json={"order": ["nope"]}, headers={"X-CSRFToken": csrf}
    )
    assert unknown.status_code == 409 and "nope" in unknown.get_json()["error"]["message"]


def test_two_admins_reordering_at_once_never_make_gaps_or_duplicates(app, new_tenant):
    scenario = {
        "profiles": [{"name": f"P{i}", "description": "d"} for i in range(6)],
    }
    base = admin_base(new_tenant, scenario)
    tenant_id = _tenant_id(base)
    ids = list(_ids(app, tenant_id).values())
    errors: list[str] = []

    def admin(seed: int) -> None:
        client = app.test_client()
        csrf = token(client, f"{base}/profiles")
        for i in range(15):
            if (i + seed) % 2:
                order = ids[seed:] + ids[:seed] if i % 3 else list(reversed(ids))
                r = client.post(
                    f"{base}/profiles/reorder", json={"order": order}, headers={"X-CSRFToken": csrf}
                )
            else:
                r = client.post(
                    f"{base}/profiles/{ids[(i * seed) % len(ids)]}/move",
                    data={"csrf_token": csrf, "direction": "up" if i % 4 else "down"},
                )
            if r.status_code not in (200, 302):
                errors.append(f"{r.status_code} {text(r)[:200]}")

    threads = [threading.Thread(target=admin, args=(seed,)) for seed in (1, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    priorities = sorted(priority for _, priority in _order(app, tenant_id))
    assert priorities == list(range(6))


def test_errors_keep_the_console_layout(client, new_tenant):
    base = admin_base(new_tenant)
    missing = client.get(f"{base}/profiles/nope")
    assert missing.status_code == 404
    assert "No enrollment type profile with id &#39;nope&#39;." in text(missing)
    assert "Enrollment type profiles" in text(missing)  # the navigation is still there
    no_token = client.post(f"{base}/profiles/reorder", json={"order": []})
    assert no_token.status_code == 400
    assert "security token" in no_token.get_json()["error"]["message"]
    assert client.get("/t/nope/admin/profiles").status_code == 404


def test_deleting_an_already_deleted_profile_says_so(client, app, new_tenant):
    base = admin_base(new_tenant)
    url = f"{base}/profiles/{_ids(app, _tenant_id(base))['Sales UE']}/delete"
    csrf = token(client, url)
    client.post(url, data={"csrf_token": csrf})
    again = client.post(url, data={"csrf_token": csrf})
    assert again.status_code == 404
    assert _order(app, _tenant_id(base)) == [("BYOD Choice", 0), ("Corp DE", 1)]


def test_a_filter_box_appears_when_there_are_many_groups(client, new_tenant):
    few = admin_base(new_tenant)
    many = admin_base(new_tenant, {"groups": [{"name": f"Group {i}"} for i in range(12)]})
    for base, expected in ((few, 0), (many, 2)):
        client.get(f"{base}/profiles/new")
        _step(client, base, "basics", {"name": "P", "description": "D"})
        _step(client, base, "settings", {"require_choice": "required", "default_type": "user"})
        page = text(client.get(f"{base}/profiles/new/assignments"))
        assert page.count('placeholder="Filter groups"') == expected


def test_keyboard_move_keeps_focus_on_the_button(client, app, new_tenant):
    base = admin_base(new_tenant)
    ids = _ids(app, _tenant_id(base))
    csrf = token(client, f"{base}/profiles")
    response = client.post(
        f"{base}/profiles/{ids['Sales UE']}/move",
        data={"csrf_token": csrf, "direction": "up"},
        follow_redirects=True,
    )
    page = text(response)
    # Sales UE is now first: its up button is disabled, so focus lands on its down button.
    focused = re.findall(r'<button [^>]*aria-label="([^"]+)"[^>]*autofocus', page)
    assert focused == ["Move Sales UE down"]


def test_wizards_of_many_tenants_keep_the_cookie_small(client, new_tenant):
    bases = [admin_base(new_tenant, {}) for _ in range(5)]
    for base in bases:
        client.get(f"{base}/profiles/new")
        _step(client, base, "basics", {"name": "P", "description": "D"})
    with client.session_transaction() as session:
        open_wizards = [k for k in session if k.startswith("admin-wizard:")]
    assert len(open_wizards) == 3
    assert f"admin-wizard:{_tenant_id(bases[-1])}" in open_wizards
