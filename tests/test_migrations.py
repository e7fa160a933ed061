"""Migrations: an empty database migrated gives the models' schema (on SQLite and PostgreSQL),
an upgrade from the first revision keeps a tenant's data, and a database made before migrations
existed is taken over; the readiness probe says when a database is not migrated."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, select
from sqlalchemy.pool import NullPool

from app import create_app
from app.config import REPO_ROOT
from app.scenarios import create_tenant, export, parse_file
from app.store import Tenant, db
from app.store.migrate import (
    BASELINE,
    VERSION_TABLE,
    create_from_models,
    current,
    head,
    upgrade,
)
from app.store.migrate import (
    _render_item as render_item,
)

DEMO = REPO_ROOT / "scenarios" / "demo.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
    else:
        yield request.getfixturevalue("postgres_database")


def differences(connection) -> list:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_item": render_item}
    )
    return compare_metadata(context, db.metadata)


def migrated(url: str, revision: str = "head"):
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        upgrade(connection, revision)
        connection.commit()
    return engine


def test_migrating_an_empty_database_gives_the_models_schema(empty_database):
    engine = migrated(empty_database)
    with engine.connect() as connection:
        assert differences(connection) == []
        assert current(connection) == head()


def test_the_tests_shortcut_gives_the_same_schema(empty_database):
    """Tests build their databases from the models and stamp them: the same tables, columns,
    types, indexes and constraints as running every revision, at the same revision."""
    engine = create_engine(empty_database, poolclass=NullPool)
    with engine.connect() as connection:
        create_from_models(connection)
        connection.commit()
        assert differences(connection) == []
        assert current(connection) == head()
        tables = set(inspect(connection).get_table_names())
    assert tables == set(db.metadata.tables) | {VERSION_TABLE}


def _app(url: str, **config):
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", **config}
    )


def _copy_to_the_first_revision(source_url: str, target_url: str) -> None:
    """The rows of every table the first revision has, limited to its columns, copied from a
    database at head into one at the first revision: a tenant as the first release stored it,
    written with today's code, so the test stays true however many revisions follow."""
    target = migrated(target_url, BASELINE)
    source = create_engine(source_url, poolclass=NullPool)
    old = MetaData()
    old.reflect(target)
    with source.connect() as reading, target.begin() as writing:
        for table in old.sorted_tables:
            model = db.metadata.tables.get(table.name)
            if model is None:
                continue
            columns = [model.c[column.name] for column in table.columns if column.name in model.c]
            rows = [dict(row) for row in reading.execute(select(*columns)).mappings()]
            if rows:
                writing.execute(table.insert(), rows)
    source.dispose()
    target.dispose()


@pytest.mark.parametrize("made_before_migrations", [False, True])
def test_upgrade_from_the_first_revision_keeps_a_tenants_data(
    empty_database, made_before_migrations, tmp_path
):
    """At the first revision, with a tenant; the next start migrates it and keeps every row. A
    database made by `create_all` before migrations existed has no version table: it is stamped
    with the first revision, then upgraded the same way."""
    scratch = f"sqlite:///{tmp_path / 'scratch.sqlite'}"
    writer = _app(scratch, SEED_DEFAULT_TENANT=False)
    with writer.app_context():
        before = export(create_tenant(parse_file(DEMO), "kept"))
        db.engine.dispose()
    _copy_to_the_first_revision(scratch, empty_database)
    if made_before_migrations:
        engine = create_engine(empty_database, poolclass=NullPool)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP TABLE {VERSION_TABLE}")
        engine.dispose()
    new = _app(empty_database)  # migrates at start, then seeds the default tenant
    with new.app_context():
        with db.engine.connect() as connection:
            assert current(connection) == head()
        assert export(db.session.get(Tenant, "kept")) == before
        assert new.test_client().get("/_sim/health").get_json()["tenants"] == 2
        db.engine.dispose()


def test_ready_says_503_until_the_database_is_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'late.sqlite'}"
    app = _app(url, MIGRATE_ON_START=False)
    client = app.test_client()
    response = client.get("/_sim/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["revision"] is None
    assert "flask --app app db upgrade" in body["reason"]
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"Database at {head()}" in result.output
    assert client.get("/_sim/ready").get_json() == {"status": "ready", "revision": head()}
    with app.app_context():
        db.engine.dispose()


def test_the_models_match_the_newest_revision(runner):
    """What `make migration` runs: with no model change there is nothing to write. A model
    changed without its revision fails here (and in the schema tests above)."""
    result = runner.invoke(args=["db", "revision", "-m", "nothing"])
    assert result.exit_code == 1
    assert "The models match the newest revision: nothing to migrate." in result.output
