"""What-if batches: the base case and every scenario solved in parallel, then compared.

The parent process reads and validates everything (base workbook, overlays); workers receive
validated scenarios (plain frozen data, never Pyomo objects), compile, solve and write their plan
workbook, and send back a small ``ScenarioSummary``. The base case is solved first; its plan then
warm-starts every scenario (``SolveOptions.warm_start``). Workers are local processes by default,
or the workers of an existing Dask cluster given its scheduler address. A scenario that fails (bad
overlay, solver trouble) is reported as failed and never stops the others.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from logistics.api import (
    InputProvenance,
    check_outputs,
    plan_outputs,
    solve_and_write,
    solve_options,
)
from logistics.errors import ClusterError, InputError, Interrupted, Issue, listed
from logistics.io.atomic import exit_on_signals
from logistics.io.reader import LoadedScenario, load
from logistics.report.comparison import (
    ScenarioSummary,
    failed_summary,
    summarise,
    write_comparison_workbook,
)
from logistics.rules.overlay_sources import read_overlays_by_scenario, shortcut_overlay
from logistics.rules.overlays import InputDifference, Overlay, apply_overlay
from logistics.rules.schemas import Scenario

BASE = "base"
COMMAND_LINE = "command-line"
"""Name of the scenario made of command-line shortcuts."""
COMPARISON = "comparison"
"""Stem of the comparison workbook's file name."""
RESERVED_STEMS = frozenset(
    {BASE, COMPARISON, "con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)
"""File stems a scenario's plan never takes: the base plan, the comparison, and the device
names Windows reserves."""
_UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9 _.\-]+")


def plan_file_names(names: Sequence[str]) -> dict[str, str]:
    """A plan file name for each scenario: safe on every file system, unique when case is
    ignored (``Close-B`` and ``close-b`` do not collide on Windows or macOS), and never the base
    plan's or the comparison's name. The base case keeps ``base.xlsx``."""
    taken = {COMPARISON}
    files: dict[str, str] = {}
    for name in names:
        stem = (
            BASE if name == BASE else _UNSAFE_IN_FILE_NAMES.sub("_", name).strip(" .") or "scenario"
        )
        candidate, number = stem, 1
        while candidate.casefold() in taken or (
            name != BASE and candidate.casefold() in RESERVED_STEMS
        ):
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(candidate.casefold())
        files[name] = f"{candidate}.xlsx"
    return files


@dataclass(frozen=True)
class WhatIfJob:
    """One scenario to solve: everything a worker needs, and nothing it cannot pickle."""

    name: str
    description: str
    scenario: Scenario
    differences: tuple[InputDifference, ...]
    provenance: InputProvenance
    output: Path
    time_limit_s: float | None = None
    mip_gap_pct: float | None = None
    warm_start: Mapping[str, float] | None = None


@dataclass(frozen=True)
class JobResult:
    """What comes back from a worker: the summary, and the plan's values if asked for."""

    summary: ScenarioSummary
    solution: Mapping[str, float] | None = None


def solve_job(job: WhatIfJob, keep_solution: bool = False) -> JobResult:
    """Solve one scenario and write its plan workbook (runs in a worker process).

    Solver and writing failures are caught and reported in the summary, so that one scenario's
    trouble never loses the batch.
    """
    try:
        options = solve_options(
            job.scenario.settings,
            time_limit_s=job.time_limit_s,
            mip_gap_pct=job.mip_gap_pct,
            warm_start=job.warm_start,
        )
        run = solve_and_write(job.scenario, options, job.output, job.provenance)
    except Exception as error:  # a worker must report, not die: the batch goes on
        reason = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"
        return JobResult(failed_summary(job.name, job.description, reason, job.differences))
    summary = summarise(
        job.name, job.description, run.scenario, run.plan, run.run, job.differences, job.output.name
    )
    return JobResult(summary, dict(run.plan.solution) if keep_solution else None)


# --------------------------------------------------------------------------------------------------
# Where jobs run
# --------------------------------------------------------------------------------------------------


class JobRunner(Protocol):
    """Runs jobs somewhere and yields their results as they finish."""

    def run(self, jobs: Sequence[WhatIfJob], keep_solution: bool) -> Iterator[JobResult]:
        """Submit every job; yield each result when it is done (in completion order)."""
        ...


class LocalRunner:
    """Worker processes on this machine (spawned, one solver thread each)."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self._pool = pool

    def run(self, jobs: Sequence[WhatIfJob], keep_solution: bool) -> Iterator[JobResult]:
        futures: list[Future[JobResult]] = [
            self._pool.submit(solve_job, job, keep_solution) for job in jobs
        ]
        for future in as_completed(futures):
            yield future.result()


def _worker_started() -> None:
    """Set up a worker process: it dies with its parent and cleans up on signals.

    On Linux the kernel sends the worker ``SIGTERM`` when the parent dies, however it dies (even
    ``SIGKILL``), so no orphan goes on solving and writing plans nobody will compare; on that
    signal the worker removes its temporary file and exits.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))
    exit_on_signals()
    if sys.platform.startswith("linux") and os.getppid() == 1:
        os.kill(os.getpid(), signal.SIGTERM)  # the parent died before the request took effect


@contextmanager
def _local_pool(count: int) -> Iterator[ProcessPoolExecutor]:
    """A spawned process pool whose workers are ended, not awaited, if the batch is interrupted."""
    pool = ProcessPoolExecutor(
        max_workers=count, mp_context=get_context("spawn"), initializer=_worker_started
    )
    try:
        yield pool
    except BaseException:
        _end_workers(pool)
        raise
    pool.shutdown(wait=True)


WORKER_GRACE_S = 3.0
"""How long a worker told to end may take before it is killed: a signal reaches Python only
between the solver's callbacks, and a killed worker's temporary file is removed by the next run."""


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now (each removes its temporary files) and wait for them; kill
    those that have not ended within ``WORKER_GRACE_S``."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + WORKER_GRACE_S
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=max(deadline - time.monotonic(), 0.0))
            if process.is_alive():
                process.kill()
                process.join(timeout=WORKER_GRACE_S)


class DaskRunner:
    """The workers of a Dask distributed cluster, reached through its scheduler."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def run(self, jobs: Sequence[WhatIfJob], keep_solution: bool) -> Iterator[JobResult]:
        from distributed import as_completed as dask_completed

        futures = [self._client.submit(solve_job, job, keep_solution, pure=False) for job in jobs]
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()


@contextmanager
def job_runner(workers: int | None = None, scheduler: str | None = None) -> Iterator[JobRunner]:
    """A local process pool (``workers`` processes, default one per core), or a Dask cluster."""
    if scheduler is not None:
        with _dask_client(scheduler) as client:
            yield DaskRunner(client)
        return
    count = workers or os.cpu_count() or 1
    with _local_pool(count) as pool:
        yield LocalRunner(pool)


SCHEDULER_TIMEOUT_S = 20
"""How long to try reaching a Dask scheduler before saying it cannot be reached."""


@contextmanager
def _dask_client(scheduler: str) -> Iterator[Any]:
    """A client of the Dask scheduler at ``scheduler``; a bad or unreachable address is a
    ``ClusterError`` that names the scheduler."""
    from distributed import Client

    try:
        client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s")  # type: ignore[no-untyped-call]
    except (ValueError, TypeError) as error:
        raise ClusterError(
            f"{scheduler!r} is not a Dask scheduler address ({error}); give one like "
            "tcp://10.0.0.5:8786"
        ) from None
    except (OSError, TimeoutError) as error:
        raise ClusterError(
            f"the Dask scheduler at {scheduler} cannot be reached ({error}); check that it runs "
            "and that this machine can connect to it, or leave out --scheduler to solve here"
        ) from None
    with client:
        yield client


# --------------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------------

EventCallback = Callable[[str, ScenarioSummary | None], None]
"""Told ``("started", None)``-style events: started/done/failed with the scenario's summary."""


@dataclass(frozen=True)
class WhatIfResult:
    """The outcome of a batch: a summary per scenario (base first) and the comparison file."""

    summaries: tuple[ScenarioSummary, ...]
    comparison: Path
    wall_s: float
    input_problems: Mapping[str, tuple[Issue, ...]] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the scenarios that could not be solved."""
        return tuple(s.name for s in self.summaries if s.error is not None)


def run_whatif(
    base_path: Path,
    overlay_path: Path | None,
    output_dir: Path,
    *,
    names: Sequence[str] = (),
    shortcuts: Sequence[str] = (),
    workers: int | None = None,
    scheduler: str | None = None,
    warm: bool = True,
    time_limit_s: float | None = None,
    mip_gap_pct: float | None = None,
    on_event: EventCallback | None = None,
) -> WhatIfResult:
    """Solve the base case and every scenario, write a plan workbook each and ``comparison.xlsx``.

    ``names`` limits the batch to those scenarios; ``shortcuts`` adds a scenario named
    ``command-line`` made of command-line changes. Raises ``InputError`` for problems with the
    base workbook or an unreadable overlay file; a bad scenario is reported failed instead.
    """
    started = time.perf_counter()
    base = load(base_path)
    overlays, problems = _overlays(base, overlay_path, names, shortcuts)
    files = plan_file_names([BASE, *overlays])
    comparison = output_dir / f"{COMPARISON}.xlsx"
    check_outputs(
        [
            comparison,
            *(path for file in files.values() for path in plan_outputs(output_dir / file)),
        ],
        [base_path, *([overlay_path] if overlay_path else [])],
    )
    provenance = InputProvenance.of(base, warnings=base.warnings)
    limits = _Limits(time_limit_s, mip_gap_pct)
    base_job = WhatIfJob(
        BASE,
        "the base workbook as it is",
        base.scenario,
        (),
        provenance,
        output_dir / files[BASE],
        limits.time_limit_s,
        limits.mip_gap_pct,
    )
    outputs = {name: output_dir / files[name] for name in overlays}
    jobs, failed = _scenario_jobs(base, overlays, problems, provenance, outputs, limits)
    announce = on_event or (lambda _event, _summary: None)
    for summary in failed:
        announce("failed", summary)
    done: list[ScenarioSummary] = []
    try:
        with job_runner(workers, scheduler) as runner:
            announce("started", None)
            (base_result,) = runner.run([base_job], keep_solution=warm)
            announce("failed" if base_result.summary.error else "done", base_result.summary)
            warm_start = base_result.solution if warm else None
            done.append(base_result.summary)
            for result in runner.run(
                [replace(job, warm_start=warm_start) for job in jobs], keep_solution=False
            ):
                announce("failed" if result.summary.error else "done", result.summary)
                done.append(result.summary)
    except Interrupted:
        # What was solved is kept: the comparison shows it, the rest is marked interrupted.
        if done:
            finished = {s.name for s in done}
            unsolved = [
                failed_summary(job.name, job.description, INTERRUPTED)
                for job in jobs
                if job.name not in finished
            ]
            _compare(comparison, [*done, *failed, *unsolved], [BASE, *overlays])
        raise
    summaries = _compare(comparison, [*done, *failed], [BASE, *overlays])
    return WhatIfResult(summaries, comparison, time.perf_counter() - started, problems)


INTERRUPTED = "interrupted before it was solved"


def _compare(
    path: Path, summaries: Iterable[ScenarioSummary], names: Sequence[str]
) -> tuple[ScenarioSummary, ...]:
    """Write the comparison workbook of ``summaries`` in the order of ``names``."""
    order = {name: i for i, name in enumerate(names)}
    ordered = tuple(sorted(summaries, key=lambda s: order[s.name]))
    write_comparison_workbook(path, ordered, BASE)
    return ordered


@dataclass(frozen=True)
class _Limits:
    """Solver limits from the command line (None = the workbook's settings)."""

    time_limit_s: float | None
    mip_gap_pct: float | None


def _overlays(
    base: LoadedScenario, overlay_path: Path | None, names: Sequence[str], shortcuts: Sequence[str]
) -> tuple[dict[str, Overlay], dict[str, tuple[Issue, ...]]]:
    """The scenarios asked for, and the input problems of each (bad ones fail alone)."""
    overlays, problems = read_overlays_by_scenario(base, overlay_path)
    if shortcuts:
        command_line = shortcut_overlay(COMMAND_LINE, shortcuts)
        overlays[COMMAND_LINE] = command_line
        try:
            apply_overlay(base, command_line)
        except InputError as error:
            problems[COMMAND_LINE] = error.issues
    if names:
        unknown = [n for n in names if n not in overlays and n != BASE]
        if unknown:
            raise InputError(
                [
                    Issue(
                        "command line",
                        None,
                        "scenario",
                        n,
                        f"no scenario named {n!r}: the scenarios are {listed(overlays) or 'none'}",
                    )
                    for n in unknown
                ]
            )
        overlays = {n: overlays[n] for n in overlays if n in names or n == COMMAND_LINE}
    return overlays, {n: p for n, p in problems.items() if n in overlays}


def _scenario_jobs(
    base: LoadedScenario,
    overlays: Mapping[str, Overlay],
    problems: Mapping[str, tuple[Issue, ...]],
    provenance: InputProvenance,
    outputs: Mapping[str, Path],
    limits: _Limits,
) -> tuple[list[WhatIfJob], list[ScenarioSummary]]:
    """A job per valid scenario, and a failed summary per scenario with input problems."""
    jobs: list[WhatIfJob] = []
    failed: list[ScenarioSummary] = []
    for name, overlay in overlays.items():
        if name in problems:
            failed.append(failed_summary(name, overlay.description, _rendered(problems[name])))
            continue
        overlaid = apply_overlay(base, overlay)
        jobs.append(
            WhatIfJob(
                name,
                overlay.description,
                overlaid.scenario,
                overlay.differences(base),
                replace(provenance, overrides=overlay.describe()),
                outputs[name],
                limits.time_limit_s,
                limits.mip_gap_pct,
            )
        )
    return jobs, failed


def _rendered(issues: Iterable[Issue]) -> str:
    return "\n".join(str(issue) for issue in issues)
