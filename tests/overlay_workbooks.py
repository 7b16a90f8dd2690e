"""Workbooks for the what-if tests: a base workbook with a ``Scenarios`` sheet, and overlay workbooks.

Rows are written from row 2 under the header, so the n-th row given lands on Excel row n + 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from logistics.rules.registry import SHEET_BY_NAME

SCENARIO_HEADERS = (
    "scenario",
    "sheet",
    "id",
    "field",
    "value",
    "first_day",
    "last_day",
    "description",
)
"""Columns of a Scenarios sheet, A to H."""

ScenarioRow = Sequence[Any]
"""Values of a Scenarios row in the order of ``SCENARIO_HEADERS`` (trailing blanks may be left out)."""


def _add_scenarios_sheet(workbook: openpyxl.Workbook, rows: Sequence[ScenarioRow]) -> None:
    sheet = workbook.create_sheet("Scenarios")
    sheet.append(list(SCENARIO_HEADERS))
    for row in rows:
        sheet.append(list(row))


def with_scenarios(
    base: Path, rows: Sequence[ScenarioRow], name: str = "with-scenarios.xlsx"
) -> Path:
    """A copy of the base workbook with a Scenarios sheet holding ``rows``."""
    workbook = openpyxl.load_workbook(base)
    _add_scenarios_sheet(workbook, rows)
    path = base.with_name(name)
    workbook.save(path)
    return path


def overlay_workbook(
    path: Path,
    rows: Sequence[ScenarioRow] = (),
    additions: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path:
    """A workbook of its own with a Scenarios sheet (if ``rows``) and sheets of records to add.

    Each added record is a mapping of column to value, ``scenario`` included; the sheet's header is
    ``scenario`` followed by the sheet's columns.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    if rows:
        _add_scenarios_sheet(workbook, rows)
    for sheet_name, records in (additions or {}).items():
        columns = ("scenario", *SHEET_BY_NAME[sheet_name].columns)
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(list(columns))
        for record in records:
            sheet.append([record.get(column) for column in columns])
    workbook.save(path)
    return path
