"""The actions of the web application, shared by the HTML pages and the JSON API: receive and
validate an upload, start a solve or what-ifs, stop, re-run, and compare plans."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.requests import Request

from logistics.errors import InputError, Issue
from logistics.web import audit
from logistics.web.access import run_visibility, upload_visibility
from logistics.web.accounts import Viewer
from logistics.web.files import (
    UPLOAD_CHUNK_BYTES,
    DataFolder,
    TooLargeError,
    annotate_workbook,
    issue_dict,
    save_upload,
    shown_file_name,
)
from logistics.web.jobs import JobManager, read_pickle
from logistics.web.store import Run, RunStatus, Store, Upload, new_id, now
from logistics.web.tables import Mission
from logistics.web.worker import Task

MAX_SCENARIOS = 6
"""Most what-if scenarios asked at once."""
MAX_CHANGES = 20
"""Most changes in one what-if scenario."""


class UploadRefusedError(Exception):
    """The request holds no usable file; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class NotFoundError(Exception):
    """No upload, run or file with that id."""


@dataclass(frozen=True)
class Who:
    """Who asks: the signed-in account and the address the request came from."""

    viewer: Viewer
    address: str

    @property
    def client(self) -> str:
        """How the history shows who asked."""
        return f"{self.viewer.name} ({self.address})"[:200]


@dataclass(frozen=True)
class WhatIf:
    """A what-if scenario: a name and the command line's change texts."""

    name: str
    changes: tuple[str, ...]


@dataclass
class Service:
    """The server's state: history, files and workers."""

    store: Store
    folder: DataFolder
    jobs: JobManager
    _pdf_lock: threading.Lock = field(default_factory=threading.Lock)

    # ----------------------------------------------------------------------------- uploads

    def audit(
        self, who: Who, action: str, target: tuple[str, str], mission_id: str, detail: str = ""
    ) -> None:
        """Add a line to the audit trail."""
        audit.record(
            self.store,
            who.viewer.name,
            who.address,
            action,
            target,
            mission_id=mission_id,
            detail=detail,
        )

    async def receive_upload(self, request: Request, who: Who) -> Upload:
        """Store the request's workbook under a random name, validate it, keep it in history
        (in the mission the form names, or the planner's only mission)."""
        form = await request.form(max_files=1, max_fields=5)
        file = form.get("workbook")
        if not isinstance(file, UploadFile):
            raise UploadRefusedError(
                400, "choose a workbook (.xlsx) to upload in the field 'workbook'"
            )
        mission_id = upload_mission(form.get("mission_id"), who.viewer)
        display = shown_file_name(file.filename)

        async def chunks() -> Any:
            while chunk := await file.read(UPLOAD_CHUNK_BYTES):
                yield chunk

        try:
            stored, size, sha256 = await save_upload(chunks(), self.folder)
        except TooLargeError:
            raise UploadRefusedError(
                413, "the workbook is larger than the 50 MB accepted"
            ) from None
        finally:
            await file.close()
        checked = await self.jobs.check(self.folder.upload(stored), display)
        upload = Upload(
            id=new_id(),
            mission_id=mission_id,
            created_by=who.viewer.user_id,
            created_at=now(),
            client=who.client,
            file_name=display,
            stored_name=stored,
            size_bytes=size,
            sha256=sha256,
            valid=int(checked.valid),
            scenario_name=checked.scenario_name,
            issues_json=json.dumps(list(checked.issues)),
            ids_json=json.dumps(checked.ids or {}),
        )
        self.store.add(upload)
        self.audit(who, "upload", ("upload", upload.id), mission_id, display)
        return upload

    def upload(self, upload_id: str, viewer: Viewer) -> Upload:
        """The upload with this id if the viewer may see it, or ``NotFoundError``."""
        found = self.store.upload(upload_id, upload_visibility(viewer))
        if found is None:
            raise NotFoundError(upload_id)
        return found

    def missions(self, viewer: Viewer) -> list[Mission]:
        """The viewer's missions, by name (where a planner's uploads may go)."""
        query = select(Mission).where(Mission.id.in_(viewer.missions)).order_by(Mission.name)
        with self.store.session() as session:
            return list(session.scalars(query))

    def upload_of(self, run: Run) -> Upload:
        """The upload a run solves (whoever may see the run may use its workbook)."""
        found = self.store.upload(run.upload_id)
        if found is None:
            raise NotFoundError(run.upload_id)
        return found

    def annotated(self, upload: Upload, who: Who) -> Path:
        """The planner's workbook with each problem's cell filled and commented (made once),
        handed to ``who``."""
        path = self.folder.annotated / f"{upload.id}.xlsx"
        if not path.exists():
            annotate_workbook(self.folder.upload(upload.stored_name), path, upload.issues)
        self.audit(who, "download", ("upload", upload.id), upload.mission_id, "annotated.xlsx")
        return path

    # -------------------------------------------------------------------------------- runs

    def run(self, run_id: str, viewer: Viewer) -> Run:
        """The run with this id if the viewer may see it, or ``NotFoundError``."""
        found = self.store.run(run_id, run_visibility(viewer))
        if found is None:
            raise NotFoundError(run_id)
        return found

    def solve(
        self,
        upload: Upload,
        who: Who,
        *,
        time_limit_s: float | None = None,
        mip_gap_pct: float | None = None,
        what_if: WhatIf | None = None,
        parent: Run | None = None,
        batch_id: str | None = None,
    ) -> Run:
        """Queue a solve of a valid upload (raise ``BusyError`` when the queue is full)."""
        if not upload.valid:
            raise UploadRefusedError(
                409, "this workbook has problems: fix them and upload it again"
            )
        run = Run(
            id=new_id(),
            upload_id=upload.id,
            mission_id=upload.mission_id,
            created_by=who.viewer.user_id,
            server_id=self.store.server_id,
            kind="whatif" if what_if else "solve",
            name=what_if.name if what_if else "base",
            parent_id=parent.id if parent else None,
            batch_id=batch_id,
            created_at=now(),
            client=who.client,
            input_sha256=upload.sha256,
            settings_json=json.dumps(
                {
                    "time_limit_s": time_limit_s,
                    "mip_gap_pct": mip_gap_pct,
                    "changes": list(what_if.changes) if what_if else [],
                }
            ),
            status=RunStatus.queued.value,
        )
        warm = read_pickle(self.folder.run(parent.id) / "solution.pickle") if parent else None
        task = Task(
            run_id=run.id,
            name=run.name,
            input_name=upload.file_name,
            input_bytes=self.folder.upload(upload.stored_name).read_bytes(),
            changes=what_if.changes if what_if else (),
            time_limit_s=time_limit_s,
            mip_gap_pct=mip_gap_pct,
            warm_start=warm,
        )
        self.store.add(run)
        try:
            self.jobs.submit(task)
        except BaseException:
            self.store.set_run(run.id, status=RunStatus.failed.value, message="not queued: busy")
            raise
        detail = "; ".join(what_if.changes) if what_if else upload.file_name
        self.audit(who, run.kind, ("run", run.id), run.mission_id, detail)
        return run

    def rerun(self, run: Run, who: Who) -> Run:
        """Queue the same solve again (same upload, settings and changes); a re-plan is run
        again from its plan's Re-plan page, with its actuals."""
        if run.kind == "replan":
            raise UploadRefusedError(
                409,
                "a re-plan is run again from the published plan's Re-plan page, with the "
                "actuals workbook",
            )
        settings = run.settings
        parent = self.store.run(run.parent_id) if run.parent_id else None
        what_if = (
            WhatIf(run.name, tuple(settings.get("changes", ()))) if run.kind == "whatif" else None
        )
        return self.solve(
            self.upload_of(run),
            who,
            time_limit_s=settings.get("time_limit_s"),
            mip_gap_pct=settings.get("mip_gap_pct"),
            what_if=what_if,
            parent=parent,
            batch_id=run.batch_id,
        )

    def check_what_ifs(self, upload: Upload, scenarios: Sequence[WhatIf]) -> list[dict[str, Any]]:
        """Every problem of the what-if scenarios, found as ``logistics whatif`` finds them."""
        from logistics.io.reader import load
        from logistics.rules.overlay_sources import shortcut_overlay
        from logistics.rules.overlays import apply_overlay

        problems: list[dict[str, Any]] = []
        if not scenarios:
            return [issue_dict(Issue("what-if", None, None, None, "fill in at least one change"))]
        if len(scenarios) > MAX_SCENARIOS or any(len(s.changes) > MAX_CHANGES for s in scenarios):
            message = f"at most {MAX_SCENARIOS} scenarios of {MAX_CHANGES} changes each at once"
            return [issue_dict(Issue("what-if", None, None, None, message))]
        names = [s.name for s in scenarios]
        base = load(self.folder.upload(upload.stored_name))
        for scenario in scenarios:
            if names.count(scenario.name) > 1:
                problems.append(
                    issue_dict(
                        Issue(
                            "what-if",
                            None,
                            "scenario",
                            scenario.name,
                            "two scenarios have this name",
                        )
                    )
                )
                continue
            try:
                apply_overlay(base, shortcut_overlay(scenario.name, scenario.changes))
            except InputError as error:
                problems += [{**issue_dict(i), "scenario": scenario.name} for i in error.issues]
        return problems

    def what_ifs(self, run: Run, scenarios: Sequence[WhatIf], who: Who) -> str:
        """Queue every scenario as a what-if of ``run``; return the batch's id."""
        upload = self.upload_of(run)
        batch = new_id()
        settings = run.settings
        for scenario in scenarios:
            self.solve(
                upload,
                who,
                time_limit_s=settings.get("time_limit_s"),
                mip_gap_pct=settings.get("mip_gap_pct"),
                what_if=scenario,
                parent=run,
                batch_id=batch,
            )
        return batch

    def stop(self, run: Run, who: Who) -> bool:
        """Ask a waiting or solving run to stop."""
        self.audit(who, "stop", ("run", run.id), run.mission_id)
        return self.jobs.stop(run.id)

    # ------------------------------------------------------------------------------- files

    def run_file(self, run: Run, name: str) -> Path:
        """A file a run produced, or ``NotFoundError``."""
        path = self.folder.run(run.id) / name
        if not path.is_file():
            raise NotFoundError(name)
        return path

    def download(self, run: Run, name: str, who: Who) -> Path:
        """A file of a run, handed to ``who`` (the audit trail says so)."""
        path = self.run_file(run, name)
        self.audit(who, "download", ("run", run.id), run.mission_id, name)
        return path

    def view(self, run: Run) -> dict[str, Any] | None:
        """The plan page's data of a solved run."""
        path = self.folder.run(run.id) / "view.json"
        if not path.is_file():
            return None
        found: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return found

    def pdf_available(self) -> bool:
        """Whether the server can convert plans to PDF (LibreOffice's ``soffice`` is there)."""
        return shutil.which("soffice") is not None

    def pdf(self, run: Run) -> Path | None:
        """The plan workbook as PDF (LibreOffice headless); None when ``soffice`` is absent."""
        soffice = shutil.which("soffice")
        target = self.folder.run(run.id) / "plan.pdf"
        if target.is_file():
            return target
        if soffice is None:
            return None
        plan = self.run_file(run, "plan.xlsx")
        with self._pdf_lock, tempfile.TemporaryDirectory() as work:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{work}/profile",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    work,
                    str(plan),
                ],
                check=False,
                capture_output=True,
                timeout=180,
            )
            made = Path(work) / "plan.pdf"
            if not made.is_file():
                return None
            shutil.copyfile(made, target)
        return target

    # -------------------------------------------------------------------------- comparison

    def summaries(self, runs: Sequence[Run]) -> list[Any]:
        """The comparison summaries of solved runs (named after the runs), base first."""
        from dataclasses import replace

        found = []
        for run in runs:
            summary = read_pickle(self.folder.run(run.id) / "summary.pickle")
            if summary is not None:
                found.append(replace(summary, name=run.name, plan_file=f"{run.id}.xlsx"))
        return found

    def comparison_workbook(self, runs: Sequence[Run], who: Who) -> Path:
        """The comparison workbook of ``runs`` (the first is the base), handed to ``who``."""
        from logistics.report.comparison import write_comparison_workbook

        summaries = self.summaries(runs)
        if not summaries:
            raise NotFoundError("no solved plan to compare")
        key = "-".join(run.id[:8] for run in runs)
        path = self.folder.root / "comparisons" / f"{key}.xlsx"
        path.parent.mkdir(exist_ok=True)
        write_comparison_workbook(path, unique_names(summaries), summaries[0].name)
        ids = " ".join(run.id for run in runs)
        self.audit(who, "download", ("runs", key), runs[0].mission_id, f"comparison.xlsx: {ids}")
        return path


def unique_names(summaries: Sequence[Any]) -> tuple[Any, ...]:
    """The summaries with names made unique (``base``, ``base-2``…) for the comparison."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    named = []
    for summary in summaries:
        count = seen.get(summary.name, 0) + 1
        seen[summary.name] = count
        named.append(summary if count == 1 else replace(summary, name=f"{summary.name}-{count}"))
    return tuple(named)


def upload_mission(given: object, viewer: Viewer) -> str:
    """The mission an upload goes to: the one the form names (among the planner's), or the
    planner's only mission."""
    if isinstance(given, str) and given:
        if given not in viewer.missions:
            raise UploadRefusedError(404, "there is no such mission among yours")
        return given
    if len(viewer.missions) == 1:
        return next(iter(viewer.missions))
    raise UploadRefusedError(400, "choose the mission this workbook belongs to ('mission_id')")
