"""The branding each portal screen wears: the default profile before sign-in, then the profile
the walk's decision names (its current values; the default one should it be deleted)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from app.automation import journal
from app.directory import branding as service
from app.directory import branding_fields as fields
from app.enrollment import wording
from app.enrollment.branding import offers_enrollment
from app.portal.walks import Walk
from app.store import BrandingProfile, Tenant, transaction


@dataclass(frozen=True)
class Brand:
    """What the templates show of a branding profile."""

    profile_id: str
    company: str
    accent: str
    logo: bool  # show the uploaded logo (showLogo, and a logo is there)
    name_by_logo: bool  # show the company name beside it (or alone, without a logo)
    contact: str | None  # "Contact <name>, <phone>", when the profile has either
    offers_enrollment: bool

    @classmethod
    def of(cls, profile: BrandingProfile) -> Brand:
        has_logo = bool((profile.extra or {}).get("themeColorLogo"))
        logo = profile.show_logo and has_logo
        return cls(
            profile_id=profile.id,
            company=profile.display_name,
            accent=profile.theme_color,
            logo=logo,
            name_by_logo=profile.show_display_name_next_to_logo or not logo,
            contact=wording.contact_it(profile.contact_it_name, profile.contact_it_phone_number),
            offers_enrollment=offers_enrollment(profile.enrollment_availability),
        )


def profile_for_walk(tenant: Tenant, walk: Walk) -> BrandingProfile:
    named = (walk.decision or {}).get("brandingProfile") or {}
    found = service.find(tenant, named.get("id", "")) if named.get("id") else None
    return found or tenant.default_branding


def brand_for(tenant: Tenant, walk: Walk | None = None) -> Brand:
    return Brand.of(profile_for_walk(tenant, walk) if walk else tenant.default_branding)


def note_unavailable(tenant: Tenant, walk: Walk, brand: Brand) -> None:
    """The journal line of a user whose branding profile offers no enrollment."""
    with transaction(tenant.id):
        journal.record(
            tenant.id,
            "portal.enrollmentUnavailable",
            user=walk.user_upn,
            walkId=walk.id,
            brandingProfile=brand.profile_id,
        )


def logo_of(tenant: Tenant, profile_id: str) -> tuple[bytes, str] | None:
    """The profile's logo (themeColorLogo) as bytes and content type, when it shows one."""
    profile = service.find(tenant, profile_id)
    if profile is None or not Brand.of(profile).logo:
        return None
    image = fields.values(profile)["themeColorLogo"]
    try:
        return base64.b64decode(image["value"]), image["type"]
    except (binascii.Error, KeyError, TypeError):
        return None
