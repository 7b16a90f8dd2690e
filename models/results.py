"""What a solve returns: status in plain words, the objective and its terms, and tidy tables.

Tables hold ids and numbers only; the application joins names, countries and the like when it
writes the workbook. Column names are part of the contract (SPEC §4) and listed in ``TABLE_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd


class SolveStatus(StrEnum):
    """Outcome of a solve, as a planner would say it."""

    optimal = "optimal"
    """Proven optimal within the requested MIP gap."""
    feasible = "feasible"
    """A plan was found but a limit (time) stopped the solver before the requested gap."""
    no_solution = "no_solution"
    """A limit stopped the solver before any plan was found."""
    infeasible = "infeasible"
    """No plan can satisfy the hard constraints (should not happen: shortfalls are variables)."""
    error = "error"
    """The solver failed."""

    @property
    def has_plan(self) -> bool:
        """True when the result holds a plan."""
        return self in (SolveStatus.optimal, SolveStatus.feasible)


OBJECTIVE_TERMS: tuple[str, ...] = (
    "shortfall",
    "garrison",
    "safety_stock",
    "end_stock",
    "exposure",
    "cost",
)
"""Names of the weighted objective terms, in order of importance."""

STABILITY_TERM = "stability"
"""The objective term of a re-plan's changes to the published plan (after ``OBJECTIVE_TERMS``;
only in re-plans)."""

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "allocation": (
        "unit_id",
        "strength",
        "from_base_id",
        "to_base_id",
        "moved_km",
        "relocation_cost_usd",
        "move_day",
        "arrival_day",
        "transit_days",
        "move_exposure",
    ),
    "garrison": (
        "base_id",
        "required_troops",
        "allocated_troops",
        "shortfall_troops",
        "shortfall_troop_days",
        "max_threat_level",
        "accommodation_troops",
    ),
    "convoys": (
        "convoy_id",
        "line_id",
        "mode",
        "origin_id",
        "path",
        "depart_day",
        "return_day",
        "vehicles",
        "escort_troops",
        "max_threat_level",
        "exposure",
        "cost_usd",
        "cargo_t",
    ),
    "convoy_vehicles": ("convoy_id", "vehicle_type_id", "count"),
    "cargo": ("convoy_id", "base_id", "arrival_day", "supply_id", "quantity"),
    "stock": (
        "base_id",
        "supply_id",
        "day",
        "opening",
        "arrivals",
        "source_supply",
        "departures",
        "demand",
        "met",
        "shortfall",
        "closing",
        "capacity",
        "safety_target",
        "days_of_supply",
        "daily_demand",
    ),
    "shortfalls": ("base_id", "supply_id", "day", "quantity", "reason"),
    "end_stock": (
        "base_id",
        "supply_id",
        "opening",
        "target",
        "closing",
        "deficit",
        "days_of_supply_start",
        "days_of_supply_end",
        "reason",
    ),
    "routes": (
        "route_id",
        "mode",
        "distance_km",
        "days_open",
        "days_closed",
        "closed_days",
        "min_threat_level",
        "max_threat_level",
        "convoys",
        "vehicles",
        "vehicle_km",
        "exposure",
    ),
}
"""Columns of every result table, in order."""


@dataclass(frozen=True)
class SolveProgress:
    """A snapshot of a running solve, for live progress views."""

    stage: str
    elapsed_s: float
    incumbent: float | None = None
    best_bound: float | None = None
    gap_pct: float | None = None
    within_5pct_s: float | None = None
    """When the whole plan first came within 5 % of the best possible (None: not yet)."""
    within_1pct_s: float | None = None
    """When the whole plan first came within 1 % of the best possible (None: not yet)."""


MILESTONES_PCT = (5.0, 1.0)
"""Gaps (in %) at which the time a plan first came within them is recorded."""


ProgressCallback = Callable[[SolveProgress], None]


@dataclass(frozen=True)
class SolveOptions:
    """How to solve (not what): limits, threads and a progress callback."""

    time_limit_s: float = 60.0
    mip_gap: float = 0.01
    """Relative MIP gap (0.01 = 1 %)."""
    threads: int = 1
    """Searches raced side by side, each on one thread (see ``models.race``)."""
    random_seed: int = 0
    """Seed of the first search (the others take the next seeds): a different seed gives a
    different, equally valid search, for measuring how much the outcome depends on luck."""
    progress: ProgressCallback | None = None
    warm_start: Mapping[str, float] | None = None
    """Optional starting plan: variable name -> value, e.g. from ``Plan.solution`` of a previous solve."""
    stop: Callable[[], bool] | None = None
    """Asked at every tick of the search (keep it cheap): once it returns True, the search ends
    as at its time limit, keeping the best plan found, and the termination says it was stopped."""


@dataclass(frozen=True)
class TierOutcome:
    """How the search of one priority tier ended (see ``models/README.md``, Objective)."""

    name: str
    """The tier's objective terms joined by ' + ', e.g. 'safety_stock + end_stock'."""
    status: SolveStatus
    termination: str
    value: float | None = None
    best_bound: float | None = None
    gap_pct: float | None = None
    seconds: float = 0.0
    """Wall time of the tier's search."""


@dataclass(frozen=True)
class SearchRecord:
    """How the search went: time to a usable plan and to proof, and whether it is reproducible."""

    racers: int = 1
    seed: int = 0
    within_5pct_s: float | None = None
    """Seconds from the start of the solve until the plan was first within 5 % of the best
    possible at every priority (None: never)."""
    within_1pct_s: float | None = None
    """The same for 1 %."""
    root_gap_pct: float | None = None
    """Gap of the plan when the last priority's search finished its root node."""
    gap_trace: tuple[tuple[float, float], ...] = ()
    """(seconds, gap %) each time the proven gap of the whole plan improved."""
    reproducible: bool = True
    """True when every search ended by its gap, not by the clock: the same input then gives
    the same plan on any machine, loaded or idle."""


@dataclass(frozen=True)
class Plan:
    """The result of one solve."""

    status: SolveStatus
    termination: str
    """Plain-words termination, e.g. 'optimal within 1 % gap' or 'time limit reached with a plan'."""
    objective: float | None
    best_bound: float | None
    mip_gap_pct: float | None
    objective_terms: Mapping[str, float]
    """Weighted contribution of each term in ``OBJECTIVE_TERMS``."""
    raw_terms: Mapping[str, float]
    """Unweighted totals: shortfall_units, garrison_troop_days, safety_stock_unit_days,
    exposure (vehicle-km x risk), cost_usd (transport + supply + relocation)."""
    tables: Mapping[str, pd.DataFrame]
    """Result tables keyed as ``TABLE_COLUMNS``, with those columns."""
    timings_s: Mapping[str, float] = field(default_factory=dict)
    """Seconds per model stage: build, solve, extract."""
    model_size: Mapping[str, int] = field(default_factory=dict)
    """variables, integer_variables, constraints, nonzeros."""
    solution: Mapping[str, float] = field(default_factory=dict)
    """Values of the decision variables by component name, to warm-start a related solve."""
    start: str = "none"
    """The starting plan HiGHS was given, in words: "none", the repaired previous plan, or why
    the previous plan was not used."""
    tiers: tuple[TierOutcome, ...] = ()
    """How each priority tier's search ended, highest priority first."""
    search: SearchRecord = field(default_factory=SearchRecord)
    """Time to a usable plan and to proof, racers, reproducibility."""

    @property
    def first_within_5pct_s(self) -> float | None:
        """Seconds until the plan was first within 5 % of the best possible."""
        return self.search.within_5pct_s

    @property
    def first_within_1pct_s(self) -> float | None:
        """Seconds until the plan was first within 1 % of the best possible."""
        return self.search.within_1pct_s

    @property
    def root_gap_pct(self) -> float | None:
        """Gap when the last priority's root node was done."""
        return self.search.root_gap_pct

    @property
    def gap_trace(self) -> tuple[tuple[float, float], ...]:
        """(seconds, gap %) each time the proven gap of the whole plan improved."""
        return self.search.gap_trace
