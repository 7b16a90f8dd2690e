"""Number formats, cell styles and value notation shared by the plan workbook's sheets: the format
and decimals of every numeric result column, the fills and fonts of flagged cells and notes, and
how an input value is written.
"""

from __future__ import annotations

from enum import Enum

from openpyxl.styles import Alignment, Font, PatternFill

from logistics.io.xlsx import (
    FMT_DAYS,
    FMT_INTEGER,
    FMT_ONE_DECIMAL,
    FMT_USD,
    FONT_NAME,
)
from logistics.report.numbers import (
    MONEY_DECIMALS,
    QUANTITY_DECIMALS,
)
from logistics.rules.fields import display_value

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

RED_FILL = PatternFill(start_color="FFF4CCCC", end_color="FFF4CCCC", fill_type="solid")
AMBER_FILL = PatternFill(start_color="FFFFE699", end_color="FFFFE699", fill_type="solid")
RED_FONT = Font(color="FF9C0006", bold=True)
"""For conditional formats (which must not change the font's name or size)."""


WRAP = Alignment(wrap_text=True, vertical="top")


NOTE_FONT = Font(name=FONT_NAME, italic=True, color="FF595959")


def input_value(value: object) -> object:
    """An input value as the template writes it: numbers and dates as they are, flags, enums and
    id lists in the planner's notation (``yes``/``no``, enum values, ``A; B``)."""
    if isinstance(value, bool | Enum | tuple):
        return display_value(value)
    return value
