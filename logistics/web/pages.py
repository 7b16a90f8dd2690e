"""The HTML pages: rendered on the server, enhanced by one small local script (drag and drop,
live progress, the map)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from logistics.web.access import (
    run_visibility,
    share_visibility,
    upload_visibility,
    viewer_of,
)
from logistics.web.compare import comparison_view
from logistics.web.jobs import RETRY_AFTER_S, BusyError
from logistics.web.service import NotFoundError, Service, UploadRefusedError, WhatIf, Who
from logistics.web.sharing import shares_for
from logistics.web.store import Run, RunStatus
from logistics.web.tables import Role

router = APIRouter(include_in_schema=False)

DOWNLOADS = {
    "plan.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "plan"),
    "plan.geojson": ("application/geo+json", "plan"),
    "plan.kml": ("application/vnd.google-earth.kml+xml", "plan"),
    "outlines.geojson": ("application/geo+json", "outlines"),
    "map.svg": ("image/svg+xml", "map"),
    "timeline.svg": ("image/svg+xml", "timeline"),
}
"""Files of a run that may be downloaded, with their content type (by what they are, never by
what a client said) and the word their download name starts with."""
EVENT_INTERVAL_S = 0.5
WHATIF_SLOTS = 3
"""Scenarios the what-if form offers at once."""


def service_of(request: Request) -> Service:
    """The server's state."""
    found: Service = request.app.state.service
    return found


def address_of(request: Request) -> str:
    """The address the request came from (the proxy's ``X-Forwarded-For`` when uvicorn runs
    with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


def who_of(request: Request) -> Who:
    """The signed-in account making the request, and from where."""
    return Who(viewer_of(request), address_of(request))


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page from its template (which knows who is signed in and their CSRF token)."""
    templates: Jinja2Templates = request.app.state.templates
    viewer = getattr(request.state, "viewer", None)
    context = {"viewer": viewer, "csrf_token": viewer.csrf_token if viewer else "", **context}
    return templates.TemplateResponse(request, template, context, status_code=status)


NOT_FOUND = "there is nothing here: the link may be mistyped"
"""What an id answers when it names nothing the viewer may see (whether it exists or not)."""


def found_or_404(call: Any, *args: Any) -> Any:
    """The record ``call`` finds, or a 404 page."""
    try:
        return call(*args)
    except (NotFoundError, ValueError):
        raise HTTPException(404, NOT_FOUND) from None


def visible_run(request: Request, run_id: str) -> Run:
    """The run with this id if the viewer may see it, or 404."""
    found: Run = found_or_404(service_of(request).run, run_id, viewer_of(request))
    return found


def busy_page(request: Request, error: BusyError) -> Response:
    """The queue is full: say how many are ahead and when to try again."""
    response = render(request, "busy.html", status=429, ahead=error.ahead, retry_s=RETRY_AFTER_S)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def download_name(run: Run, stem: str, suffix: str) -> str:
    """``<scenario name>-<stem><suffix>`` made only of safe characters."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in run.name)[:40] or "plan"
    return f"{safe}-{stem}{suffix}"


# ------------------------------------------------------------------------------------ pages


@router.get("/")
def home(request: Request) -> Response:
    """Planners upload a workbook and see the latest runs; officers and liaison teams the
    plans shared with their team; admins go to the administration page."""
    service = service_of(request)
    viewer = viewer_of(request)
    if viewer.role == Role.admin:
        return RedirectResponse("/admin", status_code=303)
    return render(
        request,
        "home.html",
        runs=service.store.runs(limit=10, visible=run_visibility(viewer)),
        shares=shares_for(service.store, share_visibility(viewer)),
        missions=service.missions(viewer),
    )


@router.post("/uploads")
async def upload(request: Request) -> Response:
    """Receive a workbook, validate it and show what was found."""
    service = service_of(request)
    try:
        stored = await service.receive_upload(request, who_of(request))
    except UploadRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    return RedirectResponse(f"/uploads/{stored.id}", status_code=303)


@router.get("/uploads/{upload_id}")
def upload_page(request: Request, upload_id: str) -> Response:
    """Every problem and warning of a workbook, grouped by sheet; the solve form when valid."""
    service = service_of(request)
    found = found_or_404(service.upload, upload_id, viewer_of(request))
    issues = found.issues
    by_sheet = [(sheet, list(group)) for sheet, group in groupby(issues, key=lambda i: i["sheet"])]
    errors = sum(1 for i in issues if i["severity"] == "error")
    return render(
        request,
        "upload.html",
        upload=found,
        by_sheet=by_sheet,
        errors=errors,
        warnings=len(issues) - errors,
        annotatable=any(i["cell"] for i in issues),
    )


@router.get("/uploads/{upload_id}/annotated.xlsx")
def annotated(request: Request, upload_id: str) -> Response:
    """The planner's workbook with the problems marked on their cells."""
    service = service_of(request)
    found = found_or_404(service.upload, upload_id, viewer_of(request))
    stem = found.file_name.rsplit(".", 1)[0]
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:60] or "workbook"
    return FileResponse(
        service.annotated(found, who_of(request)),
        media_type=DOWNLOADS["plan.xlsx"][0],
        filename=f"{safe}-problems.xlsx",
    )


@router.post("/uploads/{upload_id}/solve")
def solve(
    request: Request,
    upload_id: str,
    time_limit_s: Annotated[float | None, Form(gt=0, le=3600)] = None,
    mip_gap_pct: Annotated[float | None, Form(ge=0, le=100)] = None,
) -> Response:
    """Queue a solve and go to its page."""
    service = service_of(request)
    found = found_or_404(service.upload, upload_id, viewer_of(request))
    try:
        run = service.solve(
            found, who_of(request), time_limit_s=time_limit_s, mip_gap_pct=mip_gap_pct
        )
    except BusyError as error:
        return busy_page(request, error)
    except UploadRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: str) -> Response:
    """A run: its live progress while it solves, then its plan."""
    service = service_of(request)
    run = visible_run(request, run_id)
    found = service.upload_of(run)
    return render(
        request,
        "run.html",
        run=run,
        upload=found,
        view=service.view(run),
        progress=service.jobs.progress(run.id),
        ahead=service.jobs.position(run.id),
        has_file=lambda name: (service.folder.run(run.id) / name).is_file(),
        pdf_available=service.pdf_available(),
        parent=service.store.run(run.parent_id, run_visibility(viewer_of(request)))
        if run.parent_id
        else None,
        may_share=viewer_of(request).role == Role.planner,
    )


@router.get("/runs/{run_id}/events")
async def events(request: Request, run_id: str) -> Response:
    """Server-sent events: the run's progress until it ends, then ``done``."""
    service = service_of(request)
    visible_run(request, run_id)

    async def stream() -> AsyncIterator[str]:
        while not await request.is_disconnected():
            run = service.store.run(run_id)
            if run is None:
                return
            state = {
                "status": run.status,
                "ahead": service.jobs.position(run_id),
                **service.jobs.progress(run_id),
            }
            if not run.run_status.active:
                yield f"event: done\ndata: {json.dumps({'status': run.status, 'message': run.message})}\n\n"
                return
            yield f"event: progress\ndata: {json.dumps(state)}\n\n"
            await asyncio.sleep(EVENT_INTERVAL_S)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


@router.post("/runs/{run_id}/stop")
def stop(request: Request, run_id: str) -> Response:
    """Stop a run, keeping the best plan found."""
    service = service_of(request)
    run = visible_run(request, run_id)
    service.stop(run, who_of(request))
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@router.post("/runs/{run_id}/rerun")
def rerun(request: Request, run_id: str) -> Response:
    """Run the same solve again."""
    service = service_of(request)
    run = visible_run(request, run_id)
    try:
        again = service.rerun(run, who_of(request))
    except BusyError as error:
        return busy_page(request, error)
    except UploadRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    return RedirectResponse(f"/runs/{again.id}", status_code=303)


@router.get("/runs/{run_id}/files/{name}")
def run_file(request: Request, run_id: str, name: str) -> Response:
    """Download one of the run's files."""
    service = service_of(request)
    run = visible_run(request, run_id)
    if name not in DOWNLOADS:
        raise HTTPException(404, "there is no such file")
    media_type, stem = DOWNLOADS[name]
    path = found_or_404(service.download, run, name, who_of(request))
    suffix = "." + name.rsplit(".", 1)[1]
    return FileResponse(path, media_type=media_type, filename=download_name(run, stem, suffix))


@router.get("/runs/{run_id}/plan.pdf")
def plan_pdf(request: Request, run_id: str) -> Response:
    """The plan workbook as PDF (LibreOffice); 404 with the reason when it cannot be made."""
    service = service_of(request)
    run = visible_run(request, run_id)
    path = found_or_404(service.pdf, run)
    if path is None:
        raise HTTPException(
            404, "the PDF is unavailable: LibreOffice (soffice) is not installed on the server"
        )
    service.audit(who_of(request), "download", ("run", run.id), run.mission_id, "plan.pdf")
    return FileResponse(
        path, media_type="application/pdf", filename=download_name(run, "plan", ".pdf")
    )


@router.get("/runs/{run_id}/whatif")
def whatif_form(request: Request, run_id: str) -> Response:
    """The what-if form of a plan."""
    service = service_of(request)
    run = visible_run(request, run_id)
    return render(
        request,
        "whatif.html",
        run=run,
        upload=service.upload_of(run),
        slots=range(1, WHATIF_SLOTS + 1),
        problems=[],
        values={},
    )


@router.post("/runs/{run_id}/whatif")
async def whatif(request: Request, run_id: str) -> Response:
    """Check the what-ifs like ``logistics whatif``; queue them, or show their problems."""
    service = service_of(request)
    run = visible_run(request, run_id)
    found = service.upload_of(run)
    form = await request.form(max_files=0, max_fields=200)
    values = {k: str(v) for k, v in form.items()}
    scenarios = scenarios_from_form(values)
    from starlette.concurrency import run_in_threadpool

    problems = await run_in_threadpool(service.check_what_ifs, found, scenarios)
    if problems:
        return render(
            request,
            "whatif.html",
            status=422,
            run=run,
            upload=found,
            slots=range(1, WHATIF_SLOTS + 1),
            problems=problems,
            values=values,
        )
    try:
        batch = service.what_ifs(run, scenarios, who_of(request))
    except BusyError as error:
        return busy_page(request, error)
    return RedirectResponse(f"/batches/{batch}", status_code=303)


def _days(values: dict[str, str], prefix: str) -> str:
    """``:FIRST-LAST`` from a form's day fields (empty when both are blank)."""
    first, last = (
        values.get(f"{prefix}_first", "").strip(),
        values.get(f"{prefix}_last", "").strip(),
    )
    return f":{first}-{last}" if first or last else ""


def scenarios_from_form(values: dict[str, str]) -> list[WhatIf]:
    """The what-if scenarios a form describes, each change as the command line writes it."""
    scenarios = []
    for slot in range(1, WHATIF_SLOTS + 1):

        def field(name: str, slot: int = slot) -> str:
            return values.get(f"s{slot}_{name}", "").strip()

        changes = []
        if field("close_route"):
            changes.append(f"close-route {field('close_route')}{_days(values, f's{slot}_close')}")
        if field("threat_route"):
            changes.append(
                f"threat {field('threat_route')}={field('threat_level')}{_days(values, f's{slot}_threat')}"
            )
        if field("remove_unit"):
            changes.append(f"remove-unit {field('remove_unit')}")
        if field("move_unit"):
            changes.append(f"set Units.{field('move_unit')}.current_base_id={field('move_to')}")
        if field("demand"):
            changes.append(
                f"set Demands.{field('demand')}.quantity_per_day={field('demand_quantity')}{_days(values, f's{slot}_demand')}"
            )
        if field("source"):
            changes.append(
                f"set Sources.{field('source')}.quantity_per_day={field('source_quantity')}{_days(values, f's{slot}_source')}"
            )
        if changes:
            scenarios.append(WhatIf(field("name") or f"what-if-{slot}", tuple(changes)))
    return scenarios


@router.get("/batches/{batch_id}")
def batch_page(request: Request, batch_id: str) -> Response:
    """What-ifs asked together: their progress, then the comparison with their base plan."""
    service = service_of(request)
    visible = run_visibility(viewer_of(request))
    runs = list(service.store.runs(batch_id=batch_id, visible=visible))
    if not runs:
        raise HTTPException(404, NOT_FOUND)
    parent = service.store.run(runs[0].parent_id, visible) if runs[0].parent_id else None
    compared = [r for r in [parent, *runs] if r is not None]
    return comparison_page(request, compared, batch_id=batch_id)


@router.get("/compare")
def compare(request: Request, runs: Annotated[list[str], Query()]) -> Response:
    """Plans compared side by side (the first is the base)."""
    service = service_of(request)
    visible = run_visibility(viewer_of(request))
    return comparison_page(request, service.store.runs_by_ids(runs[:10], visible))


def comparison_page(request: Request, runs: list[Run], batch_id: str | None = None) -> Response:
    """The comparison page of ``runs``: figures, deltas and charts of those solved."""
    service = service_of(request)
    solved = [r for r in runs if (service.folder.run(r.id) / "summary.pickle").is_file()]
    summaries = service.summaries(solved)
    view = comparison_view(summaries) if len(summaries) >= 1 else None
    waiting = any(r.run_status.active for r in runs)
    return render(
        request,
        "compare.html",
        runs=runs,
        view=view,
        waiting=waiting,
        batch_id=batch_id,
        solved_ids=[r.id for r in solved],
    )


@router.get("/compare.xlsx")
def compare_workbook(request: Request, runs: Annotated[list[str], Query()]) -> Response:
    """The comparison workbook of the runs given (the first is the base)."""
    service = service_of(request)
    visible = run_visibility(viewer_of(request))
    compared = service.store.runs_by_ids(runs[:10], visible)
    path = found_or_404(service.comparison_workbook, compared, who_of(request))
    return FileResponse(path, media_type=DOWNLOADS["plan.xlsx"][0], filename="comparison.xlsx")


@router.get("/history")
def history(request: Request) -> Response:
    """Every upload and run kept: reopen, run again or compare."""
    service = service_of(request)
    viewer = viewer_of(request)
    return render(
        request,
        "history.html",
        uploads=service.store.uploads(visible=upload_visibility(viewer)),
        runs=service.store.runs(visible=run_visibility(viewer)),
        RunStatus=RunStatus,
    )


@router.get("/docs")
def docs(request: Request) -> Response:
    """The API's OpenAPI description in Swagger UI (served from the package)."""
    return render(request, "docs.html")


@router.get("/openapi.json")
def openapi(request: Request) -> Response:
    """The API's OpenAPI description."""
    return JSONResponse(request.app.openapi())
