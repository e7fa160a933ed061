"""What every worker process must agree on, kept in the database rather than in any one process:
the secret key that signs sessions, and how far each seeded fault sequence has been drawn.

Several workers behind one address (gunicorn -w 4, or containers behind a load balancer) must
sign cookies alike (a session started on one is read by the next) and must together draw a
seeded fault sequence once, in order, as one process would.
"""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy import ForeignKey, Integer, String, Text, case, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.store.database import db
from app.store.session import transaction

SECRET_KEY = "secret_key"


class SharedSetting(db.Model):
    """A value of the whole simulator, made once by whichever process needs it first."""

    __tablename__ = "shared_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FaultDraw(db.Model):
    """How many numbers a tenant's face has drawn from its seeded fault sequence, at the tenant
    revision its fault config was set at (a new config starts the sequence again)."""

    __tablename__ = "fault_draws"

    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    face: Mapped[str] = mapped_column(String(8), primary_key=True)  # graph | portal
    revision: Mapped[int] = mapped_column(Integer)
    drawn: Mapped[int] = mapped_column(Integer)


def _insert(model):
    """INSERT … ON CONFLICT in the database's own dialect (SQLite and PostgreSQL both have it)."""
    name = db.session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert(model)


def use_shared_secret_key(app: Flask, *, ready: bool) -> None:
    """Sign with the database's key unless one was given (ENROLLSIM_SECRET_KEY, test config); a
    database migrated after start (`flask db upgrade`) hands it over on the first request."""
    if app.config.get("SECRET_KEY"):
        return
    if ready:
        app.config["SECRET_KEY"] = shared_secret_key()
        return

    def once_migrated() -> None:
        from app.store.migrate import current, head

        if app.config.get("SECRET_KEY"):
            return
        with db.engine.connect() as connection:
            if current(connection) != head():
                return
        app.config["SECRET_KEY"] = shared_secret_key()

    app.before_request(once_migrated)


def shared_secret_key() -> str:
    """The secret key: made by the first process that asks, read by every other."""
    with transaction():
        db.session.execute(
            _insert(SharedSetting)
            .values(name=SECRET_KEY, value=secrets.token_hex(32))
            .on_conflict_do_nothing(index_elements=["name"])
        )
    return db.session.scalar(select(SharedSetting.value).where(SharedSetting.name == SECRET_KEY))


def next_draw(tenant_id: str, face: str, revision: int) -> int:
    """The position (1, 2, …) of the next number of the face's sequence, counted atomically by
    the database, so workers drawing at once each get their own."""
    table = FaultDraw.__table__
    statement = _insert(FaultDraw).values(
        tenant_id=tenant_id, face=face, revision=revision, drawn=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "face"],
        set_={
            "drawn": case(
                (table.c.revision == revision, table.c.drawn + 1),
                else_=1,
            ),
            "revision": revision,
        },
    ).returning(table.c.drawn)
    with transaction():
        return db.session.execute(statement).scalar_one()
