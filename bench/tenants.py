"""Scenario documents of a given size, made up deterministically for the benchmarks."""

from __future__ import annotations

from typing import Any

from app.store import hash_password

PASSWORD = "Passw0rd!"


def small(entities: int = 100) -> dict[str, Any]:
    """A scenario of `entities` rows: 60% users, 20% groups, 10% profiles, 10% identifiers."""
    n_users, n_groups = entities * 6 // 10, entities * 2 // 10
    n_profiles = entities // 10
    n_idents = entities - n_users - n_groups - n_profiles
    return build(n_users, n_groups, n_profiles, n_idents, password=PASSWORD)


def build(
    n_users: int,
    n_groups: int,
    n_profiles: int,
    n_idents: int = 10,
    *,
    password: str | None = None,
) -> dict[str, Any]:
    """Users in three groups each; each profile includes two groups and excludes one."""
    secret = {"password": password} if password else {"passwordHash": hash_password(PASSWORD)}
    users = [{"upn": f"user{i}@bench.test", **secret} for i in range(n_users)]
    members: list[list[str]] = [[] for _ in range(n_groups)]
    for i, user in enumerate(users):
        for k in (i, i * 7 + 1, i * 13 + 2):
            group = members[k % n_groups]
            if user["upn"] not in group:
                group.append(user["upn"])
    groups = [{"name": f"Group {g}", "members": members[g]} for g in range(n_groups)]
    profiles = [
        {
            "name": f"Profile {p}",
            "requireUserChoice": p % 3 == 0,
            "defaultEnrollmentType": "user" if p % 2 else "device",
            "assign": {
                "include": [f"Group {(p * 5) % n_groups}", f"Group {(p * 5 + 1) % n_groups}"],
                "exclude": [f"Group {(p * 5 + 2) % n_groups}"],
            },
        }
        for p in range(n_profiles)
    ]
    identifiers = [{"type": "serialNumber", "value": f"F2LXBENCH{i:05d}"} for i in range(n_idents)]
    return {
        "company": "Bench",
        "users": users,
        "groups": groups,
        "profiles": profiles,
        "corporateIdentifiers": identifiers,
    }
