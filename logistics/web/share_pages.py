"""Sharing a plan with a team (pages): the planner's share form and list, revoking, the
team's read-only view of a shared plan and its downloads, and read-only links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.exceptions import HTTPException

from logistics.web import audit
from logistics.web.access import share_visibility, viewer_of
from logistics.web.pages import (
    DOWNLOADS,
    NOT_FOUND,
    address_of,
    download_name,
    render,
    service_of,
    visible_run,
    who_of,
)
from logistics.web.service import NotFoundError
from logistics.web.sharing import (
    WHOLE_PLAN_FILES,
    SharedPlan,
    ShareError,
    create_share,
    expiry,
    plan_sheets,
    revoke,
    share_by_id,
    share_by_link,
    shares_for,
    without_sheets,
)
from logistics.web.tables import Role, Run, Share, Team

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["sharing"])

PDF_TYPE = "application/pdf"


def _teams(request: Request, run: Run) -> list[Team]:
    """The teams of the run's mission, by name."""
    query = select(Team).where(Team.mission_id == run.mission_id).order_by(Team.name)
    with service_of(request).store.session() as session:
        return list(session.scalars(query))


def _share_form(request: Request, run: Run, status: int = 200, **context: Any) -> Response:
    """The share page of a plan: the form and the plan's shares."""
    service = service_of(request)
    return render(
        request,
        "share.html",
        status=status,
        run=run,
        teams=_teams(request, run),
        sheets=plan_sheets(service.run_file(run, "plan.xlsx")),
        shares=shares_for(service.store, Share.run_id == run.id),
        **{"problem": None, "link": None, **context},
    )


def _solved_run(request: Request, run_id: str) -> Run:
    """A run the viewer may see that has a plan workbook (only plans can be shared)."""
    run = visible_run(request, run_id)
    if not (service_of(request).folder.run(run.id) / "plan.xlsx").is_file():
        raise HTTPException(409, "this run has no plan to share (yet)")
    return run


@router.get("/runs/{run_id}/share")
def share_page(request: Request, run_id: str) -> Response:
    """Share a plan with a team; the plan's shares, each with its revoke button."""
    return _share_form(request, _solved_run(request, run_id))


@router.post("/runs/{run_id}/shares")
def share(
    request: Request,
    run_id: str,
    team_id: Annotated[str, Form(max_length=32)],
    expires_on: Annotated[str, Form(max_length=10)] = "",
    link: Annotated[bool, Form()] = False,
    hidden: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Share the plan; the page shows the read-only link once (only its hash is kept)."""
    service = service_of(request)
    run = _solved_run(request, run_id)
    try:
        made, token = create_share(
            service.store,
            run,
            viewer_of(request),
            team_id=team_id,
            expires_at=expiry(expires_on),
            hidden=hidden or [],
            sheets=plan_sheets(service.run_file(run, "plan.xlsx")),
            link=link,
        )
    except ShareError as error:
        return _share_form(request, run, status=422, problem=str(error))
    detail = f"team {team_id}; link {'yes' if token else 'no'}; hidden {made.hidden_sheets}"
    service.audit(who_of(request), "share", ("share", made.id), run.mission_id, detail)
    url = f"{request.base_url}links/{token}" if token else None
    return _share_form(request, run, status=201, link=url)


@router.post("/shares/{share_id}/revoke")
def revoke_share(request: Request, share_id: str) -> Response:
    """Revoke a share: its team and its link lose the plan at once."""
    service = service_of(request)
    found = _visible_share(request, share_id)
    revoke(service.store, found.share)
    service.audit(who_of(request), "revoke", ("share", share_id), found.share.mission_id)
    return RedirectResponse(f"/runs/{found.run.id}/share", status_code=303)


def _visible_share(request: Request, share_id: str) -> SharedPlan:
    """The share with this id if the viewer may open it, or 404."""
    found = share_by_id(service_of(request).store, share_id, share_visibility(viewer_of(request)))
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    return found


def _linked_share(request: Request, token: str) -> SharedPlan:
    """The share in force whose link this is, or 404 (expired and revoked links included)."""
    found = share_by_link(service_of(request).store, token)
    if found is None:
        raise HTTPException(404, "this link does not work: it may be mistyped, expired or revoked")
    return found


def _shared_view(request: Request, found: SharedPlan, base: str) -> Response:
    """The read-only view of a shared plan, its downloads under ``base``."""
    service = service_of(request)
    hidden = found.share.hidden_sheets
    sheets = plan_sheets(service.run_file(found.run, "plan.xlsx"))
    folder = service.folder.run(found.run.id)
    viewer = getattr(request.state, "viewer", None)
    return render(
        request,
        "shared.html",
        found=found,
        base=base,
        upload=service.upload_of(found.run),
        sheets=[s for s in sheets if s not in hidden],
        hidden=hidden,
        files=[] if hidden else [n for n in WHOLE_PLAN_FILES if (folder / n).is_file()],
        pdf_available=service.pdf_available(),
        may_open_run=viewer is not None and viewer.role in (Role.planner, Role.officer),
    )


def _shared_file(request: Request, found: SharedPlan, name: str, actor: str) -> Response:
    """A download of a shared plan, honouring its hidden sheets: the workbook without them,
    and nothing that would show the whole plan."""
    service = service_of(request)
    run, hidden = found.run, found.share.hidden_sheets
    if name != "plan.xlsx" and name not in WHOLE_PLAN_FILES:
        raise HTTPException(404, "there is no such file")
    if name != "plan.xlsx" and hidden:
        raise HTTPException(
            403,
            "sheets of this plan are hidden from your team: only its workbook (without them) "
            "may be downloaded",
        )
    path = _shared_path(request, found, name)
    audit.record(
        service.store,
        actor,
        address_of(request),
        "download",
        ("share", found.share.id),
        mission_id=found.share.mission_id,
        detail=name,
    )
    media_type = PDF_TYPE if name == "plan.pdf" else DOWNLOADS[name][0]
    stem = "plan" if name == "plan.pdf" else DOWNLOADS[name][1]
    suffix = "." + name.rsplit(".", 1)[1]
    return FileResponse(path, media_type=media_type, filename=download_name(run, stem, suffix))


def _shared_path(request: Request, found: SharedPlan, name: str) -> Path:
    """The file to hand over: the plan (filtered when sheets are hidden), or a whole-plan file."""
    service = service_of(request)
    if name == "plan.pdf":
        pdf = service.pdf(found.run)
        if pdf is None:
            raise HTTPException(404, "the PDF is unavailable on this server")
        return pdf
    try:
        path = service.run_file(found.run, name)
    except NotFoundError:
        raise HTTPException(404, "there is no such file") from None
    if name == "plan.xlsx" and found.share.hidden_sheets:
        target = service.folder.root / "shared" / f"{found.share.id}.xlsx"
        return without_sheets(path, target, found.share.hidden_sheets)
    return path


@router.get("/shares/{share_id}")
def shared(request: Request, share_id: str) -> Response:
    """A plan shared with the viewer's team (or, for its planners, as the team sees it)."""
    return _shared_view(request, _visible_share(request, share_id), f"/shares/{share_id}")


@router.get("/shares/{share_id}/files/{name}")
def shared_file(request: Request, share_id: str, name: str) -> Response:
    """Download a shared plan's file (the workbook without its hidden sheets)."""
    found = _visible_share(request, share_id)
    return _shared_file(request, found, name, viewer_of(request).name)


@router.get("/links/{token}")
def link(request: Request, token: str) -> Response:
    """A plan's read-only link: the shared view, to anyone holding the link while in force."""
    return _shared_view(request, _linked_share(request, token), f"/links/{token}")


@router.get("/links/{token}/files/{name}")
def link_file(request: Request, token: str, name: str) -> Response:
    """Download a file through a read-only link."""
    found = _linked_share(request, token)
    return _shared_file(request, found, name, "link")


@api_router.get("/api/shares")
def get_shares(request: Request) -> dict[str, Any]:
    """The plans shared with the viewer's team (planners: every share of their missions)."""
    found = shares_for(service_of(request).store, share_visibility(viewer_of(request)))
    return {
        "shares": [
            {
                "id": s.share.id,
                "run_id": s.run.id,
                "name": s.run.name,
                "mission_id": s.share.mission_id,
                "team": s.team.name,
                "created_at": s.share.created_at.isoformat(),
                "expires_at": s.share.expires_at.isoformat() if s.share.expires_at else None,
                "revoked": s.share.revoked_at is not None,
                "hidden_sheets": s.share.hidden_sheets,
                "files": [f"/shares/{s.share.id}/files/plan.xlsx"],
            }
            for s in found
        ]
    }
