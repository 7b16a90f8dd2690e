"""Solve the model with HiGHS: standard-form hand-off, a starting plan, live progress, a watchdog.

The model goes to HiGHS through Pyomo's ``LinearStandardFormCompiler`` and ``highspy.passModel``
(the fastest Pyomo hand-off, see the performance notes), which also gives access to HiGHS
callbacks for progress and to ``setSolution`` for the starting plan. HiGHS can overshoot its own
time limit during root processing, so an interrupt callback also stops it at the deadline.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from models.build import build_model
from models.data import ModelData
from models.extract import SolveOutcome, empty_plan, extract_plan
from models.results import Plan, SolveOptions, SolveProgress, SolveStatus
from models.sets import index_model_data
from models.start import (
    MatrixView,
    reoptimised_columns,
    repaired_start,
    set_trivial_plan,
    trivial_start,
    warm_start_proposal,
)

PROGRESS_INTERVAL_S = 1.0
"""Longest wait between two progress reports while HiGHS searches."""

REOPTIMISE_SAFETY_SHARE = 0.25
"""Share of the time limit after which re-optimising what a repair lost is abandoned. A safety
net only: re-optimising stops at its root node, which takes seconds on the Mali mission, so that
its outcome depends on the data alone, never on the machine's load."""

ROUNDING_TOLERANCE = 1e-6
"""Relative objective difference below which two plans count as equally good."""

NO_START = "none"
"""``Plan.start`` of a solve given no starting plan."""


@dataclass
class _Clock:
    """Wall time since the solve started, stage timings and progress reports."""

    options: SolveOptions
    started: float
    timings: dict[str, float]
    stage_started: float

    @classmethod
    def start(cls, options: SolveOptions) -> _Clock:
        now = time.perf_counter()
        return cls(options, now, {}, now)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def begin(self, stage: str) -> None:
        self.stage_started = time.perf_counter()
        self.report(SolveProgress(stage=stage, elapsed_s=self.elapsed()))

    def end(self, stage: str) -> None:
        self.timings[stage] = time.perf_counter() - self.stage_started

    def report(self, progress: SolveProgress) -> None:
        if self.options.progress is not None:
            self.options.progress(progress)


def solve(data: ModelData, options: SolveOptions | None = None) -> Plan:
    """Build the model from ``data``, solve it with HiGHS and return the plan.

    Always returns a ``Plan``: its ``status`` says whether it holds a plan, and ``termination``
    says in plain words why the solver stopped.
    """
    options = options or SolveOptions()
    clock = _Clock.start(options)

    clock.begin("build")
    index = index_model_data(data)
    m = build_model(data, index)
    clock.end("build")

    clock.begin("transfer")
    try:
        view = _standard_form(m)
    except InfeasibleConstraintException as error:
        clock.end("transfer")
        return empty_plan(
            SolveOutcome(
                SolveStatus.infeasible, f"the fixed decisions break a constraint: {error}"
            ),
            clock.timings,
        )
    highs = _highs_model(view, options)
    clock.end("transfer")

    clock.begin("solve")
    deadline = time.perf_counter() + options.time_limit_s
    set_trivial_plan(m, data)
    trivial = trivial_start(view)
    start, start_note = _warm_start(view, data, options, deadline, trivial)
    if start is not None:
        highs.setSolution(_full_solution(start))
    _subscribe_progress(highs, clock, deadline)
    highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.0))
    highs.run()
    outcome = _outcome(highs, options, is_mip=bool(view.is_integer.any()))
    values = np.asarray(highs.getSolution().col_value, dtype=float)
    if outcome.status is SolveStatus.no_solution:
        outcome, values = _fallback_to_trivial(view, outcome, trivial), trivial
    clock.end("solve")

    clock.begin("extract")
    size = _model_size(view)
    if not outcome.status.has_plan:
        clock.end("extract")
        return replace(empty_plan(outcome, clock.timings, size), start=start_note)
    _load_solution(view, values)
    plan = extract_plan(m, data, index, outcome, clock.timings, size)
    clock.end("extract")
    return replace(plan, timings_s=dict(clock.timings), start=start_note)


def _standard_form(m: pyo.ConcreteModel) -> MatrixView:
    form = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=pyo.minimize)
    sense = np.array([row.bound_type for row in form.rows], dtype=int)
    rhs = np.asarray(form.rhs, dtype=float)
    inf = highspy.kHighsInf
    columns = list(form.columns)
    view = MatrixView(
        columns=columns,
        cost=form.c.toarray()[0].astype(float),
        cost_offset=float(form.c_offset[0]),
        A=form.A.tocsc(),
        row_lower=np.where(sense <= 0, rhs, -inf),
        row_upper=np.where(sense >= 0, rhs, inf),
        col_lower=np.array([-inf if v.lb is None else v.lb for v in columns], dtype=float),
        col_upper=np.array([inf if v.ub is None else v.ub for v in columns], dtype=float),
        is_integer=np.array([v.is_integer() for v in columns], dtype=bool),
    )
    return view


def _highs_lp(view: MatrixView, *, integer: bool) -> highspy.HighsLp:
    """The model as HiGHS data, with integrality or as its LP relaxation."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(view.columns), len(view.row_lower)
    lp.col_cost_, lp.offset_ = view.cost, view.cost_offset
    lp.col_lower_, lp.col_upper_ = view.col_lower, view.col_upper
    lp.row_lower_, lp.row_upper_ = view.row_lower, view.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = view.A.indptr
    lp.a_matrix_.index_ = view.A.indices
    lp.a_matrix_.value_ = view.A.data
    if integer:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if is_integer else highspy.HighsVarType.kContinuous
            for is_integer in view.is_integer
        ]
    return lp


def _new_highs(options: SolveOptions, time_limit_s: float) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.silent()
    highs.setOptionValue("time_limit", max(time_limit_s, 0.0))
    highs.setOptionValue("threads", options.threads)
    return highs


def _highs_model(view: MatrixView, options: SolveOptions) -> highspy.Highs:
    highs = _new_highs(options, options.time_limit_s)
    highs.setOptionValue("mip_rel_gap", options.mip_gap)
    highs.passModel(_highs_lp(view, integer=True))
    return highs


def _warm_start(
    view: MatrixView,
    data: ModelData,
    options: SolveOptions,
    deadline: float,
    trivial: np.ndarray,
) -> tuple[np.ndarray | None, str]:
    """The previous plan of ``options.warm_start`` made to fit this model (or None), and what
    became of it in words.

    Its integer decisions are repaired (see ``repaired_start``) and the continuous decisions are
    completed by an LP. With f the objective of this model, x the previous plan and x' the repair:
    if f(x') <= f(x) + mip_gap * |f(x)| (previous decisions that no longer exist priced at 0), x'
    is the start; otherwise the decisions around what the repair lost are re-optimised
    (``_reoptimise``) and the result is the start, or there is none if that did not succeed.
    Measured on the Mali what-ifs, repaired starts within the gap ended the solve at the root, and
    re-optimised ones made most solves faster; unrepaired poor starts, and re-optimised ones still
    more than the gap from the best plan of their neighbourhood, steered HiGHS's sub-MIP
    heuristics towards them and made solves up to 8 times slower than no start. A cold
    solve gets no start either, for the same reason (the trivial plan or a rounded LP relaxation
    made reaching a 1 % gap four to five times slower).

    Every step is bounded by work (an LP, a MIP stopped at its root node), not by time, so a
    scenario gets the same start, and ends at the same plan, on a loaded machine or an idle one.
    """
    if not options.warm_start:
        return None, NO_START
    proposal = warm_start_proposal(view, options.warm_start)
    columns, values = repaired_start(view, trivial, [proposal])
    lower, upper = view.col_lower.copy(), view.col_upper.copy()
    lower[columns], upper[columns] = values, values
    completed = _solve_lp(view, options, deadline, lower, upper)
    if completed is None:
        return None, "previous plan not used: its repair could not be completed in time"
    previous = _objective(view, proposal)
    allowed = previous + max(options.mip_gap, ROUNDING_TOLERANCE) * abs(previous)
    start = _objective(view, completed)
    if start <= allowed:
        return completed, f"previous plan, repaired to fit (objective {start:,.1f})"
    improved, failure = _reoptimise(view, data, options, deadline, completed, proposal)
    if improved is not None:
        return improved, (
            "previous plan, repaired to fit and re-optimised where the repair lost "
            f"(objective {_objective(view, improved):,.1f})"
        )
    worse_pct = 100.0 * (start - previous) / max(abs(previous), 1e-9)
    return None, (
        f"previous plan not used: repaired to fit, it is {worse_pct:.1f} % worse than before "
        f"(more than the {100 * options.mip_gap:g} % gap), and re-optimising {failure}"
    )


def _reoptimise(
    view: MatrixView,
    data: ModelData,
    options: SolveOptions,
    deadline: float,
    start: np.ndarray,
    previous: np.ndarray,
) -> tuple[np.ndarray | None, str]:
    """``start`` improved by a MIP over the columns of ``reoptimised_columns`` alone, the other
    integer columns fixed at their ``start`` values; or None and why not.

    The MIP starts from ``start`` and stops at its root node. Its plan is used only if HiGHS
    proved it within half the requested gap of the best plan of that neighbourhood there
    (z <= z* + mip_gap/2 * |z|) and it beats ``start``: on the Mali what-ifs, plans still 1-2 %
    from their neighbourhood's best after the root made the full solve slower than no start.
    """
    free = reoptimised_columns(view, data, start, previous)
    if not free.any():
        return None, "had nothing to change"
    fixed = view.is_integer & ~free
    lp = _highs_lp(view, integer=True)
    lower, upper = view.col_lower.copy(), view.col_upper.copy()
    lower[fixed] = upper[fixed] = np.round(start[fixed])
    lp.col_lower_, lp.col_upper_ = lower, upper
    safety = min(REOPTIMISE_SAFETY_SHARE * options.time_limit_s, deadline - time.perf_counter())
    highs = _new_highs(options, safety)
    highs.setOptionValue("mip_rel_gap", options.mip_gap / 2)
    highs.setOptionValue("mip_max_nodes", 1)
    highs.passModel(lp)
    highs.setSolution(_full_solution(start))
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        return None, "was stopped by its time limit"
    if status != highspy.HighsModelStatus.kOptimal:
        return None, (
            f"did not come within {50 * options.mip_gap:g} % of the best such plan at its root node"
        )
    improved = np.asarray(highs.getSolution().col_value, dtype=float)
    if _objective(view, improved) >= _objective(view, start):
        return None, "found nothing better"
    return improved, ""


def _objective(view: MatrixView, values: np.ndarray) -> float:
    return float(view.cost @ values + view.cost_offset)


def _fallback_to_trivial(
    view: MatrixView, outcome: SolveOutcome, trivial: np.ndarray
) -> SolveOutcome:
    """When a limit stops HiGHS before it finds a plan, report the trivial plan, said plainly."""
    objective = _objective(view, trivial)
    bound = outcome.best_bound
    gap = (
        None if bound is None or objective == 0 else 100.0 * abs(objective - bound) / abs(objective)
    )
    return SolveOutcome(
        SolveStatus.feasible,
        f"{outcome.termination}; showing the plan with no convoys (every unit stays, demand not "
        "met from stock falls short): raise the time limit for a real plan",
        objective,
        bound,
        gap,
    )


def _solve_lp(
    view: MatrixView,
    options: SolveOptions,
    deadline: float,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
) -> np.ndarray | None:
    """Column values of the LP with the given column bounds, or None if not solved in time."""
    lp = _highs_lp(view, integer=False)
    lp.col_lower_, lp.col_upper_ = col_lower, col_upper
    highs = _new_highs(options, (deadline - time.perf_counter()) / 4)
    highs.setOptionValue("solver", "ipm")  # faster than simplex on large LPs; crossover stays on
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(highs.getSolution().col_value, dtype=float)


def _full_solution(values: np.ndarray) -> highspy.HighsSolution:
    solution = highspy.HighsSolution()
    solution.col_value = values
    solution.value_valid = True
    return solution


def _subscribe_progress(highs: highspy.Highs, clock: _Clock, deadline: float) -> None:
    """Report incumbent, bound and gap on improving solutions, on HiGHS log lines and at least
    every ``PROGRESS_INTERVAL_S`` while HiGHS works; interrupt it at the deadline."""
    last_report = [time.perf_counter()]

    def report(event: highspy.highs.HighsCallbackEvent) -> None:
        last_report[0] = time.perf_counter()
        out = event.data_out
        clock.report(
            SolveProgress(
                stage="solve",
                elapsed_s=clock.elapsed(),
                incumbent=_finite(out.mip_primal_bound),
                best_bound=_finite(out.mip_dual_bound),
                gap_pct=_gap_pct(out.mip_gap),
            )
        )

    def poll(event: highspy.highs.HighsCallbackEvent) -> None:
        now = time.perf_counter()
        if now > deadline:
            event.interrupt()
        elif now - last_report[0] >= PROGRESS_INTERVAL_S:
            report(event)

    def stop_at_deadline(event: highspy.highs.HighsCallbackEvent) -> None:
        if time.perf_counter() > deadline:
            event.interrupt()

    highs.cbMipImprovingSolution.subscribe(report)
    highs.cbMipLogging.subscribe(report)
    highs.cbMipInterrupt.subscribe(poll)
    highs.cbSimplexInterrupt.subscribe(stop_at_deadline)


def _outcome(highs: highspy.Highs, options: SolveOptions, *, is_mip: bool) -> SolveOutcome:
    """Status, words and numbers of the finished solve (an LP's optimum is its own bound)."""
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_plan = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    objective = info.objective_function_value if has_plan else None
    bound = _finite(info.mip_dual_bound) if is_mip else objective
    gap = (_gap_pct(info.mip_gap) if is_mip else 0.0) if has_plan else None
    requested = f"{options.mip_gap * 100:g} %"
    if status == highspy.HighsModelStatus.kOptimal:
        return SolveOutcome(
            SolveStatus.optimal,
            f"optimal within the requested {requested} gap",
            objective,
            bound,
            gap,
        )
    if status == highspy.HighsModelStatus.kInfeasible:
        return SolveOutcome(SolveStatus.infeasible, "no plan satisfies the hard constraints")
    limit = _LIMIT_WORDS.get(status)
    if limit is None:
        return SolveOutcome(
            SolveStatus.error, f"the solver failed: {highs.modelStatusToString(status)}"
        )
    if has_plan:
        return SolveOutcome(
            SolveStatus.feasible,
            f"{limit} reached with a plan {gap:.2f} % from the best bound",
            objective,
            bound,
            gap,
        )
    return SolveOutcome(
        SolveStatus.no_solution, f"{limit} reached before any plan was found", best_bound=bound
    )


_LIMIT_WORDS = {
    highspy.HighsModelStatus.kTimeLimit: "time limit",
    highspy.HighsModelStatus.kInterrupt: "time limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kSolutionLimit: "solution limit",
}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _gap_pct(gap: float) -> float | None:
    return 100.0 * gap if math.isfinite(gap) else None


def _model_size(view: MatrixView) -> dict[str, int]:
    return {
        "variables": len(view.columns),
        "integer_variables": int(view.is_integer.sum()),
        "constraints": len(view.row_lower),
        "nonzeros": int(view.A.nnz),
    }


def _load_solution(view: MatrixView, values: np.ndarray) -> None:
    """Write the solver's column values into the Pyomo variables, integers rounded."""
    values = np.where(view.is_integer, np.round(values), values)
    for var, value in zip(view.columns, values, strict=True):
        var.set_value(float(value), skip_validation=True)
