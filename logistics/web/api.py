"""The JSON API: the pages' actions for other mission systems (OpenAPI at ``/openapi.json``,
Swagger UI at ``/docs``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from logistics.web.access import run_visibility, upload_visibility, viewer_of
from logistics.web.compare import comparison_view
from logistics.web.jobs import RETRY_AFTER_S, BusyError
from logistics.web.pages import (
    DOWNLOADS,
    download_name,
    found_or_404,
    service_of,
    visible_run,
    who_of,
)
from logistics.web.service import UploadRefusedError, WhatIf
from logistics.web.store import Run, Upload

router = APIRouter(tags=["planning"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["workbook"],
                    "properties": {"workbook": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


class SolveRequest(BaseModel):
    """Solver limits (blank: the workbook's Settings)."""

    time_limit_s: float | None = Field(None, gt=0, le=3600, description="Time limit in seconds.")
    mip_gap_pct: float | None = Field(None, ge=0, le=100, description="Relative MIP gap in %.")


class WhatIfScenario(BaseModel):
    """A what-if: a name and changes written as on the command line."""

    name: str = Field(min_length=1, max_length=60)
    changes: list[str] = Field(
        min_length=1,
        max_length=20,
        description="e.g. 'close-route R1:5-12', 'threat R1=4:3-', 'remove-unit U1', "
        "'set Units.U2.current_base_id=HUB', 'set Demands.D1.quantity_per_day=30:1-7'.",
    )


class WhatIfRequest(BaseModel):
    """Several what-ifs of one plan, solved as separate runs and compared with it."""

    scenarios: list[WhatIfScenario] = Field(min_length=1, max_length=6)


def upload_json(upload: Upload) -> dict[str, Any]:
    """An upload as the API shows it."""
    return {
        "id": upload.id,
        "mission_id": upload.mission_id,
        "file_name": upload.file_name,
        "created_at": upload.created_at.isoformat(),
        "sha256": upload.sha256,
        "size_bytes": upload.size_bytes,
        "valid": bool(upload.valid),
        "scenario_name": upload.scenario_name,
        "issues": upload.issues,
    }


def run_json(request: Request, run: Run) -> dict[str, Any]:
    """A run as the API shows it, with its progress and files."""
    service = service_of(request)
    folder = service.folder.run(run.id)
    return {
        "id": run.id,
        "upload_id": run.upload_id,
        "mission_id": run.mission_id,
        "kind": run.kind,
        "name": run.name,
        "parent_id": run.parent_id,
        "batch_id": run.batch_id,
        "status": run.status,
        "message": run.message,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "client": run.client,
        "input_sha256": run.input_sha256,
        "settings": run.settings,
        "figures": run.figures,
        "ahead": service.jobs.position(run.id),
        "progress": service.jobs.progress(run.id) if run.run_status.active else {},
        "files": [f"/api/runs/{run.id}/files/{n}" for n in DOWNLOADS if (folder / n).is_file()],
    }


def busy(error: BusyError) -> JSONResponse:
    """429 with Retry-After and how many solves are ahead."""
    return JSONResponse(
        {
            "detail": f"busy: {error.ahead} solves ahead of you; try again later",
            "ahead": error.ahead,
        },
        status_code=429,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


@router.post("/api/uploads", status_code=201, openapi_extra=UPLOAD_BODY)
async def post_upload(request: Request) -> JSONResponse:
    """Upload a workbook (multipart field ``workbook``, and ``mission_id`` when the planner
    belongs to several missions): 201 when valid (warnings listed), 422 with every problem
    (sheet, cell, column, value, message) when not."""
    service = service_of(request)
    try:
        upload = await service.receive_upload(request, who_of(request))
    except UploadRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    return JSONResponse(upload_json(upload), status_code=201 if upload.valid else 422)


@router.get("/api/uploads/{upload_id}")
def get_upload(request: Request, upload_id: str) -> dict[str, Any]:
    """An upload and what its validation found."""
    return upload_json(found_or_404(service_of(request).upload, upload_id, viewer_of(request)))


@router.get("/api/uploads/{upload_id}/annotated.xlsx")
def get_annotated(request: Request, upload_id: str) -> Response:
    """The workbook with each problem's cell filled and commented."""
    service = service_of(request)
    upload = found_or_404(service.upload, upload_id, viewer_of(request))
    return FileResponse(
        service.annotated(upload, who_of(request)),
        media_type=DOWNLOADS["plan.xlsx"][0],
        filename="problems.xlsx",
    )


@router.post("/api/uploads/{upload_id}/solve", status_code=202)
def post_solve(request: Request, upload_id: str, body: SolveRequest | None = None) -> JSONResponse:
    """Queue a solve: 202 with the run, 429 with Retry-After when the queue is full."""
    service = service_of(request)
    upload = found_or_404(service.upload, upload_id, viewer_of(request))
    limits = body or SolveRequest()
    try:
        run = service.solve(
            upload,
            who_of(request),
            time_limit_s=limits.time_limit_s,
            mip_gap_pct=limits.mip_gap_pct,
        )
    except BusyError as error:
        return busy(error)
    except UploadRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    return JSONResponse(run_json(request, run), status_code=202)


@router.get("/api/runs/{run_id}")
def get_run(request: Request, run_id: str) -> dict[str, Any]:
    """A run: status, progress while it solves, figures and files when done."""
    return run_json(request, visible_run(request, run_id))


@router.get("/api/runs/{run_id}/plan")
def get_plan(request: Request, run_id: str) -> dict[str, Any]:
    """The plan page's data: status, figures, days of supply, shortfalls, bases, routes."""
    service = service_of(request)
    view = service.view(visible_run(request, run_id))
    if view is None:
        raise HTTPException(404, "this run has no plan (yet)")
    return view


@router.post("/api/runs/{run_id}/stop")
def post_stop(request: Request, run_id: str) -> dict[str, Any]:
    """Stop a run: a waiting one is cancelled, a solving one keeps the best plan found."""
    service = service_of(request)
    run = visible_run(request, run_id)
    return {"stopping": service.stop(run, who_of(request))}


@router.post("/api/runs/{run_id}/rerun", status_code=202)
def post_rerun(request: Request, run_id: str) -> JSONResponse:
    """Run the same solve again (also for interrupted runs)."""
    service = service_of(request)
    run = visible_run(request, run_id)
    try:
        again = service.rerun(run, who_of(request))
    except BusyError as error:
        return busy(error)
    return JSONResponse(run_json(request, again), status_code=202)


@router.post("/api/runs/{run_id}/whatif", status_code=202)
async def post_whatif(request: Request, run_id: str, body: WhatIfRequest) -> JSONResponse:
    """Queue what-ifs of a plan (checked first: 422 lists every problem by scenario)."""
    service = service_of(request)
    run = visible_run(request, run_id)
    upload = service.upload_of(run)
    scenarios = [WhatIf(s.name, tuple(s.changes)) for s in body.scenarios]
    problems = await run_in_threadpool(service.check_what_ifs, upload, scenarios)
    if problems:
        return JSONResponse(
            {"detail": "the what-ifs have problems", "issues": problems}, status_code=422
        )
    try:
        batch = service.what_ifs(run, scenarios, who_of(request))
    except BusyError as error:
        return busy(error)
    runs = service.store.runs(batch_id=batch, visible=run_visibility(viewer_of(request)))
    return JSONResponse(
        {"batch_id": batch, "runs": [run_json(request, r) for r in runs]}, status_code=202
    )


@router.get("/api/runs/{run_id}/files/{name}")
def get_file(request: Request, run_id: str, name: str) -> Response:
    """Download a run's file: plan.xlsx, plan.geojson, plan.kml, map.svg, timeline.svg."""
    service = service_of(request)
    run = visible_run(request, run_id)
    if name not in DOWNLOADS:
        raise HTTPException(404, "there is no such file")
    path = found_or_404(service.download, run, name, who_of(request))
    media_type, stem = DOWNLOADS[name]
    return FileResponse(
        path, media_type=media_type, filename=download_name(run, stem, "." + name.rsplit(".", 1)[1])
    )


@router.get("/api/compare")
def get_compare(
    request: Request, runs: Annotated[list[str], Query(max_length=10)]
) -> dict[str, Any]:
    """The comparison of solved runs (the first is the base): KPI values, deltas and verdicts."""
    service = service_of(request)
    visible = run_visibility(viewer_of(request))
    summaries = service.summaries(service.store.runs_by_ids(runs, visible))
    if not summaries:
        raise HTTPException(404, "none of these runs has a plan to compare")
    view = comparison_view(summaries)
    return {
        "scenarios": list(view.scenarios),
        "rows": list(view.rows),
        "differences": list(view.differences),
    }


@router.get("/api/history")
def get_history(request: Request) -> dict[str, Any]:
    """Every upload and run kept, newest first."""
    service = service_of(request)
    viewer = viewer_of(request)
    return {
        "uploads": [
            upload_json(u) for u in service.store.uploads(visible=upload_visibility(viewer))
        ],
        "runs": [run_json(request, r) for r in service.store.runs(visible=run_visibility(viewer))],
    }
