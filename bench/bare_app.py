"""The yardstick of the HTTP throughput benchmark: a bare Flask JSON route returning the Graph
list's body (read once from ENROLLSIM_BENCH_BODY), served by the same gunicorn settings as the
simulator: `gunicorn bench.bare_app:app`. Whatever the simulator costs beyond it is its own work."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask

app = Flask("bare")
app.json.sort_keys = False  # the body as the simulator wrote it, key order included
BODY = json.loads(Path(os.environ["ENROLLSIM_BENCH_BODY"]).read_text())


@app.get("/beta/deviceManagement/managedDevices")
def devices():
    """The same 50 devices, serialised on every request as any Flask JSON view does."""
    return BODY


@app.get("/health")
def health():
    return {"status": "ok"}
