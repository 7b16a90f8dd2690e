"""Build a ``Scenario`` from a theatre's facts, the same way for every theatre.

Supply classes, consumption per person-day and the escort rules per threat level are the bundled
Mali mission's (``inputs/mali.xlsx``, from the planning factors of its FACTS §5: UN and US
doctrinal figures that do not depend on the theatre). The rest follows the rules the Mali example
uses (``scripts/build_examples.py``), restated here as the suite's estimates [E]:

* accommodation = troops housed x 1.15 rounded up to 50; minimum garrison = 70 % of them;
* stocks at a base with troops: days of its own demand (hub 45 capacity / 20 initial, camp 40/16,
  team site 30/14; water 7/4) plus, at a line origin, 20/3 days of the bases its lines serve
  (water 2/1); ports hold 7 days of what they land and start empty;
* a route's traffic limit: air 4 sorties and river 2 boat convoys a day and direction, roads at
  threat 1-2 unlimited, at 3 two convoys a day, at 4 and above one (one escort package an axis);
  base threat levels are capped at 4 so that only active threats close a route (level 5).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from benchmarks.missions.facts import LineFact, Link, Place, Theatre
from logistics.io.reader import load_scenario
from logistics.rules.network import haversine_km
from logistics.rules.schemas import (
    Aircraft,
    Base,
    BaseKind,
    Consumption,
    ConvoyLine,
    Demand,
    FleetEntry,
    Mode,
    Route,
    Scenario,
    Settings,
    Source,
    Stock,
    Threat,
    Unit,
)

ROOT = Path(__file__).resolve().parents[2]
MALI_WORKBOOK = ROOT / "inputs" / "mali.xlsx"

CLOSURE_LEVEL = 5
ACCOMMODATION_HEADROOM = 1.15
MIN_GARRISON_SHARE = 0.7
RELOCATION_USD_PER_TROOP_KM = 1.6
"""As in Mali: one vehicle per 5 troops at 4 USD/vehicle-km, the vehicles returning [E]."""

STOCK_DAYS: dict[BaseKind, tuple[float, float]] = {
    BaseKind.hub: (45.0, 20.0),
    BaseKind.camp: (40.0, 16.0),
    BaseKind.team_site: (30.0, 14.0),
}
WATER_STOCK_DAYS = (7.0, 4.0)
DEPOT_DAYS = (20.0, 3.0)
DEPOT_DAYS_WATER = (2.0, 1.0)
PORT_STORAGE_DAYS = 7.0

IMPORT_COST_USD: dict[str, float] = {
    "RATIONS": 2000.0,
    "MEDICAL": 20000.0,
    "AMMO": 8000.0,
    "CONSTRUCTION": 400.0,
    "FUEL": 1190.0,
    "WATER": 2.0,
}
"""USD per t (per kL for fuel and water) landed at a port, the Mali example's prices [E]; water is
the pumping and purification cost of local production."""
LOCAL_PREMIUM = 1.2
"""In-theatre contractors charge 20 % over port prices [E]."""

SORTIES_PER_ROUTE_DAY = 4
RIVER_CONVOYS_PER_DAY = 2


@lru_cache(maxsize=1)
def planning_scenario() -> Scenario:
    """The bundled Mali mission, read once: the suite takes its planning factors from it."""
    return load_scenario(MALI_WORKBOOK)


def build_scenario(theatre: Theatre, horizon_days: int) -> Scenario:
    """The theatre as a mission workbook would hold it, over ``horizon_days`` from its start."""
    planning = planning_scenario()
    _check_names(theatre)
    troops = troops_by_place(theatre)
    bases = tuple(
        _base(place, troops.get(place.place_id, 0), theatre.sorties_per_day.get(place.place_id))
        for place in theatre.places
    )
    lines = tuple(_line(fact, theatre.escort_bases.get(fact.line_id)) for fact in theatre.lines)
    return Scenario(
        settings=Settings(
            scenario_name=f"{theatre.mission}, {horizon_days} days",
            start_date=theatre.start_date,
            horizon_days=horizon_days,
            route_closure_threat_level=CLOSURE_LEVEL,
            relocation_cost_usd_per_troop_km=RELOCATION_USD_PER_TROOP_KM,
            time_limit_s=300.0,
            mip_gap_pct=1.0,
        ),
        supplies=planning.supplies,
        consumption=planning.consumption,
        bases=bases,
        stocks=_stocks(theatre, bases, planning.consumption, troops, lines),
        sources=_sources(theatre, bases, planning.consumption, troops),
        demands=tuple(d for d in (_clip(d, horizon_days) for d in theatre.demands) if d),
        routes=tuple(_route(link, theatre) for link in theatre.links),
        vehicles=tuple(fact.vehicle for fact in theatre.vehicles),
        fleet=tuple(FleetEntry(base_id=b, vehicle_type_id=v, count=n) for b, v, n in theatre.fleet),
        convoys=lines,
        threats=tuple(t for t in (_clip(t, horizon_days) for t in theatre.threats) if t),
        threat_levels=planning.threat_levels,
        units=tuple(
            Unit(
                unit_id=u.unit_id,
                name=u.name,
                country=u.country,
                unit_type=u.unit_type,
                strength=u.strength,
                current_base_id=u.base_id,
                may_move=u.may_move,
                allowed_sectors=theatre.caveats.get(u.country, ()),
                escort_capable=u.escort,
            )
            for u in theatre.units
        ),
    )


def _check_names(theatre: Theatre) -> None:
    """The helicopter routes, busy airfields and escort bases a theatre names exist."""
    routes = {link.route_id for link in theatre.links}
    place_ids = {place.place_id for place in theatre.places}
    line_ids = {line.line_id for line in theatre.lines}
    unknown = (
        (set(theatre.helicopter_routes) - routes)
        | (set(theatre.sorties_per_day) - place_ids)
        | (set(theatre.escort_bases) - line_ids)
        | (set(theatre.escort_bases.values()) - place_ids)
    )
    if unknown:
        raise ValueError(f"{theatre.key}: unknown ids {', '.join(sorted(unknown))}")


def troops_by_place(theatre: Theatre) -> dict[str, int]:
    """Troops the theatre's units station at each place."""
    troops: dict[str, int] = defaultdict(int)
    for unit in theatre.units:
        troops[unit.base_id] += unit.strength
    return dict(troops)


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step - 1e-9) * step)


def _base(place: Place, troops: int, sorties_per_day: int | None) -> Base:
    lives_there = place.kind not in (BaseKind.port, BaseKind.waypoint) and troops > 0
    return Base(
        base_id=place.place_id,
        name=place.name,
        kind=place.kind,
        sector=place.sector,
        latitude_deg=place.latitude_deg,
        longitude_deg=place.longitude_deg,
        accommodation_troops=_round_up(troops * ACCOMMODATION_HEADROOM, 50) if lives_there else 0,
        min_garrison_troops=int(round(troops * MIN_GARRISON_SHARE, -1)) if lives_there else 0,
        airfield_class=place.airfield,
        max_sorties_per_day=sorties_per_day,
    )


def link_km(link: Link, places: Mapping[str, Place]) -> float:
    """The link's distance, or the great circle between its ends for air."""
    if link.km is not None:
        return link.km
    a, b = places[link.from_id], places[link.to_id]
    return round(haversine_km(a.latitude_deg, a.longitude_deg, b.latitude_deg, b.longitude_deg))


def max_convoys_per_day(mode: Mode, level: int) -> int | None:
    """Traffic limit of a route by mode and threat level (see the module docstring)."""
    if mode == Mode.air:
        return SORTIES_PER_ROUTE_DAY
    if mode == Mode.river:
        return RIVER_CONVOYS_PER_DAY
    if level <= 2:
        return None
    return 2 if level == 3 else 1


def _route(link: Link, theatre: Theatre) -> Route:
    level = min(link.threat, CLOSURE_LEVEL - 1)
    return Route(
        route_id=link.route_id,
        from_base_id=link.from_id,
        to_base_id=link.to_id,
        mode=link.mode,
        distance_km=link_km(link, {p.place_id: p for p in theatre.places}),
        transit_days=link.dry_days,
        max_convoys_per_day=max_convoys_per_day(link.mode, level),
        threat_level=level,
        aircraft=Aircraft.helicopter if link.route_id in theatre.helicopter_routes else None,
    )


def _line(fact: LineFact, escort_base_id: str | None) -> ConvoyLine:
    return ConvoyLine(
        line_id=fact.line_id,
        origin_base_id=fact.origin,
        destination_base_id=fact.destination,
        via_base_ids=fact.via,
        mode=fact.mode,
        first_departure_day=fact.first_day,
        every_days=fact.every_days,
        min_vehicles=fact.min_vehicles,
        max_vehicles=fact.max_vehicles,
        escort_base_id=escort_base_id,
    )


def daily_demand(
    base: Base, supply_id: str, troops: int, consumption: Iterable[Consumption], fixed: float
) -> float:
    """Demand of a base for a class per day: troops x the rate for its kind, plus fixed demand."""
    rates = {(c.supply_id, c.base_kind): c.quantity_per_person_day for c in consumption}
    rate = rates.get((supply_id, base.kind), rates.get((supply_id, None), 0.0))
    return troops * rate + fixed


def fixed_demand(theatre: Theatre, base_id: str, supply_id: str) -> float:
    """Daily demand of a base independent of its troops: generator fuel."""
    return theatre.fixed_fuel_kl_per_day.get(base_id, 0.0) if supply_id == "FUEL" else 0.0


def _served(lines: Iterable[ConvoyLine]) -> dict[str, set[str]]:
    served: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        served[line.origin_base_id].update((*line.via_base_ids, line.destination_base_id))
    return served


def _stocks(
    theatre: Theatre,
    bases: tuple[Base, ...],
    consumption: tuple[Consumption, ...],
    troops: Mapping[str, int],
    lines: tuple[ConvoyLine, ...],
) -> tuple[Stock, ...]:
    """Stocks at every base with troops (own days plus depot days) and at the import places."""
    by_id = {b.base_id: b for b in bases}
    served = _served(lines)

    def demand(base_id: str, k: str) -> float:
        fixed = fixed_demand(theatre, base_id, k)
        return daily_demand(by_id[base_id], k, troops.get(base_id, 0), consumption, fixed)

    stocks = []
    for base in bases:
        imports = theatre.imports_per_day.get(base.base_id, {})
        for supply in planning_scenario().supplies:
            k = supply.supply_id
            own = demand(base.base_id, k)
            if base.kind == BaseKind.port or own <= 0:
                if k in imports:
                    capacity = round(PORT_STORAGE_DAYS * imports[k], 1)
                    stocks.append(Stock(base_id=base.base_id, supply_id=k, capacity=capacity))
                continue
            customers = sum(demand(c, k) for c in served.get(base.base_id, ()) if c in by_id)
            own_days, depot_days = (
                (WATER_STOCK_DAYS, DEPOT_DAYS_WATER)
                if k == "WATER"
                else (STOCK_DAYS.get(base.kind, STOCK_DAYS[BaseKind.camp]), DEPOT_DAYS)
            )
            import_room = PORT_STORAGE_DAYS * imports.get(k, 0.0)
            stocks.append(
                Stock(
                    base_id=base.base_id,
                    supply_id=k,
                    capacity=round(own_days[0] * own + depot_days[0] * customers + import_room, 1),
                    initial_stock=round(own_days[1] * own + depot_days[1] * customers, 1),
                    fixed_demand_per_day=fixed_demand(theatre, base.base_id, k),
                )
            )
    return tuple(stocks)


def _sources(
    theatre: Theatre,
    bases: tuple[Base, ...],
    consumption: tuple[Consumption, ...],
    troops: Mapping[str, int],
) -> tuple[Source, ...]:
    """Imports at ports and national depots, contractors in theatre, local water at every base."""
    sources = []
    for base_id, quantities in theatre.imports_per_day.items():
        premium = LOCAL_PREMIUM if base_id in theatre.local_places else 1.0
        for k, per_day in quantities.items():
            sources.append(
                Source(
                    base_id=base_id,
                    supply_id=k,
                    quantity_per_day=per_day,
                    unit_cost_usd=round(IMPORT_COST_USD[k] * premium, 2),
                )
            )
    places = {p.place_id: p for p in theatre.places}
    for base in bases:
        need = daily_demand(base, "WATER", troops.get(base.base_id, 0), consumption, 0.0)
        share = places[base.base_id].local_water_share
        if need > 0 and share > 0 and "WATER" not in theatre.imports_per_day.get(base.base_id, {}):
            sources.append(
                Source(
                    base_id=base.base_id,
                    supply_id="WATER",
                    quantity_per_day=round(share * need, 1),
                    unit_cost_usd=IMPORT_COST_USD["WATER"],
                )
            )
    return tuple(sources)


Dated = TypeVar("Dated", Threat, Demand)


def _clip(record: Dated, horizon_days: int) -> Dated | None:
    """The threat or demand within the horizon, open-ended when it runs past it (None when it
    starts after it), so that no member holds days it does not plan."""
    if record.first_day > horizon_days:
        return None
    last = record.last_day
    return record.model_copy(
        update={"last_day": None if last is None or last >= horizon_days else last}
    )
