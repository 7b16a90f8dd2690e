"""What the drawings show of a plan, gathered once: bases, routes with what they carried, threat
areas and convoys, in plain frozen records with coordinates.

The map, the timeline and the GIS files all read a ``PlanView``; none of them reaches into the
plan's tables. The tables come from ``logistics.report.tables.plan_frames``, so the drawings and
the plan workbook say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from logistics.drawing.geo import Ring, circle
from logistics.report.tables import PATH_SEPARATOR, leg_index, path_routes, plan_frames
from logistics.rules.schemas import Scenario
from models import Plan


@dataclass(frozen=True)
class BaseMark:
    """A base on the map, with what the plan puts there."""

    base_id: str
    name: str
    kind: str
    sector: str
    longitude_deg: float
    latitude_deg: float
    airfield_class: str
    allocated_troops: int | None
    required_troops: int | None
    max_threat_level: int | None

    @property
    def point(self) -> tuple[float, float]:
        """(longitude, latitude)."""
        return (self.longitude_deg, self.latitude_deg)

    @property
    def label(self) -> str:
        """The base's name, else its id."""
        return self.name or self.base_id


@dataclass(frozen=True)
class RouteMark:
    """A route on the map, with what the plan sends over it."""

    route_id: str
    from_base_id: str
    to_base_id: str
    mode: str
    distance_km: float
    start: tuple[float, float]
    end: tuple[float, float]
    tonnage_t: float
    """Tonnes carried over the route (outbound loads, after the drops before it)."""
    convoy_ids: tuple[str, ...]
    departure_days: tuple[int, ...]
    """Departure day of each convoy using the route, in the order of ``convoy_ids``."""
    vehicles: int
    max_threat_level: int
    min_threat_level: int
    days_closed: int
    closed_days: str
    """The closed days as ranges, e.g. ``8-14``; empty when always open."""

    @property
    def used(self) -> bool:
        """Whether any convoy uses the route."""
        return bool(self.convoy_ids)

    @property
    def closed_some_days(self) -> bool:
        """Whether the route is closed on at least one day of the horizon."""
        return self.days_closed > 0


@dataclass(frozen=True)
class ThreatArea:
    """A threat on an area (centre and radius), with its circle as a polygon ring."""

    threat_id: str
    threat_type: str
    level: int
    longitude_deg: float
    latitude_deg: float
    radius_km: float
    first_day: int
    last_day: int
    modes: tuple[str, ...]
    description: str
    ring: Ring


@dataclass(frozen=True)
class ConvoyBar:
    """One convoy's round trip, for the timeline."""

    convoy_id: str
    line_id: str
    mode: str
    path: str
    depart_day: int
    return_day: int
    vehicles: int
    cargo_t: float
    max_threat_level: int


@dataclass(frozen=True)
class PlanView:
    """Everything the drawings of one plan show."""

    scenario_name: str
    status: str
    start_date: dt.date | None
    horizon_days: int
    bases: tuple[BaseMark, ...]
    routes: tuple[RouteMark, ...]
    threat_areas: tuple[ThreatArea, ...]
    convoys: tuple[ConvoyBar, ...]

    def date_of(self, day: int) -> dt.date | None:
        """The calendar date of a plan day (day 1 = ``start_date``), if the plan has dates."""
        return None if self.start_date is None else self.start_date + dt.timedelta(days=day - 1)

    def day_label(self, day: int) -> str:
        """A day as people read it: its ISO date when the plan has dates, else ``day N``."""
        date = self.date_of(day)
        return f"day {day}" if date is None else date.isoformat()

    @property
    def used_routes(self) -> tuple[RouteMark, ...]:
        """The routes at least one convoy uses."""
        return tuple(route for route in self.routes if route.used)


def plan_view(scenario: Scenario, plan: Plan) -> PlanView:
    """Gather what the drawings of ``plan`` show from the plan's tables and the scenario."""
    frames = plan_frames(scenario, plan)
    bases = _base_marks(scenario, frames["Garrison"])
    where = {base.base_id: base.point for base in bases}
    return PlanView(
        scenario_name=scenario.settings.scenario_name,
        status=str(plan.status),
        start_date=scenario.settings.start_date,
        horizon_days=scenario.settings.horizon_days,
        bases=bases,
        routes=_route_marks(scenario, frames, where),
        threat_areas=_threat_areas(scenario),
        convoys=_convoy_bars(frames["Convoys"]),
    )


def _optional_int(value: object) -> int | None:
    """An integer table value, or None when it is missing."""
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _base_marks(scenario: Scenario, garrison: pd.DataFrame) -> tuple[BaseMark, ...]:
    """Every base with its coordinates and the garrison the plan gives it."""
    rows = garrison.set_index("base_id").to_dict("index") if len(garrison) else {}
    marks = []
    for base in scenario.bases:
        row = rows.get(base.base_id, {})
        marks.append(
            BaseMark(
                base_id=base.base_id,
                name=base.name,
                kind=base.kind.value,
                sector=base.sector,
                longitude_deg=base.longitude_deg,
                latitude_deg=base.latitude_deg,
                airfield_class=base.airfield_class.value,
                allocated_troops=_optional_int(row.get("allocated_troops")),
                required_troops=_optional_int(row.get("required_troops")),
                max_threat_level=_optional_int(row.get("max_threat_level")),
            )
        )
    return tuple(marks)


def _route_marks(
    scenario: Scenario,
    frames: Mapping[str, pd.DataFrame],
    where: Mapping[str, tuple[float, float]],
) -> tuple[RouteMark, ...]:
    """Every route with the convoys using it, the tonnes they carry over it and its threat."""
    usage = _route_usage(scenario, frames["Convoys"], frames["Cargo"])
    table = frames["Routes"].set_index("route_id").to_dict("index")
    marks = []
    for route in scenario.routes:
        row = table.get(route.route_id, {})
        convoys = usage.get(route.route_id, [])
        marks.append(
            RouteMark(
                route_id=route.route_id,
                from_base_id=route.from_base_id,
                to_base_id=route.to_base_id,
                mode=route.mode.value,
                distance_km=route.distance_km,
                start=where[route.from_base_id],
                end=where[route.to_base_id],
                tonnage_t=sum(tonnes for _, _, tonnes in convoys),
                convoy_ids=tuple(convoy for convoy, _, _ in convoys),
                departure_days=tuple(day for _, day, _ in convoys),
                vehicles=int(row.get("vehicles", 0)),
                max_threat_level=int(row.get("max_threat_level", route.threat_level)),
                min_threat_level=int(row.get("min_threat_level", route.threat_level)),
                days_closed=int(row.get("days_closed", 0)),
                closed_days=str(row.get("closed_days") or ""),
            )
        )
    return tuple(marks)


def _route_usage(
    scenario: Scenario, convoys: pd.DataFrame, cargo: pd.DataFrame
) -> dict[str, list[tuple[str, int, float]]]:
    """(convoy id, departure day, tonnes on the route) of every convoy, by route.

    A convoy carries its whole load out of its origin and drops it along its path, so the
    tonnes on a leg are what it still has to drop at the bases beyond it.
    """
    mass = {supply.supply_id: supply.mass_t_per_unit for supply in scenario.supplies}
    drops: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in cargo.to_dict("records"):
        tonnes = float(row["quantity"]) * mass.get(str(row["supply_id"]), 1.0)
        drops[str(row["convoy_id"])][str(row["base_id"])] += tonnes
    legs = leg_index(scenario)
    usage: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    for row in convoys.to_dict("records"):
        convoy_id = str(row["convoy_id"])
        bases = str(row["path"]).split(PATH_SEPARATOR)
        routes = path_routes(str(row["path"]), str(row["mode"]), legs)
        dropped = drops.get(convoy_id, {})
        for position, route in enumerate(routes):
            beyond = set(bases[position + 1 :])
            tonnes = sum(t for base, t in dropped.items() if base in beyond)
            usage[route.route_id].append((convoy_id, int(row["depart_day"]), tonnes))
    return usage


def _threat_areas(scenario: Scenario) -> tuple[ThreatArea, ...]:
    """The threats on areas, each with its circle."""
    areas = []
    for threat in scenario.threats:
        if threat.latitude_deg is None or threat.longitude_deg is None or threat.radius_km is None:
            continue
        areas.append(
            ThreatArea(
                threat_id=threat.threat_id,
                threat_type=threat.threat_type.value,
                level=threat.level,
                longitude_deg=threat.longitude_deg,
                latitude_deg=threat.latitude_deg,
                radius_km=threat.radius_km,
                first_day=threat.first_day,
                last_day=threat.last_day or scenario.settings.horizon_days,
                modes=tuple(sorted(mode.value for mode in threat.affected_modes)),
                description=threat.description,
                ring=circle(threat.latitude_deg, threat.longitude_deg, threat.radius_km),
            )
        )
    return tuple(areas)


def _convoy_bars(convoys: pd.DataFrame) -> tuple[ConvoyBar, ...]:
    """Every convoy's round trip."""
    return tuple(
        ConvoyBar(
            convoy_id=str(row["convoy_id"]),
            line_id=str(row["line_id"]),
            mode=str(row["mode"]),
            path=str(row["path"]),
            depart_day=int(row["depart_day"]),
            return_day=int(row["return_day"]),
            vehicles=int(row["vehicles"]),
            cargo_t=float(row["cargo_t"]),
            max_threat_level=int(row["max_threat_level"]),
        )
        for row in convoys.to_dict("records")
    )
