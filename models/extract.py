"""Read a solved model into a ``Plan``: tidy tables with exactly the columns of ``TABLE_COLUMNS``."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from models.data import ModelData
from models.objective import RAW_TERM_OF
from models.reasons import end_stock_reason, shortfall_reasons
from models.results import TABLE_COLUMNS, Plan, SolveStatus
from models.sets import ModelIndex, escort_troops_required
from models.values import SolvedValues

NOISE = 1e-7
"""Solver values smaller than this are reported as 0."""
REPORTED_DEFICIT = 1e-4
"""End-of-horizon deficits below this (in the class's unit) are solver noise, not a miss."""


@dataclass(frozen=True)
class SolveOutcome:
    """How the solver stopped, in the words and numbers a ``Plan`` reports."""

    status: SolveStatus
    termination: str
    objective: float | None = None
    best_bound: float | None = None
    mip_gap_pct: float | None = None


def empty_plan(
    outcome: SolveOutcome, timings: Mapping[str, float], size: Mapping[str, int] | None = None
) -> Plan:
    """A plan without a solution: every table empty but with its columns."""
    return Plan(
        status=outcome.status,
        termination=outcome.termination,
        objective=None,
        best_bound=outcome.best_bound,
        mip_gap_pct=None,
        objective_terms={},
        raw_terms={},
        tables={
            name: pd.DataFrame(columns=list(columns)) for name, columns in TABLE_COLUMNS.items()
        },
        timings_s=dict(timings),
        model_size=dict(size or {}),
    )


def extract_plan(
    m: pyo.ConcreteModel,
    data: ModelData,
    index: ModelIndex,
    outcome: SolveOutcome,
    timings: Mapping[str, float],
    size: Mapping[str, int],
) -> Plan:
    """The plan held by the variable values of the solved model ``m``."""
    values = solved_values(m, index)
    tables = {
        "allocation": allocation_table(data, values),
        "garrison": garrison_table(data, values),
        "convoys": convoys_table(data, index, values),
        "convoy_vehicles": convoy_vehicles_table(values),
        "cargo": cargo_table(data, values),
        "stock": stock_table(data, index, values),
        "shortfalls": _frame(
            "shortfalls",
            shortfall_reasons(
                data, index, values, proven_optimal=outcome.status is SolveStatus.optimal
            ),
        ),
        "end_stock": end_stock_table(
            data, index, values, proven_optimal=outcome.status is SolveStatus.optimal
        ),
        "routes": routes_table(data, values),
    }
    return Plan(
        status=outcome.status,
        termination=outcome.termination,
        objective=outcome.objective,
        best_bound=outcome.best_bound,
        mip_gap_pct=outcome.mip_gap_pct,
        objective_terms={
            name: float(pyo.value(m.ObjectiveTerm[name])) for name in m.OBJECTIVE_TERMS
        },
        raw_terms={
            RAW_TERM_OF[name]: float(pyo.value(m.RawTerm[RAW_TERM_OF[name]]))
            for name in m.OBJECTIVE_TERMS
        },
        tables=tables,
        timings_s=dict(timings),
        model_size=dict(size),
        solution=_solution_by_name(m),
    )


def solved_values(m: pyo.ConcreteModel, index: ModelIndex) -> SolvedValues:
    """Variable and expression values of the solved model, cleaned of solver noise."""

    def read(component: Any) -> dict[Any, float]:
        return {key: _clean(var.value) for key, var in component.items()}

    return SolvedValues(
        assign=read(m.Assign),
        troops={key: _clean(pyo.value(m.Troops[key])) for key in m.TROOP_DAYS},
        garrison_shortfall=read(m.GarrisonShortfall),
        stock=read(m.Stock),
        met=read(m.Met),
        shortfall=read(m.Shortfall),
        demand={i: _clean(pyo.value(m.Demand[i])) for i in m.DEMAND_DAYS},
        daily_demand={i: _clean(pyo.value(m.DailyDemand[i])) for i in m.DEMAND_DAYS},
        end_deficit=read(m.EndDeficit),
        source=read(m.SourceSupply),
        depart=read(m.Depart),
        vehicles=read(m.Vehicles),
        cargo=read(m.Cargo),
    )


def allocation_table(data: ModelData, values: SolvedValues) -> pd.DataFrame:
    """One row per unit: where it was, where the plan puts it, how far it moves and at what cost,
    and for a unit that moves, the day it leaves, the day it arrives and its days on the road."""
    rows = []
    for u in data.UNITS:
        to_base = values.base_of_unit(u, data.unit_candidate_bases[u])
        moves = to_base != data.unit_current_base[u]
        moved_km = data.relocation_km.get((u, to_base), 0.0)
        rows.append(
            (
                u,
                data.unit_strength[u],
                data.unit_current_base[u],
                to_base,
                moved_km,
                data.unit_strength[u] * moved_km * data.relocation_cost_usd_per_troop_km,
                data.move_day(u) if moves else None,
                data.arrival_day(u, to_base) if moves else None,
                data.relocation_days.get((u, to_base), 0) if moves else 0,
                data.relocation_exposure.get((u, to_base), 0.0) if moves else 0.0,
            )
        )
    return _frame("allocation", rows)


def garrison_table(data: ModelData, values: SolvedValues) -> pd.DataFrame:
    """One row per base: its largest requirement, troops there on the last day, and the largest
    shortfall on any day (a unit on its way counts nowhere)."""
    rows = []
    for b in data.BASES:
        required = max((data.garrison_required_troops.get((b, t), 0) for t in data.DAYS), default=0)
        allocated = values.troops.get((b, data.horizon_days), 0.0)
        worst = max(
            (
                data.garrison_required_troops.get((b, t), 0) - values.troops.get((b, t), 0.0)
                for t in data.DAYS
            ),
            default=0.0,
        )
        rows.append(
            (
                b,
                required,
                round(allocated),
                max(0.0, worst),
                sum(values.garrison_shortfall.get((b, t), 0.0) for t in data.DAYS),
                max((data.base_threat_level.get((b, t), 0) for t in data.DAYS), default=0),
                data.accommodation_troops.get(b, 0),
            )
        )
    return _frame("garrison", rows)


def convoy_id(line_id: str, day: int) -> str:
    """Identifier of the convoy of a line leaving on a day, e.g. ``L1-d03``."""
    return f"{line_id}-d{day:02d}"


def convoys_table(data: ModelData, index: ModelIndex, values: SolvedValues) -> pd.DataFrame:
    """One row per convoy that runs."""
    cargo_t: dict[tuple[str, int], float] = defaultdict(float)
    for (line_id, t, _, k), quantity in values.cargo.items():
        cargo_t[line_id, t] += data.mass_t_per_unit[k] * quantity
    rows = []
    for line_id, t in values.convoys():
        line = data.lines[line_id]
        counts = values.vehicles_of(line_id, t)
        vehicles = sum(counts.values())
        rows.append(
            (
                convoy_id(line_id, t),
                line_id,
                line.mode,
                line.origin,
                " > ".join(line.path),
                t,
                t + line.round_trip(t),
                vehicles,
                escort_troops_required(data, (line_id, t), vehicles),
                data.line_threat_level.get((line_id, t), 0),
                data.exposure_per_vehicle.get((line_id, t), 0.0) * vehicles,
                sum(
                    data.cost_usd_per_vehicle.get((line_id, v), 0.0) * n for v, n in counts.items()
                ),
                cargo_t[line_id, t],
            )
        )
    return _frame("convoys", rows)


def convoy_vehicles_table(values: SolvedValues) -> pd.DataFrame:
    """One row per convoy and vehicle type used."""
    rows = [
        (convoy_id(line_id, t), v, round(n))
        for (line_id, t, v), n in values.vehicles.items()
        if n > 0.5
    ]
    return _frame("convoy_vehicles", rows)


def cargo_table(data: ModelData, values: SolvedValues) -> pd.DataFrame:
    """One row per convoy, drop base and class actually carried."""
    rows = [
        (convoy_id(line_id, t), b, t + data.lines[line_id].drop_offset(b, t), k, quantity)
        for (line_id, t, b, k), quantity in values.cargo.items()
        if quantity > 0
    ]
    return _frame("cargo", rows)


def stock_table(data: ModelData, index: ModelIndex, values: SolvedValues) -> pd.DataFrame:
    """One row per stock point and day: the stock balance and the demand met."""
    rows = []
    for b, k, t in index.STOCK_DAYS:
        key = (b, k, t)
        opening = values.stock[b, k, t - 1] if t > 1 else data.initial_stock.get((b, k), 0.0)
        demand = values.demand.get(key, 0.0)
        closing = values.stock[key]
        rows.append(
            (
                b,
                k,
                t,
                opening,
                _total(values.cargo, index.arrivals.get(key, ()))
                + data.commitments.pipeline_arrivals.get(key, 0.0),
                values.source.get(key, 0.0),
                _total(values.cargo, index.departures.get(key, ())),
                demand,
                values.met.get(key, 0.0),
                values.shortfall.get(key, 0.0),
                closing,
                data.capacity.get((b, k), 0.0),
                data.safety_stock_days.get(k, 0.0) * values.daily_demand.get(key, 0.0),
                _days_of_supply(closing, values.daily_demand.get(key, 0.0)),
                values.daily_demand.get(key, 0.0),
            )
        )
    return _frame("stock", rows)


def end_stock_table(
    data: ModelData, index: ModelIndex, values: SolvedValues, *, proven_optimal: bool
) -> pd.DataFrame:
    """One row per stock point with an end-of-horizon target: opening stock, target, closing
    stock on the last day, deficit with its reason, and days of supply on the first and last day."""
    rows = []
    last = data.horizon_days
    for b, k in index.END_STOCK_POINTS:
        target = index.end_targets[b, k]
        closing = values.stock.get((b, k, last), 0.0)
        deficit = values.end_deficit.get((b, k), 0.0)
        reason = (
            end_stock_reason(data, index, values, b, k, proven_optimal=proven_optimal)
            if deficit > REPORTED_DEFICIT
            else ""
        )
        rows.append(
            (
                b,
                k,
                target.opening,
                target.value(
                    data.safety_stock_days.get(k, 0.0) * values.daily_demand.get((b, k, last), 0.0)
                ),
                closing,
                deficit if deficit > REPORTED_DEFICIT else 0.0,
                _days_of_supply(target.opening, values.daily_demand.get((b, k, 1), 0.0)),
                _days_of_supply(closing, values.daily_demand.get((b, k, last), 0.0)),
                reason,
            )
        )
    return _frame("end_stock", rows)


def _days_of_supply(stock: float, daily_demand: float) -> float:
    return stock / daily_demand if daily_demand > 0 else math.nan


def routes_table(data: ModelData, values: SolvedValues) -> pd.DataFrame:
    """One row per route: when it is open, its threat and the convoys that use it.

    A convoy's exposure is apportioned to the legs of its line in proportion to their length.
    """
    usage: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for line_id, t in values.convoys():
        line = data.lines[line_id]
        vehicles = sum(values.vehicles_of(line_id, t).values())
        exposure = data.exposure_per_vehicle.get((line_id, t), 0.0) * vehicles
        for route_id, km in zip(line.legs, line.leg_km, strict=True):
            use = usage[route_id]
            use[0] += 1
            use[1] += vehicles
            use[2] += 2 * km * vehicles
            use[3] += exposure * km / line.one_way_km if line.one_way_km > 0 else 0.0
    rows = []
    for r in data.ROUTES:
        closed = [t for t in data.DAYS if not data.route_open.get((r, t), True)]
        levels = [data.route_threat_level.get((r, t), 0) for t in data.DAYS]
        convoys, vehicle_count, vehicle_km, route_exposure = usage.get(r, [0.0, 0.0, 0.0, 0.0])
        rows.append(
            (
                r,
                data.route_mode.get(r, ""),
                data.route_km.get(r, 0.0),
                len(data.DAYS) - len(closed),
                len(closed),
                _day_ranges(closed),
                min(levels, default=0),
                max(levels, default=0),
                int(convoys),
                int(vehicle_count),
                vehicle_km,
                route_exposure,
            )
        )
    return _frame("routes", rows)


def _frame(name: str, rows: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(TABLE_COLUMNS[name]))


def _clean(value: float | None) -> float:
    if value is None or abs(value) < NOISE:
        return 0.0
    return float(value)


def _total(values: Mapping[Any, float], keys: Iterable[Any]) -> float:
    return sum(values[key] for key in keys)


def _day_ranges(days: list[int]) -> str:
    """Days as compact ranges, e.g. ``5-12, 20``."""
    ranges: list[str] = []
    start = previous = None
    for day in [*days, None]:
        if previous is not None and day == previous + 1:
            previous = day
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = day
    return ", ".join(ranges)


def _solution_by_name(m: pyo.ConcreteModel) -> dict[str, float]:
    """Non-zero variable values by component name, e.g. ``Vehicles[L1,3,TRUCK]``."""
    return {
        var.name: float(var.value)
        for var in m.component_data_objects(pyo.Var, descend_into=True)
        if var.value is not None and abs(var.value) >= NOISE
    }
