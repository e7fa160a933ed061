"""OData conventions for every collection and entity: `@odata.context`, `$select`, `$expand`,
`$filter`, `$orderby`, `$top` and server paging with `@odata.nextLink`, `$count` and
`ConsistencyLevel`, and the journal line of every write.

The directory and the recorded devices are served by `query`: the filter becomes SQL
(app.graph.query.to_sql), a page is a keyset range, the count a `COUNT` run only when asked, so a
list costs its page, not the tenant. The small collections (profiles, identifiers, branding) are
served by `collection` from their JSON, with the same grammar and the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, g, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app.automation.journal import record
from app.graph.errors import GraphError
from app.graph.filters import check_advanced, parse_filter
from app.graph.query import options as opt
from app.graph.query import paging
from app.graph.query.fields import Field, python_fields, resolve
from app.graph.query.in_memory import Scope, compile_node
from app.graph.query.nodes import Node, Prop
from app.graph.query.to_sql import where
from app.security.hosts import external_url
from app.store import db

MAX_TOP = 999
COLLECTION_OPTIONS = {"$filter", "$select", "$orderby", "$top", "$skip", "$skiptoken", "$count"}
ENTITY_OPTIONS = {"$select"}
EXPANDED_MAX = 20  # Graph returns at most 20 objects of an expanded directory relationship
NAV_TYPES = {
    "members": ("microsoft.graph.user", "microsoft.graph.device", "microsoft.graph.group"),
    "memberOf": ("microsoft.graph.group",),
    "assignments": ("microsoft.graph.appleEnrollmentProfileAssignment",),
}


@dataclass(frozen=True)
class Resource:
    """How one collection is queried: its entity set (for the context URL), its Graph type, the
    properties its JSON has, those `$filter` evaluates in memory, what `$expand` may name;
    `directory` for Microsoft Entra objects (ConsistencyLevel rules), `page_size` as Graph pages."""

    entity_set: str
    type_name: str
    properties: tuple[str, ...]
    filterable: dict[str, type] = field(default_factory=dict)
    expandable: frozenset[str] = frozenset()
    directory: bool = False
    page_size: int | None = None

    def known(self) -> dict[str, str]:
        return opt.type_properties(self.type_name, self.properties)


@dataclass(frozen=True)
class Table:
    """Where a SQL-served collection lives: its filterable properties (app.graph.query.fields)
    and its default order, a unique key of indexed columns (the keyset of its pages)."""

    fields: dict[str, Field]
    key: tuple[InstrumentedAttribute, ...]
    # The statement selects columns, not an entity: a page is read as plain rows (SQLAlchemy
    # Core's cost, no ORM objects), for the lists tools read most (managedDevices).
    rows: bool = False


def base_url() -> str:
    """This tenant's Graph base URL, e.g. http://host/t/<id>/beta."""
    return external_url(".root").rstrip("/")


def context(entity_set: str, select: list[str] | None = None, entity: bool = False) -> str:
    projection = f"({','.join(select)})" if select else ""
    return f"{base_url()}/$metadata#{entity_set}{projection}{'/$entity' if entity else ''}"


def expanded(resource: Resource | None) -> list[opt.Expansion]:
    """The navigation properties `$expand` asks for (each with its nested `$select`)."""
    if resource is None:
        return []
    return opt.expansions(request.args.get("$expand"), resource.expandable, resource.type_name)


def expansions(resource: Resource | None = None) -> set[str]:
    """The names `$expand` asks for; only those `resource` can expand."""
    return {e.name for e in expanded(resource)}


def _nested(expansion: opt.Expansion, items: list[dict[str, Any]]) -> list[str] | None:
    if expansion.select is None:
        return None
    known: dict[str, str] = {}
    for type_name in NAV_TYPES.get(expansion.name, ()):
        known |= opt.type_properties(type_name, ())
    for item in items:
        known |= {k.casefold(): k for k in item if not k.startswith("@")}
    return opt.select(",".join(expansion.select), known, f"the targets of {expansion.name}")


def project(
    entity: dict[str, Any], select: list[str] | None, expand: Sequence[opt.Expansion]
) -> dict[str, Any]:
    """`$select` applied (unset properties of the type are null), expansions kept and projected."""
    out = entity
    if select is not None:
        kept = [*select, *(e.name for e in expand if e.name not in select)]
        head = {"@odata.type": entity["@odata.type"]} if "@odata.type" in entity else {}
        out = {**head, **{name: entity.get(name) for name in kept}}
    for expansion in expand:
        items = out.get(expansion.name)
        if isinstance(items, list):
            nested = _nested(expansion, items)
            if nested is not None:
                out = {**out, expansion.name: [project(i, nested, ()) for i in items]}
    return out


def _scope(resource: Resource, fields: dict[str, Field]) -> Scope:
    known = set(resource.known())

    def resolver(prop: Prop) -> tuple[Field, Field]:
        top = resolve(fields, Prop(prop.path[:1]), resource.type_name, known)
        return top, (
            top if len(prop.path) == 1 else resolve(fields, prop, resource.type_name, known)
        )

    return Scope(resolver)


def _filter(resource: Resource, options: dict[str, str], counting: bool) -> Node | None:
    if "$filter" not in options:
        return None
    node = parse_filter(options["$filter"])
    if resource.directory:
        check_advanced(node, opt.eventual() and counting)
    return node


def _count_segment_filter(resource: Resource) -> Node | None:
    """The filter of `<collection>/$count`; on directory objects only with ConsistencyLevel:
    eventual, as Graph answers (after the filter itself is read, so a bad one says why)."""
    node = _filter(resource, opt.raw_options({"$filter"}), True)
    if resource.directory and not opt.eventual():
        raise GraphError(400, "$count is not currently supported.", code="Request_BadRequest")
    return node


def _top(options: dict[str, str], resource: Resource) -> int | None:
    if "$top" in options:
        return opt.int_option("$top", options["$top"], 1, MAX_TOP)
    return resource.page_size


def _counts(resource: Resource, options: dict[str, str]) -> bool:
    """`$count=true` counts, except on directory objects without ConsistencyLevel: eventual
    (Graph ignores it there)."""
    wanted = opt.count_flag(options.get("$count"))
    return wanted and (not resource.directory or opt.eventual())


def collection(resource: Resource, entities: list[dict[str, Any]]) -> dict[str, Any] | Response:
    """The Graph answer for a collection held in memory, every query option applied;
    at `<collection>/$count`, the number of (filtered) entities as text, as Graph answers."""
    scope = _scope(resource, python_fields(resource.filterable))
    if request.path.endswith("/$count"):
        node = _count_segment_filter(resource)
        if node is not None:
            test = compile_node(node, scope)
            entities = [e for e in entities if test({"": e})]
        return Response(str(len(entities)), mimetype="text/plain")
    options = opt.raw_options(COLLECTION_OPTIONS | ({"$expand"} if resource.expandable else set()))
    expand = expanded(resource)
    known = resource.known()
    chosen = opt.select(options.get("$select"), known, resource.type_name)
    counting = _counts(resource, options)
    node = _filter(resource, options, counting)
    if node is not None:
        test = compile_node(node, scope)
        entities = [e for e in entities if test({"": e})]
    if "$orderby" in options:
        prop, descending = opt.orderby(options["$orderby"], known)
        entities = sorted(entities, key=lambda e: _sort_key(e.get(prop)), reverse=descending)
    offset = 0
    if "$skiptoken" in options:
        offset = paging.offset_of(paging.decode(options["$skiptoken"]))
    elif "$skip" in options:
        offset = opt.int_option("$skip", options["$skip"], 0, 2**31 - 1)
    top = _top(options, resource)
    page = entities[offset : offset + top] if top is not None else entities[offset:]
    body: dict[str, Any] = {"@odata.context": context(resource.entity_set, chosen)}
    if counting:
        body["@odata.count"] = len(entities)
    if top is not None and offset + top < len(entities):
        body["@odata.nextLink"] = paging.next_link({"o": offset + top})
    body["value"] = [project(e, chosen, expand) for e in page]
    return body


def _sort_key(value: Any) -> tuple:
    """Nulls first in ascending order, strings without regard to case, as Graph sorts."""
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (1, str(value))


PageJson = Callable[[Sequence[Any], list[opt.Expansion]], list[dict[str, Any]]]


def query(
    resource: Resource, table: Table, statement: Select, page_json: PageJson
) -> dict[str, Any] | Response:
    """The Graph answer for a collection held in SQL: `statement` selects the collection's rows
    (its tenant); filter, order, page and count run in the database; `page_json` turns the rows
    of one page into Graph JSON (loading what the expansions need for that page only)."""
    scope = _scope(resource, table.fields)
    if request.path.endswith("/$count"):
        node = _count_segment_filter(resource)
        if node is not None:
            statement = statement.where(where(node, scope))
        return Response(str(_count(statement)), mimetype="text/plain")
    options = opt.raw_options(COLLECTION_OPTIONS | ({"$expand"} if resource.expandable else set()))
    expand = expanded(resource)
    known = resource.known()
    chosen = opt.select(options.get("$select"), known, resource.type_name)
    counting = _counts(resource, options)
    node = _filter(resource, options, counting)
    if node is not None:
        statement = statement.where(where(node, scope))
    body: dict[str, Any] = {"@odata.context": context(resource.entity_set, chosen)}
    if counting:
        body["@odata.count"] = _count(statement)
    top = _top(options, resource)
    rows, state = _page(statement, table, options, known, top)
    if state is not None:
        body["@odata.nextLink"] = paging.next_link(state)
    body["value"] = [project(e, chosen, expand) for e in page_json(rows, expand)]
    return body


def _count(statement: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def _page(
    statement: Select, table: Table, options: dict[str, str], known: dict[str, str], top: int | None
) -> tuple[Sequence[Any], dict[str, Any] | None]:
    """One page of rows and the state of the next page (None on the last)."""
    token = paging.decode(options["$skiptoken"]) if "$skiptoken" in options else None
    if "$orderby" in options or "$skip" in options:
        offset = 0
        if token is not None:
            offset = paging.offset_of(token)
        elif "$skip" in options:
            offset = opt.int_option("$skip", options["$skip"], 0, 2**31 - 1)
        if "$orderby" in options:
            statement = statement.order_by(_order(table, options["$orderby"], known))
        statement = statement.order_by(*table.key).offset(offset)
        rows = _fetch(statement.limit(top + 1 if top else None), table)
        if top is not None and len(rows) > top:
            return rows[:top], {"o": offset + top}
        return rows, None
    if token is not None:
        statement = statement.where(paging.after(table.key, paging.key_of(token, len(table.key))))
    statement = statement.order_by(*table.key)
    rows = _fetch(statement.limit(top + 1 if top else None), table)
    if top is not None and len(rows) > top:
        last = rows[top - 1]
        return rows[:top], {"k": [getattr(last, column.key) for column in table.key]}
    return rows, None


def _fetch(statement: Select, table: Table) -> Sequence[Any]:
    if table.rows:  # Core: the session's connection, no ORM result processing
        return db.session.connection().execute(statement).all()
    return db.session.scalars(statement).all()


def _order(table: Table, text: str, known: dict[str, str]):
    prop, descending = opt.orderby(text, known)
    chosen = table.fields.get(prop.casefold())
    if chosen is None or chosen.column is None:
        raise GraphError(
            400,
            f"Sorting by '{prop}' is not supported on this collection.",
            code="Request_UnsupportedQuery",
        )
    column = chosen.column
    if chosen.edm == "Edm.String" and not chosen.folded:
        column = func.lower(column)
    return column.desc().nulls_last() if descending else column.asc().nulls_first()


def entity(resource: Resource, data: dict[str, Any], entity_set: str | None = None) -> dict:
    """The Graph answer for one entity, with `$select` (and `$expand`) applied."""
    options = opt.raw_options(ENTITY_OPTIONS | ({"$expand"} if resource.expandable else set()))
    expand = expanded(resource)
    chosen = opt.select(options.get("$select"), resource.known(), resource.type_name)
    where_ = entity_set or resource.entity_set
    return {
        "@odata.context": context(where_, chosen, entity=True),
        **project(data, chosen, expand),
    }


def journal(action: str, resource: str, key: str, *, user: str = "", **detail: Any) -> None:
    """One journal line per write, inside the caller's transaction (`user`: whose it concerns)."""
    record(
        g.tenant.id, "graph.write", user=user, action=action, resource=resource, id=key, **detail
    )
