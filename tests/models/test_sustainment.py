"""Hand-solved instances of what a plan owes the mission beyond its daily demand: the end-of-horizon
stock, stores used before demand goes unmet (or rationing when asked), and units that take time
to move. Each docstring derives the plan; the plan checker runs on every one."""

from __future__ import annotations

import pytest

from tests.models.factory import Mission, hub_and_camp, shortfall_reasons, solve_checked


def _isolated_camp(
    *, horizon_days: int, opening: float, per_day: float, safety_days: float
) -> Mission:
    """A camp no convoy can reach, holding ``opening`` t of rations and eating ``per_day`` t."""
    return (
        Mission(horizon_days=horizon_days)
        .supply("RATIONS", safety_stock_days=safety_days)
        .base("CAMP")
        .stock("CAMP", "RATIONS", capacity=100.0, initial=opening)
        .demand("CAMP", "RATIONS", range(1, horizon_days + 1), per_day)
    )


def _end_row(plan: object, base: str, supply: str) -> dict[str, object]:
    table = plan.tables["end_stock"].set_index(["base_id", "supply_id"])  # type: ignore[attr-defined]
    return dict(table.loc[(base, supply)])


def test_an_end_target_that_cannot_be_met_is_reported_with_its_reason() -> None:
    """10 t in store, 2 t a day over 4 days, safety stock 3 days, nothing can arrive.

    Demand comes first: 8 t are eaten, 2 t are left. The end target is the lesser of the safety
    target on day 4 (3 x 2 = 6 t) and the opening stock (10 t): 6 t, so 4 t are missing, because
    no convoy can reach the camp."""
    plan = solve_checked(
        _isolated_camp(horizon_days=4, opening=10.0, per_day=2.0, safety_days=3.0).build()
    )

    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0, abs=1e-6)
    row = _end_row(plan, "CAMP", "RATIONS")
    assert row["target"] == pytest.approx(6.0)
    assert row["closing"] == pytest.approx(2.0)
    assert row["deficit"] == pytest.approx(4.0)
    assert row["reason"] == "no open path in the window"
    assert row["days_of_supply_start"] == pytest.approx(5.0)
    assert row["days_of_supply_end"] == pytest.approx(1.0)


@pytest.mark.parametrize(("policy", "convoys", "closing"), [("opening", 1, 10.0), ("none", 0, 2.0)])
def test_the_end_stock_policy_decides_whether_the_store_is_refilled(
    policy: str, convoys: int, closing: float
) -> None:
    """CAMP holds 10 t and eats 2 t a day on days 1-4; one 10 t truck can bring more (1 day).

    The store alone covers the demand (8 t). With policy ``opening`` the camp must close day 4
    with its opening 10 t: one truck brings 8 t or more (exactly one is needed, the cost tier
    takes no more), closing 10 t. With ``none`` nothing is owed beyond the horizon: no convoy,
    closing 2 t."""
    mission = (
        hub_and_camp(horizon_days=4)
        .home("HUB", "TRUCK", 1)
        .truck_line("L1", cost_per_vehicle=100.0)
        .stock("CAMP", "RATIONS", capacity=1000.0, initial=10.0)
        .demand("CAMP", "RATIONS", range(1, 5), 2.0)
    )
    mission.end_stock_policy = policy
    plan = solve_checked(mission.build())

    assert len(plan.tables["convoys"]) == convoys
    stock = plan.tables["stock"].set_index(["base_id", "day"])
    assert stock.loc[("CAMP", 4), "closing"] == pytest.approx(closing)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("safety_days", [0.0, 2.0])
def test_without_rationing_the_store_is_eaten_first_and_the_shortfall_comes_when_it_is_empty(
    safety_days: float,
) -> None:
    """5 t in store, 1 t a day for 10 days, nothing can arrive: days 1-5 are met from the store,
    days 6-10 are 1 t short each (on no day is the camp short while holding stock), with and
    without a safety target. Each shortfall's reason: no open path."""
    plan = solve_checked(
        _isolated_camp(horizon_days=10, opening=5.0, per_day=1.0, safety_days=safety_days).build()
    )

    stock = plan.tables["stock"].set_index("day")
    assert list(stock["met"].round(6)) == [1.0] * 5 + [0.0] * 5
    assert list(stock["shortfall"].round(6)) == [0.0] * 5 + [1.0] * 5
    assert set(shortfall_reasons(plan).values()) == {"no open path in the window"}


def test_with_rationing_the_end_reserve_is_kept_and_the_shortfall_spread_before_it() -> None:
    """Rationing allowed: the end reserve (the lesser of 2 days x 1 t and the 5 t opening stock,
    2 t) ranks above daily demand, so only 3 t are eaten: days 1-3 are met (an earlier shortfall
    weighs more), days 4-10 are short (7 t), and the camp closes day 10 with its 2 t reserve."""
    mission = _isolated_camp(horizon_days=10, opening=5.0, per_day=1.0, safety_days=2.0)
    mission.rationing = True
    plan = solve_checked(mission.build())

    stock = plan.tables["stock"].set_index("day")
    assert plan.raw_terms["shortfall_units"] == pytest.approx(7.0)
    assert list(stock["met"].round(6)) == [1.0] * 3 + [0.0] * 7
    assert stock.loc[10, "closing"] == pytest.approx(2.0)
    assert plan.raw_terms["end_stock_deficit_units"] == pytest.approx(0.0, abs=1e-6)


def _garrison_move(*, move_day: int, move_exposure: float = 0.0) -> Mission:
    """INF (100 troops, 0.01 t per person-day) at HUB may move to CAMP, 2 days on the road from
    ``move_day``; CAMP needs a garrison of 100 on days 1-5; both bases hold 20 t of rations."""
    mission = (
        Mission(horizon_days=5)
        .supply("RATIONS")
        .base("HUB")
        .base("CAMP")
        .stock("HUB", "RATIONS", capacity=100.0, initial=20.0, per_troop_day=0.01)
        .stock("CAMP", "RATIONS", capacity=100.0, initial=20.0, per_troop_day=0.01)
        .unit(
            "INF",
            strength=100,
            base="HUB",
            candidates=("CAMP",),
            km=300.0,
            move_day=move_day,
            transit_days=2,
            move_exposure=move_exposure,
        )
        .garrison_required("CAMP", 100, range(1, 6))
    )
    mission.end_stock_policy = "none"
    return mission


def test_a_relocated_unit_travels_counts_nowhere_and_eats_from_its_old_base() -> None:
    """INF leaves HUB on day 1, 2 days on the road, with exposure 50 for the move.

    Staying leaves CAMP short 500 troop-days; moving leaves it short only on days 1-2 while the
    unit travels (200 troop-days), so the garrison tier moves it. HUB issues its journey's
    rations on day 1 (100 x 0.01 x 2 = 2 t) and has no demand after; CAMP eats 1 t a day from
    day 3. The move's exposure, 50, is the plan's only exposure."""
    plan = solve_checked(_garrison_move(move_day=1, move_exposure=50.0).build())

    move = plan.tables["allocation"].set_index("unit_id").loc["INF"]
    assert (move["to_base_id"], move["move_day"], move["arrival_day"]) == ("CAMP", 1, 3)
    assert move["transit_days"] == 2 and move["move_exposure"] == pytest.approx(50.0)
    assert plan.raw_terms["garrison_troop_days"] == pytest.approx(200.0)
    assert plan.raw_terms["exposure"] == pytest.approx(50.0)
    demand = plan.tables["stock"].set_index(["base_id", "day"])["demand"]
    assert [demand[("HUB", t)] for t in range(1, 6)] == pytest.approx([2.0, 0, 0, 0, 0])
    assert [demand[("CAMP", t)] for t in range(1, 6)] == pytest.approx([0, 0, 1.0, 1.0, 1.0])


def test_a_unit_leaves_on_its_move_day_and_counts_at_its_old_base_until_then() -> None:
    """The same move from day 3: INF counts at HUB on days 1-2, travels on days 3-4 and counts at
    CAMP on day 5 only: CAMP is short 400 troop-days (days 1-4), still better than 500."""
    plan = solve_checked(_garrison_move(move_day=3).build())

    assert plan.raw_terms["garrison_troop_days"] == pytest.approx(400.0)
    demand = plan.tables["stock"].set_index(["base_id", "day"])["demand"]
    assert [demand[("HUB", t)] for t in range(1, 6)] == pytest.approx([1.0, 1.0, 2.0, 0, 0])
