"""Fixtures: a fresh app and database per test, a client, a CLI runner, and form helpers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, settings

from app import create_app
from app.store import db
from app.testing.database import fresh_database

# Timing is for bench/, never for tests: a loaded CI machine must not fail a property test.
settings.register_profile("enrollsim", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("enrollsim")

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def database_url(tmp_path):
    """An empty database of this test: a SQLite file, or a PostgreSQL schema when
    ENROLLSIM_TEST_DATABASE_URL is set (see app/testing/database.py)."""
    with fresh_database(tmp_path / "test.sqlite") as url:
        yield url


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            # Built from the models and stamped, not migrated: a third of the time of a test.
            # tests/test_migrations.py proves both give the same schema.
            "SCHEMA_FROM_MODELS": True,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str | bytes) -> str:
    """The CSRF token of the first form on a page."""
    text = html.decode() if isinstance(html, bytes) else html
    match = _CSRF.search(text)
    assert match, "no csrf_token on the page"
    return match.group(1)


@pytest.fixture
def new_tenant(client):
    """Create a tenant from a scenario dict through the control API; returns its JSON."""

    def make(scenario: dict | None = None) -> dict:
        response = (
            client.post("/_sim/tenants", json=scenario)
            if scenario is not None
            else client.post("/_sim/tenants")
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return make


@pytest.fixture(scope="session")
def postgres_server_url(worker_id):
    """A PostgreSQL server of this test process (app/testing/postgres.py), installed and started
    where it can be; the tests that need it are skipped, saying why, where it cannot."""
    from contextlib import ExitStack

    from app.testing.postgres import Unavailable, port_from_env, postgres_server

    with ExitStack() as stack:
        try:
            url = stack.enter_context(
                postgres_server(port_from_env("ENROLLSIM_TEST_PG_PORT", worker_id))
            )
        except Unavailable as exc:
            pytest.skip(f"PostgreSQL is not available here: {exc}")
        yield url


@pytest.fixture
def postgres_database(postgres_server_url):
    """A new, empty PostgreSQL database on that server, dropped afterwards."""
    from app.testing.postgres import fresh_postgres_database

    with fresh_postgres_database(postgres_server_url) as url:
        yield url
