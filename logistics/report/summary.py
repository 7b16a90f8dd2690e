"""The ``Summary`` sheet of the plan workbook: the title block, the KPI table, the objective terms
and the charts of stocks and route use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from logistics.i18n import (
    _,
    column_names,
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
    write_cell,
    write_table,
)
from logistics.report.brief import plan_title
from logistics.report.formats import RED_FILL, WRAP
from logistics.report.kpis import OBJECTIVE_TERM_COLUMNS, Kpi, kpi_frame, objective_terms_frame
from logistics.report.numbers import (
    decimals_for,
)
from logistics.report.printing import (
    narrow_columns,
    set_print_area,
)
from logistics.report.run_sheet import STATUS_WORDS, RunInfo
from logistics.report.tables import plan_table
from logistics.rules.schemas import Scenario
from models.results import Plan

STOCK_CHART_BASES = 4
ROUTE_CHART_ROUTES = 12


_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_LABEL_FONT = Font(name=FONT_NAME, bold=True)


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


def write_summary(
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
        label_cell.font, label_cell.alignment = _LABEL_FONT, WRAP
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
        cell.font, cell.fill = _WARNING_FONT, RED_FILL
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
