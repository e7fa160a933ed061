"""One retention pass: idle tenants, then journal entries, directory changes, and finished or
abandoned walks, each removed in short transactions of at most BATCH rows, oldest first.

What each step guarantees, whatever writes at the same time:
- the journal loses a prefix: a tenant's events up to an id are removed and none after it, and
  that id is kept (`tenant_retention.journal_pruned_through`), so the events API says what was
  dropped; the tenant's newest event always stays. Writers of one tenant's journal commit its
  ids in order (app/automation/journal.py), so an event still being written always gets an id
  above every committed one: it is never lost, and a reader continuing `after` a cursor never
  skips an event that was kept;
- directory changes older than the age limit, and those a scenario load or reset already made
  useless, are removed but the newest of them, which stays as a `reset` row: a delta token from
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

from sqlalchemy import and_, case, delete, func, select, update

from app.retention import batches
from app.retention.journal import prune_journal
from app.retention.policy import Policy, cutoff
from app.store import (
    DEFAULT_TENANT,
    DirectoryChange,
    MdmEnrollment,
    PortalWalk,
    Tenant,
    TenantRetention,
    db,
    transaction,
    utcnow,
)
from app.store.changes import RESET


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
    return batches.delete_oldest(
        DirectoryChange.id,
        DirectoryChange.id,
        DirectoryChange.tenant_id == tenant_id,
        DirectoryChange.id < keep,
    )


# -- walks and tenants ---------------------------------------------------------------------------


def remove_untouched(model: type[PortalWalk] | type[MdmEnrollment], older: datetime | None) -> int:
    """Remove walks (or enrollments in progress) last changed before `older`, oldest first; a
    walk moved on meanwhile stays (the age is checked again on the row deleted)."""
    if older is None:
        return 0
    return batches.delete_oldest(model.id, model.updated_at, model.updated_at < older)


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
        batches.pause()
    return removed
