"""JSON batching (`POST /$batch`): up to 20 Graph requests in one, as Microsoft Graph takes them.

Each sub-request is dispatched through the whole Flask app — the same URL reading, faults,
authentication, tenant and views as a direct call — with the batch's own `Authorization` unless
the sub-request brings one. `dependsOn` orders the requests; a request whose dependency failed is
not run and answers `424 Failed Dependency`, as Graph answers it.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from flask import current_app, request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator
from werkzeug.test import EnvironBuilder, run_wsgi_app

from app.graph.blueprint import bp
from app.graph.bodies import Body, json_body, parse
from app.graph.errors import bad_request, client_request_id, request_id

MAX_REQUESTS = 20
_VERSIONED = re.compile(
    r"^(?P<tenant>/t/[^/]+)?/(?P<version>beta|v1\.0)(?P<rest>/.*)?$", re.I | re.S
)
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
# Hop-by-hop and per-batch headers a sub-request does not carry over from the batch.
_INHERITED = ("Authorization", "client-request-id", "User-Agent", "Accept-Language")


class BatchItem(BaseModel):
    """One request of a batch, Graph's names; extra keys are ignored as Graph ignores them."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: StrictStr | StrictInt
    method: Annotated[str, Field(min_length=1, max_length=10)]
    url: Annotated[str, Field(min_length=1, max_length=8000)]
    headers: dict[str, StrictStr] = Field(default_factory=dict)
    body: Any = None
    dependsOn: Annotated[list[StrictStr | StrictInt], Field(max_length=MAX_REQUESTS)] = Field(
        default_factory=list
    )

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        if value.upper() not in METHODS:
            raise ValueError(f"the method must be one of {', '.join(METHODS)}")
        return value.upper()


class BatchBody(Body):
    requests: Annotated[list[BatchItem], Field(min_length=1)]


def _key(value: str | int) -> str:
    return str(value)


def _check(items: list[BatchItem]) -> None:
    """Graph's 400s for a batch as a whole: duplicate ids, unknown dependencies, another
    tenant's or a nested batch's URL (cycles: _order)."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = _key(item.id)
        if key in seen:
            raise bad_request(f"requests[{index}].id: the id '{key}' is given more than once.")
        seen.add(key)
    for index, item in enumerate(items):
        for dependency in item.dependsOn:
            if _key(dependency) not in seen:
                raise bad_request(
                    f"requests[{index}].dependsOn: no request in this batch has the id "
                    f"'{_key(dependency)}'."
                )
        path, _ = _target(item.url, index)
        if path.split("/")[-1].casefold() == "$batch":
            raise bad_request(f"requests[{index}].url: a batch cannot contain a batch.")
        if item.body is not None and not _content_type(item):
            raise bad_request(
                f"requests[{index}].headers: a request with a body needs a Content-Type header."
            )


def _order(items: list[BatchItem]) -> list[BatchItem]:
    """The requests in an order that runs every dependency first (stable; cycles refused)."""
    by_key = {_key(item.id): item for item in items}
    done: list[BatchItem] = []
    state: dict[str, str] = {}

    def visit(key: str) -> None:
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise bad_request(f"The dependsOn of request '{key}' makes a cycle.")
        state[key] = "visiting"
        for dependency in by_key[key].dependsOn:
            visit(_key(dependency))
        state[key] = "done"
        done.append(by_key[key])

    for item in items:
        visit(_key(item.id))
    return done


def _target(url: str, index: int) -> tuple[str, str]:
    """The path (tenant and version included) and query a request's `url` names.

    Graph takes a URL relative to the batch's version (`users`, `/users?$top=1`), one with a
    version (`/v1.0/users`), and an absolute one (the SDKs send `https://host/v1.0/users`); the
    host is not looked at, the tenant is always the batch's own.
    """
    parts = urlsplit(url)
    root = request.path.rsplit("/", 1)[0]  # /beta, /v1.0 or /t/<id>/<version>
    tenant = root.rpartition("/")[0]
    path = "/" + parts.path.lstrip("/")
    named = _VERSIONED.match(path)
    if named is None:
        return f"{root}{path}", parts.query
    if named.group("tenant") and named.group("tenant") != tenant:
        raise bad_request(f"requests[{index}].url: '{url}' is another tenant's URL.")
    rest = named.group("rest") or "/"
    return f"{tenant}/{named.group('version').lower()}{rest}", parts.query


def _content_type(item: BatchItem) -> str:
    return next((v for k, v in item.headers.items() if k.casefold() == "content-type"), "")


def _environ(item: BatchItem) -> dict[str, Any]:
    """The WSGI environ of one sub-request: this batch's host and tenant, its headers."""
    path, query = _target(item.url, 0)
    headers = {name: request.headers[name] for name in _INHERITED if name in request.headers}
    headers.update(item.headers)
    data: bytes | None = None
    if item.body is not None:
        kind = _content_type(item)
        if isinstance(item.body, str) and "json" not in kind:
            data = item.body.encode()
        else:
            data = json.dumps(item.body).encode()
    builder = EnvironBuilder(
        path=path,
        query_string=query,
        method=item.method,
        headers=headers,
        data=data,
        base_url=f"{request.scheme}://{request.host}{request.script_root}",
        environ_base={"REMOTE_ADDR": request.remote_addr or "127.0.0.1"},
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _body(headers: dict[str, str], raw: bytes) -> Any:
    kind = headers.get("Content-Type", "")
    if not raw:
        return None
    if "json" in kind:
        return json.loads(raw)
    if kind.startswith("text/"):
        return raw.decode("utf-8", "replace")
    return base64.b64encode(raw).decode()  # binary bodies travel base64-encoded, as in Graph


def _run(item: BatchItem) -> dict[str, Any]:
    app_iter, status, headers = run_wsgi_app(current_app.wsgi_app, _environ(item))
    try:
        raw = b"".join(app_iter)
    finally:
        if hasattr(app_iter, "close"):
            app_iter.close()
    kept = {k: v for k, v in headers.items() if k.casefold() not in _DROPPED}
    answer: dict[str, Any] = {"id": item.id, "status": int(status.split()[0]), "headers": kept}
    body = _body(kept, raw)
    if body is not None:
        answer["body"] = body
    return answer


# Security and transport headers of the outer response; a sub-response keeps Graph's own.
_DROPPED = {
    "content-length",
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "strict-transport-security",
    "set-cookie",
    "vary",
    "permissions-policy",
}


def _failed_dependency(item: BatchItem, failed: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": 424,
        "headers": {"Content-Type": "application/json"},
        "body": {
            "error": {
                "code": "FailedDependency",
                "message": f"The request was not run: the request '{failed}' it depends on failed.",
                "innerError": {
                    "request-id": request_id(),
                    "client-request-id": client_request_id(),
                },
            }
        },
    }


@bp.post("/$batch")
def batch():
    """Run up to 20 requests; answer each in `responses`, in the order they were given."""
    data = json_body()
    if not isinstance(data.get("requests"), list):
        raise bad_request("The batch needs a 'requests' array of at most 20 requests.")
    if len(data["requests"]) > MAX_REQUESTS:
        raise bad_request(
            f"The batch has {len(data['requests'])} requests; a JSON batch takes at most "
            f"{MAX_REQUESTS}."
        )
    body = parse(BatchBody, data)
    _check(body.requests)
    answers: dict[str, dict[str, Any]] = {}
    for item in _order(body.requests):
        failed = next(
            (_key(d) for d in item.dependsOn if not 200 <= answers[_key(d)]["status"] < 300),
            None,
        )
        answers[_key(item.id)] = _failed_dependency(item, failed) if failed else _run(item)
    return {"responses": [answers[_key(item.id)] for item in body.requests]}
