"""The ``Brief`` sheet: the plan on one landscape page, in a commander's words.

Left half: the status in plain words, the mission's sustainment by sector (days of supply of the
scarcest class on the first and the last day, stock points below their safety target), what cannot
be met and why, the units moved, and the fleet and escorts at their busiest. Right half: a map of
the mission (when one is given as PNG bytes in ``PlanImages``), the most exposed convoys and the
most exposed routes. Every figure is taken from the same result frames as the other sheets, so the
Brief never says what the tables do not.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from logistics.i18n import N_, _, sheet_name
from logistics.io.xlsx import (
    FMT_DAYS,
    FMT_INTEGER,
    FMT_ONE_DECIMAL,
    FMT_PERCENT,
    FONT_NAME,
    write_cell,
)
from logistics.report.numbers import QUANTITY_DECIMALS, gap_up, in_words, rounded
from logistics.report.printing import fit_row_heights
from logistics.rules.schemas import Scenario
from models.results import Plan, SolveStatus

TOP_ROWS = 5
"""Rows shown in each "most" list (exposed convoys, routes, shortfalls, moves)."""
LEFT_COLUMN = 1
RIGHT_COLUMN = 8
"""The right half starts in column H, after a narrow spacer column G."""
BLOCK_COLUMNS = 6
COLUMN_WIDTHS: tuple[float, ...] = (16, 8, 10.5, 10, 10, 13, 2, 15, 19, 10, 8, 7, 9)
"""Widths of columns A-M: wide enough for the headers, narrow enough for one page."""
MAP_ROWS = 9
"""Rows the map block takes at the top of the right half."""
ROW_HEIGHT_PT = 15.0
PIXELS_PER_WIDTH_UNIT = 7.0
PIXELS_PER_POINT = 96 / 72

_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="FF1F3864")
_HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FF1F3864")
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_BODY_FONT = Font(name=FONT_NAME, size=11)
_NOTE_FONT = Font(name=FONT_NAME, size=11, italic=True, color="FF595959")
_STATUS_FONT = Font(name=FONT_NAME, size=12, bold=True)
_HEADER_FILL = PatternFill(start_color="FFD9E1F2", end_color="FFD9E1F2", fill_type="solid")
_STATUS_FILLS: dict[bool, PatternFill] = {
    True: PatternFill(start_color="FFC6EFCE", end_color="FFC6EFCE", fill_type="solid"),
    False: PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid"),
}
_AMBER_FILL = PatternFill(start_color="FFFFE699", end_color="FFFFE699", fill_type="solid")
_RULE = Border(bottom=Side(style="thin", color="FF8EA9DB"))
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class PlanImages:
    """Pictures drawn outside the workbook writer, as PNG bytes; each is optional."""

    map_png: bytes | None = None
    """A map of the mission's bases and routes, placed on the Brief."""


@dataclass(frozen=True)
class Block:
    """A small table of the Brief: a heading, readable column headers, rows and their formats."""

    heading: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]
    formats: tuple[str | None, ...]
    empty: str
    """What the block says when it has no rows (e.g. "none: every demand is met")."""
    more: str = ""
    """A line under the rows saying where the rest is (blank when everything is shown)."""


# --------------------------------------------------------------------------------------------------
# The sheet
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefContent:
    """What the Brief says, in the message language: its heading lines and the blocks of each
    half (the map aside). The workbook writes it on a sheet; the web plan page shows it."""

    title: str
    days: str
    status: str
    """The status as a sentence (``status_words``)."""
    headline: tuple[str, ...]
    left: tuple[Block, ...]
    right: tuple[Block, ...]


def brief_content(
    scenario: Scenario, plan: Plan, frames: Mapping[str, pd.DataFrame], headline: Sequence[str]
) -> BriefContent:
    """The Brief of ``plan`` from its result ``frames`` and headline figures, in the message
    language."""
    settings = scenario.settings
    start = settings.start_date
    return BriefContent(
        title=plan_title(scenario),
        days=planned_days(start, settings.horizon_days),
        status=status_words(plan),
        headline=tuple(headline),
        left=(
            sustainment_block(scenario, frames),
            shortfall_block(frames, start),
            moves_block(frames, start),
            peak_block(scenario, frames, start),
        ),
        right=(exposed_convoys_block(frames, start), exposed_routes_block(frames)),
    )


def write_brief(
    ws: Any,
    scenario: Scenario,
    plan: Plan,
    frames: Mapping[str, pd.DataFrame],
    headline: Sequence[str],
    images: PlanImages,
    first: Sequence[Block] = (),
) -> None:
    """Write the Brief on ``ws``: title, status, and the blocks of both halves (``first`` at
    the top of the left half: a re-plan's "What changed")."""
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    content = brief_content(scenario, plan, frames, headline)
    row = _write_heading(ws, content, plan)
    left_row = row
    for block in (*first, *content.left):
        left_row = _write_block(ws, left_row, LEFT_COLUMN, block)
    right_row = row
    if images.map_png is not None:
        write_cell(ws, right_row, RIGHT_COLUMN, _("Map of the mission")).font = _HEADING_FONT
        place_image(ws, images.map_png, right_row + 1, RIGHT_COLUMN, MAP_ROWS - 1, BLOCK_COLUMNS)
        right_row += MAP_ROWS + 1
    for block in content.right:
        right_row = _write_block(ws, right_row, RIGHT_COLUMN, block)
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "1F3864"


def _write_heading(ws: Any, content: BriefContent, plan: Plan) -> int:
    """Title, the planned days, the status in plain words and the headline figures; returns the
    first row of the blocks."""
    write_cell(ws, 1, 1, content.title).font = _TITLE_FONT
    write_cell(ws, 2, 1, content.days).font = _BODY_FONT
    status = write_cell(ws, 3, 1, content.status)
    status.font = _STATUS_FONT
    fill = (
        _AMBER_FILL if plan.status is SolveStatus.feasible else _STATUS_FILLS[plan.status.has_plan]
    )
    for column in range(1, len(COLUMN_WIDTHS) + 1):
        ws.cell(row=3, column=column).fill = fill
    write_cell(ws, 4, 1, " · ".join(content.headline)).font = _STATUS_FONT
    return 6


def plan_title(scenario: Scenario) -> str:
    """The plan's title, in the message language."""
    return _("Logistics plan: {scenario}").format(scenario=scenario.settings.scenario_name)


def planned_days(start: dt.date | None, horizon_days: int) -> str:
    """The planned period in words: dates (ISO) when the start is known, else day numbers."""
    if start is None:
        text = _("Days 1 to {last} ({days} days; no start date set)")
        return text.format(last=horizon_days, days=horizon_days)
    last = start + dt.timedelta(days=horizon_days - 1)
    return _("{first} to {last} ({days} days)").format(
        first=start.isoformat(), last=last.isoformat(), days=horizon_days
    )


STATUS_SENTENCES: dict[SolveStatus, str] = {
    SolveStatus.optimal: N_("The plan is as good as it can be (within the precision asked for)."),
    SolveStatus.feasible: N_(
        "The plan is usable, but the search ran out of time: a better plan may exist "
        "(at most {gap} better)."
    ),
    SolveStatus.no_solution: N_(
        "No plan was found in the time allowed: the figures show the mission with no deliveries."
    ),
    SolveStatus.infeasible: N_("No plan can keep to the rules the workbook sets."),
    SolveStatus.error: N_("No plan: the solver failed."),
}
"""Each status as a sentence (English; ``status_words`` gives it in the message language)."""


def status_words(plan: Plan) -> str:
    """The plan's status as a sentence a commander reads without knowing what a solver is, in
    the message language."""
    gap = (
        _("an unknown amount")
        if (shown := gap_up(plan.mip_gap_pct)) is None
        else f"{in_words(shown, 1)} %"
    )
    return _(STATUS_SENTENCES[plan.status]).format(gap=gap)


def _write_block(ws: Any, row: int, column: int, block: Block) -> int:
    """Write ``block`` with its top-left corner at (row, column); return the row after it."""
    write_cell(ws, row, column, block.heading).font = _HEADING_FONT
    row += 1
    for offset, header in enumerate(block.headers):
        cell = write_cell(ws, row, column + offset, header)
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _RULE, _WRAP
    row += 1
    if not block.rows:
        write_cell(ws, row, column, block.empty).font = _NOTE_FONT
        return row + 2
    first = row
    for values in block.rows:
        for offset, (value, fmt) in enumerate(zip(values, block.formats, strict=True)):
            cell = write_cell(ws, row, column + offset, value, fmt)
            cell.font, cell.alignment = _BODY_FONT, _WRAP
        row += 1
    fit_row_heights(ws, first - 1, row - 1, range(column, column + len(block.headers)))
    if block.more:
        write_cell(ws, row, column, block.more).font = _NOTE_FONT
        row += 1
    return row + 1


def place_image(ws: Any, png: bytes, row: int, column: int, rows: int, columns: int) -> None:
    """Anchor the PNG ``png`` at (row, column), scaled to fit ``rows`` × ``columns`` cells with
    its proportions kept."""
    image = Image(io.BytesIO(png))
    box_width = sum(
        (ws.column_dimensions[get_column_letter(c)].width or 8.43) * PIXELS_PER_WIDTH_UNIT
        for c in range(column, column + columns)
    )
    box_height = rows * ROW_HEIGHT_PT * PIXELS_PER_POINT
    scale = min(box_width / image.width, box_height / image.height)
    image.width, image.height = int(image.width * scale), int(image.height * scale)
    ws.add_image(image, f"{get_column_letter(column)}{row}")


# --------------------------------------------------------------------------------------------------
# Blocks: what each says, from the result frames
# --------------------------------------------------------------------------------------------------


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """A numeric column (blanks as NaN)."""
    return pd.to_numeric(frame[column], errors="coerce")


def _date_or_day(start: dt.date | None, day: object) -> object:
    """The date of a plan day when the start is known, else the day number."""
    if start is None or pd.isna(day):  # type: ignore[call-overload]
        return day
    return start + dt.timedelta(days=int(day) - 1)  # type: ignore[call-overload]


def _day_format(start: dt.date | None) -> str | None:
    """Cell format of a day column: dates when the start is known, else whole day numbers."""
    return None if start is not None else FMT_INTEGER


def _more(shown: int, total: int, sheet: str) -> str:
    """The "and N more" line of a list cut at ``shown`` rows (``sheet`` its English name)."""
    if total <= shown:
        return ""
    return _("… and {count} more on the {sheet} sheet").format(
        count=total - shown, sheet=sheet_name(sheet)
    )


def sector_days_of_supply(stock: pd.DataFrame, day: int, column: str) -> pd.DataFrame:
    """Per sector and class on ``day``: stock (``column``) over all its bases / their daily demand.

    Columns ``sector``, ``supply_id``, ``days``; classes without daily demand are left out.
    """
    on_day = stock[_numbers(stock, "day") == day]
    grouped = (
        on_day.assign(_stock=_numbers(on_day, column), _daily=_numbers(on_day, "daily_demand"))
        .groupby(["sector", "supply_id"], sort=True)[["_stock", "_daily"]]
        .sum()
        .reset_index()
    )
    grouped = grouped[grouped["_daily"] > 0]
    return grouped.assign(days=grouped["_stock"] / grouped["_daily"])[
        ["sector", "supply_id", "days"]
    ]


def sustainment_block(scenario: Scenario, frames: Mapping[str, pd.DataFrame]) -> Block:
    """Per sector: days of supply of the scarcest class on the first and the last day, and the
    stock points that close some day below their safety target."""
    sector = {b.base_id: b.sector for b in scenario.bases}
    stock = frames["Stock"].assign(sector=lambda f: f["base_id"].map(sector))
    last = scenario.settings.horizon_days
    start = sector_days_of_supply(stock, 1, "opening")
    end = sector_days_of_supply(stock, last, "closing")
    below = _numbers(stock, "closing") < _numbers(stock, "safety_target") - 1e-6
    below_points = stock[below][["sector", "base_id", "supply_id"]].drop_duplicates()
    rows: list[tuple[object, ...]] = []
    for name in sorted({str(v) for v in stock["sector"].dropna()}):
        first = start[start["sector"] == name]
        final = end[end["sector"] == name]
        if first.empty and final.empty:
            continue
        scarcest = final.sort_values("days").iloc[0] if not final.empty else None
        bases = sorted({b for b, s in sector.items() if s == name})
        rows.append(
            (
                name,
                len(bases),
                _min_days(first),
                _min_days(final),
                None if scarcest is None else scarcest["supply_id"],
                int((below_points["sector"] == name).sum()),
            )
        )
    return Block(
        heading=_("Days of supply by sector (scarcest class)"),
        headers=(
            _("Sector"),
            _("Bases"),
            _("Day {day}").format(day=1),
            _("Day {day}").format(day=last),
            _("Scarcest"),
            _("Below safety target"),
        ),
        rows=rows,
        formats=(None, FMT_INTEGER, FMT_DAYS, FMT_DAYS, None, FMT_INTEGER),
        empty=_("none: no stock with a daily demand"),
    )


def _min_days(frame: pd.DataFrame) -> float | None:
    """The fewest days of supply in ``frame`` (the scarcest class), to 0.1."""
    if frame.empty:
        return None
    return rounded(float(frame["days"].min()), QUANTITY_DECIMALS)


def shortfall_block(frames: Mapping[str, pd.DataFrame], start: dt.date | None) -> Block:
    """The largest unmet demands, grouped by base, class and reason, with their first and last
    day."""
    short = frames["Shortfalls"]
    grouped = (
        short.assign(_q=_numbers(short, "quantity"), _d=_numbers(short, "day"))
        .groupby(["base_id", "supply_id", "unit", "reason"], sort=False, dropna=False)
        .agg(quantity=("_q", "sum"), first=("_d", "min"), last=("_d", "max"))
        .reset_index()
        .sort_values(["quantity", "base_id"], ascending=[False, True])
    )
    grouped["quantity"] = grouped["quantity"].round(QUANTITY_DECIMALS)
    rows: list[tuple[object, ...]] = [
        (
            r.base_id,
            f"{r.supply_id} ({r.unit})",
            _date_or_day(start, r.first),
            _date_or_day(start, r.last),
            r.quantity,
            r.reason,
        )
        for r in grouped.head(TOP_ROWS).itertuples()
    ]
    day_format = _day_format(start)
    return Block(
        heading=_("What cannot be met, and why"),
        headers=(_("Base"), _("Class"), _("From"), _("To"), _("Short"), _("Why")),
        rows=rows,
        formats=(None, None, day_format, day_format, FMT_ONE_DECIMAL, None),
        empty=_("none: every demand is met"),
        more=_more(len(rows), len(grouped), "Shortfalls"),
    )


def moves_block(frames: Mapping[str, pd.DataFrame], start: dt.date | None) -> Block:
    """The units the plan moves: where from, where to, when they leave and arrive."""
    allocation = frames["Allocation"]
    moved = allocation[allocation["from_base_id"] != allocation["to_base_id"]]
    moved = moved.sort_values(["move_day", "unit_id"], na_position="last")
    rows: list[tuple[object, ...]] = [
        (
            r.unit_id,
            r.strength,
            r.from_base_id,
            r.to_base_id,
            _date_or_day(start, r.move_day),
            _date_or_day(start, r.arrival_day),
        )
        for r in moved.head(TOP_ROWS).itertuples()
    ]
    day_format = _day_format(start)
    return Block(
        heading=_("Units moved"),
        headers=(_("Unit"), _("Troops"), _("From"), _("To"), _("Leaves"), _("Arrives")),
        rows=rows,
        formats=(None, FMT_INTEGER, None, None, day_format, day_format),
        empty=_("none: every unit stays where it is"),
        more=_more(len(rows), len(moved), "Allocation"),
    )


def busy_by_day(
    convoys: pd.DataFrame,
    amount: pd.Series,
    combine: Callable[[float, float], float] = operator.add,
) -> dict[int, float]:
    """Σ ``amount`` (aligned with ``convoys``) over the convoys away from home on each day:
    from the departure day to the day before the return (the departure day for a same-day trip).
    ``combine`` (e.g. ``max``) gathers the amounts of one day in place of the sum.
    """
    totals: dict[int, float] = {}
    for depart, back, value in zip(
        _numbers(convoys, "depart_day"), _numbers(convoys, "return_day"), amount, strict=True
    ):
        if pd.isna(depart) or pd.isna(value):
            continue
        last = max(int(depart), int(back) - 1) if not pd.isna(back) else int(depart)
        for day in range(int(depart), last + 1):
            totals[day] = combine(totals[day], float(value)) if day in totals else float(value)
    return dict(sorted(totals.items()))


def peak_block(
    scenario: Scenario, frames: Mapping[str, pd.DataFrame], start: dt.date | None
) -> Block:
    """The busiest vehicle types and the escort troops: how many there are (for aircraft, sorties
    a day: aircraft × sorties per day), the most in use on one day, and the first day that
    happens."""
    convoys, by_type = frames["Convoys"], frames["ConvoyVehicles"]
    fleet: dict[str, int] = {}
    for entry in scenario.fleet:
        fleet[entry.vehicle_type_id] = fleet.get(entry.vehicle_type_id, 0) + entry.count
    rows: list[tuple[object, ...]] = []
    for vehicle in scenario.vehicles:
        counts = by_type[by_type["vehicle_type_id"] == vehicle.vehicle_type_id]
        per_convoy = counts.groupby("convoy_id")["count"].sum()
        available = fleet.get(vehicle.vehicle_type_id, 0)
        if vehicle.mode.value == "air":
            available *= vehicle.sorties_per_day
        busy = busy_by_day(convoys, convoys["convoy_id"].map(per_convoy))
        rows.append(_peak_row(vehicle.name or vehicle.vehicle_type_id, available, busy, start))
    escorts = sum(u.strength for u in scenario.units if u.escort_capable)
    escort_busy = busy_by_day(convoys, _numbers(convoys, "escort_troops"))
    rows.append(_peak_row(_("Escort troops"), escorts, escort_busy, start))
    rows = sorted((r for r in rows if r[2]), key=lambda r: -float(str(r[4] or 0)))[:TOP_ROWS]
    return Block(
        heading=_("Fleet and escorts at their busiest"),
        headers=(_("Resource"), _("Available"), _("Most used"), _("On"), _("Share, %")),
        rows=rows,
        formats=(None, FMT_INTEGER, FMT_INTEGER, _day_format(start), FMT_PERCENT),
        empty=_("none: no fleet or escort troops"),
    )


def _peak_row(
    name: str, available: int, busy: Mapping[int, float], start: dt.date | None
) -> tuple[object, ...]:
    """One row of the peak block: name, available, peak, its first day, share in use."""
    peak = max(busy.values(), default=0.0)
    day = min((d for d, v in busy.items() if v == peak), default=None) if peak > 0 else None
    share = rounded(peak / available * 100.0, 1) if available and peak > 0 else None
    return (name, available, round(peak), _date_or_day(start, day), share)


def exposed_convoys_block(frames: Mapping[str, pd.DataFrame], start: dt.date | None) -> Block:
    """The convoys most exposed to threat."""
    convoys = frames["Convoys"]
    ranked = convoys.assign(_e=_numbers(convoys, "exposure")).sort_values(
        ["_e", "convoy_id"], ascending=[False, True]
    )
    ranked = ranked[ranked["_e"] > 0]
    rows: list[tuple[object, ...]] = [
        (
            r.convoy_id,
            r.path,
            _date_or_day(start, r.depart_day),
            r.vehicles,
            r.max_threat_level,
            r.exposure,
        )
        for r in ranked.head(TOP_ROWS).itertuples()
    ]
    return Block(
        heading=_("Most exposed convoys"),
        headers=(_("Convoy"), _("Path"), _("Leaves"), _("Vehicles"), _("Threat"), _("Exposure")),
        rows=rows,
        formats=(None, None, _day_format(start), FMT_INTEGER, FMT_INTEGER, FMT_ONE_DECIMAL),
        empty=_("none: no convoy meets a threat"),
        more=_more(len(rows), len(ranked), "Convoys"),
    )


def exposed_routes_block(frames: Mapping[str, pd.DataFrame]) -> Block:
    """The routes where convoys are most exposed to threat."""
    routes = frames["Routes"]
    ranked = routes.assign(_e=_numbers(routes, "exposure")).sort_values(
        ["_e", "route_id"], ascending=[False, True]
    )
    ranked = ranked[ranked["_e"] > 0]
    rows: list[tuple[object, ...]] = [
        (
            r.route_id,
            f"{r.from_base_id} – {r.to_base_id} ({r.mode})",
            r.convoys,
            r.vehicles,
            r.max_threat_level,
            r.exposure,
        )
        for r in ranked.head(TOP_ROWS).itertuples()
    ]
    return Block(
        heading=_("Most exposed routes"),
        headers=(_("Route"), _("Between"), _("Convoys"), _("Vehicles"), _("Threat"), _("Exposure")),
        rows=rows,
        formats=(None, None, FMT_INTEGER, FMT_INTEGER, FMT_INTEGER, FMT_ONE_DECIMAL),
        empty=_("none: no route carries a convoy under threat"),
        more=_more(len(rows), len(ranked), "Routes"),
    )
