"""Every user-visible string of the simulated Settings app (enrollment-today.md §3)."""

from __future__ import annotations

SETTINGS = "Settings"
GENERAL = "General"
VPN_DEVICE_MANAGEMENT = "VPN & Device Management"
SIGN_IN_WORK_ACCOUNT = "Sign In to Work or School Account…"
SIGN_IN_HEADING = "Sign In to Work or School Account"
MANAGED_APPLE_ACCOUNT = "Managed Apple Account"
CONTINUE = "Continue"
SIGN_IN_FAILED = "Sign-in Failed"
SIGN_IN_FAILED_TEXT = (
    "Your Apple ID does not support the expected services on this device. Contact your "
    "administrator to sign in."
)
OK = "OK"
ENTRA_SIGN_IN = "Sign in to your work account"
PASSWORD = "Password"
SIGN_IN = "Sign in"
WRONG_PASSWORD = "Your account or password is incorrect. Check them and try again."
ALLOW_REMOTE_MANAGEMENT = "Allow Remote Management"
CANCEL = "Cancel"
MANAGED_ACCOUNT = "MANAGED ACCOUNT"
AUTHENTICATOR_REQUIRED = "Microsoft Authenticator is required for work apps."
INSTALL = "Install"
AUTHENTICATOR_INSTALLED = "Microsoft Authenticator is installed."
CANCELLED = "Remote management wasn't allowed. Nothing was changed on this iPhone."
NO_WORK_ACCOUNT_BUTTON = (
    "This iOS version has no work or school account sign-in here: account-driven user "
    "enrollment needs iOS/iPadOS 15 or later."
)
START_AGAIN = "Start again"
ENTER_ADDRESS = "Enter your Managed Apple Account, like name@contoso.com."


def allow_text(company: str, model: str) -> str:
    return f"{company} will be able to manage work apps and data on this {model}."


ENTER_PASSWORD = "Enter password"

# Web-based device enrollment (enrollment-today.md §4), in Safari and Settings.
SAFARI_REQUIRED = "Safari is required"
SAFARI_REQUIRED_TEXT = "Safari browser is the only supported browser for this type of enrollment."
WEB_SIGN_IN = "Sign in"
EMAIL = "Email"
WEB_DOWNLOAD = "Download management profile"
WEB_DOWNLOAD_PROMPT = (
    "This website is trying to download a configuration profile. Do you want to allow this?"
)
IGNORE = "Ignore"
ALLOW = "Allow"
DOWNLOAD_AGAIN = "Download again"
DOWNLOAD_IGNORED = "The management profile wasn't downloaded. Download it again to continue."
PROFILE_DOWNLOADED = "Profile Downloaded"
PROFILE_DOWNLOADED_TEXT = "Review the profile in the Settings app if you want to install it."
INSTALL_PROFILE = "Install Profile"
REMOTE_MANAGEMENT = "Remote Management"
TRUST = "Trust"
PROFILE_INSTALLED = "Profile Installed"
DONE = "Done"
PROFILE_EXPIRED = "Profile expired. Download the management profile again."
WAITING_AUTHENTICATOR = "Waiting for Microsoft Authenticator"
WAITING_AUTHENTICATOR_TEXT = (
    "Install Microsoft Authenticator from the App Store to finish setting up access."
)
RECHECK = "Recheck"
ALL_SET = "You're all set!"
ALL_SET_TEXT = "You should now have access to your email, devices, Wi-Fi, and apps for work."
WEB_NOT_APPLICABLE = "Web enrollment isn't available"
# The steps of the web flow, all ticked on You're all set! as the app ticks Set up access's.
WEB_CHECKLIST = (
    "Sign in",
    "Download management profile",
    "Install management profile",
    "Install Microsoft Authenticator",
)


def remote_management_warning(company: str, model: str) -> str:
    return (
        f"Installing this profile will allow the administrator at {company} to remotely manage "
        f"your {model}. The administrator may collect personal data, add/remove accounts and "
        f"restrictions, install, manage, and list apps, and remotely erase data on your {model}."
    )


# The Settings app's other rows, shown as on a real iPhone; only the flow's rows act.
APPLE_ACCOUNT = "Apple Account"
APPLE_ACCOUNT_DETAIL = "Apple Account, iCloud, and more"
SIGN_IN_TO_IPHONE = "Sign in to your {model}"
AIRPLANE_MODE = "Airplane Mode"
WIFI = "Wi-Fi"
BLUETOOTH = "Bluetooth"
ACCESSIBILITY = "Accessibility"
PRIVACY_SECURITY = "Privacy & Security"
SCREEN_TIME = "Screen Time"
VPN = "VPN"
NOT_CONNECTED = "Not Connected"
BACK_TO = "Back to {screen}"
SIGN_IN_WORK_FOOTER = (
    "Sign in with the work or school account your organization gave you, so it can manage work "
    "apps and data on this {model}."
)
