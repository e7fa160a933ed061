"""The database handle: the declarative base with its naming convention, and SQLite's pragmas."""

from __future__ import annotations

import os

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


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


SYNCHRONOUS_MODES = ("NORMAL", "FULL")


def sqlite_synchronous() -> str:
    """How hard SQLite syncs each commit (ENROLLSIM_SQLITE_SYNCHRONOUS): NORMAL (the default) in
    WAL mode loses nothing when a process is killed, but the last commits may be lost to a power
    cut or an OS crash; FULL syncs every commit to the disk, slower, and survives those too."""
    mode = os.environ.get("ENROLLSIM_SQLITE_SYNCHRONOUS", "").strip().upper() or "NORMAL"
    if mode not in SYNCHRONOUS_MODES:
        raise ValueError(f"ENROLLSIM_SQLITE_SYNCHRONOUS: NORMAL or FULL; not {mode!r}")
    return mode


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on, and wait for a writer instead of failing while another one commits."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous()}")
        cursor.close()
