"""Tenant administration > Customization: the Company Portal branding profiles — the default one
(the company name and colour every user sees unless another profile brands them) and up to 25
others, each assigned to user groups."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from wtforms import SelectChoice

from app.admin.blueprint import bp
from app.admin.branding_forms import AVAILABILITY_LABELS, BrandingProfileForm
from app.admin.deleting import confirm_delete
from app.automation import journal
from app.directory import branding as service
from app.directory import listing
from app.store import MAX_CUSTOM_PROFILES, BrandingProfile, transaction


def _crumbs(*extra):
    return [
        ("Tenant administration", url_for(".tenant")),
        ("Customization", url_for(".branding")),
        *extra,
    ]


def _profile_or_404(profile_id: str) -> BrandingProfile:
    profile = service.find(g.tenant, profile_id)
    if profile is None:
        abort(404, description=f"No branding profile with id '{profile_id}'.")
    return profile


def _form(profile: BrandingProfile | None = None) -> BrandingProfileForm:
    form = BrandingProfileForm(formdata=request.form if request.method == "POST" else None)
    groups = [grp for grp in listing.groups(g.tenant.id) if grp.kind == "user"]
    form.groups.choices = [SelectChoice(grp.id, grp.name) for grp in groups]
    form.user_groups = groups
    if request.method == "GET":
        if profile is not None:
            form.fill(profile)
        else:
            form.displayName.data = g.tenant.company
            form.themeColor.data = g.tenant.theme_color
            form.showDisplayNameNextToLogo.data = True
    return form


def _save(form: BrandingProfileForm, profile: BrandingProfile | None) -> BrandingProfile | None:
    """Create or change the profile and its groups in one transaction; None when refused."""
    changes = form.changes() if form.validate() else None
    if changes is None:
        return None
    try:
        with transaction(g.tenant.id):
            if profile is None:
                profile = service.create(g.tenant, changes)
                action = "branding.create"
            else:
                service.update(profile, changes)
                action = "branding.update"
            if not profile.is_default:
                service.assign(profile, [service.Target(gid) for gid in form.groups.data or []])
            journal.record(
                g.tenant.id, "admin.write", action=action, brandingProfileId=profile.id,
                name=profile.name, groups=service.group_names_of(profile),
            )  # fmt: skip
    except service.BrandingError as exc:
        target = form.groups if exc.field == "groupId" else form.profileName
        target.errors = [*target.errors, exc.message]
        return None
    return profile


@bp.get("/branding")
def branding():
    """Every branding profile: the default one first, then the others, oldest first."""
    profiles = service.ordered(g.tenant)
    return render_template(
        "admin/branding.html",
        profiles=profiles,
        groups={p.id: service.group_names_of(p) for p in profiles},
        availability=AVAILABILITY_LABELS,
        can_create=len(profiles) - 1 < MAX_CUSTOM_PROFILES,
        limit=MAX_CUSTOM_PROFILES,
        crumbs=_crumbs(),
    )


@bp.route("/branding/new", methods=["GET", "POST"])
def branding_new():
    """Create a branding profile and choose its groups."""
    form = _form()
    if request.method == "POST":
        profile = _save(form, None)
        if profile is not None:
            flash(f"Branding profile {profile.name} created.", "success")
            return redirect(url_for(".branding_page", profile_id=profile.id))
    return render_template(
        "admin/branding_edit.html",
        form=form,
        profile=None,
        crumbs=_crumbs(("Create profile", None)),
    ), (422 if form.errors else 200)


@bp.route("/branding/<profile_id>", methods=["GET", "POST"])
def branding_page(profile_id: str):
    """A branding profile's settings and (but for the default one) its groups."""
    profile = _profile_or_404(profile_id)
    form = _form(profile)
    if request.method == "POST":
        if _save(form, profile) is not None:
            flash(f"Branding profile {profile.name} saved.", "success")
            return redirect(url_for(".branding_page", profile_id=profile.id))
    return render_template(
        "admin/branding_edit.html", form=form, profile=profile, crumbs=_crumbs((profile.name, None))
    ), (422 if form.errors else 200)


@bp.route("/branding/<profile_id>/delete", methods=["GET", "POST"])
def branding_delete(profile_id: str):
    """Delete a branding profile (never the default one); its users get the default again."""
    profile = _profile_or_404(profile_id)
    if profile.is_default:
        abort(400, description=service.DEFAULT_UNDELETABLE)

    def delete() -> bool:
        found = service.find(g.tenant, profile_id)
        if found is None:
            return False
        journal.record(
            g.tenant.id, "admin.write", action="branding.delete", brandingProfileId=profile_id,
            name=found.name,
        )  # fmt: skip
        service.delete(g.tenant, found)
        return True

    return confirm_delete(
        "branding profile",
        profile.name,
        consequence=(
            "Users in its groups get another profile assigned to their groups, or the default."
        ),
        cancel=url_for(".branding_page", profile_id=profile.id),
        crumbs=_crumbs(
            (profile.name, url_for(".branding_page", profile_id=profile.id)), ("Delete", None)
        ),
        delete=delete,
        done=url_for(".branding"),
    )
