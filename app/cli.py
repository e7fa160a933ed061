"""flask commands: `scenario load|export`, `tenant create|list|delete|token`,
`db upgrade|current|revision`, `prune`."""

from __future__ import annotations

import json
import re

import click
import yaml
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.automation.journal import record
from app.retention.policy import Policy
from app.retention.prune import run_pass
from app.scenarios import ScenarioError, create_tenant, export, parse_file, reset_tenant
from app.store import DEFAULT_TENANT, Tenant, db, new_tenant_id, tenant_counts, transaction
from app.tenancy import tenant_urls

TENANT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

scenario_cli = AppGroup("scenario", help="Load and export scenario documents.")
tenant_cli = AppGroup("tenant", help="Create, list and delete tenants.")
db_cli = AppGroup("db", help="Schema migrations (Alembic, migrations/).")


def _tenant(tenant_id: str) -> Tenant:
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        raise click.ClickException(f"No tenant with id '{tenant_id}'.")
    return tenant


def _counts(tenant_id: str) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in tenant_counts(tenant_id).items())


def _parse(path: str):
    try:
        return parse_file(path)
    except ScenarioError as exc:
        raise click.ClickException(exc.message) from None


def _urls(tenant: Tenant, base_url: str) -> dict[str, str]:
    with current_app.test_request_context(base_url=base_url):
        return tenant_urls(tenant)


@scenario_cli.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--tenant", "tenant_id", default=DEFAULT_TENANT, show_default=True)
def scenario_load(file: str, tenant_id: str) -> None:
    """Replace a tenant's state with FILE (YAML or JSON); creates the tenant if needed."""
    if not TENANT_ID.fullmatch(tenant_id):
        raise click.BadParameter(
            "use letters, digits, '-' and '_' (at most 64), so it fits in a URL",
            param_hint="'--tenant'",
        )
    doc = _parse(file)
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        create_tenant(doc, tenant_id)
    else:
        reset_tenant(tenant, doc)
    click.echo(f"Loaded {file} into tenant {tenant_id}: {_counts(tenant_id)}.")


@scenario_cli.command("export")
@click.option("--tenant", "tenant_id", default=DEFAULT_TENANT, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
def scenario_export(tenant_id: str, fmt: str) -> None:
    """Print a tenant's whole state as a scenario document."""
    doc = export(_tenant(tenant_id))
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2))
    else:
        click.echo(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), nl=False)


@tenant_cli.command("create")
@click.option("--scenario", "file", type=click.Path(dir_okay=False), default=None)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    envvar="ENROLLSIM_BASE_URL",
    help="Where the simulator is served, for the printed URLs.",
)
def tenant_create(file: str | None, base_url: str) -> None:
    """Create a tenant (optionally seeded from FILE) and print its URLs and token."""
    doc = _parse(file) if file else None
    tenant = create_tenant(doc, new_tenant_id())
    with transaction():
        record(tenant.id, "control.create", seeded=doc is not None, source="cli")
    click.echo(f"id: {tenant.id}\ntoken: {tenant.token}")
    for name, url in _urls(tenant, base_url.rstrip("/")).items():
        click.echo(f"{name}: {url}")


@tenant_cli.command("list")
def tenant_list() -> None:
    """List tenants with their company and counts."""
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.created_at, Tenant.id)):
        click.echo(f"{tenant.id}  {tenant.company}  ({_counts(tenant.id)})")


@tenant_cli.command("delete")
@click.argument("tenant_id")
def tenant_delete(tenant_id: str) -> None:
    """Delete a tenant and everything in it."""
    tenant = _tenant(tenant_id)
    with transaction():
        db.session.delete(tenant)
    click.echo(f"Deleted tenant {tenant_id}.")


@tenant_cli.command("token")
@click.argument("tenant_id", default=DEFAULT_TENANT)
def tenant_token(tenant_id: str) -> None:
    """Print a tenant's Graph API bearer token."""
    click.echo(_tenant(tenant_id).token)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (the newest by default), behind the start-up lock."""
    from app.store.migrate import current, startup_lock, upgrade

    with db.engine.connect() as connection:
        with startup_lock(connection):
            before = current(connection)
            upgrade(connection, revision)
            after = current(connection)
            connection.commit()
    click.echo(f"Database at {after} (was {before or 'unmigrated'}).")


@db_cli.command("current")
def db_current() -> None:
    """Print the revision the database is at, and the newest one."""
    from app.store.migrate import current, head

    with db.engine.connect() as connection:
        at = current(connection)
    click.echo(f"database: {at or '(none)'}\nnewest:   {head()}")


@db_cli.command("revision", with_appcontext=False)
@click.option("-m", "--message", required=True, help="What the revision changes, in a sentence.")
def db_revision(message: str) -> None:
    """Write a new revision in migrations/versions/ with what the models changed (autogenerate
    against a scratch database at the newest revision). Read it before committing."""
    from app.store.migrate import autogenerate

    path = autogenerate(message)
    if path is None:
        raise click.ClickException("The models match the newest revision: nothing to migrate.")
    click.echo(f"Wrote {path}: read it, then commit it with the model change.")


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Apply the retention policy now (README "Retention") and print what it removed."""
    policy = Policy.from_config(current_app.config)
    for line in policy.describe():
        click.echo(f"policy: {line}")
    report = run_pass(policy)
    for line in report.lines():
        click.echo(line)
