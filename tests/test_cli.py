"""`flask --app app scenario load|export` and `tenant create|list|delete|token`, as people and
automation use them: URLs and token printed, journaled, --base-url, errors naming the field."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from app.config import REPO_ROOT
from app.store import JournalEvent, Tenant, db, tenant_counts

SCENARIO = """
company: Litware
users:
  - {upn: kim@litware.com, password: "Passw0rd!"}
groups:
  - {name: Staff, members: [kim@litware.com]}
profiles:
  - {name: Choose, requireUserChoice: true, assign: {include: [Staff]}}
corporateIdentifiers:
  - {type: serialNumber, value: F2LX1234}
"""


def lines_of(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.strip().splitlines())


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "litware.yaml"
    path.write_text(SCENARIO)
    return path


def test_scenario_load_creates_a_tenant_then_replaces_it(app, runner, scenario_file) -> None:
    result = runner.invoke(args=["scenario", "load", str(scenario_file), "--tenant", "litware"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Loaded {scenario_file} into tenant litware: 1 users, 1 groups, 1 profiles, 0 devices.\n"
    )
    with app.app_context():
        token = db.session.get(Tenant, "litware").token
    empty = scenario_file.with_name("empty.yaml")
    empty.write_text("company: Empty\n")
    result = runner.invoke(args=["scenario", "load", str(empty), "--tenant", "litware"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tenant = db.session.get(Tenant, "litware")
        assert (tenant.company, tenant.token) == ("Empty", token)
        assert tenant_counts("litware")["users"] == 0


def test_scenario_load_defaults_to_the_default_tenant(app, runner, scenario_file) -> None:
    assert runner.invoke(args=["scenario", "load", str(scenario_file)]).exit_code == 0
    with app.app_context():
        assert db.session.get(Tenant, "default").company == "Litware"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("company: [", "line 1, column 11"),
        ("colour: red\n", "colour: unknown key"),
        (
            "profiles:\n  - {name: P, assign: {include: [Nobody]}}\n",
            "profiles[0].assign.include[0]: no group named 'Nobody'",
        ),
    ],
)
def test_scenario_load_bad_file_is_a_clear_error(app, runner, tmp_path, content, message) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with app.app_context():
        before = tenant_counts("default")
    result = runner.invoke(args=["scenario", "load", str(bad)])
    assert result.exit_code != 0
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert tenant_counts("default") == before


def test_scenario_load_missing_file(runner, tmp_path) -> None:
    result = runner.invoke(args=["scenario", "load", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0
    assert "nope.yaml: No such file or directory" in result.output


def test_scenario_load_refuses_a_tenant_id_that_cannot_be_a_url(runner, scenario_file) -> None:
    result = runner.invoke(args=["scenario", "load", str(scenario_file), "--tenant", "a/b"])
    assert result.exit_code == 2
    assert "Invalid value for '--tenant'" in result.output


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_scenario_export_round_trips(app, runner, scenario_file, tmp_path, fmt) -> None:
    runner.invoke(args=["scenario", "load", str(scenario_file), "--tenant", "src"])
    result = runner.invoke(args=["scenario", "export", "--tenant", "src", "--format", fmt])
    assert result.exit_code == 0, result.output
    parse = {"json": json.loads, "yaml": yaml.safe_load}
    doc = parse[fmt](result.output)
    assert doc["company"] == "Litware" and doc["devices"] == []
    assert doc["profiles"][0]["assign"] == {"include": ["Staff"], "exclude": []}
    other = "json" if fmt == "yaml" else "yaml"
    as_other = runner.invoke(args=["scenario", "export", "--tenant", "src", "--format", other])
    assert parse[other](as_other.output) == doc
    assert doc["users"][0]["passwordHash"].startswith("pbkdf2:")
    copy = tmp_path / f"copy.{fmt}"
    copy.write_text(result.output)
    assert runner.invoke(args=["scenario", "load", str(copy), "--tenant", "dst"]).exit_code == 0
    again = runner.invoke(args=["scenario", "export", "--tenant", "dst", "--format", fmt])
    assert again.output == result.output


def test_scenario_export_unknown_tenant(runner) -> None:
    result = runner.invoke(args=["scenario", "export", "--tenant", "nope"])
    assert result.exit_code == 1
    assert result.output == "Error: No tenant with id 'nope'.\n"


def test_tenant_create_list_token_delete(app, runner, scenario_file) -> None:
    result = runner.invoke(args=["tenant", "create", "--scenario", str(scenario_file)])
    assert result.exit_code == 0, result.output
    fields = lines_of(result.output)
    tid = fields["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", tid)
    assert fields["portalUrl"].endswith(f"/t/{tid}/portal/")
    assert fields["adminUrl"].endswith(f"/t/{tid}/admin/")
    assert fields["graphBaseUrl"].endswith(f"/t/{tid}/beta")

    listed = runner.invoke(args=["tenant", "list"]).output
    assert f"{tid}  Litware  (1 users, 1 groups, 1 profiles, 0 devices)" in listed
    assert "default  Contoso" in listed

    token = runner.invoke(args=["tenant", "token", tid])
    assert token.exit_code == 0 and token.output == f"{fields['token']}\n"
    with app.app_context():
        default_token = db.session.get(Tenant, "default").token
    assert runner.invoke(args=["tenant", "token"]).output == f"{default_token}\n"

    deleted = runner.invoke(args=["tenant", "delete", tid])
    assert deleted.exit_code == 0 and deleted.output == f"Deleted tenant {tid}.\n"
    with app.app_context():
        assert db.session.get(Tenant, tid) is None
        assert tenant_counts(tid) == {"users": 0, "groups": 0, "profiles": 0, "devices": 0}
    assert tid not in runner.invoke(args=["tenant", "list"]).output
    again = runner.invoke(args=["tenant", "delete", tid])
    assert again.exit_code == 1 and again.output == f"Error: No tenant with id '{tid}'.\n"


def test_tenant_create_prints_urls_and_token_and_is_journaled(app, runner, scenario_file):
    result = runner.invoke(
        args=[
            "tenant",
            "create",
            "--scenario",
            str(scenario_file),
            "--base-url",
            "http://sim:8080/",
        ]
    )
    assert result.exit_code == 0, result.output
    out = lines_of(result.output)
    assert set(out) == {"id", "token", "portalUrl", "adminUrl", "graphBaseUrl"}
    assert out["portalUrl"] == f"http://sim:8080/t/{out['id']}/portal/"
    assert out["graphBaseUrl"] == f"http://sim:8080/t/{out['id']}/beta"
    with app.app_context():
        tenant = db.session.get(Tenant, out["id"])
        assert tenant.token == out["token"] and tenant.company == "Litware"
        event = db.session.query(JournalEvent).filter_by(tenant_id=tenant.id).one()
        assert (event.type, event.detail) == ("control.create", {"seeded": True, "source": "cli"})


def test_tenant_create_empty_is_listed_with_zero_counts(runner) -> None:
    result = runner.invoke(args=["tenant", "create"])
    assert result.exit_code == 0
    made = lines_of(result.output)["id"]
    listing = runner.invoke(args=["tenant", "list"]).output
    assert f"{made}  Contoso  (0 users, 0 groups, 0 profiles, 0 devices)" in listing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "settings: {ownershipBehavior: later}\n",
            "settings.ownershipBehavior: 'later' is not one of",
        ),
        (
            SCENARIO.replace("include: [Staff]", "include: [Nope]"),
            "profiles[0].assign.include[0]: no group named 'Nope'",
        ),
    ],
)
def test_tenant_create_with_a_bad_file_names_the_field_and_creates_nothing(
    app, runner, tmp_path, content, message
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with app.app_context():
        before = len(Tenant.query.all())
    result = runner.invoke(args=["tenant", "create", "--scenario", str(bad)])
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert len(Tenant.query.all()) == before


@pytest.mark.parametrize("args", [["tenant", "token", "nope"], ["tenant", "delete", "nope"]])
def test_tenant_commands_on_unknown_tenant(runner, args) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.output == "Error: No tenant with id 'nope'.\n"


def test_the_real_flask_command(tmp_path, database_url, scenario_file) -> None:
    """The same commands through `python -m flask --app app`, as the README shows them."""
    env = {
        **os.environ,
        "ENROLLSIM_DATABASE_URL": database_url,
        "ENROLLSIM_SECRET_KEY": "test",
    }
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    loaded = subprocess.run(
        [*flask, "scenario", "load", str(scenario_file), "--tenant", "t1"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr
    exported = subprocess.run(
        [*flask, "scenario", "export", "--tenant", "t1", "--format", "json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(exported.stdout)["company"] == "Litware"
    bad = subprocess.run(
        [*flask, "scenario", "load", str(tmp_path / "missing.yaml")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "missing.yaml: No such file or directory" in bad.stderr
