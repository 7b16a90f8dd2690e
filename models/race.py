"""Race diversified HiGHS searches on one objective, in lock-step, so the answer is reproducible.

Branch and bound is erratic: on the same model, a different random seed or order of rows can
turn a 1 % plan into a 90 % one (see ``models/README.md``, Solving). The answer of the trade is to
race diversified searches and keep the best plan and the best bound. Here each racer is a
single-threaded HiGHS search with its own seed and heuristic effort, on its own thread.

Racing by the clock would make the plan depend on the machine's load. The racers therefore move
in lock-step on a *work clock*: the k-th call of a racer's MIP interrupt callback is tick k, and
the sequence of a search's callbacks is fixed by its input (single-threaded HiGHS is
deterministic). At tick k every racer waits until each other racer has reached tick k (or
finished), and then all of them decide from the same snapshot of the same tick:

* the best plan of any racer goes to the racers holding a worse one (injected at their next
  user-solution callback, a point of their search fixed by their own work);
* the best bound is the largest racer bound (every racer solves the same problem);
* the race stops when the best plan is within the requested gap of the best bound.

So the plan and the point at which the race stops depend only on the input, never on which
thread the operating system ran first; only a time limit that strikes first makes the outcome
depend on the machine (``RaceResult.stopped_by_time`` says so).

With ``RaceSpec.neighbourhoods`` and two or more racers, the last racer is not another HiGHS
search but an *improver* (``_Improver``): from the start, or the best plan of the searches once
they have one, it re-optimises one neighbourhood at a time, a sub-MIP with every other integer
column fixed at the plan's values, each stopped after ``NEIGHBOURHOOD_TICKS`` ticks of its own:
each time the neighbourhood, among those not tried since the last improvement, whose *reach*
(``Neighbourhood.reach``) costs the most in the plan, until every one has been tried without
improving. It runs outside the lock-step, at its own pace (its sub-MIPs tick several times
faster than a search of the whole model, which would otherwise wait for it), and the searches
never see its plans, so a race that ends within the gap ends exactly as it would without it.
Only a race stopped by its time limit or on request, whose outcome already depends on the
machine, takes the improver's plan when it is better than the searches'.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]

DIVERSIFICATION: tuple[dict[str, float | int | bool], ...] = (
    {},
    {"mip_heuristic_effort": 0.2},
)
"""HiGHS options of racer i on top of its seed (random_seed + i): the second racer also spends
more of its effort on primal heuristics, since the difficulty of these models is finding plans."""

FINISHED = math.inf
"""Tick of a racer whose search has ended: it is past every tick of the others."""

NEIGHBOURHOOD_TICKS = 20
"""Work limit of one neighbourhood's sub-MIP, in ticks of its own (MIP interrupt callbacks):
about 5 s on the 28-day South Sudan model, where week windows improved plans within 5 s.
Counted in ticks, not seconds, so the improving racer does the same work on any machine."""


@dataclass(frozen=True)
class RowBlock:
    """Rows added to the model before a search: lower <= A_i x <= upper for each row."""

    columns: npt.NDArray[np.int32]
    values: Vector
    lower: float
    upper: float


@dataclass(frozen=True)
class ColumnCap:
    """Upper bounds put on columns before a search: x_j <= upper for each j in ``columns``."""

    columns: npt.NDArray[np.int32]
    upper: float


@dataclass(frozen=True)
class Neighbourhood:
    """The integer columns a sub-MIP of the improver frees (every other integer column fixed at
    the plan's values), and its *reach*: the columns whose cost they change most directly."""

    columns: npt.NDArray[np.int32]
    reach: npt.NDArray[np.int32]

    def cost_in_reach(self, cost: npt.NDArray[np.float64], plan: npt.NDArray[np.float64]) -> float:
        """Σ_{j in reach} c_j x_j: the part of the plan's cost this neighbourhood aims at."""
        return float(cost[self.reach] @ plan[self.reach])


@dataclass(frozen=True)
class RaceSpec:
    """One search of the race: the model, its objective, extra rows and limits."""

    lp: highspy.HighsLp
    cost: Vector
    offset: float
    rows: Sequence[RowBlock]
    caps: Sequence[ColumnCap]
    rel_gap: float
    abs_gap: float
    time_limit_s: float
    start: Vector | None
    racers: int = 2
    seed: int = 0
    stop: Callable[[], bool] | None = None
    """Asked at every tick: True ends the race as its deadline would (see ``SolveOptions.stop``)."""
    neighbourhoods: Sequence[Neighbourhood] = ()
    """The neighbourhoods of the improving racer (``models.neighbourhoods``);
    with none, every racer is a HiGHS search of the whole model."""
    improver_start: Vector | None = None
    """Where the improving racer starts when ``start`` is None (the plan with no deliveries):
    the searches get no start, since a poor one steers HiGHS's heuristics towards it, but the
    improver's plans never reach them, so it can build a plan window by window meanwhile."""


@dataclass(frozen=True)
class RaceSnapshot:
    """What the race knows at one tick: the best plan, its value, the best bound."""

    elapsed_s: float
    value: float
    bound: float
    nodes: int = 0
    """Branch-and-bound nodes of the furthest racer (0 while every racer is at its root)."""

    @property
    def gap(self) -> float:
        """Relative gap (``relative_gap``; inf without a plan or bound)."""
        if not (math.isfinite(self.value) and math.isfinite(self.bound)):
            return math.inf
        return relative_gap(self.value, self.bound)


GAP_NOISE = 1e-6
"""A plan's value and bound closer than this (relative, and at least absolute) count as equal:
a plan of value 0 against a bound of -7e-9 is proven, not 745 % from it."""


def relative_gap(value: float, bound: float) -> float:
    """HiGHS's relative gap max(value - bound, 0) / |value|, 0 when the difference is noise
    (below ``GAP_NOISE`` · max(1, |value|))."""
    difference = max(value - bound, 0.0)
    if difference <= GAP_NOISE * max(1.0, abs(value)):
        return 0.0
    return difference / max(abs(value), 1e-9)


@dataclass
class RaceResult:
    """How the race ended."""

    status: highspy.HighsModelStatus
    values: Vector | None
    value: float
    bound: float
    ticks: int
    stopped_by_time: bool
    winner: int | None
    trace: list[RaceSnapshot] = field(default_factory=list)


@dataclass
class _Racer:
    """The state of one racer, as the board sees it."""

    index: int
    tick: float = 0
    value: float = math.inf
    solution: Vector | None = None
    bound: float = -math.inf
    status: highspy.HighsModelStatus | None = None
    pending: Vector | None = None
    """A better plan found by another racer, to hand to this racer's search."""
    nodes: int = 0
    snapshots: dict[int, tuple[float, Vector | None, float]] = field(default_factory=dict)
    """(value, solution, bound) at each tick not yet decided by every racer."""


class _Board:
    """Where the racers meet at each tick; every method is called under ``self.lock``."""

    def __init__(
        self,
        spec: RaceSpec,
        deadline: float,
        on_tick: Callable[[RaceSnapshot], None],
        searches: int,
    ):
        self.spec = spec
        self.deadline = deadline
        self.on_tick = on_tick
        self.started = time.perf_counter()
        self.lock = threading.Condition()
        self.racers = [_Racer(i) for i in range(searches)]
        self.stop_tick: float = math.inf
        self.stopped_by_time = False
        self.stopped_on_request = False
        self.trace: list[RaceSnapshot] = []
        self.decided: set[int] = set()
        self.improver: _Improver | None = None
        """Its plans are shown in the snapshots but never decide anything."""

    def arrive(self, racer: _Racer, bound: float, nodes: int) -> bool:
        """Racer reaches its next tick; wait for the others; True if it must stop."""
        racer.tick += 1
        racer.nodes = nodes
        tick = int(racer.tick)
        racer.bound = max(racer.bound, bound)
        racer.snapshots[tick] = (racer.value, racer.solution, racer.bound)
        self.lock.notify_all()
        while any(other.tick < tick for other in self.racers):
            if time.perf_counter() > self.deadline:
                break
            self.lock.wait(timeout=0.05)
        if time.perf_counter() > self.deadline:
            self.stopped_by_time = True
            return True
        if self.spec.stop is not None and self.spec.stop():
            self.stopped_by_time = self.stopped_on_request = True
            return True
        self._decide(tick, racer)
        racer.snapshots = {t: s for t, s in racer.snapshots.items() if t >= tick}
        return tick >= self.stop_tick

    def _state_at(self, other: _Racer, tick: int) -> tuple[float, Vector | None, float]:
        if tick in other.snapshots:
            return other.snapshots[tick]
        return other.value, other.solution, other.bound  # finished before this tick

    def _decide(self, tick: int, me: _Racer) -> None:
        """The decision of tick ``tick``, the same whichever racer makes it first; ``me`` is
        handed the best plan if it holds a worse one (only a racer itself sets its own pending
        plan, so the hand-over happens at a point fixed by its own work)."""
        states = [self._state_at(r, tick) for r in self.racers]
        best = min(range(len(states)), key=lambda i: (states[i][0], i))
        value, solution, _ = states[best]
        bound = max(s[2] for s in states)
        nodes = max(r.nodes for r in self.racers)
        shown = value if self.improver is None else min(value, self.improver.value)
        snapshot = RaceSnapshot(time.perf_counter() - self.started, shown, bound, nodes)
        if tick not in self.decided:
            self.decided.add(tick)
            self.trace.append(snapshot)
            self.on_tick(snapshot)
            if self._within_gap(value, bound) or self._someone_proved(tick):
                self.stop_tick = min(self.stop_tick, tick)
        mine = states[me.index][0]
        if solution is not None and value < mine - _tolerance(value):
            me.pending = solution

    def _within_gap(self, value: float, bound: float) -> bool:
        if not (math.isfinite(value) and math.isfinite(bound)):
            return False
        gap = max(value - bound, 0.0)
        return gap <= self.spec.abs_gap or gap <= self.spec.rel_gap * abs(value)

    def _someone_proved(self, tick: int) -> bool:
        return any(
            r.tick == FINISHED and r.status == highspy.HighsModelStatus.kOptimal
            for r in self.racers
            if tick not in r.snapshots
        )

    def finish(self, racer: _Racer, highs: highspy.Highs, interrupted: bool) -> None:
        """Record the racer's end; an interrupted racer keeps its state of the stopping tick."""
        if interrupted and int(min(self.stop_tick, racer.tick)) in racer.snapshots:
            racer.value, racer.solution, racer.bound = racer.snapshots[
                int(min(self.stop_tick, racer.tick))
            ]
        if not interrupted:
            racer.status = highs.getModelStatus()
            info = highs.getInfo()
            if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
                racer.value = info.objective_function_value
                racer.solution = np.asarray(highs.getSolution().col_value, dtype=float)
            if racer.status == highspy.HighsModelStatus.kOptimal and _has_integers(self.spec):
                racer.bound = max(racer.bound, _finite_or(info.mip_dual_bound, -math.inf))
            elif racer.status == highspy.HighsModelStatus.kOptimal:
                racer.bound = racer.value
            if racer.status in (
                highspy.HighsModelStatus.kTimeLimit,
                highspy.HighsModelStatus.kInterrupt,
            ):
                self.stopped_by_time = True
        racer.tick = FINISHED
        self.lock.notify_all()


def race(
    spec: RaceSpec, deadline: float, on_tick: Callable[[RaceSnapshot], None] | None = None
) -> RaceResult:
    """Race ``spec.racers`` diversified searches of ``spec`` until the best plan is within the
    gap, every racer has finished, or the wall-clock ``deadline`` (``time.perf_counter``)."""
    improves = bool(spec.neighbourhoods) and spec.racers >= 2
    board = _Board(spec, deadline, on_tick or (lambda snapshot: None), spec.racers - improves)
    improver = _Improver(board) if improves else None
    board.improver = improver
    threads = [
        threading.Thread(target=_run_racer, args=(board, racer), daemon=True)
        for racer in board.racers
    ]
    if improver is not None:
        threads.append(threading.Thread(target=improver.run, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads[: len(board.racers)]:
        thread.join()
    if improver is not None:
        improver.stop.set()
        threads[-1].join()
    return _result(board, improver)


def _result(board: _Board, improver: _Improver | None) -> RaceResult:
    racers = board.racers
    with_plan = [r for r in racers if r.solution is not None]
    winner = min(with_plan, key=lambda r: (r.value, r.index)) if with_plan else None
    bound = max((r.bound for r in racers), default=-math.inf)
    proven = winner is not None and board._within_gap(winner.value, bound)
    if (
        improver is not None
        and not proven
        and (board.stopped_by_time or board.stopped_on_request)
        and improver.solution is not None
        and (winner is None or improver.value < winner.value - _tolerance(winner.value))
    ):
        winner = _Racer(len(racers), value=improver.value, solution=improver.solution)
        proven = board._within_gap(winner.value, bound)
    statuses = [r.status for r in racers if r.status is not None]
    if proven or highspy.HighsModelStatus.kOptimal in statuses:
        status = highspy.HighsModelStatus.kOptimal
    elif board.stopped_on_request:
        status = highspy.HighsModelStatus.kInterrupt
    elif board.stopped_by_time or not statuses:
        status = highspy.HighsModelStatus.kTimeLimit
    else:
        status = statuses[0]
    ticks = max((int(t) for r in racers for t in r.snapshots), default=len(board.trace))
    return RaceResult(
        status=status,
        values=None if winner is None else winner.solution,
        value=math.inf if winner is None else winner.value,
        bound=bound,
        ticks=max(ticks, len(board.trace)),
        stopped_by_time=board.stopped_by_time and not proven,
        winner=None if winner is None else winner.index,
        trace=board.trace,
    )


def _run_racer(board: _Board, racer: _Racer) -> None:
    spec = board.spec
    highs = _racer_highs(spec, racer.index, spec.start)
    interrupted = [False]

    def improving(event: highspy.highs.HighsCallbackEvent) -> None:
        with board.lock:
            value = event.data_out.mip_primal_bound
            if value < racer.value:
                racer.value = value
                racer.solution = np.array(event.data_out.mip_solution, dtype=float)

    def tick(event: highspy.highs.HighsCallbackEvent) -> None:
        with board.lock:
            out = event.data_out
            if board.arrive(racer, _finite_or(out.mip_dual_bound, -math.inf), out.mip_node_count):
                interrupted[0] = True
                event.interrupt()

    def hand_over(event: highspy.highs.HighsCallbackEvent) -> None:
        with board.lock:
            pending, racer.pending = racer.pending, None
        if pending is not None and event.data_in is not None:
            event.data_in.setSolution(pending)

    highs.cbMipImprovingSolution.subscribe(improving)
    highs.cbMipInterrupt.subscribe(tick)
    highs.cbMipUserSolution.subscribe(hand_over)
    try:
        highs.run()
    finally:
        with board.lock:
            board.finish(racer, highs, interrupted[0])


class _Improver:
    """The improving racer (see the module's docstring): neighbourhood after neighbourhood from
    its plan, on a thread of its own, until ``stop`` is set or nothing improves."""

    def __init__(self, board: _Board):
        self.board = board
        self.spec = board.spec
        self.stop = threading.Event()
        self.value = math.inf
        self.solution: Vector | None = None
        self.integer_columns = _integer_columns(board.spec)

    def run(self) -> None:
        """Visit the neighbourhoods from the best plan known, each time the one not yet tried
        since the last improvement whose reach costs the most in that plan (the first in the
        given order on a tie), until every one has been tried without improving."""
        hoods = self.spec.neighbourhoods
        plan = self.spec.start if self.spec.start is not None else self.spec.improver_start
        if plan is not None:
            self.value = float(self.spec.cost @ plan + self.spec.offset)
        untried = list(range(len(hoods)))
        while not self.stop.is_set() and untried:
            plan = self._best_plan(plan)
            if plan is None:
                self.stop.wait(timeout=0.1)
                continue
            chosen = self._costliest(untried, plan)
            before = self.value
            self._improve(plan, hoods[chosen].columns)
            if self.value < before - _tolerance(before):
                untried = list(range(len(hoods)))
            else:
                untried.remove(chosen)

    def _costliest(self, candidates: list[int], plan: Vector) -> int:
        """The candidate neighbourhood whose reach costs the most in ``plan``."""
        hoods = self.spec.neighbourhoods
        return max(candidates, key=lambda i: (hoods[i].cost_in_reach(self.spec.cost, plan), -i))

    def _best_plan(self, plan: Vector | None) -> Vector | None:
        """The improver's own plan, or the searches' best if that is better."""
        with self.board.lock:
            found = [r for r in self.board.racers if r.solution is not None]
            best = min(found, key=lambda r: (r.value, r.index)) if found else None
            if best is not None and best.value < self.value - _tolerance(self.value):
                self.value, self.solution = best.value, best.solution
        return self.solution if self.solution is not None else plan

    def _improve(self, plan: Vector, hood: npt.NDArray[np.int32]) -> None:
        """Re-optimise ``hood`` around ``plan`` for at most ``NEIGHBOURHOOD_TICKS`` ticks."""
        highs = _racer_highs(self.spec, len(self.board.racers), plan)
        fixed = np.setdiff1d(self.integer_columns, hood).astype(np.int32)
        values = np.round(plan[fixed])
        highs.changeColsBounds(len(fixed), fixed, values, values)
        highs.setOptionValue("time_limit", max(self.board.deadline - time.perf_counter(), 0.0))
        ticks = [0]

        def improving(event: highspy.highs.HighsCallbackEvent) -> None:
            value = event.data_out.mip_primal_bound
            if value < self.value - _tolerance(self.value):
                self.value = value
                self.solution = np.array(event.data_out.mip_solution, dtype=float)

        def tick(event: highspy.highs.HighsCallbackEvent) -> None:
            ticks[0] += 1
            if self.stop.is_set() or ticks[0] >= NEIGHBOURHOOD_TICKS:
                event.interrupt()

        highs.cbMipImprovingSolution.subscribe(improving)
        highs.cbMipInterrupt.subscribe(tick)
        highs.run()


CROSSOVER_NODES = 1
"""Work limit of a crossover's sub-MIP (``cross_over``): its root node, where HiGHS's presolve,
cuts and heuristics run; a limit in nodes, not seconds, so that it gives the same plan on any
machine. Measured on Mali (28 days): 200 nodes found the same plan as the root alone."""


@dataclass(frozen=True)
class Crossover:
    """What a crossover found: a better plan or None, and whether the clock stopped it."""

    values: Vector | None
    stopped_by_time: bool
    free_columns: int


def cross_over(spec: RaceSpec, reference: Vector, plan: Vector, deadline: float) -> Crossover:
    """``plan`` improved for ``spec.cost`` in the integer columns where it differs from
    ``reference``: a sub-MIP (crossover) with every integer column on which the two plans agree
    fixed at that value, the others and every continuous column free, under ``spec``'s rows
    and caps, stopped after ``CROSSOVER_NODES`` nodes or at ``deadline`` (then its plan depends
    on the machine, and ``stopped_by_time`` says so). ``plan`` is feasible there, so whatever
    it finds is a plan of the whole model; it is returned only when it is better than ``plan``.

    The use (``models.solve``): ``plan`` is the best plan of a priority, searched blind to the
    priorities below it, and ``reference`` the plan of the weighted warm-up, good for all of
    them but worse in that priority; the crossover keeps what they share and searches, held
    within the priority's tolerance, for the plan best for what is left.
    """
    integers = _integer_columns(spec)
    agree = integers[np.round(reference[integers]) == np.round(plan[integers])]
    free = len(integers) - len(agree)
    if free == 0:
        return Crossover(None, False, 0)
    highs = _racer_highs(spec, 0, plan)
    values = np.round(plan[agree])
    highs.changeColsBounds(len(agree), agree, values, values)
    highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.0))
    highs.setOptionValue("mip_max_nodes", CROSSOVER_NODES)

    def past_deadline(event: highspy.highs.HighsCallbackEvent) -> None:
        if time.perf_counter() > deadline:  # HiGHS's own limit can overshoot at the root
            event.interrupt()

    highs.cbMipInterrupt.subscribe(past_deadline)
    highs.run()
    by_time = highs.getModelStatus() in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
    )
    info = highs.getInfo()
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return Crossover(None, by_time, free)
    found = np.asarray(highs.getSolution().col_value, dtype=float)
    before = float(spec.cost @ plan)
    better = float(spec.cost @ found) < before - _tolerance(before)
    return Crossover(found if better else None, by_time, free)


def _integer_columns(spec: RaceSpec) -> npt.NDArray[np.int32]:
    integrality = np.asarray([int(kind) for kind in spec.lp.integrality_], dtype=int)
    return np.flatnonzero(integrality == int(highspy.HighsVarType.kInteger)).astype(np.int32)


def _racer_highs(spec: RaceSpec, index: int, start: Vector | None) -> highspy.Highs:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.silent()
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", spec.seed + index)
    highs.setOptionValue("time_limit", max(spec.time_limit_s, 0.0))
    highs.setOptionValue("mip_rel_gap", spec.rel_gap)
    highs.setOptionValue("mip_abs_gap", max(spec.abs_gap, 1e-9))
    for name, value in DIVERSIFICATION[index % len(DIVERSIFICATION)].items():
        highs.setOptionValue(name, value)
    highs.passModel(spec.lp)
    columns = np.arange(len(spec.cost), dtype=np.int32)
    highs.changeColsCost(len(columns), columns, spec.cost)
    highs.changeObjectiveOffset(spec.offset)
    for row in spec.rows:
        highs.addRow(row.lower, row.upper, len(row.columns), row.columns, row.values)
    lower = np.asarray(spec.lp.col_lower_, dtype=float)
    for cap in spec.caps:
        count = len(cap.columns)
        upper = np.full(count, cap.upper)
        highs.changeColsBounds(count, cap.columns, lower[cap.columns], upper)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        highs.setSolution(solution)
    return highs


def _has_integers(spec: RaceSpec) -> bool:
    return bool(len(spec.lp.integrality_))


def _tolerance(value: float) -> float:
    return 1e-9 * max(1.0, abs(value))


def _finite_or(value: float, default: float) -> float:
    return value if math.isfinite(value) else default
