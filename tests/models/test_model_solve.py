"""The solve pipeline: status, progress, timings, model size, warm starts and plans without a solution."""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import cast

import highspy
import numpy as np
import pytest

from models import TABLE_COLUMNS, SolveOptions, SolveProgress, SolveStatus, solve
from models.results import TierOutcome
from models.tiers import Tier
from tests.models.factory import Mission, solve_checked


def test_plan_reports_stages_sizes_and_terms(road_mission: Mission) -> None:
    """A solved plan has timings for every stage, the model's size and each objective term."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    plan = solve_checked(data)

    assert plan.status is SolveStatus.optimal
    assert plan.termination == (
        "optimal within the requested 0 % gap at every priority, in order: shortfall, then "
        "exposure + cost"
    )
    assert [tier.name for tier in plan.tiers] == ["shortfall", "exposure + cost"]
    assert set(plan.timings_s) == {"build", "transfer", "solve", "extract"}
    assert set(plan.model_size) == {"variables", "integer_variables", "constraints", "nonzeros"}
    assert plan.model_size["integer_variables"] == 8  # Depart and Vehicles of days 1-4
    assert sum(plan.objective_terms.values()) == pytest.approx(plan.objective)
    assert set(plan.raw_terms) == {
        "shortfall_units",
        "garrison_troop_days",
        "safety_stock_unit_days",
        "end_stock_deficit_units",
        "exposure",
        "cost_usd",
    }


def test_progress_goes_through_the_stages_in_order(road_mission: Mission) -> None:
    """Progress reports start with build and transfer, then solve (the weighted warm-up, with its
    incumbent), then each priority tier by name, then extract."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    reports: list[SolveProgress] = []
    solve(data, SolveOptions(mip_gap=0.0, progress=reports.append))

    stages = [r.stage for r in reports]
    assert stages[:3] == ["build", "transfer", "solve"]
    assert stages[-1] == "extract"
    assert "solve: shortfall" in stages and "solve: exposure + cost" in stages
    incumbents = [r.incumbent for r in reports if r.incumbent is not None and r.stage == "solve"]
    assert incumbents and min(incumbents) == pytest.approx(36000.2)


def test_warm_start_from_a_previous_plan_reaches_the_same_optimum(road_mission: Mission) -> None:
    """Re-solving with the previous plan's solution as warm start finds the same objective."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    first = solve_checked(data)
    again = solve_checked(data, warm_start=first.solution)

    assert again.objective == pytest.approx(first.objective)
    assert first.start == "none"
    assert again.start == f"previous plan, repaired to fit (objective {first.objective:,.1f})"


def test_warm_start_that_no_longer_fits_is_repaired(road_mission: Mission) -> None:
    """A warm start using departure days that were since closed gives a plan that avoids them."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    first = solve_checked(data)
    used_days = set(first.tables["convoys"]["depart_day"])
    line = data.lines["L1"]
    closed = replace(
        line, departure_days=tuple(t for t in line.departure_days if t not in used_days)
    )
    changed = replace(data, lines={"L1": closed})
    plan = solve_checked(changed, warm_start=first.solution)

    assert not set(plan.tables["convoys"]["depart_day"]) & used_days
    assert plan.objective is not None and plan.objective >= first.objective - 1e-6


def test_a_warm_start_the_repair_hurt_is_reoptimised_where_it_lost(
    road_mission: Mission,
) -> None:
    """Closing the two days the previous plan used (1 and 3) leaves its repair with no convoy
    (70,000 of day-weighted shortfall against 36,000): the convoys of L1, which serves the hurt
    CAMP, are re-optimised, which finds the optimum (convoys on days 2 and 4, short on days 1, 2
    and 4: 1000·10·(1.4 + 1.3 + 1.1) = 38,000), and that start is used."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    first = solve_checked(data)
    line = data.lines["L1"]
    used_days = set(first.tables["convoys"]["depart_day"])
    open_days = tuple(t for t in line.departure_days if t not in used_days)
    changed = replace(data, lines={"L1": replace(line, departure_days=open_days)})
    plan = solve_checked(changed, warm_start=first.solution, mip_gap=0.01)

    assert plan.start == (
        "previous plan, repaired to fit and re-optimised where the repair lost (objective 38,000.2)"
    )
    assert plan.objective == pytest.approx(solve_checked(changed, mip_gap=0.01).objective)


def test_a_warm_start_still_far_worse_after_repair_is_not_used(road_mission: Mission) -> None:
    """Doubled demand leaves the single truck short (96,000.2 against 36,000.2, 166.7 % worse:
    short 20 t on days 1, 3, 5 and 10 t on days 2, 4, 1000·(20·3.6 + 10·2.4)), and the truck is
    busy on the days it is not used: re-optimising L1 finds nothing better, so HiGHS gets no
    start, the plan says why and is the cold optimum."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    first = solve_checked(data)
    doubled = replace(data, fixed_demand={key: 2 * q for key, q in data.fixed_demand.items()})
    plan = solve_checked(doubled, warm_start=first.solution, mip_gap=0.01)

    assert plan.start == (
        "previous plan not used: repaired to fit, it is 166.7 % worse than before (more than the "
        "1 % gap), and re-optimising found nothing better"
    )
    assert plan.objective == pytest.approx(96000.2)


def test_a_model_without_any_plan_returns_empty_tables_with_columns() -> None:
    """Initial stock above storage cannot be held on day 1: no plan exists, tables stay empty."""
    data = (
        Mission(horizon_days=2)
        .supply("RATIONS")
        .base("CAMP")
        .stock("CAMP", "RATIONS", capacity=5.0, initial=10.0)
        .build()
    )
    plan = solve(data)

    assert plan.status is SolveStatus.infeasible
    assert not plan.status.has_plan
    assert plan.objective is None
    for name, columns in TABLE_COLUMNS.items():
        assert plan.tables[name].empty
        assert tuple(plan.tables[name].columns) == columns


def test_a_priority_left_unsearched_leaves_the_plans_gap_unknown(road_mission: Mission) -> None:
    """Stopped once the shortfall priority is solved (to 0 %), the exposure and cost priority is
    never searched: the plan is feasible, and how far it is from the best possible is unknown,
    not the 0 % of the one priority that was proven."""
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    reports: list[SolveProgress] = []

    def shortfall_done() -> bool:
        return any(r.stage == "solve: shortfall" and r.gap_pct == 0.0 for r in reports)

    plan = solve_checked(data, progress=reports.append, stop=shortfall_done)

    assert [(t.name, t.gap_pct) for t in plan.tiers] == [
        ("shortfall", 0.0),
        ("exposure + cost", None),
    ]
    assert plan.tiers[1].termination == "not optimised: stopped on request"
    assert plan.status is SolveStatus.feasible
    assert plan.mip_gap_pct is None
    assert plan.search is not None and plan.search.within_1pct_s is None


def polished(value: float, before: TierOutcome) -> TierOutcome:
    """``before`` restated for a polished plan whose tier value is ``value`` (one column, c = 1)."""
    solve_module = importlib.import_module("models.solve")
    tier = Tier("shortfall", np.array([1.0]), 0.0)
    (outcome,) = solve_module._polished_outcomes([tier], [before], np.array([value]), 0.01)
    return cast(TierOutcome, outcome)


def test_the_run_sheet_states_each_priority_of_the_polished_plan() -> None:
    """A search stopped with 24,000 points of unmet demand whose convoys, polished, meet it all:
    the priority is stated at 0 against its bound 0, so optimal, not 100 % from it; one the
    polish worsens beyond the requested gap is stated at its new gap and no longer optimal; a
    difference within the tier's absolute gap is noise, as in the search."""
    stopped = TierOutcome(
        "shortfall",
        SolveStatus.feasible,
        "time limit reached with a plan 100.00 % from the best bound",
        24_000.0,
        0.0,
        100.0,
    )
    met = polished(0.0, stopped)
    assert (met.status, met.value, met.gap_pct) == (SolveStatus.optimal, 0.0, 0.0)
    assert met.termination == (
        "optimal within the requested 1 % gap once the continuous decisions were polished"
    )

    proven = TierOutcome("safety_stock", SolveStatus.optimal, "optimal", 100.0, 99.5, 0.5)
    worse = polished(110.0, proven)
    assert (worse.status, worse.value) == (SolveStatus.feasible, 110.0)
    assert worse.gap_pct == pytest.approx(100 * 10.5 / 110)
    assert worse.termination == (
        "the polish met a higher priority first with a plan 9.55 % from the best bound "
        "once the continuous decisions were polished"
    )
    assert polished(100.0 + 1e-9, proven) is proven
    assert polished(100.005, proven) is proven  # within the tier's absolute gap (0.01): noise


@pytest.mark.parametrize(
    ("cost", "lower", "offset", "floor"),
    [
        ([2.0, 0.0, 1.0], [0.0, -np.inf, 0.0], 0.0, 0.0),
        ([2.0, 0.0, 1.0], [1.5, -np.inf, 0.0], 4.0, 7.0),
        ([2.0, -1.0], [0.0, 0.0], 3.0, -np.inf),
        ([2.0, 1.0], [0.0, -np.inf], 0.0, -np.inf),
    ],
)
def test_a_priority_of_non_negative_prices_cannot_fall_below_its_floor(
    cost: list[float], lower: list[float], offset: float, floor: float
) -> None:
    """The floor is offset + sum c_j l_j over priced columns (unpriced columns may be free); a
    negative price or a priced column without a lower bound has none. A bound proven below the
    floor is raised to it, so a plan of value 5 against a solver's bound of -1e-9 is 100 % from
    its bound, not 100.00000002 %."""
    solve_module = importlib.import_module("models.solve")
    tier = Tier("shortfall", np.array(cost), offset)
    assert solve_module.tier_floor(tier, np.array(lower)) == floor


@pytest.mark.parametrize(
    ("bound", "words"),
    [
        (-1e-9, "time limit reached with a plan 100.00 % from the best bound"),
        (-np.inf, "time limit reached with a plan, before any bound was proven"),
    ],
)
def test_a_bound_below_the_floor_is_the_floor(bound: float, words: str) -> None:
    """A plan of value 5 against a solver's bound of -1e-9, for a priority whose floor is 0, is
    100 % from its bound, not 100.00000002 %; a race that proved no bound still says so."""
    solve_module = importlib.import_module("models.solve")
    race = importlib.import_module("models.race")
    result = race.RaceResult(
        status=highspy.HighsModelStatus.kTimeLimit,
        values=np.array([5.0]),
        value=5.0,
        bound=bound,
        ticks=3,
        stopped_by_time=True,
        winner=0,
    )
    outcome = solve_module._outcome(solve_module._raised_to_floor(result, 0.0), 0.01, is_mip=True)
    assert outcome.termination == words
    assert outcome.mip_gap_pct == (100.0 if bound > -np.inf else None)
