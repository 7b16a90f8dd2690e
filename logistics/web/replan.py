"""The re-plan page of a plan: upload the day's actuals against it and re-plan
(``logistics replan``), as a run of its own whose page is a plan page like any other."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from logistics.errors import InputError
from logistics.web.files import MAX_UPLOAD_BYTES
from logistics.web.jobs import BusyError
from logistics.web.pages import (
    busy_page,
    found_or_404,
    render,
    service_of,
    visible_run,
    who_of,
)
from logistics.web.service import Service, Who
from logistics.web.store import Run, RunStatus, new_id, now
from logistics.web.worker import Task

router = APIRouter(include_in_schema=False)

DEFAULT_FREEZE_DAYS = 2


@router.get("/replan/actuals-template.xlsx")
def actuals_template() -> Response:
    """The blank actuals workbook (``logistics template --actuals``)."""
    from logistics.io.template import write_actuals_template

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actuals.xlsx"
        write_actuals_template(path)
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": 'attachment; filename="actuals.xlsx"'},
    )


@router.get("/runs/{run_id}/replan")
def replan_form(request: Request, run_id: str) -> Response:
    """The re-plan form of a plan."""
    run = visible_run(request, run_id)
    return render(request, "replan.html", run=run, problems=[], freeze_days=DEFAULT_FREEZE_DAYS)


@router.post("/runs/{run_id}/replan")
async def replan(request: Request, run_id: str) -> Response:
    """Check the actuals against the plan like ``logistics replan``; queue the re-plan, or show
    every problem with its cell."""
    service = service_of(request)
    run = visible_run(request, run_id)
    plan = found_or_404(service.run_file, run, "plan.xlsx")
    form = await request.form(max_files=1, max_fields=5)
    file = form.get("actuals")
    if not isinstance(file, UploadFile):
        raise HTTPException(400, "choose the actuals workbook (.xlsx) in the field 'actuals'")
    actuals = await file.read(MAX_UPLOAD_BYTES + 1)
    await file.close()
    if len(actuals) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, "the actuals workbook is larger than the 50 MB accepted")
    freeze = _whole(form.get("freeze_days"), DEFAULT_FREEZE_DAYS, 0, 366)
    time_limit = _whole(form.get("time_limit_s"), None, 1, 3600)
    problems = await run_in_threadpool(_problems, plan.read_bytes(), actuals)
    if problems:
        return render(
            request, "replan.html", status=422, run=run, problems=problems, freeze_days=freeze
        )
    try:
        replanned = _queue(
            service, run, plan.read_bytes(), actuals, freeze, time_limit, who_of(request)
        )
    except BusyError as error:
        return busy_page(request, error)
    return RedirectResponse(f"/runs/{replanned.id}", status_code=303)


def _whole(value: Any, default: int | None, low: int, high: int) -> int | None:
    """A whole number typed in a form field, within [low, high]; blank gives ``default``."""
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise HTTPException(422, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise HTTPException(422, f"{number} is not between {low} and {high}")
    return number


def _problems(plan: bytes, actuals: bytes) -> list[dict[str, Any]]:
    """Every problem of the actuals against the plan, as the page lists them (none if valid)."""
    from logistics.io.reader import load
    from logistics.replan import prepare_replan

    with tempfile.TemporaryDirectory() as folder:
        plan_path, actuals_path = Path(folder) / "plan.xlsx", Path(folder) / "actuals.xlsx"
        plan_path.write_bytes(plan)
        actuals_path.write_bytes(actuals)
        try:
            prepare_replan(load(plan_path), actuals_path, DEFAULT_FREEZE_DAYS)
        except InputError as error:
            return [
                {
                    "location": issue.location,
                    "header": issue.header or "",
                    "value": issue.shown_value,
                    "message": issue.message,
                }
                for issue in error.issues
            ]
    return []


def _queue(
    service: Service,
    parent: Run,
    plan: bytes,
    actuals: bytes,
    freeze_days: int | None,
    time_limit_s: int | None,
    who: Who,
) -> Run:
    """A run of its own for the re-plan, in the plan's mission, queued (``BusyError`` when the
    queue is full); the audit trail records it."""
    run = Run(
        id=new_id(),
        upload_id=parent.upload_id,
        mission_id=parent.mission_id,
        created_by=who.viewer.user_id,
        server_id=service.store.server_id,
        kind="replan",
        name=f"re-plan of {parent.name}"[:100],
        parent_id=parent.id,
        created_at=now(),
        client=who.client,
        input_sha256=hashlib.sha256(actuals).hexdigest(),
        settings_json=json.dumps({"time_limit_s": time_limit_s, "freeze_days": freeze_days}),
        status=RunStatus.queued.value,
    )
    task = Task(
        run_id=run.id,
        name=run.name,
        input_name="published-plan.xlsx",
        input_bytes=plan,
        time_limit_s=time_limit_s,
        actuals_bytes=actuals,
        freeze_days=DEFAULT_FREEZE_DAYS if freeze_days is None else freeze_days,
    )
    service.store.add(run)
    try:
        service.jobs.submit(task)
    except BaseException:
        service.store.set_run(run.id, status=RunStatus.failed.value, message="not queued: busy")
        raise
    detail = f"actuals sha256 {run.input_sha256[:12]}, {task.freeze_days} frozen days"
    service.audit(who, "replan", ("run", run.id), run.mission_id, detail)
    return run
