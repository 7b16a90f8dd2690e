"""Re-planning rows and the stability term on instances solved by hand (``constraints/replan.py``).

``road_mission`` (conftest): one 10 t truck at HUB; line L1 leaves any day, drops at CAMP the next
day and is home two days after leaving; 100 USD per round trip. Shortfall day factor
phi_t = 1 + (5 - t) / 10 on five days.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from models import Commitments, ModelData
from tests.models.factory import (
    NEUTRAL_WEIGHTS,
    Mission,
    escorted_two_camps,
    hub_and_camp,
    solve_checked,
)


def _committed(data: ModelData, **commitments: object) -> ModelData:
    return replace(data, commitments=Commitments(**commitments))  # type: ignore[arg-type]


def _departures(plan: object) -> list[int]:
    convoys = plan.tables["convoys"]  # type: ignore[attr-defined]
    return sorted(int(d) for d in convoys["depart_day"])


def test_a_convoy_on_the_road_delivers_and_keeps_its_truck(road_mission: Mission) -> None:
    """CAMP needs 10 t on days 1-5; a convoy that left before day 1 drops 10 t on day 1 and its
    truck is home on day 2 (away on day 1). The truck can then leave on days 2 and 4 (arriving 3
    and 5): days 2 and 4 are short, 20 t. Without the truck away it would leave on days 1 and 3
    and days 3 and 5 would be short (phi 1.2 + 1.0 < 1.3 + 1.1), so the row binds."""
    data = _committed(
        road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build(),
        pipeline_arrivals={("CAMP", "RATIONS", 1): 10.0},
        vehicles_away={("HUB", "TRUCK", 1): 1},
    )
    plan = solve_checked(data)
    assert _departures(plan) == [2, 4]
    assert sorted(plan.tables["shortfalls"]["day"]) == [2, 4]
    stock = plan.tables["stock"].set_index(["base_id", "day"])
    assert stock.loc[("CAMP", 1), "arrivals"] == pytest.approx(10.0)


def test_a_frozen_departure_runs(road_mission: Mission) -> None:
    """CAMP needs 10 t on day 5 only and stores 1000 t: any departure on days 1-4 serves at the
    same cost. Frozen on day 1, it leaves on day 1 and no other convoy runs."""
    data = _committed(
        road_mission.demand("CAMP", "RATIONS", [5], 10.0).build(),
        published_days=5,
        published_departures=frozenset({("L1", 1)}),
        fixed_departures=frozenset({("L1", 1)}),
    )
    plan = solve_checked(data)
    assert _departures(plan) == [1]
    assert plan.raw_terms["plan_changes"] == 0


def test_stability_keeps_the_published_day_among_equal_plans(road_mission: Mission) -> None:
    """The same mission with day 3 published (not frozen): leaving on day 3 costs what any other
    day does and changes nothing, any other day changes 2 (cancelled and added)."""
    data = _committed(
        road_mission.demand("CAMP", "RATIONS", [5], 10.0).build(),
        published_days=5,
        published_departures=frozenset({("L1", 3)}),
    )
    plan = solve_checked(data)
    assert _departures(plan) == [3]
    assert plan.objective_terms["stability"] == pytest.approx(0.0)


def test_stability_never_buys_unmet_demand(road_mission: Mission) -> None:
    """The published plan sends nothing, but CAMP now needs 10 t on day 5: adding a convoy is a
    change (100 points) and saves 10 t of unmet demand, a higher priority, so it runs."""
    data = _committed(road_mission.demand("CAMP", "RATIONS", [5], 10.0).build(), published_days=5)
    plan = solve_checked(data)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)
    assert plan.raw_terms["plan_changes"] == pytest.approx(1.0)


@pytest.mark.parametrize(("weight", "runs"), [(100.0, False), (5.0, True)])
def test_a_change_must_buy_its_weight_in_stock_targets(weight: float, runs: bool) -> None:
    """CAMP holds 50 t, eats 10 t a day on days 1-5 and keeps 1 day (10 t) of safety stock, with
    no end target: without a delivery it closes day 5 empty, 10 t under its target, 10
    unit-days (10 points). The published plan sends nothing; one truck run closes the deficit
    and is a change. At the default weight (100 points a change) the safety gain does not buy
    it; at 5 points it does."""
    mission = (
        hub_and_camp()
        .supply("RATIONS", safety_stock_days=1.0)
        .stock("CAMP", "RATIONS", initial=50.0)
        .demand("CAMP", "RATIONS", range(1, 6), 10.0)
        .home("HUB", "TRUCK", 1)
        .truck_line("L1", max_vehicles=1, cost_per_vehicle=100.0)
    )
    mission.end_stock_policy = "none"
    mission.weights = replace(NEUTRAL_WEIGHTS, stability=weight)
    plan = solve_checked(_committed(mission.build(), published_days=5))
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0, abs=1e-9)
    assert len(_departures(plan)) == (1 if runs else 0)
    assert plan.raw_terms["safety_stock_unit_days"] == pytest.approx(0.0 if runs else 10.0)
    assert plan.raw_terms["plan_changes"] == pytest.approx(1.0 if runs else 0.0)


def test_a_large_exposure_saving_still_moves_a_convoy(road_mission: Mission) -> None:
    """The published convoy leaves on day 2 by L1, whose truck run is exposed 50,000 (500
    points); L2 reaches CAMP as fast over the quiet road R2. CAMP needs 10 t on day 5. Moving
    the convoy to L2 changes 2 departures (200 points) and saves 500: the stock-target tier
    weighs the changes but does not hold them, so the last tier makes the move."""
    mission = road_mission.demand("CAMP", "RATIONS", [5], 10.0).truck_line(
        "L2", legs=("R2",), max_vehicles=1, cost_per_vehicle=100.0
    )
    mission.line_terms["L1"] = replace(mission.line_terms["L1"], exposure_per_vehicle=50_000.0)
    data = _committed(
        mission.build(), published_days=5, published_departures=frozenset({("L1", 2)})
    )
    plan = solve_checked(data)
    convoys = plan.tables["convoys"]
    assert list(convoys["line_id"]) == ["L2"]
    assert plan.raw_terms["plan_changes"] == pytest.approx(2.0)


def test_a_kept_plan_that_meets_every_need_is_the_re_plan(road_mission: Mission) -> None:
    """The published convoy leaves on day 2 and CAMP needs 10 t on day 5: started from the
    published plan, the re-plan keeps it (no change, nothing else searched). Its gaps hold only
    among plans that keep the published plan, so the plan's distance from the best is unknown."""
    data = _committed(
        road_mission.demand("CAMP", "RATIONS", [5], 10.0).build(),
        published_days=5,
        published_departures=frozenset({("L1", 2)}),
    )
    plan = solve_checked(data, warm_start={"Depart[L1,2]": 1.0, "Vehicles[L1,2,TRUCK]": 1.0})
    assert _departures(plan) == [2]
    assert plan.raw_terms["plan_changes"] == pytest.approx(0.0)
    assert plan.mip_gap_pct is None
    assert plan.tiers[-1].termination.endswith("keeping it met every need)")


def test_a_kept_plan_that_leaves_demand_unmet_gives_way(road_mission: Mission) -> None:
    """The published convoy leaves on day 2 (at CAMP on day 3, truck home on day 4); CAMP needs
    10 t on days 2 and 4 and stores what arrives. Kept, it feeds day 4 but nothing can reach
    CAMP by day 2 (a convoy on day 1 would hold the one truck until day 3): 10 t short. So
    everything is searched: convoys on days 1 and 3 meet both days, 3 changes (day 2
    cancelled, days 1 and 3 added), and unmet demand outranks them."""
    data = _committed(
        road_mission.demand("CAMP", "RATIONS", [2, 4], 10.0).build(),
        published_days=5,
        published_departures=frozenset({("L1", 2)}),
    )
    plan = solve_checked(data, warm_start={"Depart[L1,2]": 1.0, "Vehicles[L1,2,TRUCK]": 1.0})
    assert _departures(plan) == [1, 3]
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0, abs=1e-9)
    assert plan.raw_terms["plan_changes"] == pytest.approx(3.0)
    assert plan.mip_gap_pct == pytest.approx(0.0)


def test_escorts_still_away_hold_back_new_convoys() -> None:
    """``escorted_two_camps(10)``: the 10 escort troops at HUB are out with a convoy that left
    before day 1 until day 2, so the first escorted convoy leaves on day 3 and arrives on day 4,
    and only one can leave (10 troops each). The camps store nothing: its 20 t meet one camp's
    10 t on day 4; the other demands (days 2-4, 10 t a day, two camps) are short: 60 - 10 = 50 t."""
    data = _committed(
        escorted_two_camps(10).build(), escort_troops_away={("HUB", 1): 10, ("HUB", 2): 10}
    )
    plan = solve_checked(data)
    assert _departures(plan) == [3]
    assert plan.raw_terms["shortfall_units"] == pytest.approx(50.0)
