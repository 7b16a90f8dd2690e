"""Aircraft fly only legs within their range: compile leaves them off longer lines, and a Convoys
line no aircraft at its origin can fly is an input error naming the line and the aircraft."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from logistics.compile import compile_scenario
from logistics.errors import InputError
from logistics.io.reader import load
from tests.test_compile import _scenario

Edit = Callable[[openpyxl.Workbook], None]


def test_an_aircraft_flies_only_lines_whose_legs_are_within_its_range() -> None:
    """AIR_B's one leg, HUB-CAMP_B, is 150 km: a helicopter with 200 km of range flies it, one
    with 100 km does not (the C-130 is kept off by CAMP_B's helipad either way)."""
    scenario = _scenario()
    for reach, expected in ((200.0, ("HELI",)), (100.0, ())):
        vehicles = tuple(
            v.model_copy(update={"range_km": reach}) if v.vehicle_type_id == "HELI" else v
            for v in scenario.vehicles
        )
        data = compile_scenario(scenario.model_copy(update={"vehicles": vehicles}))
        assert data.lines["AIR_B"].vehicle_types == expected
        assert data.vehicle_range_km["HELI"] == reach


def _set_range(reach: float) -> Edit:
    """Give the test workbook's HELO (based at PORT and HUB) a range of ``reach`` km."""

    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["Vehicles"]
        header = [cell.value for cell in sheet[1]]
        column = header.index("range_km") + 1
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "HELO")
        sheet.cell(row, column).value = reach

    return edit


def test_a_convoy_line_no_aircraft_can_fly_names_the_line_and_the_aircraft(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """L2 flies HUB > CAMP, 330 km; HUB's only aircraft, the HELO, is given 300 km of range."""
    with pytest.raises(InputError) as raised:
        load(edited_workbook(_set_range(300)))
    assert [str(issue) for issue in raised.value.issues] == [
        "Convoys!A3 [line_id] = 'L2': no aircraft based at HUB can fly this line: its longest "
        "leg, HUB > CAMP, is 330 km and HELO flies at most 300 km (Vehicles range_km)"
    ]


def test_an_aircraft_with_enough_range_is_accepted(edited_workbook: Callable[[Edit], Path]) -> None:
    assert load(edited_workbook(_set_range(400))).scenario.vehicles[2].range_km == 400
