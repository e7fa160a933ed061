"""The database handle, column types, and the one place that owns transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC without a zone (SQLite has none) and always hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 in UTC with a Z, the way Graph writes times."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on, and wait for a writer instead of failing while another one commits."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_WRITING = "enrollsim.writing"


@contextmanager
def transaction(tenant_id: str | None = None) -> Iterator[None]:
    """Everything inside is written together or not at all.

    With a tenant id, the tenant's row is locked first, so that concurrent writers of one tenant
    (two admins reordering profiles, say) run one after the other and each sees the other's result.
    """
    from app.models import Tenant  # models import db from here

    session = db.session
    session.info[_WRITING] = session.info.get(_WRITING, 0) + 1
    try:
        if tenant_id is not None:
            session.execute(
                Tenant.__table__.update()
                .where(Tenant.id == tenant_id)
                .values(revision=Tenant.revision + 1)
            )
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_WRITING] -= 1


def is_writing() -> bool:
    """Whether the session is inside `transaction()`: what it reads may not be committed yet."""
    return bool(db.session.info.get(_WRITING))
