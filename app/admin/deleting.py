"""The console's one way to delete: a confirmation page, then the delete in one transaction,
a message and a redirect. Users, groups, profiles and devices all go through it."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, g, redirect, render_template, request
from flask.typing import ResponseReturnValue

from app.admin.forms import ConfirmForm
from app.store import transaction


def confirm_delete(
    what: str,
    name: str,
    *,
    consequence: str,
    cancel: str,
    crumbs: list[tuple[str, str | None]],
    delete: Callable[[], bool],
    done: str,
    flash_name: str | None = None,
) -> ResponseReturnValue:
    """GET asks "delete the <what> <name>?"; a valid POST runs `delete` (False: it was already
    gone) inside the tenant's transaction, says so, and goes to `done`."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        with transaction(g.tenant.id):
            deleted = delete()
        label = f"{what.capitalize()} {flash_name or name}"
        if deleted:
            flash(f"{label} deleted.", "success")
        else:
            flash(f"{label} was already deleted.", "info")
        return redirect(done)
    return render_template(
        "admin/confirm_delete.html",
        form=form,
        what=what,
        name=name,
        consequence=consequence,
        cancel=cancel,
        crumbs=crumbs,
    )
