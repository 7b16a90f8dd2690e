"""The Python API: the same steps as the command line, for analysts.

>>> from logistics import api
>>> scenario = api.load_scenario("inputs/tiny.xlsx")          # read + validate
>>> data = api.compile_scenario(scenario)                      # plain sets and parameters
>>> plan = api.solve(data, api.solve_options(scenario.settings))
>>> run = api.plan_workbook("inputs/tiny.xlsx", "outputs/tiny-plan.xlsx")  # all of it, timed

Each step returns a new frozen object; nothing is modified in place.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from logistics import __version__
from logistics.compile import compile_scenario
from logistics.drawing import companion_paths, plan_images, write_plan_companions
from logistics.errors import Issue, OutputError, PlanNotWrittenError
from logistics.io.atomic import check_writable
from logistics.io.reader import LoadedScenario, load, load_scenario
from logistics.machine import DEFAULT_THREADS
from logistics.report.plan_workbook import PlanAnnex, write_plan_workbook
from logistics.report.run_sheet import RunInfo
from logistics.rules.schemas import Scenario, Settings
from models import ModelData, Plan, SolveOptions, solve
from models.results import ProgressCallback

__all__ = [
    "InputProvenance",
    "PlanRun",
    "check_outputs",
    "compile_scenario",
    "default_output_path",
    "load_scenario",
    "plan_outputs",
    "plan_workbook",
    "solve",
    "solve_and_write",
    "solve_options",
    "solve_scenario",
]

StageCallback = Callable[[str], None]
"""Told the name of each stage as it starts: read, compile, solve, write."""


@dataclass(frozen=True)
class PlanRun:
    """Everything one planning run produced."""

    scenario: Scenario
    data: ModelData
    plan: Plan
    run: RunInfo
    """Provenance and per-stage timings (also on the workbook's Run sheet)."""
    output: Path | None
    """Where the plan workbook was written, if it was."""
    warnings: tuple[Issue, ...] = ()
    """Suspicious but usable inputs found while validating (also on the Run sheet)."""
    drawings: tuple[Path, ...] = ()
    """The map, timeline, GeoJSON and KML written beside the plan workbook, if they were."""

    @property
    def total_wall_s(self) -> float:
        """Wall time of every stage together."""
        return sum(self.run.timings_s.values())


def solve_options(
    settings: Settings,
    *,
    time_limit_s: float | None = None,
    mip_gap_pct: float | None = None,
    threads: int = 1,
    random_seed: int = 0,
    progress: ProgressCallback | None = None,
    warm_start: Mapping[str, float] | None = None,
    stop: Callable[[], bool] | None = None,
) -> SolveOptions:
    """Solver options from the workbook's settings, with command-line style overrides.

    ``warm_start`` is a previous plan's ``Plan.solution`` to start from (see ``models.solve``);
    ``stop``, asked at every tick of the search, ends it early keeping the best plan found.
    """
    return SolveOptions(
        time_limit_s=settings.time_limit_s if time_limit_s is None else time_limit_s,
        mip_gap=(settings.mip_gap_pct if mip_gap_pct is None else mip_gap_pct) / 100.0,
        threads=threads,
        random_seed=random_seed,
        progress=progress,
        warm_start=warm_start,
        stop=stop,
    )


def solve_scenario(scenario: Scenario, options: SolveOptions) -> tuple[ModelData, Plan]:
    """Compile and solve a validated scenario."""
    data = compile_scenario(scenario)
    return data, solve(data, options)


def default_output_path(input_path: Path, output_dir: Path = Path("outputs")) -> Path:
    """``outputs/<input name>-plan.xlsx``."""
    return output_dir / f"{input_path.stem}-plan.xlsx"


def plan_outputs(workbook: Path, drawings: bool = True) -> list[Path]:
    """The files a plan writes: its workbook and, with ``drawings``, the map, timeline, GeoJSON
    and KML beside it (``logistics.drawing.companion_paths``)."""
    return [workbook, *(companion_paths(workbook) if drawings else ())]


def check_output_location(path: Path) -> None:
    """Raise ``OSError`` unless a plan workbook can be written at ``path``.

    Called before the solve, so that a long solve never ends in "cannot write": ``path`` must not
    be a folder, and its folder must exist as a writable folder or be creatable in one.
    """
    if path.is_dir():
        raise IsADirectoryError(
            errno.EISDIR, "this is a folder: give the plan workbook's file name", str(path)
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "the file cannot be overwritten", str(path))
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(
            errno.ENOTDIR, f"{folder} is a file, not a folder: choose another output", str(path)
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "the folder is not writable", str(path))


@dataclass(frozen=True)
class InputProvenance:
    """Which file a scenario came from, which what-if changes were applied to it, and the
    warnings its validation gave (each as one readable line)."""

    file_name: str
    sha256: str
    overrides: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        loaded: LoadedScenario,
        overrides: tuple[str, ...] = (),
        warnings: tuple[Issue, ...] = (),
    ) -> InputProvenance:
        """Name and SHA-256 of the workbook ``loaded`` was read from (the hash of the very bytes
        that were checked and parsed, not of the file as it may be now), with the warnings found
        in it."""
        name = loaded.path.name if loaded.path else loaded.locations.file
        return cls(name, loaded.sha256 or "", overrides, tuple(w.describe() for w in warnings))


def check_outputs(outputs: Iterable[Path], inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work is done, outputs that would overwrite an input file or that
    cannot be written; raise ``OutputError`` naming the output.

    An output is the input when both name the same file once symbolic links, ``./`` and (on a
    case-insensitive file system) case are resolved; the file system itself answers that. An
    output can be written when ``check_output_location`` finds nothing wrong with the path and
    the temporary file of an atomic write can be created beside it.
    """
    sources = [Path(source) for source in inputs]
    for output in map(Path, outputs):
        for source in sources:
            if _same_file(output, source):
                raise OutputError(
                    f"{output} is the input workbook {source}: writing there would destroy it. "
                    "Give another output path (the plan is a new workbook, never a re-save of the "
                    "input)"
                )
        try:
            check_output_location(output)
            check_writable(output)
        except OSError as error:
            raise OutputError(
                f"{output} cannot be written: {error.strerror or error} "
                f"(in {output.parent.resolve()}); choose a folder you can write to"
            ) from None


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one existing file (links and case resolved by the file system)."""
    try:
        return first.samefile(second)
    except OSError:
        return False


def plan_workbook(
    input_path: Path | str,
    output_path: Path | str | None = None,
    *,
    time_limit_s: float | None = None,
    mip_gap_pct: float | None = None,
    threads: int = DEFAULT_THREADS,
    random_seed: int = 0,
    progress: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
    strict: bool = False,
    drawings: bool = True,
) -> PlanRun:
    """Read, validate, compile, solve and write the plan workbook, timing every stage.

    Raises ``InputError`` (nothing is written) when the workbook has problems (with ``strict``,
    also when it has warnings), and ``OSError`` before the solve when the plan cannot be written
    at ``output_path``. With ``output_path`` None, no workbook is written. The warnings are
    listed on the plan's Run sheet. With ``drawings``, the map, timeline, GeoJSON and KML are
    written beside the workbook (see ``plan_outputs``).
    """
    source = Path(input_path)
    output = None if output_path is None else Path(output_path)
    if output is not None:
        check_outputs(plan_outputs(output, drawings), [source])
    timings: dict[str, float] = {}
    with _Stages(timings, on_stage)("read"):
        loaded = load(source, strict=strict)
    scenario = loaded.scenario
    options = solve_options(
        scenario.settings,
        time_limit_s=time_limit_s,
        mip_gap_pct=mip_gap_pct,
        threads=threads,
        random_seed=random_seed,
        progress=progress,
    )
    provenance = InputProvenance.of(loaded, warnings=loaded.warnings)
    run = solve_and_write(
        scenario, options, output, provenance, timings, on_stage, drawings=drawings
    )
    return replace(run, warnings=loaded.warnings)


def solve_and_write(
    scenario: Scenario,
    options: SolveOptions,
    output: Path | None,
    provenance: InputProvenance,
    timings: dict[str, float] | None = None,
    on_stage: StageCallback | None = None,
    *,
    drawings: bool = True,
    prepare: Callable[[ModelData], ModelData] | None = None,
    annex: Callable[[ModelData, Plan], PlanAnnex] | None = None,
    warm_start: Callable[[ModelData], Mapping[str, float] | None] | None = None,
) -> PlanRun:
    """Compile, solve and (with ``output``) write the plan workbook of a validated scenario,
    and with ``drawings`` the map, timeline, GeoJSON and KML beside it.

    ``prepare`` adds to the compiled data what the workbook does not hold (a re-plan's
    commitments); ``warm_start`` gives a starting plan for the data (a re-plan's published
    plan), replacing ``options.warm_start``; ``annex`` makes the sheets and Brief blocks the plan
    carries beyond every plan's (a re-plan's changes).

    ``timings`` may already hold earlier stages (reading); the model's own stages (build,
    transfer, solve, extract) and compile, write and draw are added. The output locations are
    checked before anything is solved. A plan whose drawings cannot be written raises
    ``PlanNotWrittenError`` naming the drawing; its workbook is written by then.
    """
    if output is not None:
        check_outputs(plan_outputs(output, drawings))
    started_at = dt.datetime.now().replace(microsecond=0)
    timings = {} if timings is None else timings
    stage = _Stages(timings, on_stage)
    with stage("compile"):
        data = compile_scenario(scenario)
        if prepare is not None:
            data = prepare(data)
        if warm_start is not None:
            options = replace(options, warm_start=warm_start(data))
    with stage("solve"):
        plan = solve(data, options)
    timings.pop("solve")
    timings.update(plan.timings_s)
    run = RunInfo(
        tool_version=__version__,
        input_file=provenance.file_name,
        input_sha256=provenance.sha256,
        solver="HiGHS",
        solver_version=version("highspy"),
        started_at=started_at,
        solver_options={
            "time_limit_s": options.time_limit_s,
            "mip_rel_gap": options.mip_gap,
            "threads": options.threads,
            "random_seed": options.random_seed,
            "starting_plan": plan.start,
        },
        timings_s=dict(timings),
        overrides=provenance.overrides,
        warnings=provenance.warnings,
    )
    done = PlanRun(scenario=scenario, data=data, plan=plan, run=run, output=output)
    if output is None:
        return done
    extra = annex(data, plan) if annex is not None else None
    try:
        with stage("write"):
            write_plan_workbook(output, scenario, plan, run, plan_images(scenario, plan), extra)
    # A finished solve must never be lost to a failing export: whatever the export raises, the
    # caller gets the plan with the reason it could not be written.
    except Exception as error:
        raise PlanNotWrittenError(replace(done, output=None), output, error) from error
    written = replace(done, run=replace(run, timings_s=dict(timings)))
    if not drawings:
        return written
    try:
        with stage("draw"):
            paths = write_plan_companions(output, scenario, plan)
    except Exception as error:
        drawing = getattr(error, "filename", None) or companion_paths(output)[0]
        raise PlanNotWrittenError(written, drawing, error) from error
    return replace(written, run=replace(run, timings_s=dict(timings)), drawings=tuple(paths))


class _Stages:
    """Context manager factory that times named stages and announces them."""

    def __init__(self, timings: dict[str, float], on_stage: StageCallback | None) -> None:
        self._timings = timings
        self._on_stage = on_stage

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if self._on_stage is not None:
            self._on_stage(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self._timings[name] = time.perf_counter() - start
