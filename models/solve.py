"""Solve the model with HiGHS: standard-form hand-off, a starting plan, live progress, a watchdog.

The model goes to HiGHS through Pyomo's ``LinearStandardFormCompiler`` and ``highspy.passModel``
(the fastest Pyomo hand-off, see the performance notes), which also gives access to HiGHS
callbacks for progress and to ``setSolution`` for the starting plan. HiGHS can overshoot its own
time limit during root processing, so an interrupt callback also stops it at the deadline.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np
import numpy.typing as npt
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from models.build import build_model
from models.data import ModelData
from models.extract import SolveOutcome, empty_plan, extract_plan
from models.neighbourhoods import plan_neighbourhoods
from models.race import (
    ColumnCap,
    Neighbourhood,
    RaceResult,
    RaceSnapshot,
    RaceSpec,
    RowBlock,
    cross_over,
    race,
    relative_gap,
)
from models.results import (
    MILESTONES_PCT,
    Plan,
    SearchRecord,
    SolveOptions,
    SolveProgress,
    SolveStatus,
    TierOutcome,
)
from models.sets import ModelIndex, index_model_data
from models.start import (
    MatrixView,
    added_convoy_columns,
    published_columns,
    reoptimised_columns,
    repaired_start,
    set_trivial_plan,
    trivial_start,
    warm_start_proposal,
)
from models.tiers import WEIGHTED, Tier, objective_tier_vectors

KEEP_TIME_SHARE = 0.5
"""Share of a re-plan's time for the search that keeps the published plan (``_keep_then_replan``):
the rest is left for searching everything when keeping it falls short."""

FEASIBLE_POINT = 2
"""HiGHS's ``primal_solution_status`` when it holds a plan (``kSolutionStatusFeasible``)."""

REOPTIMISE_SAFETY_SHARE = 0.25
"""Share of the time limit after which re-optimising what a repair lost is abandoned. A safety
net only: re-optimising stops at its root node, which takes seconds on the Mali mission, so that
its outcome depends on the data alone, never on the machine's load."""

ROUNDING_TOLERANCE = 1e-6
"""Relative objective difference below which two plans count as equally good."""

NO_START = "none"
"""``Plan.start`` of a solve given no starting plan."""

WARM_UP_TIME_SHARE = 0.5
"""Share of the time limit the weighted warm-up may use. The warm-up must find the plan the tiers
improve on; the tiers, started from a plan within 5 %, mostly end at their root node. With a
seventh of the time, as first measured on Mali, missions of 20,000 columns gave the tiers the
plan with no deliveries to start from; with 0.3, even with the improver building plans during the
warm-up, South Sudan's tiers started from worse plans and ended further from their bounds in every
seed (``models/README.md``, Speed). Each tier then gets an equal share of the time left (a
stage that finishes early leaves its time to the next, and the last has all that is left)."""

CROSSOVER_TIME_SHARE = 0.5
"""Most of the next tier's share of the time that the crossover before it may use
(``_crossed``): it usually ends at its root node well before (1-12 s on the suite's 28-day
missions), but on a large mission whose time is nearly spent it must leave the next tier time
to search."""

WARM_UP_GAP = 0.05
"""Relative gap at which the weighted warm-up stops: it only gives the tiers a plan good for all
of them (measured on Mali: from its first 4 % plan, every tier but one ends at its root)."""

FLOOR_TOLERANCE = 1e-7
"""A tier whose value is within this of 0 is at its floor: nothing of it is left (see
``_tier_lock``)."""

PRIMAL_SIMPLEX = 4
"""HiGHS ``simplex_strategy`` of the polish's LPs: each LP changes only the objective (and adds
a row the current plan satisfies), so the last basis stays primal feasible and the primal
simplex goes on from it. Measured on Somalia (28 days): the four LPs took 35 s with HiGHS's
default dual simplex, 1.8 s with the primal simplex, to the same values."""

LOCK_TOLERANCE = 1e-12
"""Slack of the row that keeps a tier at its value while the continuous decisions are polished,
relative to that value (plus 1e-9): floating-point noise only. In the search itself a tier is
kept within the requested gap of the value it reached (the tolerance it was proven to), and
never closer than its ``absolute_gap``."""


@dataclass
class _Deadline:
    """The deadline of the whole solve."""

    final: float

    def for_tier(self, position: int, count: int, *, warm_up: bool = False) -> float:
        """The time limit of stage ``position`` of ``count``: its share of the time left."""
        left = max(self.final - time.perf_counter(), 0.0)
        if warm_up:
            return left * WARM_UP_TIME_SHARE
        return left / (count - position)


@dataclass(frozen=True)
class TierSearch:
    """What the tier-by-tier search found: the column values (None if no plan) and each tier's
    outcome."""

    values: np.ndarray | None
    tiers: tuple[TierOutcome, ...]
    record: SearchRecord


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
    lp = _highs_lp(view, integer=True)
    clock.end("transfer")

    clock.begin("solve")
    deadline = _Deadline(time.perf_counter() + options.time_limit_s)
    set_trivial_plan(m, data)
    trivial = trivial_start(view)
    start, start_note = _warm_start(view, data, options, deadline.final, trivial)
    tiers = objective_tier_vectors(m, data, view)
    search = functools.partial(
        _lexicographic,
        tiers=tiers,
        options=options,
        clock=clock,
        is_mip=bool(view.is_integer.any()),
        warm_up=Tier(WEIGHTED, view.cost, view.cost_offset) if len(tiers) > 1 else None,
        fallback=trivial,
        neighbourhoods=plan_neighbourhoods(view, data.horizon_days),
    )
    if data.commitments.stable and data.weights.stability > 0 and start is not None:
        found_plan = _keep_then_replan(search, tiers, lp, view, data, deadline, start)
    else:
        found_plan = search(lp, deadline=deadline, start=start)
    found = trivial if found_plan.values is None else found_plan.values
    values = _polish(view, tiers, options, _settle_end_choices(m, data, index, view, found))
    if found_plan.values is not None:
        polished = _polished_outcomes(tiers, found_plan.tiers, values, options.mip_gap)
        found_plan = replace(found_plan, tiers=polished)
    if found_plan.values is None:
        outcome = _no_plan_found(view, found_plan, trivial)
    else:
        outcome = _combined_outcome(view, tiers, found_plan, options, values)
    clock.end("solve")

    clock.begin("extract")
    size = _model_size(view)
    if found_plan.values is None and outcome.status is not SolveStatus.no_solution:
        clock.end("extract")
        return replace(empty_plan(outcome, clock.timings, size), start=start_note)
    _load_solution(view, values)
    plan = extract_plan(m, data, index, outcome, clock.timings, size)
    clock.end("extract")
    return replace(
        plan,
        timings_s=dict(clock.timings),
        start=start_note,
        tiers=found_plan.tiers,
        search=found_plan.record,
    )


def _keep_then_replan(
    search: Callable[..., TierSearch],
    tiers: Sequence[Tier],
    lp: highspy.HighsLp,
    view: MatrixView,
    data: ModelData,
    deadline: _Deadline,
    start: np.ndarray,
) -> TierSearch:
    """A re-plan's search: the published plan kept, and changed only if keeping it falls short.

    The first search keeps every published departure the start runs and every unit at its
    published base (``published_columns``) and plans only what is new: convoys added for the new
    days or for what the reports changed, priced by the stability term like any change. If that
    plan meets every tier ranked above the changes (unmet demand and garrison: ``_falls_short``),
    it is the re-plan; its gaps hold among plans that keep the published plan, so its distance
    from the best plan of all is unknown and said so (``_kept_outcomes``). Otherwise everything
    is searched again, from that plan, in the time left. Searching everything from the start
    wandered: on Mali on its own figures, 300 s ended with 7 to 13 changes and plans worse than
    the published plan kept and extended (``models/README.md``, Re-planning).
    """
    kept = _highs_lp(view, integer=True, fixed=published_columns(view, data, start), at=start)
    left = max(deadline.final - time.perf_counter(), 0.0)
    first = search(
        kept,
        deadline=_Deadline(time.perf_counter() + KEEP_TIME_SHARE * left),
        start=start,
        label="published plan kept",
    )
    if first.values is not None and not _falls_short(tiers, first.values):
        return _kept_outcomes(first)
    second = search(lp, deadline=deadline, start=start if first.values is None else first.values)
    reproducible = first.record.reproducible and second.record.reproducible
    return replace(second, record=replace(second.record, reproducible=reproducible))


def _falls_short(tiers: Sequence[Tier], values: np.ndarray) -> bool:
    """Whether the plan leaves something in a tier ranked above a re-plan's changes (the tiers
    before the first that weighs them, ``Tier.held``): unmet demand or a garrison gap. Under
    the ``weights`` policy no tier ranks above the changes (every term trades at its weight), so
    anything left counts and everything is searched."""
    for tier in tiers:
        if tier.held is not tier:
            return False
        if tier.value(values) > max(FLOOR_TOLERANCE, tier.absolute_gap):
            return True
    return False


KEPT_WORDS = (
    "; the published plan's departures and units were kept, so this holds among plans that "
    "keep them (plans that change them were not searched: keeping it met every need)"
)


def _kept_outcomes(search: TierSearch) -> TierSearch:
    """The first search of ``_keep_then_replan`` as the re-plan: a tier at its floor (nothing
    of it left) is proven for any plan; the others' bounds hold only among plans that keep the
    published plan, so their gap is unknown and the words say why."""
    outcomes = tuple(
        t
        if t.value is not None and abs(t.value) <= FLOOR_TOLERANCE
        else replace(
            t,
            status=SolveStatus.feasible if t.status is SolveStatus.optimal else t.status,
            termination=t.termination + KEPT_WORDS,
            best_bound=None,
            gap_pct=None,
        )
        for t in search.tiers
    )
    record = replace(search.record, within_5pct_s=None, within_1pct_s=None, gap_trace=())
    return replace(search, tiers=outcomes, record=replace(record, root_gap_pct=None))


def _lexicographic(
    lp: highspy.HighsLp,
    tiers: list[Tier],
    options: SolveOptions,
    deadline: _Deadline,
    start: np.ndarray | None,
    clock: _Clock,
    *,
    is_mip: bool,
    warm_up: Tier | None = None,
    fallback: np.ndarray | None = None,
    neighbourhoods: Sequence[Neighbourhood] = (),
    label: str = "solve",
) -> TierSearch:
    """Optimise the tiers in order, each within the requested gap, on the model ``lp``.

    Tier i minimises its own cost vector c_i, started from the previous tier's plan; once solved,
    the row h_i x <= (1 + gap) h_i x_i, with h_i its held part (``Tier.held``: c_i but for a
    re-plan's changes), keeps every later tier from worsening it by more than the
    requested gap, the tolerance it was solved to (and by at least its ``absolute_gap``, below
    which differences are noise). The polish then restores each tier exactly, for the integer
    decisions found. A tier stopped by its share of the time
    keeps the best plan it found; tiers left without time keep the plan as it stands.

    ``warm_up``, when given, is searched first and only gives the first tier its start: a tier
    alone is blind to those below it (a plan without shortfall that moves every unit away from
    its garrison), so the next tier would have to search from a poor plan. The weighted sum of
    every term finds a plan good for all tiers, which the tiers then only improve in order.
    If the warm-up finds no plan in its time, the first tier starts from ``fallback`` (the plan
    with no deliveries, always feasible), so the tiers always end with a plan to improve on.

    Each stage is a race of ``options.threads`` diversified searches (``models.race``); with two
    or more, the last racer improves the best plan neighbourhood by neighbourhood
    (``neighbourhoods``, see ``models.neighbourhoods``). ``label`` names the search in progress
    reports.
    """
    values = start
    stages = ([warm_up] if warm_up is not None else []) + tiers
    outcomes: list[TierOutcome] = []
    locks: list[RowBlock | ColumnCap] = []
    record = _SearchLog(options)
    from_fallback = False
    reference: np.ndarray | None = None
    for position, tier in enumerate(stages):
        if values is not None and deadline.final - time.perf_counter() <= 0:
            outcomes.append(
                TierOutcome(tier.name, SolveStatus.feasible, "not optimised: no time left")
            )
            record.by_time = True
            continue
        if values is not None and options.stop is not None and options.stop():
            outcomes.append(
                TierOutcome(tier.name, SolveStatus.feasible, "not optimised: stopped on request")
            )
            record.by_time = True
            continue
        if values is None and tier is not warm_up and warm_up is not None:
            values, from_fallback = fallback, fallback is not None
        stage = _stage_name(label, tier, len(tiers))
        budget = deadline.for_tier(position, len(stages), warm_up=tier is warm_up)
        gap = max(WARM_UP_GAP, options.mip_gap) if tier is warm_up else options.mip_gap
        proven = _proven_gaps(outcomes)
        on_tick = record.watcher(clock, stage, proven, last=tier is stages[-1])
        outcome, found = _search(
            lp,
            tier,
            locks,
            gap,
            budget,
            values,
            options,
            on_tick,
            is_mip,
            neighbourhoods,
            fallback,
        )
        record.by_time |= outcome.termination.startswith(("time limit", "stopped")) or (
            outcome.status is not SolveStatus.optimal and outcome.status.has_plan
        )
        if tier is not warm_up:
            outcomes.append(outcome)
        if found is None:
            if values is None and tier is not warm_up:
                return TierSearch(None, tuple(outcomes), record.finish())
            continue
        from_fallback = from_fallback and not _improves(tier, found, values, outcome)
        values = found
        if tier is not warm_up and tier is not tiers[-1]:
            held = tier.held
            value = held.value(values)
            locks.append(_tier_lock(lp, held, value, max(gap * abs(value), held.absolute_gap)))
            if reference is not None:
                clock.report(SolveProgress(stage=f"{stage}, crossover", elapsed_s=clock.elapsed()))
                later = stages[position + 1 :]
                share = CROSSOVER_TIME_SHARE * deadline.for_tier(position + 1, len(stages))
                values, stopped = _crossed(lp, locks, later, reference, values, options, share)
                record.by_time |= stopped
        if tier is warm_up:
            reference = values
    if from_fallback:
        return TierSearch(None, tuple(outcomes), record.finish())
    return TierSearch(values, tuple(outcomes), record.finish())


def _crossed(
    lp: highspy.HighsLp,
    locks: Sequence[RowBlock | ColumnCap],
    later: Sequence[Tier],
    reference: np.ndarray,
    values: np.ndarray,
    options: SolveOptions,
    budget_s: float,
) -> tuple[np.ndarray, bool]:
    """The tier's plan ``values`` crossed with the warm-up's plan ``reference`` for the tiers
    still to search (``race.cross_over``), and whether the clock stopped the crossover.

    A tier is searched blind to the tiers below it: on Mali (28 days) the safety and end-stock
    tier's plan cost 64,070 in exposure and cost where the warm-up's cost 44,060, and the last
    tier's share of the time was too short to repair it. With the rows ``locks`` keeping every
    tier searched so far, the crossover minimises the sum r = sum over the later tiers j of
    c_j x over the integer columns where the two plans differ (the others fixed where they
    agree), so the next tier starts from a plan good for the tiers below it as well. It may
    use ``budget_s`` (``CROSSOVER_TIME_SHARE`` of the next tier's share of the time).
    """
    rest_cost = np.sum([tier.cost for tier in later], axis=0)
    spec = RaceSpec(
        lp=lp,
        cost=rest_cost,
        offset=0.0,
        rows=tuple(lock for lock in locks if isinstance(lock, RowBlock)),
        caps=tuple(lock for lock in locks if isinstance(lock, ColumnCap)),
        rel_gap=options.mip_gap,
        abs_gap=min(tier.absolute_gap for tier in later),
        time_limit_s=budget_s,
        start=values,
        racers=1,
        seed=options.random_seed,
    )
    crossed = cross_over(spec, reference, values, time.perf_counter() + budget_s)
    return (values if crossed.values is None else crossed.values), crossed.stopped_by_time


def _improves(
    tier: Tier, found: np.ndarray, start: np.ndarray | None, outcome: TierOutcome
) -> bool:
    """Whether a search from ``start`` found a plan of its own: proven, or better than the start."""
    if start is None or outcome.status is SolveStatus.optimal:
        return True
    before = tier.value(start)
    return tier.value(found) < before - ROUNDING_TOLERANCE * max(1.0, abs(before))


def _search(
    lp: highspy.HighsLp,
    tier: Tier,
    locks: list[RowBlock | ColumnCap],
    gap: float,
    budget_s: float,
    start: np.ndarray | None,
    options: SolveOptions,
    on_tick: Callable[[RaceSnapshot], None],
    is_mip: bool,
    neighbourhoods: Sequence[Neighbourhood] = (),
    fallback: np.ndarray | None = None,
) -> tuple[TierOutcome, np.ndarray | None]:
    """Minimise the tier's objective from ``start`` to the relative ``gap`` within the budget,
    racing diversified searches; its outcome and plan. Without a start, the improving racer
    starts from ``fallback`` (the plan with no deliveries)."""
    spec = RaceSpec(
        lp=lp,
        cost=tier.cost,
        offset=tier.offset,
        rows=tuple(lock for lock in locks if isinstance(lock, RowBlock)),
        caps=tuple(lock for lock in locks if isinstance(lock, ColumnCap)),
        rel_gap=gap,
        abs_gap=tier.absolute_gap,
        time_limit_s=budget_s,
        start=start,
        racers=max(1, options.threads) if is_mip else 1,
        seed=options.random_seed,
        stop=options.stop,
        neighbourhoods=neighbourhoods if is_mip else (),
        improver_start=fallback,
    )
    started = time.perf_counter()
    result = race(spec, started + budget_s, on_tick)
    result = _raised_to_floor(result, tier_floor(tier, lp.col_lower_))
    outcome = _outcome(result, gap, is_mip=is_mip)
    if outcome.objective is not None:
        bound = outcome.best_bound if outcome.best_bound is not None else -math.inf
        nodes = result.trace[-1].nodes if result.trace else 0
        on_tick(RaceSnapshot(time.perf_counter() - started, outcome.objective, bound, nodes))
    return (
        TierOutcome(
            tier.name,
            outcome.status,
            outcome.termination,
            outcome.objective,
            outcome.best_bound,
            outcome.mip_gap_pct,
            time.perf_counter() - started,
        ),
        result.values if outcome.status.has_plan else None,
    )


class _SearchLog:
    """When the plan first came within 5 % and 1 % of the best possible, and its gap over time.

    The gap of the whole plan is known once the last tier is being searched: the largest of the
    gaps the earlier tiers were proven to and the last tier's current gap; it stays unknown when
    an earlier tier has no proven gap (``proven_pct`` None).
    """

    def __init__(self, options: SolveOptions) -> None:
        self.options = options
        self.within: dict[float, float] = {}
        self.trace: list[tuple[float, float]] = []
        self.root_gap_pct: float | None = None
        self.by_time = False

    def watcher(
        self, clock: _Clock, stage: str, proven_pct: list[float] | None, *, last: bool
    ) -> Callable[[RaceSnapshot], None]:
        """The progress callback of one stage's race."""

        def on_tick(snapshot: RaceSnapshot) -> None:
            gap_pct = 100.0 * snapshot.gap if math.isfinite(snapshot.gap) else None
            elapsed = clock.elapsed()
            if last and gap_pct is not None and proven_pct is not None:
                self._note(elapsed, max([gap_pct, *proven_pct]), snapshot)
            clock.report(
                SolveProgress(
                    stage=stage,
                    elapsed_s=elapsed,
                    incumbent=_finite(snapshot.value),
                    best_bound=_finite(snapshot.bound),
                    gap_pct=gap_pct,
                    within_5pct_s=self.within.get(MILESTONES_PCT[0]),
                    within_1pct_s=self.within.get(MILESTONES_PCT[1]),
                )
            )

        return on_tick

    def _note(self, elapsed: float, plan_gap_pct: float, snapshot: RaceSnapshot) -> None:
        if not self.trace or plan_gap_pct < self.trace[-1][1] - 1e-9:
            self.trace.append((round(elapsed, 2), plan_gap_pct))
        if self.root_gap_pct is None and snapshot.nodes > 0:
            self.root_gap_pct = plan_gap_pct
        for milestone in MILESTONES_PCT:
            if plan_gap_pct <= milestone and milestone not in self.within:
                self.within[milestone] = round(elapsed, 2)

    def finish(self) -> SearchRecord:
        return SearchRecord(
            racers=max(1, self.options.threads),
            seed=self.options.random_seed,
            within_5pct_s=self.within.get(MILESTONES_PCT[0]),
            within_1pct_s=self.within.get(MILESTONES_PCT[1]),
            root_gap_pct=self.root_gap_pct,
            gap_trace=tuple(self.trace),
            reproducible=not self.by_time,
        )


def tier_floor(tier: Tier, col_lower: npt.ArrayLike) -> float:
    """The least value the tier can take whatever the constraints: offset + sum of c_j l_j over
    the priced columns when every price c_j is non-negative and every priced column has a finite
    lower bound l_j (deficits, shortfalls, vehicles), else -inf.

    A finite bound the solver proves below it is numerical noise, and against a plan of value
    v > 0 a bound of -1e-9 would read a gap just above 100 %; the tier's bound is raised to the
    floor, so that gap reads 100 %.
    """
    priced = tier.cost != 0
    prices = tier.cost[priced]
    lower = np.asarray(col_lower, dtype=float)[priced]
    if bool(np.any(prices < 0)) or not bool(np.all(np.isfinite(lower))):
        return -math.inf
    return tier.offset + float(prices @ lower)


def _raised_to_floor(result: RaceResult, floor: float) -> RaceResult:
    """The race's result with a finite bound below ``floor`` raised to it (none proven stays
    none)."""
    if -math.inf < result.bound < floor:
        return replace(result, bound=floor)
    return result


def _stage_name(label: str, tier: Tier, count: int) -> str:
    if tier.name == WEIGHTED or count == 1:
        return label
    return f"{label}: {tier.name}"


def _set_cost(highs: highspy.Highs, tier: Tier) -> None:
    columns = np.arange(len(tier.cost), dtype=np.int32)
    highs.changeColsCost(len(columns), columns, tier.cost)
    highs.changeObjectiveOffset(tier.offset)


def _tier_lock(lp: highspy.HighsLp, tier: Tier, value: float, slack: float) -> RowBlock | ColumnCap:
    """What keeps a solved tier within ``slack`` of ``value`` in the searches of later tiers:
    the row c x + offset <= value + slack; or, when the tier is at its floor (every priced column
    is a non-negative amount with a positive price, such as a shortfall, and the tier is 0 up to
    floating-point noise), the bound x_j <= 0 on those columns, which presolve removes instead
    of carrying a dense row (measured on Mali: no shortfall and no garrison gap).
    """
    columns = np.flatnonzero(tier.cost).astype(np.int32)
    prices = tier.cost[columns]
    lower = np.asarray(lp.col_lower_, dtype=float)[columns]
    at_floor = abs(value - tier.offset) <= FLOOR_TOLERANCE and tier.offset == 0
    if at_floor and bool(np.all(prices > 0)) and bool(np.all(lower == 0)):
        return ColumnCap(columns, 0.0)
    return RowBlock(columns, prices, -math.inf, value - tier.offset + slack)


def _lock(highs: highspy.Highs, tier: Tier, value: float, slack: float) -> None:
    """Add the row c x + offset <= value + slack."""
    columns = np.flatnonzero(tier.cost).astype(np.int32)
    upper = value - tier.offset + slack
    highs.addRow(-highspy.kHighsInf, upper, len(columns), columns, tier.cost[columns])


def _polish(
    view: MatrixView, tiers: list[Tier], options: SolveOptions, values: np.ndarray
) -> np.ndarray:
    """The continuous decisions made optimal, tier by tier, with the integer decisions fixed.

    A search stopped within its gap may leave continuous decisions (cargo, demand met, stock)
    that a plan with the same convoys and allocation improves on; in particular, under the
    ``priorities`` policy an optimal continuous part never falls short on a day the store closes
    with stock (see ``models/objective.py``). Each step is an LP solved by the primal simplex
    from the last step's basis (``PRIMAL_SIMPLEX``), so this costs seconds at most and depends
    on nothing but the data.
    """
    lp = _highs_lp(view, integer=False, fixed=view.is_integer, at=values)
    fixed = np.round(values[view.is_integer])
    highs = _new_highs(options, max(options.time_limit_s, 60.0))
    highs.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
    highs.passModel(lp)
    polished = values
    for position, tier in enumerate(tiers):
        _set_cost(highs, tier)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return polished
        polished = np.asarray(highs.getSolution().col_value, dtype=float)
        if position < len(tiers) - 1:
            value = tier.held.value(polished)
            _lock(highs, tier.held, value, LOCK_TOLERANCE * max(1.0, abs(value)) + 1e-9)
    polished[view.is_integer] = fixed
    return polished


def _settle_end_choices(
    m: pyo.ConcreteModel, data: ModelData, index: ModelIndex, view: MatrixView, values: np.ndarray
) -> np.ndarray:
    """``values`` with each ``EndChoice`` on the lesser end target for the plan's allocation.

    Which target is the lesser is a consequence of the allocation, not a decision: with c the
    opening stock and s_k DailyDemand[b,k,H] the safety target for the troops the plan puts
    there, EndChoice = 1 exactly when c <= s_k DailyDemand. A search stopped early may leave it
    on the greater target, and the EndStock sheet would then report a deficit against a target
    the plan does not have; the polish then measures each deficit against the right one.
    """
    if not hasattr(m, "EndChoice") or len(m.EndChoice) == 0:
        return values
    settled = values.copy()
    column_of = {id(var): col for col, var in enumerate(view.columns)}
    _load_solution(view, values)
    last = data.horizon_days
    for (b, k), var in m.EndChoice.items():
        col = column_of.get(id(var))
        if col is None:
            continue
        safety = data.safety_stock_days.get(k, 0.0) * pyo.value(m.DailyDemand[b, k, last])
        settled[col] = 1.0 if index.end_targets[b, k].opening <= safety else 0.0
    return settled


def _combined_outcome(
    view: MatrixView,
    tiers: list[Tier],
    search: TierSearch,
    options: SolveOptions,
    values: np.ndarray,
) -> SolveOutcome:
    """Status and words of the tier-by-tier search, with the plan's weighted objective."""
    requested = f"{options.mip_gap * 100:g} %"
    gaps = _proven_gaps(search.tiers)
    worst = max(gaps, default=None) if gaps is not None else None
    objective = _objective(view, values)
    if len(tiers) == 1:
        only = search.tiers[0]
        return SolveOutcome(
            only.status, _gap_words(only, options), objective, only.best_bound, only.gap_pct
        )
    if all(t.status is SolveStatus.optimal for t in search.tiers):
        return SolveOutcome(
            SolveStatus.optimal,
            f"optimal within the requested {requested} gap at every priority, in order: "
            + ", then ".join(t.name for t in search.tiers),
            objective,
            None,
            worst,
        )
    shortfalls = [
        f"{t.name}: {_gap_words(t, options)}"
        for t in search.tiers
        if t.status is not SolveStatus.optimal
    ]
    return SolveOutcome(SolveStatus.feasible, "; ".join(shortfalls), objective, None, worst)


POLISHED_WORDS = "once the continuous decisions were polished"


def _polished_outcomes(
    tiers: Sequence[Tier],
    outcomes: Sequence[TierOutcome],
    values: np.ndarray,
    requested_gap: float,
) -> tuple[TierOutcome, ...]:
    """Each tier's outcome for the polished plan ``values``, the plan the workbook shows.

    The polish re-optimises the continuous decisions tier by tier, so a tier's value may differ
    from the search's (a search stopped with 24,000 weighted points of unmet demand whose
    convoys could meet it all). The tier's bound stays a valid bound: it was proven among plans
    whose earlier tiers are no worse than the search's, and the polish makes them no worse. So
    the value is re-read and the gap recomputed against the same bound: a tier that comes
    within the requested gap (or within its absolute gap, ``Tier.absolute_gap``: differences
    below it are noise, as in the search) so is optimal; one that rises beyond it (stock the
    search kept is used to meet a higher priority) is not, and its words say why.
    """
    polished = []
    for tier, outcome in zip(tiers, outcomes, strict=True):
        if outcome.value is None:
            polished.append(outcome)
            continue
        value = tier.value(values)
        noise = max(ROUNDING_TOLERANCE * max(1.0, abs(outcome.value)), tier.absolute_gap)
        if abs(value - outcome.value) <= noise:
            polished.append(outcome)
            continue
        bound = outcome.best_bound
        gap = None if bound is None else 100.0 * relative_gap(value, bound)
        proven = bound is not None and (
            value - bound <= tier.absolute_gap or relative_gap(value, bound) <= requested_gap
        )
        polished.append(_restated(outcome, value, gap, proven, requested_gap))
    return tuple(polished)


def _restated(
    outcome: TierOutcome, value: float, gap: float | None, proven: bool, requested_gap: float
) -> TierOutcome:
    """``outcome`` with the polished plan's value and gap, and words that say them; ``proven``:
    within the requested gap (or the tier's absolute gap) of its bound."""
    if proven:
        words = f"optimal within the requested {requested_gap * 100:g} % gap {POLISHED_WORDS}"
        status = SolveStatus.optimal
    elif gap is not None:
        if outcome.status is SolveStatus.optimal:
            ending = "the polish met a higher priority first"
        else:
            ending = outcome.termination.split(" with a plan")[0]
        words = f"{ending} with a plan {gap:.2f} % from the best bound {POLISHED_WORDS}"
        status = SolveStatus.feasible
    else:
        words, status = outcome.termination, outcome.status
    return replace(outcome, status=status, termination=words, value=value, gap_pct=gap)


def _proven_gaps(outcomes: Sequence[TierOutcome]) -> list[float] | None:
    """The gaps the tiers were proven to, or None when one has none (not optimised for lack of
    time, or no bound proven): the plan's distance from the best possible is then unknown, and
    saying the largest of the others would understate it."""
    gaps = [t.gap_pct for t in outcomes]
    return None if any(g is None for g in gaps) else [g for g in gaps if g is not None]


def _gap_words(tier: TierOutcome, options: SolveOptions) -> str:
    """A tier's ending in words; for one stopped short, how far from the best it may be."""
    if tier.status is not SolveStatus.feasible or tier.gap_pct is None:
        return tier.termination
    return (
        f"{tier.termination.split(' with a plan')[0]}: this plan may be up to "
        f"{_at_most_pct(tier.gap_pct):.1f} % from the best possible "
        f"(asked for {options.mip_gap * 100:g} %)"
    )


def _at_most_pct(gap_pct: float) -> float:
    """``gap_pct`` rounded up to 0.1: "up to 1.3 %" must not be said of a 1.34 % gap."""
    return math.ceil(gap_pct * 10 - 1e-9) / 10


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


def _highs_lp(
    view: MatrixView,
    *,
    integer: bool,
    fixed: npt.NDArray[np.bool_] | None = None,
    at: np.ndarray | None = None,
) -> highspy.HighsLp:
    """The model as HiGHS data, with integrality or as its LP relaxation; the ``fixed`` columns
    (integer decisions) held at their values in ``at``, rounded."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(view.columns), len(view.row_lower)
    lp.col_cost_, lp.offset_ = view.cost, view.cost_offset
    lp.col_lower_, lp.col_upper_ = view.col_lower, view.col_upper
    if fixed is not None and at is not None:
        lower, upper = view.col_lower.copy(), view.col_upper.copy()
        lower[fixed] = upper[fixed] = np.round(at[fixed])
        lp.col_lower_, lp.col_upper_ = lower, upper
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
    highs.setOptionValue("threads", 1)  # the races use the cores: one thread per HiGHS object
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
    A re-plan's published plan is the start whatever its objective (``_published_start``).
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
    if data.commitments.stable:
        return _published_start(view, options, deadline, completed)
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


def _published_start(
    view: MatrixView, options: SolveOptions, deadline: float, repaired: np.ndarray
) -> tuple[np.ndarray, str]:
    """A re-plan's start: the published plan, repaired to fit and extended to the new days,
    whatever its objective.

    It is the plan in force and the reference the stability term measures changes against, so
    a re-plan starts from it and changes it where the search finds something worth changing.
    The published plan has no convoys for the days it did not cover, so the repair leaves the
    new last days short; a MIP over the convoys it does not run (``added_convoy_columns``, all
    it decided fixed, stopped at its root node) adds what they need. The test other warm starts
    pass (within the gap of the previous plan) would reject the published plan, whose repair is
    far worse than it was. Measured on Mali (``models/README.md``, Re-planning).
    """
    extended, _failure = _sub_mip(
        view, options, deadline, repaired, added_convoy_columns(view, repaired), proven=False
    )
    if extended is not None:
        return extended, (
            "published plan, repaired to fit and extended to the new days "
            f"(objective {_objective(view, extended):,.1f})"
        )
    return repaired, (
        f"published plan, repaired to fit (objective {_objective(view, repaired):,.1f})"
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
    return _sub_mip(
        view, options, deadline, start, reoptimised_columns(view, data, start, previous)
    )


def _sub_mip(
    view: MatrixView,
    options: SolveOptions,
    deadline: float,
    start: np.ndarray,
    free: npt.NDArray[np.bool_],
    *,
    proven: bool = True,
) -> tuple[np.ndarray | None, str]:
    """``start`` improved by a MIP over the ``free`` integer columns, the others fixed at their
    ``start`` values, stopped at its root node; or None and why not. With ``proven``, its plan
    is used only if the root node proved it within half the requested gap of the best plan of
    that neighbourhood; otherwise whenever it beats ``start``."""
    if not free.any():
        return None, "had nothing to change"
    lp = _highs_lp(view, integer=True, fixed=view.is_integer & ~free, at=start)
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
    found = highs.getInfo().primal_solution_status == FEASIBLE_POINT
    if status != highspy.HighsModelStatus.kOptimal and (proven or not found):
        return None, (
            f"did not come within {50 * options.mip_gap:g} % of the best such plan at its root node"
        )
    improved = np.asarray(highs.getSolution().col_value, dtype=float)
    if _objective(view, improved) >= _objective(view, start):
        return None, "found nothing better"
    return improved, ""


def _objective(view: MatrixView, values: np.ndarray) -> float:
    return float(view.cost @ values + view.cost_offset)


NO_PLAN_WORDS = (
    "no plan found within the time limit: the workbook shows what the mission would look like "
    "with no deliveries (every unit stays, demand is met from stock and local sources while they "
    "last); raise the time limit for a real plan"
)

STOPPED_NO_PLAN_WORDS = (
    "stopped on request before a plan was found: the workbook shows what the mission would look "
    "like with no deliveries (every unit stays, demand is met from stock and local sources while "
    "they last); let the solve run longer for a real plan"
)


def _no_plan_found(view: MatrixView, search: TierSearch, trivial: np.ndarray) -> SolveOutcome:
    """When the search found no plan (a limit stopped it, or the solver failed), say so; the
    plan shown is the trivial one with its continuous decisions polished (``solve``), so the
    planner sees what no deliveries would mean."""
    first = search.tiers[0] if search.tiers else None
    if first is not None and first.status in (SolveStatus.infeasible, SolveStatus.error):
        return SolveOutcome(first.status, first.termination)
    stopped = any(
        t.termination.startswith(("stopped", "not optimised: stopped")) for t in search.tiers
    )
    words = STOPPED_NO_PLAN_WORDS if stopped else NO_PLAN_WORDS
    return SolveOutcome(SolveStatus.no_solution, words, _objective(view, trivial))


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


def _outcome(result: RaceResult, requested_gap: float, *, is_mip: bool) -> SolveOutcome:
    """Status, words and numbers of a finished race (an LP's optimum is its own bound, and so
    is the optimum of a MIP that presolve solved outright)."""
    status = result.status
    has_plan = result.values is not None
    objective = result.value if has_plan else None
    bound = _finite(result.bound) if is_mip else objective
    gap = _race_gap_pct(objective, bound) if is_mip else (0.0 if has_plan else None)
    if status == highspy.HighsModelStatus.kOptimal and is_mip and bound is None:
        # Presolve gave up on the tier's numerics and kept the start: nothing was proven.
        return SolveOutcome(
            SolveStatus.feasible,
            "not improved: the solver could not prove a bound for this priority",
            objective,
        )
    requested = f"{requested_gap * 100:g} %"
    proven = has_plan and gap is not None and gap <= 100 * requested_gap + 1e-9
    if status == highspy.HighsModelStatus.kOptimal or proven:
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
        return SolveOutcome(SolveStatus.error, f"the solver failed: {status.name}")
    if has_plan:
        return SolveOutcome(
            SolveStatus.feasible,
            f"{limit} with a plan {gap:.2f} % from the best bound"
            if gap is not None
            else f"{limit} with a plan, before any bound was proven",
            objective,
            bound,
            gap,
        )
    return SolveOutcome(
        SolveStatus.no_solution, f"{limit} before any plan was found", best_bound=bound
    )


def _race_gap_pct(value: float | None, bound: float | None) -> float | None:
    """HiGHS's relative gap (``race.relative_gap``), in %."""
    if value is None or bound is None:
        return None
    return 100.0 * relative_gap(value, bound)


_LIMIT_WORDS = {
    highspy.HighsModelStatus.kTimeLimit: "time limit reached",
    highspy.HighsModelStatus.kInterrupt: "stopped on request",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit reached",
    highspy.HighsModelStatus.kSolutionLimit: "solution limit reached",
}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


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
