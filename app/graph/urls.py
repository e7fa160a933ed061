"""Graph's URL conventions, applied before Flask routes a request (a WSGI middleware).

Microsoft Graph reads `/Beta/deviceManagement/ManagedDevices('id')/microsoft.graph.retire?filter=…`
the same as `/beta/deviceManagement/managedDevices/id/retire?$filter=…`: the version and segment
names are case-insensitive, a key may be given in parentheses, an action or function by its
qualified name, and on beta the `$` of a system query option is optional. This module rewrites
every Graph URL to the one spelling the routes know, so each view sees a single form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote

from flask import Flask

VERSIONS = {"beta": "beta", "v1.0": "v1.0"}
_ROOT = re.compile(r"^(?P<tenant>/t/[^/]+)?/(?P<version>beta|v1\.0)(?P<rest>/.*)?$", re.I | re.S)
_KEY = re.compile(r"^(?P<name>[A-Za-z_$][\w.$]*)\((?P<key>.*)\)$", re.S)
_NAMED_KEY = re.compile(r"^[A-Za-z]\w*=(?P<key>.+)$", re.S)
_BRACED_GUID = re.compile(r"^\{([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})\}$")
_QUALIFIER = "microsoft.graph."
SYSTEM_OPTIONS = (
    "$filter",
    "$select",
    "$expand",
    "$orderby",
    "$top",
    "$skip",
    "$skiptoken",
    "$deltatoken",
    "$count",
    "$search",
    "$format",
    "$id",
)
_OPTIONS = {name.casefold(): name for name in SYSTEM_OPTIONS}
_BARE_OPTIONS = {name[1:].casefold(): name for name in SYSTEM_OPTIONS}


def key_text(raw: str) -> str:
    """The key inside `('…')`, `(…)` or `(id='…')`, unquoted; a braced GUID loses its braces."""
    named = _NAMED_KEY.match(raw)
    if named and not raw.startswith("'"):
        raw = named.group("key")
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        raw = raw[1:-1].replace("''", "'")
    braced = _BRACED_GUID.match(raw)
    return braced.group(1) if braced else raw


def _segments(rest: str, vocabulary: dict[str, str]) -> list[str]:
    out: list[str] = []
    for segment in rest.split("/"):
        keyed = _KEY.match(segment)
        key = None
        if keyed and keyed.group("name").casefold() in vocabulary:
            segment, key = keyed.group("name"), key_text(keyed.group("key"))
            key = key or None  # `delta()`: a function called without parameters
        if segment.casefold().startswith(_QUALIFIER):
            segment = segment[len(_QUALIFIER) :]
        out.append(vocabulary.get(segment.casefold(), segment))
        if key is not None:
            out.append(key)
    return out


def _query(query: str, beta: bool) -> str:
    """System query option names in their one spelling: `$Filter` and, on beta, `filter`."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        plain = unquote(name.replace("+", " ")).casefold()
        canonical = _OPTIONS.get(plain) or (_BARE_OPTIONS.get(plain) if beta else None)
        parts.append(f"{quote(canonical)}{sep}{value}" if canonical else part)
    return "&".join(parts)


def vocabulary_of(rules: Iterable[str]) -> dict[str, str]:
    """Every literal segment of the Graph routes, by its case-folded spelling."""
    words: dict[str, str] = {}
    for rule in rules:
        for part in rule.split("/"):
            if part and "<" not in part:
                words.setdefault(part.casefold(), part)
    return words


class GraphUrls:
    """WSGI middleware: rewrites Graph URLs (any tenant, any version) to their one spelling."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self._vocabulary: dict[str, str] | None = None

    @property
    def vocabulary(self) -> dict[str, str]:
        if self._vocabulary is None:
            prefixes = tuple(f"/{v}/" for v in VERSIONS)
            self._vocabulary = vocabulary_of(
                rule.rule.split(prefix, 1)[1]
                for rule in self.app.url_map.iter_rules()
                if rule.endpoint.startswith("graph")
                for prefix in prefixes
                if prefix in rule.rule
            )
        return self._vocabulary

    def __call__(self, environ: dict, start_response: Callable):
        match = _ROOT.match(environ.get("PATH_INFO", ""))
        if match is not None:
            version = match.group("version").lower()
            rest = match.group("rest") or "/"
            path = "/".join(_segments(rest, self.vocabulary))
            environ["PATH_INFO"] = f"{match.group('tenant') or ''}/{version}{path}"
            environ["QUERY_STRING"] = _query(environ.get("QUERY_STRING", ""), version == "beta")
            environ["enrollsim.graph_version"] = version
        return self.wsgi_app(environ, start_response)
