"""Stress variants of a mission: pure functions from a ``Scenario`` to a new ``Scenario``.

Each takes what it changes as arguments (route ids, a unit id, days), so the same function
serves every theatre; ``benchmarks.missions.suite`` says what each theatre passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logistics.schemas import Route, Scenario, Threat, ThreatType

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
    """First day the closed routes are shut."""
    closed: tuple[str, ...]
    """Routes the rains close from ``onset_day``."""
    wet_transit_days: Mapping[str, float]
    """Transit days in the rains of routes that stay open but slow down."""


def rainy_season(scenario: Scenario, rains: RainEffects) -> Scenario:
    """The mission at the start of the rains: the rain-closed routes are open until the day
    before the onset (``open_to_day``), and slowed routes take their wet transit days.

    A route has one transit time in today's workbook, so a slowed route takes its wet time for
    the whole horizon, also the days before the onset (an approximation on the safe side).
    """
    closed = set(rains.closed)
    routes = tuple(_rained_on(route, closed, rains) for route in scenario.routes)
    settings = scenario.settings.model_copy(update={"start_date": rains.start_date})
    rained = scenario.model_copy(update={"routes": routes, "settings": settings})
    return _renamed(rained, f"{scenario.settings.scenario_name}, rainy season")


def _rained_on(route: Route, closed: set[str], rains: RainEffects) -> Route:
    if route.route_id in closed:
        if rains.onset_day <= 1:
            return route.model_copy(update={"open": False})
        return route.model_copy(update={"open_to_day": rains.onset_day - 1})
    wet = rains.wet_transit_days.get(route.route_id)
    if wet is not None and wet != route.transit_days:
        return route.model_copy(update={"transit_days": wet})
    return route


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
