"""Sheets that lay the plan out over its days, one column per day headed by its date.

* ``DaysOfSupply``: a heat map of bases × days, each cell the days of supply of the base's scarcest
  class at the close of that day, green when every class is at or above its safety target, amber
  when one is below, red when one is below half of it. It prints on a page where the full
  ``Stock`` table would take dozens.
* ``Timeline``: convoy lines × days, each cell the vehicles of that line away from home that day,
  dark on departure days; with the convoy timeline picture below when one is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from logistics.i18n import _, sheet_name
from logistics.io.xlsx import FMT_INTEGER, FONT_NAME, HEADER_FONT, write_cell
from logistics.report.brief import busy_by_day
from logistics.report.numbers import QUANTITY_DECIMALS, rounded
from logistics.report.palette import threat_colour
from logistics.rules.schemas import Scenario

TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 4
DAY_COLUMN_WIDTH = 4.0
DAYS_PER_PAGE = 31
"""Day columns a printed page holds; a longer horizon prints on more pages across, the labels
repeated on each."""
DAY_GRIDS: tuple[str, ...] = ("DaysOfSupply", "Timeline")
"""The sheets laid out over the days."""

FMT_WHOLE_DAYS = "0"
"""Days of supply in the heat map show whole days (stored to 0.1), so a day's column stays narrow."""

_TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True, color="FF1F3864")
_NOTE_FONT = Font(name=FONT_NAME, italic=True, color="FF595959")
_ROTATED = Alignment(text_rotation=90, horizontal="center", vertical="bottom")
_AWAY_FONT = Font(name=FONT_NAME, color="FFFFFFFF")
_DEPARTURE_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFFFF")
_DEPARTURE_SIDE = Side(style="medium", color="FF000000")
_DEPARTURE_BORDER = Border(
    left=_DEPARTURE_SIDE, right=_DEPARTURE_SIDE, top=_DEPARTURE_SIDE, bottom=_DEPARTURE_SIDE
)
_RED_FILL = PatternFill(start_color="FFF8696B", end_color="FFF8696B", fill_type="solid")
_AMBER_FILL = PatternFill(start_color="FFFFEB84", end_color="FFFFEB84", fill_type="solid")
_GREEN_FILL = PatternFill(start_color="FF63BE7B", end_color="FF63BE7B", fill_type="solid")
HEADER_ROW_HEIGHT_PT = 80.0
"""Tall enough for a date written upwards."""


@dataclass(frozen=True)
class GridRange:
    """Where a day grid landed: its header row, data rows and day columns."""

    header_row: int
    first_row: int
    last_row: int
    first_day_column: int
    last_column: int


def pages_wide(horizon_days: int) -> int:
    """Pages across a day grid of ``horizon_days`` days prints on."""
    return -(-horizon_days // DAYS_PER_PAGE)


def day_header(start: dt.date | None, day: int) -> object:
    """Header of a day column: its date (ISO) when the start is known, else ``day N``."""
    return (
        start + dt.timedelta(days=day - 1) if start is not None else _("day {day}").format(day=day)
    )


def write_day_grid(
    ws: Any,
    title: str,
    note: str,
    labels: pd.DataFrame,
    values: pd.DataFrame,
    start: dt.date | None,
    number_format: str,
) -> GridRange:
    """Write a grid: ``labels`` (readable column names) then one column per day of ``values``
    (columns are day numbers, rows align with ``labels``), under a title and a note."""
    write_cell(ws, TITLE_ROW, 1, title).font = _TITLE_FONT
    write_cell(ws, NOTE_ROW, 1, note).font = _NOTE_FONT
    first_day_column = len(labels.columns) + 1
    for offset, header in enumerate(labels.columns):
        write_cell(ws, HEADER_ROW, 1 + offset, header).font = HEADER_FONT
    days: Sequence[int] = [int(day) for day in values.columns]
    ws.row_dimensions[HEADER_ROW].height = HEADER_ROW_HEIGHT_PT
    for offset, day in enumerate(days):
        cell = write_cell(ws, HEADER_ROW, first_day_column + offset, day_header(start, day))
        cell.font, cell.alignment = HEADER_FONT, _ROTATED
        ws.column_dimensions[get_column_letter(first_day_column + offset)].width = DAY_COLUMN_WIDTH
    for row_offset, (label_row, value_row) in enumerate(
        zip(labels.itertuples(index=False), values.itertuples(index=False), strict=True), start=1
    ):
        row = HEADER_ROW + row_offset
        for offset, value in enumerate(label_row):
            write_cell(ws, row, 1 + offset, value)
        for offset, value in enumerate(value_row):
            write_cell(ws, row, first_day_column + offset, value, number_format)
    for offset, header in enumerate(labels.columns):
        longest = max([len(str(header)), *(len(str(v)) for v in labels.iloc[:, offset])])
        ws.column_dimensions[get_column_letter(1 + offset)].width = min(max(longest + 2, 8), 40)
    last_column = first_day_column + len(days) - 1
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=first_day_column).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_title_cols = f"A:{get_column_letter(first_day_column - 1)}"
    return GridRange(
        HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + max(len(labels), 1), first_day_column, last_column
    )


# --------------------------------------------------------------------------------------------------
# Days of supply heat map
# --------------------------------------------------------------------------------------------------


def scarcest_days(stock: pd.DataFrame, horizon_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per base (rows) and day 1..H (columns): the days of supply of the scarcest class, and the
    lowest closing stock of any class as a share of its safety target (NaN where no class has a
    target). Bases with no daily demand are left out."""
    days_of_supply = pd.to_numeric(stock["days_of_supply"], errors="coerce")
    finite = stock.assign(_dos=days_of_supply)[days_of_supply.abs().lt(float("inf"))]
    columns = range(1, horizon_days + 1)
    if finite.empty:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=columns)
    target = pd.to_numeric(finite["safety_target"], errors="coerce")
    finite = finite.assign(
        _day=pd.to_numeric(finite["day"]).astype(int),
        _share=pd.to_numeric(finite["closing"], errors="coerce") / target.where(target > 0),
    )
    grouped = finite.groupby(["base_id", "_day"])
    wide = grouped["_dos"].min().unstack("_day").reindex(columns=columns)
    share = grouped["_share"].min().unstack("_day").reindex(index=wide.index, columns=columns)
    return wide, share


HALF_TARGET = 0.5


def target_fill(share: float) -> PatternFill | None:
    """Red below half the safety target, amber below it, green at or above; none without one."""
    if pd.isna(share):
        return None
    if share < HALF_TARGET:
        return _RED_FILL
    return _AMBER_FILL if share < 1 - 1e-9 else _GREEN_FILL


def write_days_of_supply(
    ws: Any, scenario: Scenario, frames: Mapping[str, pd.DataFrame]
) -> GridRange:
    """The heat map of days of supply (bases by sector × days), coloured by safety target."""
    settings = scenario.settings
    wide, share = scarcest_days(frames["Stock"], settings.horizon_days)
    bases = sorted(
        (b for b in scenario.bases if b.base_id in wide.index), key=lambda b: (b.sector, b.base_id)
    )
    order = [b.base_id for b in bases]
    labels = pd.DataFrame({_("Base"): order, _("Sector"): [b.sector for b in bases]})
    values = wide.reindex(order).map(
        lambda v: None if pd.isna(v) else rounded(float(v), QUANTITY_DECIMALS)
    )
    grid = write_day_grid(
        ws,
        _("Days of supply of the scarcest class, at the close of each day"),
        _(
            "Green: every class at or above its safety target; amber: a class below its target; "
            "red: a class below half of it. Every class at every base is on the {stock} sheet."
        ).format(stock=sheet_name("Stock")),
        labels,
        values,
        settings.start_date,
        FMT_WHOLE_DAYS,
    )
    shares = share.reindex(order).to_numpy(dtype=float)
    for (row_offset, day_offset), value in np.ndenumerate(shares):
        fill = target_fill(float(value))
        if fill is not None:
            cell = ws.cell(
                row=grid.first_row + row_offset, column=grid.first_day_column + day_offset
            )
            cell.fill = fill
    if not order:
        note = _("none: no stock with a daily demand")
        write_cell(ws, grid.first_row, 1, note).font = _NOTE_FONT
    return grid


# --------------------------------------------------------------------------------------------------
# Convoy timeline
# --------------------------------------------------------------------------------------------------


def line_days(
    convoys: pd.DataFrame, horizon_days: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per convoy line (rows) and day 1..H (columns): vehicles away from home, vehicles that
    leave that day, and the highest threat level the line's convoys away that day face."""
    days = list(range(1, horizon_days + 1))
    away: dict[str, pd.Series] = {}
    leaving: dict[str, pd.Series] = {}
    threat: dict[str, pd.Series] = {}
    for line_id, rows in convoys.groupby("line_id", sort=True):
        vehicles = pd.to_numeric(rows["vehicles"], errors="coerce")
        away[str(line_id)] = pd.Series(busy_by_day(rows, vehicles), dtype=float)
        levels = pd.to_numeric(rows["max_threat_level"], errors="coerce")
        threat[str(line_id)] = pd.Series(busy_by_day(rows, levels, max), dtype=float)
        departures = vehicles.groupby(pd.to_numeric(rows["depart_day"])).sum()
        leaving[str(line_id)] = departures.astype(float)
    return (
        pd.DataFrame(away, dtype=float).T.reindex(columns=days),
        pd.DataFrame(leaving, dtype=float).T.reindex(columns=days),
        pd.DataFrame(threat, dtype=float).T.reindex(columns=days),
    )


def write_timeline(ws: Any, scenario: Scenario, frames: Mapping[str, pd.DataFrame]) -> GridRange:
    """The convoy timeline (a Gantt chart in cells): lines × days, each day a line's convoys
    are away coloured by the highest threat level they face, departures in bold."""
    convoys = frames["Convoys"]
    settings = scenario.settings
    away, leaving, threat = line_days(convoys, settings.horizon_days)
    lines = [str(line) for line in away.index]
    labels = pd.DataFrame(
        {
            _("Line"): lines,
            _("Convoys"): [int((convoys["line_id"] == line).sum()) for line in lines],
        }
    )
    values = away.map(lambda v: None if pd.isna(v) or v == 0 else int(v))
    grid = write_day_grid(
        ws,
        _("Convoy timeline: vehicles away from home, by line and day"),
        _(
            "Colour: highest threat level that day (green 1 to red 5); framed: vehicles "
            "leaving. Paths and vehicles: {convoys} sheet."
        ).format(convoys=sheet_name("Convoys")),
        labels,
        values,
        settings.start_date,
        FMT_INTEGER,
    )
    out = away.fillna(0.0).to_numpy(dtype=float)
    leaves = leaving.reindex(index=away.index).fillna(0.0).to_numpy(dtype=float)
    levels = threat.reindex(index=away.index).fillna(0.0).to_numpy(dtype=float)
    for (row_offset, day_offset), vehicles in np.ndenumerate(out):
        if vehicles <= 0:
            continue
        cell = ws.cell(row=grid.first_row + row_offset, column=grid.first_day_column + day_offset)
        cell.fill = _threat_fill(int(levels[row_offset, day_offset]))
        cell.font = _AWAY_FONT
        if leaves[row_offset, day_offset] > 0:
            cell.font = _DEPARTURE_FONT
            cell.border = _DEPARTURE_BORDER
    if not lines:
        note = _("none: the plan sends no convoy")
        write_cell(ws, grid.first_row, 1, note).font = _NOTE_FONT
    return grid


def _threat_fill(level: int) -> PatternFill:
    """The cell fill of a threat level, in the map's colours."""
    colour = "FF" + threat_colour(level).lstrip("#").upper()
    return PatternFill(start_color=colour, end_color=colour, fill_type="solid")
