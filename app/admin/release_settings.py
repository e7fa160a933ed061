"""The profile wizard's Settings step in ga-2020 and current (enrollment-today.md §1): one
"Enrollment type" choice whose options and names come from `releases.console_types`.

preview-2019 keeps its two fields (`forms.SettingsForm`); this module is used for the later
releases only, by the Create profile wizard, the profile page and its Edit.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, ValidationError
from wtforms.validators import DataRequired

from app.enrollment import releases
from app.enrollment.releases import IntuneRelease
from app.scenarios.schema import OPTION_TYPE
from app.store import EnrollmentProfile

CHOICE = "choice"  # "Determine based on user choice": availableEnrollmentTypeOptions
FIELD_LABEL = "Enrollment type"
HELP = {
    IntuneRelease.GA_2020: (
        "Determine based on user choice: when users enroll, they choose between “I own this "
        "device” and “<Company> owns this device”, and their answer is reflected in the Device "
        "Ownership attribute. User enrollment collects no serial number, IMEI or UDID."
    ),
    IntuneRelease.CURRENT: (
        "Account driven user enrollment: users sign in from Settings > General > VPN & Device "
        "Management (iOS/iPadOS 15 or later). Web based device enrollment: users enroll the whole "
        "device in Safari, without Company Portal. Determine based on user choice: “I own this "
        "device” offers Device enrollment or Account driven user enrollment; the answer is "
        "reflected in Device Ownership."
    ),
}
LEGACY_REFUSED = (
    "User enrollment with Company Portal isn't offered for new profiles in Intune today; "
    "choose Account driven user enrollment."
)


def release_of(tenant: Any) -> IntuneRelease:
    """The tenant's release; a tenant row without one is the 2019 preview."""
    return IntuneRelease(getattr(tenant, "intune_release", None) or IntuneRelease.PREVIEW_2019)


def uses_enrollment_type(release: IntuneRelease) -> bool:
    """ga-2020 and current show one Enrollment type choice instead of the preview's two fields."""
    return release is not IntuneRelease.PREVIEW_2019


class EnrollmentTypeForm(FlaskForm):
    enrollment_type = RadioField(
        FIELD_LABEL, validators=[DataRequired("Choose an enrollment type.")], validate_choice=False
    )

    def __init__(self, release: IntuneRelease, current_type: str | None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.release = release
        self.offered = dict(releases.console_types(release, current_type))
        self.enrollment_type.choices = [SelectChoice(v, label) for v, label in self.offered.items()]

    def validate_enrollment_type(self, field) -> None:
        if field.data in self.offered:
            return
        if field.data == "user" and self.release is IntuneRelease.CURRENT:
            raise ValidationError(LEGACY_REFUSED)
        names = ", ".join(self.offered.values())
        raise ValidationError(f"Choose one of: {names}.")


def current_type(profile: EnrollmentProfile | None) -> str | None:
    """What a stored profile has now (None for a new one): keeps its legacy option on offer."""
    if profile is None:
        return None
    return CHOICE if profile.require_user_choice else profile.default_enrollment_type


def make_form(
    release: IntuneRelease, profile: EnrollmentProfile | None, data: dict[str, Any] | None, **kw
) -> EnrollmentTypeForm:
    return EnrollmentTypeForm(release, current_type(profile), data=data or {}, **kw)


def read(profile: EnrollmentProfile) -> dict[str, Any]:
    return {"enrollment_type": current_type(profile)}


def write(profile: EnrollmentProfile, data: dict[str, Any], release: IntuneRelease) -> None:
    """Choice stores Graph's availableEnrollmentTypeOptions for the release; any other option
    is defaultEnrollmentType with no options."""
    chosen = data["enrollment_type"]
    if chosen == CHOICE:
        profile.enrollment_type_options = [
            {"@odata.type": OPTION_TYPE, "ownerType": owner, "enrollmentType": kind}
            for owner, kind in releases.choice_options(release)
        ]
        profile.default_enrollment_type = profile.default_enrollment_type or "device"
    else:
        profile.enrollment_type_options = []
        profile.default_enrollment_type = chosen


def type_name(release: IntuneRelease, value: str | None) -> str:
    """A stored type in the release's own words; a member the release doesn't offer says so."""
    names = dict(releases.console_types(release, value))
    if value in names:
        return names[value]
    return f"{value} (not offered in {releases.RELEASE_LABEL[release]})"


def describe(release: IntuneRelease, data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(FIELD_LABEL, type_name(release, data.get("enrollment_type")))]


def help_text(release: IntuneRelease, company: str) -> str:
    return HELP[release].replace("<Company>", company)
