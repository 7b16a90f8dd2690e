"""Sparse index sets and adjacency of the model, computed once from ``ModelData``.

Every constraint rule looks its terms up in these lists instead of filtering dense products, so the
build stays linear in the size of the model. The reductions made here are exact: an index left out
would have been forced to zero by the constraints (a line without a usable vehicle, a cargo flow
that would arrive after the horizon, an escorted departure with no escort-capable unit able to sit
at its escort base, a departure that could carry nothing before the horizon ends). Arrival offsets
and round trips are those of each departure day (``LineData.drop_offset``, ``round_trip``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

import pyomo.environ as pyo

from models.data import (
    ALWAYS,
    NEVER,
    BaseId,
    Day,
    LineId,
    ModelData,
    RouteId,
    SupplyId,
    UnitId,
    VehicleTypeId,
)

Departure = tuple[LineId, Day]
CargoIndex = tuple[LineId, Day, BaseId, SupplyId]
StockDay = tuple[BaseId, SupplyId, Day]


@dataclass(frozen=True)
class CargoTypeGroup:
    """One Hall condition of a line: the cargo of ``supplies`` must fit on ``vehicle_types``.

    ``cargo_types`` is a set S of cargo types; ``vehicle_types`` are the line's vehicles carrying at
    least one type of S, and ``supplies`` the classes whose cargo type is in S.
    """

    cargo_types: frozenset[str]
    supplies: frozenset[SupplyId]
    vehicle_types: tuple[VehicleTypeId, ...]


@dataclass(frozen=True)
class EndTarget:
    """What a stock point must hold at the close of the last day, before any deficit.

    ``kind`` is ``constant`` (``opening`` units), ``safety`` (the safety target for the troops the
    plan puts there) or ``lesser`` (the lesser of the two, when the plan's allocation decides
    which). ``safety_low`` and ``safety_high`` bound the safety target over every allocation.
    """

    kind: str
    opening: float
    safety_low: float = 0.0
    safety_high: float = 0.0

    def value(self, safety_target: float) -> float:
        """The target, given the safety target for the troops the plan puts there."""
        if self.kind == "constant":
            return self.opening
        if self.kind == "safety":
            return safety_target
        return min(self.opening, safety_target)

    @property
    def highest(self) -> float:
        """The largest the target can be."""
        return self.opening if self.kind == "constant" else min(self.opening, self.safety_high)


@dataclass(frozen=True)
class ModelIndex:
    """Sparse index sets and adjacency lists of one model (see ``index_model_data``)."""

    DAYS: tuple[Day, ...]
    ASSIGNMENTS: tuple[tuple[UnitId, BaseId], ...]
    MOVABLE_UNITS: tuple[UnitId, ...]
    """Units with more than one candidate base (the others are fixed at their only base)."""
    units_at_base: dict[BaseId, tuple[UnitId, ...]]
    """Units that may be allocated to the base."""
    escort_units_at_base: dict[BaseId, tuple[UnitId, ...]]
    """Escort-capable units that may be allocated to the base (escorts of the lines whose
    ``escort_origin`` it is)."""
    GARRISON_DAYS: tuple[tuple[BaseId, Day], ...]
    STOCK_DAYS: tuple[StockDay, ...]
    DEMAND_DAYS: tuple[StockDay, ...]
    """Stock days whose demand can be positive."""
    SAFETY_DAYS: tuple[StockDay, ...]
    """Demand days of classes with a safety-stock target."""
    TROOP_DAYS: tuple[tuple[BaseId, Day], ...]
    """(base, day) where some unit may count."""
    troops_possible: dict[tuple[BaseId, Day], tuple[UnitId, ...]]
    """Units that may count at the base on the day (present always or if allocated there)."""
    transit_issues: dict[tuple[BaseId, Day], tuple[tuple[UnitId, BaseId], ...]]
    """(unit, destination) whose journey is issued from the base on the day (the move day)."""
    END_STOCK_POINTS: tuple[tuple[BaseId, SupplyId], ...]
    """Stock points with a positive end-of-horizon target."""
    end_targets: dict[tuple[BaseId, SupplyId], EndTarget]
    END_CHOICES: tuple[tuple[BaseId, SupplyId], ...]
    """End stock points whose target is the lesser of two that the allocation decides between."""
    SOURCE_DAYS: tuple[StockDay, ...]
    DEPARTURES: tuple[Departure, ...]
    CONVOY_VEHICLES: tuple[tuple[LineId, Day, VehicleTypeId], ...]
    line_vehicle_cap: dict[tuple[LineId, VehicleTypeId], int]
    """Most vehicles of a type one convoy of the line can use: min(fleet x trips per day, max)."""
    line_max_vehicles: dict[LineId, int]
    """Largest usable convoy of the line: min(max_vehicles, sum of the per-type caps)."""
    CARGO: tuple[CargoIndex, ...]
    cargo_of_departure: dict[Departure, tuple[CargoIndex, ...]]
    arrivals: dict[StockDay, list[CargoIndex]]
    """Cargo flows unloaded at (base, class) on the day."""
    departures: dict[StockDay, list[CargoIndex]]
    """Cargo flows loaded at the origin's (base, class) on the day."""
    cargo_groups: dict[LineId, tuple[CargoTypeGroup, ...]]
    CARGO_GROUPS: tuple[tuple[LineId, Day, int], ...]
    """(line, day, position in ``cargo_groups[line]``) of the Hall conditions with cargo to fit."""
    FLEET_DAYS: tuple[tuple[BaseId, VehicleTypeId, Day], ...]
    fleet_in_use: dict[tuple[BaseId, VehicleTypeId, Day], tuple[Departure, ...]]
    """Departures whose vehicles of the type are away from the base on the day."""
    ESCORTED_DEPARTURES: tuple[Departure, ...]
    """Departures that need escort troops."""
    ESCORT_GROUP_DEPARTURES: tuple[Departure, ...]
    """Escorted departures whose escort grows with the number of vehicles."""
    ESCORT_DAYS: tuple[tuple[BaseId, Day], ...]
    escorts_away: dict[tuple[BaseId, Day], tuple[Departure, ...]]
    """Escorted departures from the base whose escort is away on the day."""
    ROUTE_DAYS: tuple[tuple[RouteId, Day], ...]
    route_entries: dict[tuple[RouteId, Day], tuple[Departure, ...]]
    """Modelled departures entering a limited route on the day, where they could exceed its limit."""
    AIRFIELD_DAYS: tuple[tuple[BaseId, Day], ...]
    airfield_use: dict[tuple[BaseId, Day], tuple[Departure, ...]]
    """Air departures moving through a limited airfield on the day (``airfield_visits``), where
    they could exceed its sorties per day."""


def index_model_data(data: ModelData) -> ModelIndex:
    """Compute every sparse index set and adjacency list the model is built from."""
    units_at_base, escort_units_at_base = _units_by_base(data)
    demand_days = _demand_days(data, units_at_base)
    line_vehicle_cap = _line_vehicle_caps(data)
    line_max_vehicles = {
        line_id: min(
            line.max_vehicles,
            sum(line_vehicle_cap.get((line_id, v), 0) for v in line.vehicle_types),
        )
        for line_id, line in data.lines.items()
    }
    runnable = _departures(data, line_max_vehicles, escort_units_at_base)
    cargo = {d: flows for d, flows in _cargo(data, runnable, line_vehicle_cap).items() if flows}
    departures = tuple(d for d in runnable if d in cargo)
    cargo_groups = {
        line_id: _cargo_type_groups(data, line_id, line_vehicle_cap) for line_id in data.LINES
    }
    escorted = tuple(d for d in departures if _escort_needed(data, d))
    fleet_in_use = _fleet_in_use(data, departures, line_vehicle_cap)
    escorts_away = _escorts_away(data, escorted)
    route_entries = _route_entries(data, set(departures))
    airfield_use = _airfield_use(data, departures, line_max_vehicles)
    troops_possible = _troops_possible(data, units_at_base)
    end_targets = _end_targets(data, demand_days, troops_possible)
    return ModelIndex(
        DAYS=data.DAYS,
        ASSIGNMENTS=tuple((u, b) for u in data.UNITS for b in data.unit_candidate_bases[u]),
        MOVABLE_UNITS=tuple(u for u in data.UNITS if len(data.unit_candidate_bases[u]) > 1),
        units_at_base=units_at_base,
        escort_units_at_base=escort_units_at_base,
        GARRISON_DAYS=tuple(
            (b, t)
            for b in data.BASES
            for t in data.DAYS
            if data.garrison_required_troops.get((b, t), 0) > 0
        ),
        STOCK_DAYS=tuple((b, k, t) for (b, k) in data.STOCK_POINTS for t in data.DAYS),
        DEMAND_DAYS=demand_days,
        SAFETY_DAYS=tuple(i for i in demand_days if data.safety_stock_days.get(i[1], 0) > 0),
        TROOP_DAYS=tuple(troops_possible),
        troops_possible=troops_possible,
        transit_issues=_transit_issues(data),
        END_STOCK_POINTS=tuple(end_targets),
        end_targets=end_targets,
        END_CHOICES=tuple(key for key, target in end_targets.items() if target.kind == "lesser"),
        SOURCE_DAYS=tuple(
            (b, k, t)
            for (b, k) in data.SOURCES
            if data.source_total.get((b, k)) != 0
            for t in data.DAYS
            if data.source_per_day.get((b, k, t)) != 0
        ),
        DEPARTURES=departures,
        CONVOY_VEHICLES=tuple(
            (line_id, t, v)
            for (line_id, t) in departures
            for v in data.lines[line_id].vehicle_types
            if line_vehicle_cap.get((line_id, v), 0) > 0
        ),
        line_vehicle_cap=line_vehicle_cap,
        line_max_vehicles=line_max_vehicles,
        CARGO=tuple(c for flows in cargo.values() for c in flows),
        cargo_of_departure=cargo,
        arrivals=_group_cargo(data, cargo, at_origin=False),
        departures=_group_cargo(data, cargo, at_origin=True),
        cargo_groups=cargo_groups,
        CARGO_GROUPS=tuple(
            (line_id, t, position)
            for (line_id, t), flows in cargo.items()
            for position, group in enumerate(cargo_groups[line_id])
            if any(k in group.supplies for (_, _, _, k) in flows)
        ),
        FLEET_DAYS=tuple(fleet_in_use),
        fleet_in_use=fleet_in_use,
        ESCORTED_DEPARTURES=escorted,
        ESCORT_GROUP_DEPARTURES=tuple(d for d in escorted if _escort_grows_with_vehicles(data, d)),
        ESCORT_DAYS=tuple(escorts_away),
        escorts_away=escorts_away,
        ROUTE_DAYS=tuple(route_entries),
        route_entries=route_entries,
        AIRFIELD_DAYS=tuple(airfield_use),
        airfield_use=airfield_use,
    )


def define_sets(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    """Declare the index sets on the model, named as in ``models/README.md``."""
    m.DAYS = pyo.Set(initialize=index.DAYS, ordered=True)
    m.BASES = pyo.Set(initialize=data.BASES, ordered=True)
    m.SOURCES = pyo.Set(initialize=data.SOURCES, dimen=2, ordered=True)
    m.MOVABLE_UNITS = pyo.Set(initialize=index.MOVABLE_UNITS, ordered=True)
    m.ASSIGNMENTS = pyo.Set(initialize=index.ASSIGNMENTS, dimen=2, ordered=True)
    m.GARRISON_DAYS = pyo.Set(initialize=index.GARRISON_DAYS, dimen=2, ordered=True)
    m.STOCK_DAYS = pyo.Set(initialize=index.STOCK_DAYS, dimen=3, ordered=True)
    m.DEMAND_DAYS = pyo.Set(initialize=index.DEMAND_DAYS, dimen=3, ordered=True)
    m.SAFETY_DAYS = pyo.Set(initialize=index.SAFETY_DAYS, dimen=3, ordered=True)
    m.SOURCE_DAYS = pyo.Set(initialize=index.SOURCE_DAYS, dimen=3, ordered=True)
    m.END_STOCK_POINTS = pyo.Set(initialize=index.END_STOCK_POINTS, dimen=2, ordered=True)
    m.END_CHOICES = pyo.Set(initialize=index.END_CHOICES, dimen=2, ordered=True)
    m.DEPARTURES = pyo.Set(initialize=index.DEPARTURES, dimen=2, ordered=True)
    m.CONVOY_VEHICLES = pyo.Set(initialize=index.CONVOY_VEHICLES, dimen=3, ordered=True)
    m.CARGO = pyo.Set(initialize=index.CARGO, dimen=4, ordered=True)
    m.CARGO_GROUPS = pyo.Set(initialize=index.CARGO_GROUPS, dimen=3, ordered=True)
    m.FLEET_DAYS = pyo.Set(initialize=index.FLEET_DAYS, dimen=3, ordered=True)
    m.ESCORTED_DEPARTURES = pyo.Set(initialize=index.ESCORTED_DEPARTURES, dimen=2, ordered=True)
    m.ESCORT_GROUP_DEPARTURES = pyo.Set(
        initialize=index.ESCORT_GROUP_DEPARTURES, dimen=2, ordered=True
    )
    m.ESCORT_DAYS = pyo.Set(initialize=index.ESCORT_DAYS, dimen=2, ordered=True)
    m.ROUTE_DAYS = pyo.Set(initialize=index.ROUTE_DAYS, dimen=2, ordered=True)
    m.AIRFIELD_DAYS = pyo.Set(initialize=index.AIRFIELD_DAYS, dimen=2, ordered=True)


def escort_group_size(data: ModelData, departure: Departure) -> int:
    """Vehicles covered by one escort group on the departure (0 when the escort is per convoy)."""
    if data.escort_troops_per_group.get(departure, 0) <= 0:
        return 0
    return max(data.vehicles_per_escort_group.get(departure, 0), 0)


def escort_troops_required(data: ModelData, departure: Departure, vehicles: int) -> int:
    """Escort troops a convoy of ``vehicles`` vehicles needs on the departure (0 if none leaves)."""
    if vehicles <= 0:
        return 0
    per_group = escort_group_size(data, departure)
    groups = math.ceil(vehicles / per_group) if per_group else 0
    return (
        data.escort_troops_per_convoy.get(departure, 0)
        + data.escort_troops_per_group.get(departure, 0) * groups
    )


def days_away(data: ModelData, departure: Departure) -> range:
    """Days (within the horizon) on which the departure's vehicles and escorts are away."""
    line_id, t = departure
    last = min(t + data.lines[line_id].round_trip(t) - 1, data.horizon_days)
    return range(t, last + 1)


def airfield_visits(data: ModelData, departure: Departure) -> list[tuple[BaseId, Day]]:
    """(base, day) of each aircraft movement of an air departure within the horizon: the take-off
    from its origin on the departure day, and each landing (with the take-off that follows) on
    the day the convoy reaches a base of its round trip, home included."""
    line_id, t = departure
    line = data.lines[line_id]
    if line.mode != "air":
        return []
    reached = [t + end for _, end in line.leg_offsets(t)]
    visits = [(line.origin, t), *zip(line.round_trip_stops, reached, strict=True)]
    return [(b, day) for b, day in visits if day <= data.horizon_days]


def _units_by_base(
    data: ModelData,
) -> tuple[dict[BaseId, tuple[UnitId, ...]], dict[BaseId, tuple[UnitId, ...]]]:
    units: dict[BaseId, list[UnitId]] = defaultdict(list)
    for u in data.UNITS:
        for b in data.unit_candidate_bases[u]:
            units[b].append(u)
    escorts = {
        b: tuple(u for u in us if data.unit_escort_capable.get(u, False)) for b, us in units.items()
    }
    return {b: tuple(us) for b, us in units.items()}, escorts


def _troops_possible(
    data: ModelData, units_at_base: dict[BaseId, tuple[UnitId, ...]]
) -> dict[tuple[BaseId, Day], tuple[UnitId, ...]]:
    possible: dict[tuple[BaseId, Day], tuple[UnitId, ...]] = {}
    for b in data.BASES:
        for t in data.DAYS:
            units = tuple(u for u in units_at_base.get(b, ()) if data.present(u, b, t) != NEVER)
            if units:
                possible[b, t] = units
    return possible


def _transit_issues(data: ModelData) -> dict[tuple[BaseId, Day], tuple[tuple[UnitId, BaseId], ...]]:
    issues: dict[tuple[BaseId, Day], list[tuple[UnitId, BaseId]]] = defaultdict(list)
    for u in data.UNITS:
        origin, day = data.unit_current_base[u], data.move_day(u)
        for b in data.unit_candidate_bases[u]:
            if b != origin and data.relocation_days.get((u, b), 0) > 0 and day <= data.horizon_days:
                issues[origin, day].append((u, b))
    return {key: tuple(value) for key, value in issues.items()}


def _end_targets(
    data: ModelData,
    demand_days: tuple[StockDay, ...],
    troops_possible: dict[tuple[BaseId, Day], tuple[UnitId, ...]],
) -> dict[tuple[BaseId, SupplyId], EndTarget]:
    """End-of-horizon target of every stock point under the workbook's policy (see ``EndTarget``)."""
    if data.end_stock_policy == "none":
        return {}
    targets: dict[tuple[BaseId, SupplyId], EndTarget] = {}
    last = data.horizon_days
    demanded_last = {(b, k) for (b, k, t) in demand_days if t == last}
    for b, k in data.STOCK_POINTS:
        opening = data.initial_stock.get((b, k), 0.0)
        if opening <= 0:
            continue
        if data.end_stock_policy == "opening":
            targets[b, k] = EndTarget("constant", opening)
            continue
        days = data.safety_stock_days.get(k, 0.0)
        if days <= 0 or (b, k) not in demanded_last:
            continue
        rate = data.consumption_per_troop_day.get((b, k), 0.0)
        fixed = data.fixed_demand.get((b, k, last), 0.0)
        fewest, most = _troop_bounds(data, troops_possible.get((b, last), ()), b, last)
        low, high = days * (fixed + rate * fewest), days * (fixed + rate * most)
        if high <= 0:
            continue
        if high <= opening:
            targets[b, k] = EndTarget("safety", opening, low, high)
        elif low >= opening:
            targets[b, k] = EndTarget("constant", opening)
        else:
            targets[b, k] = EndTarget("lesser", opening, low, high)
    return targets


def _troop_bounds(
    data: ModelData, units: tuple[UnitId, ...], b: BaseId, t: Day
) -> tuple[float, float]:
    """Fewest and most troops of ``units`` that can count at base b on day t."""
    certain = sum(
        data.unit_strength[u]
        for u in units
        if data.present(u, b, t) == ALWAYS or data.unit_candidate_bases[u] == (b,)
    )
    return float(certain), float(sum(data.unit_strength[u] for u in units))


def _demand_days(
    data: ModelData, units_at_base: dict[BaseId, tuple[UnitId, ...]]
) -> tuple[StockDay, ...]:
    def may_have_troops(b: BaseId) -> bool:
        return any(data.unit_strength[u] > 0 for u in units_at_base.get(b, ()))

    return tuple(
        (b, k, t)
        for (b, k) in data.STOCK_POINTS
        for t in data.DAYS
        if data.fixed_demand.get((b, k, t), 0) > 0
        or (data.consumption_per_troop_day.get((b, k), 0) > 0 and may_have_troops(b))
    )


def _line_vehicle_caps(data: ModelData) -> dict[tuple[LineId, VehicleTypeId], int]:
    caps: dict[tuple[LineId, VehicleTypeId], int] = {}
    for line_id, line in data.lines.items():
        for v in line.vehicle_types:
            available = data.fleet.get((line.origin, v), 0) * data.trips_per_day.get(v, 1)
            cap = min(available, line.max_vehicles)
            if cap > 0 and data.payload_t.get(v, 0) > 0:
                caps[line_id, v] = cap
    return caps


def _escort_needed(data: ModelData, departure: Departure) -> bool:
    return (
        data.escort_troops_per_convoy.get(departure, 0) > 0
        or escort_group_size(data, departure) > 0
    )


def _escort_grows_with_vehicles(data: ModelData, departure: Departure) -> bool:
    return escort_group_size(data, departure) > 0


def _departures(
    data: ModelData,
    line_max_vehicles: dict[LineId, int],
    escort_units_at_base: dict[BaseId, tuple[UnitId, ...]],
) -> tuple[Departure, ...]:
    """Departures that can run: enough usable vehicles and, if escorted, enough escort troops."""
    result: list[Departure] = []
    for line_id in data.LINES:
        line = data.lines[line_id]
        smallest = max(line.min_vehicles, 1)
        if line_max_vehicles[line_id] < smallest:
            continue
        escort_pool = sum(
            data.unit_strength[u] for u in escort_units_at_base.get(line.escort_origin, ())
        )
        for t in sorted(set(line.departure_days)):
            if (
                1 <= t <= data.horizon_days
                and escort_troops_required(data, (line_id, t), smallest) <= escort_pool
            ):
                result.append((line_id, t))
    return tuple(result)


def _cargo(
    data: ModelData,
    departures: tuple[Departure, ...],
    line_vehicle_cap: dict[tuple[LineId, VehicleTypeId], int],
) -> dict[Departure, tuple[CargoIndex, ...]]:
    stock_points = set(data.STOCK_POINTS)
    drops: dict[LineId, list[tuple[BaseId, SupplyId]]] = {}
    for line_id, line in data.lines.items():
        carried = frozenset().union(
            *(
                data.vehicle_cargo_types[v]
                for v in line.vehicle_types
                if (line_id, v) in line_vehicle_cap
            )
        )
        drops[line_id] = [
            (b, k)
            for b in dict.fromkeys(line.path[1:])
            if b != line.origin
            for k in data.SUPPLIES
            if data.cargo_type[k] in carried
            and (b, k) in stock_points
            and (line.origin, k) in stock_points
        ]
    return {
        (line_id, t): tuple(
            (line_id, t, b, k)
            for (b, k) in drops[line_id]
            if t + data.lines[line_id].drop_offset(b, t) <= data.horizon_days
        )
        for (line_id, t) in departures
    }


def _group_cargo(
    data: ModelData, cargo: dict[Departure, tuple[CargoIndex, ...]], *, at_origin: bool
) -> dict[StockDay, list[CargoIndex]]:
    grouped: dict[StockDay, list[CargoIndex]] = defaultdict(list)
    for flows in cargo.values():
        for c in flows:
            line_id, t, b, k = c
            line = data.lines[line_id]
            key = (line.origin, k, t) if at_origin else (b, k, t + line.drop_offset(b, t))
            grouped[key].append(c)
    return dict(grouped)


def _cargo_type_groups(
    data: ModelData, line_id: LineId, line_vehicle_cap: dict[tuple[LineId, VehicleTypeId], int]
) -> tuple[CargoTypeGroup, ...]:
    """Hall conditions of the line that are not implied by the others.

    A set S is kept when its cargo types are connected through shared vehicles (otherwise its
    condition is the sum of its parts) and when no larger set has the same vehicles (whose
    condition would dominate it).
    """
    vehicles = [v for v in data.lines[line_id].vehicle_types if (line_id, v) in line_vehicle_cap]
    types = sorted(frozenset().union(*(data.vehicle_cargo_types[v] for v in vehicles)))
    supplies_of = {c: frozenset(k for k in data.SUPPLIES if data.cargo_type[k] == c) for c in types}

    def carriers(subset: frozenset[str]) -> tuple[VehicleTypeId, ...]:
        return tuple(v for v in vehicles if data.vehicle_cargo_types[v] & subset)

    groups: list[CargoTypeGroup] = []
    for subset in _subsets(types):
        vs = carriers(subset)
        closure = frozenset(c for c in types if set(carriers(frozenset({c}))) <= set(vs))
        if closure != subset or not _connected(subset, data, vehicles):
            continue
        supplies = frozenset().union(*(supplies_of[c] for c in subset))
        if supplies:
            groups.append(CargoTypeGroup(subset, supplies, vs))
    return tuple(groups)


def _subsets(items: list[str]) -> Iterator[frozenset[str]]:
    for size in range(1, len(items) + 1):
        for combo in combinations(items, size):
            yield frozenset(combo)


def _connected(subset: frozenset[str], data: ModelData, vehicles: list[VehicleTypeId]) -> bool:
    """True when the cargo types of ``subset`` are linked through vehicles carrying two of them."""
    start = next(iter(subset))
    reached = {start}
    frontier = [start]
    while frontier:
        c = frontier.pop()
        for v in vehicles:
            carried = data.vehicle_cargo_types[v]
            if c in carried:
                for other in carried & subset:
                    if other not in reached:
                        reached.add(other)
                        frontier.append(other)
    return reached == set(subset)


def _fleet_in_use(
    data: ModelData,
    departures: tuple[Departure, ...],
    line_vehicle_cap: dict[tuple[LineId, VehicleTypeId], int],
) -> dict[tuple[BaseId, VehicleTypeId, Day], tuple[Departure, ...]]:
    """Base, type and day where the departures away could exceed the fleet (others are implied)."""
    away: dict[tuple[BaseId, VehicleTypeId, Day], list[Departure]] = defaultdict(list)
    for departure in departures:
        line = data.lines[departure[0]]
        for v in line.vehicle_types:
            if (departure[0], v) in line_vehicle_cap:
                for day in days_away(data, departure):
                    away[line.origin, v, day].append(departure)
    return {
        key: tuple(deps)
        for key, deps in away.items()
        if sum(line_vehicle_cap[d[0], key[1]] for d in deps)
        > data.fleet.get((key[0], key[1]), 0) * data.trips_per_day.get(key[1], 1)
    }


def _escorts_away(
    data: ModelData, escorted: tuple[Departure, ...]
) -> dict[tuple[BaseId, Day], tuple[Departure, ...]]:
    away: dict[tuple[BaseId, Day], list[Departure]] = defaultdict(list)
    for departure in escorted:
        escort_base = data.lines[departure[0]].escort_origin
        for day in days_away(data, departure):
            away[escort_base, day].append(departure)
    return {key: tuple(deps) for key, deps in away.items()}


def _airfield_use(
    data: ModelData, departures: tuple[Departure, ...], line_max_vehicles: dict[LineId, int]
) -> dict[tuple[BaseId, Day], tuple[Departure, ...]]:
    """Air departures moving through each limited airfield on each day, where the largest convoys
    could exceed its sorties per day (elsewhere the limit cannot bind); a departure through the
    airfield twice that day is listed twice."""
    use: dict[tuple[BaseId, Day], list[Departure]] = defaultdict(list)
    for departure in departures:
        for b, day in airfield_visits(data, departure):
            if b in data.max_sorties_per_day:
                use[b, day].append(departure)
    return {
        key: tuple(deps)
        for key, deps in use.items()
        if sum(line_max_vehicles[line_id] for line_id, _ in deps) > data.max_sorties_per_day[key[0]]
    }


def _route_entries(
    data: ModelData, departures: set[Departure]
) -> dict[tuple[RouteId, Day], tuple[Departure, ...]]:
    entries: dict[tuple[RouteId, Day], tuple[Departure, ...]] = {}
    for (route_id, day), pairs in data.route_entries.items():
        modelled = tuple(p for p in pairs if p in departures)
        if len(modelled) > data.route_max_convoys_per_day.get((route_id, day), len(modelled)):
            entries[route_id, day] = modelled
    return entries
