"""Tenant administration: branding, enrollment prerequisites, ownership behaviour, fast install,
the Graph API token and the corporate device identifiers."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from app.admin import identifiers
from app.admin.blueprint import bp
from app.admin.forms import (
    BrandingForm,
    ConfirmForm,
    EnrollmentSettingsForm,
    IdentifierForm,
    ImportForm,
)
from app.automation import journal
from app.inputs import accepts_files
from app.store import CorporateIdentifier, db, transaction
from app.tenancy import tenant_row, tenant_urls

MAX_CSV_BYTES = 1_000_000


def _identifiers() -> list[CorporateIdentifier]:
    return list(
        db.session.scalars(
            select(CorporateIdentifier)
            .where(CorporateIdentifier.tenant_id == g.tenant.id)
            .order_by(
                CorporateIdentifier.created_at, CorporateIdentifier.value, CorporateIdentifier.id
            )
        )
    )


def _render(status: int = 200, **forms):
    tenant = g.tenant
    apns = tenant.apns_expires
    forms.setdefault("branding", BrandingForm(obj=tenant, formdata=None))
    forms.setdefault("settings", EnrollmentSettingsForm(obj=tenant, formdata=None))
    forms.setdefault("identifier", IdentifierForm(formdata=None))
    forms.setdefault("import_form", ImportForm(formdata=None))
    return render_template(
        "admin/tenant.html",
        tenant=tenant,
        urls=tenant_urls(tenant),
        apns_status="missing" if apns is None else ("expired" if apns < date.today() else "valid"),
        identifiers=_identifiers(),
        kind_labels=identifiers.KIND_LABELS,
        delete_form=ConfirmForm(formdata=None),
        crumbs=[("Tenant administration", None)],
        **forms,
    ), status


render_tenant_page = _render  # the presenter tools' forms live on this page too


def _record(action: str, **detail) -> None:
    journal.record(g.tenant.id, "admin.write", action=action, **detail)


@bp.get("/tenant")
def tenant():
    """Everything about the tenant on one page."""
    return _render()


@bp.post("/tenant/branding")
def tenant_branding():
    """Company name and theme color, as Company Portal shows them."""
    form = BrandingForm()
    if not form.validate_on_submit():
        return _render(422, branding=form)
    with transaction(g.tenant.id):
        g.tenant.company = form.company.data.strip()
        g.tenant.theme_color = form.theme_color.data.upper()
        _record("tenant.branding", company=g.tenant.company, themeColor=g.tenant.theme_color)
    flash("Branding saved; Company Portal shows it from the next page.", "success")
    return redirect(url_for(".tenant"))


@bp.post("/tenant/settings")
def tenant_settings():
    """MDM authority, APNs certificate, Intune release (ownership behaviour), fast install."""
    form = EnrollmentSettingsForm()
    if not form.validate_on_submit():
        return _render(422, settings=form)
    tenant = g.tenant
    with transaction(tenant.id):
        tenant.mdm_authority = form.mdm_authority.data
        tenant.apns_expires = form.apns_expires.data
        if form.intune_release.data:
            tenant.intune_release = form.intune_release.data
        elif form.ownership_behavior.data:
            tenant.ownership_behavior = form.ownership_behavior.data
        tenant.fast_profile_install = form.fast_profile_install.data
        if form.device_limit.data is not None:
            tenant.device_limit = form.device_limit.data
        if form.service_discovery.data:
            tenant.service_discovery = form.service_discovery.data
        if form.profile_install_window_seconds.data is not None:
            tenant.profile_install_window_seconds = form.profile_install_window_seconds.data
        _record(
            "tenant.settings",
            mdmAuthority=tenant.mdm_authority,
            apnsCertificateExpires=tenant.apns_expires and tenant.apns_expires.isoformat(),
            ownershipBehavior=tenant.ownership_behavior,
            intuneRelease=tenant.intune_release,
            deviceLimit=tenant.device_limit,
            serviceDiscovery=tenant.service_discovery,
            profileInstallWindowSeconds=tenant.profile_install_window_seconds,
            fastProfileInstall=tenant.fast_profile_install,
        )
    flash("Enrollment settings saved.", "success")
    return redirect(url_for(".tenant"))


@bp.post("/tenant/identifiers")
def identifier_add():
    """Add one corporate device identifier."""
    form = IdentifierForm()
    if form.validate_on_submit():
        key = CorporateIdentifier.key(form.value.data)
        if key in identifiers.existing_keys(g.tenant.id, form.kind.data):
            form.value.errors.append(
                f"{form.value.data.strip()} is already a corporate identifier."
            )
        else:
            with transaction(g.tenant.id):
                added = identifiers.add(
                    g.tenant.id, form.kind.data, form.value.data, form.description.data or ""
                )
                _record("identifier.add", kind=added.kind, value=added.value)
            flash(f"{identifiers.KIND_LABELS[added.kind]} {added.value} added.", "success")
            return redirect(url_for(".tenant", _anchor="identifiers"))
    return _render(422, identifier=form)


def _uploaded_text(form: ImportForm) -> str | None:
    upload = request.files.get("csv_file")
    if upload is None or not upload.filename:
        return form.csv_text.data or ""
    raw = upload.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        form.csv_text.errors.append("The file is larger than 1 MB.")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        form.csv_text.errors.append(f"{upload.filename} is not a UTF-8 text file.")
        return None
    return text


@bp.post("/tenant/identifiers/import")
@accepts_files("csv_file")
def identifier_import():
    """Import a CSV of identifier,details lines: all of them, or none and every bad line named."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(422, import_form=form)
    text = _uploaded_text(form)
    if text is None:
        return _render(422, import_form=form)
    if not text.strip():
        form.csv_text.errors.append("Choose a CSV file or paste identifier,details lines.")
        return _render(422, import_form=form)
    kind = form.kind.data
    try:
        with transaction(g.tenant.id):
            rows = identifiers.parse_csv(text, kind, identifiers.existing_keys(g.tenant.id, kind))
            for row in rows:
                identifiers.add(g.tenant.id, kind, row.value, row.description)
            _record("identifier.import", kind=kind, count=len(rows))
    except identifiers.ImportError_ as err:
        form.csv_text.errors.extend(["Nothing was imported.", *err.errors])
        count = len(err.errors)
        flash(f"Nothing was imported: {count} line{'s' if count > 1 else ''} to fix.", "error")
        return _render(422, import_form=form)
    flash(f"{len(rows)} {identifiers.KIND_LABELS[kind].lower()}s imported.", "success")
    return redirect(url_for(".tenant", _anchor="identifiers"))


@bp.post("/tenant/identifiers/<identifier_id>/delete")
def identifier_delete(identifier_id: str):
    """Delete one identifier (devices already recorded keep their ownership)."""
    if not ConfirmForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    item = tenant_row(CorporateIdentifier, identifier_id)
    if item is None:
        abort(404, description=f"No corporate identifier with id '{identifier_id}'.")
    value = item.value
    with transaction(g.tenant.id):
        _record("identifier.delete", kind=item.kind, value=value)
        db.session.delete(item)
    flash(f"{value} deleted.", "success")
    return redirect(url_for(".tenant", _anchor="identifiers"))
