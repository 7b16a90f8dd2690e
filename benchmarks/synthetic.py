"""Synthetic missions of any size, with the same schemas as a planner's workbook.

A mission of ``n_bases`` has one port, about one hub per ten bases and camps around them, scattered
over a Sahel-sized box. Roads join the port to the hubs, the hubs in a chain, and every camp to its
nearest hub and to its nearest other camp; hubs and camps with an airfield are also joined by air.
Convoy lines run from each hub to each of its camps (by road every other day, and by air where there
is an airfield) and from the port to each hub. Threat levels, distances and fleets are drawn from a
seeded generator, so a size always gives the same mission.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import pairwise

from logistics.rules.network import haversine_km
from logistics.rules.schemas import (
    Base,
    Consumption,
    ConvoyLine,
    FleetEntry,
    Route,
    Scenario,
    Settings,
    Source,
    Stock,
    Supply,
    Threat,
    Unit,
    Vehicle,
)

SUPPLIES = (
    Supply(
        supply_id="WATER",
        unit="kL",
        mass_t_per_unit=1.0,
        cargo_type="water",
        priority=1,
        safety_stock_days=5,
    ),
    Supply(
        supply_id="RATIONS",
        unit="t",
        mass_t_per_unit=1.0,
        cargo_type="dry",
        priority=2,
        safety_stock_days=10,
    ),
    Supply(
        supply_id="FUEL",
        unit="kL",
        mass_t_per_unit=0.84,
        cargo_type="fuel",
        priority=2,
        safety_stock_days=10,
    ),
    Supply(
        supply_id="AMMO",
        unit="t",
        mass_t_per_unit=1.0,
        cargo_type="dry",
        priority=3,
        safety_stock_days=10,
    ),
)
HUB_TROOPS = 1500
DAILY_NEED_PER_TROOP = {"WATER": 0.084, "RATIONS": 0.003, "FUEL": 0.010, "AMMO": 0.0003}
VEHICLES = (
    Vehicle(
        vehicle_type_id="TRUCK",
        mode="road",
        cargo_types="dry;water",
        payload_t=10,
        cost_usd_per_km=4,
    ),
    Vehicle(
        vehicle_type_id="TANKER", mode="road", cargo_types="fuel", payload_t=8.4, cost_usd_per_km=4
    ),
    Vehicle(
        vehicle_type_id="HELI",
        mode="air",
        cargo_types="dry;water",
        payload_t=3,
        speed_kmh=220,
        cost_usd_per_flight_hour=4000,
        sorties_per_day=3,
        min_airfield_class="helipad",
    ),
)


@dataclass(frozen=True)
class _Place:
    base_id: str
    lat: float
    lon: float


def synthetic_mission(n_bases: int, horizon_days: int = 90, seed: int = 7) -> Scenario:
    """A mission with ``n_bases`` bases (at least 3) over ``horizon_days`` days."""
    if n_bases < 3:
        raise ValueError("a synthetic mission needs at least 3 bases")
    rng = random.Random(seed)
    n_hubs = max(1, n_bases // 10)
    port = _Place("PORT", 12.0, -8.0)
    hubs = [_Place(f"H{i:03d}", rng.uniform(13, 20), rng.uniform(-5, 3)) for i in range(n_hubs)]
    camps = [
        _Place(f"C{i:03d}", rng.uniform(13, 20), rng.uniform(-5, 3))
        for i in range(n_bases - n_hubs - 1)
    ]
    home = {c.base_id: min(hubs, key=lambda h: _km(c, h)) for c in camps}
    strength = {c.base_id: rng.choice((150, 200, 300, 450, 650)) for c in camps}
    helipad = {c.base_id: rng.random() < 0.4 for c in camps}

    routes = _routes(port, hubs, camps, home, helipad, rng)
    return Scenario(
        settings=Settings(
            scenario_name=f"Synthetic mission, {n_bases} bases",
            horizon_days=horizon_days,
            time_limit_s=600,
        ),
        supplies=SUPPLIES,
        consumption=tuple(
            Consumption(supply_id=k, quantity_per_person_day=rate)
            for k, rate in DAILY_NEED_PER_TROOP.items()
        ),
        bases=_bases(port, hubs, camps, home, strength, helipad),
        stocks=_stocks(hubs, camps, strength),
        sources=_sources(hubs, camps, strength),
        routes=routes,
        vehicles=VEHICLES,
        fleet=_fleet(port, hubs, camps, home, rng),
        convoys=_lines(port, hubs, camps, home, helipad),
        threats=tuple(
            Threat(
                threat_id=f"T{i:03d}",
                threat_type="ied",
                level=5,
                route_id=r.route_id,
                first_day=d,
                last_day=d + 6,
            )
            for i, (r, d) in enumerate(
                (r, rng.randint(1, horizon_days))
                for r in routes
                if r.mode == "road" and rng.random() < 0.05
            )
        ),
        units=_units(hubs, camps, home, strength, rng),
    )


def _km(a: _Place, b: _Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _bases(
    port: _Place,
    hubs: list[_Place],
    camps: list[_Place],
    home: dict[str, _Place],
    strength: dict[str, int],
    helipad: dict[str, bool],
) -> tuple[Base, ...]:
    """Each hub and the camps nearest to it form one sector."""
    rows = [
        Base(
            base_id=port.base_id,
            kind="port",
            sector="EXT",
            latitude_deg=port.lat,
            longitude_deg=port.lon,
        )
    ]
    rows += [
        Base(
            base_id=h.base_id,
            kind="hub",
            sector=h.base_id,
            latitude_deg=h.lat,
            longitude_deg=h.lon,
            accommodation_troops=HUB_TROOPS,
            min_garrison_troops=300,
            airfield_class="paved_runway",
        )
        for h in hubs
    ]
    rows += [
        Base(
            base_id=c.base_id,
            kind="camp",
            sector=home[c.base_id].base_id,
            latitude_deg=c.lat,
            longitude_deg=c.lon,
            accommodation_troops=math.ceil(strength[c.base_id] * 1.3),
            min_garrison_troops=math.ceil(strength[c.base_id] * 0.6),
            airfield_class="helipad" if helipad[c.base_id] else "none",
        )
        for c in camps
    ]
    return tuple(rows)


def _road(route_id: str, a: _Place, b: _Place, level: int) -> Route:
    km = round(_km(a, b) * 1.25, 1)
    return Route(
        route_id=route_id,
        from_base_id=a.base_id,
        to_base_id=b.base_id,
        mode="road",
        distance_km=km,
        transit_days=round(max(0.5, km / 300), 1),
        threat_level=level,
    )


def _routes(
    port: _Place,
    hubs: list[_Place],
    camps: list[_Place],
    home: dict[str, _Place],
    helipad: dict[str, bool],
    rng: random.Random,
) -> tuple[Route, ...]:
    routes = [_road(f"RP{h.base_id}", port, h, 2) for h in hubs]
    routes += [
        _road(f"RH{a.base_id}{b.base_id}", a, b, rng.randint(2, 4)) for a, b in pairwise(hubs)
    ]
    routes += [_road(f"R{c.base_id}", home[c.base_id], c, rng.randint(2, 4)) for c in camps]
    for c in camps:
        neighbour = min((o for o in camps if o is not c), key=lambda o: _km(c, o), default=None)
        if neighbour is not None and c.base_id < neighbour.base_id:
            routes.append(
                _road(f"R{c.base_id}{neighbour.base_id}", c, neighbour, rng.randint(3, 4))
            )
    routes += [
        Route(
            route_id=f"A{c.base_id}",
            from_base_id=home[c.base_id].base_id,
            to_base_id=c.base_id,
            mode="air",
            distance_km=round(_km(home[c.base_id], c), 1),
            transit_days=0.1,
            max_convoys_per_day=6,
        )
        for c in camps
        if helipad[c.base_id]
    ]
    return tuple(routes)


def _stocks(hubs: list[_Place], camps: list[_Place], strength: dict[str, int]) -> tuple[Stock, ...]:
    rows: list[Stock] = []
    for place, troops, capacity_days, initial_days in (
        *((h, HUB_TROOPS, 30, 15) for h in hubs),
        *((c, strength[c.base_id], 20, 8) for c in camps),
    ):
        for supply_id, rate in DAILY_NEED_PER_TROOP.items():
            daily = rate * troops
            rows.append(
                Stock(
                    base_id=place.base_id,
                    supply_id=supply_id,
                    capacity=round(daily * capacity_days, 2),
                    initial_stock=round(daily * initial_days, 2),
                )
            )
    return tuple(rows)


def _sources(
    hubs: list[_Place], camps: list[_Place], strength: dict[str, int]
) -> tuple[Source, ...]:
    """The port supplies every class; boreholes cover 90 % of camp water and more at hubs."""
    port = tuple(
        Source(base_id="PORT", supply_id=s.supply_id, quantity_per_day=1e6, unit_cost_usd=100)
        for s in SUPPLIES
    )
    local = tuple(
        Source(
            base_id=place.base_id,
            supply_id="WATER",
            quantity_per_day=round(share * DAILY_NEED_PER_TROOP["WATER"] * troops, 2),
        )
        for place, troops, share in (
            *((h, HUB_TROOPS, 1.5) for h in hubs),
            *((c, strength[c.base_id], 0.9) for c in camps),
        )
    )
    return port + local


def _fleet(
    port: _Place,
    hubs: list[_Place],
    camps: list[_Place],
    home: dict[str, _Place],
    rng: random.Random,
) -> tuple[FleetEntry, ...]:
    rows = [
        FleetEntry(base_id=port.base_id, vehicle_type_id=v, count=20 * len(hubs))
        for v in ("TRUCK", "TANKER")
    ]
    for h in hubs:
        n_camps = sum(1 for c in camps if home[c.base_id] is h)
        rows += [
            FleetEntry(base_id=h.base_id, vehicle_type_id="TRUCK", count=4 + 2 * n_camps),
            FleetEntry(base_id=h.base_id, vehicle_type_id="TANKER", count=2 + n_camps),
            FleetEntry(base_id=h.base_id, vehicle_type_id="HELI", count=rng.randint(1, 3)),
        ]
    return tuple(rows)


def _lines(
    port: _Place,
    hubs: list[_Place],
    camps: list[_Place],
    home: dict[str, _Place],
    helipad: dict[str, bool],
) -> tuple[ConvoyLine, ...]:
    lines = [
        ConvoyLine(
            line_id=f"LP{h.base_id}",
            origin_base_id=port.base_id,
            destination_base_id=h.base_id,
            every_days=2,
            max_vehicles=60,
        )
        for h in hubs
    ]
    for c in camps:
        origin = home[c.base_id].base_id
        lines.append(
            ConvoyLine(
                line_id=f"L{c.base_id}",
                origin_base_id=origin,
                destination_base_id=c.base_id,
                every_days=2,
                max_vehicles=20,
            )
        )
        if helipad[c.base_id]:
            lines.append(
                ConvoyLine(
                    line_id=f"LA{c.base_id}",
                    origin_base_id=origin,
                    destination_base_id=c.base_id,
                    mode="air",
                    max_vehicles=6,
                )
            )
    return tuple(lines)


def _units(
    hubs: list[_Place],
    camps: list[_Place],
    home: dict[str, _Place],
    strength: dict[str, int],
    rng: random.Random,
) -> tuple[Unit, ...]:
    """One infantry unit per camp (caveat: its own sector) and one escort unit per hub."""
    countries = (
        "Chad",
        "Bangladesh",
        "Senegal",
        "Togo",
        "Niger",
        "Egypt",
        "Burkina Faso",
        "Sri Lanka",
    )
    units = [
        Unit(
            unit_id=f"U{c.base_id}",
            country=rng.choice(countries),
            unit_type="infantry",
            strength=strength[c.base_id],
            current_base_id=c.base_id,
            may_move=rng.random() < 0.5,
            allowed_sectors=(home[c.base_id].base_id,),
        )
        for c in camps
    ]
    units += [
        Unit(
            unit_id=f"E{h.base_id}",
            country=rng.choice(countries),
            unit_type="convoy_escort",
            strength=400,
            current_base_id=h.base_id,
            may_move=False,
            escort_capable=True,
        )
        for h in hubs
    ]
    return tuple(units)
