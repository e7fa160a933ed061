"""A live simulator in a thread of the test process (werkzeug's make_server, no fork)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from app import create_app
from app.testing.database import fresh_database


@contextmanager
def live_server(db_path: Path, **config) -> Iterator[str]:
    """Serve a fresh simulator on a free loopback port; yields its base URL.

    Its database is the SQLite file db_path, or a schema of its own in the PostgreSQL database of
    ENROLLSIM_TEST_DATABASE_URL when that is set.
    """
    with fresh_database(db_path) as url:
        yield from _serve(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "live-test",
                "SCHEMA_FROM_MODELS": True,  # the migrations' schema, made faster (test_migrations)
                **config,
            }
        )


def _serve(config: dict) -> Iterator[str]:
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="enrollsim-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            from app.store import db

            db.engine.dispose()
