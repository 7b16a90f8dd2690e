"""Warnings: valid but suspicious inputs, each at its exact cell with its exact message.

Every workbook is the valid three-base mission (layout in ``tests/test_bad_inputs.py``; horizon
14 days) with a few cells changed; it has no warning of its own. A warning never stops loading,
except with ``strict``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError
from logistics.io.reader import load
from logistics.rules.schemas import Settings
from tests.test_bad_inputs import add_row, all_of, put

Edit = Callable[[openpyxl.Workbook], None]

ISLAND = ["ISLE", "Island", "camp", "South", 12.9, -7.5, 0, 0]
"""A base near PORT that no route reaches and that houses nobody."""


def percent(sheet: str, reference: str, value: float) -> Edit:
    """An edit that types ``value`` in a cell formatted as a percentage."""

    def edit(workbook: openpyxl.Workbook) -> None:
        cell = workbook[sheet][reference]
        cell.value = value
        cell.number_format = "0%"

    return edit


WARNINGS: dict[str, tuple[Edit, list[str]]] = {
    "a day range starting and ending after the horizon": (
        all_of(put("Demands", "D2", 20), put("Demands", "E2", 25)),
        [
            "warning: Demands!D2 [first_day] = 20: day 20 is after the last planned day (14, "
            "horizon_days in Settings): this record never applies in the plan",
            "warning: Demands!E2 [last_day] = 25: day 25 is after the last planned day (14, "
            "horizon_days in Settings): the days after 14 are not planned",
        ],
    ),
    "a threat lasting past the horizon": (
        put("Threats", "J2", 40),
        [
            "warning: Threats!J2 [last_day] = 40: day 40 is after the last planned day (14, "
            "horizon_days in Settings): the days after 14 are not planned"
        ],
    ),
    "a class nothing consumes": (
        add_row("Supplies", ["FOOD", "Food", "t", 1, "dry", 3, 0]),
        [
            "warning: Supplies!A5 [supply_id] = 'FOOD': nothing consumes FOOD: it has no rate in "
            "the Consumption sheet (and no planning-factor default), no fixed_demand_per_day in "
            "Stocks and no Demands row, so the plan moves none of it; add a Consumption row for FOOD"
        ],
    ),
    "vehicles at a base no road leaves": (
        all_of(add_row("Bases", ISLAND), add_row("Fleet", ["ISLE", "TRUCK", 4])),
        [
            "warning: Fleet!B7 [vehicle_type_id] = 'TRUCK': no road route leaves ISLE (Routes "
            "sheet), so its 4 TRUCK can never be used"
        ],
    ),
    "aircraft whose routes end at an airfield they cannot use": (
        put("Bases", "I4", "none"),
        [
            "warning: Fleet!B4 [vehicle_type_id] = 'HELO': no air route between airfields that "
            "admit it leaves PORT (Routes sheet), so its 1 HELO can never be used",
            "warning: Fleet!B6 [vehicle_type_id] = 'HELO': no air route between airfields that "
            "admit it leaves HUB (Routes sheet), so its 2 HELO can never be used",
        ],
    ),
    "a unit with no other base it may serve at": (
        put("Units", "H3", "Centre"),
        [
            "warning: Units!F3 [current_base_id] = 'HUB': no other base with accommodation lies "
            "in its allowed sectors (Centre), so it can only stay at HUB"
        ],
    ),
    "a threat area touching nothing": (
        put("Threats", "F3", -30),
        [
            "warning: Threats!F3 [latitude_deg] = -30: the area of 60 km around (-30, -3.2) "
            "contains no base and touches no route, so the threat changes nothing: check the "
            "coordinates and radius"
        ],
    ),
    "safety stock above capacity": (
        put("Stocks", "E5", 100),
        [
            "warning: Stocks!C5 [capacity] = 400: the safety stock of FUEL at HUB (5 days × 100 "
            "per day = 500) is above the capacity, so the target can never be met: raise "
            "capacity or lower safety_stock_days in Supplies"
        ],
    ),
    "a source no needing base can be reached from": (
        all_of(add_row("Bases", ISLAND), add_row("Sources", ["ISLE", "WATER", 10])),
        [
            "warning: Sources!A6 [base_id] = 'ISLE': no base that needs WATER can be reached "
            "from ISLE by the routes, so this source is never used: check the routes and the base"
        ],
    ),
    "ids differing only in case": (
        add_row("Bases", ["port", "Old port", "port", "South", 12.7, -8.1, 0, 0]),
        [
            "warning: Bases!A5 [base_id] = 'port': port and PORT differ only in case: ids are "
            "case-sensitive, so they are two different records; use one spelling"
        ],
    ),
    "latitude and longitude swapped": (
        all_of(put("Bases", "E3", -4.2), put("Bases", "F3", 14.5)),
        [
            "warning: Bases!E3 [latitude_deg] = -4.2: HUB lies 2,983 km from the nearest other "
            "base (CAMP), far outside the mission's area: latitude and longitude look swapped"
        ],
    ),
    "a base far outside the mission's area": (
        put("Bases", "E4", -16.3),
        [
            "warning: Bases!E4 [latitude_deg] = -16.3: CAMP lies 3,260 km from the nearest other "
            "base (PORT), far outside the mission's area: check latitude_deg and longitude_deg "
            "(decimal degrees, south and west negative)",
            # the threat area around the camp is now far from it
            "warning: Threats!F3 [latitude_deg] = 16: the area of 60 km around (16, -3.2) "
            "contains no base and touches no route, so the threat changes nothing: check the "
            "coordinates and radius",
        ],
    ),
    "a percentage in a column that is not in %": (
        percent("Routes", "E2", 6),
        [
            "warning: Routes!E2 [distance_km] = 6: the cell shows a percentage (600 %) but "
            "distance_km is not in %: it is read as 6; format the cell as a plain number"
        ],
    ),
}


def test_the_valid_mission_has_no_warning(good_workbook: Path) -> None:
    assert load(good_workbook).warnings == ()


@pytest.mark.parametrize("name", list(WARNINGS))
def test_warning_at_its_cell(name: str, edited_workbook: Callable[[Edit], Path]) -> None:
    edit, expected = WARNINGS[name]
    loaded = load(edited_workbook(edit))
    assert [str(warning) for warning in loaded.warnings] == expected


def test_strict_turns_warnings_into_errors(edited_workbook: Callable[[Edit], Path]) -> None:
    path = edited_workbook(put("Threats", "J2", 40))
    with pytest.raises(InputError) as raised:
        load(path, strict=True)
    assert [str(issue) for issue in raised.value.issues] == [
        "Threats!J2 [last_day] = 40: day 40 is after the last planned day (14, horizon_days in "
        "Settings): the days after 14 are not planned"
    ]


def test_a_percentage_in_a_column_in_percent_is_read_as_shown(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """``1 %`` typed in Excel is stored as 0.01 with a percentage format: mip_gap_pct is 1."""
    loaded = load(
        edited_workbook(
            percent("Settings", f"B{list(Settings.model_fields).index('mip_gap_pct') + 2}", 0.01)
        )
    )
    assert loaded.scenario.settings.mip_gap_pct == pytest.approx(1.0)
    assert loaded.warnings == ()


def test_warnings_found_beside_errors_are_reported_with_them(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    path = edited_workbook(all_of(put("Routes", "E2", "far"), put("Threats", "J2", 40)))
    with pytest.raises(InputError) as raised:
        load(path)
    assert [issue.is_warning for issue in raised.value.issues] == [False, True]
    assert raised.value.issues[1].location == "Threats!J2"
