"""The properties Graph documents as filterable ("Supports $filter" in each resource type's
reference page): a filter on another property of the type is Graph's 400
`Request_UnsupportedQuery`, not a silent empty list."""

from __future__ import annotations

from app.graph import schema

USER = (
    "id",
    "accountEnabled",
    "ageGroup",
    "assignedLicenses",
    "assignedPlans",
    "businessPhones",
    "city",
    "companyName",
    "consentProvidedForMinor",
    "country",
    "createdDateTime",
    "creationType",
    "department",
    "displayName",
    "employeeHireDate",
    "employeeId",
    "employeeLeaveDateTime",
    "employeeOrgData",
    "employeeType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "faxNumber",
    "givenName",
    "identities",
    "imAddresses",
    "isResourceAccount",
    "jobTitle",
    "legalAgeGroupClassification",
    "mail",
    "mailNickname",
    "mobilePhone",
    "officeLocation",
    "onPremisesExtensionAttributes",
    "onPremisesImmutableId",
    "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSipInfo",
    "onPremisesSyncEnabled",
    "onPremisesUserPrincipalName",
    "otherMails",
    "passwordPolicies",
    "postalCode",
    "preferredLanguage",
    "provisionedPlans",
    "proxyAddresses",
    "securityIdentifier",
    "showInAddressList",
    "signInActivity",
    "state",
    "streetAddress",
    "surname",
    "usageLocation",
    "userPrincipalName",
    "userType",
)

GROUP = (
    "id",
    "assignedLicenses",
    "classification",
    "createdDateTime",
    "description",
    "displayName",
    "expirationDateTime",
    "groupTypes",
    "hasMembersWithLicenseErrors",
    "isAssignableToRole",
    "mail",
    "mailEnabled",
    "mailNickname",
    "membershipRule",
    "membershipRuleProcessingState",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "preferredLanguage",
    "proxyAddresses",
    "renewedDateTime",
    "resourceProvisioningOptions",
    "securityEnabled",
    "securityIdentifier",
    "serviceProvisioningErrors",
    "theme",
    "uniqueName",
    "visibility",
)


def primitive(type_name: str) -> tuple[str, ...]:
    """Every property of a type that holds a primitive or enum value (Intune's managedDevice
    filters on any of them), in the order Microsoft lists them."""
    short = type_name.removeprefix("microsoft.graph.")
    typed = schema.edm_types(short)
    names = []
    for name in schema.beta_properties(short):
        edm = typed.get(name, "Edm.String")
        element = edm.removeprefix("Collection(").removesuffix(")")
        if element.startswith("Edm.") or element.removeprefix("graph.") in schema.enum_names():
            names.append(name)
    return tuple(names)
