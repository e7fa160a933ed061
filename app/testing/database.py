"""A fresh, empty database for one test: a SQLite file, or a PostgreSQL schema of its own.

By default every test app gets its own SQLite file. With `ENROLLSIM_TEST_DATABASE_URL` set to a
PostgreSQL URL (`postgresql+psycopg://user:password@host/dbname`), each one gets a uniquely named
schema in that database instead: the URL handed to the app sets `search_path` to it, so the app
creates and uses its tables there, and the schema is dropped afterwards. Parallel workers and
parallel tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENV = "ENROLLSIM_TEST_DATABASE_URL"


def server_url() -> str | None:
    """The database server the tests run against, or None for SQLite files."""
    return os.environ.get(ENV) or None


def is_postgresql() -> bool:
    url = server_url()
    return url is not None and make_url(url).get_backend_name() == "postgresql"


@cache
def _admin_engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_database(sqlite_path: Path | str) -> Iterator[str]:
    """Yield the URL of an empty database; whatever it holds is gone afterwards.

    Without ENROLLSIM_TEST_DATABASE_URL that is `sqlite:///<sqlite_path>` (the caller's temporary
    directory cleans it up); with it, a new PostgreSQL schema that is dropped on the way out.
    Dispose the app's engine before leaving, so no connection of it is still in a transaction.
    """
    url = server_url()
    if url is None:
        yield f"sqlite:///{sqlite_path}"
        return
    base = make_url(url)
    if base.get_backend_name() != "postgresql":
        raise RuntimeError(f"{ENV} must be a PostgreSQL URL, not {base.get_backend_name()!r}.")
    schema = f"enrollsim_test_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine(url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = " ".join(filter(None, [base.query.get("options"), f"-csearch_path={schema}"]))
    try:
        yield base.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
