"""Write the what-if comparison workbook: scenarios side by side against the base case (SPEC §4, §5).

Each solved scenario is reduced to a ``ScenarioSummary`` (its KPIs, computed by ``export`` from the
same frames as its plan workbook, its weighted objective terms and the inputs its overlay changed).
Summaries are small and picklable, so worker processes and Dask workers send them back instead of
plans. ``write_comparison_workbook`` lays them out:

* ``Comparison``: one row per KPI and objective term, one column per scenario (base first), a
  ``delta_<scenario>`` column per other scenario (scenario minus base, numeric rows only, red where
  worse and green where better when the direction is known), one small bar chart per headline KPI,
  and the table of the inputs that differ, one row per ``InputDifference``;
* ``Scenarios``: name, description, status, termination, plan file, solve time and error of each;
* ``Run``: tool version, base input file and when the comparison was written.

A scenario that could not be solved (``failed_summary``) keeps its column, blank but for its status.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from logistics import __version__
from logistics.export import (
    TOOL_NAME,
    Kpi,
    RunInfo,
    compute_kpis,
    finish_chart,
    plan_frames,
)
from logistics.overlays import BASE_SCENARIO, InputDifference
from logistics.xlsx import (
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
from models.results import OBJECTIVE_TERMS

if TYPE_CHECKING:
    from pathlib import Path

    from logistics.schemas import Scenario
    from models.results import Plan

FAILED = "failed"
"""Status of a scenario that could not be solved (bad overlay, solver or worker failure)."""
DELTA_PREFIX = "delta_"
TERM_PREFIX = "objective_"
"""KPI-table rows of the weighted objective terms are named ``objective_<term>``."""
TERM_UNIT = "score"
KPI_COLUMNS: tuple[str, str] = ("kpi", "unit")
"""The columns before the scenario columns of the ``Comparison`` KPI table."""
DIFFERENCE_COLUMNS: tuple[str, ...] = (
    "scenario",
    "sheet",
    "id",
    "field",
    "base_value",
    "new_value",
    "first_day",
    "last_day",
)
SCENARIO_COLUMNS: tuple[str, ...] = (
    "scenario",
    "comparison_column",
    "description",
    "status",
    "termination",
    "plan_file",
    "solve_s",
    "starting_plan",
    "error",
)

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"
BETTER_WHEN: dict[str, str] = {
    "demand_met_pct": HIGHER_IS_BETTER,
    "shortfall_total": LOWER_IS_BETTER,
    "garrison_shortfall": LOWER_IS_BETTER,
    "exposure": LOWER_IS_BETTER,
    "cost_usd": LOWER_IS_BETTER,
    "transport_cost_usd": LOWER_IS_BETTER,
    "relocation_cost_usd": LOWER_IS_BETTER,
    "objective": LOWER_IS_BETTER,
    "mip_gap_pct": LOWER_IS_BETTER,
}
"""Which way a KPI improves; ``shortfall_<SUPPLY>`` and ``objective_<term>`` rows improve when
lower. KPIs not listed (convoys, vehicle-km, troops…) have no better direction: more convoys may
be the price of more supply delivered, so their deltas stay uncoloured."""

CHART_KPIS: dict[str, str] = {
    "demand_met_pct": "Demand met (%)",
    "shortfall_total": "Shortfall (t + kL)",
    "garrison_shortfall": "Garrison shortfall (troops)",
    "convoys": "Convoys and sorties",
    "exposure": "Exposure (vehicle-km × risk)",
    "cost_usd": "Cost (USD)",
}
"""The headline KPIs charted on the ``Comparison`` sheet, one small chart each, with their titles."""

UNIT_FORMATS: dict[str, str] = {
    "%": FMT_PERCENT,
    "USD": FMT_USD,
    "s": FMT_SECONDS,
    "troops": FMT_INTEGER,
    "units": FMT_INTEGER,
    "convoys": FMT_INTEGER,
    "routes": FMT_INTEGER,
    "aircraft round trips": FMT_INTEGER,
    "km": FMT_ONE_DECIMAL,
    "vehicle-km × risk": FMT_ONE_DECIMAL,
}
"""Number format of a KPI row by its unit; other numeric rows show two decimals."""

_PLAIN_HEADER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.()\-]{0,59}$")
"""Scenario names that can head a table column as they are (others get ``scenario_<n>``)."""
_DELTA_TOLERANCE = 1e-6
"""Deltas smaller than this are rounding noise and stay uncoloured."""

_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_NOTE_FONT = Font(name=FONT_NAME, italic=True, color="FF595959")
_WORSE_FILL = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
_WORSE_FONT = Font(color="FF9C0006")
_BETTER_FILL = PatternFill(start_color="FFC6EFCE", end_color="FFC6EFCE", fill_type="solid")
_BETTER_FONT = Font(color="FF006100")
_BASE_COLOUR = "A5A5A5"
_SCENARIO_COLOUR = "4472C4"
_CHART_COLUMNS = 6
_CHART_ROWS = 14
"""Each chart spans ``_CHART_COLUMNS`` - 1 columns and ``_CHART_ROWS`` - 1 rows, leaving one
blank column and row between charts. Anchoring to cells rather than giving a size in cm keeps the
grid and its gaps the same in Excel and LibreOffice, whose default column widths differ."""
_CHART_WIDTH_CM = 8.5
_CHART_HEIGHT_CM = 6.9
"""The size the span has at Excel's default column width and row height."""
_CHART_TITLE_PT = 11
_CHARTS_PER_ROW = 2
_TABLE_TOP_ROW = 4


# --------------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioSummary:
    """What the comparison needs of one scenario's run: small, plain and picklable."""

    name: str
    description: str
    status: str
    """The plan's solve status (``optimal``, ``feasible``…), or ``failed`` when it was not solved."""
    termination: str
    kpis: tuple[Kpi, ...] = ()
    """The plan's KPIs as ``export.compute_kpis`` computes them; empty when failed."""
    objective_terms: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Weighted objective terms by name in ``OBJECTIVE_TERMS``."""
    differences: tuple[InputDifference, ...] = ()
    plan_file: str | None = None
    """File name of the scenario's plan workbook."""
    error: str | None = None
    """Why the scenario failed, in the planner's words (e.g. the overlay's input errors)."""
    solve_s: float | None = None
    starting_plan: str | None = None
    """Which start HiGHS got (``Plan.start``), or why the previous plan was not used."""

    def value(self, kpi: str) -> object:
        """The value of a KPI-table row (a KPI or ``objective_<term>``); None when it has none."""
        if kpi == "status":
            return self.status
        if kpi.startswith(TERM_PREFIX) and kpi.removeprefix(TERM_PREFIX) in OBJECTIVE_TERMS:
            return self.objective_terms.get(kpi.removeprefix(TERM_PREFIX))
        return next((k.value for k in self.kpis if k.kpi == kpi), None)


def summarise(
    name: str,
    description: str,
    scenario: Scenario,
    plan: Plan,
    run: RunInfo,
    differences: Sequence[InputDifference],
    plan_file: str | None,
) -> ScenarioSummary:
    """Summarise a solved scenario with the KPIs its plan workbook shows.

    The total wall time is the sum of ``run.timings_s``; the solve time is its ``solve`` stage
    (else the plan's own).
    """
    frames = plan_frames(scenario, plan)
    kpis = compute_kpis(scenario, plan, frames, sum(run.timings_s.values()))
    solve_s = run.timings_s.get("solve", plan.timings_s.get("solve"))
    return ScenarioSummary(
        name=name,
        description=description,
        status=plan.status.value,
        termination=plan.termination,
        kpis=tuple(kpis),
        objective_terms={term: float(value) for term, value in plan.objective_terms.items()},
        differences=tuple(differences),
        plan_file=plan_file,
        solve_s=None if solve_s is None else float(solve_s),
        starting_plan=plan.start,
    )


def failed_summary(
    name: str, description: str, error: str, differences: Sequence[InputDifference] = ()
) -> ScenarioSummary:
    """Summarise a scenario that could not be solved: status ``failed`` and why."""
    return ScenarioSummary(
        name=name,
        description=description,
        status=FAILED,
        termination="not solved",
        differences=tuple(differences),
        error=error,
    )


# --------------------------------------------------------------------------------------------------
# Frames: what each table holds
# --------------------------------------------------------------------------------------------------


def ordered_summaries(
    summaries: Sequence[ScenarioSummary], base_name: str = BASE_SCENARIO
) -> list[ScenarioSummary]:
    """The summaries with the base case first, the others in their given order.

    Raises ``ValueError`` when two summaries share a name or none is the base case.
    """
    names = [s.name for s in summaries]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"scenario names must be unique; repeated: {repeated}")
    if base_name not in names:
        raise ValueError(f"no summary of the base case {base_name!r} among {names}")
    base = summaries[names.index(base_name)]
    return [base, *(s for s in summaries if s.name != base_name)]


def scenario_columns(summaries: Sequence[ScenarioSummary]) -> dict[str, str]:
    """The KPI-table column of each scenario by name: the name itself when it can head a column,
    else ``scenario_<position>`` (names come from users; the ``Scenarios`` sheet maps them)."""
    taken = {column.lower() for column in KPI_COLUMNS}
    columns: dict[str, str] = {}
    for position, summary in enumerate(summaries, start=1):
        column = summary.name
        usable = _PLAIN_HEADER.match(column) and not column.lower().startswith(DELTA_PREFIX)
        if not usable or column.lower() in taken:
            column = f"scenario_{position}"
            while column.lower() in taken:
                column += "_"
        taken.add(column.lower())
        columns[summary.name] = column
    return columns


def _number(value: object) -> float | None:
    """``value`` as a finite float when it is a number (not a flag), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _kpi_rows(summaries: Sequence[ScenarioSummary]) -> dict[str, str]:
    """Every KPI-table row (unit by name): ``status``, each KPI any scenario has, in order of first
    appearance, then one ``objective_<term>`` row per objective term."""
    rows = {"status": ""}
    for summary in summaries:
        for kpi in summary.kpis:
            rows.setdefault(kpi.kpi, kpi.unit)
    rows.update({f"{TERM_PREFIX}{term}": TERM_UNIT for term in OBJECTIVE_TERMS})
    return rows


def comparison_frame(
    summaries: Sequence[ScenarioSummary], base_name: str = BASE_SCENARIO
) -> pd.DataFrame:
    """The KPI table: ``kpi``, ``unit``, one column per scenario (base first), then
    ``delta_<scenario>`` = scenario − base for every other scenario, blank where either is not a
    number (text rows, failed scenarios)."""
    ordered = ordered_summaries(summaries, base_name)
    columns = scenario_columns(ordered)
    records = []
    for kpi, unit in _kpi_rows(ordered).items():
        values = [summary.value(kpi) for summary in ordered]
        base_value = _number(values[0])
        deltas = [
            None
            if base_value is None or (number := _number(value)) is None
            else number - base_value
            for value in values[1:]
        ]
        records.append((kpi, unit, *values, *deltas))
    headers = [
        *KPI_COLUMNS,
        *(columns[s.name] for s in ordered),
        *(f"{DELTA_PREFIX}{columns[s.name]}" for s in ordered[1:]),
    ]
    return pd.DataFrame(records, columns=headers, dtype=object)


def differences_frame(summaries: Sequence[ScenarioSummary]) -> pd.DataFrame:
    """The inputs that differ from the base case: every summary's ``differences``, in order."""
    rows = [
        (
            d.scenario,
            d.sheet,
            d.record_id,
            d.field,
            d.base_value,
            d.new_value,
            d.first_day,
            d.last_day,
        )
        for summary in summaries
        for d in summary.differences
    ]
    return pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS), dtype=object)


def scenarios_frame(
    summaries: Sequence[ScenarioSummary], base_name: str = BASE_SCENARIO
) -> pd.DataFrame:
    """One row per scenario (base first): name, its KPI-table column, description, outcome."""
    ordered = ordered_summaries(summaries, base_name)
    columns = scenario_columns(ordered)
    rows = [
        (
            s.name,
            columns[s.name],
            s.description,
            s.status,
            s.termination,
            s.plan_file,
            s.solve_s,
            s.starting_plan,
            s.error,
        )
        for s in ordered
    ]
    return pd.DataFrame(rows, columns=list(SCENARIO_COLUMNS), dtype=object)


def comparison_run_frame(
    summaries: Sequence[ScenarioSummary],
    base_name: str,
    run: RunInfo | None,
    written_at: dt.datetime,
) -> pd.DataFrame:
    """Provenance rows (``section``, ``item``, ``value``, ``unit``) for the ``Run`` sheet."""
    rows: list[tuple[str, str, object, str]] = [
        ("tool", "name", TOOL_NAME, ""),
        ("tool", "version", run.tool_version if run else __version__, ""),
        ("input", "file", run.input_name if run else None, ""),
        ("input", "sha256", run.input_sha256 if run else None, ""),
        ("input", "base_scenario", base_name, ""),
    ]
    if run is not None:
        rows += [
            ("solver", "name", run.solver, ""),
            ("solver", "version", run.solver_version, ""),
            ("run", "started_at", run.started_at.isoformat(timespec="seconds"), "ISO 8601"),
        ]
    rows.append(("run", "written_at", written_at.isoformat(timespec="seconds"), "ISO 8601"))
    rows.append(("scenarios", "total", len(summaries), "scenarios"))
    statuses = Counter(s.status for s in summaries)
    rows += [("scenarios", status, count, "scenarios") for status, count in statuses.items()]
    return pd.DataFrame(rows, columns=["section", "item", "value", "unit"], dtype=object)


# --------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------


def write_comparison_workbook(
    path: Path,
    summaries: Sequence[ScenarioSummary],
    base_name: str = BASE_SCENARIO,
    *,
    run: RunInfo | None = None,
) -> None:
    """Write the comparison workbook of ``summaries`` to ``path`` atomically.

    ``run`` is the base case's run, whose tool version and input file the ``Run`` sheet shows.
    """
    save_atomically(build_comparison_workbook(summaries, base_name, run=run), path)


def build_comparison_workbook(
    summaries: Sequence[ScenarioSummary],
    base_name: str = BASE_SCENARIO,
    *,
    run: RunInfo | None = None,
) -> Any:
    """Compose the comparison workbook in memory (see the module docstring for its sheets)."""
    written_at = dt.datetime.now(dt.UTC)
    wb = Workbook()
    wb.remove(wb.active)
    _write_comparison_sheet(add_sheet(wb, "Comparison"), summaries, base_name, run)
    scenarios = add_sheet(wb, "Scenarios")
    table = write_table(
        scenarios, scenarios_frame(summaries, base_name), "Scenarios", {"solve_s": FMT_SECONDS}
    )
    _flag_failed(scenarios, table.data_range("status"))
    set_print_layout(scenarios)
    run_sheet = add_sheet(wb, "Run")
    write_table(run_sheet, comparison_run_frame(summaries, base_name, run, written_at), "Run")
    set_print_layout(run_sheet, landscape=False)
    wb.active = 0
    _set_properties(wb, run)
    return wb


def _write_comparison_sheet(
    ws: Any, summaries: Sequence[ScenarioSummary], base_name: str, run: RunInfo | None
) -> None:
    """Title, KPI table with coloured deltas, charts beside it, inputs that differ below."""
    ordered = ordered_summaries(summaries, base_name)
    _write_title(ws, ordered, run)
    frame = comparison_frame(ordered, base_name)
    kpis = _write_kpi_table(ws, frame, len(ordered))
    charts_bottom = _write_charts(ws, kpis, frame, len(ordered))
    heading_row = max(kpis.last_row, charts_bottom) + 2
    write_cell(ws, heading_row, 1, "Inputs that differ from the base case").font = _HEADING_FONT
    write_table(
        ws,
        differences_frame(ordered),
        "InputDifferences",
        {"first_day": FMT_INTEGER, "last_day": FMT_INTEGER},
        top_row=heading_row + 1,
        freeze_header=False,
    )
    # Keep the KPI names and the table header in view while scrolling across scenarios.
    ws.freeze_panes = ws.cell(row=kpis.first_row, column=len(KPI_COLUMNS) + 1).coordinate
    set_print_layout(ws)
    ws.sheet_properties.tabColor = "1F3864"


def _write_title(ws: Any, ordered: Sequence[ScenarioSummary], run: RunInfo | None) -> None:
    """Title and a line on how to read the deltas."""
    source = f": {run.input_name}" if run is not None else ""
    write_cell(ws, 1, 1, f"Scenario comparison{source}").font = _TITLE_FONT
    failed = sum(s.status == FAILED for s in ordered)
    note = (
        f"{len(ordered)} scenarios, base case first ({failed} failed). "
        "delta_ columns are scenario minus base: red = worse, green = better, "
        "uncoloured where neither is clear."
    )
    write_cell(ws, 2, 1, note).font = _NOTE_FONT


def _write_kpi_table(ws: Any, frame: pd.DataFrame, n_scenarios: int) -> TableRange:
    """The KPI table with a number format per row and deltas coloured by direction."""
    table = write_table(ws, frame, "Comparison", top_row=_TABLE_TOP_ROW, freeze_header=False)
    first_value = len(KPI_COLUMNS) + 1
    first_delta = first_value + n_scenarios
    last_column = len(frame.columns)
    for offset, (kpi, unit) in enumerate(zip(frame["kpi"], frame["unit"], strict=True)):
        row = table.first_row + offset
        value_format = UNIT_FORMATS.get(str(unit), FMT_TWO_DECIMALS)
        for column in range(first_value, last_column + 1):
            cell = ws.cell(row=row, column=column)
            if _number(cell.value) is not None:
                cell.number_format = value_format if column < first_delta else _signed(value_format)
        if kpi == "status":
            _flag_failed(ws, _row_range(row, first_value, first_delta - 1))
        if first_delta <= last_column:
            _colour_deltas(ws, str(kpi), _row_range(row, first_delta, last_column))
    return table


def _coordinate(row: int, column: int) -> str:
    """A1 coordinate of (row, column)."""
    return f"{get_column_letter(column)}{row}"


def _row_range(row: int, first_column: int, last_column: int) -> str:
    """A1 range of one row from ``first_column`` to ``last_column``."""
    return f"{_coordinate(row, first_column)}:{_coordinate(row, last_column)}"


def _signed(number_format: str) -> str:
    """``number_format`` with an explicit sign, for deltas: ``+1,200`` / ``-35`` / ``0``."""
    return f"+{number_format};-{number_format};{number_format}"


def better_when(kpi: str) -> str | None:
    """``lower`` or ``higher`` when the KPI-table row ``kpi`` has a better direction, else None."""
    if kpi.startswith(("shortfall_", TERM_PREFIX)):
        return LOWER_IS_BETTER
    return BETTER_WHEN.get(kpi)


def _colour_deltas(ws: Any, kpi: str, cells: str) -> None:
    """Red where the delta makes ``kpi`` worse, green where better (if its direction is known)."""
    direction = better_when(kpi)
    if direction is None:
        return
    up, down = ("greaterThan", "lessThan")
    worse, better = (up, down) if direction == LOWER_IS_BETTER else (down, up)
    bound = {"greaterThan": str(_DELTA_TOLERANCE), "lessThan": str(-_DELTA_TOLERANCE)}
    rules = ws.conditional_formatting
    rules.add(
        cells,
        CellIsRule(operator=worse, formula=[bound[worse]], fill=_WORSE_FILL, font=_WORSE_FONT),
    )
    rules.add(
        cells,
        CellIsRule(operator=better, formula=[bound[better]], fill=_BETTER_FILL, font=_BETTER_FONT),
    )


def _flag_failed(ws: Any, cells: str) -> None:
    """Red where a status cell reads ``failed``."""
    rule = CellIsRule(operator="equal", formula=[f'"{FAILED}"'], fill=_WORSE_FILL, font=_WORSE_FONT)
    ws.conditional_formatting.add(cells, rule)


def _write_charts(ws: Any, table: TableRange, frame: pd.DataFrame, n_scenarios: int) -> int:
    """One small bar chart per headline KPI, scenarios as bars (base in grey), right of the KPI
    table; returns the last row the charts cover."""
    rows = {str(kpi): table.first_row + i for i, kpi in enumerate(frame["kpi"])}
    charted = [kpi for kpi in CHART_KPIS if kpi in rows]
    left = len(frame.columns) + 2
    first_value = len(KPI_COLUMNS) + 1
    names = Reference(
        ws,
        min_col=first_value,
        max_col=first_value + n_scenarios - 1,
        min_row=table.header_row,
    )
    for index, kpi in enumerate(charted):
        values = Reference(
            ws, min_col=first_value, max_col=first_value + n_scenarios - 1, min_row=rows[kpi]
        )
        chart = _kpi_chart(CHART_KPIS[kpi], values, names)
        row = table.header_row + (index // _CHARTS_PER_ROW) * _CHART_ROWS
        column = left + (index % _CHARTS_PER_ROW) * _CHART_COLUMNS
        ws.add_chart(chart, _cell_span(row, column, _CHART_ROWS - 1, _CHART_COLUMNS - 1))
    chart_rows = -(-len(charted) // _CHARTS_PER_ROW) * _CHART_ROWS
    return table.header_row + chart_rows - 1


def _cell_span(row: int, column: int, rows: int, columns: int) -> TwoCellAnchor:
    """An anchor covering ``rows`` x ``columns`` cells from (row, column) down and right."""
    return TwoCellAnchor(
        _from=AnchorMarker(col=column - 1, row=row - 1),
        to=AnchorMarker(col=column - 1 + columns, row=row - 1 + rows),
    )


def _kpi_chart(title: str, values: Reference, names: Reference) -> BarChart:
    """Column chart of one KPI row (``values``) across the scenarios (``names``), values on the
    bars."""
    chart = BarChart()
    chart.type = "col"
    chart.title = _chart_title(title)
    chart.legend = None
    chart.add_data(values, from_rows=True)
    (series,) = chart.series
    series.graphicalProperties = GraphicalProperties(solidFill=_SCENARIO_COLOUR)
    base_point = DataPoint(idx=0, spPr=GraphicalProperties(solidFill=_BASE_COLOUR))
    series.dPt = [base_point]
    # Scenario names are text: a string reference, so no application reads them as numbers.
    series.cat = AxDataSource(strRef=StrRef(f=str(names)))
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    chart.y_axis.majorGridlines = None
    chart.y_axis.scaling.min = 0  # bars from zero, so their heights compare honestly
    finish_chart(chart, _CHART_WIDTH_CM, _CHART_HEIGHT_CM)
    return chart


def _chart_title(text: str) -> Title:
    """A bold chart title in a size that suits a small chart (the default is for large ones)."""
    font = CharacterProperties(sz=_CHART_TITLE_PT * 100, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _set_properties(wb: Any, run: RunInfo | None) -> None:
    """Document properties that say what the file is (no paths, no library name)."""
    version = run.tool_version if run is not None else __version__
    author = plain_text(f"{TOOL_NAME} {version}")
    props = wb.properties
    props.creator = author
    props.lastModifiedBy = author
    source = f": {run.input_name}" if run is not None else ""
    props.title = plain_text(f"Scenario comparison{source}")
    props.subject = "Peacekeeping mission logistics: what-if scenarios compared"
