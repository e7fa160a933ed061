"""HTTPS when a client insists (the JavaScript Graph client, some PowerShell set-ups): a given
certificate (ENROLLSIM_TLS_CERT and ENROLLSIM_TLS_KEY), or with ENROLLSIM_TLS=1 a self-signed one
for localhost made here with `cryptography` and kept in instance/tls/ (made again when it nears
its end). Browsers warn about a self-signed certificate until it is trusted."""

from __future__ import annotations

import ipaddress
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.config import REPO_ROOT

VALID_FOR = timedelta(days=365)
RENEW_BEFORE = timedelta(days=7)
NAMES = ["localhost"]
ADDRESSES = ["127.0.0.1", "::1"]


def tls_files() -> tuple[str | None, str | None]:
    """The certificate and key gunicorn serves HTTPS with; (None, None) for plain HTTP."""
    cert, key = os.environ.get("ENROLLSIM_TLS_CERT"), os.environ.get("ENROLLSIM_TLS_KEY")
    if cert or key:
        for name, path in (("ENROLLSIM_TLS_CERT", cert), ("ENROLLSIM_TLS_KEY", key)):
            if not path or not Path(path).is_file():
                raise SystemExit(f"{name}: no such file {path!r} (set both, or ENROLLSIM_TLS=1)")
        return cert, key
    if os.environ.get("ENROLLSIM_TLS", "").strip().lower() in {"1", "true", "yes", "on"}:
        directory = Path(os.environ.get("ENROLLSIM_TLS_DIR") or REPO_ROOT / "instance" / "tls")
        cert_path, key_path = self_signed(directory)
        return str(cert_path), str(key_path)
    return None, None


def self_signed(directory: Path, now: datetime | None = None) -> tuple[Path, Path]:
    """A certificate for localhost, 127.0.0.1 and ::1 and its key, made unless a valid one is
    there already."""
    now = now or datetime.now(UTC)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    if cert_path.exists() and key_path.exists():
        existing = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if existing.not_valid_after_utc - RENEW_BEFORE > now:
            return cert_path, key_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Enrollment Simulator (localhost)")])
    alternatives = [x509.DNSName(n) for n in NAMES] + [
        x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    _write(key_path, key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ), mode=0o600)  # fmt: skip
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return cert_path, key_path


def _write(path: Path, data: bytes, mode: int) -> None:
    """Whole or not at all: a second server starting at once reads a complete file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(partial, path)
