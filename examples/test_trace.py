import urllib.error
import urllib.request

import pytest


def test_excluded_user_gets_no_profile_and_the_trace_says_why(contoso):
    trace = contoso.resolve("nestor@contoso.com")

    assert trace["appliedProfile"] is None
    assert trace["candidates"][0]["reason"].startswith("excluded by group Contractors")


def test_a_corporate_serial_makes_device_enrollment_corporate(contoso):
    trace = contoso.resolve("alex@contoso.com", serialNumber="F2LXC0RP0001")

    owner = {
        (o["ownerAnswer"], o["securityScope"]): o["managedDeviceOwnerType"]
        for o in trace["outcomes"]
    }
    assert owner[("personal", "entireDevice")] == "company"  # the identifier decides
    assert owner[("personal", "workOnly")] == "personal"  # User Enrollment reports no serial


def test_graph_throttling_is_answered_and_journaled(contoso):
    contoso.set_faults({"graph": {"errorRate": 1, "status": 429, "retryAfterSeconds": 2}})

    with pytest.raises(urllib.error.HTTPError) as throttled:
        urllib.request.urlopen(f"{contoso.graph_base_url}/users")
    assert throttled.value.code == 429
    assert throttled.value.headers["Retry-After"] == "2"
    [event] = contoso.events(type="fault.injected")
    assert event["detail"]["status"] == 429
