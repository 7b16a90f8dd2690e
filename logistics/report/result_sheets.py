"""The plan workbook's result sheets (number formats and flags, the columns printed first, what an
empty sheet says) and the ``In_<Sheet>`` echo of the inputs exactly as solved, generated from
``registry.SHEETS``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, DataBarRule, FormulaRule

from logistics.i18n import (
    N_,
    _,
    column_name,
    column_names,
    sheet_name,
)
from logistics.io.xlsx import (
    add_sheet,
    write_cell,
    write_table,
)
from logistics.report.formats import (
    AMBER_FILL,
    COLUMN_FORMATS,
    NOTE_FONT,
    RED_FILL,
    RED_FONT,
    input_value,
)
from logistics.report.printing import (
    set_print_area,
    wrap_long_text,
)
from logistics.report.tables import DATE_COLUMNS
from logistics.rules import registry
from logistics.rules.schemas import Scenario


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
    "Changes": N_("none: the re-plan keeps the published plan"),
}
"""What an empty result sheet says under its header row."""


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


def write_result_sheet(ws: Any, name: str, frame: pd.DataFrame) -> None:
    """Write one result sheet as a table, its printed columns first, and add the conditional
    formats that help reading it."""
    frame, printed = printed_first(name, frame)
    table = write_table(ws, frame, name, _formats_for(frame), headers=column_names(frame.columns))
    wrap_long_text(ws, table, frame, printed)
    if table.n_rows == 0:
        note = write_cell(ws, table.last_row + 2, 1, _(EMPTY_SHEET_NOTES.get(name, N_("none"))))
        note.font = NOTE_FONT
        set_print_area(ws, table.last_row + 2, printed)
        return
    set_print_area(ws, table.last_row, printed)
    rules = ws.conditional_formatting
    for column in _FLAG_POSITIVE.get(name, ()):
        red = CellIsRule(operator="greaterThan", formula=["0"], fill=RED_FILL, font=RED_FONT)
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
            formula=[f"AND(ISNUMBER({target}),{closing}<{target})"], fill=AMBER_FILL
        )
        rules.add(table.data_range("days_of_supply"), below)


# --------------------------------------------------------------------------------------------------
# Inputs echo
# --------------------------------------------------------------------------------------------------


def scenario_sheet_frame(spec: registry.SheetSpec, scenario: Scenario) -> pd.DataFrame:
    """The rows of one input sheet exactly as held in ``scenario``, with the sheet's headers.

    ``Settings`` (a key/value sheet) lists every setting with its value, defaults included, each
    key named in the names language (as the reader reads it back).
    """
    rows: list[tuple[object, ...]]
    if spec.layout == "key_value":
        settings = getattr(scenario, spec.attribute)
        rows = [
            (column_name(key), input_value(getattr(settings, key)))
            for key in spec.model.model_fields
        ]
    else:
        records = getattr(scenario, spec.attribute)
        rows = [tuple(input_value(getattr(r, c)) for c in spec.columns) for r in records]
    return pd.DataFrame(rows, columns=list(spec.columns), dtype=object)


def add_input_sheets(wb: Any, scenario: Scenario, prefix: str = registry.INPUT_ECHO_PREFIX) -> None:
    """Append one sheet per ``registry.SHEETS`` entry, named ``prefix + sheet``, with its rows:
    sheets and headers named in the names language, as the reader reads them back (its table
    keeps the English name, since a table name is plain ASCII)."""
    for spec in registry.SHEETS:
        ws = add_sheet(wb, f"{prefix}{sheet_name(spec.name)}")
        frame = scenario_sheet_frame(spec, scenario)
        write_table(ws, frame, f"{prefix}{spec.name}", headers=column_names(frame.columns))
