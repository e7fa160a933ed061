"""Serving as a product: the start-up banner, HTTPS with a self-signed (or given) certificate,
and the image and compose stack (parsed and checked here; built only where Docker runs)."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.serving.banner import banner, base_url
from app.serving.tls import RENEW_BEFORE, VALID_FOR, self_signed, tls_files
from app.testing.gunicorn import gunicorn

ROOT = Path(__file__).resolve().parent.parent


def test_banner_says_where_everything_is(monkeypatch):
    monkeypatch.delenv("ENROLLSIM_DATABASE_URL", raising=False)
    monkeypatch.delenv("ENROLLSIM_DEFAULT_SCENARIO", raising=False)
    lines = "\n".join(banner("http://127.0.0.1:5000", 1, 8))
    for expected in (
        "Company Portal   http://127.0.0.1:5000/portal/",
        "Admin console    http://127.0.0.1:5000/admin/",
        "Graph base URL   http://127.0.0.1:5000/beta",
        "Demo users       alex@contoso.com, megan@contoso.com",
        "(password Passw0rd!)",
        "gunicorn, 1 worker × 8 threads",
    ):
        assert expected in lines


def test_banner_hides_the_database_password(monkeypatch):
    monkeypatch.setenv("ENROLLSIM_DATABASE_URL", "postgresql+psycopg://sim:s3cret@db/enrollsim")
    lines = "\n".join(banner("http://127.0.0.1:5000", 4, 8))
    assert "s3cret" not in lines and "postgresql+psycopg://sim:***@db/enrollsim" in lines


@pytest.mark.parametrize(
    ("host", "public", "url"),
    [
        ("127.0.0.1", "", "http://127.0.0.1:5000"),
        ("0.0.0.0", "", "http://127.0.0.1:5000"),
        ("::1", "", "http://[::1]:5000"),
        ("0.0.0.0", "https://sim.example.com/", "https://sim.example.com"),
    ],
)
def test_base_url_is_one_to_open(monkeypatch, host, public, url):
    monkeypatch.setenv("ENROLLSIM_PUBLIC_URL", public)
    assert base_url(host, 5000, "http") == url


def test_self_signed_certificate_names_localhost_and_is_kept(tmp_path):
    cert_path, key_path = self_signed(tmp_path)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert set(names.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::1"),
    }
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert self_signed(tmp_path) == (cert_path, key_path)
    assert cert_path.read_bytes() == cert.public_bytes(serialization.Encoding.PEM)


def test_a_certificate_near_its_end_is_made_again(tmp_path):
    cert_path, _ = self_signed(tmp_path)
    first = cert_path.read_bytes()
    later = datetime.now(UTC) + VALID_FOR - RENEW_BEFORE + timedelta(hours=1)
    self_signed(tmp_path, now=later)
    assert cert_path.read_bytes() != first


def test_a_given_certificate_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("ENROLLSIM_TLS_CERT", str(tmp_path / "nope.pem"))
    monkeypatch.setenv("ENROLLSIM_TLS_KEY", str(tmp_path / "nope.key"))
    with pytest.raises(SystemExit, match="ENROLLSIM_TLS_CERT: no such file"):
        tls_files()


def test_plain_http_unless_asked(monkeypatch):
    for name in ("ENROLLSIM_TLS", "ENROLLSIM_TLS_CERT", "ENROLLSIM_TLS_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert tls_files() == (None, None)


def test_tls_1_serves_https_with_the_self_signed_certificate(tmp_path):
    """What `make run TLS=1` starts: gunicorn on HTTPS, a client trusting the certificate."""
    env = {"ENROLLSIM_TLS": "1", "ENROLLSIM_TLS_DIR": str(tmp_path / "tls")}
    database = f"sqlite:///{tmp_path / 'tls.sqlite'}"
    with gunicorn(database, workers=1, env=env, scheme="https") as server:
        cert = str(tmp_path / "tls" / "cert.pem")
        response = requests.get(f"{server.url}/_sim/health", verify=cert, timeout=10)
        assert response.status_code == 200 and response.json()["status"] == "ok"
        assert server.url.startswith("https://127.0.0.1:")
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{server.url}/_sim/health", timeout=10)  # not trusted by default


# The image and the stack.


def dockerfile() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    return [line for line in text.replace("\\\n", " ").splitlines() if line and line[0] != "#"]


def test_dockerfile_is_slim_non_root_gunicorn_with_a_healthcheck():
    lines = dockerfile()
    instructions = [line.split()[0] for line in lines]
    assert lines[0].startswith("FROM python:3.11-slim")
    user = next(line for line in lines if line.startswith("USER "))
    assert user.split()[1] not in {"root", "0"}
    assert instructions.index("USER") > max(i for i, x in enumerate(instructions) if x == "RUN")
    health = next(line for line in lines if line.startswith("HEALTHCHECK"))
    assert "/_sim/health" in health
    assert lines[-1].startswith("CMD") and "gunicorn" in lines[-1]


def test_dockerfile_copies_files_that_exist():
    for line in dockerfile():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is missing"


def test_compose_runs_several_workers_on_postgresql():
    stack = yaml.safe_load((ROOT / "compose.yaml").read_text())
    simulator, postgres = stack["services"]["simulator"], stack["services"]["postgres"]
    assert simulator["build"] == "."
    assert int(simulator["environment"]["ENROLLSIM_WORKERS"]) > 1
    url = simulator["environment"]["ENROLLSIM_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@postgres/" in url
    assert simulator["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert postgres["image"].startswith("postgres:") and "healthcheck" in postgres
    assert re.fullmatch(r"127\.0\.0\.1:\d+:8000", simulator["ports"][0])


def _docker_runs() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


def test_the_image_builds_and_runs_the_app():
    if not _docker_runs():
        pytest.skip("Docker is not available here (no docker engine answers `docker info`)")
    tag = "enrollsim-test:latest"
    build = subprocess.run(
        ["docker", "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=900
    )
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "python", tag, "-c", "import app, gunicorn"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


def test_a_killed_server_keeps_every_committed_write(tmp_path):
    """SQLite in WAL with synchronous=NORMAL: kill -9 the whole server right after a write is
    answered, start it again, and the write is there."""
    database = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    with gunicorn(database, workers=1) as server:
        created = requests.post(f"{server.url}/_sim/tenants", timeout=30).json()["id"]
        for pid in [server.pid, *worker_pids(server.pid)]:
            os.kill(pid, signal.SIGKILL)
    with gunicorn(database, workers=1) as server:
        assert requests.get(f"{server.url}/_sim/tenants/{created}", timeout=30).status_code == 200


def worker_pids(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == master:
                children.append(int(entry.name))
    return children


def test_sqlite_synchronous_is_normal_or_full(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("ENROLLSIM_SQLITE_SYNCHRONOUS", "full")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite'}", "SECRET_KEY": "t"}
    )
    with app.app_context():
        from app.store import db

        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        db.engine.dispose()
    monkeypatch.setenv("ENROLLSIM_SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(ValueError, match="ENROLLSIM_SQLITE_SYNCHRONOUS: NORMAL or FULL; not 'OFF'"):
        create_app({"SECRET_KEY": "t"})
