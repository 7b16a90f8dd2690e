"""The plan's tables as the workbook shows them: the result tables with the planner's names joined
onto the ids, dates beside plan days, and each convoy's path as routes (``plan_frames``,
``leg_index``, ``path_routes``). The drawings and the comparison use the same frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pandas as pd

from logistics.i18n import _
from logistics.report.formats import COLUMN_DECIMALS, input_value
from logistics.report.numbers import (
    round_frame,
)
from logistics.rules.schemas import Route, Scenario
from models.reasons import REASON_SEPARATOR
from models.results import TABLE_COLUMNS, Plan

PATH_SEPARATOR = " > "
"""How ``Convoys.path`` joins base ids."""


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


DATE_COLUMNS: dict[str, str] = {
    "day": "date",
    "depart_day": "depart_date",
    "return_day": "return_date",
    "arrival_day": "arrival_date",
    "move_day": "move_date",
}
"""The calendar date column written beside each day column when the scenario has a start date."""


def day_date(start: dt.date, day: object) -> dt.date | None:
    """The calendar date of plan day ``day`` (day 1 is ``start``); None for a blank day."""
    number = pd.to_numeric(pd.Series([day]), errors="coerce").iloc[0]
    if pd.isna(number):
        return None
    return start + dt.timedelta(days=int(number) - 1)


def _with_dates(frame: pd.DataFrame, start: dt.date | None) -> pd.DataFrame:
    """``frame`` with a date column right after each of its day columns (none without a start)."""
    if start is None:
        return frame
    out = frame
    for day_column, date_column in DATE_COLUMNS.items():
        if day_column in out.columns:
            dates = [day_date(start, day) for day in out[day_column].tolist()]
            out = _insert_after(out, day_column, {date_column: dates})
    return out


def _as_read(frame: pd.DataFrame, start: dt.date | None) -> pd.DataFrame:
    """A result frame as people read it: values rounded to their unit, dates beside days."""
    return _with_dates(round_frame(frame, COLUMN_DECIMALS), start)


def plan_frames(scenario: Scenario, plan: Plan) -> dict[str, pd.DataFrame]:
    """The result sheets, in workbook order, as DataFrames: contract columns plus joined names,
    values rounded to the precision of their unit and, with a start date, a date beside each day.
    """
    start = scenario.settings.start_date
    frames = {
        name: _as_read(frame, start) for name, frame in _joined_frames(scenario, plan).items()
    }
    frames["Shortfalls"] = _shortfalls_as_read(frames["Shortfalls"])
    return frames


def _shortfalls_as_read(shortfalls: pd.DataFrame) -> pd.DataFrame:
    """The days short by a quantity that reads above 0 once rounded to its unit (0.1). A day
    short by less reads 0.0 on the Stock sheet and counts for nothing in the KPIs (the share of
    demand met reads 100.0 % when nothing else is short); listed here as "0.0 short" it would
    contradict them."""
    quantity = pd.to_numeric(shortfalls["quantity"], errors="coerce")
    return shortfalls[quantity > 0].reset_index(drop=True)


def _joined_frames(scenario: Scenario, plan: Plan) -> dict[str, pd.DataFrame]:
    """The result tables with the planner's names joined onto their ids."""
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
        "Shortfalls": _with_reasons_worded(
            _with_base_and_unit(plan_table(plan, "shortfalls"), look)
        ),
        "EndStock": _with_reasons_worded(_with_base_and_unit(plan_table(plan, "end_stock"), look)),
        "Routes": _routes_frame(scenario, plan_table(plan, "routes"), convoys),
    }


def _with_reasons_worded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``reason`` column in the message language: each reason of
    ``models.reasons.ALL_REASONS`` translated, the several reasons of one row joined as the model
    joins them."""
    if "reason" not in frame.columns or frame.empty:
        return frame
    out = frame.copy()
    out["reason"] = out["reason"].map(worded_reason)
    return out


def worded_reason(reason: object) -> object:
    """A model's reason (one or several joined by ``REASON_SEPARATOR``) in the message language;
    anything else (an empty cell) as it is."""
    if not isinstance(reason, str) or not reason:
        return reason
    return REASON_SEPARATOR.join(_(part) for part in reason.split(REASON_SEPARATOR))


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
        {"escort_capable": units.map({u: input_value(e) for u, e in look.unit_escort.items()})},
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
    legs = leg_index(scenario)
    round_trip_km = [
        2.0 * sum(route.distance_km for route in path_routes(str(path), str(mode), legs))
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


def leg_index(scenario: Scenario) -> dict[tuple[str, str, str], Route]:
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


def path_routes(path: str, mode: str, legs: Mapping[tuple[str, str, str], Route]) -> list[Route]:
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
    legs = leg_index(scenario)
    for path, mode, convoy_cost in zip(
        convoys["path"], convoys["mode"], convoys["cost_usd"], strict=True
    ):
        along = path_routes(str(path), str(mode), legs)
        total_km = sum(route.distance_km for route in along)
        for route in along:
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
