"""The published plan as its plan workbook tells it: the convoys, their vehicles and cargo, the
units' bases, the stock and the shortfalls, read back from the result sheets (in the plan's
language) for a re-plan (``logistics.replan``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from logistics.errors import InputError, Issue
from logistics.i18n import LANGUAGES, _, column_name, fold, sheet_name
from logistics.io.security import WorkbookFile, open_workbook, reading
from logistics.rules.actuals import PublishedConvoy

PATH_SEPARATOR = " > "
"""How the Convoys sheet joins the bases of a path."""

_SHEETS: dict[str, tuple[str, ...]] = {
    "Convoys": (
        "convoy_id",
        "line_id",
        "origin_id",
        "path",
        "depart_day",
        "return_day",
        "escort_troops",
        "escort_base_id",
    ),
    "ConvoyVehicles": ("convoy_id", "vehicle_type_id", "count"),
    "Cargo": ("convoy_id", "base_id", "arrival_day", "supply_id", "quantity"),
    "Allocation": ("unit_id", "from_base_id", "to_base_id", "move_day"),
    "Stock": ("base_id", "supply_id", "day", "opening"),
    "Shortfalls": ("base_id", "supply_id", "day", "quantity"),
}
"""The result sheets a re-plan reads and the columns it needs of each."""


@dataclass(frozen=True)
class Drop:
    """Cargo a published convoy unloads at a base on a day."""

    convoy_id: str
    base_id: str
    arrival_day: int
    supply_id: str
    quantity: float


@dataclass(frozen=True)
class PublishedPlan:
    """What the published plan decided, in its own day numbers."""

    convoys: Mapping[str, PublishedConvoy]
    vehicles: Mapping[str, Mapping[str, int]]
    """Vehicles of each type in each convoy."""
    drops: tuple[Drop, ...]
    allocation: Mapping[str, tuple[str, str, int | None]]
    """Each unit's (from base, to base, move day or None when it stays)."""
    opening: Mapping[tuple[str, str, int], float]
    """Opening stock of each stock point and day."""
    shortfall: Mapping[tuple[str, str, int], float] = field(default_factory=dict)
    """Shortfall of each stock point and day."""


def read_published_plan(source: WorkbookFile) -> PublishedPlan:
    """The decisions of the plan workbook ``source`` (already checked, from its bytes)."""
    with reading(source.path), open_workbook(source, data_only=True) as workbook:
        tables = {
            name: _table(workbook, source, name, columns) for name, columns in _SHEETS.items()
        }
    convoys = {
        str(r["convoy_id"]): PublishedConvoy(
            convoy_id=str(r["convoy_id"]),
            line_id=str(r["line_id"]),
            origin_id=str(r["origin_id"]),
            path=tuple(str(r["path"]).split(PATH_SEPARATOR)),
            depart_day=int(r["depart_day"]),
            return_day=int(r["return_day"]),
            escort_troops=int(r["escort_troops"] or 0),
            escort_base_id=str(r["escort_base_id"] or r["origin_id"]),
        )
        for r in tables["Convoys"]
    }
    vehicles: dict[str, dict[str, int]] = defaultdict(dict)
    for r in tables["ConvoyVehicles"]:
        vehicles[str(r["convoy_id"])][str(r["vehicle_type_id"])] = int(r["count"])
    drops = tuple(
        Drop(
            str(r["convoy_id"]),
            str(r["base_id"]),
            int(r["arrival_day"]),
            str(r["supply_id"]),
            float(r["quantity"]),
        )
        for r in tables["Cargo"]
    )
    allocation = {
        str(r["unit_id"]): (
            str(r["from_base_id"]),
            str(r["to_base_id"]),
            None if r["move_day"] is None else int(r["move_day"]),
        )
        for r in tables["Allocation"]
    }
    return PublishedPlan(
        convoys=convoys,
        vehicles=dict(vehicles),
        drops=drops,
        allocation=allocation,
        opening=_by_point_day(tables["Stock"], "opening"),
        shortfall=_by_point_day(tables["Shortfalls"], "quantity"),
    )


def _by_point_day(rows: list[dict[str, Any]], column: str) -> dict[tuple[str, str, int], float]:
    totals: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in rows:
        totals[str(r["base_id"]), str(r["supply_id"]), int(r["day"])] += float(r[column] or 0.0)
    return dict(totals)


def _table(
    workbook: Any, source: WorkbookFile, name: str, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The rows of a result sheet (named in any of the plan languages) as dicts of ``columns``,
    down to the first empty row (an empty sheet's "none" note comes after one)."""
    for language in LANGUAGES:
        title = sheet_name(name, language)
        if title not in workbook.sheetnames:
            continue
        rows = workbook[title].iter_rows(values_only=True)
        header = [fold(str(text or "")) for text in next(rows, ())]
        wanted = {column: fold(column_name(column, language)) for column in columns}
        if not all(folded in header for folded in wanted.values()):
            continue  # a sheet named alike in both languages (Stock): try the other
        at = {column: header.index(folded) for column, folded in wanted.items()}
        return [
            {column: values[i] for column, i in at.items()}
            for values in _filled(rows, at[columns[0]])
        ]
    message = _(
        "this is not a plan workbook written by logistics solve: its {sheet} sheet or its "
        "columns {columns} are missing"
    ).format(sheet=name, columns=", ".join(columns))
    raise InputError([Issue(source.path.name, None, None, None, message)])


def _filled(rows: Iterator[tuple[Any, ...]], key: int) -> Iterator[tuple[Any, ...]]:
    """The rows down to the first whose ``key`` cell is empty."""
    return itertools.takewhile(lambda values: values[key] is not None, rows)
