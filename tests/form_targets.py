"""Every form the portal and the console post, as a browser finds it: the page that shows it and
the path it posts to. `Console` makes a tenant with one of everything (so every form has a
page), reads a form off its page with a fresh CSRF token, and snapshots what the tenant holds
so a test can say that a refused post wrote nothing.

tests/test_form_refusals.py checks that this list names every POST view of the two faces, so a new
form is fuzzed and file-part-tested as soon as it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.store import PortalWalk, db
from tests.graph_support import SCENARIO as GRAPH_SCENARIO
from tests.graph_support import Graph
from tests.html_forms import Form, form_posting_to
from tests.portal_walker import Walker

CONTROL_TOKEN = "form-test-control-token"
BRANDING = "/deviceManagement/intuneBrandingProfiles"
SCENARIO: dict[str, Any] = {
    **GRAPH_SCENARIO,
    "brandingProfiles": [{"profileName": "Sales brand", "displayName": "Contoso Sales"}],
}


@dataclass(frozen=True)
class Target:
    """One form: `view` is the view's name (the same under /admin and /t/<id>/admin)."""

    view: str
    page: str | None  # the page showing the form; None: a script posts it (CSRF in a header)
    action: str  # where it posts; a trailing `*` matches a prefix (one of several rows)
    locked: bool = False  # only shown with ENROLLSIM_CONTROL_TOKEN set


TARGETS = [
    Target("portal.sign_in", "{portal}", "{portal}"),
    Target("portal.act", "{walk}", "{walk}"),
    Target("admin.sign_in_post", "{admin}/sign-in", "{admin}/sign-in", locked=True),
    Target("admin.sign_out", "{admin}/tenant", "{admin}/sign-out", locked=True),
    Target("admin.branding_new", "{admin}/branding/new", "{admin}/branding/new"),
    Target("admin.branding_page", "{admin}/branding/{branding}", "{admin}/branding/{branding}"),
    Target("admin.branding_delete", "{admin}/branding/{branding}/delete", "*"),
    Target("admin.device_page", "{admin}/devices/{device}", "{admin}/devices/{device}"),
    Target("admin.device_action", "{admin}/devices/{device}", "{admin}/devices/{device}/actions/*"),
    Target("admin.device_delete", "{admin}/devices/{device}/delete", "*"),
    Target("admin.group_new", "{admin}/groups/new", "{admin}/groups/new"),
    Target("admin.group_page", "{admin}/groups/{group}", "{admin}/groups/{group}"),
    Target("admin.group_member_add", "{admin}/groups/{group}", "{admin}/groups/{group}/members"),
    Target(
        "admin.group_member_remove", "{admin}/groups/{group}", "{admin}/groups/{group}/members/*"
    ),
    Target("admin.group_delete", "{admin}/groups/{group}/delete", "*"),
    Target("admin.profile_reorder", None, "{admin}/profiles/reorder"),
    Target("admin.profile_move", "{admin}/profiles", "{admin}/profiles/{profile}/move"),
    Target("admin.profile_edit", "{admin}/profiles/{profile}/edit/basics", "*"),
    Target("admin.profile_delete", "{admin}/profiles/{profile}/delete", "*"),
    Target("admin.tenant_branding", "{admin}/tenant", "{admin}/tenant/branding"),
    Target("admin.tenant_settings", "{admin}/tenant", "{admin}/tenant/settings"),
    Target("admin.identifier_add", "{admin}/tenant", "{admin}/tenant/identifiers"),
    Target("admin.identifier_import", "{admin}/tenant", "{admin}/tenant/identifiers/import"),
    Target("admin.identifier_delete", "{admin}/tenant", "{admin}/tenant/identifiers/*"),
    Target("admin.tenant_reset", "{admin}/tenant", "{admin}/tenant/reset"),
    Target("admin.scenario_import", "{admin}/tenant", "{admin}/tenant/scenario"),
    Target("admin.user_new", "{admin}/users/new", "{admin}/users/new"),
    Target("admin.user_page", "{admin}/users/{user}", "{admin}/users/{user}"),
    Target("admin.user_password", "{admin}/users/{user}", "{admin}/users/{user}/password"),
    Target("admin.user_enabled", "{admin}/users/{user}", "{admin}/users/{user}/enabled"),
    Target("admin.user_delete", "{admin}/users/{user}/delete", "*"),
    Target("admin.wizard_step", "{admin}/profiles/new/basics", "*"),
]


class Console:
    """A tenant with one of everything, and the forms of its pages."""

    def __init__(self, app, client, new_tenant) -> None:
        self.app = app
        self.client = client
        self.new_tenant = new_tenant
        self.refresh()

    def refresh(self) -> None:
        """A new tenant with one of everything (after a fuzzed post deleted something)."""
        self.app.config["CONTROL_TOKEN"] = None
        self.tenant = self.new_tenant(SCENARIO)
        graph = Graph(self.client, self.tenant)
        profiles = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
        base = f"/t/{self.tenant['id']}"
        self.ids = {
            "portal": f"{base}/portal/",
            "admin": f"{base}/admin",
            "user": graph.id_of("/users", userPrincipalName="alex@contoso.com"),
            "group": graph.id_of("/groups", displayName="BYOD Users"),
            "profile": graph.id_of(profiles, displayName="Everyone"),
            "device": graph.id_of("/deviceManagement/managedDevices", deviceName="Alex's iPhone"),
            "branding": graph.id_of(BRANDING, profileName="Sales brand"),
        }

    def url(self, template: str) -> str:
        if "{walk}" in template and "walk" not in self.ids:
            self.ids["walk"] = Walker(self.client, self.tenant).sign_in().url
        return template.format(**self.ids)

    def form(self, target: Target, *, retry: bool = False) -> Form:
        """The target's form as its page shows it now (fresh CSRF token, current values). With
        `retry`, a page or form gone (a fuzzed post deleted its subject, finished the walk or
        disabled the user) is found again on a new tenant."""
        if not retry:
            return self._form(target)
        try:
            return self._form(target)
        except AssertionError:
            self.refresh()
            return self._form(target)

    def _form(self, target: Target) -> Form:
        self.app.config["CONTROL_TOKEN"] = CONTROL_TOKEN if target.locked else None
        if target.view.endswith("sign_out"):
            self.sign_in_to_console()
        if target.page is None:  # posted by admin.js with the page's token
            page = self.client.get(self.url("{admin}/profiles")).get_data(as_text=True)
            token = form_posting_to(page, self.url("{admin}/profiles"), "*").data()["csrf_token"][0]
            return Form(action=self.url(target.action), multipart=False, fields=token_field(token))
        page_url = self.url(target.page)
        response = self.client.get(page_url)
        assert response.status_code == 200, (page_url, response.status_code)
        action = page_url if target.action == "*" else self.url(target.action)
        return form_posting_to(response.get_data(as_text=True), page_url, action)

    def sign_in_to_console(self) -> None:
        page_url = self.url("{admin}/sign-in")
        page = self.client.get(page_url)
        if page.status_code != 200:  # signed in already: the page sends the visitor on
            return
        form = form_posting_to(page.get_data(as_text=True), page_url, "*")
        data = {**form.data(), "token": CONTROL_TOKEN}
        assert self.client.post(form.action, data=data).status_code == 303

    def state(self) -> tuple[Any, ...]:
        """What the tenant holds: its scenario, its journal and its walks."""
        tenant_id = self.tenant["id"]
        token = self.app.config.get("CONTROL_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        control = f"/_sim/tenants/{tenant_id}"
        scenario = self.client.get(f"{control}/scenario", headers=headers).get_json()
        events = self.client.get(f"{control}/events?top=1000", headers=headers).get_json()
        with self.app.app_context():
            walks = db.session.scalars(
                select(PortalWalk).where(PortalWalk.tenant_id == tenant_id)
            ).all()
            walk_states = sorted((w.id, repr(w.state)) for w in walks)
        return scenario, events["value"], walk_states


def token_field(token: str) -> list[tuple[str, str]]:
    return [("csrf_token", token)]
