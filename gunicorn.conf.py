"""gunicorn's settings for the simulator (read from the working directory by `gunicorn`, so
`make run`, `make serve`, the image and a bare `gunicorn 'app:create_app()'` all use them).

Every setting comes from an ENROLLSIM_* variable, so one file serves a laptop and a cluster.
"""

import os
import sys

from app.serving.banner import banner, base_url
from app.serving.tls import tls_files

bind = [os.environ.get("ENROLLSIM_BIND", "127.0.0.1:5000")]
workers = int(os.environ.get("ENROLLSIM_WORKERS", "1"))
# Threads: a request waiting on the database (or on an injected latency) leaves the others going.
worker_class = "gthread"
threads = int(os.environ.get("ENROLLSIM_THREADS", "8"))
# An injected latency may hold a request for 30 s (app/automation/faults.py).
timeout = 60
graceful_timeout = 10
# Threaded workers keep idle connections open: a client reuses one for its next request.
keepalive = int(os.environ.get("ENROLLSIM_KEEPALIVE", "5"))
accesslog = os.environ.get("ENROLLSIM_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("ENROLLSIM_LOG_LEVEL", "info")
certfile, keyfile = tls_files()
# gunicorn's control socket (gunicornc) lives at one path per user: two servers would share it.
control_socket_disable = True
# Behind a proxy that terminates TLS: trust its X-Forwarded-* headers from these addresses.
forwarded_allow_ips = os.environ.get("ENROLLSIM_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def when_ready(server) -> None:
    """Once listening: where everything is (the workers migrate and seed as they boot)."""
    host, port = server.address[0][:2] if isinstance(server.address[0], tuple) else ("", 0)
    config = server.cfg  # as the command line left it (it overrides this file)
    url = base_url(host, port, "https" if config.certfile else "http")
    sys.stderr.write("\n".join(banner(url, config.workers, config.threads)) + "\n")
    sys.stderr.flush()


def post_worker_init(worker) -> None:
    worker.log.info("Worker ready (pid: %s)", worker.pid)
