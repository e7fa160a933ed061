"""One retention pass: idle tenants, then journal entries, directory changes, and finished or
abandoned walks, each removed in short transactions of at most BATCH rows, oldest first.

What each step guarantees, whatever writes at the same time:
- the journal loses a prefix: a tenant's events up to an id are removed and none after it, and
  that id is kept (`tenant_retention.journal_pruned_through`), so the events API says what was
  dropped. Writers of one tenant's journal commit its ids in order (app/automation/journal.py),
  so an event still being written always gets an id above every committed one: it is never lost,
  and a reader continuing `after` a cursor never skips an event that was kept;
- directory changes older than the age limit, and those a scenario load or reset already made
  useless, are removed; the newest removed one stays as a `reset` row, so a delta token from
  before it asks the client to sync again (410 syncStateNotFound, app/graph/delta.py);
- walks (Company Portal's and Apple's protocol's) untouched for the walk age are removed, whatever
  their state; the managed device a walk recorded is another row and is never removed;
- tenants other than `default` nobody used for the idle-tenant time are deleted with everything
  in them; a tenant used meanwhile is not (the condition is checked again in the DELETE).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.retention.policy import Policy, cutoff
from app.store import (
    DEFAULT_TENANT,
    DirectoryChange,
    JournalEvent,
    MdmEnrollment,
    PortalWalk,
    Tenant,
    TenantRetention,
    db,
    transaction,
    utcnow,
)
from app.store.changes import RESET

BATCH = 1000  # rows a transaction removes at most: a writer never waits long for the pruner
PAUSE = 0.01  # seconds between two transactions, so waiting writers go first


@dataclass
class PruneReport:
    """What one pass removed."""

    journal_events: int = 0
    journal_tenants: int = 0
    directory_changes: int = 0
    walks: int = 0
    enrollments: int = 0
    tenants: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def removed_anything(self) -> bool:
        counts = (self.journal_events, self.directory_changes, self.walks, self.enrollments)
        return any(counts) or bool(self.tenants)

    def lines(self) -> list[str]:
        """In words, one line per kind of row, as `flask --app app prune` prints it."""
        tenants = f" ({', '.join(self.tenants)})" if self.tenants else ""
        return [
            f"idle tenants removed: {len(self.tenants)}{tenants}",
            f"journal events removed: {self.journal_events:,} "
            f"(from {self.journal_tenants:,} tenant{'' if self.journal_tenants == 1 else 's'})",
            f"directory changes removed: {self.directory_changes:,}",
            f"portal walks removed: {self.walks:,}",
            f"account-driven enrollments in progress removed: {self.enrollments:,}",
            f"took {self.seconds:.2f} s",
        ]


def run_pass(policy: Policy, now: datetime | None = None) -> PruneReport:
    """Apply the policy once, as of `now` (default: the current time)."""
    started = time.perf_counter()
    now = now or utcnow()
    report = PruneReport()
    report.tenants = remove_idle_tenants(cutoff(now, policy.idle_tenant_ttl))
    report.journal_events, report.journal_tenants = prune_journal(policy, now)
    report.directory_changes = prune_directory_changes(cutoff(now, policy.journal_max_age))
    walk_cutoff = cutoff(now, policy.walk_max_age)
    report.walks = remove_untouched(PortalWalk, walk_cutoff)
    report.enrollments = remove_untouched(MdmEnrollment, walk_cutoff)
    db.session.rollback()  # end the last read
    report.seconds = time.perf_counter() - started
    return report


def _pause() -> None:
    time.sleep(PAUSE)


# -- the journal ---------------------------------------------------------------------------------


def journal_bounds(policy: Policy, now: datetime) -> dict[str, int]:
    """Per tenant, the newest event id to remove: older than the age limit, or beyond the
    newest `journal_max_events` (whichever reaches further)."""
    bounds: dict[str, int] = {}
    older = cutoff(now, policy.journal_max_age)
    if older is not None:
        aged = db.session.execute(
            select(JournalEvent.tenant_id, func.max(JournalEvent.id))
            .where(JournalEvent.time < older)
            .group_by(JournalEvent.tenant_id)
        )
        bounds.update({tenant_id: newest for tenant_id, newest in aged})
    cap = policy.journal_max_events
    if cap is not None:
        over = db.session.scalars(
            select(JournalEvent.tenant_id)
            .group_by(JournalEvent.tenant_id)
            .having(func.count() > cap)
        ).all()
        for tenant_id in over:
            beyond = db.session.scalar(
                select(JournalEvent.id)
                .where(JournalEvent.tenant_id == tenant_id)
                .order_by(JournalEvent.id.desc())
                .offset(cap)
                .limit(1)
            )
            if beyond is not None:
                bounds[tenant_id] = max(bounds.get(tenant_id, 0), beyond)
    db.session.rollback()
    return bounds


def prune_journal(policy: Policy, now: datetime) -> tuple[int, int]:
    """Remove what the policy drops from every journal: (events removed, tenants pruned)."""
    removed = 0
    bounds = journal_bounds(policy, now)
    for tenant_id, through in bounds.items():
        removed += _remove_journal_through(tenant_id, through)
    return removed, len(bounds)


def _remove_journal_through(tenant_id: str, through: int) -> int:
    removed = 0
    while True:
        step = db.session.scalar(
            select(JournalEvent.id)
            .where(JournalEvent.tenant_id == tenant_id, JournalEvent.id <= through)
            .order_by(JournalEvent.id)
            .offset(BATCH - 1)
            .limit(1)
        )
        upto = through if step is None else step
        with transaction():
            done = db.session.execute(
                delete(JournalEvent.__table__).where(
                    JournalEvent.tenant_id == tenant_id, JournalEvent.id <= upto
                )
            )
            _mark_journal_pruned(tenant_id, upto)
        removed += done.rowcount
        if upto == through:
            return removed
        _pause()


def _mark_journal_pruned(tenant_id: str, through: int) -> None:
    table = TenantRetention.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    statement = dialect.insert(table).values(
        tenant_id=tenant_id, journal_pruned_through=through, journal_pruned_at=now
    )
    kept = table.c.journal_pruned_through
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id"],
        set_={
            # never backwards, should two passes (a worker's and the command's) overlap
            "journal_pruned_through": case(
                (or_(kept.is_(None), kept < through), through), else_=kept
            ),
            "journal_pruned_at": now,
        },
    )
    db.session.execute(statement)


# -- directory changes (Graph delta) ------------------------------------------------------------


def prune_directory_changes(older: datetime | None) -> int:
    """Remove changes no delta token can use any more: those before a tenant's latest `reset`
    row, and those older than `older`; the newest of those becomes the tenant's `reset` row."""
    oldest = func.min(DirectoryChange.id)
    newest_reset = func.max(case((DirectoryChange.kind == RESET, DirectoryChange.id)))
    rows: dict[str, Any] = {
        tenant_id: [first, reset, None]
        for tenant_id, first, reset in db.session.execute(
            select(DirectoryChange.tenant_id, oldest, newest_reset).group_by(
                DirectoryChange.tenant_id
            )
        )
    }
    if older is not None:
        aged = db.session.execute(
            select(DirectoryChange.tenant_id, func.max(DirectoryChange.id))
            .where(DirectoryChange.at < older)
            .group_by(DirectoryChange.tenant_id)
        )
        for tenant_id, newest in aged:
            if tenant_id in rows:
                rows[tenant_id][2] = newest
    db.session.rollback()
    removed = 0
    for tenant_id, (first, reset, aged_newest) in rows.items():
        keep = max(reset or 0, aged_newest or 0)
        if not keep:
            continue
        if aged_newest is not None and aged_newest > (reset or 0):
            with transaction():  # the newest aged change now stands for everything before it
                db.session.execute(
                    update(DirectoryChange.__table__)
                    .where(DirectoryChange.id == aged_newest, DirectoryChange.kind != RESET)
                    .values(kind=RESET, object_id="", removed=False)
                )
        if first < keep:
            removed += _remove_changes_before(tenant_id, keep)
    return removed


def _remove_changes_before(tenant_id: str, keep: int) -> int:
    removed = 0
    while True:
        batch = (
            select(DirectoryChange.id)
            .where(DirectoryChange.tenant_id == tenant_id, DirectoryChange.id < keep)
            .order_by(DirectoryChange.id)
            .limit(BATCH)
        )
        with transaction():
            done = db.session.execute(
                delete(DirectoryChange.__table__).where(
                    DirectoryChange.id.in_(batch.scalar_subquery()), DirectoryChange.id < keep
                )
            )
        removed += done.rowcount
        if done.rowcount < BATCH:
            return removed
        _pause()


# -- walks and tenants ---------------------------------------------------------------------------


def remove_untouched(model: type[PortalWalk] | type[MdmEnrollment], older: datetime | None) -> int:
    """Remove walks (or enrollments in progress) last changed before `older`, oldest first."""
    if older is None:
        return 0
    removed = 0
    while True:
        batch = (
            select(model.id).where(model.updated_at < older).order_by(model.updated_at).limit(BATCH)
        )
        with transaction():
            # The age is checked again on the row deleted: a walk moved on meanwhile stays.
            done = db.session.execute(
                delete(model.__table__).where(
                    model.id.in_(batch.scalar_subquery()), model.updated_at < older
                )
            )
        removed += done.rowcount
        if done.rowcount < BATCH:
            return removed
        _pause()


def remove_idle_tenants(older: datetime | None) -> list[str]:
    """Delete every tenant but `default` neither created nor used since `older`; their ids."""
    if older is None:
        return []
    seen = select(TenantRetention.last_seen_at).where(TenantRetention.tenant_id == Tenant.id)
    idle = and_(
        Tenant.id != DEFAULT_TENANT,
        Tenant.created_at < older,
        ~seen.where(TenantRetention.last_seen_at >= older).exists(),
    )
    candidates = db.session.scalars(select(Tenant.id).where(idle).order_by(Tenant.id)).all()
    db.session.rollback()
    removed = []
    for tenant_id in candidates:
        with transaction():
            done = db.session.execute(delete(Tenant.__table__).where(Tenant.id == tenant_id, idle))
        if done.rowcount:
            removed.append(tenant_id)
        _pause()
    return removed
