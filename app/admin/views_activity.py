"""Check a user (the decision trace) and Activity (the tenant's journal, newest first)."""

from __future__ import annotations

from flask import current_app, g, render_template, request, url_for
from sqlalchemy import func, select

from app.admin.blueprint import bp
from app.automation import trace
from app.directory import listing
from app.retention.policy import Policy
from app.store import JournalEvent, db
from app.store.retention import journal_pruned

PAGE_SIZE = 100


@bp.get("/check")
def check_user():
    """Pick a user: which profile applies, every candidate and why, and where each answer leads
    (and, with the control API's /resolve, the error screen it would stop at)."""
    users = listing.users(g.tenant.id)
    upn = request.args.get("upn", "").strip()
    serial = request.args.get("serialNumber", "").strip()
    imei = request.args.get("imei", "").strip()
    os_version = request.args.get("osVersion", "").strip()
    user = listing.user_by_upn(g.tenant.id, upn) if upn else None
    result = trace.build(g.tenant, user, serial, imei, os_version) if user else None
    status = 404 if upn and user is None else 200
    return render_template(
        "admin/check_user.html",
        users=users,
        upn=upn,
        serial=serial,
        imei=imei,
        os_version=os_version,
        user=user,
        trace=result,
        not_found=status == 404,
        crumbs=[("Check a user", None)],
    ), status


@bp.get("/activity")
def activity():
    """The journal, newest first, filtered by event type; older pages by the last id seen."""
    chosen = request.args.get("type", "").strip()
    who = request.args.get("user", "").strip()
    before = request.args.get("before", type=int)
    query = select(JournalEvent).where(JournalEvent.tenant_id == g.tenant.id)
    if chosen:
        query = query.where(JournalEvent.type == chosen)
    if who:
        query = query.where(func.lower(JournalEvent.user) == who.casefold())
    if before:
        query = query.where(JournalEvent.id < before)
    events = list(db.session.scalars(query.order_by(JournalEvent.id.desc()).limit(PAGE_SIZE + 1)))
    older = None
    if len(events) > PAGE_SIZE:
        events = events[:PAGE_SIZE]
        older = url_for(".activity", type=chosen or None, user=who or None, before=events[-1].id)
    types = sorted(
        db.session.scalars(
            select(JournalEvent.type).where(JournalEvent.tenant_id == g.tenant.id).distinct()
        )
    )
    people = sorted(
        set(
            db.session.scalars(
                select(JournalEvent.user)
                .where(JournalEvent.tenant_id == g.tenant.id, JournalEvent.user != "")
                .distinct()
            )
        ),
        key=str.casefold,
    )
    return render_template(
        "admin/activity.html",
        events=events,
        types=types,
        chosen=chosen,
        people=people,
        who=who,
        page_size=PAGE_SIZE,
        older=older,
        newest=url_for(".activity", type=chosen or None, user=who or None) if before else None,
        pruned=journal_pruned(g.tenant.id),
        kept=Policy.from_config(current_app.config).journal_kept(),
        crumbs=[("Activity", None)],
    )
