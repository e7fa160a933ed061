"""Company Portal forms: the simulated device, sign-in, and one form for every walk screen.

The device fields are read from the portal's query string (`/portal/?model=iPad&osVersion=16.4`)
and posted with sign-in; both go through `DeviceForm`, so a bad value gets the same message
wherever it comes from.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.enrollment import wording

MODELS = ("iPhone", "iPad")
DEFAULT_OS_VERSION = "17.5"
SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # Apple leaves out I and O
TRUE_WORDS = {"1", "true", "yes", "on", "y"}
FALSE_WORDS = {"0", "false", "no", "off", "n", ""}

DEVICE_FIELDS = ("model", "osVersion", "serialNumber", "imei", "authenticator")
_OS_VERSION = re.compile(r"^\d{1,2}(\.\d{1,3}){0,2}$")
_SERIAL = re.compile(r"^[A-Za-z0-9]{1,64}$")


def random_serial() -> str:
    """A serial number shaped like an Apple one: F + 11 of Apple's letters and digits."""
    return "F" + "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(11))


def _model_choice(value: Any) -> Any:
    """Accept `ipad` or `IPHONE` in a URL; store Apple's spelling."""
    if isinstance(value, str):
        for model in MODELS:
            if value.strip().casefold() == model.casefold():
                return model
        return value.strip()
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _digits_only(value: Any) -> Any:
    """IMEIs are often written in groups (35 209900 176148 1)."""
    return "".join(value.split()) if isinstance(value, str) else value


class YesNoField(Field):
    """A yes/no value that a URL can spell 1/0, true/false, yes/no or on/off; a checkbox when
    rendered. An unknown word is an error rather than silently "yes"."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("default", False)
        super().__init__(label, validators, **kwargs)
        self.bad_word: str | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.data = False
            return
        word = valuelist[-1].strip().casefold()
        if word in TRUE_WORDS:
            self.data = True
        elif word in FALSE_WORDS:
            self.data = False
        else:
            self.data = False
            self.bad_word = valuelist[-1]

    def pre_validate(self, form) -> None:
        if self.bad_word is not None:
            raise ValidationError(
                f"'{self.bad_word}' is not yes or no: use 1 or 0 (true/false, yes/no)."
            )


class DeviceForm(FlaskForm):
    """The simulated device: what the panel beside the phone shows and sign-in carries."""

    model = SelectField(
        "Model",
        choices=list(MODELS),
        default="iPhone",
        filters=[_model_choice],
        validate_choice=False,
    )
    osVersion = StringField("OS version", default=DEFAULT_OS_VERSION, filters=[_strip])
    serialNumber = StringField("Serial number", default=random_serial, filters=[_strip])
    imei = StringField("IMEI", default="", filters=[_digits_only])
    authenticator = YesNoField("Microsoft Authenticator installed")

    def validate_model(self, field: Field) -> None:
        if field.data not in MODELS:
            raise ValidationError(f"'{field.data}' is not a model here: choose iPhone or iPad.")

    def validate_osVersion(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Give an OS version, e.g. 17.5.")
        if not _OS_VERSION.match(field.data):
            raise ValidationError(
                f"'{field.data}' is not an OS version: write it like 17.5 or 16.4.1."
            )

    def validate_serialNumber(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Give a serial number (letters and digits).")
        if not _SERIAL.match(field.data):
            raise ValidationError(
                f"'{field.data}' is not a serial number: use up to 64 letters and digits."
            )

    def validate_imei(self, field: Field) -> None:
        if field.data and not (field.data.isdigit() and 14 <= len(field.data) <= 16):
            raise ValidationError(f"'{field.data}' is not an IMEI: an IMEI has 15 digits.")

    def validate_device(self) -> bool:
        """Validate only the device fields (the portal's GET, where nothing else is posted)."""
        ok = True
        for name in DEVICE_FIELDS:
            inline = getattr(type(self), f"validate_{name}", None)
            ok = self[name].validate(self, [inline] if inline else []) and ok
        return ok

    def device(self) -> dict[str, Any]:
        """The validated facts, with the names the URL uses."""
        return {
            "model": self.model.data,
            "osVersion": self.osVersion.data,
            "serialNumber": self.serialNumber.data.upper(),
            "imei": self.imei.data or "",
            "authenticator": bool(self.authenticator.data),
        }


class SignInForm(DeviceForm):
    """Screen 1. The device fields travel along so the walk knows what it is enrolling."""

    email = StringField(
        wording.EMAIL,
        filters=[_strip],
        validators=[DataRequired("Enter your email."), Length(max=320)],
    )
    password = PasswordField(
        wording.PASSWORD, validators=[DataRequired("Enter your password."), Length(max=256)]
    )


class WalkForm(FlaskForm):
    """Every walk screen posts the screen it was showing, the button pressed and, on the two
    question screens, the chosen option. The view compares `step` with the walk's current
    screen, so a stale post (back button, double submit) only redirects."""

    step = HiddenField()
    action = HiddenField()
    answer = HiddenField()
    # The Managed Apple ID sheet: federated Managed Apple IDs sign in with the work account's
    # password, checked against the user's own.
    apple_id_password = PasswordField("Password", validators=[Length(max=256)])
