"""Reading valid workbooks: round trips, the layout freedoms a planner has, and cell locations."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.writer.excel import ExcelWriter

from logistics.errors import InputError, Issue
from logistics.io.reader import load, read_workbook
from logistics.io.template import write_input_workbook, write_template
from logistics.rules import schemas as s
from logistics.rules.locations import CellLocation, SourceMap
from tests.workbooks import rewrite_parts, sheet_part

Edit = Callable[[openpyxl.Workbook], None]


def test_scenario_round_trips_through_a_workbook(scenario: s.Scenario, good_workbook: Path) -> None:
    assert read_workbook(good_workbook) == scenario


def test_filled_in_template_reads_back(tmp_path: Path) -> None:
    """A planner fills the blank template's Supplies, Bases, Sources and one setting by hand."""
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    workbook["Supplies"].append(["WATER", "Water", "kL", 1, "water", 1, 2])
    workbook["Bases"].append(["GAO", "Gao", "hub", "East", 16.27, -0.04, 2000, 500, "paved_runway"])
    workbook["Bases"].append(["KIDAL", "", "Camp", "North", 18.44, 1.41, 900])
    workbook["Sources"].append(["GAO", "WATER", 100])
    workbook["Settings"]["B4"] = 21
    workbook.save(path)
    expected = s.Scenario(
        settings=s.Settings(horizon_days=21),
        supplies=(
            s.Supply(
                supply_id="WATER",
                name="Water",
                unit="kL",
                mass_t_per_unit=1,
                cargo_type="water",
                priority=1,
                safety_stock_days=2,
            ),
        ),
        consumption=tuple(row for row in s.DEFAULT_CONSUMPTION if row.supply_id == "WATER"),
        bases=(
            s.Base(
                base_id="GAO",
                name="Gao",
                kind="hub",
                sector="East",
                latitude_deg=16.27,
                longitude_deg=-0.04,
                accommodation_troops=2000,
                min_garrison_troops=500,
                airfield_class="paved_runway",
            ),
            s.Base(
                base_id="KIDAL",
                kind="camp",
                sector="North",
                latitude_deg=18.44,
                longitude_deg=1.41,
                accommodation_troops=900,
            ),
        ),
        sources=(s.Source(base_id="GAO", supply_id="WATER", quantity_per_day=100),),
    )
    loaded = load(path)
    assert loaded.scenario == expected
    assert loaded.locations.defaulted == {"Consumption", "ThreatLevels"}


def test_columns_in_any_order_with_comment_columns(
    edited_workbook: Callable[[Edit], Path], scenario: s.Scenario
) -> None:
    def shuffle(workbook: openpyxl.Workbook) -> None:
        routes = workbook["Routes"]
        rows = [[cell.value for cell in row] for row in routes.iter_rows()]
        routes.delete_rows(1, routes.max_row)
        for row in rows:
            note = "* remark" if row[0] == "route_id" else "checked"
            notes = "notes" if row[0] == "route_id" else "free text"
            routes.append([note, *reversed(row), notes])

    assert read_workbook(edited_workbook(shuffle)) == scenario


def test_blank_rows_and_rows_with_only_comments_are_skipped(
    edited_workbook: Callable[[Edit], Path], scenario: s.Scenario
) -> None:
    def spread(workbook: openpyxl.Workbook) -> None:
        bases = workbook["Bases"]
        bases.insert_rows(3, 2)
        bases["J1"] = "*comment"
        bases["J3"] = "a note on an otherwise empty row"

    assert read_workbook(edited_workbook(spread)) == scenario


def test_absent_optional_sheets_take_their_defaults(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    def drop(workbook: openpyxl.Workbook) -> None:
        for name in ("Consumption", "ThreatLevels", "Convoys", "Settings"):
            workbook.remove(workbook[name])

    loaded = load(edited_workbook(drop))
    declared = {"WATER", "RATIONS", "FUEL"}
    assert loaded.scenario.consumption == tuple(
        row for row in s.DEFAULT_CONSUMPTION if row.supply_id in declared
    )
    assert loaded.scenario.threat_levels == s.DEFAULT_THREAT_LEVELS
    assert loaded.scenario.convoys == ()
    assert loaded.scenario.settings == s.Settings()
    assert loaded.locations.defaulted == {"Consumption", "ThreatLevels", "Settings"}


@pytest.mark.parametrize(
    ("reference", "typed", "field", "expected"),
    [
        ("C2", 20.0, "count", 20),  # Excel stores every number as a float
        ("C2", "20", "count", 20),
        ("C2", "'20", "count", 20),  # typed with the apostrophe that forces text
        ("A2", "'PORT", "base_id", "PORT"),
        ("A2", " PORT ", "base_id", "PORT"),
    ],
)
def test_cell_values_as_planners_type_them(
    edited_workbook: Callable[[Edit], Path],
    reference: str,
    typed: object,
    field: str,
    expected: object,
) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Fleet"][reference] = typed

    fleet = read_workbook(edited_workbook(edit)).fleet
    assert getattr(fleet[0], field) == expected


def test_numbers_typed_into_id_and_text_columns_become_text(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Demands"]["A2"] = 17
        workbook["Bases"]["D2"] = 3.0
        workbook["Bases"]["B2"] = 2.5

    scenario = read_workbook(edited_workbook(edit))
    assert scenario.demands[0].demand_id == "17"
    assert scenario.bases[0].sector == "3"
    assert scenario.bases[0].name == "2.5"


def test_choices_and_yes_no_in_any_case(edited_workbook: Callable[[Edit], Path]) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Routes"]["D2"] = "Road"
        workbook["Routes"]["G2"] = "NO"
        workbook["Bases"]["C4"] = "Team site"
        workbook["Units"]["G3"] = True

    scenario = read_workbook(edited_workbook(edit))
    assert scenario.routes[0].mode is s.Mode.road
    assert scenario.routes[0].two_way is False
    assert scenario.bases[2].kind is s.BaseKind.team_site
    assert scenario.units[1].may_move is True


@pytest.mark.parametrize("typed", [dt.datetime(2024, 3, 31), "2024-03-31", dt.date(2024, 3, 31)])
def test_dates_as_excel_dates_or_iso_text(
    edited_workbook: Callable[[Edit], Path], typed: object
) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Settings"]["B3"] = typed

    assert read_workbook(edited_workbook(edit)).settings.start_date == dt.date(2024, 3, 31)


def test_text_that_looks_like_a_formula_round_trips(
    scenario: s.Scenario, good_workbook: Path
) -> None:
    """The hub's name starts with '=': written with a protective apostrophe, read back without."""
    sheet = openpyxl.load_workbook(good_workbook)["Bases"]
    assert sheet["B3"].data_type == "s"
    assert sheet["B3"].value == "'=Central hub"
    assert read_workbook(good_workbook).bases[1].name == "=Central hub"


def test_formula_with_a_saved_value_is_read_as_that_value(
    good_workbook: Path, tmp_path: Path
) -> None:
    part = sheet_part(good_workbook, "Routes")
    with zipfile.ZipFile(good_workbook) as archive:
        xml = archive.read(part)
    assert b'<c r="E2" t="n"><v>600</v></c>' in xml
    patched = xml.replace(
        b'<c r="E2" t="n"><v>600</v></c>', b'<c r="E2"><f>300*2</f><v>600</v></c>'
    )
    path = rewrite_parts(good_workbook, tmp_path / "formula.xlsx", {part: patched})
    assert read_workbook(path).routes[0].distance_km == 600


def test_every_value_is_located_at_its_cell(good_workbook: Path) -> None:
    locations = load(good_workbook).locations
    assert locations.locate("Routes", 0, "distance_km") == CellLocation(
        "Routes", "E2", "distance_km"
    )
    assert locations.locate("Units", 2, "current_base_id") == CellLocation(
        "Units", "F4", "current_base_id"
    )
    assert locations.locate("Settings", 0, "horizon_days") == CellLocation(
        "Settings", "B4", "horizon_days"
    )
    assert locations.file == "mission.xlsx"


def test_values_without_a_cell_fall_back_to_their_row_then_sheet() -> None:
    locations = SourceMap(file="m.xlsx", rows={("Routes", 0): CellLocation("Routes", "A2")})
    assert locations.locate("Routes", 0, "threat_level") == CellLocation(
        "Routes", "A2", "threat_level"
    )
    assert locations.locate("Routes", 5, "threat_level") == CellLocation(
        "Routes", None, "threat_level"
    )


def test_an_overlay_keeps_the_cells_of_untouched_rows_and_points_at_its_own() -> None:
    """Route 0 removed, route 1 kept (now first) with its distance set by an overlay cell."""
    base = SourceMap(
        file="m.xlsx",
        cells={
            ("Routes", 0, "distance_km"): CellLocation("Routes", "E2", "distance_km"),
            ("Routes", 1, "distance_km"): CellLocation("Routes", "E3", "distance_km"),
            ("Routes", 1, "mode"): CellLocation("Routes", "D3", "mode"),
            ("Bases", 0, "name"): CellLocation("Bases", "B2", "name"),
        },
        rows={
            ("Routes", 0): CellLocation("Routes", "A2"),
            ("Routes", 1): CellLocation("Routes", "A3"),
        },
    )
    overlay_cell = CellLocation("Scenarios", "E4", "value")
    overlaid = base.reindexed("Routes", [1, None]).with_cells(
        {("Routes", 0, "distance_km"): overlay_cell}
    )
    assert overlaid.locate("Routes", 0, "distance_km") == overlay_cell
    assert overlaid.locate("Routes", 0, "mode") == CellLocation("Routes", "D3", "mode")
    assert overlaid.locate("Routes", 1, "mode") == CellLocation("Routes", None, "mode")
    assert overlaid.locate("Bases", 0, "name") == CellLocation("Bases", "B2", "name")


def test_issue_renders_location_header_value_and_message() -> None:
    issue = Issue("Routes", "E7", "distance_km", "far", "expected a number of km greater than 0")
    assert issue.location == "Routes!E7"
    assert str(issue) == "Routes!E7 [distance_km] = 'far': expected a number of km greater than 0"
    assert str(Issue("m.xlsx", None, None, None, "file not found")) == "m.xlsx: file not found"


def test_input_error_carries_and_renders_every_issue() -> None:
    issues = [
        Issue("Bases", "A2", "base_id", "X", "one"),
        Issue("Routes", None, "mode", None, "two"),
    ]
    error = InputError(issues)
    assert error.issues == tuple(issues)
    assert str(error).splitlines() == [
        "2 problems in the input:",
        "  Bases!A2 [base_id] = 'X': one",
        "  Routes [mode]: two",
    ]
    with pytest.raises(ValueError, match="at least one issue"):
        InputError([])


def test_writing_a_workbook_leaves_nothing_half_written(
    scenario: s.Scenario, good_workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = good_workbook.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ExcelWriter, "write_data", fail)
    with pytest.raises(OSError, match="disk full"):
        write_input_workbook(scenario, good_workbook)
    assert good_workbook.read_bytes() == before
    assert [p.name for p in good_workbook.parent.iterdir()] == [good_workbook.name]
