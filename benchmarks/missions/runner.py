"""Solve suite members one after the other and measure the search: one table row per member.

Per run: the model's size, the root gap, the first times the plan is proven within 5 % and 1 %,
the proven gap at 60 s and at 300 s (read from the gap trace of the one run, never from a second
solve), the total shortfall against the total demand, and the verdict of the independent plan
checker (``tests/models/plan_checker.py``). Per member the times and gaps are the median and the
worst over the seeds.

The solver interface of ``models`` it reads: ``SolveOptions(random_seed=...)``,
``Plan.root_gap_pct``, ``Plan.first_within_5pct_s``, ``Plan.first_within_1pct_s`` and
``Plan.gap_trace`` ((elapsed s, proven gap % of the whole plan) each time the gap improved).
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.missions.suite import Member
from logistics.compile import compile_scenario
from models import ModelData, Plan, SolveOptions, solve
from tests.models.plan_checker import check_plan

CHECKPOINTS_S = (60.0, 300.0)
"""Times at which the proven gap is read off the trace."""

Trace = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class RunFigures:
    """What one solve of one member with one seed showed."""

    variables: int | None
    integers: int | None
    root_gap_pct: float | None
    to_5pct_s: float | None
    to_1pct_s: float | None
    gap_at_pct: dict[float, float | None]
    """Proven gap at each of ``CHECKPOINTS_S`` (None before the first proven gap, or past the
    run's time limit)."""
    shortfall: float
    demand: float
    checker: str


def run_member(
    member: Member, seed: int, time_limit_s: float, gap_pct: float, threads: int
) -> RunFigures:
    """Build, compile and solve the member once, and read the figures off its plan."""
    data = compile_scenario(member.build())
    options = SolveOptions(
        time_limit_s=time_limit_s, mip_gap=gap_pct / 100.0, threads=threads, random_seed=seed
    )
    return figures(data, solve(data, options), time_limit_s)


def figures(data: ModelData, plan: Plan, time_limit_s: float) -> RunFigures:
    """The figures of one solved plan."""
    stock = plan.tables["stock"]
    return RunFigures(
        variables=plan.model_size.get("variables"),
        integers=plan.model_size.get("integer_variables"),
        root_gap_pct=plan.root_gap_pct,
        to_5pct_s=plan.first_within_5pct_s,
        to_1pct_s=plan.first_within_1pct_s,
        gap_at_pct={
            t: gap_at(plan.gap_trace, t) if t <= time_limit_s + 1e-9 else None
            for t in CHECKPOINTS_S
        },
        shortfall=float(stock["shortfall"].sum()) if not stock.empty else math.nan,
        demand=float(stock["demand"].sum()) if not stock.empty else math.nan,
        checker=checker_verdict(data, plan),
    )


def gap_at(trace: Trace, at_s: float) -> float | None:
    """Proven gap at ``at_s``: the last trace entry up to then; None when there is none."""
    before = [gap for t, gap in trace if t <= at_s]
    return before[-1] if before else None


def checker_verdict(data: ModelData, plan: Plan) -> str:
    """'pass', 'no plan', or the first problem the independent plan checker finds."""
    if not plan.status.has_plan:
        return "no plan"
    try:
        check_plan(data, plan)
    except AssertionError as problem:
        lines = [line.strip() for line in str(problem).splitlines() if line.strip()]
        return (lines[1] if len(lines) > 1 else lines[0] if lines else "fails")[:60]
    return "pass"


# --------------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------------

COLUMNS = (
    ("member", 24),
    ("vars", 7),
    ("ints", 6),
    ("root gap %", 11),
    ("to 5 % s", 13),
    ("to 1 % s", 13),
    ("gap@60s %", 13),
    ("gap@300s %", 13),
    ("shortfall / demand", 20),
    ("checker", 0),
)
"""Header and width of each column; pairs are "median/worst" over the seeds."""


def header() -> str:
    """The table's header line."""
    return " ".join(f"{name:<{width}}" if width else name for name, width in COLUMNS)


def row(name: str, runs: Sequence[RunFigures]) -> str:
    """One member's line: median/worst over its runs."""
    first = runs[0]
    cells = (
        name,
        _int(first.variables),
        _int(first.integers),
        _pair([r.root_gap_pct for r in runs]),
        _pair([r.to_5pct_s for r in runs]),
        _pair([r.to_1pct_s for r in runs]),
        *(_pair([r.gap_at_pct[t] for r in runs]) for t in CHECKPOINTS_S),
        _shortfall(runs),
        next((r.checker for r in runs if r.checker != "pass"), "pass"),
    )
    return " ".join(
        f"{cell:<{width}}" if width else cell
        for cell, (_, width) in zip(cells, COLUMNS, strict=True)
    )


def footer() -> str:
    """What the cells mean."""
    return (
        "pairs are median/worst over the seeds; '-' = not reached (no plan, or past the limit); "
        "with no plan, the shortfall is the mission's with no deliveries"
    )


def _int(value: int | None) -> str:
    return "-" if value is None else str(value)


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}"


def _pair(values: Sequence[float | None]) -> str:
    """median/worst, None (never reached, no plan) counting as the worst of all."""
    ordered = sorted(math.inf if v is None else v for v in values)
    median, worst = (
        None if v == math.inf else v for v in (statistics.median_low(ordered), ordered[-1])
    )
    return _number(median) if len(values) == 1 else f"{_number(median)}/{_number(worst)}"


def _shortfall(runs: Sequence[RunFigures]) -> str:
    median = statistics.median(r.shortfall for r in runs)
    return f"{_number(median)} / {_number(runs[0].demand)}"


def print_flush(text: str, *, err: bool = False) -> None:
    """Print and flush (rows appear as members finish)."""
    print(text, file=sys.stderr if err else sys.stdout, flush=True)
