"""How a pass removes rows: small transactions with a pause between them, so a request that
writes meanwhile waits for one small transaction at most, never for the whole pass."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import delete, select

from app.store import db, transaction

BATCH = 1000  # rows a transaction removes at most
PAUSE = 0.01  # seconds between two transactions, so waiting writers go first


def pause() -> None:
    time.sleep(PAUSE)


def delete_oldest(key: Any, order: Any, *conditions: Any) -> int:
    """Delete the rows meeting `conditions`, `order` first, a batch a transaction with a pause
    between them; the conditions are checked again on the rows deleted, so a row that changed
    meanwhile (a walk moved on) stays. `key` is the table's id column. Returns how many went."""
    table = key.table
    removed = 0
    while True:
        batch = select(key).where(*conditions).order_by(order).limit(BATCH)
        with transaction():
            done = db.session.execute(
                delete(table).where(key.in_(batch.scalar_subquery()), *conditions)
            )
        removed += done.rowcount
        if done.rowcount < BATCH:
            return removed
        pause()
