"""Corporate device identifiers (importedDeviceIdentity): serial numbers and IMEIs that make a
device enrolling with them company-owned."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import g
from pydantic import Field
from sqlalchemy import and_, exists, func, or_, select

from app.graph.blueprint import bp
from app.graph.bodies import Body, IdentifierDetails, parse
from app.graph.dates import seven_digits
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, Table, base_url, entity, journal, query
from app.graph.query.fields import type_fields
from app.store import CorporateIdentifier, ManagedDevice, db, transaction
from app.tenancy import tenant_row

IDENTITY_TYPE = "#microsoft.graph.importedDeviceIdentity"
RESULT_TYPE = "#microsoft.graph.importedDeviceIdentityResult"
PLATFORMS = (
    "unknown",
    "ios",
    "android",
    "windows",
    "windowsMobile",
    "macOS",
    "visionOS",
    "tvOS",
    "unknownFutureValue",
)
IDENTITIES = Resource(
    "deviceManagement/importedDeviceIdentities",
    "microsoft.graph.importedDeviceIdentity",
    (
        "id",
        "importedDeviceIdentifier",
        "importedDeviceIdentityType",
        "description",
        "enrollmentState",
        "platform",
        "createdDateTime",
        "lastModifiedDateTime",
        "lastContactedDateTime",
    ),
    {
        "id": str,
        "importedDeviceIdentifier": str,
        "importedDeviceIdentityType": str,
        "enrollmentState": str,
        "platform": str,
    },
    page_size=1000,  # as Intune pages its collections
)


def _device_key(column):
    return func.upper(func.replace(column, " ", ""))


# A device enrolled with the identifier (its serial number or IMEI): enrollmentState `enrolled`.
_ENROLLED = exists().where(
    ManagedDevice.tenant_id == CorporateIdentifier.tenant_id,
    or_(
        and_(
            CorporateIdentifier.kind == "serialNumber",
            _device_key(ManagedDevice.serial_number) == CorporateIdentifier.value_key,
        ),
        and_(
            CorporateIdentifier.kind == "imei",
            _device_key(ManagedDevice.imei) == CorporateIdentifier.value_key,
        ),
    ),
)
IDENTITY_TABLE = Table(
    type_fields(
        IDENTITIES.type_name,
        tuple(IDENTITIES.filterable),
        CorporateIdentifier,
        id=CorporateIdentifier.id,
        importedDeviceIdentifier=CorporateIdentifier.value,
        importedDeviceIdentityType=CorporateIdentifier.kind,
        enrollmentState=((_ENROLLED, "enrolled"), (~_ENROLLED, "notContacted")),
        platform=CorporateIdentifier.platform,
    ),
    (CorporateIdentifier.created_at, CorporateIdentifier.value, CorporateIdentifier.id),
)
Identifier = Annotated[str, Field(min_length=1, max_length=64)]


class IdentityBody(Body):
    importedDeviceIdentifier: Identifier
    importedDeviceIdentityType: Literal["serialNumber", "imei"]
    description: IdentifierDetails = ""
    platform: Literal[PLATFORMS] = "ios"  # type: ignore[valid-type]


class ImportList(Body):
    importedDeviceIdentities: list[IdentityBody]
    overwriteImportedDeviceIdentities: bool = False


def _enrolled_keys(idents: list[CorporateIdentifier] | None = None) -> set[tuple[str, str]]:
    """(kind, key) of the identifiers a recorded device enrolled with (of `idents` when given)."""
    statement = select(ManagedDevice.serial_number, ManagedDevice.imei).where(
        ManagedDevice.tenant_id == g.tenant.id
    )
    if idents is not None:
        keys = [i.value_key for i in idents]
        statement = statement.where(
            or_(
                _device_key(ManagedDevice.serial_number).in_(keys),
                _device_key(ManagedDevice.imei).in_(keys),
            )
        )
    rows = db.session.execute(statement)
    keys: set[tuple[str, str]] = set()
    for serial, imei in rows:
        if serial:
            keys.add(("serialNumber", CorporateIdentifier.key(serial)))
        if imei:
            keys.add(("imei", CorporateIdentifier.key(imei)))
    return keys


def identity_json(ident: CorporateIdentifier, enrolled: set[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@odata.type": IDENTITY_TYPE,
        "id": ident.id,
        "importedDeviceIdentifier": ident.value,
        "importedDeviceIdentityType": ident.kind,
        "description": ident.description,
        "enrollmentState": "enrolled"
        if (ident.kind, ident.value_key) in enrolled
        else "notContacted",
        "platform": ident.platform,
        "createdDateTime": seven_digits(ident.created_at),
        "lastModifiedDateTime": seven_digits(ident.created_at),
        "lastContactedDateTime": None,
    }


def _existing(kind: str, value: str) -> CorporateIdentifier | None:
    return db.session.scalar(
        select(CorporateIdentifier).where(
            CorporateIdentifier.tenant_id == g.tenant.id,
            CorporateIdentifier.kind == kind,
            CorporateIdentifier.value_key == CorporateIdentifier.key(value),
        )
    )


def _new(body: IdentityBody) -> CorporateIdentifier:
    if not CorporateIdentifier.key(body.importedDeviceIdentifier):
        raise bad_request("The property 'importedDeviceIdentifier' is empty.")
    ident = CorporateIdentifier(
        tenant_id=g.tenant.id,
        kind=body.importedDeviceIdentityType,
        value=body.importedDeviceIdentifier.strip(),
        value_key=CorporateIdentifier.key(body.importedDeviceIdentifier),
        description=body.description,
        platform=body.platform,
    )
    db.session.add(ident)
    db.session.flush()
    return ident


@bp.get("/deviceManagement/importedDeviceIdentities")
def list_identities():
    """Every corporate identifier, in the order they were imported."""
    statement = select(CorporateIdentifier).where(CorporateIdentifier.tenant_id == g.tenant.id)

    def page_json(idents, _expand) -> list[dict[str, Any]]:
        enrolled = _enrolled_keys(list(idents))
        return [identity_json(i, enrolled) for i in idents]

    return query(IDENTITIES, IDENTITY_TABLE, statement, page_json)


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule(
    "/deviceManagement/importedDeviceIdentities/$count", "count_identities", list_identities
)


@bp.post("/deviceManagement/importedDeviceIdentities")
def create_identity():
    """Add one corporate identifier; the same serial number or IMEI twice is a conflict."""
    body = parse(IdentityBody)
    with transaction(g.tenant.id):
        if _existing(body.importedDeviceIdentityType, body.importedDeviceIdentifier):
            raise GraphError(
                409,
                f"The {body.importedDeviceIdentityType} '{body.importedDeviceIdentifier}' "
                "is already imported.",
            )
        ident = _new(body)
        journal("create", "importedDeviceIdentity", ident.id, value=ident.value, kind=ident.kind)
    return entity(IDENTITIES, identity_json(ident, _enrolled_keys())), 201


@bp.get("/deviceManagement/importedDeviceIdentities/<identity_id>")
def get_identity(identity_id: str):
    """One corporate identifier."""
    return entity(IDENTITIES, identity_json(_identity(identity_id), _enrolled_keys()))


def _identity(identity_id: str) -> CorporateIdentifier:
    ident = tenant_row(CorporateIdentifier, identity_id)
    if ident is None:
        raise not_found("importedDeviceIdentity", identity_id)
    return ident


@bp.delete("/deviceManagement/importedDeviceIdentities/<identity_id>")
def delete_identity(identity_id: str):
    """Remove a corporate identifier; devices enrolled before keep their ownership."""
    with transaction(g.tenant.id):
        ident = _identity(identity_id)
        journal("delete", "importedDeviceIdentity", ident.id, value=ident.value)
        db.session.delete(ident)
    return "", 204


@bp.post("/deviceManagement/importedDeviceIdentities/importDeviceIdentityList")
def import_list():
    """Import many identifiers at once; each result says whether it was imported (`status`)."""
    body = parse(ImportList)
    results = []
    with transaction(g.tenant.id):
        for item in body.importedDeviceIdentities:
            ident = _existing(item.importedDeviceIdentityType, item.importedDeviceIdentifier)
            status = bool(CorporateIdentifier.key(item.importedDeviceIdentifier))
            if status and ident is None:
                ident = _new(item)
            elif status and body.overwriteImportedDeviceIdentities:
                ident.description = item.description
                ident.platform = item.platform
            else:
                status = False
            results.append((item, ident, status))
        journal(
            "importDeviceIdentityList",
            "importedDeviceIdentity",
            "",
            imported=sum(1 for _, _, ok in results if ok),
            refused=sum(1 for _, _, ok in results if not ok),
        )
    enrolled = _enrolled_keys()
    value = []
    for item, ident, status in results:
        if ident is not None:
            data = identity_json(ident, enrolled)
        else:
            data = {
                "id": None,
                "importedDeviceIdentifier": item.importedDeviceIdentifier,
                "importedDeviceIdentityType": item.importedDeviceIdentityType,
                "description": item.description,
                "platform": item.platform,
            }
        value.append({**data, "@odata.type": RESULT_TYPE, "status": status})
    return {
        "@odata.context": f"{base_url()}/$metadata#Collection({RESULT_TYPE.lstrip('#')})",
        "value": value,
    }
