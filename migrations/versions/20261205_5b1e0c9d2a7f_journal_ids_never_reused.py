"""journal ids never reused on SQLite (AUTOINCREMENT), so a cursor survives a reset

Revision ID: 5b1e0c9d2a7f
Revises: 00fef8cc6604
Created: 2026-12-05 20:35:00

Without AUTOINCREMENT SQLite gives a new row the highest id in the table plus one: once a reset
(or the retention pass) deleted a tenant's newest events, its next events took their ids again and
a reader continuing `after` an older cursor missed them. PostgreSQL's sequences never reuse ids;
there nothing changes. Autogenerate does not compare the flag, so this revision is written by hand.
"""

from __future__ import annotations

from alembic import op

revision = "5b1e0c9d2a7f"
down_revision = "00fef8cc6604"
branch_labels = None
depends_on = None


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "journal_events",
        recreate="always",
        table_kwargs={"sqlite_autoincrement": autoincrement},
    ):
        pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
