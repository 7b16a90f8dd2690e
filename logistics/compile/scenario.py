"""Compile a validated ``Scenario`` into the plain sets and parameters of ``models.ModelData``.

This is where the planner's world becomes numbers: threat levels per route, base and day (areas
mapped onto what lies inside them), route closures by season and threat, each convoy line's path
(given via-bases, else the least-exposure path, ties by distance), arrival offsets and round-trip
durations, escort requirements and exposure per line and departure day, consumption rates by base
kind, and airfield compatibility of aircraft.

Time convention: a convoy departing on day ``t`` is on a leg that starts ``s`` and ends ``e`` days
(fractional, cumulative) after departure during days ``t + floor(s) .. t + max(floor(s), ceil(e) - 1)``;
it reaches a base ``ceil(e)`` days after departure, and is home again ``ceil(E)`` days after
departure, where ``E`` is the end of its last leg back. Each leg takes the transit time in effect
on the day the convoy enters it (``t + floor(s)``): the route's own, or its season's
(``RouteSeasons``), so a departure in the rains may take longer than one before them.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from logistics.rules.fields import columns_of
from logistics.rules.network import (
    Network,
    Path,
    flies_path,
    haversine_km,
    point_in_area,
    route_in_area,
)
from logistics.rules.registry import SHEET_BY_NAME
from logistics.rules.schemas import (
    AIRFIELD_RANK,
    Base,
    BaseKind,
    ConvoyLine,
    Mode,
    Route,
    RouteSeason,
    Scenario,
    Threat,
    ThreatLevelRule,
    Vehicle,
    value_on,
)
from models.data import LineData, ModelData, ObjectiveWeights, Timetable

_EPS_DAYS = 1e-6
"""Tolerance on cumulative transit days, so 0.1 + 0.2 days still counts as 0.3."""


def _ceil_days(days: float) -> int:
    return math.ceil(days - _EPS_DAYS)


def _floor_days(days: float) -> int:
    return math.floor(days + _EPS_DAYS)


@dataclass(frozen=True)
class LegTiming:
    """When a convoy is on one leg, in days after its departure (inclusive range), and the
    fractional time it reaches the leg's end."""

    route: Route
    first_offset: int
    last_offset: int
    end: float
    seasonal: bool = False


@dataclass(frozen=True)
class Journey:
    """The legs of one round trip (outbound, then back in reverse) with their timings."""

    legs: tuple[LegTiming, ...]
    outbound_legs: int

    @property
    def outbound(self) -> tuple[LegTiming, ...]:
        """The outbound legs."""
        return self.legs[: self.outbound_legs]

    @property
    def seasonal(self) -> bool:
        """True when some leg takes a seasonal transit time."""
        return any(leg.seasonal for leg in self.legs)

    def drop_offsets(self, heads: Sequence[str]) -> dict[str, int]:
        """Whole days after departure that the convoy first reaches each base of ``heads``."""
        offsets: dict[str, int] = {}
        for head, leg in zip(heads, self.outbound, strict=True):
            offsets.setdefault(head, _ceil_days(leg.end))
        return offsets

    @property
    def round_trip_days(self) -> int:
        """Whole days after departure that the convoy is home again (at least 1)."""
        return max(1, _ceil_days(self.legs[-1].end))

    def timetable(self, heads: Sequence[str]) -> Timetable:
        """The departure's own timetable (see ``models.data.Timetable``)."""
        return Timetable(
            drop_offset_days=self.drop_offsets(heads),
            round_trip_days=self.round_trip_days,
            leg_offset_days=tuple((leg.first_offset, _ceil_days(leg.end)) for leg in self.legs),
        )


class RouteCalendar:
    """The state of each route by day: its seasons (``RouteSeasons``) over its own window."""

    def __init__(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self._seasons: dict[str, list[RouteSeason]] = defaultdict(list)
        for season in scenario.route_seasons:
            self._seasons[season.route_id].append(season)

    def has_seasons(self, route_id: str) -> bool:
        """Whether any season row names the route."""
        return route_id in self._seasons

    def season(self, route_id: str, day: int) -> RouteSeason | None:
        """The season covering ``day`` (seasons of one route do not overlap), else None."""
        return next((s for s in self._seasons.get(route_id, ()) if s.covers(day)), None)

    def in_season(self, route: Route, day: int) -> bool:
        """Open by season: the season row covering the day, else the route's window and its
        ``open``; a what-if value of ``open`` for a range of days applies on top of either."""
        season = self.season(route.route_id, day)
        what_if = value_on(self._scenario, "Routes", route.route_id, "open", day, None)
        if season is not None:
            return season.open and what_if is not False
        in_window = route.open_from_day <= day and (
            route.open_to_day is None or day <= route.open_to_day
        )
        return in_window and (route.open if what_if is None else bool(what_if))

    def transit_days(self, route: Route, day: int) -> tuple[float, bool]:
        """Transit time for entering the route on ``day``, and whether a season sets it."""
        season = self.season(route.route_id, day)
        if season is None or season.transit_days is None:
            return route.transit_days, False
        return season.transit_days, season.transit_days != route.transit_days


class ThreatMap:
    """Threat level of every route and base on every day, from base levels and active threats."""

    def __init__(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self._bases = {b.base_id: b for b in scenario.bases}
        self._route_base_level = {r.route_id: r.threat_level for r in scenario.routes}
        self._route_threats: dict[str, list[Threat]] = defaultdict(list)
        self._base_threats: dict[str, list[Threat]] = defaultdict(list)
        for threat in scenario.threats:
            for route_id in self._routes_hit(threat, scenario.routes):
                self._route_threats[route_id].append(threat)
            for base_id in self._bases_hit(threat):
                self._base_threats[base_id].append(threat)

    def _routes_hit(self, threat: Threat, routes: Sequence[Route]) -> list[str]:
        """Routes of the modes the threat endangers: the one it names, or those in its area."""
        modes = threat.affected_modes
        if threat.route_id is not None:
            return [r.route_id for r in routes if r.route_id == threat.route_id and r.mode in modes]
        area = _area(threat)
        if area is None:
            return []
        return [
            r.route_id
            for r in routes
            if r.mode in modes
            and route_in_area(self._where(r.from_base_id), self._where(r.to_base_id), area)
        ]

    def _bases_hit(self, threat: Threat) -> list[str]:
        if threat.base_id is not None:
            return [threat.base_id]
        area = _area(threat)
        if area is None:
            return []
        return [
            b.base_id
            for b in self._bases.values()
            if point_in_area(b.latitude_deg, b.longitude_deg, area)
        ]

    def _where(self, base_id: str) -> tuple[float, float]:
        base = self._bases[base_id]
        return (base.latitude_deg, base.longitude_deg)

    def route_level(self, route_id: str, day: int) -> int:
        """Highest of the route's own level that day and the threats active on it that day."""
        own = value_on(
            self._scenario,
            "Routes",
            route_id,
            "threat_level",
            day,
            self._route_base_level[route_id],
        )
        return max([own, *self._active_levels(self._route_threats.get(route_id, ()), day)])

    def base_level(self, base_id: str, day: int) -> int:
        """Highest level of the threats active on the base that day (1 when none)."""
        return max([1, *self._active_levels(self._base_threats.get(base_id, ()), day)])

    def _active_levels(self, threats: Iterable[Threat], day: int) -> list[int]:
        """Levels that day of the threats active that day (a what-if may change a level by day)."""
        return [
            value_on(self._scenario, "Threats", t.threat_id, "level", day, t.level)
            for t in threats
            if _active(t, day)
        ]


def _area(threat: Threat) -> tuple[float, float, float] | None:
    if threat.latitude_deg is None or threat.longitude_deg is None or threat.radius_km is None:
        return None
    return (threat.latitude_deg, threat.longitude_deg, threat.radius_km)


def _active(threat: Threat, day: int) -> bool:
    return threat.first_day <= day and (threat.last_day is None or day <= threat.last_day)


MAX_CONVOY_VEHICLES = int(columns_of(ConvoyLine)["max_vehicles"].upper or 1000)
"""Most vehicles one convoy may have (the Convoys sheet's bound); a generated line is capped there
however many vehicles its origin holds: they run as several convoys."""
MAX_LINE_ID = int(columns_of(ConvoyLine)["line_id"].max_length or 64)


def _generated_line_id(route_id: str, tail: str, head: str) -> str:
    """``ROUTE.FROM-TO``, shortened with a digest of the whole when ids are long, so that any
    valid route and base ids give a valid, unique line id."""
    line_id = f"{route_id}.{tail}-{head}"
    if len(line_id) <= MAX_LINE_ID:
        return line_id
    digest = hashlib.sha256(line_id.encode()).hexdigest()[:8]
    return f"{line_id[: MAX_LINE_ID - 9]}.{digest}"


def compile_scenario(scenario: Scenario) -> ModelData:
    """Turn a validated scenario into ``ModelData`` (see the module docstring for conventions)."""
    return _Compiler(scenario).compile()


class _Compiler:
    """Holds the lookups one compilation needs; ``compile`` assembles the ``ModelData``."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.settings = scenario.settings
        self.horizon = scenario.settings.horizon_days
        self.days = range(1, self.horizon + 1)
        self.bases = {b.base_id: b for b in scenario.bases}
        self.routes = {r.route_id: r for r in scenario.routes}
        self.vehicles = {v.vehicle_type_id: v for v in scenario.vehicles}
        self.supplies = {s.supply_id: s for s in scenario.supplies}
        self.levels: dict[int, ThreatLevelRule] = {
            rule.threat_level: rule for rule in scenario.threat_levels
        }
        self.threats = ThreatMap(scenario)
        self.calendar = RouteCalendar(scenario)
        self.network = Network.from_routes(scenario.routes)
        self.fleet = {
            (f.base_id, f.vehicle_type_id): f.count for f in scenario.fleet if f.count > 0
        }
        self._open: dict[tuple[str, int], bool] = {}

    # ---- routes -----------------------------------------------------------------------------------
    def route_open(self, route_id: str, day: int) -> bool:
        """Open by season and below the closure threat level. Days past the horizon count too."""
        key = (route_id, day)
        if key not in self._open:
            in_season = self.calendar.in_season(self.routes[route_id], day)
            below_closure = (
                self.threats.route_level(route_id, day) < self.settings.route_closure_threat_level
            )
            self._open[key] = in_season and below_closure
        return self._open[key]

    def route_limit(self, route_id: str, day: int) -> int | None:
        """Most convoys that may enter the route that day (None = no limit)."""
        route = self.routes[route_id]
        return value_on(
            self.scenario, "Routes", route_id, "max_convoys_per_day", day, route.max_convoys_per_day
        )

    def risk_weight(self, level: int) -> float:
        """Exposure weight per vehicle-km at a threat level."""
        return self.levels[level].risk_weight if level in self.levels else float(level)

    # ---- lines ------------------------------------------------------------------------------------
    def line_specs(self) -> list[ConvoyLine]:
        """The workbook's convoy lines, or one line per route direction from bases with vehicles."""
        if self.scenario.convoys:
            return list(self.scenario.convoys)
        generated: list[ConvoyLine] = []
        for route in self.scenario.routes:
            ends = [(route.from_base_id, route.to_base_id)]
            if route.two_way:
                ends.append((route.to_base_id, route.from_base_id))
            for tail, head in ends:
                vehicles_at_tail = sum(
                    count
                    for (base, vt), count in self.fleet.items()
                    if base == tail and self.vehicles[vt].mode == route.mode
                )
                if vehicles_at_tail == 0:
                    continue
                generated.append(
                    ConvoyLine(
                        line_id=_generated_line_id(route.route_id, tail, head),
                        origin_base_id=tail,
                        destination_base_id=head,
                        via_base_ids=(),
                        mode=route.mode,
                        max_vehicles=min(vehicles_at_tail, MAX_CONVOY_VEHICLES),
                    )
                )
        return generated

    def line_path(self, line: ConvoyLine) -> Path | None:
        """Given via-bases, else the least-exposure path (risk weight × km), ties by distance."""

        def exposure_then_distance(route: Route) -> tuple[float, float]:
            return (self.risk_weight(route.threat_level) * route.distance_km, route.distance_km)

        return self.network.path(
            line.origin_base_id,
            line.destination_base_id,
            line.mode,
            line.via_base_ids,
            exposure_then_distance,
        )

    def compatible_vehicles(self, line: ConvoyLine, path: Path) -> tuple[str, ...]:
        """Vehicle types of the line's mode based at its origin; aircraft only where every
        airfield of the path admits them and every leg is within their range."""
        return tuple(
            vt
            for vt, vehicle in self.vehicles.items()
            if vehicle.mode == line.mode
            and self.fleet.get((line.origin_base_id, vt), 0) > 0
            and (line.mode != Mode.air or flies_path(vehicle, path, self.bases))
        )

    def journeys(self, path: Path, days: Iterable[int]) -> dict[int, Journey]:
        """The journey of each departure day; computed once when no route of the path has seasons."""
        if not any(self.calendar.has_seasons(r) for r in path.route_ids):
            return dict.fromkeys(days, journey(path, _usual_transit, 1))
        return {t: journey(path, self.calendar.transit_days, t) for t in days}

    def compile_line(self, line: ConvoyLine, path: Path) -> tuple[LineData, dict[int, Journey]]:
        """Offsets, round trip, open departure days and seasonal timetables of one line."""
        heads = [arc.head for arc in path.arcs]
        last = min(line.last_departure_day or self.horizon, self.horizon)
        allowed = range(line.first_departure_day, last + 1, line.every_days)
        journeys = {
            t: trip
            for t, trip in self.journeys(path, allowed).items()
            if t + min(trip.drop_offsets(heads).values()) <= self.horizon
            and all(
                self.route_open(g.route.route_id, t + d)
                for g in trip.legs
                for d in range(g.first_offset, g.last_offset + 1)
            )
        }
        usual = journey(path, _usual_transit, 1)
        data = LineData(
            line_id=line.line_id,
            mode=str(line.mode),
            origin=line.origin_base_id,
            path=path.bases,
            legs=path.route_ids,
            leg_km=tuple(a.route.distance_km for a in path.arcs),
            drop_offset_days=usual.drop_offsets(heads),
            round_trip_days=usual.round_trip_days,
            departure_days=tuple(journeys),
            min_vehicles=line.min_vehicles,
            max_vehicles=line.max_vehicles,
            vehicle_types=self.compatible_vehicles(line, path),
            generated=not self.scenario.convoys,
            timetables={t: j.timetable(heads) for t, j in journeys.items() if j.seasonal},
            escort_base=line.escort_base_id,
        )
        return data, journeys

    def departure_level(self, timings: Iterable[LegTiming], day: int) -> list[tuple[Route, int]]:
        """Each leg of the round trip with the highest threat level while the convoy is on it."""
        return [
            (
                g.route,
                max(
                    self.threats.route_level(g.route.route_id, day + d)
                    for d in range(g.first_offset, g.last_offset + 1)
                ),
            )
            for g in timings
        ]

    def round_trip_cost(self, vehicle: Vehicle, one_way_km: float) -> float:
        """Running cost of one vehicle for the round trip: per km, or per flight hour for aircraft."""
        if vehicle.mode == Mode.air:
            return 2 * one_way_km / vehicle.speed_kmh * vehicle.cost_usd_per_flight_hour
        return 2 * one_way_km * vehicle.cost_usd_per_km

    # ---- assembly ---------------------------------------------------------------------------------
    def compile(self) -> ModelData:
        lines: dict[str, LineData] = {}
        line_level: dict[tuple[str, int], int] = {}
        escort_convoy: dict[tuple[str, int], int] = {}
        escort_group: dict[tuple[str, int], int] = {}
        group_size: dict[tuple[str, int], int] = {}
        exposure: dict[tuple[str, int], float] = {}
        cost: dict[tuple[str, str], float] = {}
        entries: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        limited: dict[tuple[str, int], int] = {}
        for spec in self.line_specs():
            path = self.line_path(spec)
            if path is None:
                continue  # validation reports lines without a path; generated lines always have one
            line, journeys = self.compile_line(spec, path)
            lines[line.line_id] = line
            for vt in line.vehicle_types:
                cost[(line.line_id, vt)] = self.round_trip_cost(self.vehicles[vt], line.one_way_km)
            for t in line.departure_days:
                legs = self.departure_level(journeys[t].legs, t)
                level = max(lvl for _, lvl in legs)
                rule = self.levels.get(level)
                escorted = line.mode != Mode.air and rule is not None
                line_level[(line.line_id, t)] = level
                escort_convoy[(line.line_id, t)] = (
                    rule.escort_troops_per_convoy if escorted and rule else 0
                )
                escort_group[(line.line_id, t)] = (
                    rule.escort_troops_per_group if escorted and rule else 0
                )
                group_size[(line.line_id, t)] = rule.vehicles_per_escort_group if rule else 1
                exposure[(line.line_id, t)] = sum(
                    r.distance_km * self.risk_weight(lvl) for r, lvl in legs
                )
                for g in journeys[t].outbound:
                    entered = (g.route.route_id, t + g.first_offset)
                    limit = self.route_limit(*entered)
                    if limit is not None:
                        limited[entered] = limit
                        entries[entered].append((line.line_id, t))
        relocation_km = self.relocation_km()
        return ModelData(
            horizon_days=self.horizon,
            BASES=tuple(self.bases),
            SUPPLIES=tuple(self.supplies),
            CARGO_TYPES=tuple(sorted({str(s.cargo_type) for s in self.supplies.values()})),
            UNITS=tuple(u.unit_id for u in self.scenario.units),
            VEHICLE_TYPES=tuple(self.vehicles),
            ROUTES=tuple(self.routes),
            LINES=tuple(lines),
            STOCK_POINTS=self.stock_points(),
            SOURCES=tuple((s.base_id, s.supply_id) for s in self.scenario.sources),
            mass_t_per_unit={k: s.mass_t_per_unit for k, s in self.supplies.items()},
            cargo_type={k: str(s.cargo_type) for k, s in self.supplies.items()},
            shortfall_priority_factor={
                k: float(2 ** (5 - s.priority)) for k, s in self.supplies.items()
            },
            safety_stock_days={k: s.safety_stock_days for k, s in self.supplies.items()},
            base_sector={b: base.sector for b, base in self.bases.items()},
            accommodation_troops={b: base.accommodation_troops for b, base in self.bases.items()},
            garrison_required_troops=self.garrison_required(),
            base_threat_level={
                (b, t): self.threats.base_level(b, t) for b in self.bases for t in self.days
            },
            capacity={(s.base_id, s.supply_id): s.capacity for s in self.scenario.stocks},
            initial_stock={(s.base_id, s.supply_id): s.initial_stock for s in self.scenario.stocks},
            consumption_per_troop_day=self.consumption_rates(),
            fixed_demand=self.fixed_demand(),
            source_per_day=self.source_limits(),
            source_total={
                (s.base_id, s.supply_id): s.total_quantity for s in self.scenario.sources
            },
            source_cost_usd_per_unit={
                (s.base_id, s.supply_id): s.unit_cost_usd for s in self.scenario.sources
            },
            unit_strength={u.unit_id: u.strength for u in self.scenario.units},
            unit_current_base={u.unit_id: u.current_base_id for u in self.scenario.units},
            unit_candidate_bases={
                u.unit_id: self.candidate_bases(u.current_base_id, u.may_move, u.allowed_sectors)
                for u in self.scenario.units
            },
            unit_escort_capable={u.unit_id: u.escort_capable for u in self.scenario.units},
            relocation_km=relocation_km,
            relocation_cost_usd_per_troop_km=self.settings.relocation_cost_usd_per_troop_km,
            payload_t={vt: v.payload_t for vt, v in self.vehicles.items()},
            vehicle_cargo_types={vt: frozenset(v.cargo_types) for vt, v in self.vehicles.items()},
            trips_per_day={
                vt: v.sorties_per_day if v.mode == Mode.air else 1
                for vt, v in self.vehicles.items()
            },
            fleet=dict(self.fleet),
            route_km={r: route.distance_km for r, route in self.routes.items()},
            route_mode={r: str(route.mode) for r, route in self.routes.items()},
            route_open={(r, t): self.route_open(r, t) for r in self.routes for t in self.days},
            route_threat_level={
                (r, t): self.threats.route_level(r, t) for r in self.routes for t in self.days
            },
            route_max_convoys_per_day=limited,
            lines=lines,
            line_threat_level=line_level,
            escort_troops_per_convoy=escort_convoy,
            escort_troops_per_group=escort_group,
            vehicles_per_escort_group=group_size,
            exposure_per_vehicle=exposure,
            cost_usd_per_vehicle=cost,
            route_entries={key: tuple(value) for key, value in entries.items()},
            weights=ObjectiveWeights(
                shortfall=self.settings.weight_shortfall,
                garrison=self.settings.weight_garrison,
                safety_stock=self.settings.weight_safety_stock,
                end_stock=self.settings.weight_end_stock,
                exposure=self.settings.weight_exposure,
                cost=self.settings.weight_cost,
                stability=self.settings.weight_stability,
            ),
            objective_policy=self.settings.objective.value,
            end_stock_policy=self.settings.end_stock.value,
            rationing=self.settings.rationing,
            unit_move_day={u.unit_id: u.move_day for u in self.scenario.units},
            relocation_days=self.relocation_days(relocation_km),
            relocation_exposure=self.relocation_exposure(),
            vehicle_range_km={
                vt: v.range_km for vt, v in self.vehicles.items() if v.range_km is not None
            },
            vehicle_aircraft={
                vt: str(v.aircraft_kind)
                for vt, v in self.vehicles.items()
                if v.aircraft_kind is not None
            },
            route_aircraft={
                r: str(route.aircraft)
                for r, route in self.routes.items()
                if route.aircraft is not None
            },
            airfield_rank={b: AIRFIELD_RANK[base.airfield_class] for b, base in self.bases.items()},
            vehicle_min_airfield_rank={
                vt: AIRFIELD_RANK[v.min_airfield_class]
                for vt, v in self.vehicles.items()
                if v.mode == Mode.air
            },
            max_sorties_per_day={
                b: base.max_sorties_per_day
                for b, base in self.bases.items()
                if base.max_sorties_per_day is not None
            },
        )

    def source_limits(self) -> dict[tuple[str, str, int], float | None]:
        """Most each source gives per day, day by day (None = no daily limit)."""
        sources = SHEET_BY_NAME["Sources"]
        return {
            (s.base_id, s.supply_id, t): value_on(
                self.scenario,
                "Sources",
                sources.record_id(s),
                "quantity_per_day",
                t,
                s.quantity_per_day,
            )
            for s in self.scenario.sources
            for t in self.days
        }

    def consumption_rates(self) -> dict[tuple[str, str], float]:
        """Per-troop daily rate at each base: the rate for its kind, else the rate for every kind."""
        by_kind: dict[tuple[str, BaseKind | None], float] = {
            (c.supply_id, c.base_kind): c.quantity_per_person_day for c in self.scenario.consumption
        }
        rates: dict[tuple[str, str], float] = {}
        for b, base in self.bases.items():
            for k in self.supplies:
                rate = by_kind.get((k, base.kind), by_kind.get((k, None), 0.0))
                if rate > 0 and base.accommodation_troops > 0:
                    rates[(b, k)] = rate
        return rates

    def fixed_demand(self) -> dict[tuple[str, str, int], float]:
        """Fixed daily demand from Stocks plus the Demands rows active on each day."""
        demand: dict[tuple[str, str, int], float] = defaultdict(float)
        stocks = SHEET_BY_NAME["Stocks"]
        for stock in self.scenario.stocks:
            record = stocks.record_id(stock)
            for t in self.days:
                demand[(stock.base_id, stock.supply_id, t)] += value_on(
                    self.scenario,
                    "Stocks",
                    record,
                    "fixed_demand_per_day",
                    t,
                    stock.fixed_demand_per_day,
                )
        for extra in self.scenario.demands:
            last = min(extra.last_day or self.horizon, self.horizon)
            for t in range(extra.first_day, last + 1):
                demand[(extra.base_id, extra.supply_id, t)] += value_on(
                    self.scenario,
                    "Demands",
                    extra.demand_id,
                    "quantity_per_day",
                    t,
                    extra.quantity_per_day,
                )
        return {key: value for key, value in demand.items() if value > 0}

    def stock_points(self) -> tuple[tuple[str, str], ...]:
        """(base, class) pairs stored, supplied, demanded or consumed by troops."""
        points: set[tuple[str, str]] = {(s.base_id, s.supply_id) for s in self.scenario.stocks}
        points |= {(s.base_id, s.supply_id) for s in self.scenario.sources}
        points |= {(d.base_id, d.supply_id) for d in self.scenario.demands}
        points |= set(self.consumption_rates())
        order = {b: i for i, b in enumerate(self.bases)}
        supply_order = {k: i for i, k in enumerate(self.supplies)}
        return tuple(sorted(points, key=lambda p: (order[p[0]], supply_order[p[1]])))

    def garrison_required(self) -> dict[tuple[str, int], int]:
        """Minimum garrison plus the uplift of the threat level on the base, for bases that house troops."""
        required: dict[tuple[str, int], int] = {}
        for b, base in self.bases.items():
            for t in self.days:
                level = self.threats.base_level(b, t)
                uplift = self.levels[level].garrison_uplift_troops if level in self.levels else 0
                minimum = value_on(
                    self.scenario, "Bases", b, "min_garrison_troops", t, base.min_garrison_troops
                )
                troops = minimum + (uplift if base.accommodation_troops > 0 else 0)
                if troops > 0:
                    required[(b, t)] = troops
        return required

    def candidate_bases(
        self, current: str, may_move: bool, sectors: Sequence[str]
    ) -> tuple[str, ...]:
        """Current base, plus every base with accommodation in an allowed sector if the unit may move."""
        if not may_move:
            return (current,)
        allowed = [
            b
            for b, base in self.bases.items()
            if b == current
            or (base.accommodation_troops > 0 and (not sectors or base.sector in sectors))
        ]
        return tuple(allowed)

    def relocation_km(self) -> dict[tuple[str, str], float]:
        """Road distance from each unit's base to each candidate base (great circle if no road)."""
        distances: dict[tuple[str, str], float] = {}
        road_km = _DistanceLookup(self.network, self.bases)
        for unit in self.scenario.units:
            for b in self.candidate_bases(
                unit.current_base_id, unit.may_move, unit.allowed_sectors
            ):
                distances[(unit.unit_id, b)] = road_km(unit.current_base_id, b)
        return distances

    def relocation_days(
        self, distances: Mapping[tuple[str, str], float]
    ) -> dict[tuple[str, str], int]:
        """Whole days each move takes at the unit move speed (at least 1 for any move)."""
        speed = self.settings.unit_move_speed_km_per_day
        return {
            key: max(1, _ceil_days(km / speed)) if km > 0 else 0 for key, km in distances.items()
        }

    def relocation_exposure(self) -> dict[tuple[str, str], float]:
        """Exposure of each possible move: the unit's vehicles x km x the risk weight of each road's
        highest threat level on the days the unit is on it (a move with no road path flies: 0)."""
        speed = self.settings.unit_move_speed_km_per_day
        exposure: dict[tuple[str, str], float] = {}
        for unit in self.scenario.units:
            vehicles = math.ceil(unit.strength / self.settings.troops_per_move_vehicle)
            for b in self.candidate_bases(
                unit.current_base_id, unit.may_move, unit.allowed_sectors
            ):
                path = self.network.path(unit.current_base_id, b, Mode.road)
                if path is None:
                    continue
                travelled, total = 0.0, 0.0
                for arc in path.arcs:
                    first = unit.move_day + _floor_days(travelled / speed)
                    travelled += arc.route.distance_km
                    last = min(unit.move_day + _floor_days(travelled / speed), self.horizon)
                    level = max(
                        self.threats.route_level(arc.route.route_id, day)
                        for day in range(min(first, last), last + 1)
                    )
                    total += arc.route.distance_km * self.risk_weight(level)
                exposure[(unit.unit_id, b)] = vehicles * total
        return exposure


TransitOn = Callable[[Route, int], tuple[float, bool]]
"""Transit time for entering a route on a day, and whether a season sets it."""


def _usual_transit(route: Route, day: int) -> tuple[float, bool]:
    return route.transit_days, False


def journey(path: Path, transit_on: TransitOn, day: int) -> Journey:
    """The round trip of a convoy leaving on ``day``: each leg entered on the day the convoy
    reaches its first base and taking the transit time in effect that day."""
    legs: list[LegTiming] = []
    elapsed = 0.0
    for arc in (*path.arcs, *reversed(path.arcs)):
        transit, seasonal = transit_on(arc.route, day + _floor_days(elapsed))
        first = _floor_days(elapsed)
        end = elapsed + transit
        legs.append(LegTiming(arc.route, first, max(first, _ceil_days(end) - 1), end, seasonal))
        elapsed = end
    return Journey(tuple(legs), len(path.arcs))


class _DistanceLookup:
    """Base-to-base relocation distance: by road where a road path exists, else great circle."""

    def __init__(self, network: Network, bases: Mapping[str, Base]) -> None:
        self._network = network
        self._bases = bases
        self._by_road: dict[str, dict[str, float]] = {}

    def __call__(self, origin: str, destination: str) -> float:
        if origin not in self._by_road:
            self._by_road[origin] = self._network.distances_from(origin, Mode.road)
        road = self._by_road[origin].get(destination)
        if road is not None:
            return road
        a, b = self._bases[origin], self._bases[destination]
        return haversine_km(a.latitude_deg, a.longitude_deg, b.latitude_deg, b.longitude_deg)
