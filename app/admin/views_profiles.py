"""Enrollment type profiles: the list in priority order, reorder, the profile page, edit, delete."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for

from app.admin import profile_forms as pf
from app.admin import profile_names
from app.admin.blueprint import bp
from app.admin.deleting import confirm_delete
from app.admin.forms import ConfirmForm
from app.automation import journal
from app.directory import profiles
from app.store import EnrollmentProfile, db, transaction
from app.tenancy import tenant_row


def _profile_or_404(profile_id: str) -> EnrollmentProfile:
    profile = tenant_row(EnrollmentProfile, profile_id)
    if profile is None:
        abort(404, description=f"No enrollment type profile with id '{profile_id}'.")
    return profile


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Enrollment type profiles", url_for(".profiles")), *extra]


@bp.get("/")
def index():
    """The console opens on the enrollment type profiles."""
    return redirect(url_for(".profiles"))


@bp.get("/profiles", endpoint="profiles")
def profiles_list():
    """Profiles in priority order, with drag-and-drop and keyboard reordering."""
    rows = [
        {
            "profile": p,
            "type": pf.enrollment_type_label(p),
            "assigned": pf.assignment_summary(p)["assigned"],
        }
        for p in profiles.ordered(g.tenant.id)
    ]
    return render_template("admin/profiles.html", rows=rows, crumbs=_crumbs())


def _order_json() -> list[dict]:
    return [
        {"id": p.id, "name": p.name, "priority": p.priority} for p in profiles.ordered(g.tenant.id)
    ]


@bp.post("/profiles/reorder")
def profile_reorder():
    """Save a dragged order at once (JSON from admin.js); CSRF token in the X-CSRFToken header."""
    body = request.get_json(silent=True)
    order = body.get("order") if isinstance(body, dict) else None
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        return jsonify(
            error={"code": "badRequest", "message": 'Send {"order": [profile ids]}.'}
        ), 400
    try:
        with transaction(g.tenant.id):
            result = profiles.reorder(g.tenant.id, order)
            journal.record(
                g.tenant.id,
                "admin.write",
                action="profile.reorder",
                order=[p.name for p in result],
            )
    except profiles.ProfileError as err:
        return jsonify(error={"code": "conflict", "message": err.message}), 409
    return jsonify(value=_order_json(), message="Priority saved.")


@bp.post("/profiles/<profile_id>/move")
def profile_move(profile_id: str):
    """The keyboard alternative to dragging: one place up or down."""
    if not ConfirmForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400, description="direction must be up or down.")
    with transaction(g.tenant.id):
        profile = _profile_or_404(profile_id)
        db.session.refresh(profile)  # the priority as of the lock, not as first read
        before = profile.priority
        profiles.move(profile, before + step)
        moved = profile.priority != before
        if moved:
            journal.record(
                g.tenant.id,
                "admin.write",
                action="profile.move",
                profileId=profile.id,
                name=profile.name,
                priority=profile.priority,
            )
    if moved:
        flash(f"{profile.name} now has priority {profile.priority + 1}.", "success")
    else:
        where = "highest" if step < 0 else "lowest"
        flash(f"{profile.name} already has the {where} priority.", "info")
    # Back to the list with focus on the same button, so keyboard users can keep moving the row.
    direction = request.form["direction"]
    return redirect(
        url_for(".profiles", moved=profile.id, direction=direction, _anchor=f"row-{profile.id}")
    )


@bp.get("/profiles/<profile_id>")
def profile_page(profile_id: str):
    """Properties of one profile, each section with its Edit."""
    profile = _profile_or_404(profile_id)
    sections = [
        (section, pf.STEP_TITLES[section], pf.describe(section, pf.read(profile, section)))
        for section in pf.SECTIONS
    ]
    return render_template(
        "admin/profile.html",
        profile=profile,
        sections=sections,
        type_label=pf.enrollment_type_label(profile),
        name_warning=profile_names.duplicate_warning(g.tenant.id, profile.name, profile.id),
        crumbs=_crumbs((profile.name, None)),
    )


@bp.route("/profiles/<profile_id>/edit/<section>", methods=["GET", "POST"])
def profile_edit(profile_id: str, section: str):
    """Edit one section with the wizard's own form."""
    if section not in pf.SECTIONS:
        abort(404)
    profile = _profile_or_404(profile_id)
    form = pf.make_form(section, pf.read(profile, section), profile=profile)
    if request.method == "POST" and form.validate():
        try:
            with transaction(g.tenant.id):
                pf.write(profile, section, pf.form_data(form))
                journal.record(
                    g.tenant.id,
                    "admin.write",
                    action=f"profile.edit.{section}",
                    profileId=profile.id,
                    name=profile.name,
                )
        except profiles.ProfileError as err:
            form.errors.setdefault("include", []).append(err.message)
        else:
            flash(f"{pf.STEP_TITLES[section]} of {profile.name} saved.", "success")
            return redirect(url_for(".profile_page", profile_id=profile.id))
    return render_template(
        "admin/profile_edit.html",
        profile=profile,
        section=section,
        form=form,
        groups=pf.tenant_groups() if section == "assignments" else [],
        help=pf.settings_help(),
        crumbs=_crumbs(
            (profile.name, url_for(".profile_page", profile_id=profile.id)),
            (f"Edit {pf.STEP_TITLES[section]}", None),
        ),
    ), (422 if form.errors else 200)


@bp.route("/profiles/<profile_id>/delete", methods=["GET", "POST"])
def profile_delete(profile_id: str):
    """Ask, then delete; the profiles below move up one place."""
    profile = _profile_or_404(profile_id)
    name, page = profile.name, url_for(".profile_page", profile_id=profile.id)

    def delete() -> bool:
        # Another admin may have deleted it since this page was loaded.
        current = db.session.get(EnrollmentProfile, profile_id, populate_existing=True)
        if current is None:
            return False
        profiles.remove(current)
        journal.record(
            g.tenant.id, "admin.write", action="profile.delete", profileId=profile_id, name=name
        )
        return True

    return confirm_delete(
        "profile",
        name,
        consequence="Users it targets will get the next profile in priority order, or none. "
        "The profiles below it move up one place.",
        cancel=page,
        crumbs=_crumbs((profile.name, page), ("Delete", None)),
        delete=delete,
        done=url_for(".profiles"),
    )
