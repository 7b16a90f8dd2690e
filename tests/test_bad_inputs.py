"""Bad workbooks, each made by changing cells of the valid three-base mission.

Every case states the exact cell the planner must fix and the words the message must contain, so a
message that points at the wrong cell or loses its meaning fails the test.

Layout of the valid workbook (header in row 1, data from row 2, columns in registry order):
Routes R1..R4 in rows 2..5 (E = distance_km, C = to_base_id), Bases PORT, HUB, CAMP in rows 2..4,
Units U1..U3 in rows 2..4 (F = current_base_id, H = allowed_sectors), Settings keys in rows 2..13.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError, Issue
from logistics.io.reader import load
from logistics.rules.schemas import Settings

Edit = Callable[[openpyxl.Workbook], None]

NEXT_SETTINGS_ROW = len(Settings.model_fields) + 2
"""The row a key added to the test workbook's Settings sheet lands on (one row per key)."""


def put(sheet: str, reference: str, value: object) -> Edit:
    """An edit that writes ``value`` into one cell."""

    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[sheet][reference] = value

    return edit


def add_row(sheet: str, values: list[object]) -> Edit:
    """An edit that appends a row below the data."""

    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[sheet].append(values)

    return edit


def all_of(*edits: Edit) -> Edit:
    """Several edits in order."""

    def edit(workbook: openpyxl.Workbook) -> None:
        for step in edits:
            step(workbook)

    return edit


def remove_sheet(name: str) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook.remove(workbook[name])

    return edit


def rename_sheet(name: str, new_name: str) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[name].title = new_name

    return edit


def delete_column(sheet: str, index: int) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[sheet].delete_cols(index)

    return edit


def delete_rows(sheet: str, first: int, count: int) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[sheet].delete_rows(first, count)

    return edit


@dataclass(frozen=True)
class Case:
    """A broken workbook: how to break it, where the issue must be, what it must say."""

    edit: Edit
    location: str
    words: tuple[str, ...]


CASES: dict[str, Case] = {
    "text in distance_km": Case(
        put("Routes", "E2", "far"),
        "Routes!E2",
        ("[distance_km]", "'far'", "expected a number of km greater than 0"),
    ),
    "negative capacity": Case(put("Stocks", "C2", -5), "Stocks!C2", ("[capacity]", "-5", "from 0")),
    "unknown mode": Case(
        put("Routes", "D2", "rail"), "Routes!D2", ("'rail'", "expected one of: road, river, air")
    ),
    "duplicate base id": Case(
        add_row("Bases", ["PORT", "Second port", "port", "South", 12.0, -8.0, 100]),
        "Bases!A5",
        ("duplicate", "base_id PORT", "Bases!A2"),
    ),
    "route to unknown base": Case(
        put("Routes", "C2", "NOWHERE"), "Routes!C2", ("no base_id 'NOWHERE' in the Bases sheet",)
    ),
    "route from a base to itself": Case(
        put("Routes", "C2", "PORT"), "Routes!C2", ("starts and ends at PORT",)
    ),
    "missing required sheet": Case(
        remove_sheet("Bases"), "Bases", ("required sheet 'Bases' is missing", "base_id")
    ),
    "renamed header": Case(
        put("Routes", "E1", "distance"),
        "Routes!E1",
        ("unknown column", "did you mean distance_km", "allowed:"),
    ),
    "missing required column": Case(
        delete_column("Routes", 5),
        "Routes",
        ("[distance_km]", "required column distance_km is missing"),
    ),
    "unknown settings key": Case(
        add_row("Settings", ["horizon", 10]),
        f"Settings!A{NEXT_SETTINGS_ROW}",
        ("unknown setting", "did you mean horizon_days"),
    ),
    "formula without saved value": Case(
        put("Routes", "E2", "=300*2"), "Routes!E2", ("'=300*2'", "formula with no saved value")
    ),
    "via-bases not a path": Case(
        put("Convoys", "D2", "CAMP"),
        "Convoys!D2",
        ("PORT > CAMP > CAMP", "not a chain of road routes"),
    ),
    "unit outside its caveat sectors": Case(
        put("Units", "H3", "South"),
        "Units!F3",
        ("HUB is in sector Centre", "outside the sectors", "South"),
    ),
    "whole number given as 3.5": Case(
        put("Fleet", "C2", 3.5), "Fleet!C2", ("3.5", "expected a whole number from 0")
    ),
    "whole number given as text 3.5": Case(
        put("Fleet", "C2", "3.5"), "Fleet!C2", ("'3.5'", "whole number")
    ),
    "initial stock above capacity": Case(
        put("Stocks", "D2", 9999),
        "Stocks!D2",
        ("[initial_stock]", "initial_stock must not exceed capacity"),
    ),
    "consumption of an undeclared supply": Case(
        put("Consumption", "A2", "SOAP"),
        "Consumption!A2",
        ("no supply_id 'SOAP' in the Supplies sheet",),
    ),
    "blank required value": Case(
        put("Bases", "D2", None), "Bases!D2", ("[sector]", "= blank", "a value is required here")
    ),
    "not yes or no": Case(
        put("Routes", "G2", "maybe"), "Routes!G2", ("'maybe'", "expected yes or no")
    ),
    "duplicate base and supply in Stocks": Case(
        add_row("Stocks", ["PORT", "RATIONS", 10]),
        "Stocks!A8",
        ("duplicate", "base_id PORT, supply_id RATIONS"),
    ),
    "unknown vehicle type in Fleet": Case(
        put("Fleet", "B2", "TRUK"), "Fleet!B2", ("no vehicle_type_id 'TRUK'", "did you mean TRUCK")
    ),
    "convoy line without vehicles of its mode": Case(
        put("Fleet", "C6", 0), "Convoys!B3", ("no air vehicles are based at HUB",)
    ),
    "unit at a base without accommodation": Case(
        put("Bases", "G2", 0), "Units!F4", ("PORT has no accommodation",)
    ),
    "demand no route can reach": Case(
        add_row("Bases", ["FAR", "Far outpost", "team_site", "North", 20.0, 1.0, 50, 20]),
        "Bases!H5",
        ("RATIONS is needed at FAR", "no route links it to a base with a RATIONS source"),
    ),
    "caveat naming an unknown sector": Case(
        put("Units", "H2", "Mars"), "Units!H2", ("no base is in sector Mars",)
    ),
    "required sheet without rows": Case(
        delete_rows("Supplies", 2, 3), "Supplies", ("no rows", "supply_id")
    ),
    "misspelt sheet name": Case(
        rename_sheet("Routes", "Route"), "Route", ("rename it to 'Routes'",)
    ),
    "Excel error value": Case(
        put("Routes", "E2", "#DIV/0!"), "Routes!E2", ("Excel error #DIV/0!",)
    ),
    "date that is not a date": Case(
        put("Settings", "B3", "yesterday"), "Settings!B3", ("[start_date]", "a date")
    ),
    "horizon out of range": Case(
        put("Settings", "B4", 1000),
        "Settings!B4",
        ("[horizon_days]", "a whole number of days from 1 to 366"),
    ),
    "column given twice": Case(
        put("Routes", "L1", "mode"), "Routes!L1", ("column mode appears twice",)
    ),
    "threat with two targets": Case(
        put("Threats", "E2", "CAMP"),
        "Threats!D2",
        ("give exactly one of route_id, base_id or an area",),
    ),
    "source without any limit": Case(
        put("Sources", "D5", None), "Sources!C5", ("give quantity_per_day or total_quantity",)
    ),
    "id with a space": Case(
        put("Vehicles", "A2", "BIG TRUCK"), "Vehicles!A2", ("an id of letters, digits",)
    ),
    "value without a settings key": Case(
        add_row("Settings", [None, 5]),
        f"Settings!A{NEXT_SETTINGS_ROW}",
        ("a value without a key",),
    ),
}


def issues_of(path: Path) -> tuple[Issue, ...]:
    """The issues loading ``path`` reports (the test fails if it loads)."""
    with pytest.raises(InputError) as raised:
        load(path)
    return raised.value.issues


@pytest.mark.parametrize("name", list(CASES))
def test_bad_workbook_is_reported_at_the_cell(
    name: str, edited_workbook: Callable[[Edit], Path]
) -> None:
    case = CASES[name]
    issues = issues_of(edited_workbook(case.edit))
    at_cell = [issue for issue in issues if issue.location == case.location]
    assert at_cell, f"nothing reported at {case.location}: {[str(i) for i in issues]}"
    assert any(all(word in str(issue) for word in case.words) for issue in at_cell), [
        str(i) for i in at_cell
    ]


def test_several_errors_are_all_reported(edited_workbook: Callable[[Edit], Path]) -> None:
    """Text in a distance, a duplicate base id and a route to an unknown base, in one workbook."""
    path = edited_workbook(
        all_of(
            put("Routes", "E2", "far"),
            add_row("Bases", ["HUB", "Second hub", "hub", "Centre", 14.0, -4.0, 100]),
            put("Routes", "C3", "NOWHERE"),
        )
    )
    locations = {issue.location for issue in issues_of(path)}
    assert {"Routes!E2", "Bases!A5", "Routes!C3"} <= locations


def test_references_to_unreadable_rows_are_not_called_unknown(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """A base row with a bad latitude is reported once, not again at every route that names it."""
    issues = issues_of(edited_workbook(put("Bases", "E3", "north")))
    assert [issue.location for issue in issues] == ["Bases!E3"]


def test_message_names_sheet_cell_header_value_and_expectation(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    (issue,) = issues_of(edited_workbook(put("Routes", "E2", "far")))
    assert (
        str(issue)
        == "Routes!E2 [distance_km] = 'far': expected a number of km greater than 0 and at most 20,000"
    )
