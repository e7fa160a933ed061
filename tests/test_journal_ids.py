"""A journal cursor survives a reset: event ids are never given twice, on SQLite as on
PostgreSQL, so a suite reading `after` a cursor taken before a reset sees what came after it."""

from __future__ import annotations

from tests.test_journal_api import SCENARIO, events, write


def test_a_cursor_taken_before_a_reset_sees_the_events_after_it(app, client, new_tenant):
    tenant = new_tenant(SCENARIO)
    write(app, tenant["id"], *[("portal.signInFailed", "x@y.z", {"n": n}) for n in range(5)])
    cursor = events(client, tenant["id"])["cursor"]
    assert client.post(f"/_sim/tenants/{tenant['id']}/reset", json=SCENARIO).status_code == 200
    write(app, tenant["id"], ("portal.signInFailed", "after@y.z", {}))
    after = events(client, tenant["id"], after=cursor)["value"]
    assert [e["user"] for e in after if e["type"] == "portal.signInFailed"] == ["after@y.z"]
    assert all(int(e["id"]) > int(cursor) for e in after)


def _journal_ddl(connection) -> str:
    return connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'journal_events'"
    ).scalar_one()


def test_an_upgraded_sqlite_database_keeps_its_journal_and_never_reuses_an_id(tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from app.store.migrate import create_from_models, upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", poolclass=NullPool)
    with engine.begin() as connection:
        upgrade(connection, "00fef8cc6604")  # the journal before ids were kept unique
        assert "AUTOINCREMENT" not in _journal_ddl(connection)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")  # rows alone, no tenant row
        for n in (1, 2, 3):
            connection.exec_driver_sql(
                "INSERT INTO journal_events (id, tenant_id, time, type, user, actor, detail) "
                f"VALUES ({n}, 't', '2026-12-05 00:00:00', 'x.y', '', 'x', '{{}}')"
            )
        connection.commit()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        upgrade(connection)
        assert "AUTOINCREMENT" in _journal_ddl(connection)
        ids = connection.exec_driver_sql("SELECT id FROM journal_events ORDER BY id").scalars()
        assert list(ids) == [1, 2, 3]
        connection.exec_driver_sql("DELETE FROM journal_events WHERE id = 3")
        connection.exec_driver_sql(
            "INSERT INTO journal_events (tenant_id, time, type, user, actor, detail) "
            "VALUES ('t', '2026-12-05 00:00:00', 'x.y', '', 'x', '{}')"
        )
        assert connection.exec_driver_sql("SELECT max(id) FROM journal_events").scalar() == 4
        connection.commit()
    fresh = create_engine(f"sqlite:///{tmp_path / 'new.sqlite'}", poolclass=NullPool)
    with fresh.begin() as connection:
        create_from_models(connection)  # what the tests and a first start build
        assert "AUTOINCREMENT" in _journal_ddl(connection)
