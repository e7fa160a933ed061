"""Reading what a device sends: a property list, plain or inside a CMS SignedData envelope
(the signature is read, not verified: asn1crypto). Every bad body is an MdmError (4xx)."""

from __future__ import annotations

import plistlib
from typing import Any
from xml.parsers.expat import ExpatError

from asn1crypto import cms

MAX_BODY_BYTES = 64 * 1024  # a device info or check-in plist is a few hundred bytes
CMS_TYPES = frozenset({"application/pkcs7-signature", "application/pkcs7-mime"})


class MdmError(Exception):
    """A request the exchange refuses: HTTP status and a message naming what is wrong."""

    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def unwrap_cms(body: bytes) -> bytes:
    """The signed content of a CMS SignedData body (its signature is not checked)."""
    try:
        info = cms.ContentInfo.load(body)
        if info["content_type"].native != "signed_data":
            raise MdmError(400, "The CMS body is not SignedData.")
        content = info["content"]["encap_content_info"]["content"].native
    except MdmError:
        raise
    except Exception:  # asn1crypto raises ValueError, TypeError, KeyError on broken DER
        raise MdmError(400, "The body is not a readable CMS (PKCS #7) signed message.") from None
    if not isinstance(content, bytes) or not content:
        raise MdmError(400, "The CMS signed message carries no content.")
    return content


def read_plist(body: bytes, mimetype: str, accepted: frozenset[str]) -> dict[str, Any]:
    """A dictionary property list from a body of one of the `accepted` content types."""
    if len(body) > MAX_BODY_BYTES:
        raise MdmError(413, f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if mimetype not in accepted | CMS_TYPES:
        allowed = ", ".join(sorted(accepted | CMS_TYPES))
        raise MdmError(415, f"Content-Type '{mimetype or 'none'}' is not accepted here: {allowed}.")
    if not body:
        raise MdmError(400, "The body is empty: a property list is expected.")
    if mimetype in CMS_TYPES:
        body = unwrap_cms(body)
    try:
        data = plistlib.loads(body)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, OverflowError):
        raise MdmError(400, "The body is not a valid property list.") from None
    except RecursionError:
        raise MdmError(400, "The property list is nested too deeply.") from None
    if not isinstance(data, dict):
        raise MdmError(400, "The property list must be a dictionary.")
    return data


def text_key(data: dict[str, Any], key: str, max_length: int = 256) -> str:
    """A required string key of a plist, or a 400 naming it."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MdmError(400, f"The property list has no {key} (a non-empty string).")
    if len(value) > max_length:
        raise MdmError(400, f"{key} is longer than {max_length} characters.")
    return value.strip()
