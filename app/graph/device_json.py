"""A recorded device as Graph's beta `managedDevice`: every property of the type, with the values an
iPhone or iPad enrolled through Company Portal reports to Intune.

What the walk recorded (names, identifiers, enrollment type, ownership) comes from the row; what
a real device reports at check-in and the walk does not ask for (storage, Wi-Fi MAC, Entra device
id) is derived from the device's id, so it is stable across reads and distinct per device.
Properties a tool wrote (`notes`, ...) and the results of device actions come from the row's
kept Graph properties. /v1.0 sees this through `versions.view_of`.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from functools import lru_cache
from typing import Any

from app.graph.dates import whole_seconds
from app.store import ManagedDevice

# The ORM object, or its columns as a named tuple (the list's rows: app/graph/devices.py).
Device = ManagedDevice | tuple

DEVICE_TYPE = "#microsoft.graph.managedDevice"
NEVER = "0001-01-01T00:00:00Z"  # Intune's "not happened" for DateTimeOffset properties
_ENTRA = uuid.UUID("6f1c1e4e-3c55-4d7e-9a51-2f3e1f0b7a10")  # namespace of derived device ids
GB = 1_000_000_000
# Apple's build numbers of the iOS/iPadOS releases testers pick most.
BUILDS = {
    "15.8": "19H370",
    "16.4": "20E247",
    "16.7": "20H19",
    "17.0": "21A329",
    "17.4": "21E219",
    "17.5": "21F79",
    "17.6": "21G80",
    "18.0": "22A3354",
    "18.1": "22B83",
}
# Properties a tool may write and the simulator keeps as given (PATCH managedDevice).
WRITABLE = ("notes", "managedDeviceName", "deviceCategoryDisplayName", "roleScopeTagIds")


def _digest(device_id: str, salt: str) -> bytes:
    return hashlib.sha256(f"{salt}:{device_id}".encode()).digest()


def entra_device_id(device: Device) -> str:
    """The device's Microsoft Entra id: Company Portal registers every device it enrolls."""
    return _derived(device.id, device.model)[0]


@lru_cache(maxsize=8192)
def _derived(device_id: str, model: str) -> tuple[str, str, int, int]:
    """What the device's id and model decide (Entra id, Wi-Fi MAC, storage): the same at every
    read, so computed once a process for the devices a list shows again and again."""
    entra = str(uuid.uuid5(_ENTRA, device_id))
    raw = bytearray(_digest(device_id, "wifi")[:6])
    raw[0] = (raw[0] | 0x02) & 0xFE  # locally administered, unicast: iOS's private addresses
    total = (256 if model == "iPad" else 128) * GB
    free = total * (30 + _digest(device_id, "free")[0] % 50) // 100
    return entra, raw.hex(), total, free


def managed_device_name(device: Device) -> str:
    """Intune's default: `<user>_<deviceType>_<M/d/yyyy>_<h:mm AM>`."""
    user = (device.user_principal_name or "user").split("@")[0]
    when = device.enrolled_at
    hour = when.hour % 12 or 12
    stamp = f"{when.month}/{when.day}/{when.year}_{hour}:{when.minute:02d} "
    return f"{user}_{device.model}_{stamp}{'AM' if when.hour < 12 else 'PM'}"


def _hardware(device: Device, wifi: str, total: int, free: int) -> dict[str, Any]:
    return {
        "serialNumber": device.serial_number or None,
        "totalStorageSpace": total,
        "freeStorageSpace": free,
        "imei": device.imei or None,
        "meid": None,
        "manufacturer": "Apple",
        "model": device.model,
        "phoneNumber": None,
        "subscriberCarrier": None,
        "cellularTechnology": None,
        "wifiMac": wifi,
        "operatingSystemLanguage": "en_US",
        "isSupervised": False,
        "isEncrypted": True,
        "batterySerialNumber": None,
        "batteryHealthPercentage": 0,
        "batteryChargeCycles": 0,
        "batteryLevelPercentage": None,
        "isSharedDevice": False,
        "sharedDeviceCachedUsers": [],
        "tpmSpecificationVersion": None,
        "operatingSystemEdition": None,
        "deviceFullQualifiedDomainName": None,
        # Windows-only: Intune reports each enum's zero member for other platforms.
        "deviceGuardVirtualizationBasedSecurityHardwareRequirementState": (
            "meetHardwareRequirements"
        ),
        "deviceGuardVirtualizationBasedSecurityState": "running",
        "deviceGuardLocalSystemAuthorityCredentialGuardState": "running",
        "osBuildNumber": BUILDS.get(device.os_version),
        "operatingSystemProductType": 0,
        "ipAddressV4": None,
        "subnetAddress": None,
        "esimIdentifier": None,
        "systemManagementBIOSVersion": None,
        "tpmManufacturer": None,
        "tpmVersion": None,
        "wiredIPv4Addresses": [],
        "residentUsersCount": None,
        "productName": None,
        "deviceLicensingStatus": "unknown",
        "deviceLicensingLastErrorCode": 0,
        "deviceLicensingLastErrorDescription": None,
    }


def device_json(device: Device, user_display_name: str | None = None) -> dict[str, Any]:
    """The beta managedDevice of a recorded device (every property of the type), from its ORM
    object or from its columns (the list reads plain rows: app/graph/devices.py)."""
    extra = device.graph_properties or {}  # read only
    entra, wifi, total, free = _derived(device.id, device.model)
    user_enrollment = device.enrollment_type == "appleUserEnrollment"
    synced = device.last_sync_at or device.enrolled_at
    return {
        "@odata.type": DEVICE_TYPE,
        "id": device.id,
        "userId": device.user_id,
        "deviceName": device.device_name,
        "ownerType": device.owner_type,
        "managedDeviceOwnerType": device.owner_type,
        "managementState": device.management_state,
        "enrolledDateTime": whole_seconds(device.enrolled_at),
        "lastSyncDateTime": whole_seconds(synced),
        "chassisType": "tablet" if device.model == "iPad" else "phone",
        "operatingSystem": device.operating_system,
        "deviceType": "iPad" if device.model == "iPad" else "iPhone",
        "complianceState": "compliant",
        "jailBroken": "False",
        "managementAgent": "mdm",
        "osVersion": device.os_version,
        "easActivated": False,
        "easDeviceId": "",
        "easActivationDateTime": NEVER,
        "aadRegistered": True,
        "azureADRegistered": True,
        "deviceEnrollmentType": device.enrollment_type,
        "lostModeState": "disabled",
        "activationLockBypassCode": None,
        "emailAddress": device.user_principal_name,
        "azureActiveDirectoryDeviceId": entra,
        "azureADDeviceId": entra,
        "deviceRegistrationState": "registered",
        "deviceCategoryDisplayName": extra.get("deviceCategoryDisplayName", "Unknown"),
        "isSupervised": False,
        "exchangeLastSuccessfulSyncDateTime": NEVER,
        "exchangeAccessState": "none",
        "exchangeAccessStateReason": "none",
        "remoteAssistanceSessionUrl": None,
        "remoteAssistanceSessionErrorDetails": None,
        "isEncrypted": True,
        "userPrincipalName": device.user_principal_name,
        "model": device.model,
        "manufacturer": "Apple",
        "imei": device.imei,
        "complianceGracePeriodExpirationDateTime": "9999-12-31T23:59:59Z",
        "serialNumber": device.serial_number,
        "phoneNumber": "",
        "androidSecurityPatchLevel": "",
        "userDisplayName": user_display_name,
        "configurationManagerClientEnabledFeatures": None,
        "wiFiMacAddress": wifi,
        "deviceHealthAttestationState": None,
        "subscriberCarrier": "",
        "meid": "",
        "totalStorageSpaceInBytes": total,
        "freeStorageSpaceInBytes": free,
        "managedDeviceName": extra.get("managedDeviceName", managed_device_name(device)),
        "partnerReportedThreatState": "unknown",
        "retireAfterDateTime": NEVER,
        "usersLoggedOn": [],
        "preferMdmOverGroupPolicyAppliedDateTime": NEVER,
        "autopilotEnrolled": False,
        "requireUserEnrollmentApproval": None,
        "managementCertificateExpirationDate": whole_seconds(
            device.enrolled_at + timedelta(days=365)
        ),
        "iccid": None,
        "udid": device.udid,
        "roleScopeTagIds": extra.get("roleScopeTagIds", ["0"]),
        "windowsActiveMalwareCount": 0,
        "windowsRemediatedMalwareCount": 0,
        "notes": extra.get("notes"),
        "configurationManagerClientHealthState": None,
        "configurationManagerClientInformation": None,
        "ethernetMacAddress": None,
        "physicalMemoryInBytes": 0,
        "processorArchitecture": "arM64",
        "specificationVersion": None,
        "joinType": "azureADRegistered",
        "skuFamily": "",
        "securityPatchLevel": None,
        "skuNumber": 0,
        "managementFeatures": "none",
        "chromeOSDeviceInfo": [],
        "enrollmentProfileName": device.enrollment_profile_name,
        "bootstrapTokenEscrowed": False,
        "deviceFirmwareConfigurationInterfaceManaged": False,
        "enrolledByUserPrincipalName": device.user_principal_name,
        "hardwareInformation": _hardware(device, wifi, total, free)
        | ({"serialNumber": None, "imei": None} if user_enrollment else {}),
        "deviceActionResults": extra.get("deviceActionResults", []),
        "cloudPcRemoteActionResults": [],
    }
