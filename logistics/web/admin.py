"""Administration pages: missions, teams and accounts, and the audit trail (read and exported,
never changed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from logistics.web import audit
from logistics.web.accounts import (
    AccountError,
    add_mission,
    add_team,
    add_user,
    disable_user,
    reset_password,
)
from logistics.web.pages import render, service_of, who_of
from logistics.web.tables import Membership, Mission, Role, Team, User

router = APIRouter(include_in_schema=False)

AUDIT_SHOWN = 500
"""Lines of the audit trail on its page (the CSV export has all of them)."""


def _directory(request: Request) -> dict[str, Any]:
    """Missions, teams and accounts for the administration page."""
    with service_of(request).store.session() as session:
        missions = list(session.scalars(select(Mission).order_by(Mission.name)))
        teams = list(session.scalars(select(Team).order_by(Team.name)))
        users = list(session.scalars(select(User).order_by(User.name)))
        memberships = list(session.scalars(select(Membership)))
    names = {m.id: m.name for m in missions}
    joined: dict[str, list[str]] = {}
    for membership in memberships:
        joined.setdefault(membership.user_id, []).append(names[membership.mission_id])
    return {
        "missions": missions,
        "teams": teams,
        "users": users,
        "joined": joined,
        "mission_names": names,
        "team_names": {t.id: t.name for t in teams},
        "roles": [r.value for r in Role],
    }


def _page(request: Request, status: int = 200, problem: str | None = None) -> Response:
    """The administration page, with a problem to show."""
    return render(request, "admin.html", status=status, problem=problem, **_directory(request))


def _done(request: Request, action: str, target: tuple[str, str], detail: str = "") -> Response:
    """Audit an administration change and go back to the page."""
    who = who_of(request)
    audit.record(
        service_of(request).store, who.viewer.name, who.address, action, target, detail=detail
    )
    return RedirectResponse("/admin", status_code=303)


@router.get("/admin")
def admin_page(request: Request) -> Response:
    """Missions, teams and accounts, with the forms that change them."""
    return _page(request)


@router.post("/admin/missions")
def new_mission(request: Request, name: Annotated[str, Form(max_length=100)]) -> Response:
    """Add a mission."""
    try:
        mission = add_mission(service_of(request).store, name)
    except AccountError as error:
        return _page(request, 422, str(error))
    return _done(request, "add mission", ("mission", mission.id), mission.name)


@router.post("/admin/teams")
def new_team(
    request: Request,
    mission_id: Annotated[str, Form(max_length=32)],
    name: Annotated[str, Form(max_length=100)],
) -> Response:
    """Add a team to a mission."""
    try:
        team = add_team(service_of(request).store, mission_id, name)
    except AccountError as error:
        return _page(request, 422, str(error))
    return _done(request, "add team", ("team", team.id), team.name)


@router.post("/admin/users")
def new_user(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[Role, Form()],
    password: Annotated[str, Form(max_length=1024)],
    missions: Annotated[list[str] | None, Form()] = None,
    team_id: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Add an account."""
    try:
        user = add_user(
            service_of(request).store, name, role, password, missions or [], team_id or None
        )
    except AccountError as error:
        return _page(request, 422, str(error))
    return _done(request, "add account", ("account", user.id), f"{user.name} ({user.role})")


@router.post("/admin/users/{user_id}/password")
def new_password(
    request: Request, user_id: str, password: Annotated[str, Form(max_length=1024)]
) -> Response:
    """Reset an account's password (its sessions end)."""
    try:
        reset_password(service_of(request).store, user_id, password)
    except AccountError as error:
        return _page(request, 422, str(error))
    return _done(request, "reset password", ("account", user_id))


@router.post("/admin/users/{user_id}/disable")
def disable(request: Request, user_id: str) -> Response:
    """Disable an account (its sessions end)."""
    try:
        disable_user(service_of(request).store, user_id)
    except AccountError as error:
        return _page(request, 404, str(error))
    return _done(request, "disable account", ("account", user_id))


@router.get("/admin/audit")
def audit_page(request: Request) -> Response:
    """The latest lines of the audit trail."""
    found = audit.events(service_of(request).store, AUDIT_SHOWN)
    return render(request, "audit.html", events=found, shown=AUDIT_SHOWN)


@router.get("/admin/audit.csv")
def audit_csv(request: Request) -> Response:
    """The whole audit trail as CSV."""
    text = audit.as_csv(audit.events(service_of(request).store))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
