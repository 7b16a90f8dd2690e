"""Racing diversified searches: the best plan and bound win, and the answer is reproducible."""

from __future__ import annotations

import time

import highspy
import numpy as np
import pytest

from benchmarks.synthetic import synthetic_mission
from logistics.api import compile_scenario
from models import SolveOptions, solve
from models.race import (
    Neighbourhood,
    RaceSpec,
    RowBlock,
    _Board,
    _Improver,
    _result,
    cross_over,
    race,
    relative_gap,
)
from tests.models.plan_checker import check_plan


def knapsack_lp(n: int = 40, seed: int = 3, dimensions: int = 1) -> highspy.HighsLp:
    """min -v.x subject to W x <= capacity (one row per dimension), x binary: a MIP with a
    known optimum (small ones) or a hard one (many items and dimensions)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(10, 60, n).astype(float)
    weights = rng.integers(5, 40, (dimensions, n)).astype(float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, dimensions
    lp.col_cost_ = -values
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_ = np.full(dimensions, -highspy.kHighsInf)
    lp.row_upper_ = weights.sum(axis=1) / 3
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, n * dimensions + 1, dimensions, dtype=np.int32)
    lp.a_matrix_.index_ = np.tile(np.arange(dimensions, dtype=np.int32), n)
    lp.a_matrix_.value_ = weights.T.ravel()
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


def knapsack_optimum(lp: highspy.HighsLp) -> float:
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.silent()
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.passModel(lp)
    highs.run()
    return float(highs.getInfo().objective_function_value)


def knapsack_spec(lp: highspy.HighsLp, racers: int) -> RaceSpec:
    """A race to the proven optimum of ``lp`` within 30 s."""
    return RaceSpec(
        lp=lp,
        cost=np.array(lp.col_cost_),
        offset=0.0,
        rows=(),
        caps=(),
        rel_gap=0.0,
        abs_gap=1e-6,
        time_limit_s=30.0,
        start=None,
        racers=racers,
    )


@pytest.mark.parametrize("racers", [1, 2, 3])
def test_a_race_returns_a_plan_within_the_gap_of_the_optimum(racers: int) -> None:
    lp = knapsack_lp()
    optimum = knapsack_optimum(lp)
    spec = knapsack_spec(lp, racers)
    result = race(spec, time.perf_counter() + 30.0)

    assert result.status == highspy.HighsModelStatus.kOptimal
    assert result.value == pytest.approx(optimum)
    assert result.bound == pytest.approx(optimum)
    assert result.values is not None
    assert float(np.array(lp.col_cost_) @ result.values) == pytest.approx(optimum)
    assert not result.stopped_by_time


def test_a_race_stopped_by_its_deadline_says_so() -> None:
    """A knapsack of 400 items with five weights is not solved at its root: a deadline that has
    already passed stops the race at its first tick, and the result says the clock stopped it."""
    spec = knapsack_spec(knapsack_lp(400, dimensions=5), racers=2)
    result = race(spec, time.perf_counter())

    assert result.stopped_by_time
    assert result.status == highspy.HighsModelStatus.kTimeLimit


def test_a_race_asked_to_stop_ends_at_that_tick_with_its_plan() -> None:
    """``stop`` is asked at every tick: the race ends at the tick it first says yes (not at its
    deadline, 30 s away), keeps the plan it has and says it was stopped, not timed out."""
    asked = []

    def stop() -> bool:
        asked.append(time.perf_counter())
        return len(asked) >= 3

    spec = knapsack_spec(knapsack_lp(400, dimensions=5), racers=1)
    spec = RaceSpec(**{**spec.__dict__, "stop": stop})
    started = time.perf_counter()
    result = race(spec, started + 30)

    assert len(asked) == 3
    assert result.status == highspy.HighsModelStatus.kInterrupt
    assert time.perf_counter() - started < 10


def test_a_solve_asked_to_stop_keeps_its_best_plan_and_says_so() -> None:
    """Stopped at its first tick, before any plan: every priority is left as it stands, the
    plan with no deliveries is shown (every figure of it true, end stock included) and the
    termination says it was stopped, not timed out."""
    data = compile_scenario(synthetic_mission(8, horizon_days=10, seed=2))
    plan = solve(data, SolveOptions(time_limit_s=120, mip_gap=0.0, stop=lambda: True))

    check_plan(data, plan)
    assert plan.status.value == "no_solution"
    assert plan.termination.startswith("stopped on request before a plan was found")
    assert any(t.termination == "not optimised: stopped on request" for t in plan.tiers)
    assert not plan.search.reproducible


def test_racing_gives_the_same_plan_every_time() -> None:
    """Two racers in lock-step on their work clock: the plan does not depend on which thread the
    machine ran first, so three solves of one mission give one plan."""
    data = compile_scenario(synthetic_mission(8, horizon_days=10, seed=2))
    options = SolveOptions(time_limit_s=120, mip_gap=0.01, threads=2)
    plans = [solve(data, options) for _ in range(3)]

    for plan in plans:
        check_plan(data, plan)
        assert plan.search.reproducible
        assert plan.search.racers == 2
    first = plans[0].solution
    for plan in plans[1:]:
        assert plan.objective == pytest.approx(plans[0].objective, rel=1e-12)
        assert plan.solution == first


def test_the_plan_records_when_it_came_within_5_and_1_percent() -> None:
    data = compile_scenario(synthetic_mission(8, horizon_days=10, seed=2))
    plan = solve(data, SolveOptions(time_limit_s=120, mip_gap=0.01, threads=2))

    assert plan.first_within_5pct_s is not None and plan.first_within_1pct_s is not None
    assert 0 < plan.first_within_5pct_s <= plan.first_within_1pct_s <= sum(plan.timings_s.values())
    gaps = [gap for _, gap in plan.gap_trace]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] <= 1.0
    assert plan.mip_gap_pct is not None and plan.mip_gap_pct <= 1.0


def knapsack_blocks(n: int, size: int) -> tuple[Neighbourhood, ...]:
    """Neighbourhoods of a knapsack: consecutive blocks of ``size`` items, each reaching its
    own items."""
    blocks = (np.arange(i, min(i + size, n), dtype=np.int32) for i in range(0, n, size))
    return tuple(Neighbourhood(block, block) for block in blocks)


def improved_knapsack(spec: RaceSpec) -> tuple[_Board, _Improver]:
    """The board of one search and an improver that has run to its end."""
    board = _Board(spec, time.perf_counter() + 30.0, lambda snapshot: None, searches=1)
    improver = _Improver(board)
    improver.run()
    return board, improver


def improver_spec(lp: highspy.HighsLp) -> RaceSpec:
    """A search and the improver on a 60-item knapsack, from the empty one, blocks of 10."""
    return RaceSpec(
        **{
            **knapsack_spec(lp, racers=2).__dict__,
            "start": np.zeros(60),
            "neighbourhoods": knapsack_blocks(60, 10),
        }
    )


def test_a_race_proven_within_its_gap_ends_as_it_would_without_the_improver() -> None:
    """The improver's plans never reach the searches nor decide when the race stops, so a race
    proven within its gap gives the plan its one search gives alone (the plan does not depend
    on the improver's pace)."""
    lp = knapsack_lp(60, seed=5)
    alone = race(knapsack_spec(lp, racers=1), time.perf_counter() + 30.0)
    spec = improver_spec(lp)
    alone_from_start = race(
        RaceSpec(**{**spec.__dict__, "racers": 1, "neighbourhoods": ()}),
        time.perf_counter() + 30.0,
    )
    with_improver = race(spec, time.perf_counter() + 30.0)

    assert with_improver.status == highspy.HighsModelStatus.kOptimal
    assert with_improver.value == pytest.approx(alone.value)
    assert with_improver.winner == 0
    assert with_improver.values is not None and alone_from_start.values is not None
    assert list(with_improver.values) == list(alone_from_start.values)


def test_the_improver_reoptimises_one_neighbourhood_at_a_time_from_the_start() -> None:
    """From the empty knapsack, the improver fills block after block (every other item fixed),
    keeps only feasible plans that improve, and stops once every block in a row improved
    nothing: its plan is feasible, integral and better than the start."""
    lp = knapsack_lp(60, seed=5)
    spec = improver_spec(lp)
    _, improver = improved_knapsack(spec)

    assert improver.solution is not None
    x = np.round(improver.solution)
    weights = np.asarray(lp.a_matrix_.value_).reshape(60, 1).T
    assert np.all(weights @ x <= np.asarray(lp.row_upper_) + 1e-6)
    assert np.allclose(improver.solution, x)
    assert improver.value == pytest.approx(float(np.array(lp.col_cost_) @ x))
    assert improver.value < 0
    assert improver.value >= knapsack_optimum(lp) - 1e-6


def test_without_a_start_the_improver_builds_a_plan_from_its_own() -> None:
    """A race without a start (the searches get none) still has the improver build a plan
    from ``improver_start``, the empty knapsack: feasible, integral and better than empty."""
    lp = knapsack_lp(60, seed=5)
    spec = RaceSpec(**{**improver_spec(lp).__dict__, "start": None, "improver_start": np.zeros(60)})
    _, improver = improved_knapsack(spec)

    assert improver.solution is not None
    x = np.round(improver.solution)
    weights = np.asarray(lp.a_matrix_.value_)
    assert weights @ x <= float(np.asarray(lp.row_upper_)[0]) + 1e-6
    assert improver.value == pytest.approx(float(np.array(lp.col_cost_) @ x))
    assert improver.value < 0


@pytest.mark.parametrize(
    ("value", "bound", "gap"),
    [
        (100.0, 90.0, 0.1),
        (0.0, -7.45e-9, 0.0),
        (0.0, 0.0, 0.0),
        (2.0, 3.0, 0.0),
        (1e6, 999_999.5, 0.0),
    ],
)
def test_a_gap_is_relative_to_the_plan_and_noise_is_no_gap(
    value: float, bound: float, gap: float
) -> None:
    """A plan of value 0 against a bound of -7e-9 is proven (HiGHS's tolerance), not 745 %
    from it; a bound above the plan is no gap."""
    assert relative_gap(value, bound) == pytest.approx(gap)


def visits_of_the_improver(improving_visits: int) -> list[int]:
    """The neighbourhoods an improver visits, in order, on six items taken (x = 1) with costs
    c = (1, 1, 2, 2, 0, 0), where neighbourhood 0 reaches item 1 (cost 1 in the plan), 1
    reaches items 3 and 4 (cost 4) and 2 reaches items 1 and 3 (cost 3); its first
    ``improving_visits`` visits improve the plan, the others do not."""
    reach = ([0], [2, 3], [0, 2])
    hoods = tuple(
        Neighbourhood(np.array([i], dtype=np.int32), np.array(r)) for i, r in enumerate(reach)
    )
    spec = RaceSpec(
        **{
            **knapsack_spec(knapsack_lp(6), racers=2).__dict__,
            "cost": np.array([1.0, 1.0, 2.0, 2.0, 0.0, 0.0]),
            "start": np.ones(6),
            "neighbourhoods": hoods,
        }
    )
    board = _Board(spec, time.perf_counter() + 30.0, lambda snapshot: None, searches=1)
    improver = _Improver(board)
    visited: list[int] = []

    def improve(plan: np.ndarray, columns: np.ndarray) -> None:
        visited.append(int(columns[0]))
        if len(visited) <= improving_visits:
            improver.value -= 1.0

    improver._improve = improve  # type: ignore[method-assign,assignment]
    improver.run()
    return visited


def test_the_improver_visits_first_the_neighbourhood_whose_reach_costs_the_most() -> None:
    """Costs in reach 1, 4 and 3: the improver visits 1, 2, then 0, and stops once each has
    been tried without improving; an improvement makes every neighbourhood worth a new try,
    again costliest first."""
    assert visits_of_the_improver(0) == [1, 2, 0]
    assert visits_of_the_improver(1) == [1, 1, 2, 0]
    assert visits_of_the_improver(2) == [1, 1, 1, 2, 0]


def test_a_race_stopped_by_its_deadline_keeps_the_improvers_better_plan() -> None:
    """When the clock stops the race, the plan is the best of the searches' and the
    improver's."""
    lp = knapsack_lp(60, seed=5)
    spec = improver_spec(lp)
    board, improver = improved_knapsack(spec)
    search = board.racers[0]
    search.value, search.solution, search.bound = 0.0, np.zeros(60), knapsack_optimum(lp) - 50
    board.stopped_by_time = True

    result = _result(board, improver)

    assert result.winner == 1
    assert result.value == improver.value
    assert result.values is improver.solution
    assert result.stopped_by_time
    board.stopped_by_time = False
    assert _result(board, improver).winner == 0


def four_item_lp() -> highspy.HighsLp:
    """Four binary items, at most three taken (x1 + x2 + x3 + x4 <= 3)."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 4, 1
    lp.col_cost_ = np.zeros(4)
    lp.col_lower_, lp.col_upper_ = np.zeros(4), np.ones(4)
    lp.row_lower_, lp.row_upper_ = np.array([-highspy.kHighsInf]), np.array([3.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(5, dtype=np.int32)
    lp.a_matrix_.index_ = np.zeros(4, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(4)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 4
    return lp


def test_a_crossover_searches_where_two_plans_differ_and_keeps_the_locks() -> None:
    """A higher tier asks for at least two items (its lock: -x1 - x2 - x3 - x4 <= -2); what
    is left costs r = (5, 5, 1, 1). The tier's plan takes items 1 and 2 (r = 10); the warm-up's
    plan takes item 3 alone (r = 1, but only one item). They differ on items 1, 2 and 3 and
    agree on item 4 (not taken), which stays fixed: the best plan of the crossover takes item 3
    and one of items 1 and 2, r = 6; {3, 4}, r = 2, is out of its reach."""
    lock = RowBlock(np.arange(4, dtype=np.int32), -np.ones(4), -highspy.kHighsInf, -2.0)
    plan, reference = np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 0.0])
    spec = RaceSpec(
        **{
            **knapsack_spec(four_item_lp(), racers=1).__dict__,
            "cost": np.array([5.0, 5.0, 1.0, 1.0]),
            "rows": (lock,),
        }
    )

    crossed = cross_over(spec, reference, plan, time.perf_counter() + 30.0)

    assert crossed.free_columns == 3
    assert not crossed.stopped_by_time
    assert crossed.values is not None
    x = np.round(crossed.values)
    assert x[2] == 1 and x[3] == 0 and x[0] + x[1] == 1
    assert float(spec.cost @ crossed.values) == pytest.approx(6.0)


def test_a_crossover_of_a_plan_with_itself_or_with_nothing_better_returns_none() -> None:
    """Two equal plans leave nothing free; a reference that offers nothing better than the plan
    (the plan already takes the cheapest items its lock allows) gives no plan."""
    lock = RowBlock(np.arange(4, dtype=np.int32), -np.ones(4), -highspy.kHighsInf, -2.0)
    spec = RaceSpec(
        **{
            **knapsack_spec(four_item_lp(), racers=1).__dict__,
            "cost": np.array([5.0, 5.0, 1.0, 1.0]),
            "rows": (lock,),
        }
    )
    best = np.array([0.0, 0.0, 1.0, 1.0])

    same = cross_over(spec, best, best, time.perf_counter() + 30.0)
    worse = cross_over(spec, np.array([1.0, 0.0, 1.0, 1.0]), best, time.perf_counter() + 30.0)

    assert same.values is None and same.free_columns == 0
    assert worse.values is None and worse.free_columns == 1
