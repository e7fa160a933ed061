def test_company_answer_never_makes_a_device_corporate(contoso, enrollsim_portal):
    portal = enrollsim_portal(contoso, model="iPhone", osVersion="17.4", serialNumber="F2LX1234")
    portal.sign_in("alex@contoso.com", "Passw0rd!")
    portal.answer_owner("company")
    portal.finish()

    [device] = contoso.devices()
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["ownerAnswer"] == "company"
    assert device["managedDeviceOwnerType"] == "personal"  # no corporate identifier matched


def test_work_only_answer_gives_user_enrollment(contoso, enrollsim_portal):
    portal = enrollsim_portal(contoso, model="iPad", osVersion="17.4")
    portal.sign_in("alex@contoso.com", "Passw0rd!")
    portal.answer_owner("personal")
    portal.answer_scope("workOnly")
    assert "User Enrollment" in portal.finish()

    [device] = contoso.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    [enrolled] = contoso.events(type="portal.enrolled")
    assert enrolled["user"] == "alex@contoso.com"
