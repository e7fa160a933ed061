"""The console's branding profile form. Its fields carry Graph's property names, so what it
submits is checked by the same rules as Graph and scenario documents (app.directory
.branding_fields) and a refused value is shown under its own field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from pydantic import BaseModel, ConfigDict, ValidationError
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.admin.forms import options
from app.directory import branding_fields as fields
from app.store import BrandingProfile

AVAILABILITY_LABELS = {
    "availableWithPrompts": "Available, with prompts",
    "availableWithoutPrompts": "Available, no prompts",
    "unavailable": "Unavailable",
}
TEXT = (
    "profileDescription",
    "contactITName",
    "contactITPhoneNumber",
    "contactITEmailAddress",
    "contactITNotes",
    "onlineSupportSiteName",
    "onlineSupportSiteUrl",
    "privacyUrl",
    "customPrivacyMessage",
)


class _Checked(BaseModel):
    model_config = ConfigDict(extra="forbid")


Checked = fields.models(_Checked, "Console")


class BrandingProfileForm(FlaskForm):
    profileName = StringField(
        "Profile name", validators=[DataRequired("Enter a profile name."), Length(max=256)]
    )
    profileDescription = TextAreaField("Description")
    displayName = StringField(
        "Organization name",
        validators=[DataRequired("Enter an organization name."), Length(max=200)],
    )
    themeColor = StringField(
        "Color",
        validators=[
            DataRequired("Enter a color."),
            Regexp(r"^#[0-9A-Fa-f]{6}$", message="Enter a color like #0078D4."),
        ],
    )
    showLogo = BooleanField("Show logo")
    showDisplayNameNextToLogo = BooleanField("Show organization name next to logo")
    contactITName = StringField("Contact name")
    contactITPhoneNumber = StringField("Phone number")
    contactITEmailAddress = StringField("Email address")
    contactITNotes = TextAreaField("Additional information")
    onlineSupportSiteName = StringField("Website name")
    onlineSupportSiteUrl = StringField("Website URL")
    privacyUrl = StringField("Privacy statement URL")
    customPrivacyMessage = TextAreaField("Privacy message about what support can't see or do")
    enrollmentAvailability = RadioField(
        "Device enrollment", choices=options(AVAILABILITY_LABELS), default="availableWithPrompts"
    )
    groups = SelectMultipleField(
        "Included groups",
        choices=[],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def fill(self, profile: BrandingProfile) -> None:
        values = fields.values(profile)
        for name in (*TEXT, "profileName", "displayName", "enrollmentAvailability"):
            getattr(self, name).data = values[name] or ""
        self.themeColor.data = profile.theme_color
        self.showLogo.data = profile.show_logo
        self.showDisplayNameNextToLogo.data = profile.show_display_name_next_to_logo
        self.groups.data = [a.group_id for a in profile.assignments]

    def changes(self) -> dict[str, Any] | None:
        """The form's values by Graph name, checked by the shared rules; None (with errors
        under the fields) when one is refused."""
        data: dict[str, Any] = {
            name: (getattr(self, name).data or "").strip() or None for name in TEXT
        }
        data.update(
            profileName=self.profileName.data.strip(),
            displayName=self.displayName.data.strip(),
            themeColor=fields.rgb_color(self.themeColor.data),
            showLogo=bool(self.showLogo.data),
            showDisplayNameNextToLogo=bool(self.showDisplayNameNextToLogo.data),
            enrollmentAvailability=self.enrollmentAvailability.data,
        )
        try:
            Checked.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                field = getattr(self, str(err["loc"][0]))
                message = str(err.get("ctx", {}).get("error") or err["msg"])
                field.errors = [*field.errors, message[:1].upper() + message[1:]]
            return None
        return data
