"""Write the plan workbook that liaison teams brief from (SPEC §4).

The workbook is in the plan's language (``plan_language``: the one chosen on the command line,
else the scenario's Settings ``language``): its sheet names and table headers are the catalogue's
(``i18n.sheet_name``, ``i18n.column_name``) and its words the catalogue's translations. Ids, the
names the planner typed and enum values stay as they are, and the frames, KPIs and tables this
module makes public keep their English column names and units: only what is written is named in
the plan's language.

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
import math
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
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule, FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from logistics.i18n import (
    N_,
    _,
    chosen_language,
    column_name,
    column_names,
    sheet_name,
    use_language,
)
from logistics.io.xlsx import (
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
    write_cell,
    write_table,
)
from logistics.report.brief import PlanImages, plan_title, write_brief
from logistics.report.glossary import write_glossary
from logistics.report.grids import DAY_GRIDS, pages_wide, write_days_of_supply, write_timeline
from logistics.report.numbers import (
    MONEY_DECIMALS,
    QUANTITY_DECIMALS,
    decimals_for,
    gap_up,
    in_words,
    percent_met,
    round_frame,
    rounded,
    rounded_value,
)
from logistics.report.printing import (
    PrintContext,
    exclude_from_print,
    narrow_columns,
    set_page,
    set_print_area,
    wrap_long_text,
)
from logistics.rules import registry
from logistics.rules.fields import display_value
from logistics.rules.schemas import Route, Scenario
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


NOT_PRINTED: tuple[str, ...] = ("ConvoyVehicles", "Cargo", "Stock", "EndStock", "Run")
"""Sheets left out of the printed pack (the input echo ``In_`` sheets are too): the Brief, the
DaysOfSupply heat map and the Convoys sheet say on a few pages what the detail sheets hold, and
the page headers carry the plan's date; every one stays in the workbook."""


def write_plan_workbook(
    path: Path, scenario: Scenario, plan: Plan, run: RunInfo, images: PlanImages | None = None
) -> None:
    """Write the plan workbook for ``plan`` (solved from ``scenario``) to ``path`` atomically."""
    save_atomically(build_plan_workbook(scenario, plan, run, images), path)


def plan_language(scenario: Scenario) -> str:
    """The language a plan of ``scenario`` is written in: the one chosen with
    ``i18n.use_language`` (the command line's ``--language``), else the Settings' ``language``."""
    return chosen_language() or scenario.settings.language.value


def build_plan_workbook(
    scenario: Scenario, plan: Plan, run: RunInfo, images: PlanImages | None = None
) -> Any:
    """Compose the plan workbook in memory (see the module docstring for its sheets), in the
    plan's language (``plan_language``).

    ``images`` holds the pictures drawn elsewhere (a map for the Brief, a convoy timeline); the
    workbook is complete without them.
    """
    language = plan_language(scenario)
    with use_language(language, language):
        return _compose_plan_workbook(scenario, plan, run, images)


def add_named_sheet(wb: Any, name: str) -> Any:
    """Add the sheet whose English name is ``name``, named in the names language."""
    return add_sheet(wb, sheet_name(name))


def _compose_plan_workbook(
    scenario: Scenario, plan: Plan, run: RunInfo, images: PlanImages | None
) -> Any:
    """The plan workbook, its names and words in the languages in effect."""
    started = time.perf_counter()
    pictures = images or PlanImages()
    wb = Workbook()
    wb.remove(wb.active)
    frames = plan_frames(scenario, plan)
    brief, summary = add_named_sheet(wb, "Brief"), add_named_sheet(wb, "Summary")
    write_days_of_supply(add_named_sheet(wb, "DaysOfSupply"), scenario, frames)
    write_timeline(add_named_sheet(wb, "Timeline"), scenario, frames)
    for name, frame in frames.items():
        _write_result_sheet(add_named_sheet(wb, name), name, frame)
    write_glossary(add_named_sheet(wb, "Glossary"), objective_term_meanings())
    run_sheet = add_named_sheet(wb, "Run")
    add_input_sheets(wb, scenario)

    timings = dict(run.timings_s)
    timings.setdefault("write", time.perf_counter() - started)
    kpis = compute_kpis(scenario, plan, frames, sum(timings.values()))
    _write_run_sheet(run_sheet, scenario, plan, run, timings)
    _write_summary(summary, scenario, plan, run, kpis, frames)
    write_brief(brief, scenario, plan, frames, headline(kpis), pictures)
    _set_pages(wb, scenario, run)
    wb.active = 0
    wb.active.sheet_view.tabSelected = True
    _set_properties(wb, scenario, plan, run)
    return wb


def print_context(scenario: Scenario, run: RunInfo) -> PrintContext:
    """What every printed page of the plan says: scenario, plan date and classification."""
    settings = scenario.settings
    return PrintContext(
        title=settings.scenario_name,
        dated=_("Plan of {when}").format(when=f"{run.started_at:%Y-%m-%d %H:%M}"),
        classification=settings.classification,
    )


def _set_pages(wb: Any, scenario: Scenario, run: RunInfo) -> None:
    """Page set-up of every sheet; the Brief on one page, the detail sheets not printed."""
    context = print_context(scenario, run)
    grids = {sheet_name(name) for name in DAY_GRIDS}
    not_printed = {sheet_name(name) for name in NOT_PRINTED}
    for ws in wb.worksheets:
        wide = pages_wide(scenario.settings.horizon_days) if ws.title in grids else 1
        set_page(ws, context, one_page=ws.title == sheet_name("Brief"), pages_wide=wide)
        if ws.title in not_printed or ws.title.startswith(registry.INPUT_ECHO_PREFIX):
            exclude_from_print(ws)


def headline(kpis: Sequence[Kpi]) -> list[str]:
    """The Brief's line of headline figures, in words."""
    value = {k.kpi: k.value for k in kpis}
    parts: list[str] = []
    if value.get("demand_met_pct") is not None:
        parts.append(_("Demand met {pct} %").format(pct=_worded(value["demand_met_pct"], 1)))
    if value.get("shortfall_total"):
        parts.append(_("short {amount} t + kL").format(amount=_worded(value["shortfall_total"], 1)))
    if value.get("convoys") is not None:
        parts.append(_("{count} convoys and sorties").format(count=_worded(value["convoys"], 0)))
    if value.get("garrison_shortfall"):
        troops = _worded(value["garrison_shortfall"], 0)
        parts.append(_("garrisons short {troops} troops").format(troops=troops))
    if value.get("mip_gap_pct") is not None:
        gap = f"{_worded(value['mip_gap_pct'], 1)} %"
        parts.append(_("at most {gap} from the best possible plan").format(gap=gap))
    return parts


def _worded(value: float | str | None, decimals: int) -> str:
    """A KPI's value in a sentence, as the message language writes numbers."""
    return in_words(float(value), decimals) if isinstance(value, int | float) else str(value)


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
    return {name: _as_read(frame, start) for name, frame in _joined_frames(scenario, plan).items()}


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


# --------------------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------------------


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
}
"""For each objective term: its raw total in ``Plan.raw_terms``, that total's unit, a description."""


TERM_WORDS: dict[str, str] = {
    "shortfall": N_("unmet demand"),
    "garrison": N_("garrison shortfall"),
    "safety_stock": N_("stock below safety target"),
    "end_stock": N_("stock below end-of-horizon target"),
    "exposure": N_("threat exposure"),
    "cost": N_("cost"),
}
"""Each objective term in plain words (English; ``_`` gives them in the message language)."""
TERM_PRIORITY: dict[str, int] = {
    "shortfall": 0,
    "garrison": 1,
    "safety_stock": 2,
    "end_stock": 2,
    "exposure": 3,
    "cost": 4,
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


def objective_term_meanings() -> dict[str, str]:
    """Each objective term in plain words with what it counts, for the Glossary, in the message
    language."""
    return {_(TERM_WORDS[term]): _(_TERM_RAW[term][2]) for term in OBJECTIVE_TERMS}


def objective_terms_frame(plan: Plan) -> pd.DataFrame:
    """One row per objective term in plain words: weighted points, amount and unit, share of the
    objective, each rounded to its unit (words and units in the message language, headers
    English: ``OBJECTIVE_TERM_COLUMNS``)."""
    weighted_total = sum(abs(plan.objective_terms.get(term, 0.0)) for term in OBJECTIVE_TERMS)
    rows = []
    for term in OBJECTIVE_TERMS:
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
        FMT_ONE_DECIMAL,
    ),
    "relocation_cost_usd": FMT_USD,
    "cost_usd": FMT_USD,
    "days_of_supply": FMT_DAYS,
    "days_of_supply_start": FMT_DAYS,
    "days_of_supply_end": FMT_DAYS,
}
"""Number format of every numeric result column, by header (units are in the header or format)."""

_FORMAT_DECIMALS: dict[str, int] = {
    FMT_INTEGER: 0,
    FMT_ONE_DECIMAL: QUANTITY_DECIMALS,
    FMT_DAYS: QUANTITY_DECIMALS,
    FMT_USD: MONEY_DECIMALS,
}
COLUMN_DECIMALS: dict[str, int] = {
    column: _FORMAT_DECIMALS[fmt] for column, fmt in COLUMN_FORMATS.items()
}
"""Decimals every numeric result column is rounded to, as its number format shows it."""

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


EMPTY_SHEET_NOTES: dict[str, str] = {
    "Allocation": N_("none: the scenario has no units"),
    "Garrison": N_("none: no base has a garrison"),
    "Convoys": N_("none: the plan sends no convoy"),
    "ConvoyVehicles": N_("none: the plan sends no convoy"),
    "Cargo": N_("none: no convoy carries cargo"),
    "Stock": N_("none: no stock point"),
    "Shortfalls": N_("none: every demand is met on every day"),
    "EndStock": N_("none: no stock point has an end-of-horizon target"),
    "Routes": N_("none: the scenario has no routes"),
}
"""What an empty result sheet says under its header row."""
_WRAP = Alignment(wrap_text=True, vertical="top")


PRINTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "Allocation": (
        "unit_id",
        "unit_name",
        "country",
        "strength",
        "from_base_id",
        "to_base_id",
        "moved_km",
        "move_day",
        "arrival_day",
        "move_exposure",
    ),
    "Convoys": (
        "convoy_id",
        "path",
        "depart_day",
        "return_day",
        "vehicles",
        "escort_troops",
        "max_threat_level",
        "exposure",
    ),
    "Garrison": (
        "base_id",
        "base_name",
        "sector",
        "required_troops",
        "allocated_troops",
        "shortfall_troops",
        "max_threat_level",
        "accommodation_troops",
    ),
    "Routes": (
        "route_id",
        "from_base_id",
        "to_base_id",
        "distance_km",
        "days_closed",
        "closed_days",
        "max_threat_level",
        "convoys",
        "vehicles",
        "exposure",
        "cost_usd",
    ),
}
"""The columns a printed page of a wide result sheet shows, in order: they come first on the
sheet and the print area ends after them; the other columns follow on screen. A day column
prints as its date when the scenario has a start date."""


def printed_first(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``frame`` with the printed columns of sheet ``name`` first, and how many there are (all
    columns for a sheet that prints whole)."""
    wanted = PRINTED_COLUMNS.get(name)
    if wanted is None:
        return frame, len(frame.columns)
    printed = [
        DATE_COLUMNS.get(c, c) if DATE_COLUMNS.get(c) in frame.columns else c for c in wanted
    ]
    rest = [c for c in frame.columns if c not in printed]
    return frame[[*printed, *rest]], len(printed)


def _write_result_sheet(ws: Any, name: str, frame: pd.DataFrame) -> None:
    """Write one result sheet as a table, its printed columns first, and add the conditional
    formats that help reading it."""
    frame, printed = printed_first(name, frame)
    table = write_table(ws, frame, name, _formats_for(frame), headers=column_names(frame.columns))
    wrap_long_text(ws, table, frame, printed)
    if table.n_rows == 0:
        note = write_cell(ws, table.last_row + 2, 1, _(EMPTY_SHEET_NOTES.get(name, N_("none"))))
        note.font = _NOTE_FONT
        set_print_area(ws, table.last_row + 2, printed)
        return
    set_print_area(ws, table.last_row, printed)
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

    ``Settings`` (a key/value sheet) lists every setting with its value, defaults included, each
    key named in the names language (as the reader reads it back).
    """
    rows: list[tuple[object, ...]]
    if spec.layout == "key_value":
        settings = getattr(scenario, spec.attribute)
        rows = [
            (column_name(key), _input_value(getattr(settings, key)))
            for key in spec.model.model_fields
        ]
    else:
        records = getattr(scenario, spec.attribute)
        rows = [tuple(_input_value(getattr(r, c)) for c in spec.columns) for r in records]
    return pd.DataFrame(rows, columns=list(spec.columns), dtype=object)


def add_input_sheets(wb: Any, scenario: Scenario, prefix: str = registry.INPUT_ECHO_PREFIX) -> None:
    """Append one sheet per ``registry.SHEETS`` entry, named ``prefix + sheet``, with its rows:
    sheets and headers named in the names language, as the reader reads them back (its table
    keeps the English name, since a table name is plain ASCII)."""
    for spec in registry.SHEETS:
        ws = add_sheet(wb, f"{prefix}{sheet_name(spec.name)}")
        frame = scenario_sheet_frame(spec, scenario)
        write_table(ws, frame, f"{prefix}{spec.name}", headers=column_names(frame.columns))


# --------------------------------------------------------------------------------------------------
# Run sheet and document properties
# --------------------------------------------------------------------------------------------------


def _search_rows(plan: Plan) -> list[tuple[str, str, object, str]]:
    """Time to a usable plan and to proof, the searches raced, and whether the plan is
    reproducible (``models.SearchRecord``)."""
    search = plan.search
    never = _("not reached")
    section = _("search")
    return [
        (section, _("plan within 5 % after"), search.within_5pct_s or never, "s"),
        (section, _("plan within 1 % after"), search.within_1pct_s or never, "s"),
        (section, _("gap after the root node"), search.root_gap_pct, "%"),
        (section, _("searches raced"), search.racers, ""),
        (section, _("random seed"), search.seed, ""),
        (
            section,
            _("reproducible"),
            _reproducible_words(plan),
            "",
        ),
    ]


def _tier_rows(plan: Plan) -> list[tuple[str, str, object, str]]:
    """Status, termination, value, distance from best possible and time of each priority
    searched in turn."""
    rows: list[tuple[str, str, object, str]] = []
    section = _("priority")
    for position, tier in enumerate(plan.tiers, start=1):
        name = f"{position} {tier.name}"
        rows += [
            (section, _("{tier}: status").format(tier=name), tier.status.value, ""),
            (section, _("{tier}: termination").format(tier=name), tier.termination, ""),
            (section, _("{tier}: value").format(tier=name), tier.value, _(WEIGHTED_UNIT)),
            (
                section,
                _("{tier}: distance from best possible").format(tier=name),
                gap_up(tier.gap_pct),
                "%",
            ),
            (section, _("{tier}: time").format(tier=name), tier.seconds, "s"),
        ]
    return rows


def _numbered_rows(section: str, texts: Sequence[str]) -> list[tuple[str, str, object, str]]:
    """One row per text, numbered from 1; one row saying "none" when there is none."""
    shown = texts or (_("none"),)
    return [(section, str(i), text, "") for i, text in enumerate(shown, start=1)]


RUN_DECIMALS = 2
"""Decimals of the Run sheet's figures (seconds, weighted values, solver options)."""


def _reproducible_words(plan: Plan) -> str:
    """Whether this input gives this plan again, and why, in words."""
    if plan.search.reproducible:
        return _("yes: every search ended by its gap, so this input gives this plan on any machine")
    if "stopped on request" in plan.termination:
        return _("no: the search was stopped on request before it ended by its gap")
    return _(
        "no: the time limit stopped a search, so a faster or less loaded machine may "
        "give a better plan"
    )


def run_frame(
    scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> pd.DataFrame:
    """Provenance rows (``section``, ``item``, ``value``, ``unit``) for the ``Run`` sheet, its
    words in the message language (solver option keys, stages and model sizes are names)."""
    tool, source, solver = _("tool"), _("input"), _("solver")
    rows: list[tuple[str, str, object, str]] = [
        (tool, _("name"), TOOL_NAME, ""),
        (tool, _("version"), run.tool_version, ""),
        (source, _("file"), run.input_name, ""),
        (source, "sha256", run.input_sha256, ""),
        (source, _("scenario name"), scenario.settings.scenario_name, ""),
        (source, _("classification"), scenario.settings.classification, ""),
        (_("run"), _("started at"), run.started_at.isoformat(timespec="seconds"), "ISO 8601"),
        (solver, _("name"), run.solver, ""),
        (solver, _("version"), run.solver_version, ""),
        (solver, _("status"), plan.status.value, ""),
        (solver, _("termination"), plan.termination, ""),
    ]
    option = _("solver option")
    rows += [(option, key, value, "") for key, value in sorted(run.solver_options.items())]
    rows += _tier_rows(plan)
    rows += _search_rows(plan)
    stages = [*STAGES, *sorted(set(timings_s) - set(STAGES))]
    timing = _("timing")
    rows += [(timing, stage, timings_s.get(stage), "s") for stage in stages]
    rows.append((timing, _("total"), sum(timings_s.values()), "s"))
    rows += [(_("model size"), key, value, "") for key, value in plan.model_size.items()]
    rows += _numbered_rows(_("override"), run.overrides)
    rows += _numbered_rows(_("warning"), run.warnings)
    shown = [
        (section, item, rounded_value(value, RUN_DECIMALS), unit)
        for section, item, value, unit in rows
    ]
    return pd.DataFrame(shown, columns=["section", "item", "value", "unit"], dtype=object)


def _write_run_sheet(
    ws: Any, scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> None:
    """The ``Run`` sheet: one provenance table."""
    frame = run_frame(scenario, plan, run, timings_s)
    table = write_table(ws, frame, "Run", headers=column_names(frame.columns))
    wrap_long_text(ws, table, frame)


def _set_properties(wb: Any, scenario: Scenario, plan: Plan, run: RunInfo) -> None:
    """Document properties that identify the plan without opening it (no paths, no library name)."""
    author = plain_text(f"{TOOL_NAME} {run.tool_version}")
    props = wb.properties
    props.creator = author
    props.lastModifiedBy = author
    props.title = plain_text(plan_title(scenario))
    props.subject = _("Peacekeeping mission logistics plan")
    props.description = plain_text(_(STATUS_WORDS[plan.status]))
    props.keywords = _("logistics; allocation; convoys; supply")
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
    SolveStatus.optimal: N_(
        "Optimal plan: proven the best possible, within the precision asked for."
    ),
    SolveStatus.feasible: N_(
        "Feasible plan: the time ran out before the plan was proven the best possible."
    ),
    SolveStatus.no_solution: N_(
        "No plan found within the time limit: the workbook shows what the mission would look "
        "like with no deliveries."
    ),
    SolveStatus.infeasible: N_("No plan exists that meets the hard constraints."),
    SolveStatus.error: N_("No plan: the solver failed."),
}
"""Each status in plain words (English; ``_`` gives them in the message language)."""


_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_LABEL_FONT = Font(name=FONT_NAME, bold=True)
_NOTE_FONT = Font(name=FONT_NAME, italic=True, color="FF595959")
_WARNING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF9C0006")
_CHART_ROWS = 18
_KPI_WIDTHS: dict[str, float] = {"kpi": 24, "value": 12, "unit": 12, "description": 64}
_TERM_WIDTHS: dict[str, float] = {
    "Objective term": 24,
    "Share of objective, %": 10,
}
"""Widths of the Summary's columns (text wraps), so its pages print at 75 % or more."""
_SECOND_CHART_COLUMN = 4
"""The two charts sit side by side under the tables: columns A-C and D-E."""
"""Widths of the Summary's tables (text wraps), so the page prints at 80 % or more."""
"""Columns the objective terms take; the charts (20 cm) fit over them."""
_COST_COLOUR = "C0504D"


def _write_summary(
    ws: Any,
    scenario: Scenario,
    plan: Plan,
    run: RunInfo,
    kpis: Sequence[Kpi],
    frames: Mapping[str, pd.DataFrame],
) -> None:
    """Title block, KPI table, objective terms and charts (with the data they plot), one under
    the other so the printed page stays narrow enough to read."""
    row = _write_title_block(ws, scenario, plan, run, kpis)
    write_cell(ws, row, 1, _("Key figures")).font = _HEADING_FONT
    frame = kpi_frame(kpis)
    kpi_table = write_table(
        ws,
        frame,
        "KPIs",
        top_row=row + 1,
        freeze_header=False,
        headers=column_names(frame.columns),
    )
    _format_kpi_values(ws, kpi_table, kpis)
    write_cell(ws, kpi_table.last_row + 2, 1, _("Objective terms")).font = _HEADING_FONT
    terms = write_table(
        ws,
        objective_terms_frame(plan),
        "ObjectiveTerms",
        {
            "Weighted points": FMT_TWO_DECIMALS,
            "Amount": FMT_ONE_DECIMAL,
            "Share of objective, %": FMT_PERCENT,
        },
        top_row=kpi_table.last_row + 3,
        freeze_header=False,
        headers=column_names(OBJECTIVE_TERM_COLUMNS),
    )
    narrow_columns(ws, terms, _TERM_WIDTHS)
    narrow_columns(ws, kpi_table, _KPI_WIDTHS)
    chart_row = terms.last_row + 2
    printed_rows = chart_row + _CHART_ROWS - 1 if plan.status.has_plan else terms.last_row
    set_print_area(ws, printed_rows, len(OBJECTIVE_TERM_COLUMNS))
    # The charts' data sits under everything printed, so the printed pages hold only what a
    # reader looks at.
    data_row = printed_rows + 3
    if plan.status.has_plan:
        left = _columns_cm(ws, 1, _SECOND_CHART_COLUMN - 1)
        right = _columns_cm(ws, _SECOND_CHART_COLUMN, len(OBJECTIVE_TERM_COLUMNS))
        data_row = _stock_chart(ws, frames, (chart_row, 1, left), data_row)
        _route_chart(ws, frames["Routes"], (chart_row, _SECOND_CHART_COLUMN, right), data_row)
    ws.sheet_properties.tabColor = "1F3864"


ChartPlace = tuple[int, int, float]
"""Where a chart goes: top row, left column, width in cm."""


def _columns_cm(ws: Any, first: int, last: int) -> float:
    """Width in cm of columns ``first`` to ``last`` (7 pixels per unit of width, 96 per inch)."""
    units = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1)
    )
    return units * 7 / 96 * 2.54


def _write_title_block(
    ws: Any, scenario: Scenario, plan: Plan, run: RunInfo, kpis: Sequence[Kpi]
) -> int:
    """Scenario, dates, status in plain words and headline numbers; returns the next free row."""
    settings = scenario.settings
    by_name = {k.kpi: k.value for k in kpis}
    write_cell(ws, 1, 1, plan_title(scenario)).font = _TITLE_FONT
    solved_with = _("{solver} {version}, started {when}").format(
        solver=run.solver, version=run.solver_version, when=f"{run.started_at:%Y-%m-%d %H:%M}"
    )
    lines: list[tuple[str, object, str | None]] = [
        (_("Scenario"), settings.scenario_name, None),
        (
            _("Start date"),
            settings.start_date if settings.start_date else _("not set (days are numbered)"),
            None,
        ),
        (_("Horizon"), settings.horizon_days, '0" {days}"'.format(days=_("days"))),
        (_("Status"), _(STATUS_WORDS[plan.status]), None),
        (_("Why the search stopped"), plan.termination, None),
        (_("Objective (weighted)"), by_name["objective"], FMT_TWO_DECIMALS),
        (_("Best possible (bound)"), by_name["best_bound"], FMT_TWO_DECIMALS),
        (_("From best possible plan"), by_name["mip_gap_pct"], FMT_PERCENT),
        (_("Time taken"), by_name["total_wall_s"], FMT_SECONDS),
        (_("Input file"), run.input_name, None),
        (_("Solved with"), solved_with, None),
    ]
    row = 3
    for label, value, number_format in lines:
        label_cell = write_cell(ws, row, 1, label)
        label_cell.font, label_cell.alignment = _LABEL_FONT, _WRAP
        cell = write_cell(ws, row, 2, value, number_format)
        cell.alignment = Alignment(horizontal="left")
        row += 1
    if not plan.status.has_plan:
        message = (
            _(
                "No plan was found ({termination}). The result sheets hold their headers only; "
                "the inputs as solved are in the In_ sheets."
            )
            if plan_table(plan, "stock").empty
            else _("No plan was found: {termination}.")
        ).format(termination=plan.termination)
        cell = write_cell(ws, row, 1, message)
        cell.font, cell.fill = _WARNING_FONT, _RED_FILL
        row += 1
    return row + 1


DECIMAL_FORMATS: dict[int, str] = {0: FMT_INTEGER, 1: FMT_ONE_DECIMAL, 2: FMT_TWO_DECIMALS}
"""Number format of a value rounded to that many decimals."""


def _format_kpi_values(ws: Any, table: TableRange, kpis: Sequence[Kpi]) -> None:
    """Thousands separators and the decimals of each value's unit (the unit is beside it)."""
    column = table.columns["value"]
    for offset, kpi in enumerate(kpis):
        if isinstance(kpi.value, int | float) and not isinstance(kpi.value, bool):
            fmt = DECIMAL_FORMATS[decimals_for(kpi.unit)]
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


def _stock_chart(
    ws: Any, frames: Mapping[str, pd.DataFrame], place: ChartPlace, data_row: int
) -> int:
    """Line chart of days of supply at the most threatened bases; returns the next free data row."""
    bases = threatened_bases(frames)
    if not bases:
        write_cell(ws, place[0], place[1], _("No stock with a daily demand to chart."))
        return data_row
    write_cell(
        ws, data_row, 1, _("Chart data: days of supply of the scarcest class")
    ).font = _HEADING_FONT
    data = write_table(
        ws,
        stock_chart_frame(frames, bases),
        "ChartDaysOfSupply",
        dict.fromkeys(bases, FMT_DAYS),
        top_row=data_row + 1,
        freeze_header=False,
        headers=column_names([CHART_DAY_HEADER]),
    )
    chart = LineChart()
    chart.title = _("Days of supply at the most threatened bases")
    chart.y_axis.title = _("days of supply (scarcest class)")
    chart.x_axis.title = _("day")
    values = Reference(
        ws, min_col=2, max_col=1 + len(bases), min_row=data.header_row, max_row=data.last_row
    )
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=data.first_row, max_row=data.last_row))
    for series in chart.series:
        series.smooth = False  # a smoothed line would dip below zero stock between days
    _add_chart(ws, chart, place)
    return data.last_row + 3


def route_chart_frame(routes: pd.DataFrame, limit: int = ROUTE_CHART_ROUTES) -> pd.DataFrame:
    """Exposure and cost of the routes convoys use, most exposed first."""
    used = routes[pd.to_numeric(routes["convoys"]).fillna(0) > 0]
    top = used.assign(_e=pd.to_numeric(used["exposure"]).fillna(0.0)).sort_values(
        ["_e", "route_id"], ascending=[False, True]
    )
    return top[["route_id", "exposure", "cost_usd"]].head(limit).reset_index(drop=True)


def _route_chart(ws: Any, routes: pd.DataFrame, place: ChartPlace, data_row: int) -> None:
    """Bars of exposure with markers of cost (second axis) for the routes convoys use."""
    frame = route_chart_frame(routes)
    if frame.empty:
        write_cell(ws, place[0], place[1], _("No convoy uses any route."))
        return
    write_cell(ws, data_row, 1, _("Chart data: exposure and cost by route")).font = _HEADING_FONT
    data = write_table(
        ws,
        frame,
        "ChartRoutes",
        {"exposure": FMT_ONE_DECIMAL, "cost_usd": FMT_USD},
        top_row=data_row + 1,
        freeze_header=False,
        headers=column_names(frame.columns),
    )
    categories = Reference(ws, min_col=1, min_row=data.first_row, max_row=data.last_row)
    bars = BarChart()
    bars.title = _("Exposure and cost by route")
    bars.y_axis.title = _("exposure (vehicle-km × risk)")
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
    cost.y_axis.title = _("cost (USD)")
    cost.y_axis.crosses = "max"
    cost.y_axis.delete = False
    bars += cost
    _add_chart(ws, bars, place)


def _add_chart(ws: Any, chart: Any, place: ChartPlace) -> None:
    """Size ``chart`` to its place's width and the chart rows' height and anchor it there."""
    row, column, width_cm = place
    finish_chart(chart, width_cm, _CHART_ROWS * 15 / 72 * 2.54)
    ws.add_chart(chart, ws.cell(row=row, column=column).coordinate)


CHART_TEXT_PT = 10
"""Axis labels of the charts: set, since applications pick smaller ones of their own."""


def _chart_text(points: float) -> RichText:
    """Text properties of a chart element at ``points`` pt."""
    font = CharacterProperties(sz=int(points * 100))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=font), endParaRPr=font)])


def finish_chart(chart: Any, width_cm: float = 20.0, height_cm: float = 9.5) -> None:
    """One size for every chart of a sheet, so they stack neatly, and axes Excel shows.

    openpyxl 3.1 leaves an axis's ``delete`` flag unset, which Excel reads as a hidden axis.
    """
    chart.width = width_cm
    chart.height = height_cm
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.txPr = chart.y_axis.txPr = _chart_text(CHART_TEXT_PT)
