"""Write the what-if comparison workbook: scenarios side by side against the base case (SPEC §4, §5).

Each solved scenario is reduced to a ``ScenarioSummary`` (its KPIs, computed by ``report.kpis`` from the
same frames as its plan workbook, its weighted objective terms and the inputs its overlay changed).
Summaries are small and picklable, so worker processes and Dask workers send them back instead of
plans. ``write_comparison_workbook`` lays them out:

* ``Comparison``: one row per KPI and objective term, one column per scenario (base first), a
  ``delta_<scenario>`` column per other scenario (scenario minus base as both are shown, numeric
  rows only, so a difference within the rounding of its unit is 0), coloured red where worse and
  green where better as the objective's priorities judge them (``judge``), never on the solver's
  own figures; one small bar chart per headline KPI under the table; and the table of the inputs
  that differ, one row per ``InputDifference``;
* ``Scenarios``: name, description, status, termination, plan file, solve time and error of each;
* ``Run``: tool version, base input file and when the comparison was written.

A scenario that could not be solved (``failed_summary``) keeps its column, blank but for its status.

The workbook is in the language chosen with ``i18n.use_language`` (the command line's), else the
base case's Settings ``language``: sheet names, headers, units and words; KPI names, statuses,
ids, scenario names and values stay as they are.
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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from logistics import __version__
from logistics.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    chosen_language,
    column_name,
    column_names,
    sheet_name,
    use_language,
)
from logistics.io.xlsx import (
    FMT_INTEGER,
    FMT_ONE_DECIMAL,
    FMT_PERCENT,
    FMT_SECONDS,
    FMT_USD,
    FONT_NAME,
    TableRange,
    plain_text,
    save_atomically,
    write_cell,
    write_table,
)
from logistics.report.kpis import TERM_PRIORITY, WEIGHTED_UNIT, Kpi, compute_kpis
from logistics.report.numbers import decimals_for, rounded
from logistics.report.plan_workbook import add_named_sheet, plan_language
from logistics.report.printing import PrintContext, fit_row_heights, set_page, wrap_long_text
from logistics.report.run_sheet import TOOL_NAME, RunInfo
from logistics.report.summary import DECIMAL_FORMATS, finish_chart
from logistics.report.tables import plan_frames
from logistics.rules.overlays import BASE_SCENARIO, WHOLE_RECORD, InputDifference
from models.results import OBJECTIVE_TERMS

if TYPE_CHECKING:
    from pathlib import Path

    from logistics.rules.schemas import Scenario
    from models.results import Plan

FAILED = "failed"
"""Status of a scenario that could not be solved (bad overlay, solver or worker failure)."""
DELTA_PREFIX = "delta_"
TERM_PREFIX = "objective_"
"""KPI-table rows of the weighted objective terms are named ``objective_<term>``."""
TERM_UNIT = WEIGHTED_UNIT
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
COMPARISON_SHEETS: tuple[str, ...] = ("Comparison", "Charts", "Scenarios", "Run")
"""The comparison workbook's sheets (English names), in order."""
RUN_COLUMNS: tuple[str, ...] = ("section", "item", "value", "unit")
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

WORSE = "worse"
BETTER = "better"
LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"
BETTER_WHEN: dict[str, str] = {
    "demand_met_pct": HIGHER_IS_BETTER,
    "shortfall_total": LOWER_IS_BETTER,
    "garrison_shortfall": LOWER_IS_BETTER,
    "stock_points_below_safety": LOWER_IS_BETTER,
    "stock_point_days_below_safety": LOWER_IS_BETTER,
    "worst_days_of_supply": HIGHER_IS_BETTER,
    "end_stock_misses": LOWER_IS_BETTER,
    "end_stock_deficit": LOWER_IS_BETTER,
    "exposure": LOWER_IS_BETTER,
    "cost_usd": LOWER_IS_BETTER,
    "transport_cost_usd": LOWER_IS_BETTER,
    "relocation_cost_usd": LOWER_IS_BETTER,
    "objective": LOWER_IS_BETTER,
}
"""Which way a KPI improves; ``shortfall_<SUPPLY>`` and ``objective_<term>`` rows improve when
lower, ``days_of_supply_…`` rows when higher. KPIs not listed (convoys, vehicle-km, troops…) have
no better direction: more convoys may be the price of more supply delivered. The solver's own
figures (gap, bound, time) are not the plan's and are never coloured."""

PRIORITY_OF: dict[str, int] = {
    "demand_met_pct": 0,
    "shortfall_total": 0,
    "garrison_shortfall": 1,
    "stock_points_below_safety": 2,
    "stock_point_days_below_safety": 2,
    "worst_days_of_supply": 2,
    "end_stock_misses": 2,
    "end_stock_deficit": 2,
    "exposure": 3,
    "cost_usd": 4,
    "transport_cost_usd": 4,
    "relocation_cost_usd": 4,
    **{f"{TERM_PREFIX}{term}": rank for term, rank in TERM_PRIORITY.items()},
}
"""The objective's priority each directional row belongs to (0 first): unmet demand, garrison,
stock below targets, exposure, then cost. Exposure comes before cost: a plan that saves money by
sending convoys into more danger is not better."""
PRIORITY_PREFIXES: dict[str, int] = {"shortfall_": 0, "days_of_supply_": 2}

CHART_KPIS: dict[str, str] = {
    "demand_met_pct": N_("Demand met (%)"),
    "shortfall_total": N_("Shortfall (t + kL)"),
    "garrison_shortfall": N_("Garrison shortfall (troops)"),
    "convoys": N_("Convoys and sorties"),
    "exposure": N_("Exposure (vehicle-km × risk)"),
    "cost_usd": N_("Cost (USD)"),
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

_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_NOTE_FONT = Font(name=FONT_NAME, italic=True, color="FF595959")
_WORSE_FILL = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
_WORSE_FONT = Font(color="FF9C0006")
_BETTER_FILL = PatternFill(start_color="FFC6EFCE", end_color="FFC6EFCE", fill_type="solid")
_BETTER_FONT = Font(color="FF006100")
_VERDICT_STYLE: dict[str, tuple[PatternFill, Font]] = {
    WORSE: (_WORSE_FILL, Font(name=FONT_NAME, color="FF9C0006")),
    BETTER: (_BETTER_FILL, Font(name=FONT_NAME, color="FF006100")),
}
_BASE_COLOUR = "A5A5A5"
_SCENARIO_COLOUR = "4472C4"
_CHART_COLUMNS = 6
_CHART_ROWS = 12
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
    """The plan's KPIs as ``kpis.compute_kpis`` computes them; empty when failed."""
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
    classification: str = "UNCLASSIFIED"
    """The scenario's security marking (``Settings.classification``), printed on every page."""
    language: str = DEFAULT_LANGUAGE
    """The language of the scenario's plan (``plan_workbook.plan_language``); the base case's is the
    comparison's."""

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
        objective_terms={
            term: rounded(float(value), decimals_for(TERM_UNIT))
            for term, value in plan.objective_terms.items()
        },
        differences=tuple(differences),
        plan_file=plan_file,
        solve_s=None if solve_s is None else float(solve_s),
        starting_plan=plan.start,
        classification=scenario.settings.classification,
        language=plan_language(scenario),
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
    number (text rows, failed scenarios). Values are as each plan workbook shows them, and a delta
    is the difference of the shown values to the precision of its unit, so solver noise is 0."""
    ordered = ordered_summaries(summaries, base_name)
    columns = scenario_columns(ordered)
    records = []
    for kpi, unit in _kpi_rows(ordered).items():
        values = [summary.value(kpi) for summary in ordered]
        base_value = _number(values[0])
        deltas = [
            None
            if base_value is None or (number := _number(value)) is None
            else rounded(number - base_value, decimals_for(str(unit)))
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


def shown_differences(frame: pd.DataFrame) -> pd.DataFrame:
    """``differences_frame`` as the workbook shows it: sheets, fields and setting keys named in
    the names language, a record's ``present``/``added``/``removed`` in the message language."""
    out = frame.copy()
    settings = out["sheet"] == "Settings"
    whole = out["field"] == WHOLE_RECORD
    out.loc[settings, "id"] = out.loc[settings, "id"].map(column_name)
    out.loc[~whole, "field"] = out.loc[~whole, "field"].map(column_name)
    for column in ("base_value", "new_value"):
        out.loc[whole, column] = out.loc[whole, column].map(_)
    out["sheet"] = out["sheet"].map(sheet_name)
    return out


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
    """Provenance rows (``section``, ``item``, ``value``, ``unit``) for the ``Run`` sheet, in the
    message language (statuses stay as they are)."""
    tool, source, scenarios = _("tool"), _("input"), _("scenarios")
    rows: list[tuple[str, str, object, str]] = [
        (tool, _("name"), TOOL_NAME, ""),
        (tool, _("version"), run.tool_version if run else __version__, ""),
        (source, _("file"), run.input_name if run else None, ""),
        (source, "sha256", run.input_sha256 if run else None, ""),
        (source, _("base_scenario"), base_name, ""),
    ]
    if run is not None:
        rows += [
            (_("solver"), _("name"), run.solver, ""),
            (_("solver"), _("version"), run.solver_version, ""),
            (_("run"), _("started_at"), run.started_at.isoformat(timespec="seconds"), "ISO 8601"),
        ]
    rows.append((_("run"), _("written_at"), written_at.isoformat(timespec="seconds"), "ISO 8601"))
    rows.append((scenarios, _("total"), len(summaries), scenarios))
    statuses = Counter(s.status for s in summaries)
    rows += [(scenarios, status, count, scenarios) for status, count in statuses.items()]
    return pd.DataFrame(rows, columns=list(RUN_COLUMNS), dtype=object)


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
    """Compose the comparison workbook in memory (see the module docstring for its sheets), in
    the language chosen with ``i18n.use_language``, else the base case's."""
    ordered = ordered_summaries(summaries, base_name)
    language = chosen_language() or ordered[0].language
    with use_language(language, language):
        return _compose_comparison_workbook(ordered, base_name, run)


def _compose_comparison_workbook(
    ordered: Sequence[ScenarioSummary], base_name: str, run: RunInfo | None
) -> Any:
    """The comparison workbook of ``ordered`` (base first), in the languages in effect."""
    written_at = dt.datetime.now(dt.UTC)
    wb = Workbook()
    wb.remove(wb.active)
    comparison = add_named_sheet(wb, "Comparison")
    kpis = _write_comparison_sheet(comparison, ordered, base_name, run)
    charts = add_named_sheet(wb, "Charts")
    _write_charts(charts, comparison, kpis, comparison_frame(ordered, base_name), len(ordered))
    scenarios = add_named_sheet(wb, "Scenarios")
    frame = scenarios_frame(ordered, base_name)
    table = write_table(
        scenarios,
        frame,
        "Scenarios",
        {"solve_s": FMT_SECONDS},
        headers=column_names(frame.columns),
    )
    _flag_failed(scenarios, table.data_range("status"))
    wrap_long_text(scenarios, table, frame)
    run_sheet = add_named_sheet(wb, "Run")
    run_frame = comparison_run_frame(ordered, base_name, run, written_at)
    run_table = write_table(run_sheet, run_frame, "Run", headers=column_names(run_frame.columns))
    wrap_long_text(run_sheet, run_table, run_frame)
    context = PrintContext(
        title=_title(run),
        dated=_("Compared {when} UTC").format(when=f"{written_at:%Y-%m-%d %H:%M}"),
        classification=ordered[0].classification,
    )
    for ws in wb.worksheets:
        wide = pages_across(ws, kpis.columns[list(kpis.columns)[-1]]) if ws is comparison else 1
        set_page(ws, context, one_page=ws is charts, pages_wide=wide)
    wb.active = 0
    _set_properties(wb, run)
    return wb


def _title(run: RunInfo | None) -> str:
    """The comparison's title: what was compared, in the message language."""
    if run is None:
        return _("Scenario comparison")
    return _("Scenario comparison: {input}").format(input=run.input_name)


def _write_comparison_sheet(
    ws: Any, summaries: Sequence[ScenarioSummary], base_name: str, run: RunInfo | None
) -> TableRange:
    """Title, KPI table with coloured deltas, inputs that differ below; returns the KPI table."""
    ordered = ordered_summaries(summaries, base_name)
    _write_title(ws, ordered, run)
    frame = comparison_frame(ordered, base_name)
    kpis = _write_kpi_table(ws, frame, len(ordered))
    heading_row = kpis.last_row + 2
    heading = _("Inputs that differ from the base case")
    write_cell(ws, heading_row, 1, heading).font = _HEADING_FONT
    differences = write_table(
        ws,
        shown_differences(differences_frame(ordered)),
        "InputDifferences",
        {"first_day": FMT_INTEGER, "last_day": FMT_INTEGER},
        top_row=heading_row + 1,
        freeze_header=False,
        headers=column_names(DIFFERENCE_COLUMNS),
    )
    if differences.n_rows == 0:
        write_cell(ws, differences.last_row + 1, 1, _("none")).font = _NOTE_FONT
    _narrow_table(ws, kpis)
    # Keep the KPI names and the table header in view while scrolling across scenarios, and on
    # every printed page.
    ws.freeze_panes = ws.cell(row=kpis.first_row, column=len(KPI_COLUMNS) + 1).coordinate
    ws.print_title_rows = f"{kpis.header_row}:{kpis.header_row}"
    ws.print_title_cols = f"A:{get_column_letter(len(KPI_COLUMNS))}"
    ws.sheet_properties.tabColor = "1F3864"
    return kpis


KPI_COLUMN_WIDTH = 26.0
VALUE_COLUMN_WIDTH = 13.0
PRINTED_CHARS_PER_PAGE = 125.0
"""Column width a landscape page holds at a scale that keeps 11 pt text at 8 pt or more."""


def _narrow_table(ws: Any, table: TableRange) -> None:
    """Narrow the KPI table's columns, wrapping long names and headers, so it prints legibly."""
    widths = {
        header: KPI_COLUMN_WIDTH if index < len(KPI_COLUMNS) else VALUE_COLUMN_WIDTH
        for index, header in enumerate(table.columns)
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for header, width in widths.items():
        letter = table.column_letter(header)
        ws.column_dimensions[letter].width = min(ws.column_dimensions[letter].width or width, width)
        for row in range(table.header_row, table.last_row + 1):
            cell = ws.cell(row=row, column=table.columns[header])
            cell.alignment = wrap
    fit_row_heights(ws, table.header_row, table.last_row, table.columns.values())


def pages_across(ws: Any, columns: int) -> int:
    """Pages across the first ``columns`` columns of ``ws`` print on."""
    total = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1)
    )
    return max(1, math.ceil(total / PRINTED_CHARS_PER_PAGE))


def _write_title(ws: Any, ordered: Sequence[ScenarioSummary], run: RunInfo | None) -> None:
    """Title and a line on how to read the deltas."""
    write_cell(ws, 1, 1, _title(run)).font = _TITLE_FONT
    failed = sum(s.status == FAILED for s in ordered)
    note = _(
        "{count} scenarios, base case first ({failed} failed). "
        "delta_ columns are scenario minus base: red = worse, green = better as the "
        "objective's priorities judge it (unmet demand, garrison, stock targets, exposure, "
        "cost, in that order); uncoloured where neither is clear."
    ).format(count=len(ordered), failed=failed)
    write_cell(ws, 2, 1, note).font = _NOTE_FONT


def _write_kpi_table(ws: Any, frame: pd.DataFrame, n_scenarios: int) -> TableRange:
    """The KPI table with a number format per row and deltas coloured by direction (its units
    and headers in the workbook's languages)."""
    table = write_table(
        ws,
        frame.assign(unit=frame["unit"].map(lambda unit: _(str(unit)))),
        "Comparison",
        top_row=_TABLE_TOP_ROW,
        freeze_header=False,
        headers=column_names(KPI_COLUMNS),
    )
    first_value = len(KPI_COLUMNS) + 1
    first_delta = first_value + n_scenarios
    last_column = len(frame.columns)
    for offset, (kpi, unit) in enumerate(zip(frame["kpi"], frame["unit"], strict=True)):
        row = table.first_row + offset
        value_format = UNIT_FORMATS.get(str(unit)) or DECIMAL_FORMATS[decimals_for(str(unit))]
        for column in range(first_value, last_column + 1):
            cell = ws.cell(row=row, column=column)
            if _number(cell.value) is not None:
                cell.number_format = value_format if column < first_delta else _signed(value_format)
        if kpi == "status":
            _flag_failed(ws, _row_range(row, first_value, first_delta - 1))
    for column in range(first_delta, last_column + 1):
        verdicts = judge(frame, str(frame.columns[column - 1]))
        for offset, kpi in enumerate(frame["kpi"]):
            verdict = verdicts.get(str(kpi))
            if verdict is not None:
                cell = ws.cell(row=table.first_row + offset, column=column)
                cell.fill, cell.font = _VERDICT_STYLE[verdict]
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
    if kpi.startswith("days_of_supply_"):
        return HIGHER_IS_BETTER
    return BETTER_WHEN.get(kpi)


def priority_of(kpi: str) -> int | None:
    """The objective's priority (0 first) the row ``kpi`` belongs to, or None."""
    if kpi in PRIORITY_OF:
        return PRIORITY_OF[kpi]
    return next((rank for p, rank in PRIORITY_PREFIXES.items() if kpi.startswith(p)), None)


def _direction(kpi: str, delta: object) -> str | None:
    """``worse``, ``better`` or None (no direction, no change, no number) for one delta."""
    direction, number = better_when(kpi), _number(delta)
    if direction is None or number is None or number == 0:
        return None
    return BETTER if (number < 0) == (direction == LOWER_IS_BETTER) else WORSE


def judge(frame: pd.DataFrame, delta_column: str) -> dict[str, str]:
    """How each row of one scenario's deltas reads against the base, by the objective's
    priorities: ``worse``, ``better``, or absent (neither is clear).

    A row is worse when its delta goes the wrong way. It is better only when no higher priority
    got worse: a plan that saves cost by leaving demand unmet or running more exposure is not
    better on cost. The ``objective`` row takes the verdict of the first priority that changed.
    """
    moves = {
        str(kpi): (_direction(str(kpi), delta), priority_of(str(kpi)))
        for kpi, delta in zip(frame["kpi"], frame[delta_column], strict=True)
    }
    ranked = [(rank, move) for move, rank in moves.values() if move and rank is not None]
    first_worse = min((rank for rank, move in ranked if move == WORSE), default=None)
    first_change = min(ranked, default=None, key=lambda item: item[0])
    verdict: dict[str, str] = {}
    for kpi, (move, rank) in moves.items():
        if kpi == "objective":
            if first_change is not None:
                verdict[kpi] = WORSE if first_worse == first_change[0] else BETTER
        elif move == WORSE or (
            move == BETTER and (first_worse is None or rank is None or rank <= first_worse)
        ):
            verdict[kpi] = move
    return verdict


def _flag_failed(ws: Any, cells: str) -> None:
    """Red where a status cell reads ``failed``."""
    rule = CellIsRule(operator="equal", formula=[f'"{FAILED}"'], fill=_WORSE_FILL, font=_WORSE_FONT)
    ws.conditional_formatting.add(cells, rule)


def _write_charts(
    ws: Any, source: Any, table: TableRange, frame: pd.DataFrame, n_scenarios: int
) -> None:
    """One small bar chart per headline KPI on ``ws``, scenarios as bars (base in grey), plotting
    the KPI's row of the table on ``source``."""
    rows = {str(kpi): table.first_row + i for i, kpi in enumerate(frame["kpi"])}
    units = dict(zip(frame["kpi"], frame["unit"], strict=True))
    charted = [kpi for kpi in CHART_KPIS if kpi in rows]
    first_value = len(KPI_COLUMNS) + 1
    last_value = first_value + n_scenarios - 1
    names = Reference(source, min_col=first_value, max_col=last_value, min_row=table.header_row)
    heading = _("Headline figures by scenario (base case in grey)")
    write_cell(ws, 1, 1, heading).font = _HEADING_FONT
    for index, kpi in enumerate(charted):
        values = Reference(source, min_col=first_value, max_col=last_value, min_row=rows[kpi])
        numbers = [_number(v) for v in frame.loc[frame["kpi"] == kpi].iloc[0, 2 : 2 + n_scenarios]]
        label_format = _label_format(str(units[kpi]), numbers)
        chart = _kpi_chart(_(CHART_KPIS[kpi]), values, names, label_format)
        row = 2 + (index // _CHARTS_PER_ROW) * _CHART_ROWS
        column = 1 + (index % _CHARTS_PER_ROW) * _CHART_COLUMNS
        ws.add_chart(chart, _cell_span(row, column, _CHART_ROWS - 1, _CHART_COLUMNS - 1))


def _label_format(unit: str, values: Sequence[float | None]) -> str:
    """Number format of a chart's value labels: the unit's decimals, thousands as ``k`` when the
    largest value would otherwise make labels wider than their bars."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    if largest >= LABEL_THOUSANDS:
        return '#,##0,"k"'
    return DECIMAL_FORMATS[decimals_for(unit)]


LABEL_THOUSANDS = 100_000


def _cell_span(row: int, column: int, rows: int, columns: int) -> TwoCellAnchor:
    """An anchor covering ``rows`` x ``columns`` cells from (row, column) down and right."""
    return TwoCellAnchor(
        _from=AnchorMarker(col=column - 1, row=row - 1),
        to=AnchorMarker(col=column - 1 + columns, row=row - 1 + rows),
    )


def _kpi_chart(title: str, values: Reference, names: Reference, label_format: str) -> BarChart:
    """Bar chart of one KPI row (``values``) across the scenarios (``names``), one bar a line
    with its value at its end, so neither names nor values overlap however many scenarios."""
    chart = BarChart()
    chart.type = "bar"
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
        numFmt=label_format,
        dLblPos="outEnd",
        showVal=True,
        showSerName=False,
        showCatName=False,
        showLegendKey=False,
        showPercent=False,
    )
    chart.x_axis.scaling.orientation = "maxMin"  # base case on top, scenarios in table order
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
    props.title = plain_text(_title(run))
    props.subject = _("Peacekeeping mission logistics: what-if scenarios compared")
