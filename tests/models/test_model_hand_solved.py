"""Small instances whose optimum is derived by hand in each docstring and asserted exactly.

Weights unless stated: shortfall 1000 x priority factor (1) x day factor, garrison 100, safety
stock 1, exposure 0.01, cost 0.001 per USD. The day factor of a shortfall on day t of H is
phi_t = 1 + (H - t) / (2H): an earlier shortfall weighs more, so a store is used before demand
goes unmet. ``Plan.objective`` is the weighted sum of the terms of the plan the priorities chose.
"""

from __future__ import annotations

import pytest

from tests.models.factory import (
    Mission,
    escorted_two_camps,
    hub_and_camp,
    shortfall_reasons,
    solve_checked,
)


def test_one_truck_every_other_day(road_mission: Mission) -> None:
    """CAMP needs 10 t/day on days 1–5; one 10 t truck, round trip 2 days, arrival next day.

    The truck can leave on days 1 and 3 (or 2 and 4): a third trip would leave on day 5 and
    arrive after the horizon. So 2 convoys carry 20 t; day 1 can never be met (nothing arrives
    before day 2): shortfall 50 - 20 = 30 t. Leaving on days 1 and 3 (arriving 2 and 4) the
    loads meet days 2 and 4, short days 1, 3, 5: phi = 1.4 + 1.2 + 1.0 = 3.6; leaving on days 2
    and 4 leaves days 1, 2, 4 short: 1.4 + 1.3 + 1.1 = 3.8. Objective = 1000·10·3.6 + 0.001·2·100
    = 36000.2.
    """
    data = road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build()
    plan = solve_checked(data)

    assert len(plan.tables["convoys"]) == 2
    assert plan.tables["cargo"]["quantity"].sum() == pytest.approx(20.0)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(30.0)
    assert plan.raw_terms["cost_usd"] == pytest.approx(200.0)
    assert plan.objective == pytest.approx(36000.2)
    assert sorted(plan.tables["shortfalls"]["day"]) == [1, 3, 5]
    assert shortfall_reasons(plan)["CAMP", "RATIONS", 1] == "no open path in the window"


def test_air_is_the_only_way_when_the_road_is_closed() -> None:
    """The road R1 is closed all horizon; HELI (2 t, 2 sorties/day, 1 at HUB) flies AIR1 in 1 day.

    CAMP needs 3 t/day on days 2–4 = 9 t, so at least ceil(9 / 2) = 5 sorties. At most 2 sorties
    a day (one convoy of up to 2 per day), arriving days 2, 3, 4, with cumulative needs 3, 6, 9 t:
    2 + 1 + 2 sorties (4, 6, 10 t) works, so 5 sorties in 3 flights, no shortfall.
    Objective = 0.001·5·1000 USD = 5.
    """
    data = (
        hub_and_camp(horizon_days=4)
        .vehicle("HELI", payload_t=2.0, trips_per_day=2)
        .home("HUB", "TRUCK", 5)
        .home("HUB", "HELI", 1)
        .route("R1", closed_days=range(1, 5))
        .truck_line(
            "L1",
        )
        .line(
            "AIR1",
            mode="air",
            path=("HUB", "CAMP"),
            legs=("A1",),
            offsets=(1,),
            round_trip_days=1,
            vehicle_types=("HELI",),
            cost_per_vehicle=1000.0,
        )
        .demand("CAMP", "RATIONS", range(2, 5), 3.0)
        .build()
    )
    assert data.lines["L1"].departure_days == ()
    plan = solve_checked(data)

    convoys = plan.tables["convoys"]
    assert set(convoys["line_id"]) == {"AIR1"}
    assert len(convoys) == 3
    assert convoys["vehicles"].sum() == 5
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)
    assert plan.objective == pytest.approx(5.0)


def test_escorts_limit_convoys() -> None:
    """With 10 escort troops only one convoy can be away at a time (escorts busy 2 days).

    Departures that arrive in time leave on days 1–3, so at most 2 convoys (days 1 and 3). The
    day-1 convoy takes 20 t (2 trucks) to one camp and covers its days 2–3; the day-3 convoy
    arrives on day 4 where only that day's 10 t is useful (1 truck). Met 30 of 60 t:
    shortfall 30, 3 truck trips. Whichever camp the day-3 convoy serves, the shortfalls fall on
    days 2, 3 and 4 once each: phi = 1.25 + 1.125 + 1.0 = 3.375.
    Objective = 1000·10·3.375 + 0.001·3·100 = 33750.3.
    The camp without a convoy on days 2–3 is short because the escort was away.
    """
    data = escorted_two_camps(escort_strength=10).build()
    plan = solve_checked(data)

    assert len(plan.tables["convoys"]) == 2
    assert plan.tables["convoys"]["vehicles"].sum() == 3
    assert plan.raw_terms["shortfall_units"] == pytest.approx(30.0)
    assert plan.objective == pytest.approx(33750.3)
    unserved = (
        "C2"
        if "L1" in set(plan.tables["convoys"]["line_id"][plan.tables["convoys"]["depart_day"] == 1])
        else "C1"
    )
    assert "escort exhausted" in shortfall_reasons(plan)[unserved, "RATIONS", 2]


def test_fuel_needs_a_tanker() -> None:
    """FUEL (0.8 t/kL) rides only in the TANKER (10 t); the TRUCK (20 t) carries dry cargo only.

    One convoy leaves on day 1 with both vehicles. CAMP needs 10 t RATIONS and 15 kL = 12 t of
    FUEL on day 2. The tanker takes 10 / 0.8 = 12.5 kL; the truck's spare 10 t cannot take fuel:
    shortfall 2.5 kL of FUEL. Objective = 1000·2.5 + 0.001·2·100 = 2500.2.
    """
    data = (
        hub_and_camp(horizon_days=2)
        .supply("FUEL", cargo_type="fuel", mass_t_per_unit=0.8)
        .source("HUB", "FUEL")
        .vehicle("TRUCK", payload_t=20.0)
        .vehicle("TANKER", payload_t=10.0, carries=("fuel",))
        .home("HUB", "TRUCK", 1)
        .home("HUB", "TANKER", 1)
        .line(
            "L1",
            path=("HUB", "CAMP"),
            legs=("R1",),
            offsets=(1,),
            round_trip_days=2,
            vehicle_types=("TRUCK", "TANKER"),
            cost_per_vehicle=100.0,
        )
        .demand("CAMP", "RATIONS", [2], 10.0)
        .demand("CAMP", "FUEL", [2], 15.0)
        .build()
    )
    plan = solve_checked(data)

    cargo = plan.tables["cargo"].set_index("supply_id")["quantity"]
    assert cargo["FUEL"] == pytest.approx(12.5)
    assert cargo["RATIONS"] == pytest.approx(10.0)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(2.5)
    assert plan.objective == pytest.approx(2500.2)
    assert shortfall_reasons(plan)["CAMP", "FUEL", 2] == "fleet exhausted"


def test_a_mixed_vehicle_shares_its_payload_between_cargo_types() -> None:
    """FLATBED (10 t) carries dry and water; TANKER (10 t) carries water only; one of each.

    CAMP needs 12 t RATIONS and 6 t WATER on day 2. Rations fit only on the flatbed (10 t), water
    on either. Hall's condition: rations ≤ 10, water ≤ 20, both ≤ 20. Best: 10 t rations on the
    flatbed, 6 t water on the tanker: shortfall 2 t. Objective = 1000·2 = 2000 (no costs).
    """
    data = (
        hub_and_camp(horizon_days=2)
        .supply("WATER", cargo_type="water")
        .source("HUB", "WATER")
        .vehicle("FLATBED", payload_t=10.0, carries=("dry", "water"))
        .vehicle("TANKER", payload_t=10.0, carries=("water",))
        .home("HUB", "FLATBED", 1)
        .home("HUB", "TANKER", 1)
        .line(
            "L1",
            path=("HUB", "CAMP"),
            legs=("R1",),
            offsets=(1,),
            round_trip_days=2,
            vehicle_types=("FLATBED", "TANKER"),
        )
        .demand("CAMP", "RATIONS", [2], 12.0)
        .demand("CAMP", "WATER", [2], 6.0)
        .build()
    )
    plan = solve_checked(data)

    assert plan.raw_terms["shortfall_units"] == pytest.approx(2.0)
    assert plan.objective == pytest.approx(2000.0)


@pytest.mark.parametrize(
    ("camp_accommodation", "objective", "to_base"),
    [
        pytest.param(1000, 5.0, "CAMP", id="moves"),
        pytest.param(50, 30000.0, "HUB", id="no-room"),
    ],
)
def test_garrison_pulls_a_unit_unless_accommodation_forbids(
    camp_accommodation: int, objective: float, to_base: str
) -> None:
    """CAMP must hold 100 troops on days 1–3; unit INF (100) at HUB may move there (50 km).

    Moving costs 100 troops·50 km·1 USD = 5000 USD, weighted 5; staying costs 100 troops·3 days
    at weight 100 = 30000. So the unit moves, unless CAMP can lodge only 50: then it stays and the
    garrison shortfall is 300 troop-days.
    """
    data = (
        hub_and_camp(horizon_days=3)
        .base("CAMP", accommodation=camp_accommodation)
        .unit("INF", strength=100, base="HUB", candidates=("CAMP",), km=50.0)
        .garrison_required("CAMP", 100, range(1, 4))
        .build()
    )
    plan = solve_checked(data)

    assert plan.tables["allocation"].set_index("unit_id").loc["INF", "to_base_id"] == to_base
    assert plan.objective == pytest.approx(objective)


def test_troops_drive_demand_and_a_limited_source_runs_dry() -> None:
    """CAMP's 200 troops drink 0.02 kL/day each = 4 kL/day; its borehole gives 3 kL/day.

    No storage, no convoy: 1 kL short each of 3 days, water priority factor 16, day factors
    4/3, 7/6 and 1: objective = 1000·16·3.5 = 56000; each shortfall is 'source exhausted'.
    """
    data = (
        Mission(horizon_days=3)
        .supply("WATER", cargo_type="water", priority_factor=16.0)
        .base("CAMP")
        .stock("CAMP", "WATER", capacity=0.0, per_troop_day=0.02)
        .source("CAMP", "WATER", per_day=3.0)
        .unit("INF", strength=200, base="CAMP")
        .build()
    )
    plan = solve_checked(data)

    assert plan.raw_terms["shortfall_units"] == pytest.approx(3.0)
    assert plan.objective == pytest.approx(56000.0)
    assert plan.mip_gap_pct == 0.0
    assert set(shortfall_reasons(plan).values()) == {"source exhausted"}


def test_full_storage_stops_stocking_ahead() -> None:
    """CAMP's borehole gives 10 t/day; storage 10 t; demand only on day 4: 30 t.

    Days 1–3 can keep at most 10 t in store, day 4 adds 10 t: 20 met, 10 short, because storage
    was full and the source was at its limit on day 4. Safety stock 1 day on 30 t demand at day 4
    with 0 closing stock: 30 unit-days. Objective = 1000·10 + 1·30 = 10030.
    """
    data = (
        Mission(horizon_days=4)
        .supply("RATIONS", safety_stock_days=1.0)
        .base("CAMP")
        .stock("CAMP", "RATIONS", capacity=10.0)
        .source("CAMP", "RATIONS", per_day=10.0)
        .demand("CAMP", "RATIONS", [4], 30.0)
        .build()
    )
    plan = solve_checked(data)

    assert plan.raw_terms["shortfall_units"] == pytest.approx(10.0)
    assert plan.raw_terms["safety_stock_unit_days"] == pytest.approx(30.0)
    assert plan.objective == pytest.approx(10030.0)
    assert shortfall_reasons(plan)["CAMP", "RATIONS", 4] == "source exhausted; storage full"


def test_route_capacity_lets_one_convoy_a_day_through() -> None:
    """Lines L1 (to C1) and L2 (to C2) share road RS limited to 1 convoy a day; 10 trucks of 10 t.

    Both camps need 10 t on day 2 only; only departures on day 1 arrive in time, and only one may
    enter RS that day: one camp is short 10 t, with reason 'route capacity'. Objective = 10000.
    """
    mission = (
        Mission(horizon_days=2)
        .supply("RATIONS")
        .base("HUB")
        .source("HUB", "RATIONS")
        .vehicle("TRUCK", payload_t=10.0)
        .home("HUB", "TRUCK", 10)
        .route("RS", max_convoys_per_day=1)
    )
    for line_id, camp in (("L1", "C1"), ("L2", "C2")):
        mission.base(camp).demand(camp, "RATIONS", [2], 10.0).line(
            line_id,
            path=("HUB", camp),
            legs=("RS",),
            offsets=(1,),
            round_trip_days=2,
            vehicle_types=("TRUCK",),
        )
    plan = solve_checked(mission.build())

    assert len(plan.tables["convoys"]) == 1
    assert plan.objective == pytest.approx(10000.0)
    assert list(shortfall_reasons(plan).values()) == ["route capacity"]
