"""How plans respond to closures, lost escorts and added capacity."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.models.factory import (
    Mission,
    escorted_two_camps,
    hub_and_camp,
    shortfall_reasons,
    solve_checked,
)


def _road_and_maybe_air(*, road_closed: bool, with_air: bool) -> Mission:
    """HUB → CAMP by road L1 (trucks 10 t) and optionally air AIR1 (HELI 5 t, 2 sorties a day).

    CAMP needs 5 t/day on days 2–4; the road is closed the whole horizon when ``road_closed``.
    """
    mission = (
        hub_and_camp(horizon_days=4)
        .home("HUB", "TRUCK", 2)
        .route("R1", closed_days=range(1, 5) if road_closed else ())
        .truck_line(
            "L1",
            cost_per_vehicle=100.0,
        )
        .demand("CAMP", "RATIONS", range(2, 5), 5.0)
    )
    if with_air:
        mission.vehicle("HELI", payload_t=5.0, trips_per_day=2).home("HUB", "HELI", 1).line(
            "AIR1",
            mode="air",
            path=("HUB", "CAMP"),
            legs=("A1",),
            offsets=(1,),
            round_trip_days=1,
            vehicle_types=("HELI",),
            cost_per_vehicle=5000.0,
        )
    return mission


def test_open_road_is_preferred_to_costly_air() -> None:
    """With the road open, trucks carry everything and no aircraft flies."""
    plan = solve_checked(_road_and_maybe_air(road_closed=False, with_air=True).build())

    assert set(plan.tables["convoys"]["line_id"]) == {"L1"}
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)


def test_closing_the_only_road_switches_to_air() -> None:
    """With the road closed, the helicopter covers the 15 t (3 sorties) and nothing is short."""
    plan = solve_checked(_road_and_maybe_air(road_closed=True, with_air=True).build())

    assert set(plan.tables["convoys"]["line_id"]) == {"AIR1"}
    assert plan.tables["convoys"]["vehicles"].sum() == 3
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)


def test_closing_the_only_road_without_air_reports_no_open_path() -> None:
    """Without air, every day's demand is short and the reason says no path was open."""
    plan = solve_checked(_road_and_maybe_air(road_closed=True, with_air=False).build())

    assert plan.tables["convoys"].empty
    assert plan.raw_terms["shortfall_units"] == pytest.approx(15.0)
    reasons = shortfall_reasons(plan)
    assert len(reasons) == 3
    assert all(reason.startswith("no open path") for reason in reasons.values())


def _escorted_line(*, with_escort_unit: bool) -> Mission:
    """Line L1 needs 4 escort troops per convoy plus 2 per 2 vehicles; CAMP needs 10 t/day days 2–3.

    The escort-capable unit ESC (20) sits at HUB unless removed; an infantry unit INF (50) that
    cannot escort is there too.
    """
    mission = (
        hub_and_camp(horizon_days=3)
        .home("HUB", "TRUCK", 4)
        .unit("INF", strength=50, base="HUB")
        .truck_line(
            "L1",
            escort_per_convoy=4,
            escort_per_group=2,
            vehicles_per_group=2,
        )
        .demand("CAMP", "RATIONS", range(2, 4), 10.0)
    )
    if with_escort_unit:
        mission.unit("ESC", strength=20, base="HUB", escort_capable=True)
    return mission


def test_escorted_convoys_run_with_an_escort_unit() -> None:
    """With ESC at HUB convoys run and nothing is short; each carries 4 + 2 per 2 trucks escorts."""
    plan = solve_checked(_escorted_line(with_escort_unit=True).build())

    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)
    convoys = plan.tables["convoys"]
    assert not convoys.empty
    assert (convoys["escort_troops"] == 4 + 2 * ((convoys["vehicles"] + 1) // 2)).all()


def test_removing_the_escort_unit_stops_escorted_convoys() -> None:
    """Without an escort-capable unit no escorted convoy may leave; the reason names escorts."""
    plan = solve_checked(_escorted_line(with_escort_unit=False).build())

    assert plan.tables["convoys"].empty
    assert plan.raw_terms["shortfall_units"] == pytest.approx(20.0)
    assert all("escort exhausted" in reason for reason in shortfall_reasons(plan).values())


def _storage_bound(capacity: float) -> Mission:
    """CAMP's borehole gives 10 t/day; demand only on day 4 (30 t); storage of ``capacity``."""
    return (
        Mission(horizon_days=4)
        .supply("RATIONS")
        .base("CAMP")
        .stock("CAMP", "RATIONS", capacity=capacity)
        .source("CAMP", "RATIONS", per_day=10.0)
        .demand("CAMP", "RATIONS", [4], 30.0)
    )


def _fleet_bound(trucks: int) -> Mission:
    """HUB → CAMP by one line of up to 3 trucks (10 t); CAMP needs 10 t/day on days 2–5."""
    return (
        hub_and_camp()
        .home("HUB", "TRUCK", trucks)
        .truck_line(
            "L1",
            max_vehicles=3,
        )
        .demand("CAMP", "RATIONS", range(2, 6), 10.0)
    )


@pytest.mark.parametrize(
    ("tight", "richer"),
    [
        pytest.param(_storage_bound(10.0), _storage_bound(30.0), id="more-storage"),
        pytest.param(_fleet_bound(1), _fleet_bound(3), id="more-vehicles"),
        pytest.param(escorted_two_camps(10), escorted_two_camps(20), id="more-escorts"),
    ],
)
def test_more_capacity_never_worsens_the_objective(tight: Mission, richer: Mission) -> None:
    """Adding storage, vehicles or escorts only widens the feasible set: the optimum cannot rise.

    Each tight instance is one where that capacity binds, so here the optimum strictly falls.
    """
    before = solve_checked(tight.build())
    after = solve_checked(richer.build())

    assert before.objective is not None and after.objective is not None
    assert after.objective < before.objective - 1e-6


def test_a_shortfall_cheaper_than_the_convoy_says_so() -> None:
    """Under the weights policy, a truck trip costs 1e6 USD (weighted 1000) against 10 t short
    (weighted 0.1 each, day factor 1 on the last day): no convoy.

    Nothing binds, so the reason is the objective's choice. Objective = 0.1 · 10 = 1.
    """
    mission = (
        hub_and_camp(horizon_days=2)
        .home("HUB", "TRUCK", 1)
        .truck_line(
            "L1",
            cost_per_vehicle=1e6,
        )
        .demand("CAMP", "RATIONS", [2], 10.0)
    )
    mission.weights = replace(mission.weights, shortfall=0.1)
    mission.objective_policy = "weights"
    plan = solve_checked(mission.build())

    assert plan.tables["convoys"].empty
    assert plan.objective == pytest.approx(1.0)
    assert shortfall_reasons(plan)["CAMP", "RATIONS", 2].startswith("cheaper to fall short")
