"""The tenant commands as automation uses them: URLs and token printed, journaled, --base-url."""

from __future__ import annotations

import json

import yaml

from app.db import db
from app.models import JournalEvent, Tenant

SCENARIO = """\
company: Fabrikam
users:
  - {upn: ana@fabrikam.com, password: "Passw0rd!"}
groups:
  - {name: BYOD, members: [ana@fabrikam.com]}
profiles:
  - {name: Choice, requireUserChoice: true, assign: {include: [BYOD]}}
"""


def lines_of(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.strip().splitlines())


def test_tenant_create_prints_urls_and_token_and_is_journaled(app, runner, tmp_path):
    scenario = tmp_path / "fabrikam.yaml"
    scenario.write_text(SCENARIO)
    result = runner.invoke(
        args=["tenant", "create", "--scenario", str(scenario), "--base-url", "http://sim:8080/"]
    )
    assert result.exit_code == 0, result.output
    out = lines_of(result.output)
    assert set(out) == {"id", "token", "portalUrl", "adminUrl", "graphBaseUrl"}
    assert out["portalUrl"] == f"http://sim:8080/t/{out['id']}/portal/"
    assert out["graphBaseUrl"] == f"http://sim:8080/t/{out['id']}/beta"
    with app.app_context():
        tenant = db.session.get(Tenant, out["id"])
        assert tenant.token == out["token"] and tenant.company == "Fabrikam"
        event = db.session.query(JournalEvent).filter_by(tenant_id=tenant.id).one()
        assert (event.type, event.detail) == ("control.create", {"seeded": True, "source": "cli"})


def test_tenant_create_refuses_a_bad_scenario_naming_the_field(app, runner, tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(SCENARIO.replace("include: [BYOD]", "include: [Nope]"))
    with app.app_context():
        before = db.session.query(Tenant).count()
    result = runner.invoke(args=["tenant", "create", "--scenario", str(scenario)])
    assert result.exit_code != 0
    assert "profiles[0].assign.include[0]: no group named 'Nope'" in result.output
    with app.app_context():
        assert db.session.query(Tenant).count() == before


def test_tenant_list_and_delete(runner):
    made = lines_of(runner.invoke(args=["tenant", "create"]).output)["id"]
    listing = runner.invoke(args=["tenant", "list"]).output
    assert "default  Contoso" in listing
    assert f"{made}  Contoso  (0 users, 0 groups, 0 profiles, 0 devices)" in listing
    assert runner.invoke(args=["tenant", "token", made]).exit_code == 0
    deleted = runner.invoke(args=["tenant", "delete", made])
    assert deleted.exit_code == 0 and f"Deleted tenant {made}." in deleted.output
    assert made not in runner.invoke(args=["tenant", "list"]).output
    again = runner.invoke(args=["tenant", "delete", made])
    assert again.exit_code != 0 and f"No tenant with id '{made}'." in again.output


def test_scenario_export_round_trips_through_load(runner, tmp_path):
    scenario = tmp_path / "fabrikam.yaml"
    scenario.write_text(SCENARIO)
    made = lines_of(runner.invoke(args=["tenant", "create", "--scenario", str(scenario)]).output)
    exported = runner.invoke(args=["scenario", "export", "--tenant", made["id"]])
    assert exported.exit_code == 0
    doc = yaml.safe_load(exported.output)
    assert doc["company"] == "Fabrikam"
    assert doc["profiles"][0]["assign"] == {"include": ["BYOD"], "exclude": []}
    as_json = runner.invoke(args=["scenario", "export", "--tenant", made["id"], "--format", "json"])
    assert json.loads(as_json.output) == doc
    copy = tmp_path / "copy.yaml"
    copy.write_text(exported.output)
    loaded = runner.invoke(args=["scenario", "load", str(copy), "--tenant", "copy-of-fabrikam"])
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(args=["scenario", "export", "--tenant", "copy-of-fabrikam"])
    assert yaml.safe_load(again.output) == doc


def test_unknown_tenant_export(runner):
    result = runner.invoke(args=["scenario", "export", "--tenant", "nope"])
    assert result.exit_code != 0 and "No tenant with id 'nope'." in result.output
