"""The properties of a branding profile, by their Graph names: how each is checked and where it is
stored. Graph bodies and scenario documents build their models from this one table, so a value
one of them accepts the other accepts too, and a value is read back exactly as it was written.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, create_model

from app.store import BrandingProfile

AVAILABILITY = ("availableWithPrompts", "availableWithoutPrompts", "unavailable")
PLATFORMS = (
    "android",
    "androidForWork",
    "iOS",
    "macOS",
    "windowsPhone81",
    "windows81AndLater",
    "windows10AndLater",
    "androidWorkProfile",
    "unknown",
    "androidAOSP",
    "androidMobileApplicationManagement",
    "iOSMobileApplicationManagement",
    "unknownFutureValue",
    "windowsMobileApplicationManagement",
)
IMAGE_TYPES = ("image/png", "image/jpeg")
MAX_IMAGE_BYTES = 750 * 1024  # the admin center's limit for a logo
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("give a URL that starts with https:// or http://.")
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("give an email address such as helpdesk@contoso.com.")
    return value


def _image(value: str) -> str:
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("give the image as base64.") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"the image is over {MAX_IMAGE_BYTES // 1024} KB.")
    return value


Byte = Annotated[int, Field(ge=0, le=255)]
Name = Annotated[str, Field(min_length=1, max_length=256)]
Company = Annotated[str, Field(min_length=1, max_length=200)]
Short = Annotated[str, Field(max_length=256)]
Long = Annotated[str, Field(max_length=4000)]
Url = Annotated[str, Field(max_length=2048), AfterValidator(_url)]
Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
ImageData = Annotated[str, Field(max_length=MAX_IMAGE_BYTES * 2), AfterValidator(_image)]

# Graph name -> the BrandingProfile column it is stored in. Properties not listed here (and not
# read-only) are kept in `BrandingProfile.extra` by their Graph name.
COLUMNS = {
    "profileName": "name",
    "profileDescription": "description",
    "displayName": "display_name",
    "themeColor": "theme_color",
    "showLogo": "show_logo",
    "showDisplayNameNextToLogo": "show_display_name_next_to_logo",
    "contactITName": "contact_it_name",
    "contactITPhoneNumber": "contact_it_phone_number",
    "contactITEmailAddress": "contact_it_email_address",
    "contactITNotes": "contact_it_notes",
    "onlineSupportSiteUrl": "online_support_site_url",
    "onlineSupportSiteName": "online_support_site_name",
    "privacyUrl": "privacy_url",
    "customPrivacyMessage": "custom_privacy_message",
    "enrollmentAvailability": "enrollment_availability",
}
IMAGES = ("themeColorLogo", "lightBackgroundLogo", "landingPageCustomizedImage")
FLAGS = (
    "isRemoveDeviceDisabled",
    "isFactoryResetDisabled",
    "showAzureADEnterpriseApps",
    "showOfficeWebApps",
    "showConfigurationManagerApps",
    "sendDeviceOwnershipChangePushNotification",
    "disableClientTelemetry",
    "disableDeviceCategorySelection",
)
# Properties that can't be null (Graph's non-nullable ones, and those the portal needs).
REQUIRED = {
    "profileName",
    "displayName",
    "themeColor",
    "showLogo",
    "showDisplayNameNextToLogo",
    "enrollmentAvailability",
    *FLAGS,
}
# What a new profile holds for the properties it is not given (Graph JSON values).
NEW_PROFILE = {
    "profileDescription": None,
    "showLogo": False,
    "showDisplayNameNextToLogo": True,
    "enrollmentAvailability": "availableWithPrompts",
    **{name: None for name in COLUMNS if name.startswith(("contactIT", "online", "privacy"))},
    "customPrivacyMessage": None,
    "customCanSeePrivacyMessage": None,
    "customCantSeePrivacyMessage": None,
    **{name: None for name in IMAGES},
    "companyPortalBlockedActions": [],
    "showAzureADEnterpriseApps": False,
    "showOfficeWebApps": False,
    "showConfigurationManagerApps": False,
    "sendDeviceOwnershipChangePushNotification": False,
    "disableClientTelemetry": False,
    "disableDeviceCategorySelection": False,
    "isRemoveDeviceDisabled": False,
    "isFactoryResetDisabled": False,
    "roleScopeTagIds": ["0"],
}


def models(base: type[BaseModel], prefix: str) -> type[BaseModel]:
    """The model of every writable property (all optional: a PATCH, or a document entry),
    with nested types on the same base so they follow its rules (strictness, extra keys)."""
    rgb = create_model(
        f"{prefix}RgbColor", __base__=base, r=(Byte, ...), g=(Byte, ...), b=(Byte, ...)
    )
    image = create_model(
        f"{prefix}MimeContent",
        __base__=base,
        type=(Literal[IMAGE_TYPES], ...),  # type: ignore[valid-type]
        value=(ImageData, ...),
    )
    blocked = create_model(
        f"{prefix}CompanyPortalBlockedAction",
        __base__=base,
        platform=(Literal[PLATFORMS], ...),  # type: ignore[valid-type]
        ownerType=(Literal["unknown", "company", "personal"], ...),
        action=(Literal["unknown", "remove", "reset"], ...),
    )
    types: dict[str, Any] = {
        "profileName": Name,
        "profileDescription": Long,
        "displayName": Company,
        "themeColor": rgb,
        "showLogo": bool,
        "showDisplayNameNextToLogo": bool,
        "contactITName": Short,
        "contactITPhoneNumber": Short,
        "contactITEmailAddress": Email,
        "contactITNotes": Long,
        "onlineSupportSiteUrl": Url,
        "onlineSupportSiteName": Short,
        "privacyUrl": Url,
        "customPrivacyMessage": Long,
        "customCanSeePrivacyMessage": Long,
        "customCantSeePrivacyMessage": Long,
        "enrollmentAvailability": Literal[AVAILABILITY],  # type: ignore[valid-type]
        "companyPortalBlockedActions": Annotated[list[blocked], Field(max_length=100)],  # type: ignore[valid-type]
        "roleScopeTagIds": Annotated[
            list[Annotated[str, Field(max_length=64)]], Field(max_length=100)
        ],
        **{name: image for name in IMAGES},
        **{name: bool for name in FLAGS},
    }
    fields = {
        name: (kind if name in REQUIRED else kind | None, None) for name, kind in types.items()
    }
    return create_model(f"{prefix}BrandingProfile", __base__=base, **fields)


def hex_color(rgb: dict[str, int]) -> str:
    return f"#{rgb['r']:02X}{rgb['g']:02X}{rgb['b']:02X}"


def rgb_color(color: str) -> dict[str, int]:
    value = int(color.lstrip("#"), 16)
    return {"r": value >> 16, "g": (value >> 8) & 0xFF, "b": value & 0xFF}


def values(profile: BrandingProfile) -> dict[str, Any]:
    """Every writable property of a stored profile, by Graph name, as Graph's JSON writes it."""
    out = {**NEW_PROFILE, **(profile.extra or {})}
    for name, column in COLUMNS.items():
        out[name] = getattr(profile, column)
    out["themeColor"] = rgb_color(profile.theme_color)
    return out


def apply(profile: BrandingProfile, changes: dict[str, Any]) -> None:
    """Write validated values (Graph names, JSON values) into a profile; others stay."""
    extra = dict(profile.extra or {})
    for name, value in changes.items():
        if name == "themeColor":
            profile.theme_color = hex_color(value)
        elif name in COLUMNS:
            setattr(profile, COLUMNS[name], value)
        else:
            extra[name] = value
    profile.extra = extra


def changed_values(profile: BrandingProfile) -> dict[str, Any]:
    """The properties that differ from what a new profile holds (what an export writes)."""
    return {
        name: value
        for name, value in values(profile).items()
        if name not in NEW_PROFILE or NEW_PROFILE[name] != value
    }
