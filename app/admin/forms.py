"""Console forms: the profile wizard's steps (reused by the profile page's Edit), the directory,
devices and tenant settings. Errors are rendered under each field by one macro."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.admin.identifiers import check_value
from app.directory.profiles import DEVICE_GROUPS_REFUSED
from app.enrollment import rules
from app.enrollment.releases import IntuneRelease, ReleaseConflict, release_from
from app.store import limits


def options(labels: dict[str, str]) -> list[SelectChoice]:
    """Select/radio options from value → label (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in labels.items()]


ENROLLMENT_TYPE_LABELS = {"user": "User enrollment", "device": "Device enrollment"}
REQUIRE_CHOICE_HELP = (
    "Required: when users enroll, they choose between “I own this device” and "
    "“<Company> owns this device”. “I own this device” then asks whether to secure the entire "
    "device (Device Enrollment) or work-related apps and data only (User Enrollment); the company "
    "choice uses Device Enrollment. Not configured: everyone gets the default enrollment type "
    "below."
)
REQUIRE_CHOICE_NOTE = (
    "The end user's selection of whether they own the device only determines which enrollment "
    "type is implemented on their device. This user choice isn't reflected in the Device "
    "Ownership attribute in Intune."
)


DEFAULT_TYPE_HELP = (
    "User enrollment manages work-related apps and data in a separate volume and collects no "
    "serial number, IMEI or UDID. Device enrollment manages the entire device."
)


class ConfirmForm(FlaskForm):
    """An empty form: POST-only buttons (move, delete, retire) carry a CSRF token with it."""


class BasicsForm(FlaskForm):
    # 256, the name column's (and Graph's displayName) cap: Microsoft documents no shorter limit
    # for an enrollment type profile's name in the Intune admin center (looked for in Learn's
    # Intune enrollment and Graph pages and the MicrosoftDocs/memdocs sources, December 2026).
    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=256)])
    description = TextAreaField(
        "Description",
        validators=[DataRequired("Enter a description."), Length(max=limits.DESCRIPTION)],
    )


class SettingsForm(FlaskForm):
    require_choice = RadioField(
        "Require user to select device type",
        choices=options({"required": "Required", "notConfigured": "Not configured"}),
        default="notConfigured",
        validators=[DataRequired("Choose Required or Not configured.")],
    )
    default_type = SelectField(
        "Default enrollment type",
        choices=options(ENROLLMENT_TYPE_LABELS),
        default="user",
        validate_choice=True,
    )


class AssignmentsForm(FlaskForm):
    """Groups are the tenant's (user and device ones: device groups are listed, then refused)."""

    assign_to = SelectField(
        "Assign to",
        choices=options({"selected": "Selected groups", "all": "All users"}),
        default="selected",
    )
    include = SelectMultipleField("Included groups", choices=[], validate_choice=False)
    exclude = SelectMultipleField("Excluded groups", choices=[], validate_choice=False)

    def __init__(self, groups, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {g.id: g for g in groups}
        choices = [SelectChoice(g.id, g.name) for g in groups]
        self.include.choices = choices
        self.exclude.choices = choices

    def _check(self, field) -> None:
        for group_id in field.data or []:
            group = self.groups.get(group_id)
            if group is None:
                raise ValidationError("That group no longer exists; reload the page.")
            if group.kind == "device":
                raise ValidationError(DEVICE_GROUPS_REFUSED)

    def validate_include(self, field) -> None:
        self._check(field)

    def validate_exclude(self, field) -> None:
        self._check(field)
        both = set(field.data or []) & set(self.include.data or [])
        if both and self.assign_to.data == "selected":
            names = ", ".join(sorted(self.groups[i].name for i in both))
            raise ValidationError(f"A group can't be both included and excluded: {names}.")


UPN = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a user principal name like name@contoso.com."
)


PASSWORD_LENGTH = "Use at least 8 characters (at most 256)."


class UserForm(FlaskForm):
    upn = StringField(
        "User principal name", validators=[DataRequired("Enter a user principal name."), UPN]
    )
    display_name = StringField(
        "Display name", validators=[DataRequired("Enter a display name."), Length(max=256)]
    )
    managed_apple_id = BooleanField("Has a Managed Apple ID", default=True)
    enabled = BooleanField("Account enabled", default=True)


class NewUserForm(UserForm):
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter a password."),
            Length(min=8, max=256, message=PASSWORD_LENGTH),
        ],
    )


class PasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a password."),
            Length(min=8, max=256, message=PASSWORD_LENGTH),
        ],
    )


class GroupForm(FlaskForm):
    name = StringField("Group name", validators=[DataRequired("Enter a name."), Length(max=256)])
    description = TextAreaField("Description", validators=[Length(max=limits.DESCRIPTION)])
    kind = SelectField("Group type", choices=options({"user": "User", "device": "Device"}))
    membership = SelectField(
        "Membership type", choices=options({"assigned": "Assigned", "dynamic": "Dynamic device"})
    )
    rule = TextAreaField("Membership rule", validators=[Length(max=limits.MEMBERSHIP_RULE)])

    def validate_membership(self, field) -> None:
        if field.data == "dynamic" and self.kind.data != "device":
            raise ValidationError("Only device groups can have dynamic membership.")

    def validate_rule(self, field) -> None:
        if self.membership.data != "dynamic":
            return
        text = (field.data or "").strip()
        if not text:
            raise ValidationError('Enter a membership rule, e.g. (device.deviceModel -eq "iPad").')
        try:
            rules.validate(text)
        except rules.RuleError as err:
            self.rule_error = err
            raise ValidationError(f"{err.message} (at character {err.position + 1})") from err


class MemberForm(FlaskForm):
    member = SelectField("Add member", choices=[], validate_choice=True)


class OwnershipForm(FlaskForm):
    ownership = SelectField(
        "Device ownership", choices=options({"personal": "Personal", "company": "Corporate"})
    )


class BrandingForm(FlaskForm):
    company = StringField(
        "Company name", validators=[DataRequired("Enter a company name."), Length(max=200)]
    )
    theme_color = StringField(
        "Theme color",
        validators=[
            DataRequired("Enter a color."),
            Regexp(r"^#[0-9A-Fa-f]{6}$", message="Enter a color like #0078D4."),
        ],
    )


RELEASES = tuple(r.value for r in IntuneRelease)


class EnrollmentSettingsForm(FlaskForm):
    mdm_authority = SelectField(
        "MDM authority", choices=options({"intune": "Microsoft Intune", "unknown": "Not set"})
    )
    apns_expires = DateField("APNs certificate expires", validators=[Optional()])
    intune_release = RadioField(
        "Intune release",
        choices=options(
            {
                "preview-2019": "preview-2019 — the October 2019 preview: the user's answer is "
                "not reflected in ownership",
                "ga-2020": "ga-2020 — the user's answer is also reflected in ownership",
                "current": "current — Intune today: account-driven user enrollment, web-based "
                "device enrollment, no new User Enrollment with Company Portal",
            }
        ),
        validators=[Optional()],
    )
    # The setting the release grew out of; still accepted (not shown) and must agree with it.
    ownership_behavior = RadioField(
        "Ownership behaviour",
        choices=options(
            {
                "preview-2019": "preview-2019 — the user's answer is not reflected in ownership",
                "ga-2020": "ga-2020 — the user's answer is also reflected in ownership",
            }
        ),
        validators=[Optional()],
    )
    fast_profile_install = BooleanField("Fast profile install (Settings-app steps in one click)")
    device_limit = IntegerField(
        "Device limit",
        validators=[Optional(), NumberRange(1, 15, "Enter a device limit from 1 to 15.")],
    )
    service_discovery = SelectField(
        "Service discovery (account-driven user enrollment)",
        choices=options(
            {
                "published": "Published",
                "missing": "Missing (404)",
                "wrongContentType": "Wrong content type (text/plain)",
            }
        ),
        validators=[Optional()],
    )
    profile_install_window_seconds = IntegerField(
        "Web enrollment profile install window (seconds)",
        validators=[Optional(), NumberRange(0, 86_400, "Enter 0 to 86400 seconds.")],
    )

    def validate_intune_release(self, field) -> None:
        behavior = self.ownership_behavior
        if field.errors or behavior.errors or behavior.data not in (None, "", *RELEASES):
            return  # a value that is not a choice already has its error under its field
        try:
            release_from(field.data or None, behavior.data or None)
        except ReleaseConflict as exc:
            raise ValidationError(str(exc)) from None


class IdentifierForm(FlaskForm):
    kind = SelectField(
        "Identifier type", choices=options({"serialNumber": "Serial number", "imei": "IMEI"})
    )
    value = StringField("Identifier", validators=[DataRequired("Enter a serial number or IMEI.")])
    description = StringField("Details", validators=[Length(max=limits.IDENTIFIER_DETAILS)])

    def validate_value(self, field) -> None:
        message = check_value(self.kind.data, field.data or "")
        if message:
            raise ValidationError(message)


class ImportForm(FlaskForm):
    kind = SelectField(
        "Import type", choices=options({"serialNumber": "Serial numbers", "imei": "IMEI numbers"})
    )
    csv_text = TextAreaField("CSV lines (serial,description)")
