"""What-if overlays change the base scenario as intended, and never the base itself.

The base is the three-base test mission (``tests/workbooks.py``, horizon 14 days); overlays come from
a Scenarios sheet added to its workbook, from a workbook of their own, or from shortcuts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from logistics.io.reader import LoadedScenario, load
from logistics.rules.locations import CellLocation
from logistics.rules.overlay_sources import parse_shortcut, read_overlays, shortcut_overlay
from logistics.rules.overlays import (
    BASE_SCENARIO,
    Change,
    InputDifference,
    Overlay,
    apply_overlay,
    select_overlays,
    value_on,
)
from tests.overlay_workbooks import ScenarioRow, overlay_workbook, with_scenarios

REPO = Path(__file__).resolve().parents[1]


def _overlays(
    good_workbook: Path, rows: list[ScenarioRow]
) -> tuple[LoadedScenario, dict[str, Overlay]]:
    """The base read from a copy of the good workbook with a Scenarios sheet, and its overlays."""
    base = load(with_scenarios(good_workbook, rows))
    return base, read_overlays(base, None)


def test_the_base_workbook_may_hold_a_scenarios_sheet(good_workbook: Path) -> None:
    """The reader ignores the sheet: the base case is the workbook as it is."""
    plain = load(good_workbook)
    with_sheet = load(with_scenarios(good_workbook, [("a", "Routes", "R1", "distance_km", 650)]))
    assert with_sheet.scenario == plain.scenario


def test_a_change_sets_the_field_and_points_at_the_overlay_cell(good_workbook: Path) -> None:
    base, overlays = _overlays(good_workbook, [("longer", "Routes", "R1", "distance_km", 650)])
    overlaid = apply_overlay(base, overlays["longer"])
    assert overlaid.scenario.routes[0].distance_km == 650
    assert overlaid.scenario.routes[1:] == base.scenario.routes[1:]
    assert overlaid.locations.locate("Routes", 0, "distance_km") == CellLocation(
        "Scenarios", "E2", "value"
    )
    assert overlaid.locations.locate("Routes", 0, "transit_days").sheet == "Routes"


def test_several_changes_to_one_record_are_checked_together(good_workbook: Path) -> None:
    """Capacity may fall below the old initial stock when the initial stock falls too."""
    rows: list[ScenarioRow] = [
        ("smaller", "Stocks", "HUB/FUEL", "capacity", 50),
        ("smaller", "Stocks", "HUB/FUEL", "initial_stock", 40),
    ]
    base, overlays = _overlays(good_workbook, rows)
    stock = apply_overlay(base, overlays["smaller"]).scenario.stocks[3]
    assert (stock.base_id, stock.capacity, stock.initial_stock) == ("HUB", 50, 40)


def test_a_setting_is_changed_by_its_key(good_workbook: Path) -> None:
    base, overlays = _overlays(good_workbook, [("longer", "Settings", "horizon_days", "value", 20)])
    overlaid = apply_overlay(base, overlays["longer"])
    assert overlaid.scenario.settings.horizon_days == 20
    assert overlaid.locations.locate("Settings", 0, "horizon_days") == CellLocation(
        "Scenarios", "E2", "value"
    )


def test_a_day_range_keeps_the_record_and_lists_a_day_value(good_workbook: Path) -> None:
    base, overlays = _overlays(good_workbook, [("closed", "Routes", "R2", "open", "no", 5, 12)])
    scenario = apply_overlay(base, overlays["closed"]).scenario
    assert scenario.routes == base.scenario.routes
    opened = {day: value_on(scenario, "Routes", "R2", "open", day, True) for day in (4, 5, 12, 13)}
    assert opened == {4: True, 5: False, 12: False, 13: True}
    assert value_on(scenario, "Routes", "R1", "open", 6, True) is True


def test_open_ended_and_overlapping_day_ranges(good_workbook: Path) -> None:
    """A blank first or last day is open-ended; where two ranges overlap, the later row wins."""
    rows: list[ScenarioRow] = [
        ("surge", "Routes", "R1", "threat_level", 3, 10, None),
        ("surge", "Routes", "R1", "threat_level", 5, 12, 13),
        ("surge", "Bases", "CAMP", "min_garrison_troops", 300, None, 4),
    ]
    base, overlays = _overlays(good_workbook, rows)
    scenario = apply_overlay(base, overlays["surge"]).scenario
    levels = [value_on(scenario, "Routes", "R1", "threat_level", day, 1) for day in range(9, 15)]
    assert levels == [1, 3, 3, 5, 5, 3]
    garrison = [value_on(scenario, "Bases", "CAMP", "min_garrison_troops", d, 200) for d in (4, 5)]
    assert garrison == [300, 200]


def test_a_day_value_of_a_composite_key_uses_its_joined_id(good_workbook: Path) -> None:
    rows: list[ScenarioRow] = [("dry", "Sources", "HUB/WATER", "quantity_per_day", 0, 3, 6)]
    base, overlays = _overlays(good_workbook, rows)
    scenario = apply_overlay(base, overlays["dry"]).scenario
    assert value_on(scenario, "Sources", "HUB/WATER", "quantity_per_day", 3, 120.0) == 0
    assert value_on(scenario, "Sources", "HUB/WATER", "quantity_per_day", 7, 120.0) == 120.0


def test_a_removal_drops_the_record_and_moves_the_cells_of_the_rest(good_workbook: Path) -> None:
    base, overlays = _overlays(good_workbook, [("gone", "Units", "U1", "*", "remove")])
    overlaid = apply_overlay(base, overlays["gone"])
    assert [unit.unit_id for unit in overlaid.scenario.units] == ["U2", "U3"]
    assert overlaid.locations.locate("Units", 0, "unit_id") == CellLocation(
        "Units", "A3", "unit_id"
    )


def test_an_overlay_workbook_adds_records(good_workbook: Path, tmp_path: Path) -> None:
    """Rows with a scenario name go to that scenario; blank ones to every scenario of the file."""
    additions = {
        "Demands": [
            {"scenario": "surge", "demand_id": "D2", "base_id": "CAMP", "supply_id": "WATER"}
            | {"quantity_per_day": 5},
            {"scenario": None, "demand_id": "D3", "base_id": "HUB", "supply_id": "WATER"}
            | {"quantity_per_day": 2},
        ]
    }
    rows: list[ScenarioRow] = [("quiet", "Routes", "R2", "threat_level", 1)]
    path = overlay_workbook(tmp_path / "what-if.xlsx", rows, additions)
    base = load(good_workbook)
    overlays = read_overlays(base, path)
    assert list(overlays) == ["quiet", "surge"]
    surge = apply_overlay(base, overlays["surge"])
    assert [d.demand_id for d in surge.scenario.demands] == ["D1", "D2", "D3"]
    assert surge.locations.locate("Demands", 1, "base_id") == CellLocation(
        "[what-if.xlsx]Demands", "C2", "base_id"
    )
    quiet = apply_overlay(base, overlays["quiet"]).scenario
    assert [d.demand_id for d in quiet.demands] == ["D1", "D3"]
    assert quiet.routes[1].threat_level == 1


def test_a_scenario_given_in_both_workbooks_takes_both(good_workbook: Path, tmp_path: Path) -> None:
    base = load(with_scenarios(good_workbook, [("both", "Routes", "R1", "distance_km", 650)]))
    path = overlay_workbook(tmp_path / "more.xlsx", [("both", "Routes", "R1", "transit_days", 3)])
    route = apply_overlay(base, read_overlays(base, path)["both"]).scenario.routes[0]
    assert (route.distance_km, route.transit_days) == (650, 3)


def test_applying_never_changes_the_base(good_workbook: Path) -> None:
    rows: list[ScenarioRow] = [
        ("all", "Routes", "R1", "distance_km", 650),
        ("all", "Routes", "R2", "open", "no", 2, 3),
        ("all", "Units", "U1", "*", "remove"),
    ]
    base, overlays = _overlays(good_workbook, rows)
    scenario, cells = base.scenario.model_copy(deep=True), dict(base.locations.cells)
    apply_overlay(base, overlays["all"])
    assert base.scenario == scenario
    assert base.scenario.day_values == ()
    assert dict(base.locations.cells) == cells


def test_an_overlay_describes_itself(good_workbook: Path) -> None:
    rows: list[ScenarioRow] = [
        ("mix", "Routes", "R2", "open", "no", 5, 12, "Flooded wadi"),
        ("mix", "Routes", "R1", "threat_level", 4, 3, None),
        ("mix", "Units", "U1", "*", "remove"),
    ]
    base, overlays = _overlays(good_workbook, rows)
    mix = overlays["mix"]
    assert mix.describe() == (
        "Routes R2 open = no, days 5-12",
        "Routes R1 threat_level = 4, from day 3",
        "Units U1 removed",
    )
    assert mix.description == "Flooded wadi"
    assert mix.differences(base) == (
        InputDifference("mix", "Units", "U1", "*", "present", "removed"),
        InputDifference("mix", "Routes", "R2", "open", "yes", "no", 5, 12),
        InputDifference("mix", "Routes", "R1", "threat_level", "1", "4", 3, None),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("close-route R2:5-12", ("Routes", "R2", "open", "no", 5, 12)),
        ("close-route R2", ("Routes", "R2", "open", "no", None, None)),
        ("threat R1=5", ("Routes", "R1", "threat_level", "5", None, None)),
        ("threat R1=5:10-", ("Routes", "R1", "threat_level", "5", 10, None)),
        ("remove-unit U1", ("Units", "U1", "*", "remove", None, None)),
        ("set Fleet.PORT/TRUCK.count=5", ("Fleet", "PORT/TRUCK", "count", "5", None, None)),
        ("set Routes.R.1.open=no:-4", ("Routes", "R.1", "open", "no", None, 4)),
        (
            "set Bases.CAMP.min_garrison_troops=300:7",
            ("Bases", "CAMP", "min_garrison_troops", "300", 7, 7),
        ),
    ],
)
def test_shortcuts_parse_into_changes(
    text: str, expected: tuple[str, str, str, str, int | None, int | None]
) -> None:
    change = parse_shortcut(text)
    assert (change.sheet, change.record_id, change.field, change.value) == expected[:4]
    assert (change.first_day, change.last_day) == expected[4:]
    assert change.at("value") == CellLocation("command line", None, text.split()[0])


def test_a_scenario_of_shortcuts_applies(good_workbook: Path) -> None:
    base = load(good_workbook)
    overlay = shortcut_overlay("storm", ["close-route R2:5-12", "remove-unit U3"])
    scenario = apply_overlay(base, overlay).scenario
    assert value_on(scenario, "Routes", "R2", "open", 6, True) is False
    assert [unit.unit_id for unit in scenario.units] == ["U1", "U2"]
    assert overlay.describe() == ("Routes R2 open = no, days 5-12", "Units U3 removed")


def test_selecting_scenarios_by_name_includes_the_base_case() -> None:
    storm = Overlay("storm", (Change("Units", "U3", "*", "remove"),))
    selected = select_overlays({"storm": storm}, ["storm", BASE_SCENARIO])
    assert selected == [storm, Overlay(BASE_SCENARIO)]


def test_every_mali_scenario_applies_and_validates() -> None:
    """The shipped what-ifs load against the Mali mission and each changes what it says."""
    base = load(REPO / "inputs" / "mali.xlsx")
    overlays = read_overlays(base, REPO / "inputs" / "mali-scenarios.xlsx")
    assert len(overlays) >= 6
    for overlay in overlays.values():
        assert overlay.description
        assert apply_overlay(base, overlay).scenario != base.scenario
    rains = apply_overlay(base, overlays["rains-dou-tbu"]).scenario
    assert value_on(rains, "Routes", "DOU-TBU-ROAD", "open", 9, True) is True
    assert value_on(rains, "Routes", "DOU-TBU-ROAD", "open", 10, True) is False
    no_flights = apply_overlay(base, overlays["no-flights"]).scenario
    assert not any(route.open for route in no_flights.routes if route.mode.value == "air")
    chad = apply_overlay(base, overlays["chad-leaves-tessalit"]).scenario
    assert "TES-CHD-BN" not in {unit.unit_id for unit in chad.units}
