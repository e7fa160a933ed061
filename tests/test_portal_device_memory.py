"""The same browser keeps the same simulated device (serial number included) until the tester
changes it, and the panel gives the start URL that sets that device up anywhere."""

from __future__ import annotations

import re
from html import unescape


def _field(page: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1))


def _link(page: str) -> str:
    return unescape(re.search(r'id="device-link"[^>]*value="([^"]*)"', page).group(1))


def test_a_browser_keeps_its_device_until_it_is_changed(client, new_tenant):
    made = new_tenant({"company": "Contoso"})
    portal = f"/t/{made['id']}/portal/"
    first = client.get(portal).get_data(as_text=True)
    serial = _field(first, "serialNumber")
    again = client.get(portal).get_data(as_text=True)
    assert _field(again, "serialNumber") == serial
    assert _link(again) == (
        f"http://localhost{portal}?model=iPhone&osVersion=17.5&serialNumber={serial}"
        "&authenticator=0"
    )

    client.get(f"{portal}?model=iPad&osVersion=16.4&serialNumber=f2lx1234&imei=352099001761481")
    later = client.get(portal).get_data(as_text=True)
    assert _field(later, "serialNumber") == "F2LX1234"
    assert _field(later, "osVersion") == "16.4" and "model=iPad" in _link(later)
    assert "imei=352099001761481" in _link(later)


def test_a_bad_url_is_not_remembered_and_shows_no_link(client, new_tenant):
    made = new_tenant({"company": "Contoso"})
    portal = f"/t/{made['id']}/portal/"
    serial = _field(client.get(portal).get_data(as_text=True), "serialNumber")
    bad = client.get(f"{portal}?osVersion=abc")
    assert bad.status_code == 400 and 'id="device-link"' not in bad.get_data(as_text=True)
    assert _field(client.get(portal).get_data(as_text=True), "serialNumber") == serial


def test_another_browser_gets_its_own_device(app, new_tenant):
    made = new_tenant({"company": "Contoso"})
    portal = f"/t/{made['id']}/portal/"
    one, two = app.test_client(), app.test_client()
    assert _field(one.get(portal).get_data(as_text=True), "serialNumber") != _field(
        two.get(portal).get_data(as_text=True), "serialNumber"
    )
