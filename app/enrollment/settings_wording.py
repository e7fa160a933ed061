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
