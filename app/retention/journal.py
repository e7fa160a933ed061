"""The journal's part of a pass: per tenant, the newest event id to drop (the age limit and the
cap), then everything up to it, a batch at a time, moving the tenant's pruned mark along."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from app.retention import batches
from app.retention.policy import Policy, cutoff
from app.store import JournalEvent, TenantRetention, db, transaction, utcnow


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
        for tenant_id, newest_aged in aged.all():
            bound = _below_newest(tenant_id, newest_aged)
            if bound is not None:
                bounds[tenant_id] = bound
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


def _below_newest(tenant_id: str, through: int) -> int | None:
    """`through`, unless that is the tenant's newest event: then the one before it (None if none).

    A tenant's newest event always stays. SQLite gives a new row the highest id in the table
    plus one, so were it removed, later events could get ids at or below the pruned mark."""
    newest = db.session.scalar(
        select(func.max(JournalEvent.id)).where(JournalEvent.tenant_id == tenant_id)
    )
    if newest is None or through < newest:
        return through
    return db.session.scalar(
        select(func.max(JournalEvent.id)).where(
            JournalEvent.tenant_id == tenant_id, JournalEvent.id < newest
        )
    )


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
            .offset(batches.BATCH - 1)
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
        batches.pause()


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
