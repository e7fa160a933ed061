"""The store: the database handle, typed models, transactions and tenants, for every other room."""

from app.store.branding import (
    DEFAULT_BRANDING_ID,
    MAX_CUSTOM_PROFILES,
    BrandingAssignment,
    BrandingProfile,
)
from app.store.changes import DirectoryChange
from app.store.database import Base, db
from app.store.mdm import MdmEnrollment
from app.store.models import (
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    JournalEvent,
    ManagedDevice,
    PortalWalk,
    ProfileAssignment,
    Tenant,
    User,
    device_group_members,
    hash_password,
    new_id,
    user_group_members,
)
from app.store.retention import TenantRetention
from app.store.session import is_writing, transaction
from app.store.shared import FaultDraw, SharedSetting, next_draw, shared_secret_key
from app.store.snapshots import ScenarioSnapshot
from app.store.tenant_cache import get_tenant
from app.store.tenants import (
    DEFAULT_TENANT,
    new_tenant_id,
    new_token,
    tenant_counts,
    tenant_for_token,
)
from app.store.types import UTCDateTime, iso, utcnow

__all__ = [
    "get_tenant",
    "DEFAULT_BRANDING_ID",
    "DEFAULT_TENANT",
    "MAX_CUSTOM_PROFILES",
    "Base",
    "MdmEnrollment",
    "BrandingAssignment",
    "BrandingProfile",
    "CorporateIdentifier",
    "DirectoryChange",
    "EnrollmentProfile",
    "FaultDraw",
    "Group",
    "JournalEvent",
    "ManagedDevice",
    "PortalWalk",
    "ProfileAssignment",
    "SharedSetting",
    "ScenarioSnapshot",
    "Tenant",
    "TenantRetention",
    "UTCDateTime",
    "User",
    "db",
    "device_group_members",
    "hash_password",
    "is_writing",
    "iso",
    "new_id",
    "new_tenant_id",
    "new_token",
    "next_draw",
    "shared_secret_key",
    "tenant_counts",
    "tenant_for_token",
    "transaction",
    "user_group_members",
    "utcnow",
]
