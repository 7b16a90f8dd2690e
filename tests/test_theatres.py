"""Features a second theatre needs, each changing a small hand-solved plan as derived below.

The theatre: HUB (unlimited RATIONS, paved runway) and CAMP (storage 2,000 t, light strip), joined
by the road R1 (100 km, 1 day) and the air route AIR1 (100 km, 0.1 day); FOB, a camp off the
network, can hold escort troops. Vehicles: TRUCK (road, 10 t, 1 USD/km), HELO (min helipad, so a
helicopter: 3 t, 2 sorties a day, 1,000 USD per 100 km round trip), PLANE (min light strip, so
fixed-wing: 12 t, 750 USD per round trip), C130 (needs an unpaved strip) and BARGE (river,
1,000 t). Troops consume nothing; the horizon is 6 days and the
demand is at CAMP on the days each test gives. Every plan is checked by the plan checker.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from logistics.compile import compile_scenario
from logistics.rules.schemas import (
    Base,
    Consumption,
    ConvoyLine,
    Demand,
    FleetEntry,
    Route,
    RouteSeason,
    Scenario,
    Settings,
    Source,
    Stock,
    Supply,
    Threat,
    Unit,
    Vehicle,
)
from models import Plan
from models.data import ModelData
from tests.models.factory import shortfall_reasons, solve_checked
from tests.models.plan_checker import check_plan

HORIZON = 6


def _base(base_id: str, latitude: float, **changes: Any) -> Base:
    fields: dict[str, Any] = {
        "base_id": base_id,
        "kind": "camp",
        "sector": "S1",
        "latitude_deg": latitude,
        "longitude_deg": 0.0,
        "accommodation_troops": 100,
    }
    return Base(**(fields | changes))


def _route(route_id: str, mode: str, transit_days: float, **changes: Any) -> Route:
    fields: dict[str, Any] = {
        "route_id": route_id,
        "from_base_id": "HUB",
        "to_base_id": "CAMP",
        "mode": mode,
        "distance_km": 100.0,
        "transit_days": transit_days,
    }
    return Route(**(fields | changes))


VEHICLES = (
    Vehicle(
        vehicle_type_id="TRUCK", mode="road", cargo_types="dry", payload_t=10, cost_usd_per_km=1
    ),
    Vehicle(
        vehicle_type_id="HELO",
        mode="air",
        cargo_types="dry",
        payload_t=3,
        cost_usd_per_flight_hour=1000,
        speed_kmh=200,
        sorties_per_day=2,
        min_airfield_class="helipad",
    ),
    Vehicle(
        vehicle_type_id="PLANE",
        mode="air",
        cargo_types="dry",
        payload_t=12,
        cost_usd_per_flight_hour=1500,
        speed_kmh=400,
        min_airfield_class="light_strip",
    ),
    Vehicle(
        vehicle_type_id="C130",
        mode="air",
        cargo_types="dry",
        payload_t=20,
        cost_usd_per_flight_hour=5000,
        speed_kmh=500,
        min_airfield_class="unpaved_strip",
    ),
    Vehicle(vehicle_type_id="BARGE", mode="river", cargo_types="dry", payload_t=1000),
)


def theatre(
    *,
    demand_t: float,
    demand_day: int = HORIZON,
    fleet: dict[str, int],
    lines: tuple[tuple[str, str], ...],
    road_open: bool = True,
    **changes: Any,
) -> Scenario:
    """The theatre above with ``demand_t`` at CAMP on ``demand_day``, ``fleet`` at HUB and one
    convoy line HUB → CAMP per (line id, mode) of ``lines``; ``changes`` replace whole sheets."""
    sheets: dict[str, Any] = {
        "settings": Settings(horizon_days=HORIZON, time_limit_s=30),
        "supplies": (Supply(supply_id="RATIONS", unit="t", mass_t_per_unit=1, cargo_type="dry"),),
        "consumption": (Consumption(supply_id="RATIONS", quantity_per_person_day=0),),
        "bases": (
            _base("HUB", 15.0, kind="hub", airfield_class="paved_runway"),
            _base("CAMP", 15.5, airfield_class="light_strip"),
            _base("FOB", 16.0),
        ),
        "stocks": (Stock(base_id="CAMP", supply_id="RATIONS", capacity=2000),),
        "sources": (Source(base_id="HUB", supply_id="RATIONS", quantity_per_day=10_000),),
        "demands": (
            Demand(
                demand_id="D1",
                base_id="CAMP",
                supply_id="RATIONS",
                first_day=demand_day,
                last_day=demand_day,
                quantity_per_day=demand_t,
            ),
        ),
        "routes": (_route("R1", "road", 1.0, open=road_open), _route("AIR1", "air", 0.1)),
        "vehicles": VEHICLES,
        "fleet": tuple(
            FleetEntry(base_id="HUB", vehicle_type_id=v, count=n) for v, n in fleet.items()
        ),
        "convoys": tuple(
            ConvoyLine(
                line_id=line_id,
                origin_base_id="HUB",
                destination_base_id="CAMP",
                mode=mode,
                max_vehicles=4,
            )
            for line_id, mode in lines
        ),
    }
    return Scenario(**(sheets | changes))


def solved(scenario: Scenario) -> tuple[ModelData, Plan]:
    """The scenario compiled, solved to optimality and checked."""
    data = compile_scenario(scenario)
    return data, solve_checked(data)


def vehicles_used(plan: Plan) -> dict[str, int]:
    """Vehicles (sorties for aircraft) of each type over the plan."""
    counts: Counter[str] = Counter()
    for row in plan.tables["convoy_vehicles"].itertuples():
        counts[row.vehicle_type_id] += int(row.count)
    return dict(counts)


# ---- 1. route seasons ------------------------------------------------------------------------


def road_with(*seasons: RouteSeason) -> Scenario:
    """One truck on the line ROAD, 30 t needed at CAMP on day 6."""
    return theatre(
        demand_t=30, fleet={"TRUCK": 1}, lines=(("ROAD", "road"),), route_seasons=seasons
    )


def test_without_seasons_one_truck_delivers_three_loads() -> None:
    """Round trip 2 days: the truck leaves on days 1, 3 and 5 and brings 30 t by day 6."""
    data, plan = solved(road_with())
    assert data.lines["ROAD"].timetables == {}
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)
    assert len(plan.tables["convoys"]) == 3


def test_a_slow_season_lengthens_the_trips_that_enter_the_road_in_it() -> None:
    """From day 3 the road takes 2 days. Leaving on day 1: out on day 1 (1 day), back on day 2
    (1 day): home on day 3. Leaving on day 2: out on day 2 (1 day), back on day 3 (2 days): home
    after 3 days. Leaving on day 3 or later: at CAMP after 2 days, home after 4. So the truck can
    deliver twice by day 6, leaving on day 1 and then on day 3 or 4 (2 days to CAMP), and a
    departure on day 2 would be home only on day 5, too late: 20 t, 10 t short."""
    data, plan = solved(road_with(RouteSeason(route_id="R1", first_day=3, transit_days=2)))
    line = data.lines["ROAD"]
    assert [line.round_trip(t) for t in (1, 2, 3)] == [2, 3, 4]
    assert [line.drop_offset("CAMP", t) for t in (1, 2, 3)] == [1, 1, 2]
    assert line.departure_days == (1, 2, 3, 4)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(10.0)
    convoys = plan.tables["convoys"]
    days = dict(zip(convoys["convoy_id"], convoys["depart_day"], strict=True))
    offsets = sorted(
        row.arrival_day - days[row.convoy_id] for row in plan.tables["cargo"].itertuples()
    )
    assert offsets == [1, 2]


def test_a_closed_season_removes_the_departures_that_would_be_on_the_road() -> None:
    """Closed on days 4–5: a departure on day t is on the road on days t and t + 1, so only
    days 1 and 2 remain (day 6 would arrive after the horizon); the truck is away on days 1–2,
    so it delivers once: 10 t, 20 t short."""
    data, plan = solved(road_with(RouteSeason(route_id="R1", first_day=4, last_day=5, open=False)))
    assert data.lines["ROAD"].departure_days == (1, 2)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(20.0)


def test_a_season_opens_a_route_outside_its_own_window() -> None:
    """The road is open only to day 2 but a season opens it again from day 4, at 1 day."""
    base = road_with(RouteSeason(route_id="R1", first_day=4))
    routes = (base.routes[0].model_copy(update={"open_to_day": 2}), base.routes[1])
    data = compile_scenario(base.model_copy(update={"routes": routes}))
    assert data.lines["ROAD"].departure_days == (1, 4, 5)


# ---- 2 and 3. light strips, fixed-wing and helicopters ------------------------------------------


def air_only(demand_t: float, **changes: Any) -> Scenario:
    """The road closed; one HELO and one PLANE at HUB on the air line AIR (up to 4 sorties)."""
    fleet = changes.pop("fleet", {"HELO": 1, "PLANE": 1})
    return theatre(
        demand_t=demand_t, fleet=fleet, lines=(("AIR", "air"),), road_open=False, **changes
    )


def test_a_light_strip_admits_a_light_plane_a_helipad_does_not() -> None:
    """30 t on day 6 by PLANE (12 t a sortie, one a day): 3 sorties meet it at CAMP's light
    strip, where the C-130 (needing an unpaved strip) cannot land; with a helipad instead
    neither can land (no HELO is based at HUB in this case) and all 30 t fall short."""
    strip = air_only(30, fleet={"PLANE": 1, "C130": 1})
    data, plan = solved(strip)
    assert data.lines["AIR"].vehicle_types == ("PLANE",)
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)
    assert vehicles_used(plan) == {"PLANE": 3}

    bases = tuple(
        b.model_copy(update={"airfield_class": "helipad"}) if b.base_id == "CAMP" else b
        for b in strip.bases
    )
    data, plan = solved(strip.model_copy(update={"bases": bases}))
    assert data.lines["AIR"].vehicle_types == ()
    assert plan.raw_terms["shortfall_units"] == pytest.approx(30.0)


def test_a_helicopter_only_route_takes_four_helicopter_sorties_instead_of_one_plane() -> None:
    """12 t on day 6: one PLANE sortie (750 USD) beats four HELO sorties (4,000 USD); when AIR1
    admits helicopters only, the 12 t take 4 HELO sorties of 3 t."""
    data, plan = solved(air_only(12))
    assert data.vehicle_aircraft == {
        "HELO": "helicopter",
        "PLANE": "fixed_wing",
        "C130": "fixed_wing",
    }
    assert vehicles_used(plan) == {"PLANE": 1}

    scenario = air_only(12)
    routes = (scenario.routes[0], scenario.routes[1].model_copy(update={"aircraft": "helicopter"}))
    data, plan = solved(scenario.model_copy(update={"routes": routes}))
    assert data.lines["AIR"].vehicle_types == ("HELO",)
    assert vehicles_used(plan) == {"HELO": 4}
    assert plan.raw_terms["shortfall_units"] == pytest.approx(0.0)


def test_a_given_aircraft_kind_overrides_the_inferred_one() -> None:
    """HELO declared fixed_wing is kept off a helicopter-only route."""
    scenario = air_only(12)
    vehicles = tuple(
        v.model_copy(update={"aircraft": "fixed_wing"}) if v.vehicle_type_id == "HELO" else v
        for v in scenario.vehicles
    )
    routes = (scenario.routes[0], scenario.routes[1].model_copy(update={"aircraft": "helicopter"}))
    data = compile_scenario(scenario.model_copy(update={"vehicles": vehicles, "routes": routes}))
    assert data.lines["AIR"].vehicle_types == ()


# ---- 4. threats that endanger some modes -------------------------------------------------------


@pytest.mark.parametrize(
    ("threat_type", "modes", "convoy_modes", "short_t"),
    [
        ("mines", (), {"air"}, 0.0),
        ("manpads", (), {"road"}, 0.0),
        ("indirect_fire", (), set(), 12.0),
        ("ambush", ("air",), {"road"}, 0.0),
    ],
)
def test_a_threat_closes_only_the_routes_of_the_modes_it_endangers(
    threat_type: str, modes: tuple[str, ...], convoy_modes: set[str], short_t: float
) -> None:
    """A level-5 threat (the closure level) over CAMP for the whole horizon, 12 t needed on
    day 6, three trucks (200 USD a trip) and one HELO (1,000 USD a sortie). Mines close the road,
    so 4 HELO sorties fly the 12 t; MANPADS (or an ambush declared on air) close the air route,
    so 2 trucks drive; indirect fire closes both and all 12 t fall short."""
    threat = Threat(
        threat_id="T1",
        threat_type=threat_type,
        level=5,
        latitude_deg=15.5,
        longitude_deg=0.0,
        radius_km=10,
        modes=modes,
    )
    scenario = theatre(
        demand_t=12,
        fleet={"TRUCK": 3, "HELO": 1},
        lines=(("ROAD", "road"), ("AIR", "air")),
        threats=(threat,),
    )
    _, plan = solved(scenario)
    assert set(plan.tables["convoys"]["mode"]) == convoy_modes
    assert plan.raw_terms["shortfall_units"] == pytest.approx(short_t)


# ---- 5. river barges -------------------------------------------------------------------------


def test_a_barge_carries_1000_t_in_one_convoy() -> None:
    """The river RIV (300 km, 3 days) and one 1,000 t BARGE: 1,000 t on day 6 in one trip."""
    scenario = theatre(
        demand_t=1000,
        fleet={"BARGE": 1},
        lines=(("RIVER", "river"),),
        routes=(_route("RIV", "river", 3.0, distance_km=300),),
    )
    _, plan = solved(scenario)
    assert len(plan.tables["convoys"]) == 1
    assert plan.tables["cargo"]["quantity"].sum() == pytest.approx(1000.0)


# ---- 6. escorts from another base --------------------------------------------------------------


def escorted_from(escort_base: str | None) -> Scenario:
    """R1 at threat level 2 (8 escort troops a convoy), one truck, the only escort unit (8
    troops) at FOB, and the line ROAD escorted from ``escort_base``."""
    scenario = theatre(demand_t=30, fleet={"TRUCK": 1}, lines=(("ROAD", "road"),))
    routes = (scenario.routes[0].model_copy(update={"threat_level": 2}), scenario.routes[1])
    convoys = (scenario.convoys[0].model_copy(update={"escort_base_id": escort_base}),)
    escort = Unit(
        unit_id="ESC",
        country="X",
        unit_type="convoy_escort",
        strength=8,
        current_base_id="FOB",
        may_move=False,
        escort_capable=True,
    )
    return scenario.model_copy(update={"routes": routes, "convoys": convoys, "units": (escort,)})


@pytest.mark.parametrize(("escort_base", "short_t"), [(None, 30.0), ("FOB", 0.0)])
def test_escorts_come_from_the_escort_base(escort_base: str | None, short_t: float) -> None:
    """Escorted from HUB no convoy can leave: 30 t short. Escorted from FOB the one truck runs
    on days 1, 3 and 5 (one convoy away at a time, so 8 troops suffice): nothing short."""
    data, plan = solved(escorted_from(escort_base))
    assert data.lines["ROAD"].escort_origin == (escort_base or "HUB")
    assert plan.raw_terms["shortfall_units"] == pytest.approx(short_t)


# ---- 7. sorties per airfield -----------------------------------------------------------------


@pytest.mark.parametrize(("limit", "short_t"), [(None, 0.0), (1, 6.0)])
def test_a_sortie_limit_at_the_camp_caps_the_helicopter_landings(
    limit: int | None, short_t: float
) -> None:
    """12 t on day 3 by one HELO (3 t, 2 sorties a day): 2 sorties on day 1 and 2 on day 2 land
    on days 2 and 3 and meet it. With CAMP limited to 1 movement a day, one landing a day: 6 t,
    6 t short, for want of airfield sorties."""
    scenario = air_only(12, demand_day=3, fleet={"HELO": 1})
    bases = tuple(
        b.model_copy(update={"max_sorties_per_day": limit}) if b.base_id == "CAMP" else b
        for b in scenario.bases
    )
    data, plan = solved(scenario.model_copy(update={"bases": bases}))
    assert plan.raw_terms["shortfall_units"] == pytest.approx(short_t)
    if limit is not None:
        assert data.max_sorties_per_day == {"CAMP": 1}
        assert shortfall_reasons(plan)["CAMP", "RATIONS", 3] == "airfield sorties"


# ---- the plan checker sees each property broken ------------------------------------------------


def _refused(plan_of: Scenario, judged_by: Scenario, message: str) -> None:
    """The plan solved for ``plan_of`` breaks a rule of ``judged_by`` that the checker names."""
    _, plan = solved(plan_of)
    with pytest.raises(AssertionError, match=message):
        check_plan(compile_scenario(judged_by), plan)


def test_the_checker_refuses_a_plan_timed_without_the_season() -> None:
    slow = RouteSeason(route_id="R1", first_day=3, transit_days=2)
    _refused(road_with(), road_with(slow), "ROAD-d03 returns on day 5")


def test_the_checker_refuses_an_aircraft_on_a_route_closed_to_its_kind() -> None:
    scenario = air_only(12)
    routes = (scenario.routes[0], scenario.routes[1].model_copy(update={"aircraft": "helicopter"}))
    helicopters_only = scenario.model_copy(update={"routes": routes})
    _refused(scenario, helicopters_only, "flies PLANE on AIR1, open to helicopter only")


def test_the_checker_refuses_too_many_movements_at_an_airfield() -> None:
    scenario = air_only(12, demand_day=3, fleet={"HELO": 1})
    bases = tuple(
        b.model_copy(update={"max_sorties_per_day": 1}) if b.base_id == "CAMP" else b
        for b in scenario.bases
    )
    limited = scenario.model_copy(update={"bases": bases})
    _refused(scenario, limited, "2 aircraft movements at CAMP on day 2, limit 1")


def test_the_checker_refuses_escorts_drawn_from_the_wrong_base() -> None:
    _refused(escorted_from("FOB"), escorted_from(None), "8 escort troops away from HUB on day 1, 0")
