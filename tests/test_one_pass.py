"""Never valid-but-wrong: the cases a new user ran into, each with the exact cells and messages.

Every workbook is the valid three-base mission (see ``tests/test_bad_inputs.py`` for its layout;
Settings start_date 2024-01-01 in B3, horizon_days 14 in B4) with a few cells changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError, Issue
from logistics.io.reader import load
from logistics.rules.overlay_sources import read_overlays
from tests.overlay_workbooks import overlay_workbook
from tests.test_bad_inputs import add_row, all_of, delete_column, put, rename_sheet

Edit = Callable[[openpyxl.Workbook], None]

UNKNOWN_SHEET = (
    "unknown sheet: a mission workbook holds the sheets Settings, Supplies, Consumption, Bases, "
    "Stocks, Sources, Demands, Routes, RouteSeasons, Vehicles, Fleet, Convoys, Threats, "
    "ThreatLevels, Units, Scenarios (and the template's Instructions, Dictionary, Lists); rename it to one of them, or "
    "start its name with _ to keep it as your own (it is then ignored)"
)
DAYS_1_TO_14 = (
    "a day number from 1 to 14 (horizon_days in Settings), or a date from 2024-01-01 "
    "(start_date, day 1)"
)


def problems(path: Path) -> list[str]:
    """Every issue loading ``path`` reports, as text (the test fails if it loads)."""
    with pytest.raises(InputError) as raised:
        load(path)
    return [str(issue) for issue in raised.value.issues]


def test_a_renamed_optional_sheet_is_refused_with_the_list_of_sheets(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    assert problems(edited_workbook(rename_sheet("Units", "Troops"))) == [
        f"Troops: {UNKNOWN_SHEET}"
    ]


def test_a_sheet_name_close_to_a_contract_sheet_gets_did_you_mean(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    assert problems(edited_workbook(rename_sheet("Units", "Unit"))) == [
        "Unit: this sheet is not read (did you mean Units?): rename it to 'Units' (sheet names "
        "must match exactly), or start its name with _ to keep it as your own (it is then "
        "ignored)"
    ]


@pytest.mark.parametrize("name", ["_Units", "_old routes"])
def test_sheets_marked_as_the_planners_own_are_ignored(
    edited_workbook: Callable[[Edit], Path], name: str
) -> None:
    def copy_of_units(workbook: openpyxl.Workbook) -> None:
        workbook.copy_worksheet(workbook["Units"]).title = name

    loaded = load(edited_workbook(copy_of_units))
    assert len(loaded.scenario.units) == 3


def test_five_mistakes_are_all_reported_in_one_run(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """A typo'd id, ``210 km``, a deleted column, a date before day 1 and a negative stock."""
    path = edited_workbook(
        all_of(
            put("Routes", "C2", "HUBB"),
            put("Routes", "E3", "210 km"),
            delete_column("Fleet", 3),
            put("Threats", "I2", dt.datetime(2023, 12, 25)),
            put("Stocks", "C2", -5),
        )
    )
    assert problems(path) == [
        "Fleet [count]: the required column count is missing from the header row (row 1)",
        "Stocks!C2 [capacity] = -5: expected a number from 0 to 1,000,000,000",
        "Routes!E3 [distance_km] = '210 km': expected a number of km greater than 0 and at "
        "most 20,000",
        f"Threats!I2 [first_day] = 2023-12-25: 2023-12-25 is before start_date 2024-01-01 "
        f"(day 1): expected {DAYS_1_TO_14}",
        "Routes!C2 [to_base_id] = 'HUBB': no base_id 'HUBB' in the Bases sheet (did you mean HUB?)",
    ]


def test_rows_of_a_sheet_with_a_missing_column_are_checked_for_the_others(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """Routes without distance_km (column E): the bad mode in D3, the bad transit time in E4
    (transit_days, moved left) and the unknown base in C5 still show."""
    path = edited_workbook(
        all_of(
            put("Routes", "D3", "rail"),
            put("Routes", "F4", "a day"),
            put("Routes", "C5", "NOWHERE"),
            delete_column("Routes", 5),
        )
    )
    assert problems(path) == [
        "Routes [distance_km]: the required column distance_km is missing from the header row "
        "(row 1)",
        "Routes!D3 [mode] = 'rail': expected one of: road, river, air",
        "Routes!E4 [transit_days] = 'a day': expected a number of days greater than 0 and at most "
        "60",
        "Routes!C5 [to_base_id] = 'NOWHERE': no base_id 'NOWHERE' in the Bases sheet",
    ]


def test_a_missing_sheet_does_not_hide_cell_problems(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    def drop_bases(workbook: openpyxl.Workbook) -> None:
        workbook.remove(workbook["Bases"])

    path = edited_workbook(all_of(drop_bases, put("Routes", "E2", "far")))
    found = problems(path)
    assert found[:2] == [
        "Bases: the required sheet 'Bases' is missing: add it with the headers base_id, name, "
        "kind, sector, latitude_deg, longitude_deg, accommodation_troops, min_garrison_troops, "
        "airfield_class, max_sorties_per_day",
        "Routes!E2 [distance_km] = 'far': expected a number of km greater than 0 and at most "
        "20,000",
    ]


def test_a_date_in_a_day_column_counts_from_start_date(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    path = edited_workbook(
        all_of(
            put("Demands", "D2", dt.datetime(2024, 1, 3)),
            put("Demands", "E2", "2024-01-05"),
        )
    )
    (demand,) = load(path).scenario.demands
    assert (demand.first_day, demand.last_day) == (3, 5)


def test_a_date_without_start_date_is_a_clear_error(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    path = edited_workbook(
        all_of(put("Settings", "B3", None), put("Demands", "D2", dt.datetime(2025, 3, 8)))
    )
    assert problems(path) == [
        "Demands!D2 [first_day] = 2025-03-08: a date here needs start_date in Settings (the date "
        "of day 1) to count days from; or type the day number: expected a day number from 1 to "
        "14 (horizon_days in Settings), or a date once Settings has start_date"
    ]


def test_a_bad_day_shows_the_bounds_of_the_workbook(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    assert problems(edited_workbook(put("Demands", "D2", 0))) == [
        f"Demands!D2 [first_day] = 0: expected {DAYS_1_TO_14}"
    ]


def test_values_are_shown_as_typed_never_as_python_reprs() -> None:
    issue = Issue("Demands", "D2", "first_day", dt.datetime(2025, 3, 8), "…")
    assert issue.shown_value == "2025-03-08"
    assert Issue("Routes", "E2", "distance_km", 210.0, "…").shown_value == "210"
    assert Issue("Routes", "E2", "distance_km", "210 km", "…").shown_value == "'210 km'"
    assert Issue("Routes", "G2", "two_way", True, "…").shown_value == "TRUE"


def test_an_id_in_another_case_gets_did_you_mean(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    found = problems(edited_workbook(put("Routes", "C3", "camp")))
    assert found[0] == (
        "Routes!C3 [to_base_id] = 'camp': no base_id 'camp' in the Bases sheet (did you mean CAMP?)"
    )


def test_commented_out_rows_are_skipped(edited_workbook: Callable[[Edit], Path]) -> None:
    path = edited_workbook(add_row("Bases", ["*FAR", "an example", "camp", "North", 1, 2, 3]))
    assert len(load(path).scenario.bases) == 3


def test_one_problem_of_every_kind_is_reported_in_one_run(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """Sheet, header, cell, row-level, reference and duplicate problems, and a warning, at once."""
    path = edited_workbook(
        all_of(
            rename_sheet("Units", "Troops"),  # unknown sheet
            put("Routes", "M1", "distance"),  # unknown column
            delete_column("Fleet", 3),  # missing column
            put("Routes", "E2", "210 km"),  # wrong type
            put("Stocks", "C2", -5),  # out of bounds
            put("Stocks", "D3", 9999),  # row-level rule (initial stock above capacity)
            put("Demands", "D2", dt.datetime(2023, 12, 1)),  # date before day 1
            put("Routes", "C3", "hub"),  # unknown id, another case
            add_row("Bases", ["PORT", "Again", "port", "South", 12.0, -8.0, 100]),  # duplicate
            put("Sources", "D5", None),  # row without any limit
            put("Threats", "J3", 40),  # warning: day after the horizon
        )
    )
    assert problems(path) == [
        f"Troops: {UNKNOWN_SHEET}",
        "Routes!M1 = 'distance': unknown column (did you mean distance_km?); allowed: route_id, "
        "from_base_id, to_base_id, mode, distance_km, transit_days, two_way, open_from_day, "
        "open_to_day, open, max_convoys_per_day, threat_level, aircraft",
        "Fleet [count]: the required column count is missing from the header row (row 1)",
        "Stocks!C2 [capacity] = -5: expected a number from 0 to 1,000,000,000",
        "Stocks!D3 [initial_stock] = 9999: initial_stock must not exceed capacity",
        "Sources!C5 [quantity_per_day] = blank: give quantity_per_day or total_quantity (or both)",
        f"Demands!D2 [first_day] = 2023-12-01: 2023-12-01 is before start_date 2024-01-01 "
        f"(day 1): expected {DAYS_1_TO_14}",
        "Routes!E2 [distance_km] = '210 km': expected a number of km greater than 0 and at most "
        "20,000",
        "Bases!A5 [base_id] = 'PORT': duplicate: base_id PORT is already used at Bases!A2",
        "Routes!C3 [to_base_id] = 'hub': no base_id 'hub' in the Bases sheet (did you mean HUB?)",
        "warning: Threats!J3 [last_day] = 40: day 40 is after the last planned day (14, "
        "horizon_days in Settings): the days after 14 are not planned",
    ]


def test_a_date_in_a_what_if_day_range_counts_from_the_base_start_date(
    good_workbook: Path, tmp_path: Path
) -> None:
    row = ("a", "Routes", "R1", "open", "no", dt.datetime(2024, 1, 5), "2024-01-08")
    overlays = read_overlays(load(good_workbook), overlay_workbook(tmp_path / "w.xlsx", [row]))
    (change,) = overlays["a"].changes
    assert (change.first_day, change.last_day) == (5, 8)


def test_a_misspelt_scenarios_sheet_gets_did_you_mean(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    def add_scenario_sheet(workbook: openpyxl.Workbook) -> None:
        workbook.create_sheet("Scenario").append(["scenario", "sheet", "id", "field", "value"])

    assert problems(edited_workbook(add_scenario_sheet)) == [
        "Scenario: this sheet is not read (did you mean Scenarios?): rename it to 'Scenarios' "
        "(sheet names must match exactly), or start its name with _ to keep it as your own (it "
        "is then ignored)"
    ]
