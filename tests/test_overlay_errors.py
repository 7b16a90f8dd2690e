"""Bad what-if overlays are reported at the exact cell, in the planner's words, all at once.

The base is the three-base test mission (horizon 14 days). Scenarios rows start at Excel row 2;
columns are A scenario, B sheet, C id, D field, E value, F first_day, G last_day, H description.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError
from logistics.io.reader import load
from logistics.rules.overlay_sources import parse_shortcut, read_overlays, shortcut_overlay
from logistics.rules.overlays import Overlay, apply_overlay, select_overlays
from tests.overlay_workbooks import ScenarioRow, overlay_workbook, with_scenarios

DAY_VARYING = (
    "Routes.open, Routes.threat_level, Routes.max_convoys_per_day, Bases.min_garrison_troops, "
    "Threats.level, Stocks.fixed_demand_per_day, Demands.quantity_per_day, Sources.quantity_per_day"
)


def _problems(good_workbook: Path, rows: list[ScenarioRow]) -> list[str]:
    """Every issue reading the overlays of a Scenarios sheet raises, as rendered."""
    base = load(with_scenarios(good_workbook, rows))
    with pytest.raises(InputError) as raised:
        read_overlays(base, None)
    return [str(issue) for issue in raised.value.issues]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            ("a", "Routes", "R1", "distance_km", "lots"),
            "Scenarios!E2 [value] = 'lots': expected a number of km greater than 0 and at most 20,000",
        ),
        (
            ("a", "Route", "R1", "distance_km", 5),
            "Scenarios!B2 [sheet] = 'Route': unknown sheet (did you mean Routes?); allowed: "
            "Settings, Supplies, Consumption, Bases, Stocks, Sources, Demands, Routes, "
            "RouteSeasons, Vehicles, Fleet, Convoys, Threats, ThreatLevels, Units",
        ),
        (
            ("a", "Routes", "R7", "distance_km", 5),
            "Scenarios!C2 [id] = 'R7': no route_id 'R7' in the Routes sheet",
        ),
        (
            ("a", "Stocks", "HUB/OIL", "capacity", 5),
            "Scenarios!C2 [id] = 'HUB/OIL': no base_id/supply_id 'HUB/OIL' in the Stocks sheet "
            "(did you mean HUB/FUEL?)",
        ),
        (
            ("a", "Routes", "R1", "distnce_km", 5),
            "Scenarios!D2 [field] = 'distnce_km': unknown column (did you mean distance_km?); "
            "allowed: route_id, from_base_id, to_base_id, mode, distance_km, transit_days, two_way, "
            "open_from_day, open_to_day, open, max_convoys_per_day, threat_level, aircraft, *",
        ),
        (
            ("a", "Routes", "R2", "open", "no", 9, 4),
            "Scenarios!G2 [last_day] = 4: last_day must not be before first_day (9)",
        ),
        (
            ("a", "Routes", "R2", "open", "no", 9, 15),
            "Scenarios!G2 [last_day] = 15: day 15 is after the last planned day (14, horizon_days in Settings)",
        ),
        (
            ("a", "Routes", "R1", "distance_km", 700, 3, 5),
            f"Scenarios!F2 [first_day] = 3: Routes.distance_km cannot vary by day; fields that can: {DAY_VARYING}",
        ),
        (
            ("a", "Settings", "horizon_days", "value", 7, None, 5),
            f"Scenarios!G2 [last_day] = 5: Settings.horizon_days cannot vary by day; fields that can: {DAY_VARYING}",
        ),
        (
            ("Base", "Routes", "R1", "distance_km", 700),
            "Scenarios!A2 [scenario] = 'Base': 'base' is the base case (the workbook as it is): "
            "give the scenario another name",
        ),
        (
            ("a/b", "Routes", "R1", "distance_km", 700),
            "Scenarios!A2 [scenario] = 'a/b': a scenario name is 1 to 31 letters, digits, spaces, "
            "'_', '-' or '.', starting with a letter or digit (it names output files and sheets)",
        ),
        (
            ("a", "Units", "U1", "*", "delete"),
            "Scenarios!E2 [value] = 'delete': with field * the value must be remove (to remove the record)",
        ),
        (
            ("a", "Units", "U1", "*", "remove", 2, 3),
            "Scenarios!F2 [first_day] = 2: a record is removed for the whole horizon: clear "
            "first_day and last_day (to close a route on some days, set its field open to no for "
            "those days)",
        ),
        (
            ("a", "Routes", "R1", "route_id", "R9"),
            "Scenarios!D2 [field] = 'route_id': an id column (route_id) cannot be changed: remove "
            "the record and add one with the new id in an overlay workbook",
        ),
        (
            ("a", "Settings", "horizon", "value", 20),
            "Scenarios!C2 [id] = 'horizon': unknown setting (did you mean horizon_days?); allowed: "
            "scenario_name, start_date, horizon_days, route_closure_threat_level, "
            "weight_shortfall, "
            "weight_garrison, weight_safety_stock, weight_end_stock, weight_exposure, weight_cost, weight_stability, "
            "relocation_cost_usd_per_troop_km, objective, end_stock, rationing, "
            "unit_move_speed_km_per_day, troops_per_move_vehicle, time_limit_s, mip_gap_pct, language, classification",
        ),
        (
            ("a", "Settings", "horizon_days", "days", 20),
            "Scenarios!D2 [field] = 'days': for Settings the id is the setting's key and the field is value",
        ),
        (
            ("a", "Stocks", "HUB/FUEL", "capacity", 50),
            "Scenarios!E2 [value] = 50: initial_stock must not exceed capacity",
        ),
        (
            ("a", "Routes", "R1", "threat_level", 6, 2, 3),
            "Scenarios!E2 [value] = 6: expected a whole number from 1 to 5",
        ),
        (
            ("a", "Routes", "R1", "distance_km", 650, "soon"),
            "Scenarios!F2 [first_day] = 'soon': expected a day number from 1 to 14 (horizon_days "
            "in Settings), or a date from 2024-01-01 (start_date, day 1)",
        ),
    ],
)
def test_a_bad_row_is_reported_at_its_cell(
    good_workbook: Path, row: ScenarioRow, problem: str
) -> None:
    assert _problems(good_workbook, [row]) == [problem]


def test_removing_a_record_others_refer_to_is_reported_at_the_removal(
    good_workbook: Path,
) -> None:
    """The references are reported once, at the removal, not at each referring cell."""
    problems = _problems(good_workbook, [("lean", "Vehicles", "HELO", "*", "remove")])
    assert problems == [
        "Scenarios!C2 [id] = 'HELO': removing Vehicles HELO leaves records that refer to it: "
        "Fleet PORT/HELO (vehicle_type_id), Fleet HUB/HELO (vehicle_type_id); remove or change "
        "them in this scenario too",
        "Convoys!B3 [origin_base_id] = 'HUB': no air vehicles are based at HUB (Fleet sheet), "
        "so this convoy line can never run",
    ]


def test_a_field_set_twice_and_a_change_to_a_removed_record(good_workbook: Path) -> None:
    rows: list[ScenarioRow] = [
        ("a", "Routes", "R1", "transit_days", 3),
        ("a", "Routes", "R1", "transit_days", 4),
        ("a", "Units", "U1", "*", "remove"),
        ("a", "Units", "U1", "strength", 300),
    ]
    assert _problems(good_workbook, rows) == [
        "Scenarios!D5 [field] = 'strength': the record is removed (Scenarios!D4): drop this "
        "change or the removal",
        "Scenarios!D3 [field] = 'transit_days': transit_days of Routes R1 is already set "
        "(Scenarios!E2); keep one",
    ]


def test_every_scenario_is_checked_and_every_problem_reported(good_workbook: Path) -> None:
    rows: list[ScenarioRow] = [
        ("a", "Routes", "R1", "distance_km", -1),
        ("b", "Routes", "R2", "open", "maybe"),
        ("c", "Routes", "R2", "open", "no"),
    ]
    assert _problems(good_workbook, rows) == [
        "Scenarios!E2 [value] = -1: expected a number of km greater than 0 and at most 20,000",
        "Scenarios!E3 [value] = 'maybe': expected yes or no",
    ]


def test_bad_additions_point_at_the_overlay_workbook(good_workbook: Path, tmp_path: Path) -> None:
    additions = {
        "Demands": [
            {"scenario": "surge", "demand_id": "D2", "base_id": "CAMPX", "supply_id": "WATER"}
            | {"quantity_per_day": 5},
            {"scenario": "surge", "demand_id": "D3", "base_id": "CAMP", "supply_id": "WATER"}
            | {"quantity_per_day": "x"},
            {"scenario": "surge", "demand_id": "D1", "base_id": "CAMP", "supply_id": "WATER"}
            | {"quantity_per_day": 1},
        ]
    }
    path = overlay_workbook(tmp_path / "what-if.xlsx", additions=additions)
    with pytest.raises(InputError) as raised:
        read_overlays(load(good_workbook), path)
    assert [str(issue) for issue in raised.value.issues] == [
        "[what-if.xlsx]Demands!G3 [quantity_per_day] = 'x': expected a number per day from 0 to 10,000,000",
        "[what-if.xlsx]Demands!B4 [demand_id] = 'D1': duplicate: demand_id D1 is already used at Demands!A2",
        "[what-if.xlsx]Demands!C2 [base_id] = 'CAMPX': no base_id 'CAMPX' in the Bases sheet (did you mean CAMP?)",
    ]


def test_an_unnamed_addition_needs_a_scenario_in_its_workbook(
    good_workbook: Path, tmp_path: Path
) -> None:
    added = {"scenario": None, "demand_id": "D2", "base_id": "CAMP", "supply_id": "WATER"}
    path = overlay_workbook(
        tmp_path / "w.xlsx", additions={"Demands": [added | {"quantity_per_day": 5}]}
    )
    with pytest.raises(InputError) as raised:
        read_overlays(load(good_workbook), path)
    assert [str(issue) for issue in raised.value.issues] == [
        "[w.xlsx]Demands!A2 [scenario] = blank: name the scenario that adds this record: no scenario is named in this workbook"
    ]


def test_an_overlay_workbook_without_settings_headers_or_content(
    good_workbook: Path, tmp_path: Path
) -> None:
    path = overlay_workbook(tmp_path / "w.xlsx", additions={"Settings": []})
    with pytest.raises(InputError) as raised:
        read_overlays(load(good_workbook), path)
    assert [str(issue) for issue in raised.value.issues] == [
        "[w.xlsx]Settings: settings are changed in the Scenarios sheet: sheet Settings, id the "
        "setting's key, field value",
        "w.xlsx: the workbook holds no Scenarios sheet and no sheet of records to add (Supplies, "
        "Consumption, Bases, Stocks, Sources, Demands, Routes, RouteSeasons, Vehicles, Fleet, "
        "Convoys, Threats, ThreatLevels, Units)",
    ]


def test_an_added_sheet_needs_its_scenario_column(good_workbook: Path, tmp_path: Path) -> None:
    path = overlay_workbook(tmp_path / "w.xlsx", [("a", "Routes", "R1", "distance_km", 650)])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet("Units")
    sheet.append(["unit_id", "country", "unit_type", "strength", "current_base_id"])
    workbook.save(path)
    with pytest.raises(InputError) as raised:
        read_overlays(load(good_workbook), path)
    assert [str(issue) for issue in raised.value.issues] == [
        "[w.xlsx]Units [scenario]: the required column scenario is missing from the header row (row 1)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "close-route",
        "close-route R1:5-x",
        "threat R1",
        "threat R1=",
        "set Routes.R1=5",
        "fly R1",
        "",
    ],
)
def test_a_malformed_shortcut_is_reported_on_the_command_line(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_shortcut(text)
    assert [str(issue) for issue in raised.value.issues] == [
        f"command line = {text!r}: expected one of: close-route ROUTE[:FIRST-LAST]; "
        "threat ROUTE=LEVEL[:FIRST-LAST]; remove-unit UNIT; set SHEET.ID.FIELD=VALUE[:FIRST-LAST]"
    ]


def test_shortcut_problems_are_reported_on_the_command_line(good_workbook: Path) -> None:
    overlay = shortcut_overlay("storm", ["close-route R9:3-4", "threat R1=7", "threat R2=5:0-3"])
    with pytest.raises(InputError) as raised:
        apply_overlay(load(good_workbook), overlay)
    assert [str(issue) for issue in raised.value.issues] == [
        "command line [close-route] = 'R9': no route_id 'R9' in the Routes sheet",
        "command line [threat] = 0: days are numbered from 1",
        "command line [threat] = '7': expected a whole number from 1 to 5",
    ]


def test_a_bad_scenario_name_on_the_command_line() -> None:
    with pytest.raises(InputError) as raised:
        shortcut_overlay("base", ["remove-unit U1"])
    assert [str(issue) for issue in raised.value.issues] == [
        "command line [scenario] = 'base': 'base' is the base case (the workbook as it is): "
        "give the scenario another name"
    ]


def test_an_unknown_scenario_name_requested() -> None:
    storm = Overlay("storm")
    with pytest.raises(InputError) as raised:
        select_overlays({"storm": storm}, ["storm", "strom"])
    assert [str(issue) for issue in raised.value.issues] == [
        "command line [scenario] = 'strom': no scenario of that name; known: base, storm"
    ]
