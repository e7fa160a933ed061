"""A live simulator in a thread of the test process (werkzeug's make_server, no fork)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from app import create_app


@contextmanager
def live_server(db_path: Path, **config) -> Iterator[str]:
    """Serve a fresh simulator on a free loopback port; yields its base URL."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "live-test", **config}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="enrollsim-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
