"""The members of the suite: every (theatre, horizon, variant), each built on demand.

A member's name is ``<theatre>-<horizon>d-<variant>``, for example ``south_sudan-42d-blockade``;
``--members`` patterns of the runner match these names (shell-style wildcards).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from benchmarks.missions import drc, mali, somalia, south_sudan
from benchmarks.missions import synthetic as realistic_synthetic
from benchmarks.missions.build import build_scenario
from benchmarks.missions.facts import Theatre
from benchmarks.missions.variants import (
    RainEffects,
    blockade,
    rainy_season,
    with_horizon,
    withdraw_unit,
)
from logistics.rules.schemas import Scenario

HORIZONS_DAYS = (28, 42)
VARIANTS = ("base", "blockade", "rains", "escort")
"""base; main supply route blockaded from mid-horizon; rainy season (RouteSeasons rows closing
some routes and slowing others); an escort unit withdrawn."""
SYNTHETIC_SEEDS = (1, 2)


@dataclass(frozen=True)
class Stress:
    """What a theatre's stress variants change: its main supply route, its rains, its escort."""

    main_supply_route: tuple[str, ...]
    rains: RainEffects
    escort_unit_id: str


@dataclass(frozen=True)
class Member:
    """One mission of the suite."""

    theatre: str
    horizon_days: int
    variant: str
    base: Callable[[int], Scenario]
    """The theatre's base mission over a horizon."""
    stress: Callable[[], Stress]

    @property
    def name(self) -> str:
        """``<theatre>-<horizon>d-<variant>``."""
        return f"{self.theatre}-{self.horizon_days}d-{self.variant}"

    def build(self) -> Scenario:
        """The member's scenario."""
        return apply_variant(self.base(self.horizon_days), self.variant, self.stress())


def apply_variant(scenario: Scenario, variant: str, stress: Stress) -> Scenario:
    """``scenario`` under one of ``VARIANTS``."""
    if variant == "base":
        return scenario
    if variant == "blockade":
        middle = scenario.settings.horizon_days // 2
        return blockade(scenario, stress.main_supply_route, middle)
    if variant == "rains":
        return rainy_season(scenario, stress.rains)
    if variant == "escort":
        return withdraw_unit(scenario, stress.escort_unit_id)
    raise ValueError(f"unknown variant {variant!r}: expected one of {', '.join(VARIANTS)}")


def theatre_stress(theatre: Theatre) -> Stress:
    """A theatre's stress facts: rain closures and wet transit days come from its links."""
    closed = tuple(link.route_id for link in theatre.links if link.wet_days is None)
    wet = {
        link.route_id: link.wet_days
        for link in theatre.links
        if link.wet_days is not None and link.wet_days != link.dry_days
    }
    return Stress(
        main_supply_route=theatre.main_supply_route,
        rains=RainEffects(theatre.rains.start_date, theatre.rains.onset_day, closed, wet),
        escort_unit_id=theatre.escort_unit_id,
    )


TheatreSource = tuple[str, Callable[[int], Scenario], Callable[[], Stress]]
"""(name, base mission by horizon, stress facts)."""


def _from_facts(name: str, theatre: Callable[[], Theatre]) -> TheatreSource:
    return (
        name,
        lambda horizon: build_scenario(theatre(), horizon),
        lambda: theatre_stress(theatre()),
    )


def theatre_sources() -> tuple[TheatreSource, ...]:
    """Every theatre of the suite: Mali, the three built from public facts, synthetic seeds."""
    return (
        (
            "mali",
            lambda horizon: with_horizon(mali.mali(), horizon),
            lambda: Stress(mali.MAIN_SUPPLY_ROUTE, mali.RAINS, mali.ESCORT_UNIT_ID),
        ),
        _from_facts("south_sudan", south_sudan.theatre),
        _from_facts("drc", drc.theatre),
        _from_facts("somalia", somalia.theatre),
        *(
            _from_facts(f"synthetic_s{seed}", partial(realistic_synthetic.theatre, seed))
            for seed in SYNTHETIC_SEEDS
        ),
    )


def members() -> tuple[Member, ...]:
    """Every member, theatre by theatre, horizon by horizon, variant by variant."""
    return tuple(
        Member(name, horizon, variant, base, stress)
        for name, base, stress in theatre_sources()
        for horizon in HORIZONS_DAYS
        for variant in VARIANTS
    )


def select(patterns: Iterable[str] | None) -> tuple[Member, ...]:
    """Members whose name matches any of ``patterns`` (all members when there are none)."""
    wanted = list(patterns or [])
    return tuple(
        m for m in members() if not wanted or any(fnmatch.fnmatch(m.name, p) for p in wanted)
    )


QUICK_PATTERN = "*-28d-base"
"""The ``--quick`` subset: every theatre's 28-day base mission."""
