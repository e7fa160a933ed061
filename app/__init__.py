"""Enrollment Simulator: plays the device user's side of Intune's iOS/iPadOS enrollment."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import config
from app.extensions import csrf
from app.serving.json_body import FastJSONProvider
from app.store import db

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints — nothing else."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # Every template escapes, whatever its name: Flask's default escapes only .html/.xml files,
    # and a .txt screen title included into a page would print a company name raw.
    app.jinja_options = {**app.jinja_options, "autoescape": True}
    app.config.from_mapping(config.load(app.instance_path, test_config))
    app.json = FastJSONProvider(app)  # orjson for response bodies, the same bytes as Flask's
    app.json.sort_keys = False
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_faults(app)
    register_retention(app)
    register_static_versions(app)
    prepare_database(app)
    return app


def prepare_database(app: Flask) -> None:
    """Migrate and seed once, whatever number of processes start at once (app/store/migrate.py);
    then the secret key every worker shares (app/store/shared.py)."""
    from app.scenarios import ensure_default_tenant
    from app.store.migrate import prepare
    from app.store.shared import use_shared_secret_key

    def seed() -> None:
        ensure_default_tenant(app.config["DEFAULT_SCENARIO"])

    with app.app_context():
        not_ready = prepare(
            migrate=app.config["MIGRATE_ON_START"],
            from_models=app.config["SCHEMA_FROM_MODELS"],
            seed=seed if app.config["SEED_DEFAULT_TENANT"] else None,
        )
        if not_ready is not None:
            app.logger.warning(not_ready)
        use_shared_secret_key(app, ready=not_ready is None)
        db.session.remove()


def register_extensions(app: Flask) -> None:
    from app.inputs import register as refuse_bad_input
    from app.security import register as register_security

    db.init_app(app)
    register_security(app)
    # Before CSRF: its check reads the form, and the raw body must still be there to be checked.
    refuse_bad_input(app)
    csrf.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app.admin.blueprint import bp as admin_bp
    from app.control.blueprint import bp as control_bp
    from app.graph import register as register_graph
    from app.mdm.views import register as register_mdm
    from app.portal.blueprint import bp as portal_bp
    from app.settings_app.views import bp as settings_app_bp
    from app.tenancy import register_tenant_blueprint
    from app.web import bp as web_bp
    from app.webenroll.views import bp as webenroll_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(control_bp)
    register_tenant_blueprint(app, portal_bp, "portal")
    register_tenant_blueprint(app, admin_bp, "admin")
    register_tenant_blueprint(app, settings_app_bp, "settings")
    register_tenant_blueprint(app, webenroll_bp, "enrollment")
    register_graph(app)
    register_mdm(app)
    # JSON APIs authenticate with bearer tokens, not cookies: no CSRF token to carry.
    for endpoint, view in app.view_functions.items():
        if endpoint.split(".")[0] == "control" or endpoint.startswith("graph"):
            csrf.exempt(view)


def register_faults(app: Flask) -> None:
    from app.automation.faults import register_faults

    register_faults(app)


def register_retention(app: Flask) -> None:
    from app.retention.schedule import register

    register(app)


def register_static_versions(app: Flask) -> None:
    from app.static_files import register_static_versions

    register_static_versions(app)


def register_commands(app: Flask) -> None:
    from app.cli import db_cli, prune_command, scenario_cli, tenant_cli

    app.cli.add_command(prune_command)
    app.cli.add_command(scenario_cli)
    app.cli.add_command(tenant_cli)
    app.cli.add_command(db_cli)
