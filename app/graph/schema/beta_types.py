"""EDM types of the served properties that graph-types.json has no type for: properties and types
Graph has in beta only (Microsoft's beta CSDL is too large for the metadata snapshot this
project extracts from, so these follow the Graph beta reference pages), and the members of the
enums those use. `/$metadata` reads them beside Microsoft's v1.0 types."""

from __future__ import annotations

STRING, BOOL, INT, LONG = "Edm.String", "Edm.Boolean", "Edm.Int32", "Edm.Int64"
WHEN, STRINGS = "Edm.DateTimeOffset", "Collection(Edm.String)"

PROPERTY_TYPES: dict[str, dict[str, str]] = {
    "managedDevice": {
        "aadRegistered": BOOL,
        "autopilotEnrolled": BOOL,
        "azureActiveDirectoryDeviceId": STRING,
        "bootstrapTokenEscrowed": BOOL,
        "chassisType": "graph.chassisType",
        "chromeOSDeviceInfo": "Collection(graph.chromeOSDeviceProperty)",
        "cloudPcRemoteActionResults": "Collection(graph.cloudPcRemoteActionResult)",
        "configurationManagerClientHealthState": "graph.configurationManagerClientHealthState",
        "configurationManagerClientInformation": "graph.configurationManagerClientInformation",
        "deviceFirmwareConfigurationInterfaceManaged": BOOL,
        "deviceType": "graph.deviceType",
        "enrolledByUserPrincipalName": STRING,
        "hardwareInformation": "graph.hardwareInformation",
        "joinType": "graph.joinType",
        "lostModeState": "graph.lostModeState",
        "managementFeatures": "graph.managedDeviceManagementFeatures",
        "ownerType": "graph.ownerType",
        "preferMdmOverGroupPolicyAppliedDateTime": WHEN,
        "processorArchitecture": "graph.managedDeviceArchitecture",
        "retireAfterDateTime": WHEN,
        "roleScopeTagIds": STRINGS,
        "securityPatchLevel": STRING,
        "skuFamily": STRING,
        "skuNumber": INT,
        "specificationVersion": STRING,
        "usersLoggedOn": "Collection(graph.loggedOnUser)",
        "windowsActiveMalwareCount": INT,
        "windowsRemediatedMalwareCount": INT,
    },
    "appleUserInitiatedEnrollmentProfile": {
        "id": STRING,
        "displayName": STRING,
        "description": STRING,
        "defaultEnrollmentType": "graph.appleUserInitiatedEnrollmentType",
        "availableEnrollmentTypeOptions": "Collection(graph.appleOwnerTypeEnrollmentType)",
        "priority": INT,
        "platform": "graph.devicePlatformType",
        "createdDateTime": WHEN,
        "lastModifiedDateTime": WHEN,
    },
    "appleEnrollmentProfileAssignment": {
        "id": STRING,
        "target": "graph.deviceAndAppManagementAssignmentTarget",
    },
    "intuneBrandingProfileAssignment": {
        "id": STRING,
        "target": "graph.deviceAndAppManagementAssignmentTarget",
    },
    "importedDeviceIdentity": {
        "id": STRING,
        "importedDeviceIdentifier": STRING,
        "importedDeviceIdentityType": "graph.importedDeviceIdentityType",
        "description": STRING,
        "enrollmentState": "graph.enrollmentState",
        "platform": "graph.platform",
        "createdDateTime": WHEN,
        "lastModifiedDateTime": WHEN,
        "lastContactedDateTime": WHEN,
    },
    "deviceManagement": {
        "id": STRING,
        "intuneBrand": "graph.intuneBrand",
        "subscriptionState": "graph.deviceManagementSubscriptionState",
    },
    "intuneBrandingProfile": {
        "id": STRING,
        "profileName": STRING,
        "profileDescription": STRING,
        "isDefaultProfile": BOOL,
        "createdDateTime": WHEN,
        "lastModifiedDateTime": WHEN,
        "showLogo": BOOL,
        "showDisplayNameNextToLogo": BOOL,
        "enrollmentAvailability": "graph.enrollmentAvailabilityOptions",
        "themeColorLogo": "graph.mimeContent",
        "lightBackgroundLogo": "graph.mimeContent",
        "landingPageCustomizedImage": "graph.mimeContent",
        "companyPortalBlockedActions": "Collection(graph.companyPortalBlockedAction)",
        "themeColor": "graph.rgbColor",
        "roleScopeTagIds": STRINGS,
    },
    # The simulator's extension properties (README: "Simulator extension properties").
    "user": {"enrollmentSimulatorHasManagedAppleId": BOOL},
    "group": {"enrollmentSimulatorGroupKind": STRING},
}
# Name-shaped defaults for the intuneBrandingProfile flags and texts not listed above.
BOOLEAN_PREFIXES = ("show", "disable", "is", "send")

ENUM_MEMBERS: dict[str, tuple[str, ...]] = {
    "ownerType": ("unknown", "company", "personal"),
    "lostModeState": ("disabled", "enabled"),
    "managedDeviceArchitecture": ("unknown", "x86", "x64", "arm", "arM64"),
    "managedDeviceManagementFeatures": ("none", "microsoftManagedDesktop"),
    "appleUserInitiatedEnrollmentType": (
        "unknown",
        "device",
        "user",
        "accountDrivenUserEnrollment",
        "webDeviceEnrollment",
        "unknownFutureValue",
    ),
    "devicePlatformType": (
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
    ),
    "importedDeviceIdentityType": ("unknown", "imei", "serialNumber", "manufacturerModelSerial"),
    "enrollmentState": ("unknown", "enrolled", "pendingReset", "failed", "notContacted", "blocked"),
    "platform": ("unknown", "ios", "android", "windows", "windowsMobile", "macOS"),
    "enrollmentAvailabilityOptions": (
        "availableWithPrompts",
        "availableWithoutPrompts",
        "unavailable",
    ),
    "deviceManagementSubscriptionState": (
        "pending",
        "active",
        "warning",
        "disabled",
        "deleted",
        "blocked",
        "lockedOut",
    ),
    "deviceAndAppManagementAssignmentFilterType": ("none", "include", "exclude"),
    "actionState": ("none", "pending", "canceled", "active", "done", "failed", "notSupported"),
}
# Complex types the served properties use, with the properties the simulator writes.
COMPLEX_TYPES: dict[str, dict[str, str]] = {
    "appleOwnerTypeEnrollmentType": {
        "ownerType": "graph.managedDeviceOwnerType",
        "enrollmentType": "graph.appleUserInitiatedEnrollmentType",
    },
    "deviceAndAppManagementAssignmentTarget": {
        "deviceAndAppManagementAssignmentFilterId": STRING,
        "deviceAndAppManagementAssignmentFilterType": (
            "graph.deviceAndAppManagementAssignmentFilterType"
        ),
    },
    "groupAssignmentTarget": {"groupId": STRING},
    "deviceActionResult": {
        "actionName": STRING,
        "actionState": "graph.actionState",
        "startDateTime": WHEN,
        "lastUpdatedDateTime": WHEN,
    },
    "loggedOnUser": {"userId": STRING, "lastLogOnDateTime": WHEN},
    "rgbColor": {"r": "Edm.Byte", "g": "Edm.Byte", "b": "Edm.Byte"},
    "mimeContent": {"type": STRING, "value": "Edm.Binary"},
    "passwordProfile": {
        "forceChangePasswordNextSignIn": BOOL,
        "forceChangePasswordNextSignInWithMfa": BOOL,
        "password": STRING,
    },
}
# Subtypes of a complex type (BaseType), as Graph declares them.
DERIVED_COMPLEX: dict[str, str] = {
    "groupAssignmentTarget": "deviceAndAppManagementAssignmentTarget",
    "exclusionGroupAssignmentTarget": "groupAssignmentTarget",
    "allLicensedUsersAssignmentTarget": "deviceAndAppManagementAssignmentTarget",
    "allDevicesAssignmentTarget": "deviceAndAppManagementAssignmentTarget",
}
