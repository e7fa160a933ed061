"""Lists that help: the devices list shows model, OS, serial number and enrolled time; Activity
filters by user as well as kind, and pages through a long journal."""

from __future__ import annotations

import re

from app.automation import journal
from app.store import transaction
from tests.admin_helpers import admin_base, text
from tests.portal_walker import Walker, profile, scenario


def test_devices_list_shows_model_os_serial(client, new_tenant):
    made = new_tenant(scenario(profiles=[profile(choice=True)], fastProfileInstall=True))
    w = Walker(client, made)
    w.sign_in(model="iPad", osVersion="16.4", serialNumber="F2LXLIST0001", authenticator="1")
    w.walk("begin", ("continue", "company"), "continue", "fastInstall")
    page = text(client.get(f"/t/{made['id']}/admin/devices"))
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert headers == ["Device name", "User", "Model", "OS", "Serial number", "Enrollment type",
                       "Ownership", "Enrollment profile", "Enrolled"]  # fmt: skip
    assert "<td>iPad</td>" in page and "iPadOS 16.4" in page and "<code>F2LXLIST0001</code>" in page


def test_activity_filters_by_user_and_kind_and_pages(app, client, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    with app.app_context(), transaction(tenant_id):
        for i in range(130):
            journal.record(tenant_id, "portal.signIn", user=f"User{i % 2}@contoso.com", n=i)
    first = text(client.get(f"{base}/activity", query_string={"user": "user1@CONTOSO.com"}))
    shown = [int(n) for n in re.findall(r'<span class="k">n</span> (\d+)', first)]
    assert shown == list(range(129, 0, -2))  # 65 events, one page, newest first
    assert "Older events" not in first
    assert '<option value="User1@contoso.com" selected>' in first

    page_one = text(client.get(f"{base}/activity", query_string={"type": "portal.signIn"}))
    assert len(re.findall(r'<span class="k">n</span> (\d+)', page_one)) == 100
    older = re.search(r'href="([^"]+)">Older events', page_one).group(1).replace("&amp;", "&")
    page_two = text(client.get(older))
    assert [int(n) for n in re.findall(r'<span class="k">n</span> (\d+)', page_two)] == list(
        range(29, -1, -1)
    )
    assert ">Newest</a>" in page_two
    nobody = text(client.get(f"{base}/activity", query_string={"user": "nobody@contoso.com"}))
    assert "No events for this user." in nobody
