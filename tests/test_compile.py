"""Compile: the numbers the model sees, checked by hand on a four-base mission.

HUB —R1 (100 km, 0.5 d, level 2)— WP —R2 (80 km, 0.7 d, level 3)— CAMP_A
HUB —R3 (road, 200 km, 1.5 d, level 4)— CAMP_B, and HUB —R4 (air, 150 km)— CAMP_B.
Threat T1 raises R2 to level 5 (the closure level) on days 4–5.
"""

from __future__ import annotations

import pytest

from logistics.compile import compile_scenario
from logistics.rules.schemas import (
    Base,
    Consumption,
    ConvoyLine,
    DayValue,
    FleetEntry,
    Route,
    Scenario,
    Settings,
    Stock,
    Supply,
    Threat,
    Unit,
    Vehicle,
)
from models.data import ModelData


def _scenario(
    convoys: tuple[ConvoyLine, ...] | None = None, threats: tuple[Threat, ...] | None = None
) -> Scenario:
    return Scenario(
        settings=Settings(horizon_days=10),
        supplies=(
            Supply(supply_id="RATIONS", unit="t", mass_t_per_unit=1, cargo_type="dry", priority=2),
        ),
        consumption=(
            Consumption(supply_id="RATIONS", quantity_per_person_day=0.003),
            Consumption(supply_id="RATIONS", base_kind="hub", quantity_per_person_day=0.004),
        ),
        bases=(
            Base(
                base_id="HUB",
                kind="hub",
                sector="S1",
                latitude_deg=15,
                longitude_deg=0,
                accommodation_troops=500,
                airfield_class="paved_runway",
            ),
            Base(base_id="WP", kind="waypoint", sector="S1", latitude_deg=15.5, longitude_deg=0.5),
            Base(
                base_id="CAMP_A",
                kind="camp",
                sector="S1",
                latitude_deg=16,
                longitude_deg=1,
                accommodation_troops=200,
                min_garrison_troops=50,
            ),
            Base(
                base_id="CAMP_B",
                kind="camp",
                sector="S2",
                latitude_deg=14,
                longitude_deg=-1,
                accommodation_troops=100,
                airfield_class="helipad",
            ),
        ),
        stocks=(Stock(base_id="HUB", supply_id="RATIONS", capacity=100, initial_stock=50),),
        routes=(
            Route(
                route_id="R1",
                from_base_id="HUB",
                to_base_id="WP",
                mode="road",
                distance_km=100,
                transit_days=0.5,
                threat_level=2,
            ),
            Route(
                route_id="R2",
                from_base_id="WP",
                to_base_id="CAMP_A",
                mode="road",
                distance_km=80,
                transit_days=0.7,
                threat_level=3,
                max_convoys_per_day=1,
            ),
            Route(
                route_id="R3",
                from_base_id="HUB",
                to_base_id="CAMP_B",
                mode="road",
                distance_km=200,
                transit_days=1.5,
                threat_level=4,
            ),
            Route(
                route_id="R4",
                from_base_id="HUB",
                to_base_id="CAMP_B",
                mode="air",
                distance_km=150,
                transit_days=0.1,
            ),
        ),
        vehicles=(
            Vehicle(
                vehicle_type_id="TRUCK",
                mode="road",
                cargo_types="dry",
                payload_t=10,
                cost_usd_per_km=2,
            ),
            Vehicle(
                vehicle_type_id="HELI",
                mode="air",
                cargo_types="dry;water",
                payload_t=3,
                speed_kmh=200,
                cost_usd_per_flight_hour=4000,
                sorties_per_day=3,
                min_airfield_class="helipad",
            ),
            Vehicle(
                vehicle_type_id="C130",
                mode="air",
                cargo_types="dry",
                payload_t=15,
                speed_kmh=450,
                cost_usd_per_flight_hour=6000,
                min_airfield_class="unpaved_strip",
            ),
        ),
        fleet=(
            FleetEntry(base_id="HUB", vehicle_type_id="TRUCK", count=4),
            FleetEntry(base_id="HUB", vehicle_type_id="HELI", count=1),
            FleetEntry(base_id="HUB", vehicle_type_id="C130", count=1),
        ),
        convoys=convoys
        if convoys is not None
        else (
            ConvoyLine(
                line_id="L_A",
                origin_base_id="HUB",
                destination_base_id="CAMP_A",
                via_base_ids=("WP",),
                max_vehicles=4,
            ),
            ConvoyLine(
                line_id="AIR_B",
                origin_base_id="HUB",
                destination_base_id="CAMP_B",
                mode="air",
                max_vehicles=3,
            ),
        ),
        threats=threats
        if threats is not None
        else (
            Threat(
                threat_id="T1", threat_type="ied", level=5, route_id="R2", first_day=4, last_day=5
            ),
        ),
        units=(
            Unit(
                unit_id="U1",
                country="X",
                unit_type="infantry",
                strength=150,
                current_base_id="CAMP_A",
                allowed_sectors=("S1",),
            ),
            Unit(
                unit_id="U2",
                country="Y",
                unit_type="convoy_escort",
                strength=100,
                current_base_id="HUB",
                may_move=False,
                escort_capable=True,
            ),
        ),
    )


@pytest.fixture(scope="module")
def data() -> ModelData:
    return compile_scenario(_scenario())


def test_offsets_and_round_trip(data: ModelData) -> None:
    """Cumulative transit 0.5 → WP on day +1; 1.2 → CAMP_A on day +2; round trip ceil(2.4) = 3 days."""
    line = data.lines["L_A"]
    assert line.path == ("HUB", "WP", "CAMP_A")
    assert line.legs == ("R1", "R2")
    assert dict(line.drop_offset_days) == {"WP": 1, "CAMP_A": 2}
    assert line.round_trip_days == 3


def test_threat_closure_removes_departures_that_would_be_on_the_closed_leg(data: ModelData) -> None:
    """R2 is driven on days t..t+1 (outbound 0.5–1.2, back 1.2–1.9), so t = 3, 4, 5 touch days 4–5.

    Departures must also arrive by day 10: t + 1 ≤ 10.
    """
    assert data.lines["L_A"].departure_days == (1, 2, 6, 7, 8, 9)
    assert data.route_open[("R2", 4)] is False
    assert data.route_open[("R2", 6)] is True
    assert data.route_threat_level[("R2", 5)] == 5


def test_escort_and_exposure_follow_the_highest_level_on_the_round_trip(data: ModelData) -> None:
    """Day 1: R1 at level 2 (weight 2), R2 at level 3 (weight 4), both ways: 2·(100·2 + 80·4) = 1040."""
    assert data.line_threat_level[("L_A", 1)] == 3
    assert data.escort_troops_per_convoy[("L_A", 1)] == 16
    assert data.escort_troops_per_group[("L_A", 1)] == 4
    assert data.exposure_per_vehicle[("L_A", 1)] == pytest.approx(1040)


def test_air_line_has_no_escort_and_only_aircraft_its_airfields_admit(data: ModelData) -> None:
    """CAMP_B has a helipad: the C-130 (needs an unpaved strip) is excluded; flight cost 2·150/200·4000."""
    line = data.lines["AIR_B"]
    assert line.vehicle_types == ("HELI",)
    assert data.escort_troops_per_convoy[("AIR_B", 1)] == 0
    assert data.cost_usd_per_vehicle[("AIR_B", "HELI")] == pytest.approx(6000)
    assert data.trips_per_day["HELI"] == 3
    assert line.round_trip_days == 1


def test_route_entries_count_convoys_entering_a_limited_route(data: ModelData) -> None:
    """R2 (limited to 1 per day) is entered on day t + floor(0.5) = t."""
    assert data.route_entries[("R2", 6)] == (("L_A", 6),)
    assert data.route_max_convoys_per_day[("R2", 6)] == 1
    assert ("R1", 6) not in data.route_max_convoys_per_day


def test_consumption_by_base_kind_and_stock_points(data: ModelData) -> None:
    assert data.consumption_per_troop_day[("HUB", "RATIONS")] == pytest.approx(0.004)
    assert data.consumption_per_troop_day[("CAMP_A", "RATIONS")] == pytest.approx(0.003)
    assert ("WP", "RATIONS") not in data.STOCK_POINTS
    assert data.STOCK_POINTS == (("HUB", "RATIONS"), ("CAMP_A", "RATIONS"), ("CAMP_B", "RATIONS"))


def test_caveats_shape_candidate_bases_and_relocation_uses_road_distance(data: ModelData) -> None:
    assert data.unit_candidate_bases["U1"] == ("HUB", "CAMP_A")
    assert data.unit_candidate_bases["U2"] == ("HUB",)
    assert data.relocation_km[("U1", "HUB")] == pytest.approx(180)


def test_area_threat_maps_onto_bases_and_routes_inside_it() -> None:
    """An ambush area of 60 km around CAMP_B covers the base and the road R3 ending there, not
    R1/R2; the air route R4 also ends there, but an ambush does not endanger aircraft."""
    area = Threat(
        threat_id="A1",
        threat_type="ambush",
        level=4,
        latitude_deg=14,
        longitude_deg=-1,
        radius_km=60,
        first_day=2,
        last_day=3,
    )
    data = compile_scenario(_scenario(threats=(area,)))
    assert data.base_threat_level[("CAMP_B", 2)] == 4
    assert data.base_threat_level[("CAMP_B", 4)] == 1
    assert data.route_threat_level[("R3", 3)] == 4
    assert data.route_threat_level[("R4", 3)] == 1
    assert data.route_threat_level[("R1", 3)] == 2
    assert data.garrison_required_troops.get(("CAMP_B", 2)) == 75


def test_empty_convoys_sheet_generates_one_line_per_route_direction_with_vehicles() -> None:
    """Only HUB has vehicles: lines leave HUB on R1 and R3 (road) and R4 (air)."""
    data = compile_scenario(_scenario(convoys=()))
    assert sorted(data.LINES) == ["R1.HUB-WP", "R3.HUB-CAMP_B", "R4.HUB-CAMP_B"]
    assert data.lines["R3.HUB-CAMP_B"].max_vehicles == 4
    assert all(line.generated for line in data.lines.values())


def _with_day_values(*values: DayValue) -> ModelData:
    return compile_scenario(_scenario().model_copy(update={"day_values": values}))


def test_route_closed_for_a_range_of_days_removes_departures_on_it() -> None:
    """R1 (HUB–WP) closed days 6–7: L_A is on R1 on days t and t+1..t+2 (return 1.9–2.4), so
    departures 4..7 are gone too; day 3 and 8 stay only if R2's threat closure (days 4–5) allows."""
    data = _with_day_values(
        DayValue(sheet="Routes", record_id="R1", field="open", value=False, first_day=6, last_day=7)
    )
    assert data.route_open[("R1", 6)] is False
    assert data.route_open[("R1", 8)] is True
    assert data.lines["L_A"].departure_days == (1, 2, 8, 9)


def test_threat_level_raised_for_some_days_changes_escorts_and_exposure_on_those_days() -> None:
    """R1 at level 4 on days 1–2: a day-1 departure drives R1 on days 1–3, so it meets level 4."""
    data = _with_day_values(
        DayValue(sheet="Routes", record_id="R1", field="threat_level", value=4, last_day=2)
    )
    assert data.route_threat_level[("R1", 2)] == 4
    assert data.route_threat_level[("R1", 3)] == 2
    assert data.line_threat_level[("L_A", 1)] == 4
    assert data.escort_troops_per_convoy[("L_A", 1)] == 24
    assert data.line_threat_level[("L_A", 6)] == 3


def test_route_limit_and_source_and_demand_values_vary_by_day() -> None:
    data = _with_day_values(
        DayValue(
            sheet="Routes",
            record_id="R2",
            field="max_convoys_per_day",
            value=0,
            first_day=8,
            last_day=8,
        ),
        DayValue(
            sheet="Stocks",
            record_id="HUB/RATIONS",
            field="fixed_demand_per_day",
            value=2.5,
            first_day=3,
            last_day=4,
        ),
        DayValue(
            sheet="Bases", record_id="CAMP_A", field="min_garrison_troops", value=120, first_day=5
        ),
    )
    assert data.route_max_convoys_per_day[("R2", 8)] == 0
    assert data.route_max_convoys_per_day[("R2", 9)] == 1
    assert data.fixed_demand[("HUB", "RATIONS", 3)] == pytest.approx(2.5)
    assert ("HUB", "RATIONS", 5) not in data.fixed_demand
    assert data.garrison_required_troops[("CAMP_A", 4)] == 50
    assert data.garrison_required_troops[("CAMP_A", 5)] == 120
