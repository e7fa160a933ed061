"""Admin console: tenant administration, corporate identifiers, devices, Check a user, Activity."""

from __future__ import annotations

import io
import re

import pytest

from app.directory import listing
from app.store import CorporateIdentifier, JournalEvent, ManagedDevice, Tenant, db
from tests.admin_helpers import SCENARIO, admin_base, text, token
from tests.test_admin_directory import DEVICES


def _tenant_id(base: str) -> str:
    return base.split("/")[2]


def _post(client, url, data, page):
    return client.post(url, data={"csrf_token": token(client, page), **data})


def _identifiers(app, tenant_id) -> list[str]:
    with app.app_context():
        return sorted(
            i.value
            for i in db.session.scalars(
                db.select(CorporateIdentifier).filter_by(tenant_id=tenant_id)
            )
        )


def test_tenant_page_shows_the_graph_token(client, app, new_tenant):
    made = new_tenant(SCENARIO)
    page = text(client.get(f"/t/{made['id']}/admin/tenant"))
    assert made["token"] in page
    assert "Graph API token" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"company": "", "theme_color": "#123456"}, "Enter a company name."),
        ({"company": "Fabrikam", "theme_color": "blue"}, "Enter a color like #0078D4."),
    ],
)
def test_branding_validation(client, new_tenant, data, message):
    base = admin_base(new_tenant)
    response = _post(client, f"{base}/tenant/branding", data, f"{base}/tenant")
    assert response.status_code == 422
    assert message in text(response)


def test_branding_and_settings_are_saved_and_journaled(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    _post(
        client,
        f"{base}/tenant/branding",
        {"company": "<i>Fabrikam</i>", "theme_color": "#aa0000"},
        f"{base}/tenant",
    )
    response = _post(
        client,
        f"{base}/tenant/settings",
        {
            "mdm_authority": "unknown",
            "apns_expires": "2020-01-01",
            "ownership_behavior": "ga-2020",
            "fast_profile_install": "y",
        },
        f"{base}/tenant",
    )
    assert response.status_code == 302
    page = text(client.get(f"{base}/tenant"))
    assert "&lt;i&gt;Fabrikam&lt;/i&gt;" in page and "<i>Fabrikam</i>" not in page
    assert "Certificate expired on 2020-01-01" in page
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        assert (tenant.company, tenant.theme_color, tenant.mdm_authority) == (
            "<i>Fabrikam</i>",
            "#AA0000",
            "unknown",
        )
        assert tenant.ownership_behavior == "ga-2020" and tenant.fast_profile_install
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(JournalEvent)
                .filter_by(tenant_id=tenant_id, type="admin.write")
            )
            == 2
        )


def test_settings_validation(client, new_tenant):
    base = admin_base(new_tenant)
    response = _post(
        client,
        f"{base}/tenant/settings",
        {"mdm_authority": "jamf", "apns_expires": "tomorrow", "ownership_behavior": "2021"},
        f"{base}/tenant",
    )
    assert response.status_code == 422
    assert text(response).count('class="field-errors"') == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "serialNumber", "value": ""}, "Enter a serial number or IMEI."),
        ({"kind": "serialNumber", "value": "F2/LX"}, "is not a serial number"),
        ({"kind": "imei", "value": "12345"}, "is not an IMEI (15 digits)."),
        (
            {"kind": "serialNumber", "value": "f2lx0001"},
            "f2lx0001 is already a corporate identifier.",
        ),
    ],
)
def test_add_identifier_validation(client, new_tenant, data, message):
    base = admin_base(
        new_tenant,
        {**SCENARIO, "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LX0001"}]},
    )
    response = _post(client, f"{base}/tenant/identifiers", data, f"{base}/tenant")
    assert response.status_code == 422
    assert message in text(response)


def test_import_reports_bad_lines_by_number_and_imports_nothing(client, app, new_tenant):
    base = admin_base(
        new_tenant,
        {**SCENARIO, "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LX0001"}]},
    )
    tenant_id = _tenant_id(base)
    csv_text = "AAA111,Front desk\nBB/22,broken\n\nCCC333,a,b\nAAA111,again\nf2lx0001,old\nDDD444\n"
    response = _post(
        client,
        f"{base}/tenant/identifiers/import",
        {"kind": "serialNumber", "csv_text": csv_text},
        f"{base}/tenant",
    )
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was imported." in page
    assert "Line 2: &#39;BB/22&#39; is not a serial number" in page
    assert "Line 4: expected identifier,details but found 3 fields." in page
    assert "Line 5: AAA111 duplicates line 1." in page
    assert "Line 6: f2lx0001 is already a corporate identifier." in page
    assert "Line 1" not in page and "Line 7" not in page
    assert _identifiers(app, tenant_id) == ["F2LX0001"]


def test_import_a_csv_file(client, app, new_tenant):
    base = admin_base(new_tenant)
    upload = (io.BytesIO(b"\xef\xbb\xbfAAA111,Front desk\r\nBBB222,Spare\r\n"), "serials.csv")
    response = client.post(
        f"{base}/tenant/identifiers/import",
        data={
            "csrf_token": token(client, f"{base}/tenant"),
            "kind": "serialNumber",
            "csv_file": upload,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _identifiers(app, _tenant_id(base)) == ["AAA111", "BBB222"]
    empty = _post(
        client,
        f"{base}/tenant/identifiers/import",
        {"kind": "imei", "csv_text": "  "},
        f"{base}/tenant",
    )
    assert empty.status_code == 422 and "Choose a CSV file" in text(empty)


def test_delete_identifier(client, app, new_tenant):
    base = admin_base(
        new_tenant,
        {**SCENARIO, "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LX0001"}]},
    )
    tenant_id = _tenant_id(base)
    with app.app_context():
        ident = db.session.scalar(db.select(CorporateIdentifier).filter_by(tenant_id=tenant_id)).id
    _post(client, f"{base}/tenant/identifiers/{ident}/delete", {}, f"{base}/tenant")
    assert _identifiers(app, tenant_id) == []


def _devices(app, tenant_id) -> dict[str, ManagedDevice]:
    with app.app_context():
        found = {
            d.device_name: d
            for d in db.session.scalars(db.select(ManagedDevice).filter_by(tenant_id=tenant_id))
        }
        db.session.expunge_all()
        return found


def test_devices_list_filters_and_ownership_change(client, app, new_tenant):
    base = admin_base(new_tenant, {**SCENARIO, "devices": DEVICES})
    tenant_id = _tenant_id(base)
    listing = text(client.get(f"{base}/devices", query_string={"type": "appleUserEnrollment"}))
    assert "Alex&#39;s iPhone" in listing and "Megan&#39;s iPad" not in listing
    by_name = text(client.get(f"{base}/devices", query_string={"q": "ipad"}))
    assert "Megan&#39;s iPad" in by_name and "Alex&#39;s iPhone" not in by_name
    by_owner = text(client.get(f"{base}/devices", query_string={"ownership": "company"}))
    assert "Megan&#39;s iPad" in by_owner and "Alex&#39;s iPhone" not in by_owner
    alex = _devices(app, tenant_id)["Alex's iPhone"]
    page = f"{base}/devices/{alex.id}"
    bad = _post(client, page, {"ownership": "stolen"}, page)
    assert bad.status_code == 422 and "Not a valid choice" in text(bad)
    _post(client, page, {"ownership": "company"}, page)
    assert _devices(app, tenant_id)["Alex's iPhone"].owner_type == "company"
    with app.app_context():
        event = db.session.scalars(
            db.select(JournalEvent).filter_by(tenant_id=tenant_id, type="admin.write")
        ).one()
        assert event.detail["action"] == "device.ownership"
        assert (event.detail["before"], event.detail["after"]) == ("personal", "company")


def test_user_enrollment_devices_offer_only_spec_actions(client, app, new_tenant):
    base = admin_base(new_tenant, {**SCENARIO, "devices": DEVICES})
    devices = _devices(app, _tenant_id(base))
    alex_id, megan_id = devices["Alex's iPhone"].id, devices["Megan's iPad"].id
    ue_page = text(client.get(f"{base}/devices/{alex_id}"))
    for shown in ("Retire", "Delete", "Remote lock", "Sync"):
        assert f">{shown}</" in ue_page
    assert ">Wipe</" not in ue_page and ">Passcode reset</" not in ue_page
    de_page = text(client.get(f"{base}/devices/{megan_id}"))
    assert ">Wipe</" in de_page and ">Passcode reset</" in de_page
    page = f"{base}/devices/{alex_id}"
    refused = _post(client, f"{page}/actions/wipe", {}, page)
    assert refused.status_code == 400
    _post(client, f"{page}/actions/retire", {}, page)
    assert _devices(app, _tenant_id(base))["Alex's iPhone"].management_state == "retirePending"
    _post(client, f"{page}/delete", {}, page)
    assert "Alex's iPhone" not in _devices(app, _tenant_id(base))


def test_check_a_user_shows_the_trace(client, new_tenant):
    base = admin_base(new_tenant)
    page = text(client.get(f"{base}/check", query_string={"upn": "megan@contoso.com"}))
    assert "<strong>BYOD Choice</strong> applies (priority 1)" in page
    assert "included by group BYOD Users; highest-priority profile that targets the user" in page
    assert "a higher-priority profile (BYOD Choice) applies" in page
    assert "Who owns this device?" in page
    missing = client.get(f"{base}/check", query_string={"upn": "ghost@contoso.com"})
    assert missing.status_code == 404 and "No user ghost@contoso.com" in text(missing)


def test_check_a_user_shows_where_each_answer_stops_as_resolve_does(client, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    query = {"upn": "megan@contoso.com", "osVersion": "13.0"}
    page = text(client.get(f"{base}/check", query_string=query))
    assert 'name="osVersion" class="control" value="13.0"' in page
    assert '<th scope="col">Stops at</th>' in page
    outcomes_table = page.split("Questions and outcomes")[1]
    rows = re.findall(r"<tr class=\"[^\"]*\"><td>(.*?)</tr>", outcomes_table, re.S)
    resolved = client.get(f"/_sim/tenants/{tenant_id}/resolve", query_string=query).get_json()
    assert len(rows) == len(resolved["outcomes"]) == 3
    for row, outcome in zip(rows, resolved["outcomes"], strict=True):
        if outcome["error"]:
            assert f"<code>{outcome['error']['code']}</code>" in row
        else:
            assert "Completes: You're all set!" in row
    codes = [o["error"] and o["error"]["code"] for o in resolved["outcomes"]]
    assert codes.count("UserEnrollmentUnsupportedOsVersion") == 1 and codes.count(None) == 2
    # Without an OS version only what is known is checked: Megan has a Managed Apple ID.
    plain = text(client.get(f"{base}/check", query_string={"upn": "megan@contoso.com"}))
    assert "UserEnrollmentUnsupportedOsVersion" not in plain and "Stops at" in plain


def test_activity_newest_first_and_filtered(client, new_tenant):
    base = admin_base(new_tenant)
    _post(
        client,
        f"{base}/tenant/branding",
        {"company": "First", "theme_color": "#123456"},
        f"{base}/tenant",
    )
    _post(
        client,
        f"{base}/tenant/branding",
        {"company": "Second", "theme_color": "#123456"},
        f"{base}/tenant",
    )
    page = text(client.get(f"{base}/activity"))
    second = page.index('<span class="k">company</span> Second')
    assert second < page.index('<span class="k">company</span> First')
    assert "control.create" in page
    filtered = text(client.get(f"{base}/activity", query_string={"type": "control.create"}))
    assert (
        '<span class="k">company</span> Second' not in filtered
        and "<code>control.create</code>" in filtered
    )


def test_activity_shows_values_in_words_not_json(client, app, new_tenant):
    from app.automation import journal
    from app.store import transaction

    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    with app.app_context(), transaction(tenant_id):
        journal.record(
            tenant_id,
            "admin.write",
            appliedProfile=None,
            seeded=True,
            groups=["BYOD", "<b>Sales</b>"],
            counts={"users": 2},
        )
    page = text(client.get(f"{base}/activity"))
    row = page[page.index('<span class="k">appliedProfile</span>') :]
    row = row[: row.index("</tr>")]
    assert '<span class="k">appliedProfile</span> <span class="muted">none</span>' in row
    assert '<span class="k">seeded</span> yes' in row
    assert '<span class="k">groups</span> BYOD, &lt;b&gt;Sales&lt;/b&gt;' in row
    assert '<span class="k">counts</span> users 2' in row
    assert "null" not in row and "[" not in row and "{" not in row


def test_device_page_shows_the_recorded_trace_and_outcome(client, app, new_tenant):
    from app.automation import trace
    from app.store import transaction

    base = admin_base(new_tenant, {**SCENARIO, "devices": DEVICES})
    tenant_id = _tenant_id(base)
    with app.app_context():
        device = db.session.scalar(
            db.select(ManagedDevice).filter_by(tenant_id=tenant_id, device_name="Alex's iPhone")
        )
        tenant = db.session.get(Tenant, tenant_id)
        decided = trace.build(tenant, listing.user_by_upn(tenant_id, "alex@contoso.com"))
        outcome = {
            "deviceEnrollmentType": "appleUserEnrollment",
            "enrollmentProfileName": "BYOD Choice",
            "ownerAnswer": "personal",
            "securityScope": "workOnly",
            "managedDeviceOwnerType": "personal",
            "ownershipReason": "User Enrollment reports no serial number",
        }
        with transaction(tenant_id):
            device.trace = {**decided, "outcome": outcome}
        device_id = device.id
    page = text(client.get(f"{base}/devices/{device_id}"))
    assert "<strong>BYOD Choice</strong> applies (priority 1)" in page
    assert "Why this ownership</dt><dd>User Enrollment reports no serial number" in page
    assert page.count("This device</span>") == 1
