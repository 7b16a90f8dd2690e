"""Stress variants of a mission: pure functions from a ``Scenario`` to a new ``Scenario``.

Each takes what it changes as arguments (route ids, a unit id, days), so the same function
serves every theatre; ``benchmarks.missions.suite`` says what each theatre passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from logistics.rules.schemas import Route, RouteSeason, Scenario, Threat, ThreatType

BLOCKADE_LEVEL = 5
"""Level of the blockade threat: the highest, at which every theatre of the suite closes routes."""


def with_horizon(scenario: Scenario, horizon_days: int) -> Scenario:
    """The same mission planned over ``horizon_days``: demands and threats that ran to the end
    of the old horizon run to the end of the new one (a workbook states "to the end" as the
    last day)."""
    old_end = scenario.settings.horizon_days
    if horizon_days == old_end:
        return scenario

    def to_the_end(last_day: int | None) -> int | None:
        return None if last_day is None or last_day >= old_end else last_day

    settings = scenario.settings.model_copy(update={"horizon_days": horizon_days})
    demands = tuple(
        d.model_copy(update={"last_day": to_the_end(d.last_day)}) for d in scenario.demands
    )
    threats = tuple(
        t.model_copy(update={"last_day": to_the_end(t.last_day)}) for t in scenario.threats
    )
    return scenario.model_copy(
        update={"settings": settings, "demands": demands, "threats": threats}
    )


def blockade(scenario: Scenario, route_ids: Iterable[str], first_day: int) -> Scenario:
    """The main supply route closed from ``first_day`` to the end: a level-5 threat on each of
    its routes (a blockade, checkpoints or a cut bridge), which closes it at the suite's
    closure level."""
    threats = tuple(
        Threat(
            threat_id=f"BLOCKADE-{route_id}",
            threat_type=ThreatType.unrest,
            level=BLOCKADE_LEVEL,
            route_id=route_id,
            first_day=first_day,
            description=f"Main supply route blockaded from day {first_day} to the end.",
        )
        for route_id in route_ids
    )
    name = f"{scenario.settings.scenario_name}, MSR blockaded from day {first_day}"
    return _renamed(scenario.model_copy(update={"threats": (*scenario.threats, *threats)}), name)


@dataclass(frozen=True)
class RainEffects:
    """What the rains do to a mission's routes."""

    start_date: dt.date
    """Day 1 of the rainy-season mission."""
    onset_day: int
    """First day the closed routes are shut and the slowed routes take their wet transit days
    (the first rains soften the tracks before)."""
    closed: tuple[str, ...]
    """Routes the rains close from ``onset_day``."""
    wet_transit_days: Mapping[str, float]
    """Transit days in the rains of routes that stay open but slow down."""
    opens_on_day: Mapping[str, int] = field(default_factory=dict)
    """Routes closed at the start of the mission that the rains open on a day (a river reach
    navigable only at high water)."""


def rainy_season(scenario: Scenario, rains: RainEffects) -> Scenario:
    """The mission at the start of the rains, as ``RouteSeasons`` rows: from the onset the
    rain-closed routes are closed and the slowed routes take their wet transit days (before it
    the routes' own windows and transit days hold); the high-water routes are closed until the
    day they open. The seasons replace those the mission had for these routes."""
    seasons = rain_seasons(scenario.routes, rains)
    touched = {season.route_id for season in seasons}
    kept = tuple(s for s in scenario.route_seasons if s.route_id not in touched)
    settings = scenario.settings.model_copy(update={"start_date": rains.start_date})
    rained = scenario.model_copy(update={"route_seasons": (*kept, *seasons), "settings": settings})
    return _renamed(rained, f"{scenario.settings.scenario_name}, rainy season")


def rain_seasons(routes: Iterable[Route], rains: RainEffects) -> tuple[RouteSeason, ...]:
    """The season rows the rains give the routes (see ``rainy_season``)."""
    closed = set(rains.closed)
    onset = rains.onset_day
    seasons: list[RouteSeason] = []
    for route in routes:
        rid = route.route_id
        wet = rains.wet_transit_days.get(rid)
        if rid in closed:
            seasons.append(RouteSeason(route_id=rid, first_day=onset, open=False))
        elif rid in rains.opens_on_day:
            opens = rains.opens_on_day[rid]
            if opens > 1:
                seasons.append(
                    RouteSeason(route_id=rid, first_day=1, last_day=opens - 1, open=False)
                )
            seasons.append(RouteSeason(route_id=rid, first_day=opens, transit_days=wet))
        elif wet is not None and wet != route.transit_days:
            seasons.append(RouteSeason(route_id=rid, first_day=onset, transit_days=wet))
    return tuple(seasons)


def withdraw_unit(scenario: Scenario, unit_id: str) -> Scenario:
    """The mission without one unit (an escort battalion repatriated or redeployed)."""
    units = tuple(unit for unit in scenario.units if unit.unit_id != unit_id)
    if len(units) == len(scenario.units):
        raise ValueError(f"no unit {unit_id!r} to withdraw")
    name = f"{scenario.settings.scenario_name}, {unit_id} withdrawn"
    return _renamed(scenario.model_copy(update={"units": units}), name)


def _renamed(scenario: Scenario, name: str) -> Scenario:
    """The scenario under a new name (cut to the 120 characters a name may have)."""
    settings = scenario.settings.model_copy(update={"scenario_name": name[:120]})
    return scenario.model_copy(update={"settings": settings})
