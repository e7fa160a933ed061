"""Every user-visible string of the Company Portal flow, in the product's own words (spec §3).

Templates and tests take their text from here, so wording stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.enrollment.steps import CheckCode, ErrorCode

SIGN_IN = "Sign in"
EMAIL = "Email"
PASSWORD = "Password"
SIGN_IN_FAILED = "We couldn't sign you in. Check your email and password and try again."
ACCOUNT_DISABLED = "Your account has been disabled. Contact your IT admin."
# The simulator's own page (not Company Portal's): a walk URL opened outside the browser session
# that signed in, or one that is gone.
WALK_NOT_HERE = (
    "This enrollment isn't open in this browser: it was started in another browser session, "
    "or it has ended or never existed. Sign in again here; to go on with the same device "
    "elsewhere, open the sign-in URL with its device settings (model, osVersion, serialNumber)."
)

BEGIN = "Begin"
POSTPONE = "Postpone"
CONTINUE = "Continue"
SET_UP_INTRO = "Set up your device to access your email, devices, Wi-Fi, and apps for work."
CHECKLIST = (
    "Select device and enrollment type",
    "Review privacy information",
    "Download management profile",
    "Install management profile",
    "Update device settings",
)

SELECT_TYPE = "Select device and enrollment type"
WHO_OWNS = "Who owns this device?"
I_OWN = "I own this device"
SECURE_ENTIRE = "Secure entire device"
SECURE_WORK_ONLY = "Secure work-related apps and data only"

AUTHENTICATOR = "Download Microsoft Authenticator"
AUTHENTICATOR_TEXT = (
    "To access work apps and data, download Microsoft Authenticator from the App Store."
)
DOWNLOAD_FROM_APP_STORE = "Download from App Store"
AUTHENTICATOR_FIRST = "Continue is available once Microsoft Authenticator is installed."

PRIVACY = "Device management and privacy"

DOWNLOAD_PROFILE = "Download management profile"
SAFARI_PROMPT = (
    "This website is trying to download a configuration profile. Do you want to allow this?"
)
IGNORE = "Ignore"
ALLOW = "Allow"
DOWNLOAD_AGAIN = "Download again"
FAST_INSTALL = "Install management profile"

INSTALL_PROFILE = "How to install Management Profile"
USER_ENROLLMENT_SHEET = "User Enrollment"
USER_ENROLLMENT_SHEET_TEXT = (
    "Signing in with this Managed Apple ID allows this organization to manage this device."
)
CANCEL_AND_DELETE = "Cancel and Delete Profile"
INSTALL = "Install"
TRUST = "Trust"
DONE = "Done"
CANCEL = "Cancel"

ALL_SET = "You're all set!"
ALL_SET_TEXT = "You should now have access to your email, devices, Wi-Fi, and apps for work."
# The real app's last screen ticks every step of Set up access (Microsoft's user help: "setup is
# complete when all items in the list show a green checkmark"); this names that ticked list.
ALL_SET_STEPS = "Completed set up steps"

POSTPONED = "Enrollment postponed"
POSTPONED_TEXT = "You can set up access any time from Company Portal. Nothing was changed."
CANCELLED = "Management profile deleted"
CANCELLED_TEXT = "The management profile was removed. Your device was not enrolled."
START_AGAIN = "Start again"

PRIVACY_CAN_SEE = {
    "accountDrivenUserEnrollment": (
        "Managed apps and their data",
        "Device model and iOS/iPadOS version",
        "Device name",
    ),
    "user": (
        "Managed apps and their data",
        "Device model and iOS/iPadOS version",
        "Device name",
    ),
    "device": (
        "Device model and serial number",
        "Device name and owner",
        "Operating system and version",
        "App inventory",
        "Phone number (corporate devices only)",
    ),
}
PRIVACY_CANNOT_SEE = {
    "accountDrivenUserEnrollment": (
        "Serial number, IMEI or UDID",
        "Phone number",
        "Personal apps and their data",
        "Calling and web history",
        "Email, text messages and contacts",
        "Location",
    ),
    "user": (
        "Serial number, IMEI or UDID",
        "Phone number",
        "Personal apps and their data",
        "Calling and web history",
        "Email, text messages and contacts",
        "Location",
    ),
    "device": (
        "Calling and web history",
        "Email and text messages",
        "Contacts",
        "Calendar",
        "Passwords",
        "Pictures, including what's in the photos app or camera",
        "Files",
    ),
}


def set_up_access(company: str) -> str:
    return f"Set up {company} access"


def company_owns(company: str) -> str:
    return f"{company} owns this device"


def how_secure(company: str) -> str:
    return f"How do you want {company} to secure your device after it's enrolled?"


def enroll_in(company: str) -> str:
    return f"Enroll in {company}"


def enroll_my(model: str) -> str:
    return f"Enroll My {model}"


def device_name(display_name: str, model: str) -> str:
    first = display_name.split()[0] if display_name.strip() else "User"
    return f"{first}'s {model}"


@dataclass(frozen=True)
class ErrorText:
    heading: str
    message: str


ERRORS: dict[ErrorCode | CheckCode, ErrorText] = {
    ErrorCode.MDM_AUTHORITY: ErrorText(
        "IT admin needs to set MDM authority",
        "Your IT admin hasn't finished setting up device management. Contact your IT admin.",
    ),
    ErrorCode.APNS: ErrorText(
        "This Service is not supported. No Enrollment Policy.",
        "Your organization can't enroll iOS/iPadOS devices right now. Contact your IT admin.",
    ),
    ErrorCode.OS_VERSION: ErrorText(
        "Couldn't enroll this device",
        "User Enrollment requires iOS 13.1 or iPadOS 13.1 or later.",
    ),
    ErrorCode.MANAGED_APPLE_ID: ErrorText(
        "Couldn't sign in",
        "This Managed Apple ID can't be used for User Enrollment.",
    ),
    # enrollment-today.md §2 (current) and §5 (every release)
    CheckCode.USER_ENROLLMENT_UNSUPPORTED: ErrorText(
        "This enrollment method is no longer supported",
        "User enrollment with Company Portal isn't available for newly enrolled devices. "
        "Contact your IT admin.",
    ),
    CheckCode.DEVICE_CAP: ErrorText(
        "Couldn't add your device",
        "You have added the maximum number of devices allowed by your IT support. You must "
        "remove a device before you can add a new one.",
    ),
    CheckCode.UNLICENSED: ErrorText(
        "User Name Not Recognized",
        "This user account is not authorized to use Microsoft Intune. Contact your system "
        "administrator if you think you have received this message in error.",
    ),
}

ENROLLMENT_TYPE_LABEL = {
    "user": "User Enrollment",
    "device": "Device Enrollment",
    "accountDrivenUserEnrollment": "Account-driven user enrollment",
    "webDeviceEnrollment": "Web-based device enrollment",
}
OWNERSHIP_LABEL = {"personal": "Personal", "company": "Corporate"}

# Screen 7: what the organisation can and cannot see.
PRIVACY_INTRO = {
    "accountDrivenUserEnrollment": (
        "With account-driven user enrollment, your organization manages a separate, managed part "
        "of your device for work apps and data, through your work account in Settings. Your "
        "personal apps and data stay private."
    ),
    "user": (
        "With User Enrollment, your organization manages a separate, managed part of your "
        "device for work apps and data. Your personal apps and data stay private."
    ),
    "device": (
        "With Device Enrollment, your organization manages this entire device, including its "
        "settings, apps and security."
    ),
}


def can_see(company: str) -> str:
    return f"What {company} can see"


def cannot_see(company: str) -> str:
    return f"What {company} can never see"


# Screen 8: the simulated Safari prompt.
DOWNLOAD_PROFILE_TEXT = (
    "Company Portal opens Safari to download the management profile for this device."
)
DOWNLOAD_IGNORED_TEXT = "The management profile wasn't downloaded. Download it again to continue."
FAST_INSTALL_TEXT = (
    "Fast profile install is on for this organization: the profile is downloaded and installed "
    "in one step."
)

# Screen 9: the simulated Settings app.
SETTINGS = "Settings"
INSTALL_PROFILE_TEXT = (
    "Open the Settings app and tap the profile at the top of the list to install it."
)
PROFILE_DOWNLOADED = "Profile Downloaded"
MANAGED_APPLE_ID = "Managed Apple ID"
MANAGED_APPLE_ID_TEXT = "Sign in with your Managed Apple ID to finish User Enrollment."
APPLE_ID_SIGN_IN = "Sign In"
APPLE_ID_PASSWORD_WRONG = "Incorrect password. Enter the password of your work account."
INSTALL_PROFILE_SHEET = "Install Profile"
MANAGEMENT_PROFILE = "Management Profile"
SIGNED_BY = "Signed by IOSProfileSigning.manage.microsoft.com"
REMOTE_MANAGEMENT = "Remote Management"
PROFILE_INSTALLED = "Profile Installed"


def remote_management_text(company: str, model: str) -> str:
    return (
        f"Do you trust this profile's source to enroll your {model} into remote management? "
        f"The administrator at {company} may be able to collect personal data, add or remove "
        f"accounts and restrictions, list, install and manage apps, and remotely erase data on "
        f"your {model}."
    )


# Screen 10 and the outcome.
ENROLLMENT_TYPE = "Enrollment type"
PROFILE_APPLIED = "Profile applied"
DEVICE_OWNERSHIP = "Device ownership"
NO_PROFILE = "None"

ERROR_CODE = "Error code"

# Branding profiles (enrollment-today.md §6): enrollment turned off, and whom to contact.
ENROLLMENT_UNAVAILABLE = "Device enrollment isn't available"


def enrollment_unavailable_text(company: str) -> str:
    return (
        f"{company} doesn't offer device enrollment in Company Portal for your account, so this "
        "device can't be set up for work here."
    )


def contact_it(name: str | None, phone: str | None) -> str | None:
    """The line "Contact <contactITName>, <contactITPhoneNumber>", from what the profile has."""
    parts = [part.strip() for part in (name, phone) if part and part.strip()]
    return f"Contact {', '.join(parts)}" if parts else None


# Company Portal in `current` (enrollment-today.md §2): the hand-over screens [simulator rule].
CONTINUE_IN_SETTINGS = "Continue in Settings"
CONTINUE_IN_SETTINGS_TEXT = (
    "To finish, open Settings > General > VPN & Device Management and sign in with your work or "
    "school account."
)
OPEN_SETTINGS = "Open Settings"
CONTINUE_IN_SAFARI = "Continue in Safari"
CONTINUE_IN_SAFARI_TEXT = (
    "Your organization enrolls this device on its enrollment website. Open it in Safari to "
    "download and install the management profile."
)
OPEN_ENROLLMENT_WEBSITE = "Open enrollment website"
