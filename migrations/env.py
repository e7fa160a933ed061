"""Alembic's environment: the models' metadata, and a connection handed over by the app.

The app runs migrations itself (`app.store.migrate`): at start-up behind a database lock, and from
`flask --app app db upgrade|revision|current`. It passes its open connection in
`config.attributes["connection"]`; a bare `alembic -c migrations/alembic.ini ...` builds the app
to get one, so every way in migrates the database the app would use.
"""

from __future__ import annotations

from alembic import context

from app.store.migrate import configure_context


def _run(connection) -> None:
    configure_context(context, connection)
    with context.begin_transaction():
        context.run_migrations()


def _run_with_app() -> None:
    from app import create_app
    from app.store import db

    app = create_app({"MIGRATE_ON_START": False, "SEED_DEFAULT_TENANT": False})
    with app.app_context(), db.engine.connect() as connection:
        _run(connection)
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against a database.")
connection = context.config.attributes.get("connection")
if connection is None:
    _run_with_app()
else:
    _run(connection)
