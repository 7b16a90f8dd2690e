"""The facts a theatre of the suite is made of.

A theatre is places, links, troop units, a fleet, convoy lines, threats and where supplies enter,
each with its source or the mark ``[E]`` where the figure is an estimate. ``benchmarks.missions.
build`` turns these facts into a ``Scenario``:

* a link's transit days in the dry and the rainy season (``dry_days``, ``wet_days``), and whether
  the rains close it (``wet_days`` None): a member takes the dry figure, and the rainy variant
  adds ``RouteSeasons`` rows that close or slow the link from the onset of the rains;
* vehicles at their real payload (a Nile barge set of 1,200 t is one vehicle), aircraft as fixed
  wing or helicopter, air links only helicopters fly (``Theatre.helicopter_routes``);
* airfields by class, light strips included, and the daily movements congested ones handle
  (``Theatre.sorties_per_day``); lines whose escorts come from a hub other than their origin
  (``Theatre.escort_bases``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from logistics.rules.schemas import AirfieldClass, BaseKind, Demand, Mode, Threat, UnitType, Vehicle


@dataclass(frozen=True)
class Place:
    """A location: a port, a hub, a camp, a team site or a waypoint on a road."""

    place_id: str
    name: str
    kind: BaseKind
    sector: str
    latitude_deg: float
    longitude_deg: float
    airfield: AirfieldClass = AirfieldClass.none
    local_water_share: float = 0.9
    """Share of the base's own water need its boreholes or purification plant give each day."""
    note: str = ""


@dataclass(frozen=True)
class Link:
    """A road, river (or coastal shipping) or air link between two places."""

    from_id: str
    to_id: str
    mode: Mode
    km: float | None
    """Road or river distance; None for air, which flies the great circle."""
    dry_days: float
    wet_days: float | None
    """Transit days in the rainy season; None when the rains close the link."""
    threat: int
    """Threat level 1-5 of the link before any active threat (the scale of the Mali FACTS §3)."""
    note: str = ""

    @property
    def route_id(self) -> str:
        """Readable route id, both ends and the mode: ``JUB-BOR-ROAD``."""
        return f"{self.from_id}-{self.to_id}-{self.mode.value.upper()}"


@dataclass(frozen=True)
class UnitFact:
    """A troop unit as deployed: country, type, strength, where it sits, whether it may move."""

    unit_id: str
    name: str
    country: str
    unit_type: UnitType
    strength: int
    base_id: str
    may_move: bool
    escort: bool


@dataclass(frozen=True)
class VehicleFact:
    """A vehicle type as the workbook holds it."""

    vehicle: Vehicle


@dataclass(frozen=True)
class LineFact:
    """A standing convoy line: origin, destination, via places, mode, rhythm and size."""

    line_id: str
    origin: str
    destination: str
    via: tuple[str, ...]
    mode: Mode
    first_day: int
    every_days: int
    min_vehicles: int
    max_vehicles: int


@dataclass(frozen=True)
class Rains:
    """What the rainy season does to the theatre: when it starts, which links it closes."""

    start_date: dt.date
    """Day 1 of a rainy-season member: the start of the rains."""
    onset_day: int
    """First day the rain-closed links are shut (the first rains soften the tracks before)."""


@dataclass(frozen=True)
class Theatre:
    """Everything one theatre of the suite is built from."""

    key: str
    mission: str
    start_date: dt.date
    places: tuple[Place, ...]
    links: tuple[Link, ...]
    units: tuple[UnitFact, ...]
    caveats: dict[str, tuple[str, ...]]
    """Sectors each contributing country allows its units in; an empty tuple = any sector."""
    vehicles: tuple[VehicleFact, ...]
    fleet: tuple[tuple[str, str, int], ...]
    """(home place, vehicle type, count)."""
    lines: tuple[LineFact, ...]
    threats: tuple[Threat, ...]
    imports_per_day: dict[str, dict[str, float]]
    """Where supplies enter the theatre: place -> supply class -> quantity per day."""
    local_places: frozenset[str]
    """Import places that are in-theatre contractors (they charge a premium over the port)."""
    fixed_fuel_kl_per_day: dict[str, float]
    """Generators of airfields, hospitals and water plants, independent of troop numbers."""
    main_supply_route: tuple[str, ...]
    """Route ids of the main supply route, closed by the blockade variant."""
    escort_unit_id: str
    """The escort unit the withdrawal variant takes away."""
    rains: Rains
    demands: tuple[Demand, ...] = ()
    helicopter_routes: frozenset[str] = frozenset()
    """Air routes only helicopters fly (an insecure or unsuitable strip at one end) [E]."""
    sorties_per_day: Mapping[str, int] = field(default_factory=dict)
    """Aircraft movements a day a congested airfield handles (apron, handling, slots) [E]."""
    escort_bases: Mapping[str, str] = field(default_factory=dict)
    """Convoy line -> the base whose escort units escort it, where not its origin."""


# --------------------------------------------------------------------------------------------------
# Compact tables: each theatre module writes its facts as rows of tuples, read by these helpers
# --------------------------------------------------------------------------------------------------

PlaceRow = tuple[str, str, BaseKind, str, float, float, AirfieldClass, float, str]
"""(id, name, kind, sector, latitude, longitude, airfield, local water share, note)."""
LinkRow = tuple[str, str, Mode, float | None, float, float | None, int, str]
"""(from, to, mode, km or None for air, dry days, wet days or None if closed, threat, note)."""
UnitRow = tuple[str, str, str, UnitType, int, str, bool, bool]
"""(id, name, country, type, strength, base, may move, escort capable)."""
LineRow = tuple[str, str, str, str, Mode, int, int, int, int]
"""(id, origin, destination, via places separated by ';', mode, first day, every N days, min,
max vehicles)."""


def places(rows: tuple[PlaceRow, ...]) -> tuple[Place, ...]:
    """Places from their rows."""
    return tuple(Place(*row) for row in rows)


def links(rows: tuple[LinkRow, ...]) -> tuple[Link, ...]:
    """Links from their rows."""
    return tuple(Link(*row) for row in rows)


def units(rows: tuple[UnitRow, ...]) -> tuple[UnitFact, ...]:
    """Troop units from their rows."""
    return tuple(UnitFact(*row) for row in rows)


def lines(rows: tuple[LineRow, ...]) -> tuple[LineFact, ...]:
    """Convoy lines from their rows."""
    return tuple(_line(row) for row in rows)


def _line(row: LineRow) -> LineFact:
    line_id, origin, destination, via, mode, first_day, every_days, low, high = row
    stops = tuple(v for v in via.split(";") if v)
    return LineFact(line_id, origin, destination, stops, mode, first_day, every_days, low, high)


def air_lines(hub: str, spokes: str, first_day: int = 1) -> tuple[LineFact, ...]:
    """Daily air lines from ``hub`` to each of ``spokes`` (ids separated by ';'), 1-4 sorties."""
    return tuple(
        LineFact(f"AIR-{hub}-{spoke}", hub, spoke, (), Mode.air, first_day, 1, 1, 4)
        for spoke in spokes.split(";")
    )
