"""What a worker process runs: one solve of an uploaded workbook (with its what-if changes),
reporting progress and heeding the Stop button; everything it produces comes back as bytes, so
the same function runs in a local process or on a Dask worker of another machine.

The what-if changes are the command line's shortcut texts (``close-route R:5-12``…), read and
applied by ``logistics.rules.overlays`` exactly as ``logistics whatif`` does.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from logistics.errors import InputError
from models.results import Plan, SolveProgress

if TYPE_CHECKING:
    from logistics.api import PlanRun
    from logistics.rules.overlays import InputDifference

PROGRESS_FILE = "progress.json"
STOP_FILE = "stop"
STOP_CHECK_INTERVAL_S = 0.5
NOT_STARTED = "stopped before it started: nothing was solved"


class Channel(Protocol):
    """How a worker tells the server its progress and learns that Stop was pressed."""

    def report(self, progress: Mapping[str, Any]) -> None:
        """Publish the latest progress snapshot."""
        ...

    def stop_requested(self) -> bool:
        """Whether the planner asked to stop (and keep the best plan found)."""
        ...


@dataclass(frozen=True)
class FileChannel:
    """Progress and stop through files of the run's folder (workers on this machine)."""

    folder: Path

    def report(self, progress: Mapping[str, Any]) -> None:
        """Write the snapshot to ``progress.json`` (replaced whole, never half-written)."""
        temporary = self.folder / f".{PROGRESS_FILE}.tmp"
        temporary.write_text(json.dumps(progress), encoding="utf-8")
        temporary.replace(self.folder / PROGRESS_FILE)

    def stop_requested(self) -> bool:
        """Whether the server left a ``stop`` file in the run's folder."""
        return (self.folder / STOP_FILE).exists()


@dataclass(frozen=True)
class DaskChannel:
    """Progress and stop through a Dask variable and event named after the run."""

    run_id: str

    def report(self, progress: Mapping[str, Any]) -> None:
        """Set the run's progress variable on the scheduler."""
        from distributed import Variable

        Variable(f"progress-{self.run_id}").set(dict(progress))  # type: ignore[no-untyped-call]

    def stop_requested(self) -> bool:
        """Whether the run's stop event is set."""
        from distributed import Event

        return bool(Event(f"stop-{self.run_id}").is_set())  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Task:
    """One solve: the workbook's bytes, the what-if changes and the solver limits."""

    run_id: str
    name: str
    input_name: str
    input_bytes: bytes
    changes: tuple[str, ...] = ()
    time_limit_s: float | None = None
    mip_gap_pct: float | None = None
    warm_start: Mapping[str, float] | None = None
    actuals_bytes: bytes | None = None
    """A re-plan: the actuals workbook; ``input_bytes`` is then the published plan workbook."""
    freeze_days: int = 2


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: how it ended, the plan's figures and files."""

    status: str
    """``done``, ``stopped`` (with the best plan found) or ``failed``."""
    message: str
    figures: Mapping[str, Any] = field(default_factory=dict)
    files: Mapping[str, bytes] = field(default_factory=dict)


class _Watcher:
    """Receives stages and solver snapshots; reports them and checks for Stop."""

    def __init__(self, channel: Channel) -> None:
        self._channel = channel
        self._started = time.perf_counter()
        self._checked = 0.0
        self.stopped = False
        self._state: dict[str, Any] = {"stage": "starting", "elapsed_s": 0.0}

    def stage(self, name: str) -> None:
        """A stage of the run starts."""
        from logistics.progress import STAGE_WORDS

        self._state = {**self._state, "stage": STAGE_WORDS.get(name, name)}
        self._publish()

    def solver(self, progress: SolveProgress) -> None:
        """A snapshot of the running solver."""
        self._state = {
            **self._state,
            "stage": f"solving: {progress.stage}",
            "incumbent": progress.incumbent,
            "best_bound": progress.best_bound,
            "gap_pct": progress.gap_pct,
        }
        self._publish()

    def should_stop(self) -> bool:
        """Whether the planner pressed Stop (asked of the channel at most every
        ``STOP_CHECK_INTERVAL_S``); the solver's search asks it at every tick."""
        now = time.perf_counter()
        if not self.stopped and now - self._checked >= STOP_CHECK_INTERVAL_S:
            self._checked = now
            self.stopped = self._channel.stop_requested()
            if self.stopped:
                self._publish()
        return self.stopped

    def _publish(self) -> None:
        self._state["elapsed_s"] = round(time.perf_counter() - self._started, 1)
        self._state["stopping"] = self.stopped
        self._channel.report(self._state)


SOLVER_NICENESS = 10
"""How much lower than the server the solver processes run (Unix ``nice``): a solve uses every
cycle it gets, and on a small machine the pages must still answer at once; the solves take
only the cycles the pages leave."""


PARENT_CHECK_INTERVAL_S = 1.0
"""How often a worker looks whether the server that started it is still there."""


def worker_started(niceness: int = 0) -> None:
    """Set up a worker process of the server: it ends with the server, and runs ``niceness``
    lower than it.

    The kernel's parent-death signal cannot be used: it fires when the *thread* that started
    the process ends, and the server starts workers from request threads that come and go. A
    watcher thread instead ends the worker (as ``SIGTERM`` would: temporary files removed) once
    its parent is gone.
    """
    from logistics.io.atomic import exit_on_signals

    exit_on_signals()
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        os.nice(niceness)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_INTERVAL_S)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def solver_started() -> None:
    """Set up a local solver process (see ``worker_started``), ``SOLVER_NICENESS`` below the
    server."""
    worker_started(SOLVER_NICENESS)


def execute(task: Task, channel: Channel) -> Outcome:
    """Solve the task's workbook (with its changes) and return the plan's files and figures.

    Problems are reported in the outcome, never raised: a worker must answer, not die.
    """
    if channel.stop_requested():  # stopped while it waited: a pool's future cannot be cancelled
        return Outcome("stopped", NOT_STARTED)
    watcher = _Watcher(channel)
    watcher.stage("read")
    try:
        with tempfile.TemporaryDirectory() as folder:
            return _solve(task, Path(folder), watcher)
    except InputError as error:
        return Outcome("failed", error.render())
    except Exception as error:  # reported to the planner in words; the trace goes to the log
        traceback.print_exc()
        return Outcome("failed", f"the solve failed: {type(error).__name__}: {error}")


def _solve(task: Task, folder: Path, watcher: _Watcher) -> Outcome:
    """Read, apply the changes, solve and write; everything inside ``folder``."""
    from logistics.api import InputProvenance, solve_and_write, solve_options
    from logistics.io.reader import load
    from logistics.rules.overlay_sources import shortcut_overlay
    from logistics.rules.overlays import apply_overlay

    if task.actuals_bytes is not None:
        return _replan(task, folder, watcher)
    source = folder / "input.xlsx"
    source.write_bytes(task.input_bytes)
    base = load(source)
    loaded = base
    differences: tuple[InputDifference, ...] = ()
    overrides: tuple[str, ...] = ()
    if task.changes:
        overlay = shortcut_overlay(task.name, task.changes)
        loaded = apply_overlay(base, overlay)
        differences, overrides = overlay.differences(base), overlay.describe()
    provenance = InputProvenance.of(loaded, overrides, loaded.warnings)
    provenance = InputProvenance(task.input_name, provenance.sha256, overrides, provenance.warnings)
    options = solve_options(
        loaded.scenario.settings,
        time_limit_s=task.time_limit_s,
        mip_gap_pct=task.mip_gap_pct,
        progress=watcher.solver,
        warm_start=task.warm_start,
        stop=watcher.should_stop,
    )
    output = folder / "plan.xlsx"
    run = solve_and_write(loaded.scenario, options, output, provenance, on_stage=watcher.stage)
    description = "; ".join(overrides) if overrides else "the workbook as it is"
    return _outcome(task, run, output, description, differences, watcher)


def _replan(task: Task, folder: Path, watcher: _Watcher) -> Outcome:
    """Re-plan the published plan workbook from the actuals (``logistics.replan``)."""
    from logistics.replan import replan

    published, actuals = folder / task.input_name, folder / "actuals.xlsx"
    published.write_bytes(task.input_bytes)
    actuals.write_bytes(task.actuals_bytes or b"")
    output = folder / "plan.xlsx"
    result = replan(
        published,
        actuals,
        output,
        freeze_days=task.freeze_days,
        time_limit_s=task.time_limit_s,
        mip_gap_pct=task.mip_gap_pct,
        progress=watcher.solver,
        on_stage=watcher.stage,
        stop=watcher.should_stop,
        threads=1,  # one core per queued job, like every solve of the web application
    )
    counts = ", ".join(f"{kind}: {n}" for kind, n in result.changes.counts.items() if n)
    day = result.replanning.actuals.report_day
    description = f"re-planned from day {day}; {counts or 'no change'}"
    return _outcome(task, result.run, output, description, (), watcher)


def _outcome(
    task: Task,
    run: PlanRun,
    output: Path,
    description: str,
    differences: tuple[InputDifference, ...],
    watcher: _Watcher,
) -> Outcome:
    """The files and figures of a solved run, as the plan page and comparisons read them."""
    from logistics.i18n import use_language
    from logistics.report.comparison import summarise
    from logistics.report.plan_workbook import plan_language
    from logistics.web.view import plan_files

    language = plan_language(run.scenario)
    with use_language(language, language):  # the KPIs' descriptions, as the workbook words them
        summary = summarise(
            task.name, description, run.scenario, run.plan, run.run, differences, "plan.xlsx"
        )
    files, figures = plan_files(run, summary)
    files = {
        **files,
        "plan.xlsx": output.read_bytes(),
        "summary.pickle": pickle.dumps(summary),
        "solution.pickle": pickle.dumps(dict(run.plan.solution)),
    }
    status = "stopped" if watcher.stopped else "done"
    return Outcome(status, _ending_words(watcher.stopped, run.plan), figures, files)


def _ending_words(stopped: bool, plan: Plan) -> str:
    """How the run ended, in words: the solver's own unless the planner stopped it."""
    if not stopped:
        return plan.termination
    if plan.status.has_plan:
        return "stopped by the planner; the best plan found is kept"
    return "stopped by the planner before a plan was found; the plan shown has no deliveries"
