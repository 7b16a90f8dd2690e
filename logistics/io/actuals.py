"""Read the actuals workbook (``logistics.rules.actuals``) like any input workbook: every problem
at its cell, all at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from logistics.errors import Issue, raise_if_any
from logistics.i18n import _
from logistics.io.cells import ReadContext, ReadRow, build_row
from logistics.io.sheets import read_sheets
from logistics.rules.actuals import (
    ACTUALS_SHEETS,
    Actuals,
    Located,
    PublishedConvoy,
    actuals_issues,
)
from logistics.rules.locations import CellLocation
from logistics.rules.registry import SheetSpec
from logistics.rules.schemas import Scenario

_ATTRIBUTE = {
    "StockOnHand": "stocks",
    "ConvoyReports": "convoys",
    "CargoLoaded": "cargo",
    "UnitPositions": "units",
    "VehiclesOut": "vehicles_out",
    "Threats": "threats",
    "Closures": "closures",
}


def read_actuals(path: Path, scenario: Scenario, convoys: Mapping[str, PublishedConvoy]) -> Actuals:
    """Read the actuals workbook at ``path`` and check it against the published plan (its
    inputs ``scenario`` and its ``convoys``); raise ``InputError`` with every problem: those of
    the rows that cannot be read, and those of the rows that can against the plan."""
    names, tables = read_sheets(path, [(spec, ()) for spec in ACTUALS_SHEETS])
    context = ReadContext.of(scenario.settings)
    issues: list[Issue] = []
    read = {
        spec.name: _rows(spec, tables.get(spec.name, []), context, issues)
        for spec in ACTUALS_SHEETS
    }
    reports = read.pop("Report")
    if "Report" not in names:
        message = _("the actuals need a Report sheet with the report_day")
        issues.append(Issue(path.name, None, None, None, message))
    elif len(reports) != 1 and not issues:
        message = _("give the report_day on one row (found {count})").format(count=len(reports))
        issues.append(Issue("Report", None, "report_day", None, message))
    if len(reports) != 1:
        raise_if_any(issues)
    actuals = Actuals(
        path.name, reports[0], **{_ATTRIBUTE[name]: tuple(rows) for name, rows in read.items()}
    )
    raise_if_any([*issues, *actuals_issues(actuals, scenario, convoys)])
    return actuals


def _rows(
    spec: SheetSpec, rows: Sequence[ReadRow], context: ReadContext, issues: list[Issue]
) -> list[Located[Any]]:
    """The rows of one sheet that could be read; the problems of the others go to ``issues``;
    a key given twice is a problem at its second row."""
    found: list[Located[Any]] = []
    seen: dict[tuple[Any, ...], CellLocation] = {}
    for row in rows:
        built = build_row(spec.model, spec.name, row, context)
        if isinstance(built, list):
            issues.extend(built)
            continue
        cells = {name: cell.location(spec.name) for name, cell in row.cells.items()}
        key = spec.key_of(built)
        if key in seen:
            earlier = seen[key]
            message = _("duplicate: {key} is already used at {cell}").format(
                key=spec.record_id(built), cell=f"{earlier.sheet}!{earlier.cell}"
            )
            issues.append(cells[spec.key[0]].issue(key[0], message))
            continue
        seen[key] = cells[spec.key[0]]
        found.append(Located(built, cells))
    return found
