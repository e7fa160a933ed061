"""Schema migrations (Alembic, in migrations/) and the start-up every process runs before serving.

Any number of processes may start at once on one database (`gunicorn -w 4`, several containers):
each takes the database's lock — SQLite's write lock (`BEGIN IMMEDIATE`), PostgreSQL's advisory
lock — brings the schema to the newest revision if nobody did yet, and seeds the default tenant
(`app.scenarios.ensure_default_tenant` is idempotent). The others wait, then find it done.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from app.store.database import db
from app.store.types import UTCDateTime

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# The revision a database made by `create_all` before migrations existed is at (its schema is
# that revision's): such a database is stamped with it, then upgraded, and keeps its data.
BASELINE = "a1f0c3e2b7d4"
# pg_advisory_lock's key: any 64-bit number no other application on the database uses.
LOCK_KEY = 0x656E_726F_6C6C_7369  # "enrollsi"
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's config for migrations/, handing it `connection` to run on."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision: the schema of the models."""
    return _scripts().get_current_head()


def current(connection: Connection) -> str | None:
    """The revision the database is at; None when it has none (empty, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def _render_item(type_: str, obj, _autogen) -> str | bool:
    """Revisions name plain SQLAlchemy types: UTCDateTime is a DateTime column in the database."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def configure_context(context, connection: Connection) -> None:
    """migrations/env.py's settings: the models' metadata, batch mode so SQLite can alter tables."""
    context.configure(
        connection=connection,
        target_metadata=db.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        version_table=VERSION_TABLE,
    )


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate to `revision` inside the connection's transaction (the caller commits)."""
    if current(connection) is None and inspect(connection).has_table("tenants"):
        MigrationContext.configure(connection).stamp(_scripts(), BASELINE)
    command.upgrade(alembic_config(connection), revision)


def create_from_models(connection: Connection) -> None:
    """An empty database straight to the newest schema: the models' tables, stamped with the head
    revision. Tests make thousands of databases this way; tests/test_migrations.py proves that
    it gives the schema the migrations give."""
    db.metadata.create_all(connection)
    MigrationContext.configure(connection).stamp(_scripts(), "head")


@contextmanager
def startup_lock(connection: Connection) -> Iterator[None]:
    """Hold the database's lock: one process at a time migrates and seeds.

    SQLite: `BEGIN IMMEDIATE` takes the write lock until the caller commits. PostgreSQL: a session
    advisory lock, released on the way out (or when the process dies and its connection closes).
    """
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # Batch migrations copy a table, drop it and rename the copy: with foreign keys on, the
        # drop would cascade into every row that refers to it (a user's group memberships). The
        # pragma changes only outside a transaction, so it goes before the lock is taken.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            if connection.in_transaction():
                connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        return
    if dialect != "postgresql":
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        connection.commit()


def prepare(*, migrate: bool, from_models: bool, seed: Callable[[], None] | None) -> str | None:
    """Start-up: migrate (or, with `from_models`, build an empty database from the models), then
    seed, all behind the lock. Returns why the database is not ready, or None when it is."""
    with db.engine.connect() as connection:
        with startup_lock(connection):
            at = current(connection)
            if at != head():
                if not migrate:
                    connection.rollback()
                    return pending_message(at)
                empty = at is None and not inspect(connection).get_table_names()
                if from_models and empty:
                    create_from_models(connection)
                else:
                    upgrade(connection)
            connection.commit()  # SQLite: the write lock ends here; seeding takes its own
            if seed is not None:
                seed()
    return None


def pending_message(at: str | None) -> str:
    return (
        f"The database is at revision {at or '(none)'}, not {head()}: run "
        "`flask --app app db upgrade` (or start with ENROLLSIM_MIGRATE_ON_START=1)."
    )


def readiness(connection: Connection) -> str | None:
    """Why the database cannot serve (unreachable, or not migrated); None when it can."""
    at = current(connection)
    return None if at == head() else pending_message(at)


def autogenerate(message: str) -> Path | None:
    """Write a new revision with what the models changed since the newest one: compared against a
    scratch SQLite database upgraded to head. Returns the new file, None when nothing changed."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.sqlite'}", poolclass=NullPool)
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
            config = alembic_config(connection)
            script = command.revision(
                config, message=message, autogenerate=True, process_revision_directives=_skip_empty
            )
        engine.dispose()
    _scripts.cache_clear()
    if isinstance(script, list):  # one per branch; the migrations have one
        script = script[0] if script else None
    return Path(script.path) if script is not None else None


def _skip_empty(_context, _revision, directives) -> None:
    if directives and directives[0].upgrade_ops.is_empty():
        directives[:] = []
