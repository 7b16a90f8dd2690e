"""Plain sets and parameters the optimisation model is built from.

``ModelData`` knows nothing about workbooks: ``logistics.compile`` fills it from a validated scenario
with every unit normalised (days, km, t, the supply class's own unit for quantities, USD). Sets are
tuples in a fixed order, so models built from equal data are identical. A parameter keyed by a
tuple that is absent from its dict is 0 unless its docstring says otherwise.

Index order is always (base or route or line, supply class, day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

BaseId = str
SupplyId = str
UnitId = str
VehicleTypeId = str
LineId = str
RouteId = str
Day = int

ALWAYS, IF_ALLOCATED, NEVER = "always", "if_allocated", "never"
"""Presence of a unit at a base on a day (``ModelData.present``)."""


@dataclass(frozen=True)
class Timetable:
    """When a convoy leaving on one particular day reaches each base and is home again, for the
    departures whose legs take a seasonal transit time (``LineData.timetables``).

    ``leg_offset_days`` holds, for each leg of the round trip (outbound in path order, then back in
    reverse), the first and one past the last day after departure that the convoy is on it: the
    floor of its fractional start and the ceil of its fractional end.
    """

    drop_offset_days: Mapping[BaseId, int]
    round_trip_days: int
    leg_offset_days: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class LineData:
    """One convoy line (a standing convoy or air service) after path finding.

    A convoy of the line departs its ``origin`` on one of ``departure_days``, reaches ``path[i]``
    ``drop_offset_days[path[i]]`` days later (ceil of the cumulative transit days, so at least 1),
    may unload at every base of the path after the origin, and its vehicles and escorts are busy on
    days ``t .. t + round_trip_days - 1`` and back at the origin on day ``t + round_trip_days``.
    A departure whose legs take a seasonal transit time has its own timetable in ``timetables``
    (the accessors ``drop_offset``, ``round_trip`` and ``leg_offsets`` take the departure day).
    ``departure_days`` already excludes days on which any leg would be closed (season or threat,
    outbound or return) while the convoy is on it. At most one convoy departs per line and day.
    Its escorts come from ``escort_base`` (None = the origin).
    """

    line_id: LineId
    mode: str
    origin: BaseId
    path: tuple[BaseId, ...]
    legs: tuple[RouteId, ...]
    leg_km: tuple[float, ...]
    drop_offset_days: Mapping[BaseId, int]
    round_trip_days: int
    departure_days: tuple[Day, ...]
    min_vehicles: int
    max_vehicles: int
    vehicle_types: tuple[VehicleTypeId, ...]
    generated: bool = False
    timetables: Mapping[Day, Timetable] = field(default_factory=dict)
    escort_base: BaseId | None = None

    @property
    def one_way_km(self) -> float:
        """Length of the outbound path in km."""
        return float(sum(self.leg_km))

    @property
    def escort_origin(self) -> BaseId:
        """Base whose escort-capable units escort the line's convoys."""
        return self.escort_base or self.origin

    @property
    def round_trip_stops(self) -> tuple[BaseId, ...]:
        """The base each leg of the round trip reaches: the path after the origin, then back."""
        return (*self.path[1:], *reversed(self.path[:-1]))

    def drop_offset(self, base: BaseId, day: Day) -> int:
        """Days after leaving on ``day`` that the convoy reaches ``base`` (first time on its path)."""
        timetable = self.timetables.get(day)
        return (timetable or self).drop_offset_days[base]

    def round_trip(self, day: Day) -> int:
        """Days after leaving on ``day`` that the convoy is home again."""
        timetable = self.timetables.get(day)
        return (timetable or self).round_trip_days

    def leg_offsets(self, day: Day) -> tuple[tuple[int, int], ...]:
        """(entered, reached) days after leaving on ``day`` of each leg of the round trip.

        Without a timetable of its own the return mirrors the outbound journey: the convoy is on
        leg i outbound from o_i to o_{i+1} and back from R − o_{i+1} to R − o_i, with o the drop
        offsets (o_0 = 0) and R the round trip.
        """
        timetable = self.timetables.get(day)
        if timetable is not None:
            return timetable.leg_offset_days
        offsets = [0, *(self.drop_offset_days[b] for b in self.path[1:])]
        outbound = [(offsets[i], offsets[i + 1]) for i in range(len(self.legs))]
        back = [(self.round_trip_days - b, self.round_trip_days - a) for a, b in reversed(outbound)]
        return (*outbound, *back)


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the objective terms (see ``models/README.md``).

    Under the default ``priorities`` policy a weight only scales its term within its priority
    tier (safety stock against end stock); under ``weights`` the terms are traded at these rates.
    """

    shortfall: float = 1000.0
    garrison: float = 100.0
    safety_stock: float = 1.0
    end_stock: float = 10.0
    exposure: float = 0.01
    cost: float = 0.001
    stability: float = 100.0
    """Per departure moved, added or cancelled and per unit re-tasked against the published plan
    (only when re-planning, ``Commitments``); 0 turns plan stability off."""


EndStockPolicy = Literal["safety", "opening", "none"]
"""What each stock point must hold at the close of the last day: ``safety`` the lesser of its
safety target (for the troops the plan puts there) and its opening stock; ``opening`` its opening
stock; ``none`` nothing (the stores may be emptied)."""

Departure = tuple[str, int]
"""(line, departure day)."""


@dataclass(frozen=True)
class Commitments:
    """What a re-plan inherits from the plan it replaces and from the day's reports
    (``models/README.md``, Re-planning). Empty for a plan made from scratch.

    Day 1 is the report day. What is already on the road is data, not decisions: the cargo of the
    convoys in transit arrives as scheduled (``pipeline_arrivals``), and their vehicles and escort
    troops, like vehicles out of service, are unavailable until they are back
    (``vehicles_away``, ``escort_troops_away``). The published plan's departures on days
    ``1..published_days`` and its units' bases are the reference that plan stability measures
    changes against; ``fixed_departures`` (the published departures of the frozen days that can
    still run) must run.
    """

    pipeline_arrivals: Mapping[tuple[BaseId, SupplyId, Day], float] = field(default_factory=dict)
    """Quantity arriving at a stock point on a day from convoys already on the road."""
    vehicles_away: Mapping[tuple[BaseId, VehicleTypeId, Day], int] = field(default_factory=dict)
    """Vehicles (sorties for aircraft) of a home base not available on a day: on the road with a
    convoy that left before day 1, lost, or out of service."""
    escort_troops_away: Mapping[tuple[BaseId, Day], int] = field(default_factory=dict)
    """Escort troops of a base away on a day with a convoy that left before day 1."""
    published_days: int = 0
    """Days 1..published_days are covered by the published plan (0: nothing to keep stable)."""
    published_departures: frozenset[Departure] = frozenset()
    """Departures of the published plan on days 1..published_days, in this horizon's days."""
    fixed_departures: frozenset[Departure] = frozenset()
    """Published departures of the frozen days that must run."""
    published_bases: Mapping[UnitId, BaseId] = field(default_factory=dict)
    """The base the published plan allocates each unit to."""

    @property
    def stable(self) -> bool:
        """Whether the objective has a plan-stability term (there is a published plan)."""
        return self.published_days > 0


ObjectivePolicy = Literal["priorities", "weights"]
"""How the objective terms are traded: ``priorities`` lexicographically (no amount of a lower tier
buys any of a higher one, ``objective_tiers``); ``weights`` as one weighted sum."""


@dataclass(frozen=True)
class ModelData:
    """Everything the Pyomo model needs, in normalised units.

    Quantities of a supply class are in that class's unit (t or kL); masses in t; distances in km;
    times in whole days (1..H); money in USD; troops in persons.
    """

    # ---- sets -------------------------------------------------------------------------------------
    horizon_days: int
    BASES: tuple[BaseId, ...]
    SUPPLIES: tuple[SupplyId, ...]
    CARGO_TYPES: tuple[str, ...]
    UNITS: tuple[UnitId, ...]
    VEHICLE_TYPES: tuple[VehicleTypeId, ...]
    ROUTES: tuple[RouteId, ...]
    LINES: tuple[LineId, ...]
    STOCK_POINTS: tuple[tuple[BaseId, SupplyId], ...]
    """(base, class) pairs that keep a stock balance: stored, supplied, demanded or consumed there."""
    SOURCES: tuple[tuple[BaseId, SupplyId], ...]

    # ---- supplies ---------------------------------------------------------------------------------
    mass_t_per_unit: Mapping[SupplyId, float]
    cargo_type: Mapping[SupplyId, str]
    shortfall_priority_factor: Mapping[SupplyId, float]
    """Multiplier of ``weights.shortfall`` per unit short: 2 ** (5 - priority), so water (1) = 16."""
    safety_stock_days: Mapping[SupplyId, float]

    # ---- bases and stocks -------------------------------------------------------------------------
    base_sector: Mapping[BaseId, str]
    accommodation_troops: Mapping[BaseId, int]
    garrison_required_troops: Mapping[tuple[BaseId, Day], int]
    """Minimum garrison plus the uplift of the highest threat level active on the base that day."""
    base_threat_level: Mapping[tuple[BaseId, Day], int]
    capacity: Mapping[tuple[BaseId, SupplyId], float]
    initial_stock: Mapping[tuple[BaseId, SupplyId], float]
    consumption_per_troop_day: Mapping[tuple[BaseId, SupplyId], float]
    fixed_demand: Mapping[tuple[BaseId, SupplyId, Day], float]
    """Demand independent of troops: the Stocks sheet's fixed daily demand plus Demands rows."""

    # ---- sources ----------------------------------------------------------------------------------
    source_per_day: Mapping[tuple[BaseId, SupplyId, Day], float | None]
    """Most drawn on each day, for every source and day 1..H; None = no daily limit."""
    source_total: Mapping[tuple[BaseId, SupplyId], float | None]
    """Most drawn over the horizon; None = no total limit."""
    source_cost_usd_per_unit: Mapping[tuple[BaseId, SupplyId], float]

    # ---- units ------------------------------------------------------------------------------------
    unit_strength: Mapping[UnitId, int]
    unit_current_base: Mapping[UnitId, BaseId]
    unit_candidate_bases: Mapping[UnitId, tuple[BaseId, ...]]
    """Bases the unit may be allocated to: its current base only if it may not move, else every base
    with accommodation in a sector its country allows (the current base always included)."""
    unit_escort_capable: Mapping[UnitId, bool]
    relocation_km: Mapping[tuple[UnitId, BaseId], float]
    relocation_cost_usd_per_troop_km: float

    # ---- vehicles ---------------------------------------------------------------------------------
    payload_t: Mapping[VehicleTypeId, float]
    vehicle_cargo_types: Mapping[VehicleTypeId, frozenset[str]]
    trips_per_day: Mapping[VehicleTypeId, int]
    """Round trips one vehicle can start per day: sorties per day for aircraft, 1 otherwise."""
    fleet: Mapping[tuple[BaseId, VehicleTypeId], int]

    # ---- routes -----------------------------------------------------------------------------------
    route_km: Mapping[RouteId, float]
    route_mode: Mapping[RouteId, str]
    route_open: Mapping[tuple[RouteId, Day], bool]
    """Open by season and below the closure threat level, for days 1..H."""
    route_threat_level: Mapping[tuple[RouteId, Day], int]
    route_max_convoys_per_day: Mapping[tuple[RouteId, Day], int]
    """Most convoys entering the route that day; only limited (route, day) pairs appear."""

    # ---- convoy lines -----------------------------------------------------------------------------
    lines: Mapping[LineId, LineData]
    line_threat_level: Mapping[tuple[LineId, Day], int]
    """Highest threat level on the line's path (outbound and return) for a departure on that day."""
    escort_troops_per_convoy: Mapping[tuple[LineId, Day], int]
    escort_troops_per_group: Mapping[tuple[LineId, Day], int]
    vehicles_per_escort_group: Mapping[tuple[LineId, Day], int]
    exposure_per_vehicle: Mapping[tuple[LineId, Day], float]
    """Sum over the round trip's legs of km x risk weight of the leg's threat level that day."""
    cost_usd_per_vehicle: Mapping[tuple[LineId, VehicleTypeId], float]
    """Round-trip running cost of one vehicle of that type on the line (km or flight hours)."""
    route_entries: Mapping[tuple[RouteId, Day], tuple[tuple[LineId, Day], ...]]
    """For each route and day with a limit, the (line, departure day) pairs whose convoy enters it
    that day."""

    weights: ObjectiveWeights = field(default_factory=ObjectiveWeights)
    objective_policy: ObjectivePolicy = "priorities"
    end_stock_policy: EndStockPolicy = "safety"
    rationing: bool = False
    """True when the workbook allows rationing: the end-of-horizon reserve then ranks above daily
    demand, so demand may go unmet while the store still holds what the reserve needs."""

    # ---- timed relocation -------------------------------------------------------------------------
    unit_move_day: Mapping[UnitId, Day] = field(default_factory=dict)
    """Day a relocated unit leaves its current base (default 1)."""
    relocation_days: Mapping[tuple[UnitId, BaseId], int] = field(default_factory=dict)
    """Whole days a unit travels from its current base to a candidate base (0 for its own base);
    it counts at neither base on those days and is at the new base from the day after."""
    relocation_exposure: Mapping[tuple[UnitId, BaseId], float] = field(default_factory=dict)
    """Exposure of the move (vehicles x km x risk weight of each road's level while on it)."""
    vehicle_range_km: Mapping[VehicleTypeId, float] = field(default_factory=dict)
    """Longest leg an aircraft flies without refuelling; absent = unlimited."""
    vehicle_aircraft: Mapping[VehicleTypeId, str] = field(default_factory=dict)
    """``fixed_wing`` or ``helicopter`` for each aircraft type (surface vehicles absent)."""
    route_aircraft: Mapping[RouteId, str] = field(default_factory=dict)
    """The only kind of aircraft an air route admits; absent = any."""
    airfield_rank: Mapping[BaseId, int] = field(default_factory=dict)
    """Rank of each base's airfield class (none 0 < helipad < light strip < unpaved < paved)."""
    vehicle_min_airfield_rank: Mapping[VehicleTypeId, int] = field(default_factory=dict)
    """Rank of the least airfield class each aircraft type needs."""
    max_sorties_per_day: Mapping[BaseId, int] = field(default_factory=dict)
    """Most aircraft movements per day at a base's airfield (a take-off, or a landing with the
    take-off that follows); absent = no limit."""

    # ---- re-planning --------------------------------------------------------------------------------
    commitments: Commitments = field(default_factory=Commitments)
    """What is already moving and the published plan, when re-planning (``Commitments``)."""

    # ---- derived helpers --------------------------------------------------------------------------
    @property
    def DAYS(self) -> tuple[Day, ...]:
        """Days 1..H."""
        return tuple(range(1, self.horizon_days + 1))

    def move_day(self, unit: UnitId) -> Day:
        """Day the unit leaves its current base if the plan relocates it."""
        return self.unit_move_day.get(unit, 1)

    def arrival_day(self, unit: UnitId, base: BaseId) -> Day:
        """First day the unit counts at ``base`` if allocated there (1 for its current base)."""
        if base == self.unit_current_base[unit]:
            return 1
        return self.move_day(unit) + self.relocation_days.get((unit, base), 0)

    def present(self, unit: UnitId, base: BaseId, day: Day) -> str:
        """Whether the unit counts at the base on the day: ``always``, ``if_allocated`` or
        ``never``.

        At its current base a unit counts on every day before its move day, and after it only if
        it stays; at another base it counts from its arrival day, if allocated there.
        """
        if base == self.unit_current_base[unit] and day < self.move_day(unit):
            return ALWAYS
        if day >= self.arrival_day(unit, base):
            return IF_ALLOCATED
        return NEVER
