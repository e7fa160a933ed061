"""What a user would otherwise run: WireMock and Mockoon serving the Graph list's body as a static
stub, for the HTTP throughput benchmark. Each is fetched once through its ordinary registry client
into a cache (WireMock's standalone jar from Maven Central with `mvn`, else from WireMock's own
npm package, which ships the same jar; Mockoon's CLI from npm) and started on a benchmark port.

`Unavailable` says why one cannot be had here (no Java, no Node, no registry); the benchmark
prints it as its "skipped:" line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from contextlib import AbstractContextManager
from pathlib import Path

from bench import servers

WIREMOCK_VERSION = "3.13.2"
MOCKOON_VERSION = "9"
FETCH_TIMEOUT = 300  # seconds for one registry client
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "enrollsim-bench"
PATH = "/beta/deviceManagement/managedDevices"


class Unavailable(Exception):
    pass


def _run(command: list[str], what: str) -> str:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=FETCH_TIMEOUT, cwd=CACHE
        )
    except subprocess.TimeoutExpired:
        raise Unavailable(f"{what} gave no answer in {FETCH_TIMEOUT} s") from None
    if done.returncode != 0:
        unreachable = re.search(
            r"Unknown host [\w.-]+|ENOTFOUND[^\n]*|ECONNREFUSED[^\n]*", done.stderr + done.stdout
        )
        if unreachable:
            raise Unavailable(f"{what} failed: {unreachable[0]} (registry not reachable)")
        lines = [line for line in (done.stdout + done.stderr).splitlines() if "ERR" in line]
        raise Unavailable(f"{what} failed: {(lines or ['exit ' + str(done.returncode)])[0][:300]}")
    return done.stdout


def _npm_install(package: str, folder: Path) -> None:
    if shutil.which("npm") is None:
        raise Unavailable("npm is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", package]
    _run(command, f"npm install {package}")


def wiremock_jar() -> tuple[Path, str]:
    """The standalone jar and where it came from."""
    if shutil.which("java") is None:
        raise Unavailable("no Java runtime (java) on PATH")
    CACHE.mkdir(parents=True, exist_ok=True)
    name = f"wiremock-standalone-{WIREMOCK_VERSION}.jar"
    m2 = Path.home() / ".m2/repository/org/wiremock/wiremock-standalone" / WIREMOCK_VERSION / name
    npm = CACHE / "wiremock/node_modules/wiremock/build" / name
    for jar, source in ((m2, "Maven Central"), (npm, "npm package wiremock")):
        if jar.exists():
            return jar, source
    reasons = []
    if shutil.which("mvn"):
        artifact = f"org.wiremock:wiremock-standalone:{WIREMOCK_VERSION}"
        try:
            _run(["mvn", "-q", "-B", "dependency:get", f"-Dartifact={artifact}"], "mvn")
            return m2, "Maven Central"
        except Unavailable as exc:
            reasons.append(str(exc))
    try:
        _npm_install(f"wiremock@{WIREMOCK_VERSION}", CACHE / "wiremock")
        why = "; ".join(reasons) or "no mvn"
        return npm, f"WireMock's own npm package wiremock (not from Maven Central: {why})"
    except Unavailable as exc:
        raise Unavailable("; ".join([*reasons, str(exc)])) from None


def wiremock(body: Path, port: int, scratch: Path) -> tuple[AbstractContextManager, str, str]:
    """WireMock with one stub mapping: GET the list → the body, as JSON."""
    jar, source = wiremock_jar()
    root = scratch / "wiremock"
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "__files").mkdir(exist_ok=True)
    shutil.copy(body, root / "__files/devices.json")
    mapping = {
        "request": {"method": "GET", "urlPath": PATH},
        "response": {
            "status": 200,
            "bodyFileName": "devices.json",
            "headers": {"Content-Type": "application/json"},
        },
    }
    (root / "mappings/devices.json").write_text(json.dumps(mapping))
    command = [
        "java", "-jar", str(jar), "--port", str(port), "--bind-address", "127.0.0.1",
        "--root-dir", str(root), "--disable-banner",
    ]  # fmt: skip
    server = servers.process(command, port, "/__admin/health", scratch / "wiremock.log")
    return server, f"WireMock {WIREMOCK_VERSION}", f"WireMock's jar: {source}"


def mockoon(body: Path, port: int, scratch: Path) -> tuple[AbstractContextManager, str, str]:
    """Mockoon's CLI with one route: GET the list → the body, as JSON."""
    if shutil.which("node") is None:
        raise Unavailable("no Node.js (node) on PATH")
    cli = CACHE / "mockoon/node_modules/.bin/mockoon-cli"
    if not cli.exists():
        _npm_install(f"@mockoon/cli@{MOCKOON_VERSION}", CACHE / "mockoon")
    environment = {
        "uuid": "enrollsim-bench",
        "lastMigration": 33,
        "name": "enrollsim-bench",
        "port": port,
        "hostname": "127.0.0.1",
        "endpointPrefix": "",
        "latency": 0,
        "folders": [],
        "rootChildren": [{"type": "route", "uuid": "devices"}],
        "routes": [_mockoon_route(body.read_text())],
        "proxyMode": False,
        "cors": False,
        "headers": [],
        "data": [],
        "callbacks": [],
    }
    data = scratch / "mockoon.json"
    data.write_text(json.dumps(environment))
    command = [str(cli), "start", "--data", str(data), "--disable-log-to-file", "--repair"]
    server = servers.process(command, port, PATH, scratch / "mockoon.log")
    return server, f"Mockoon CLI {_mockoon_version(cli)}", "Mockoon's CLI: npm package @mockoon/cli"


def _mockoon_route(body: str) -> dict:
    def response(status: int, text: str, default: bool) -> dict:
        return {
            "uuid": f"r{status}",
            "body": text,
            "latency": 0,
            "statusCode": status,
            "label": "",
            "headers": [{"key": "Content-Type", "value": "application/json"}],
            "bodyType": "INLINE",
            "filePath": "",
            "databucketID": "",
            "sendFileAsBody": False,
            "rules": [],
            "rulesOperator": "OR",
            "disableTemplating": True,  # a static stub: the body as it is
            "fallbackTo404": False,
            "default": default,
            "crudKey": "id",
            "callbacks": [],
        }

    return {
        "uuid": "devices",
        "type": "http",
        "method": "get",
        "endpoint": PATH.lstrip("/"),
        "responses": [response(200, body, True)],
        "responseMode": None,
        "streamingMode": None,
        "streamingInterval": 0,
    }


def _mockoon_version(cli: Path) -> str:
    package = cli.parents[1] / "@mockoon/cli/package.json"
    return json.loads(package.read_text())["version"] if package.exists() else MOCKOON_VERSION
