"""Create profile: Basics → Settings → Assignments → Review + create.

Each step validates before moving on; the choices wait in the signed session until Create, so
nothing is written to the tenant before then. The new profile lands at the lowest priority.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, session, url_for

from app.admin import profile_forms as pf
from app.admin import profile_names
from app.admin.blueprint import bp
from app.automation import journal
from app.directory import profiles
from app.store import EnrollmentProfile, transaction


def _key() -> str:
    return f"admin-wizard:{g.tenant.id}"


def _state() -> dict:
    return session.get(_key()) or {"data": {}, "done": []}


MAX_OPEN_WIZARDS = 3  # per browser, across tenants: the signed cookie must stay small


def _save(state: dict) -> None:
    others = [k for k in session if k.startswith("admin-wizard:") and k != _key()]
    for stale in others[: max(0, len(others) - (MAX_OPEN_WIZARDS - 1))]:
        session.pop(stale)
    session[_key()] = state
    session.modified = True


def _reachable(state: dict, step: str) -> bool:
    """A step can be opened once every step before it has been completed."""
    return all(s in state["done"] for s in pf.STEPS[: pf.STEPS.index(step)])


@bp.get("/profiles/new")
def wizard_start():
    """Start a fresh Create profile wizard."""
    _save({"data": {}, "done": []})
    return redirect(url_for(".wizard_step", step="basics"))


@bp.route("/profiles/new/<step>", methods=["GET", "POST"])
def wizard_step(step: str):
    """One step of the wizard: show it, or validate it and go on (or back)."""
    if step not in pf.STEPS:
        abort(404)
    state = _state()
    if not _reachable(state, step):
        first = next(s for s in pf.STEPS if s not in state["done"])
        return redirect(url_for(".wizard_step", step=first))
    if step == "review":
        return _review(state)
    form = pf.make_form(step, state["data"].get(step))
    index = pf.STEPS.index(step)
    if request.method == "POST":
        if "previous" in request.form:
            state["data"][step] = pf.form_data(form)  # kept as typed, validated on Next
            state["done"] = [s for s in state["done"] if s != step]
            _save(state)
            return redirect(url_for(".wizard_step", step=pf.STEPS[max(index - 1, 0)]))
        if form.validate():
            state["data"][step] = pf.form_data(form)
            state["done"] = sorted({*state["done"], step}, key=pf.STEPS.index)
            _save(state)
            return redirect(url_for(".wizard_step", step=pf.STEPS[index + 1]))
    return render_template(
        "admin/wizard.html",
        step=step,
        form=form,
        state=state,
        groups=pf.tenant_groups() if step == "assignments" else [],
        help=_help(),
        name_warning=_name_warning(state) if step != "basics" else None,
        crumbs=_crumbs(),
    ), (422 if form.errors else 200)


def _review(state: dict):
    if not pf.settings_fit(state["data"].get("settings")):
        return _settings_again(state)
    if request.method == "POST":
        if "previous" in request.form:
            return redirect(url_for(".wizard_step", step="assignments"))
        return _create(state)
    summary = [(pf.STEP_TITLES[s], pf.describe(s, state["data"].get(s, {}))) for s in pf.SECTIONS]
    return render_template(
        "admin/wizard.html",
        step="review",
        state=state,
        summary=summary,
        name_warning=_name_warning(state),
        crumbs=_crumbs(),
    )


def _name_warning(state: dict) -> str | None:
    return profile_names.duplicate_warning(
        g.tenant.id, state["data"].get("basics", {}).get("name", "")
    )


def _settings_again(state: dict):
    """The tenant's Intune release changed while the wizard was open: its Settings differ."""
    state["done"] = ["basics"]
    _save(state)
    flash("The tenant's Intune release has changed; choose the Settings again.", "info")
    return redirect(url_for(".wizard_step", step="settings"))


def _create(state: dict):
    data = state["data"]
    try:
        with transaction(g.tenant.id):
            profile = EnrollmentProfile(tenant_id=g.tenant.id, priority=0)
            pf.write(profile, "basics", data["basics"])
            pf.write(profile, "settings", data["settings"])
            profiles.add(profile)
            pf.write(profile, "assignments", data["assignments"])
            journal.record(
                g.tenant.id,
                "admin.write",
                action="profile.create",
                profileId=profile.id,
                name=profile.name,
                priority=profile.priority,
            )
    except profiles.ProfileError as err:
        flash(f"Profile not created: {err.message}", "error")
        state["done"] = ["basics", "settings"]
        _save(state)
        return redirect(url_for(".wizard_step", step="assignments"))
    session.pop(_key(), None)
    flash(f"Profile {profile.name} created with priority {profile.priority + 1}.", "success")
    return redirect(url_for(".profile_page", profile_id=profile.id))


def _help() -> dict[str, str]:
    return pf.settings_help()


def _crumbs() -> list[tuple[str, str | None]]:
    return [
        ("Enrollment type profiles", url_for(".profiles")),
        ("Create profile", None),
    ]
