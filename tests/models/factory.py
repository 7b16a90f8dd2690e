"""A small builder of ``ModelData`` so each test states its instance in a few readable lines.

Defaults are neutral: no cost, no exposure, priority factor 1, no safety stock, storage of 1000,
no troops. Each ``line`` is one road or air service whose departure days drop the days a closed
route would be used (by the same rule the plan checker verifies).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from models import Plan, SolveOptions, solve
from models.data import LineData, ModelData, ObjectiveWeights
from tests.models.plan_checker import check_plan, days_certainly_on_leg

NEUTRAL_WEIGHTS = ObjectiveWeights(
    shortfall=1000.0, garrison=100.0, safety_stock=1.0, exposure=0.01, cost=0.001
)


@dataclass(frozen=True)
class SupplySpec:
    cargo_type: str
    mass_t_per_unit: float
    priority_factor: float
    safety_stock_days: float


@dataclass(frozen=True)
class StockSpec:
    capacity: float = 1000.0
    initial: float = 0.0
    per_troop_day: float = 0.0


@dataclass(frozen=True)
class SourceSpec:
    per_day: float | None
    total: float | None
    cost: float


@dataclass(frozen=True)
class UnitSpec:
    strength: int
    base: str
    candidates: tuple[str, ...]
    escort_capable: bool
    km: float
    move_day: int = 1
    transit_days: int = 0
    move_exposure: float = 0.0


@dataclass(frozen=True)
class VehicleSpec:
    payload_t: float
    carries: frozenset[str]
    trips_per_day: int


@dataclass(frozen=True)
class RouteSpec:
    km: float = 100.0
    mode: str = "road"
    closed_days: frozenset[int] = frozenset()
    max_convoys_per_day: int | None = None
    threat_level: int = 1


@dataclass(frozen=True)
class LineTerms:
    """Per-departure parameters of a line, equal on every day in these tests."""

    cost_per_vehicle: float
    exposure_per_vehicle: float
    escort_per_convoy: int
    escort_per_group: int
    vehicles_per_group: int


@dataclass
class Mission:
    """Mutable description of a mission; ``build()`` freezes it into ``ModelData``."""

    horizon_days: int
    weights: ObjectiveWeights = NEUTRAL_WEIGHTS
    supplies: dict[str, SupplySpec] = field(default_factory=dict)
    bases: dict[str, int] = field(default_factory=dict)
    stocks: dict[tuple[str, str], StockSpec] = field(default_factory=dict)
    fixed_demand: dict[tuple[str, str, int], float] = field(default_factory=dict)
    sources: dict[tuple[str, str], SourceSpec] = field(default_factory=dict)
    units: dict[str, UnitSpec] = field(default_factory=dict)
    garrison: dict[tuple[str, int], int] = field(default_factory=dict)
    vehicles: dict[str, VehicleSpec] = field(default_factory=dict)
    fleet: dict[tuple[str, str], int] = field(default_factory=dict)
    routes: dict[str, RouteSpec] = field(default_factory=dict)
    lines: dict[str, LineData] = field(default_factory=dict)
    line_terms: dict[str, LineTerms] = field(default_factory=dict)
    objective_policy: str = "priorities"
    end_stock_policy: str = "safety"
    rationing: bool = False
    vehicle_range_km: dict[str, float] = field(default_factory=dict)

    def supply(
        self,
        k: str,
        *,
        cargo_type: str = "dry",
        mass_t_per_unit: float = 1.0,
        priority_factor: float = 1.0,
        safety_stock_days: float = 0.0,
    ) -> Mission:
        self.supplies[k] = SupplySpec(
            cargo_type, mass_t_per_unit, priority_factor, safety_stock_days
        )
        return self

    def base(self, b: str, *, accommodation: int = 1000) -> Mission:
        self.bases[b] = accommodation
        return self

    def stock(
        self,
        b: str,
        k: str,
        *,
        capacity: float = 1000.0,
        initial: float = 0.0,
        per_troop_day: float = 0.0,
    ) -> Mission:
        self.stocks[b, k] = StockSpec(capacity, initial, per_troop_day)
        return self

    def demand(self, b: str, k: str, days: Iterable[int], quantity: float) -> Mission:
        self.stocks.setdefault((b, k), StockSpec())
        for t in days:
            self.fixed_demand[b, k, t] = quantity
        return self

    def source(
        self,
        b: str,
        k: str,
        *,
        per_day: float | None = None,
        total: float | None = None,
        cost: float = 0.0,
    ) -> Mission:
        """A source of k at b; a base without stock of k gets a stock point without storage."""
        self.stocks.setdefault((b, k), StockSpec(capacity=0.0))
        self.sources[b, k] = SourceSpec(per_day, total, cost)
        return self

    def unit(
        self,
        u: str,
        *,
        strength: int,
        base: str,
        candidates: tuple[str, ...] = (),
        escort_capable: bool = False,
        km: float = 0.0,
        move_day: int = 1,
        transit_days: int = 0,
        move_exposure: float = 0.0,
    ) -> Mission:
        """A unit at ``base`` that may move to ``candidates`` (each ``km`` away), leaving on
        ``move_day`` and ``transit_days`` on the road, exposed to ``move_exposure``."""
        self.units[u] = UnitSpec(
            strength,
            base,
            (base, *candidates),
            escort_capable,
            km,
            move_day,
            transit_days,
            move_exposure,
        )
        return self

    def garrison_required(self, b: str, troops: int, days: Iterable[int]) -> Mission:
        for t in days:
            self.garrison[b, t] = troops
        return self

    def vehicle(
        self,
        v: str,
        *,
        payload_t: float,
        carries: Iterable[str] = ("dry",),
        trips_per_day: int = 1,
    ) -> Mission:
        self.vehicles[v] = VehicleSpec(payload_t, frozenset(carries), trips_per_day)
        return self

    def home(self, b: str, v: str, n: int) -> Mission:
        self.fleet[b, v] = n
        return self

    def route(
        self,
        r: str,
        *,
        km: float = 100.0,
        mode: str = "road",
        closed_days: Iterable[int] = (),
        max_convoys_per_day: int | None = None,
    ) -> Mission:
        self.routes[r] = RouteSpec(km, mode, frozenset(closed_days), max_convoys_per_day)
        return self

    def truck_line(self, line_id: str = "L1", **overrides: Any) -> Mission:
        """The usual road line HUB → CAMP over R1 by TRUCK: at CAMP the next day, home in two."""
        usual: dict[str, Any] = {
            "path": ("HUB", "CAMP"),
            "legs": ("R1",),
            "offsets": (1,),
            "round_trip_days": 2,
            "vehicle_types": ("TRUCK",),
        }
        return self.line(line_id, **(usual | overrides))

    def line(
        self,
        line_id: str,
        *,
        path: tuple[str, ...],
        legs: tuple[str, ...],
        offsets: tuple[int, ...],
        round_trip_days: int,
        vehicle_types: tuple[str, ...],
        days: Iterable[int] | None = None,
        min_vehicles: int = 1,
        max_vehicles: int = 10,
        mode: str = "road",
        cost_per_vehicle: float = 0.0,
        exposure_per_vehicle: float = 0.0,
        escort_per_convoy: int = 0,
        escort_per_group: int = 0,
        vehicles_per_group: int = 0,
    ) -> Mission:
        """A line along ``path`` reaching ``path[i + 1]`` ``offsets[i]`` days after leaving."""
        for r in legs:
            self.routes.setdefault(r, RouteSpec(mode=mode))
        line = LineData(
            line_id=line_id,
            mode=mode,
            origin=path[0],
            path=path,
            legs=legs,
            leg_km=tuple(self.routes[r].km for r in legs),
            drop_offset_days=dict(zip(path[1:], offsets, strict=True)),
            round_trip_days=round_trip_days,
            departure_days=(),
            min_vehicles=min_vehicles,
            max_vehicles=max_vehicles,
            vehicle_types=vehicle_types,
        )
        allowed = range(1, self.horizon_days + 1) if days is None else days
        open_days = tuple(t for t in allowed if self._open(line, t))
        self.lines[line_id] = replace(line, departure_days=open_days)
        self.line_terms[line_id] = LineTerms(
            cost_per_vehicle,
            exposure_per_vehicle,
            escort_per_convoy,
            escort_per_group,
            vehicles_per_group,
        )
        return self

    def _open(self, line: LineData, t: int) -> bool:
        return all(
            day not in self.routes[r].closed_days
            for leg, r in enumerate(line.legs)
            for day in days_certainly_on_leg(line, t, leg)
        )

    def build(self) -> ModelData:
        days = range(1, self.horizon_days + 1)
        bases = tuple(self.bases)
        departures = [(name, t) for name, line in self.lines.items() for t in line.departure_days]
        terms = {d: self.line_terms[d[0]] for d in departures}
        return ModelData(
            horizon_days=self.horizon_days,
            BASES=bases,
            SUPPLIES=tuple(self.supplies),
            CARGO_TYPES=tuple(sorted({s.cargo_type for s in self.supplies.values()})),
            UNITS=tuple(self.units),
            VEHICLE_TYPES=tuple(self.vehicles),
            ROUTES=tuple(self.routes),
            LINES=tuple(self.lines),
            STOCK_POINTS=tuple(self.stocks),
            SOURCES=tuple(self.sources),
            mass_t_per_unit={k: s.mass_t_per_unit for k, s in self.supplies.items()},
            cargo_type={k: s.cargo_type for k, s in self.supplies.items()},
            shortfall_priority_factor={k: s.priority_factor for k, s in self.supplies.items()},
            safety_stock_days={k: s.safety_stock_days for k, s in self.supplies.items()},
            base_sector=dict.fromkeys(bases, "S1"),
            accommodation_troops=dict(self.bases),
            garrison_required_troops=dict(self.garrison),
            base_threat_level={(b, t): 1 for b in bases for t in days},
            capacity={key: s.capacity for key, s in self.stocks.items()},
            initial_stock={key: s.initial for key, s in self.stocks.items()},
            consumption_per_troop_day={key: s.per_troop_day for key, s in self.stocks.items()},
            fixed_demand=dict(self.fixed_demand),
            source_per_day={(*key, t): s.per_day for key, s in self.sources.items() for t in days},
            source_total={key: s.total for key, s in self.sources.items()},
            source_cost_usd_per_unit={key: s.cost for key, s in self.sources.items()},
            unit_strength={u: s.strength for u, s in self.units.items()},
            unit_current_base={u: s.base for u, s in self.units.items()},
            unit_candidate_bases={u: s.candidates for u, s in self.units.items()},
            unit_escort_capable={u: s.escort_capable for u, s in self.units.items()},
            relocation_km={
                (u, b): 0.0 if b == s.base else s.km
                for u, s in self.units.items()
                for b in s.candidates
            },
            relocation_cost_usd_per_troop_km=1.0,
            payload_t={v: s.payload_t for v, s in self.vehicles.items()},
            vehicle_cargo_types={v: s.carries for v, s in self.vehicles.items()},
            trips_per_day={v: s.trips_per_day for v, s in self.vehicles.items()},
            fleet=dict(self.fleet),
            route_km={r: s.km for r, s in self.routes.items()},
            route_mode={r: s.mode for r, s in self.routes.items()},
            route_open={
                (r, t): t not in s.closed_days for r, s in self.routes.items() for t in days
            },
            route_threat_level={
                (r, t): s.threat_level for r, s in self.routes.items() for t in days
            },
            route_max_convoys_per_day={
                (r, t): s.max_convoys_per_day
                for r, s in self.routes.items()
                if s.max_convoys_per_day is not None
                for t in days
            },
            lines=dict(self.lines),
            line_threat_level=dict.fromkeys(departures, 1),
            escort_troops_per_convoy={d: x.escort_per_convoy for d, x in terms.items()},
            escort_troops_per_group={d: x.escort_per_group for d, x in terms.items()},
            vehicles_per_escort_group={d: x.vehicles_per_group for d, x in terms.items()},
            exposure_per_vehicle={d: x.exposure_per_vehicle for d, x in terms.items()},
            cost_usd_per_vehicle={
                (name, v): self.line_terms[name].cost_per_vehicle
                for name, line in self.lines.items()
                for v in line.vehicle_types
            },
            route_entries=self._route_entries(departures),
            weights=self.weights,
            objective_policy=self.objective_policy,  # type: ignore[arg-type]
            end_stock_policy=self.end_stock_policy,  # type: ignore[arg-type]
            rationing=self.rationing,
            unit_move_day={u: s.move_day for u, s in self.units.items()},
            relocation_days={
                (u, b): s.transit_days for u, s in self.units.items() for b in s.candidates[1:]
            },
            relocation_exposure={
                (u, b): s.move_exposure for u, s in self.units.items() for b in s.candidates[1:]
            },
            vehicle_range_km=dict(self.vehicle_range_km),
        )

    def _route_entries(
        self, departures: list[tuple[str, int]]
    ) -> dict[tuple[str, int], tuple[tuple[str, int], ...]]:
        """Departures entering each limited route, on the day they reach its first base."""
        entries: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for line_id, t in departures:
            line = self.lines[line_id]
            offsets = [0, *(line.drop_offset_days[b] for b in line.path[1:])]
            for leg, r in enumerate(line.legs):
                if self.routes[r].max_convoys_per_day is not None:
                    entries.setdefault((r, t + offsets[leg]), []).append((line_id, t))
        return {key: tuple(value) for key, value in entries.items()}


def hub_and_camp(horizon_days: int = 5) -> Mission:
    """HUB (unlimited RATIONS source, no storage) — road R1, 1 day — CAMP (storage 1000 t).

    Trucks of 10 t based at HUB; line L1 may leave any day and its trucks are back 2 days later.
    Demand, fleet size and line limits are left to each test.
    """
    return (
        Mission(horizon_days=horizon_days)
        .supply("RATIONS")
        .base("HUB")
        .base("CAMP")
        .source("HUB", "RATIONS")
        .stock("CAMP", "RATIONS", capacity=1000.0)
        .vehicle("TRUCK", payload_t=10.0)
    )


def escorted_two_camps(escort_strength: int) -> Mission:
    """HUB sends convoys to C1 (line L1) and C2 (line L2), each needing 10 escort troops.

    4 trucks of 10 t at HUB, at most 2 per convoy; arrival next day, round trip 2 days; each camp
    needs 10 t/day on days 2–4. The escort unit of ``escort_strength`` sits at HUB.
    """
    mission = (
        Mission(horizon_days=4)
        .supply("RATIONS")
        .base("HUB")
        .base("C1")
        .base("C2")
        .source("HUB", "RATIONS")
        .vehicle("TRUCK", payload_t=10.0)
        .home("HUB", "TRUCK", 4)
        .unit("ESC", strength=escort_strength, base="HUB", escort_capable=True)
    )
    for line_id, camp in (("L1", "C1"), ("L2", "C2")):
        mission.line(
            line_id,
            path=("HUB", camp),
            legs=(f"R{camp}",),
            offsets=(1,),
            round_trip_days=2,
            vehicle_types=("TRUCK",),
            max_vehicles=2,
            cost_per_vehicle=100.0,
            escort_per_convoy=10,
        ).demand(camp, "RATIONS", range(2, 5), 10.0)
    return mission


def solve_checked(data: ModelData, **options: object) -> Plan:
    """Solve to proven optimality (unless ``options`` say otherwise) and check the plan."""
    settings = {"mip_gap": 0.0, "time_limit_s": 30.0, **options}
    plan = solve(data, SolveOptions(**settings))  # type: ignore[arg-type]
    check_plan(data, plan)
    return plan


def shortfall_reasons(plan: Plan) -> dict[tuple[str, str, int], str]:
    """Reason of each shortfall row keyed by (base, class, day)."""
    table = plan.tables["shortfalls"]
    return {(r.base_id, r.supply_id, r.day): r.reason for r in table.itertuples()}


SYNTHETIC_SUPPLIES = (
    ("WATER", "water", 1.0, 16.0),
    ("RATIONS", "dry", 1.0, 8.0),
    ("FUEL", "fuel", 0.8, 4.0),
    ("AMMO", "dry", 1.0, 4.0),
    ("MEDICAL", "dry", 1.0, 16.0),
    ("CONSTRUCTION", "dry", 1.0, 1.0),
)


def synthetic_mission(
    n_camps: int, horizon_days: int, *, seed: int = 1, escort_strength: int = 120
) -> Mission:
    """A random but realistic-looking mission of ``n_camps`` camps served from one hub per 10.

    Each hub has an escort unit of ``escort_strength``. Each camp holds a unit of 150–850 troops (a third may move to a neighbouring camp), draws its
    consumption per troop, has a borehole for part of its water and storage for about a week.
    Each hub has unlimited sources, a fleet of trucks, tankers and water tankers, an escort unit,
    road lines to pairs of its camps (escorted, some over a limited route, some closed for a few
    days) and a helicopter line to one camp.
    """
    rng = random.Random(seed)
    mission = Mission(horizon_days=horizon_days)
    for k, cargo, mass, priority in SYNTHETIC_SUPPLIES:
        mission.supply(
            k,
            cargo_type=cargo,
            mass_t_per_unit=mass,
            priority_factor=priority,
            safety_stock_days=3.0,
        )
    per_troop = {
        "WATER": 0.08,
        "RATIONS": 0.002,
        "FUEL": 0.01,
        "AMMO": 0.0005,
        "MEDICAL": 0.0001,
        "CONSTRUCTION": 0.001,
    }
    mission.vehicle("TRUCK", payload_t=20.0).vehicle("TANKER", payload_t=25.0, carries=("fuel",))
    mission.vehicle("WATER_TANKER", payload_t=20.0, carries=("water",)).vehicle(
        "HELI", payload_t=3.0, carries=("dry",), trips_per_day=3
    )
    n_hubs = max(1, n_camps // 10)
    for h in range(n_hubs):
        hub = f"HUB{h:02d}"
        mission.base(hub, accommodation=2000)
        for k, *_ in SYNTHETIC_SUPPLIES:
            mission.source(hub, k, cost=1.0)
            mission.stock(hub, k, capacity=5000.0, initial=500.0)
        mission.home(hub, "TRUCK", 30).home(hub, "TANKER", 8).home(hub, "WATER_TANKER", 10).home(
            hub, "HELI", 2
        )
        mission.unit(f"ESC{h:02d}", strength=escort_strength, base=hub, escort_capable=True)
        camps = [f"C{c:03d}" for c in range(h * 10, min(n_camps, (h + 1) * 10))]
        for c in camps:
            strength = rng.randrange(150, 851, 50)
            mission.base(c, accommodation=strength + 200)
            for k, *_ in SYNTHETIC_SUPPLIES:
                daily = per_troop[k] * strength
                mission.stock(
                    c, k, capacity=7 * daily, initial=3 * daily, per_troop_day=per_troop[k]
                )
            mission.source(c, "WATER", per_day=0.5 * per_troop["WATER"] * strength)
            neighbours = (
                tuple(rng.sample([o for o in camps if o != c], k=min(2, len(camps) - 1)))
                if rng.random() < 0.33
                else ()
            )
            mission.unit(
                f"U{c}", strength=strength, base=c, candidates=neighbours, km=rng.uniform(50, 300)
            )
            mission.garrison_required(c, strength // 2, range(1, horizon_days + 1))
        for i in range(0, len(camps) - 1, 2):
            first, second = camps[i], camps[i + 1]
            closed = (
                range(rng.randrange(1, horizon_days), rng.randrange(1, horizon_days) + 4)
                if rng.random() < 0.3
                else ()
            )
            mission.route(
                f"R{first}",
                km=rng.uniform(100, 300),
                closed_days=closed,
                max_convoys_per_day=1 if rng.random() < 0.3 else None,
            )
            mission.route(f"R{second}", km=rng.uniform(50, 150))
            mission.line(
                f"L{first}",
                path=(hub, first, second),
                legs=(f"R{first}", f"R{second}"),
                offsets=(1, 2),
                round_trip_days=4,
                vehicle_types=("TRUCK", "TANKER", "WATER_TANKER"),
                min_vehicles=2,
                max_vehicles=20,
                cost_per_vehicle=800.0,
                exposure_per_vehicle=rng.uniform(200, 2000),
                escort_per_convoy=20,
                escort_per_group=4,
                vehicles_per_group=5,
            )
        mission.line(
            f"AIR{hub}",
            mode="air",
            path=(hub, camps[0]),
            legs=(f"A{hub}",),
            offsets=(1,),
            round_trip_days=1,
            vehicle_types=("HELI",),
            max_vehicles=6,
            cost_per_vehicle=6000.0,
        )
    return mission
