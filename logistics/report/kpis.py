"""The plan's KPIs and objective terms, every one computed from the result tables, so the numbers
on the summary are the sums of the rows a reader can filter (``compute_kpis``,
``objective_terms_frame``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from logistics.i18n import (
    N_,
    _,
)
from logistics.report.numbers import (
    decimals_for,
    gap_up,
    percent_met,
    rounded,
    rounded_value,
)
from logistics.report.tables import plan_table
from logistics.rules.schemas import Scenario
from models.results import OBJECTIVE_TERMS, STABILITY_TERM, Plan


@dataclass(frozen=True)
class Kpi:
    """One row of the KPI table."""

    kpi: str
    value: float | int | str | None
    unit: str
    description: str


WEIGHTED_UNIT = N_("weighted points")
"""Unit of the objective and its weighted terms: the weights of ``Settings`` make them comparable."""
EXPOSURE_UNIT = N_("risk-weighted vehicle-km")
"""Unit of threat exposure: vehicles × km × the risk weight of the route's threat level."""

_RUN_KPIS: dict[str, tuple[str, str]] = {
    "status": ("", N_("Solve status.")),
    "termination": ("", N_("Why the solver stopped.")),
    "mip_gap_pct": (
        "%",
        N_(
            "Distance from the best possible plan: how much better a plan could at most be "
            "(rounded up)."
        ),
    ),
    "objective": (
        WEIGHTED_UNIT,
        N_("Objective: the weighted sum of the plan's terms (lower is better)."),
    ),
    "best_bound": (WEIGHTED_UNIT, N_("Best possible objective (bound) the search proved.")),
    "total_wall_s": ("s", N_("Wall time of all stages of the run.")),
}
_PLAN_KPIS: dict[str, tuple[str, str]] = {
    "troops_required": (N_("troops"), N_("Σ garrison requirement over bases.")),
    "troops_allocated": (N_("troops"), N_("Σ troops allocated to bases.")),
    "garrison_shortfall": (N_("troops"), N_("Σ garrison shortfall over bases.")),
    "units_moved": (N_("units"), N_("Units allocated away from their current base.")),
    "demand_met_pct": (
        "%",
        N_(
            "Σ met / Σ demand over all bases, classes and days (below 100 % whenever anything is "
            "short)."
        ),
    ),
    "shortfall_total": ("t + kL", N_("Σ unmet demand over all classes (each in its own unit).")),
    "convoys": (N_("convoys"), N_("Convoys and air sorties in the plan.")),
    "air_sorties": (N_("aircraft round trips"), N_("Σ aircraft over air convoys.")),
    "vehicle_km": ("km", N_("Σ vehicles × round-trip km over convoys.")),
    "cargo_t": ("t", N_("Σ cargo carried by convoys.")),
    "exposure": (EXPOSURE_UNIT, N_("Σ threat exposure over convoys.")),
    "routes_used": (N_("routes"), N_("Routes at least one convoy uses.")),
    "transport_cost_usd": ("USD", N_("Σ cost over convoys.")),
    "relocation_cost_usd": ("USD", N_("Σ cost of moving units.")),
    "cost_usd": ("USD", N_("Transport, supply and relocation cost (objective's raw cost).")),
    "stock_points_below_safety": (
        N_("stock points"),
        N_("Stock points whose closing stock is below the safety target on at least one day."),
    ),
    "stock_point_days_below_safety": (
        N_("stock-point-days"),
        N_("Σ days on which a stock point closes below its safety target."),
    ),
    "worst_days_of_supply": (
        N_("days"),
        N_("Fewest days of supply any stock point with demand closes a day with."),
    ),
    "end_stock_misses": (
        N_("stock points"),
        N_("Stock points closing the last day below their end-of-horizon target (see EndStock)."),
    ),
    "end_stock_deficit": ("t + kL", N_("Σ stock missing from the end-of-horizon targets.")),
}
"""Unit and description of every KPI; ``shortfall_<SUPPLY>`` rows follow ``shortfall_total``."""


def _total(frame: pd.DataFrame, column: str) -> float:
    """Sum of a numeric column (missing values count as 0)."""
    return float(pd.to_numeric(frame[column], errors="coerce").fillna(0.0).sum())


def compute_kpis(
    scenario: Scenario, plan: Plan, frames: Mapping[str, pd.DataFrame], total_wall_s: float
) -> list[Kpi]:
    """Every KPI of the summary, computed from the result frames of ``plan_frames``.

    Without a plan, only status, termination and wall time have values; the rest are blank rather
    than zeros that would read as a plan. Units are English (they decide the decimals);
    descriptions are in the message language.
    """
    run_values: dict[str, float | str | None] = {
        "status": plan.status.value,
        "termination": plan.termination,
        "mip_gap_pct": plan.mip_gap_pct,
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "total_wall_s": total_wall_s,
    }
    kpis = [Kpi(name, run_values[name], unit, _(text)) for name, (unit, text) in _RUN_KPIS.items()]
    plan_values = _plan_kpi_values(plan, frames)
    for name, (unit, description) in _PLAN_KPIS.items():
        kpis.append(Kpi(name, plan_values[name], unit, _(description)))
        if name == "shortfall_total":
            kpis += _shortfall_by_class(scenario, frames["Stock"])
    kpis += _days_of_supply_by_class(scenario, frames["Stock"])
    if plan_table(plan, "stock").empty:
        kpis = [k if k.kpi in _RUN_KPIS else Kpi(k.kpi, None, k.unit, k.description) for k in kpis]
    return [_kpi_as_read(k) for k in kpis]


def _kpi_as_read(kpi: Kpi) -> Kpi:
    """``kpi`` with its value rounded to its unit (the gap rounded up, demand met already cut)."""
    value = kpi.value
    if isinstance(value, float) and kpi.kpi == "mip_gap_pct":
        value = gap_up(value)
    elif isinstance(value, float) and kpi.kpi != "demand_met_pct" and math.isfinite(value):
        value = rounded(value, decimals_for(kpi.unit))
    return Kpi(kpi.kpi, value, kpi.unit, kpi.description)


def _plan_kpi_values(plan: Plan, frames: Mapping[str, pd.DataFrame]) -> dict[str, float | None]:
    """Values of the ``_PLAN_KPIS``, each a sum or count over a result frame."""
    stock, convoys = frames["Stock"], frames["Convoys"]
    garrison, allocation = frames["Garrison"], frames["Allocation"]
    routes = frames["Routes"]
    demand = _total(stock, "demand")
    return {
        "troops_required": _total(garrison, "required_troops"),
        "troops_allocated": _total(garrison, "allocated_troops"),
        "garrison_shortfall": _total(garrison, "shortfall_troops"),
        "units_moved": float((allocation["from_base_id"] != allocation["to_base_id"]).sum()),
        "demand_met_pct": percent_met(_total(stock, "met"), demand, _total(stock, "shortfall")),
        "shortfall_total": _total(stock, "shortfall"),
        "convoys": float(len(convoys)),
        "air_sorties": _total(convoys[convoys["mode"] == "air"], "vehicles"),
        "vehicle_km": _total(convoys, "vehicle_km"),
        "cargo_t": _total(convoys, "cargo_t"),
        "exposure": _total(convoys, "exposure"),
        "routes_used": float((pd.to_numeric(routes["convoys"]).fillna(0) > 0).sum()),
        "transport_cost_usd": _total(convoys, "cost_usd"),
        "relocation_cost_usd": _total(allocation, "relocation_cost_usd"),
        "cost_usd": plan.raw_terms.get("cost_usd"),
        **_safety_values(stock),
        "end_stock_misses": float((pd.to_numeric(frames["EndStock"]["deficit"]) > 0).sum()),
        "end_stock_deficit": _total(frames["EndStock"], "deficit"),
    }


def _safety_values(stock: pd.DataFrame) -> dict[str, float | None]:
    """How often and how far stock points fall below their safety targets."""
    closing = pd.to_numeric(stock["closing"], errors="coerce")
    target = pd.to_numeric(stock["safety_target"], errors="coerce")
    below = closing < target - 1e-6
    days = pd.to_numeric(stock["days_of_supply"], errors="coerce").dropna()
    return {
        "stock_points_below_safety": float(
            stock[below][["base_id", "supply_id"]].drop_duplicates().shape[0]
        ),
        "stock_point_days_below_safety": float(below.sum()),
        "worst_days_of_supply": float(days.min()) if not days.empty else None,
    }


def _days_of_supply_by_class(scenario: Scenario, stock: pd.DataFrame) -> list[Kpi]:
    """Mission-wide days of supply of each class at the start and the end of the horizon: the
    stock held over all bases divided by that day's demand over all bases (demand without the
    supplies issued to moving units, as for the safety targets)."""
    kpis: list[Kpi] = []
    last = scenario.settings.horizon_days
    for supply in scenario.supplies:
        rows = stock[stock["supply_id"] == supply.supply_id]
        days = pd.to_numeric(rows["day"], errors="coerce")
        for label, day, column in (("start", 1, "opening"), ("end", last, "closing")):
            on_day = rows[days == day]
            daily = _total(on_day, "daily_demand")
            kpis.append(
                Kpi(
                    f"days_of_supply_{label}_{supply.supply_id}",
                    _total(on_day, column) / daily if daily > 0 else None,
                    "days",
                    _days_of_supply_text(label, supply.supply_id, last),
                )
            )
    return kpis


def _days_of_supply_text(label: str, supply_id: str, last: int) -> str:
    """What a mission-wide days-of-supply KPI counts, at the start or the end."""
    if label == "start":
        text = _("Σ {supply} stock over bases / Σ daily demand, opening day 1.")
    else:
        text = _("Σ {supply} stock over bases / Σ daily demand, closing day {last}.")
    return text.format(supply=supply_id, last=last)


def _shortfall_by_class(scenario: Scenario, stock: pd.DataFrame) -> list[Kpi]:
    """One ``shortfall_<SUPPLY>`` KPI per supply class, in the class's own unit."""
    return [
        Kpi(
            f"shortfall_{supply.supply_id}",
            _total(stock[stock["supply_id"] == supply.supply_id], "shortfall"),
            supply.unit.value,
            _("Σ unmet demand of {supply}.").format(supply=supply.supply_id),
        )
        for supply in scenario.supplies
    ]


def kpi_frame(kpis: Sequence[Kpi]) -> pd.DataFrame:
    """The KPI table (columns ``kpi``, ``value``, ``unit``, ``description``), units in the
    message language."""
    return pd.DataFrame(
        [(k.kpi, k.value, _(k.unit), k.description) for k in kpis],
        columns=["kpi", "value", "unit", "description"],
        dtype=object,
    )


_TERM_RAW: dict[str, tuple[str, str, str]] = {
    "shortfall": (
        "shortfall_units",
        "t + kL",
        N_("Unmet supply demand, weighted by class priority."),
    ),
    "garrison": ("garrison_troop_days", N_("troop-days"), N_("Garrison shortfall.")),
    "safety_stock": (
        "safety_stock_unit_days",
        N_("unit-days"),
        N_("Stock below the safety target."),
    ),
    "end_stock": (
        "end_stock_deficit_units",
        "t + kL",
        N_("Stock below the end-of-horizon target on the last day."),
    ),
    "exposure": ("exposure", EXPOSURE_UNIT, N_("Threat exposure of convoys and unit moves.")),
    "cost": ("cost_usd", "USD", N_("Transport, supply and relocation cost.")),
    STABILITY_TERM: (
        "plan_changes",
        N_("changes"),
        N_(
            "Re-plans only: departures moved, added or cancelled and units re-tasked against the "
            "published plan beyond the frozen days (weight_stability in Settings)."
        ),
    ),
}
"""For each objective term: its raw total in ``Plan.raw_terms``, that total's unit, a description."""


TERM_WORDS: dict[str, str] = {
    "shortfall": N_("unmet demand"),
    "garrison": N_("garrison shortfall"),
    "safety_stock": N_("stock below safety target"),
    "end_stock": N_("stock below end-of-horizon target"),
    "exposure": N_("threat exposure"),
    "cost": N_("cost"),
    STABILITY_TERM: N_("changes to the published plan"),
}
"""Each objective term in plain words (English; ``_`` gives them in the message language)."""
TERM_PRIORITY: dict[str, int] = {
    "shortfall": 0,
    "garrison": 1,
    "safety_stock": 2,
    "end_stock": 2,
    "exposure": 3,
    "cost": 4,
    STABILITY_TERM: 5,
}
"""Rank of each objective term in the objective's priorities (0 first); exposure before cost."""
OBJECTIVE_TERM_COLUMNS: tuple[str, ...] = (
    "Objective term",
    "Weighted points",
    "Amount",
    "Unit",
    "Share of objective, %",
)
"""Columns of the Summary's objective terms table; the Glossary says what each term counts."""


def plan_terms(plan: Plan) -> tuple[str, ...]:
    """The objective terms of ``plan``: ``OBJECTIVE_TERMS``, and plan stability in a re-plan."""
    return (*OBJECTIVE_TERMS, *(t for t in plan.objective_terms if t not in OBJECTIVE_TERMS))


def objective_term_meanings(terms: Sequence[str] = OBJECTIVE_TERMS) -> dict[str, str]:
    """Each objective term in plain words with what it counts, for the Glossary, in the message
    language."""
    return {_(TERM_WORDS[term]): _(_TERM_RAW[term][2]) for term in terms}


def objective_terms_frame(plan: Plan) -> pd.DataFrame:
    """One row per objective term in plain words: weighted points, amount and unit, share of the
    objective, each rounded to its unit (words and units in the message language, headers
    English: ``OBJECTIVE_TERM_COLUMNS``)."""
    terms = plan_terms(plan)
    weighted_total = sum(abs(plan.objective_terms.get(term, 0.0)) for term in terms)
    rows = []
    for term in terms:
        raw_key, raw_unit, _meaning = _TERM_RAW[term]
        weighted = plan.objective_terms.get(term)
        share = (
            abs(weighted) / weighted_total * 100.0
            if weighted is not None and weighted_total > 0
            else None
        )
        rows.append(
            (
                _(TERM_WORDS[term]),
                rounded_value(weighted, decimals_for(WEIGHTED_UNIT)),
                rounded_value(plan.raw_terms.get(raw_key), decimals_for(raw_unit)),
                _(raw_unit),
                rounded_value(share, decimals_for("%")),
            )
        )
    return pd.DataFrame(rows, columns=list(OBJECTIVE_TERM_COLUMNS), dtype=object)
