"""Who may do what: the one table of every route and the roles it admits, the check every
request passes (signed in, role, CSRF token on changes), and what each viewer may see of the
history (their missions; for officers and liaison teams, the plans shared with their team).

A route missing from ``ROUTES`` is refused to everyone, and the authorization test fails until
it has a row. Objects of another mission (or not shared with the viewer's team) answer 404, as
if they did not exist."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any, Final

from fastapi import Request
from sqlalchemy import ColumnElement, Select, false, or_, select
from starlette.exceptions import HTTPException

from logistics.web.accounts import Viewer, signed_in
from logistics.web.tables import Role, Run, Share, Upload, now

SESSION_COOKIE = "logistics_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PLANNER: Final = frozenset({Role.planner})
PLANS: Final = frozenset({Role.planner, Role.officer})
"""Plans, what-ifs and comparisons: planners of the mission, officers of a team shared with."""
SHARED: Final = frozenset({Role.planner, Role.officer, Role.liaison})
"""The shared view of a plan (planners see what they shared)."""
ADMIN: Final = frozenset({Role.admin})
SIGNED_IN: Final = frozenset(Role)
PUBLIC: Final = frozenset[Role]()
"""No account needed: the sign-in page, and read-only links (whose token is the key)."""


@dataclass(frozen=True)
class Rule:
    """Who may call a route: the roles admitted (``PUBLIC``: anyone, signed in or not)."""

    roles: frozenset[Role]

    @property
    def public(self) -> bool:
        """Whether the route needs no account."""
        return not self.roles


ROUTES: Final[dict[tuple[str, str], Rule]] = {
    # signing in and out
    ("GET", "/login"): Rule(PUBLIC),
    ("POST", "/login"): Rule(PUBLIC),
    ("POST", "/logout"): Rule(SIGNED_IN),
    ("POST", "/api/login"): Rule(PUBLIC),
    ("POST", "/api/logout"): Rule(SIGNED_IN),
    ("GET", "/api/me"): Rule(SIGNED_IN),
    ("GET", "/"): Rule(SIGNED_IN),
    ("GET", "/docs"): Rule(SIGNED_IN),
    ("GET", "/openapi.json"): Rule(SIGNED_IN),
    # uploads and solves (pages, then API)
    ("POST", "/uploads"): Rule(PLANNER),
    ("GET", "/uploads/{upload_id}"): Rule(PLANNER),
    ("GET", "/uploads/{upload_id}/annotated.xlsx"): Rule(PLANNER),
    ("POST", "/uploads/{upload_id}/solve"): Rule(PLANNER),
    ("POST", "/api/uploads"): Rule(PLANNER),
    ("GET", "/api/uploads/{upload_id}"): Rule(PLANNER),
    ("GET", "/api/uploads/{upload_id}/annotated.xlsx"): Rule(PLANNER),
    ("POST", "/api/uploads/{upload_id}/solve"): Rule(PLANNER),
    # runs and plans
    ("GET", "/runs/{run_id}"): Rule(PLANS),
    ("GET", "/runs/{run_id}/events"): Rule(PLANS),
    ("POST", "/runs/{run_id}/stop"): Rule(PLANNER),
    ("POST", "/runs/{run_id}/rerun"): Rule(PLANNER),
    ("GET", "/runs/{run_id}/files/{name}"): Rule(PLANS),
    ("GET", "/runs/{run_id}/plan.pdf"): Rule(PLANS),
    ("GET", "/runs/{run_id}/whatif"): Rule(PLANS),
    ("GET", "/runs/{run_id}/replan"): Rule(PLANNER),
    ("POST", "/runs/{run_id}/replan"): Rule(PLANNER),
    ("GET", "/replan/actuals-template.xlsx"): Rule(PLANNER),
    ("POST", "/runs/{run_id}/whatif"): Rule(PLANS),
    ("GET", "/batches/{batch_id}"): Rule(PLANS),
    ("GET", "/compare"): Rule(PLANS),
    ("GET", "/compare.xlsx"): Rule(PLANS),
    ("GET", "/history"): Rule(PLANS),
    ("GET", "/api/runs/{run_id}"): Rule(PLANS),
    ("GET", "/api/runs/{run_id}/plan"): Rule(PLANS),
    ("POST", "/api/runs/{run_id}/stop"): Rule(PLANNER),
    ("POST", "/api/runs/{run_id}/rerun"): Rule(PLANNER),
    ("POST", "/api/runs/{run_id}/whatif"): Rule(PLANS),
    ("GET", "/api/runs/{run_id}/files/{name}"): Rule(PLANS),
    ("GET", "/api/compare"): Rule(PLANS),
    ("GET", "/api/history"): Rule(PLANS),
    # sharing
    ("GET", "/runs/{run_id}/share"): Rule(PLANNER),
    ("POST", "/runs/{run_id}/shares"): Rule(PLANNER),
    ("POST", "/shares/{share_id}/revoke"): Rule(PLANNER),
    ("GET", "/shares/{share_id}"): Rule(SHARED),
    ("GET", "/shares/{share_id}/files/{name}"): Rule(SHARED),
    ("GET", "/api/shares"): Rule(SHARED),
    ("GET", "/links/{token}"): Rule(PUBLIC),
    ("GET", "/links/{token}/files/{name}"): Rule(PUBLIC),
    # administration
    ("GET", "/admin"): Rule(ADMIN),
    ("POST", "/admin/missions"): Rule(ADMIN),
    ("POST", "/admin/teams"): Rule(ADMIN),
    ("POST", "/admin/users"): Rule(ADMIN),
    ("POST", "/admin/users/{user_id}/password"): Rule(ADMIN),
    ("POST", "/admin/users/{user_id}/disable"): Rule(ADMIN),
    ("GET", "/admin/audit"): Rule(ADMIN),
    ("GET", "/admin/audit.csv"): Rule(ADMIN),
}
"""Every route (method, path template) and who may call it. Nothing else is served."""


class SignInRequiredError(Exception):
    """The route needs an account and the request has no valid session."""


def rule_of(request: Request) -> Rule | None:
    """The row of ``ROUTES`` for the route the request reached."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return ROUTES.get((request.method if request.method != "HEAD" else "GET", str(path)))


async def authorize(request: Request) -> None:
    """The check every route's request passes before its handler: the route has a row, the
    request's session is valid and its role admitted, and a change carries the session's
    CSRF token. The viewer is kept in ``request.state.viewer`` (``None`` on public routes)."""
    rule = rule_of(request)
    if rule is None:
        raise HTTPException(403, "this address is open to no one")
    token = request.cookies.get(SESSION_COOKIE)
    viewer = signed_in(request.app.state.service.store, token) if token else None
    request.state.viewer = viewer
    if rule.public:
        return
    if viewer is None:
        raise SignInRequiredError
    if viewer.role not in rule.roles:
        raise HTTPException(403, f"an account of role {viewer.role.value} may not do this")
    if request.method not in SAFE_METHODS:
        await require_csrf(request, viewer.csrf_token)


async def require_csrf(request: Request, expected: str) -> None:
    """Refuse (403) a change without the session's CSRF token: in the ``X-CSRF-Token`` header
    (API clients, the page's scripts), the query (multipart forms, checked before their body
    is read) or the ``csrf_token`` field of a URL-encoded form."""
    given = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    content_type = request.headers.get("content-type", "")
    if not given and content_type.startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        field = form.get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            403,
            "this form has expired or did not come from this application's page: "
            "reload the page and try again",
        )


def viewer_of(request: Request) -> Viewer:
    """The signed-in viewer of a request that passed ``authorize`` on a non-public route."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is None:
        raise SignInRequiredError
    return viewer


# ------------------------------------------------------------------------ what one may see


def active_share() -> ColumnElement[bool]:
    """Shares in force now: not revoked, not expired."""
    return Share.revoked_at.is_(None) & or_(Share.expires_at.is_(None), Share.expires_at > now())


def team_runs(viewer: Viewer) -> Select[Any]:
    """Ids of the runs shared (in force) with the viewer's team, in the viewer's missions."""
    return select(Share.run_id).where(
        Share.team_id == viewer.team_id, Share.mission_id.in_(viewer.missions), active_share()
    )


def upload_visibility(viewer: Viewer) -> ColumnElement[bool]:
    """The uploads the viewer may see: a planner's missions'."""
    if viewer.role == Role.planner:
        return Upload.mission_id.in_(viewer.missions)
    return false()


def run_visibility(viewer: Viewer) -> ColumnElement[bool]:
    """The runs the viewer may see: a planner's missions'; for an officer those shared with
    their team and the what-ifs asked of them; for others none (liaison read shares)."""
    if viewer.role == Role.planner:
        return Run.mission_id.in_(viewer.missions)
    if viewer.role == Role.officer:
        shared = team_runs(viewer)
        return Run.mission_id.in_(viewer.missions) & or_(
            Run.id.in_(shared), Run.parent_id.in_(shared)
        )
    return false()


def share_visibility(viewer: Viewer) -> ColumnElement[bool]:
    """The shares the viewer may open: a planner's missions' (to check and revoke them); the
    ones in force for the viewer's team otherwise."""
    if viewer.role == Role.planner:
        return Share.mission_id.in_(viewer.missions)
    if viewer.role in (Role.officer, Role.liaison):
        return (
            (Share.team_id == viewer.team_id)
            & Share.mission_id.in_(viewer.missions)
            & active_share()
        )
    return false()
