"""Presenter tools on the tenant page: Reset tenant (back to the scenario it was last loaded
from), Export scenario (a YAML download) and Import scenario (all or nothing, errors named by
their path in the document)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from flask import Response, current_app, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm

from app.admin.blueprint import bp
from app.admin.forms import ConfirmForm
from app.admin.views_tenant import render_tenant_page
from app.automation import journal
from app.inputs import accepts_files
from app.scenarios import (
    ScenarioDoc,
    ScenarioError,
    export,
    parse_document,
    parse_file,
    parse_text,
    reset_tenant,
)
from app.store import DEFAULT_TENANT, ScenarioSnapshot, db, transaction

MAX_SCENARIO_BYTES = 64 * 1024 * 1024
SCENARIO_FIELD = "scenario_file"


class ScenarioImportForm(FlaskForm):
    """Only the CSRF token: the file part is read from request.files (`Scenario file`)."""


def last_loaded(tenant_id: str) -> ScenarioDoc:
    """The scenario the tenant was last loaded from; the default tenant falls back to the demo,
    any other to an empty tenant."""
    snapshot = db.session.get(ScenarioSnapshot, tenant_id)
    if snapshot is not None:
        return parse_document(snapshot.document)
    path = current_app.config.get("DEFAULT_SCENARIO") or ""
    if tenant_id == DEFAULT_TENANT and path and Path(path).exists():
        return parse_file(path)
    return ScenarioDoc()


@bp.post("/tenant/reset")
def tenant_reset():
    """Put the tenant back to the scenario it was last loaded from."""
    if not ConfirmForm().validate_on_submit():
        flash("The form expired. Reload the page and try again.", "error")
        return redirect(url_for(".tenant"))
    reset_tenant(g.tenant, last_loaded(g.tenant.id))
    with transaction(g.tenant.id):
        journal.record(g.tenant.id, "admin.write", action="tenant.reset")
    flash("Tenant reset to the scenario it was last loaded from.", "success")
    return redirect(url_for(".tenant"))


def _file_name(company: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", company).strip("-").lower() or "tenant"
    return f"scenario-{slug}.yaml"


@bp.get("/tenant/scenario.yaml")
def scenario_export():
    """The whole tenant as a scenario document (YAML), recorded devices included."""
    text = yaml.safe_dump(export(g.tenant), sort_keys=False, allow_unicode=True)
    headers = {"Content-Disposition": f'attachment; filename="{_file_name(g.tenant.company)}"'}
    return Response(text, mimetype="application/yaml", headers=headers)


def _uploaded() -> tuple[str | None, str]:
    """The uploaded file's text and name, or None and why not."""
    upload = request.files.get(SCENARIO_FIELD)
    if upload is None or not upload.filename:
        return None, "Choose a scenario file (YAML or JSON)."
    raw = upload.read(MAX_SCENARIO_BYTES + 1)
    if len(raw) > MAX_SCENARIO_BYTES:
        return None, f"{upload.filename} is larger than 64 MiB."
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, f"{upload.filename} is not a UTF-8 text file."
    if "\x00" in text:
        return None, f"{upload.filename} is not a text file."
    if not text.strip():
        return None, f"{upload.filename} is empty: nothing was imported."
    return text, upload.filename


@bp.post("/tenant/scenario")
@accepts_files(SCENARIO_FIELD)
def scenario_import():
    """Replace the tenant with the uploaded scenario: all of it, or nothing and the errors."""
    form = ScenarioImportForm()
    if not form.validate_on_submit():
        return render_tenant_page(422, scenario_errors=["The form expired. Reload the page."])
    text, name = _uploaded()
    if text is None:
        return render_tenant_page(422, scenario_errors=[name])
    try:
        doc = parse_text(text, source=name)
    except ScenarioError as err:
        errors = [line.strip() for line in err.message.split("; ") if line.strip()]
        flash("Nothing was imported: the scenario has errors.", "error")
        return render_tenant_page(422, scenario_errors=["Nothing was imported.", *errors])
    reset_tenant(g.tenant, doc)
    with transaction(g.tenant.id):
        journal.record(g.tenant.id, "admin.write", action="scenario.import", file=name)
    flash(f"Scenario {name} imported: the tenant now holds exactly what it describes.", "success")
    return redirect(url_for(".tenant"))
