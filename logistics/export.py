"""Write the plan workbook that liaison teams brief from (SPEC §4).

The workbook is written fresh, values only: a ``Summary`` (title block, KPI table, objective terms,
charts), one sheet per result table with the planner's names joined onto the ids, a ``Run`` sheet
with provenance, and the inputs exactly as solved in ``In_<Sheet>`` sheets generated from
``registry.SHEETS``. Every KPI is computed here from the result tables, so the numbers on the
summary are the sums of the rows a reader can filter.

The frames behind each sheet (``plan_frames``), the KPIs (``compute_kpis``) and the input echo
(``scenario_sheet_frame``) are public so a comparison workbook can reuse them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import pairwise
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule, FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill

from logistics import registry
from logistics.fields import display_value
from logistics.schemas import Route, Scenario
from logistics.xlsx import (
    FMT_DAYS,
    FMT_INTEGER,
    FMT_ONE_DECIMAL,
    FMT_PERCENT,
    FMT_SECONDS,
    FMT_TWO_DECIMALS,
    FMT_USD,
    FONT_NAME,
    TableRange,
    add_sheet,
    plain_text,
    save_atomically,
    set_print_layout,
    write_cell,
    write_table,
)
from models.results import OBJECTIVE_TERMS, TABLE_COLUMNS, Plan, SolveStatus

if TYPE_CHECKING:
    from pathlib import Path

TOOL_NAME = "peacekeeping-logistics"
STAGES: tuple[str, ...] = ("read", "compile", "build", "transfer", "solve", "extract", "write")
"""Stages of a run, in order, whose wall time the ``Run`` sheet reports."""
PATH_SEPARATOR = " > "
"""How ``Convoys.path`` joins base ids."""
STOCK_CHART_BASES = 4
ROUTE_CHART_ROUTES = 12

SolverOption = str | int | float | bool


@dataclass(frozen=True)
class RunInfo:
    """Provenance of one run, shown on the ``Run`` sheet and in the document properties."""

    tool_version: str
    input_file: str
    """Name of the input workbook; any directory part is dropped before it is written."""
    input_sha256: str
    solver: str
    solver_version: str
    started_at: dt.datetime
    solver_options: Mapping[str, SolverOption] = field(default_factory=dict)
    timings_s: Mapping[str, float] = field(default_factory=dict)
    """Wall time per stage in ``STAGES``. Without ``write``, the time spent composing this
    workbook (before the file is saved) is reported as the write stage."""
    overrides: tuple[str, ...] = ()
    """Scenario overrides applied to the input workbook, one readable row each."""
    warnings: tuple[str, ...] = ()
    """Warnings the input's validation gave (suspicious but usable values), one line each."""

    @property
    def input_name(self) -> str:
        """The input file name without any directory (Windows or POSIX), so no path leaks."""
        return PureWindowsPath(self.input_file).name


@dataclass(frozen=True)
class Kpi:
    """One row of the KPI table."""

    kpi: str
    value: float | int | str | None
    unit: str
    description: str


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def write_plan_workbook(path: Path, scenario: Scenario, plan: Plan, run: RunInfo) -> None:
    """Write the plan workbook for ``plan`` (solved from ``scenario``) to ``path`` atomically."""
    save_atomically(build_plan_workbook(scenario, plan, run), path)


def build_plan_workbook(scenario: Scenario, plan: Plan, run: RunInfo) -> Any:
    """Compose the plan workbook in memory (see the module docstring for its sheets)."""
    started = time.perf_counter()
    wb = Workbook()
    wb.remove(wb.active)
    frames = plan_frames(scenario, plan)
    for sheet_name, frame in frames.items():
        _write_result_sheet(add_sheet(wb, sheet_name), sheet_name, frame)
    add_input_sheets(wb, scenario)

    timings = dict(run.timings_s)
    timings.setdefault("write", time.perf_counter() - started)
    kpis = compute_kpis(scenario, plan, frames, sum(timings.values()))
    _write_run_sheet(_insert_sheet(wb, "Run", len(frames)), scenario, plan, run, timings)
    _write_summary(_insert_sheet(wb, "Summary", 0), scenario, plan, run, kpis, frames)
    wb.active = 0
    wb.active.sheet_view.tabSelected = True
    _set_properties(wb, scenario, plan, run)
    return wb


def _insert_sheet(wb: Any, title: str, index: int) -> Any:
    """Create a checked sheet and move it to position ``index``."""
    ws = add_sheet(wb, title)
    wb.move_sheet(ws, offset=index - wb.index(ws))
    return ws


# --------------------------------------------------------------------------------------------------
# Result frames: the plan's tables with names joined onto the ids
# --------------------------------------------------------------------------------------------------


def plan_table(plan: Plan, key: str) -> pd.DataFrame:
    """The plan's table ``key`` with every contract column, or an empty one when there is no plan."""
    columns = list(TABLE_COLUMNS[key])
    table = plan.tables.get(key)
    if table is None:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"plan table {key!r} lacks the contract columns {missing}")
    return table.reset_index(drop=True)


def _insert_after(df: pd.DataFrame, anchor: str, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` (name -> values) inserted, in order, right after ``anchor``."""
    out = df.copy()
    position = list(out.columns).index(anchor) + 1
    for offset, (name, values) in enumerate(columns.items()):
        out.insert(position + offset, name, values)
    return out


@dataclass(frozen=True)
class _Lookups:
    """Names and attributes of the scenario's records by id, for joining onto result ids."""

    base_name: dict[str, str]
    base_kind: dict[str, str]
    base_sector: dict[str, str]
    unit_name: dict[str, str]
    unit_country: dict[str, str]
    unit_type: dict[str, str]
    unit_escort: dict[str, bool]
    supply_unit: dict[str, str]
    vehicle_name: dict[str, str]
    escort_base: dict[str, str]
    """Escort base of the convoy lines escorted from a base other than their origin."""

    @classmethod
    def of(cls, scenario: Scenario) -> _Lookups:
        """Collect the lookups of ``scenario``."""
        return cls(
            base_name={b.base_id: b.name for b in scenario.bases},
            base_kind={b.base_id: b.kind.value for b in scenario.bases},
            base_sector={b.base_id: b.sector for b in scenario.bases},
            unit_name={u.unit_id: u.name for u in scenario.units},
            unit_country={u.unit_id: u.country for u in scenario.units},
            unit_type={u.unit_id: u.unit_type.value for u in scenario.units},
            unit_escort={u.unit_id: u.escort_capable for u in scenario.units},
            supply_unit={s.supply_id: s.unit.value for s in scenario.supplies},
            vehicle_name={v.vehicle_type_id: v.name for v in scenario.vehicles},
            escort_base={c.line_id: c.escort_base_id for c in scenario.convoys if c.escort_base_id},
        )


def plan_frames(scenario: Scenario, plan: Plan) -> dict[str, pd.DataFrame]:
    """The result sheets, in workbook order, as DataFrames: contract columns plus joined names."""
    look = _Lookups.of(scenario)
    allocation = plan_table(plan, "allocation")
    convoys = plan_table(plan, "convoys")
    convoy_vehicles = plan_table(plan, "convoy_vehicles")
    return {
        "Allocation": _allocation_frame(allocation, look),
        "Garrison": _garrison_frame(plan_table(plan, "garrison"), look),
        "Convoys": _convoys_frame(scenario, convoys, convoy_vehicles, allocation, look),
        "ConvoyVehicles": _insert_after(
            convoy_vehicles,
            "vehicle_type_id",
            {"vehicle_name": convoy_vehicles["vehicle_type_id"].map(look.vehicle_name)},
        ),
        "Cargo": _with_base_and_unit(plan_table(plan, "cargo"), look),
        "Stock": _with_base_and_unit(plan_table(plan, "stock"), look),
        "Shortfalls": _with_base_and_unit(plan_table(plan, "shortfalls"), look),
        "EndStock": _with_base_and_unit(plan_table(plan, "end_stock"), look),
        "Routes": _routes_frame(scenario, plan_table(plan, "routes"), convoys),
    }


def _allocation_frame(allocation: pd.DataFrame, look: _Lookups) -> pd.DataFrame:
    """Allocation with the unit's name, country, type and escort capability and the base names."""
    units = allocation["unit_id"]
    out = _insert_after(
        allocation,
        "unit_id",
        {
            "unit_name": units.map(look.unit_name),
            "country": units.map(look.unit_country),
            "unit_type": units.map(look.unit_type),
        },
    )
    out = _insert_after(
        out,
        "strength",
        {"escort_capable": units.map({u: _input_value(e) for u, e in look.unit_escort.items()})},
    )
    out = _insert_after(
        out, "from_base_id", {"from_base_name": out["from_base_id"].map(look.base_name)}
    )
    return _insert_after(out, "to_base_id", {"to_base_name": out["to_base_id"].map(look.base_name)})


def _garrison_frame(garrison: pd.DataFrame, look: _Lookups) -> pd.DataFrame:
    """Garrison with the base's name, kind and sector."""
    bases = garrison["base_id"]
    return _insert_after(
        garrison,
        "base_id",
        {
            "base_name": bases.map(look.base_name),
            "kind": bases.map(look.base_kind),
            "sector": bases.map(look.base_sector),
        },
    )


def _with_base_and_unit(table: pd.DataFrame, look: _Lookups) -> pd.DataFrame:
    """A table keyed by base and supply class with the base name and the class's unit."""
    out = _insert_after(table, "base_id", {"base_name": table["base_id"].map(look.base_name)})
    return _insert_after(out, "supply_id", {"unit": out["supply_id"].map(look.supply_unit)})


def _convoys_frame(
    scenario: Scenario,
    convoys: pd.DataFrame,
    convoy_vehicles: pd.DataFrame,
    allocation: pd.DataFrame,
    look: _Lookups,
) -> pd.DataFrame:
    """Convoys with origin name, vehicles by type, escort units, round-trip km and vehicle-km."""
    legs = _leg_index(scenario)
    round_trip_km = [
        2.0 * sum(route.distance_km for route in _path_routes(str(path), str(mode), legs))
        for path, mode in zip(convoys["path"], convoys["mode"], strict=True)
    ]
    by_type = {
        convoy_id: "; ".join(f"{row.vehicle_type_id} × {row.count}" for row in rows.itertuples())
        for convoy_id, rows in convoy_vehicles.groupby("convoy_id", sort=False)
    }
    escorts = _escort_units_by_base(allocation, look)
    escort_bases = [
        look.escort_base.get(str(line_id), str(origin))
        for line_id, origin in zip(convoys["line_id"], convoys["origin_id"], strict=True)
    ]
    escort_ids = [
        escorts.get(base) if troops and troops > 0 else None
        for base, troops in zip(escort_bases, convoys["escort_troops"], strict=True)
    ]
    out = _insert_after(
        convoys, "origin_id", {"origin_name": convoys["origin_id"].map(look.base_name)}
    )
    out = _insert_after(out, "vehicles", {"vehicles_by_type": out["convoy_id"].map(by_type)})
    out = _insert_after(
        out, "escort_troops", {"escort_base_id": escort_bases, "escort_unit_ids": escort_ids}
    )
    trip = pd.Series(round_trip_km, index=out.index, dtype=float)
    return _insert_after(
        out,
        "max_threat_level",
        {"round_trip_km": trip, "vehicle_km": trip * out["vehicles"].astype(float)},
    )


def _escort_units_by_base(allocation: pd.DataFrame, look: _Lookups) -> dict[str, str]:
    """Escort-capable unit ids allocated to each base, joined by ``; ``."""
    capable = allocation[allocation["unit_id"].map(look.unit_escort).fillna(False).astype(bool)]
    return {
        str(base): "; ".join(str(unit) for unit in group["unit_id"])
        for base, group in capable.groupby("to_base_id", sort=True)
    }


def _leg_index(scenario: Scenario) -> dict[tuple[str, str, str], Route]:
    """The shortest route for every (from base, to base, mode) it can be travelled in."""
    index: dict[tuple[str, str, str], Route] = {}
    for route in scenario.routes:
        ends = [(route.from_base_id, route.to_base_id)]
        if route.two_way:
            ends.append((route.to_base_id, route.from_base_id))
        for tail, head in ends:
            key = (tail, head, route.mode.value)
            if key not in index or route.distance_km < index[key].distance_km:
                index[key] = route
    return index


def _path_routes(path: str, mode: str, legs: Mapping[tuple[str, str, str], Route]) -> list[Route]:
    """The routes along a convoy path ``"A > B > C"`` travelled in ``mode``."""
    bases = path.split(PATH_SEPARATOR)
    routes = []
    for tail, head in pairwise(bases):
        route = legs.get((tail, head, mode))
        if route is None:
            raise ValueError(
                f"convoy path {path!r} uses {tail} > {head}, which no {mode} route joins"
            )
        routes.append(route)
    return routes


def _routes_frame(scenario: Scenario, routes: pd.DataFrame, convoys: pd.DataFrame) -> pd.DataFrame:
    """Route usage with the route's ends and the transport cost of the convoys using it.

    A convoy's cost is shared among the routes of its path in proportion to their length.
    """
    cost: dict[str, float] = {}
    legs = _leg_index(scenario)
    for path, mode, convoy_cost in zip(
        convoys["path"], convoys["mode"], convoys["cost_usd"], strict=True
    ):
        path_routes = _path_routes(str(path), str(mode), legs)
        total_km = sum(route.distance_km for route in path_routes)
        for route in path_routes:
            share = float(convoy_cost) * route.distance_km / total_km if total_km else 0.0
            cost[route.route_id] = cost.get(route.route_id, 0.0) + share
    ends = {r.route_id: (r.from_base_id, r.to_base_id) for r in scenario.routes}
    out = _insert_after(
        routes,
        "route_id",
        {
            "from_base_id": routes["route_id"].map(lambda r: ends.get(r, (None, None))[0]),
            "to_base_id": routes["route_id"].map(lambda r: ends.get(r, (None, None))[1]),
        },
    )
    out["cost_usd"] = out["route_id"].map(lambda r: cost.get(r, 0.0)).astype(float)
    return out


# --------------------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------------------


_RUN_KPIS: dict[str, tuple[str, str]] = {
    "status": ("", "Solve status."),
    "termination": ("", "Why the solver stopped."),
    "mip_gap_pct": ("%", "Proven distance of the plan from the optimum."),
    "objective": ("score", "Weighted objective (lower is better)."),
    "best_bound": ("score", "Best bound proven by the solver."),
    "total_wall_s": ("s", "Wall time of all stages of the run."),
}
_PLAN_KPIS: dict[str, tuple[str, str]] = {
    "troops_required": ("troops", "Σ garrison requirement over bases."),
    "troops_allocated": ("troops", "Σ troops allocated to bases."),
    "garrison_shortfall": ("troops", "Σ garrison shortfall over bases."),
    "units_moved": ("units", "Units allocated away from their current base."),
    "demand_met_pct": ("%", "Σ met / Σ demand over all bases, classes and days."),
    "shortfall_total": ("t + kL", "Σ unmet demand over all classes (each in its own unit)."),
    "convoys": ("convoys", "Convoys and air sorties in the plan."),
    "air_sorties": ("aircraft round trips", "Σ aircraft over air convoys."),
    "vehicle_km": ("km", "Σ vehicles × round-trip km over convoys."),
    "cargo_t": ("t", "Σ cargo carried by convoys."),
    "exposure": ("vehicle-km × risk", "Σ threat exposure over convoys."),
    "routes_used": ("routes", "Routes at least one convoy uses."),
    "transport_cost_usd": ("USD", "Σ cost over convoys."),
    "relocation_cost_usd": ("USD", "Σ cost of moving units."),
    "cost_usd": ("USD", "Transport, supply and relocation cost (objective's raw cost)."),
    "stock_points_below_safety": (
        "stock points",
        "Stock points whose closing stock is below the safety target on at least one day.",
    ),
    "stock_point_days_below_safety": (
        "stock-point-days",
        "Σ days on which a stock point closes below its safety target.",
    ),
    "worst_days_of_supply": (
        "days",
        "Fewest days of supply any stock point with demand closes a day with.",
    ),
    "end_stock_misses": (
        "stock points",
        "Stock points closing the last day below their end-of-horizon target (see EndStock).",
    ),
    "end_stock_deficit": ("t + kL", "Σ stock missing from the end-of-horizon targets."),
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
    than zeros that would read as a plan.
    """
    run_values: dict[str, float | str | None] = {
        "status": plan.status.value,
        "termination": plan.termination,
        "mip_gap_pct": plan.mip_gap_pct,
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "total_wall_s": total_wall_s,
    }
    kpis = [Kpi(name, run_values[name], *_RUN_KPIS[name]) for name in _RUN_KPIS]
    plan_values = _plan_kpi_values(plan, frames)
    for name, (unit, description) in _PLAN_KPIS.items():
        kpis.append(Kpi(name, plan_values[name], unit, description))
        if name == "shortfall_total":
            kpis += _shortfall_by_class(scenario, frames["Stock"])
    kpis += _days_of_supply_by_class(scenario, frames["Stock"])
    if plan_table(plan, "stock").empty:
        kpis = [k if k.kpi in _RUN_KPIS else Kpi(k.kpi, None, k.unit, k.description) for k in kpis]
    return kpis


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
        "demand_met_pct": _total(stock, "met") / demand * 100.0 if demand > 0 else None,
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
                    f"Σ {supply.supply_id} stock over bases / Σ daily demand, "
                    + ("opening day 1." if label == "start" else f"closing day {last}."),
                )
            )
    return kpis


def _shortfall_by_class(scenario: Scenario, stock: pd.DataFrame) -> list[Kpi]:
    """One ``shortfall_<SUPPLY>`` KPI per supply class, in the class's own unit."""
    return [
        Kpi(
            f"shortfall_{supply.supply_id}",
            _total(stock[stock["supply_id"] == supply.supply_id], "shortfall"),
            supply.unit.value,
            f"Σ unmet demand of {supply.supply_id}.",
        )
        for supply in scenario.supplies
    ]


def kpi_frame(kpis: Sequence[Kpi]) -> pd.DataFrame:
    """The KPI table (columns ``kpi``, ``value``, ``unit``, ``description``)."""
    return pd.DataFrame(
        [(k.kpi, k.value, k.unit, k.description) for k in kpis],
        columns=["kpi", "value", "unit", "description"],
        dtype=object,
    )


_TERM_RAW: dict[str, tuple[str, str, str]] = {
    "shortfall": ("shortfall_units", "t + kL", "Unmet supply demand, weighted by class priority."),
    "garrison": ("garrison_troop_days", "troop-days", "Garrison shortfall."),
    "safety_stock": ("safety_stock_unit_days", "unit-days", "Stock below the safety target."),
    "end_stock": (
        "end_stock_deficit_units",
        "t + kL",
        "Stock below the end-of-horizon target on the last day.",
    ),
    "exposure": ("exposure", "vehicle-km × risk", "Threat exposure of convoys and unit moves."),
    "cost": ("cost_usd", "USD", "Transport, supply and relocation cost."),
}
"""For each objective term: its raw total in ``Plan.raw_terms``, that total's unit, a description."""


def objective_terms_frame(plan: Plan) -> pd.DataFrame:
    """One row per objective term: weighted value, raw value and unit, share of the objective."""
    weighted_total = sum(abs(plan.objective_terms.get(term, 0.0)) for term in OBJECTIVE_TERMS)
    rows = []
    for term in OBJECTIVE_TERMS:
        raw_key, raw_unit, description = _TERM_RAW[term]
        weighted = plan.objective_terms.get(term)
        share = (
            abs(weighted) / weighted_total * 100.0
            if weighted is not None and weighted_total > 0
            else None
        )
        rows.append((term, weighted, plan.raw_terms.get(raw_key), raw_unit, share, description))
    return pd.DataFrame(
        rows,
        columns=["term", "weighted_value", "raw_value", "raw_unit", "share_pct", "description"],
        dtype=object,
    )


# --------------------------------------------------------------------------------------------------
# Result sheets
# --------------------------------------------------------------------------------------------------

COLUMN_FORMATS: dict[str, str] = {
    **dict.fromkeys(
        (
            "strength",
            "required_troops",
            "allocated_troops",
            "shortfall_troops",
            "shortfall_troop_days",
            "accommodation_troops",
            "vehicles",
            "escort_troops",
            "count",
            "convoys",
            "days_open",
            "days_closed",
            "day",
            "depart_day",
            "return_day",
            "arrival_day",
            "move_day",
            "transit_days",
            "min_threat_level",
            "max_threat_level",
        ),
        FMT_INTEGER,
    ),
    **dict.fromkeys(
        (
            "moved_km",
            "distance_km",
            "round_trip_km",
            "vehicle_km",
            "exposure",
            "move_exposure",
            "cargo_t",
        ),
        FMT_ONE_DECIMAL,
    ),
    **dict.fromkeys(
        (
            "quantity",
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
            "daily_demand",
            "target",
            "deficit",
        ),
        FMT_TWO_DECIMALS,
    ),
    "relocation_cost_usd": FMT_USD,
    "cost_usd": FMT_USD,
    "days_of_supply": FMT_DAYS,
    "days_of_supply_start": FMT_DAYS,
    "days_of_supply_end": FMT_DAYS,
}
"""Number format of every numeric result column, by header (units are in the header or format)."""

_RED_FILL = PatternFill(start_color="FFF4CCCC", end_color="FFF4CCCC", fill_type="solid")
_AMBER_FILL = PatternFill(start_color="FFFFE699", end_color="FFFFE699", fill_type="solid")
_RED_FONT = Font(color="FF9C0006", bold=True)
"""For conditional formats (which must not change the font's name or size)."""


def _formats_for(frame: pd.DataFrame) -> dict[str, str]:
    """The entries of ``COLUMN_FORMATS`` for the columns of ``frame``."""
    return {column: fmt for column, fmt in COLUMN_FORMATS.items() if column in frame.columns}


_FLAG_POSITIVE: dict[str, tuple[str, ...]] = {
    "Garrison": ("shortfall_troops",),
    "Stock": ("shortfall",),
    "Shortfalls": ("quantity",),
    "EndStock": ("deficit",),
    "Routes": ("days_closed",),
}
"""Columns shown in red where their value is above zero, by sheet."""


def _threat_scale() -> ColorScaleRule:
    """A new colour scale: green at threat level 1, amber at 3, red at 5 (rules are per sheet)."""
    return ColorScaleRule(
        start_type="num", start_value=1, start_color="FFC6EFCE",
        mid_type="num", mid_value=3, mid_color="FFFFEB9C",
        end_type="num", end_value=5, end_color="FFFFC7CE",
    )  # fmt: skip


def _write_result_sheet(ws: Any, name: str, frame: pd.DataFrame) -> None:
    """Write one result sheet as a table and add the conditional formats that help reading it."""
    table = write_table(ws, frame, name, _formats_for(frame))
    set_print_layout(ws)
    if table.n_rows == 0:
        return
    rules = ws.conditional_formatting
    for column in _FLAG_POSITIVE.get(name, ()):
        red = CellIsRule(operator="greaterThan", formula=["0"], fill=_RED_FILL, font=_RED_FONT)
        rules.add(table.data_range(column), red)
    if "max_threat_level" in table.columns:
        rules.add(table.data_range("max_threat_level"), _threat_scale())
    if name in ("Convoys", "Routes"):
        bars = DataBarRule(start_type="min", end_type="max", color="FFE46C0A")
        rules.add(table.data_range("exposure"), bars)
    if name == "Stock":
        # Amber days of supply where the closing stock is below its safety target.
        row = table.first_row
        closing = f"${table.column_letter('closing')}{row}"
        target = f"${table.column_letter('safety_target')}{row}"
        below = FormulaRule(
            formula=[f"AND(ISNUMBER({target}),{closing}<{target})"], fill=_AMBER_FILL
        )
        rules.add(table.data_range("days_of_supply"), below)


# --------------------------------------------------------------------------------------------------
# Inputs echo
# --------------------------------------------------------------------------------------------------


def _input_value(value: object) -> object:
    """An input value as the template writes it: numbers and dates as they are, flags, enums and
    id lists in the planner's notation (``yes``/``no``, enum values, ``A; B``)."""
    if isinstance(value, bool | Enum | tuple):
        return display_value(value)
    return value


def scenario_sheet_frame(spec: registry.SheetSpec, scenario: Scenario) -> pd.DataFrame:
    """The rows of one input sheet exactly as held in ``scenario``, with the sheet's headers.

    ``Settings`` (a key/value sheet) lists every setting with its value, defaults included.
    """
    rows: list[tuple[object, ...]]
    if spec.layout == "key_value":
        settings = getattr(scenario, spec.attribute)
        rows = [(key, _input_value(getattr(settings, key))) for key in spec.model.model_fields]
    else:
        records = getattr(scenario, spec.attribute)
        rows = [tuple(_input_value(getattr(r, c)) for c in spec.columns) for r in records]
    return pd.DataFrame(rows, columns=list(spec.columns), dtype=object)


def add_input_sheets(wb: Any, scenario: Scenario, prefix: str = registry.INPUT_ECHO_PREFIX) -> None:
    """Append one sheet per ``registry.SHEETS`` entry, named ``prefix + sheet``, with its rows."""
    for spec in registry.SHEETS:
        name = f"{prefix}{spec.name}"
        ws = add_sheet(wb, name)
        write_table(ws, scenario_sheet_frame(spec, scenario), name)
        set_print_layout(ws)


# --------------------------------------------------------------------------------------------------
# Run sheet and document properties
# --------------------------------------------------------------------------------------------------


def _search_rows(plan: Plan) -> list[tuple[str, str, object, str]]:
    """Time to a usable plan and to proof, the searches raced, and whether the plan is
    reproducible (``models.SearchRecord``)."""
    search = plan.search
    never = "not reached"
    return [
        ("search", "plan within 5 % after", search.within_5pct_s or never, "s"),
        ("search", "plan within 1 % after", search.within_1pct_s or never, "s"),
        ("search", "gap after the root node", search.root_gap_pct, "%"),
        ("search", "searches raced", search.racers, ""),
        ("search", "random seed", search.seed, ""),
        (
            "search",
            "reproducible",
            "yes: every search ended by its gap, so this input gives this plan on any machine"
            if search.reproducible
            else "no: the time limit stopped a search, so a faster or less loaded machine may "
            "give a better plan",
            "",
        ),
    ]


def run_frame(
    scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> pd.DataFrame:
    """Provenance rows (``section``, ``item``, ``value``, ``unit``) for the ``Run`` sheet."""
    rows: list[tuple[str, str, object, str]] = [
        ("tool", "name", TOOL_NAME, ""),
        ("tool", "version", run.tool_version, ""),
        ("input", "file", run.input_name, ""),
        ("input", "sha256", run.input_sha256, ""),
        ("input", "scenario_name", scenario.settings.scenario_name, ""),
        ("run", "started_at", run.started_at.isoformat(timespec="seconds"), "ISO 8601"),
        ("solver", "name", run.solver, ""),
        ("solver", "version", run.solver_version, ""),
        ("solver", "status", plan.status.value, ""),
        ("solver", "termination", plan.termination, ""),
    ]
    rows += [("solver_option", key, value, "") for key, value in sorted(run.solver_options.items())]
    for position, tier in enumerate(plan.tiers, start=1):
        name = f"{position} {tier.name}"
        rows += [
            ("priority", f"{name}: status", tier.status.value, ""),
            ("priority", f"{name}: termination", tier.termination, ""),
            ("priority", f"{name}: value", tier.value, "score"),
            ("priority", f"{name}: gap", tier.gap_pct, "%"),
            ("priority", f"{name}: time", tier.seconds, "s"),
        ]
    rows += _search_rows(plan)
    stages = [*STAGES, *sorted(set(timings_s) - set(STAGES))]
    rows += [("timing", stage, timings_s.get(stage), "s") for stage in stages]
    rows.append(("timing", "total", sum(timings_s.values()), "s"))
    rows += [("model_size", key, value, "") for key, value in plan.model_size.items()]
    overrides = run.overrides or ("none",)
    rows += [("override", str(i), text, "") for i, text in enumerate(overrides, start=1)]
    warnings = run.warnings or ("none",)
    rows += [("warning", str(i), text, "") for i, text in enumerate(warnings, start=1)]
    return pd.DataFrame(rows, columns=["section", "item", "value", "unit"], dtype=object)


def _write_run_sheet(
    ws: Any, scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> None:
    """The ``Run`` sheet: one provenance table."""
    write_table(ws, run_frame(scenario, plan, run, timings_s), "Run")
    set_print_layout(ws, landscape=False)


def _set_properties(wb: Any, scenario: Scenario, plan: Plan, run: RunInfo) -> None:
    """Document properties that identify the plan without opening it (no paths, no library name)."""
    author = plain_text(f"{TOOL_NAME} {run.tool_version}")
    props = wb.properties
    props.creator = author
    props.lastModifiedBy = author
    props.title = plain_text(f"Logistics plan: {scenario.settings.scenario_name}")
    props.subject = "Peacekeeping mission logistics plan"
    props.description = plain_text(STATUS_WORDS[plan.status])
    props.keywords = "logistics; allocation; convoys; supply"
    started = run.started_at
    props.created = started.astimezone(dt.UTC).replace(tzinfo=None) if started.tzinfo else started
    for name, value in (
        ("scenario", scenario.settings.scenario_name),
        ("input_file", run.input_name),
        ("input_sha256", run.input_sha256),
        ("status", plan.status.value),
        ("solver", f"{run.solver} {run.solver_version}"),
    ):
        wb.custom_doc_props.append(StringProperty(name=name, value=plain_text(value)))


# --------------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------------

STATUS_WORDS: dict[SolveStatus, str] = {
    SolveStatus.optimal: "Optimal plan: proven best within the requested MIP gap.",
    SolveStatus.feasible: "Feasible plan: the solver stopped at a limit before proving it optimal.",
    SolveStatus.no_solution: (
        "No plan found within the time limit: the workbook shows what the mission would look "
        "like with no deliveries."
    ),
    SolveStatus.infeasible: "No plan exists that meets the hard constraints.",
    SolveStatus.error: "No plan: the solver failed.",
}

_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_LABEL_FONT = Font(name=FONT_NAME, bold=True)
_WARNING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF9C0006")
_KPI_COLUMNS = 4
_SIDE_COLUMN = _KPI_COLUMNS + 2
"""Objective terms and charts sit right of the KPI table, after a spacer column."""
_CHART_ROWS = 20
_COST_COLOUR = "C0504D"


def _write_summary(
    ws: Any,
    scenario: Scenario,
    plan: Plan,
    run: RunInfo,
    kpis: Sequence[Kpi],
    frames: Mapping[str, pd.DataFrame],
) -> None:
    """Title block, KPI table, objective terms and charts (with the data they plot)."""
    row = _write_title_block(ws, scenario, plan, run, kpis)
    write_cell(ws, row, 1, "Key figures").font = _HEADING_FONT
    write_cell(ws, row, _SIDE_COLUMN, "Objective terms").font = _HEADING_FONT
    kpi_table = write_table(ws, kpi_frame(kpis), "KPIs", top_row=row + 1, freeze_header=False)
    _format_kpi_values(ws, kpi_table, kpis)
    terms = write_table(
        ws,
        objective_terms_frame(plan),
        "ObjectiveTerms",
        {
            "weighted_value": FMT_TWO_DECIMALS,
            "raw_value": FMT_TWO_DECIMALS,
            "share_pct": FMT_PERCENT,
        },
        top_row=row + 1,
        left_column=_SIDE_COLUMN,
        freeze_header=False,
    )
    chart_row = terms.last_row + 2
    data_row = kpi_table.last_row + 3
    if plan.status.has_plan:
        data_row = _stock_chart(ws, frames, chart_row, data_row)
        _route_chart(ws, frames["Routes"], chart_row + _CHART_ROWS, data_row)
    set_print_layout(ws)
    ws.sheet_properties.tabColor = "1F3864"


def _write_title_block(
    ws: Any, scenario: Scenario, plan: Plan, run: RunInfo, kpis: Sequence[Kpi]
) -> int:
    """Scenario, dates, status in plain words and headline numbers; returns the next free row."""
    settings = scenario.settings
    by_name = {k.kpi: k.value for k in kpis}
    write_cell(ws, 1, 1, f"Logistics plan: {settings.scenario_name}").font = _TITLE_FONT
    lines: list[tuple[str, object, str | None]] = [
        ("Scenario", settings.scenario_name, None),
        (
            "Start date",
            settings.start_date if settings.start_date else "not set (days are numbered)",
            None,
        ),
        ("Horizon", settings.horizon_days, '0" days"'),
        ("Status", STATUS_WORDS[plan.status], None),
        ("Termination", plan.termination, None),
        ("Objective", plan.objective, FMT_TWO_DECIMALS),
        ("MIP gap", plan.mip_gap_pct, FMT_PERCENT),
        ("Wall time", by_name["total_wall_s"], FMT_SECONDS),
        ("Input file", run.input_name, None),
        (
            "Solved with",
            f"{run.solver} {run.solver_version}, started {run.started_at:%Y-%m-%d %H:%M}",
            None,
        ),
    ]
    row = 3
    for label, value, number_format in lines:
        write_cell(ws, row, 1, label).font = _LABEL_FONT
        cell = write_cell(ws, row, 2, value, number_format)
        cell.alignment = Alignment(horizontal="left")
        row += 1
    if not plan.status.has_plan:
        message = (
            f"No plan was found ({plan.termination}). The result sheets hold their headers only; "
            "the inputs as solved are in the In_ sheets."
            if plan_table(plan, "stock").empty
            else f"No plan was found: {plan.termination}."
        )
        cell = write_cell(ws, row, 1, message)
        cell.font, cell.fill = _WARNING_FONT, _RED_FILL
        row += 1
    return row + 1


def _format_kpi_values(ws: Any, table: TableRange, kpis: Sequence[Kpi]) -> None:
    """Thousands separators, and two decimals where a value has a fraction (the unit is beside it)."""
    column = table.columns["value"]
    for offset, kpi in enumerate(kpis):
        if isinstance(kpi.value, int | float) and not isinstance(kpi.value, bool):
            fmt = FMT_INTEGER if float(kpi.value).is_integer() else FMT_TWO_DECIMALS
            ws.cell(row=table.first_row + offset, column=column).number_format = fmt


def threatened_bases(
    frames: Mapping[str, pd.DataFrame], limit: int = STOCK_CHART_BASES
) -> list[str]:
    """Bases most worth watching: highest threat level first, then largest shortfall.

    Only bases with a days-of-supply figure on some day qualify (there is a line to draw).
    """
    stock, garrison = frames["Stock"], frames["Garrison"]
    days = pd.to_numeric(stock["days_of_supply"], errors="coerce")
    charted = stock[days.notna() & (days.abs() != float("inf"))]
    if charted.empty:
        return []
    threat = dict(
        zip(garrison["base_id"], pd.to_numeric(garrison["max_threat_level"]).fillna(0), strict=True)
    )
    shortfall = pd.to_numeric(stock["shortfall"]).fillna(0).groupby(stock["base_id"]).sum()
    ranked = sorted(
        {str(b) for b in charted["base_id"]},
        key=lambda b: (-float(threat.get(b, 0)), -float(shortfall.get(b, 0.0)), b),
    )
    chosen: list[str] = []
    for base in ranked:
        if base.lower() not in {c.lower() for c in chosen}:
            chosen.append(base)
    return chosen[:limit]


CHART_DAY_HEADER = "plan day"
"""First column of the days-of-supply chart data (the bases' ids are the other columns)."""


def stock_chart_frame(frames: Mapping[str, pd.DataFrame], bases: Sequence[str]) -> pd.DataFrame:
    """Days of supply of the scarcest class per day (rows) at each base (columns)."""
    stock = frames["Stock"]
    rows = stock[stock["base_id"].isin(bases)].copy()
    rows["days_of_supply"] = pd.to_numeric(rows["days_of_supply"], errors="coerce").replace(
        [float("inf"), float("-inf")], float("nan")
    )
    wide = rows.groupby(["day", "base_id"])["days_of_supply"].min().unstack("base_id")
    wide = wide.reindex(columns=list(bases)).reset_index()
    # Table headers must differ ignoring case, and a base may be called "Day"; an id never
    # holds a space, so this header can be no base's.
    wide.columns = [CHART_DAY_HEADER, *bases]
    return wide


def _stock_chart(ws: Any, frames: Mapping[str, pd.DataFrame], chart_row: int, data_row: int) -> int:
    """Line chart of days of supply at the most threatened bases; returns the next free data row."""
    bases = threatened_bases(frames)
    if not bases:
        write_cell(ws, chart_row, _SIDE_COLUMN, "No stock with a daily demand to chart.")
        return data_row
    write_cell(
        ws, data_row, 1, "Chart data: days of supply of the scarcest class"
    ).font = _HEADING_FONT
    data = write_table(
        ws,
        stock_chart_frame(frames, bases),
        "ChartDaysOfSupply",
        dict.fromkeys(bases, FMT_DAYS),
        top_row=data_row + 1,
        freeze_header=False,
    )
    chart = LineChart()
    chart.title = "Days of supply at the most threatened bases"
    chart.y_axis.title = "days of supply (scarcest class)"
    chart.x_axis.title = "day"
    values = Reference(
        ws, min_col=2, max_col=1 + len(bases), min_row=data.header_row, max_row=data.last_row
    )
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=data.first_row, max_row=data.last_row))
    for series in chart.series:
        series.smooth = False  # a smoothed line would dip below zero stock between days
    finish_chart(chart)
    ws.add_chart(chart, ws.cell(row=chart_row, column=_SIDE_COLUMN).coordinate)
    return data.last_row + 3


def route_chart_frame(routes: pd.DataFrame, limit: int = ROUTE_CHART_ROUTES) -> pd.DataFrame:
    """Exposure and cost of the routes convoys use, most exposed first."""
    used = routes[pd.to_numeric(routes["convoys"]).fillna(0) > 0]
    top = used.assign(_e=pd.to_numeric(used["exposure"]).fillna(0.0)).sort_values(
        ["_e", "route_id"], ascending=[False, True]
    )
    return top[["route_id", "exposure", "cost_usd"]].head(limit).reset_index(drop=True)


def _route_chart(ws: Any, routes: pd.DataFrame, chart_row: int, data_row: int) -> None:
    """Bars of exposure with markers of cost (second axis) for the routes convoys use."""
    frame = route_chart_frame(routes)
    if frame.empty:
        write_cell(ws, chart_row, _SIDE_COLUMN, "No convoy uses any route.")
        return
    write_cell(ws, data_row, 1, "Chart data: exposure and cost by route").font = _HEADING_FONT
    data = write_table(
        ws,
        frame,
        "ChartRoutes",
        {"exposure": FMT_ONE_DECIMAL, "cost_usd": FMT_USD},
        top_row=data_row + 1,
        freeze_header=False,
    )
    categories = Reference(ws, min_col=1, min_row=data.first_row, max_row=data.last_row)
    bars = BarChart()
    bars.title = "Exposure and cost by route"
    bars.y_axis.title = "exposure (vehicle-km × risk)"
    bars.add_data(
        Reference(ws, min_col=2, min_row=data.header_row, max_row=data.last_row),
        titles_from_data=True,
    )
    bars.set_categories(categories)
    cost = LineChart()
    cost.add_data(
        Reference(ws, min_col=3, min_row=data.header_row, max_row=data.last_row),
        titles_from_data=True,
    )
    cost.set_categories(categories)
    # Routes are not a sequence: show cost as markers, not a line joining them.
    for series in cost.series:
        series.smooth = False
        series.marker.symbol = "diamond"
        series.marker.size = 9
        series.marker.graphicalProperties = GraphicalProperties(solidFill=_COST_COLOUR)
        series.marker.graphicalProperties.line.solidFill = _COST_COLOUR
        series.graphicalProperties.line.noFill = True
    cost.y_axis.axId = 200
    cost.y_axis.title = "cost (USD)"
    cost.y_axis.crosses = "max"
    cost.y_axis.delete = False
    bars += cost
    finish_chart(bars)
    ws.add_chart(bars, ws.cell(row=chart_row, column=_SIDE_COLUMN).coordinate)


def finish_chart(chart: Any, width_cm: float = 20.0, height_cm: float = 9.5) -> None:
    """One size for every chart of a sheet, so they stack neatly, and axes Excel shows.

    openpyxl 3.1 leaves an axis's ``delete`` flag unset, which Excel reads as a hidden axis.
    """
    chart.width = width_cm
    chart.height = height_cm
    chart.x_axis.delete = False
    chart.y_axis.delete = False
