"""Users: create, edit, disable, delete, Managed Apple ID on/off, reset password."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from app.admin.blueprint import bp
from app.admin.deleting import confirm_delete
from app.admin.forms import ConfirmForm, NewUserForm, PasswordForm, UserForm
from app.automation import journal
from app.directory import listing
from app.store import ManagedDevice, User, db, transaction
from app.tenancy import tenant_row


def _user_or_404(user_id: str) -> User:
    user = tenant_row(User, user_id)
    if user is None:
        abort(404, description=f"No user with id '{user_id}'.")
    return user


def _crumbs(*extra):
    return [("Users", url_for(".users")), *extra]


def _upn_taken(form: UserForm, user: User | None = None) -> bool:
    other = listing.user_by_upn(g.tenant.id, form.upn.data)
    if other is not None and other is not user:
        form.upn.errors.append(f"{form.upn.data.strip()} is already a user of this tenant.")
        return True
    return False


def _upn_race(form: UserForm) -> None:
    """Another admin took the UPN between the check and the write: say so under the field."""
    form.upn.errors.append(f"{form.upn.data.strip()} is already a user of this tenant.")


def _devices_of(user: User) -> list[ManagedDevice]:
    return [d for d in listing.devices(g.tenant.id) if d.user_id == user.id]


def _record(action: str, user: User, **detail) -> None:
    journal.record(
        g.tenant.id, "admin.write", action=action, userId=user.id, upn=user.upn, **detail
    )


@bp.get("/users")
def users():
    """All users of the tenant."""
    rows = listing.users(g.tenant.id)
    return render_template("admin/users.html", users=rows, crumbs=_crumbs())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """Create a user."""
    form = NewUserForm()
    if form.validate_on_submit() and not _upn_taken(form):
        upn = form.upn.data.strip()
        try:
            with transaction(g.tenant.id):
                user = User(
                    tenant_id=g.tenant.id,
                    upn=upn,
                    password=form.password.data,
                    display_name=form.display_name.data.strip(),
                    mail_nickname=upn.split("@")[0][:64],
                    managed_apple_id=form.managed_apple_id.data,
                    enabled=form.enabled.data,
                )
                db.session.add(user)
                db.session.flush()
                _record("user.create", user)
        except IntegrityError:
            _upn_race(form)
        else:
            flash(f"User {user.display_name} ({user.upn}) created.", "success")
            return redirect(url_for(".user_page", user_id=user.id))
    return render_template("admin/user_new.html", form=form, crumbs=_crumbs(("New user", None))), (
        422 if form.errors else 200
    )


@bp.route("/users/<user_id>", methods=["GET", "POST"])
def user_page(user_id: str):
    """A user's properties (editable), groups, password and account actions."""
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit() and not _upn_taken(form, user):
        try:
            with transaction(g.tenant.id):
                user.set_upn(form.upn.data.strip())
                user.display_name = form.display_name.data.strip()
                user.managed_apple_id = form.managed_apple_id.data
                user.enabled = form.enabled.data
                _record(
                    "user.edit", user, managedAppleId=user.managed_apple_id, enabled=user.enabled
                )
        except IntegrityError:
            _upn_race(form)
            db.session.refresh(user)
        else:
            flash(f"User {user.display_name} saved.", "success")
            return redirect(url_for(".user_page", user_id=user.id))
    return render_template(
        "admin/user.html",
        user=user,
        form=form,
        password_form=PasswordForm(formdata=None),
        devices=_devices_of(user),
        crumbs=_crumbs((user.display_name, None)),
    ), (422 if form.errors else 200)


@bp.post("/users/<user_id>/password")
def user_password(user_id: str):
    """Reset a user's password."""
    user = _user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        with transaction(g.tenant.id):
            user.set_password(form.password.data)
            _record("user.resetPassword", user)
        flash(f"Password of {user.display_name} reset.", "success")
        return redirect(url_for(".user_page", user_id=user.id))
    return render_template(
        "admin/user.html",
        user=user,
        form=UserForm(obj=user, formdata=None),
        password_form=form,
        devices=_devices_of(user),
        crumbs=_crumbs((user.display_name, None)),
    ), 422


@bp.post("/users/<user_id>/enabled")
def user_enabled(user_id: str):
    """Disable or enable sign-in (a disabled user can't sign in to Company Portal)."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    enable = request.form.get("enabled") == "1"
    with transaction(g.tenant.id):
        user.enabled = enable
        _record("user.enable" if enable else "user.disable", user)
    flash(f"{user.display_name} {'enabled' if enable else 'disabled'}.", "success")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<user_id>/delete", methods=["GET", "POST"])
def user_delete(user_id: str):
    """Ask, then delete a user (their recorded devices stay, without a user)."""
    user = _user_or_404(user_id)
    page = url_for(".user_page", user_id=user.id)

    def delete() -> bool:
        _record("user.delete", user)
        db.session.delete(user)
        return True

    return confirm_delete(
        "user",
        f"{user.display_name} ({user.upn})",
        consequence="They lose their group memberships and can no longer sign in to Company "
        "Portal. Their recorded devices are kept.",
        cancel=page,
        crumbs=_crumbs((user.display_name, page), ("Delete", None)),
        delete=delete,
        done=url_for(".users"),
        flash_name=user.display_name,
    )
