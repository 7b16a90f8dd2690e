"""The blank template: generated from the registry, self-explaining, with working drop-downs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError
from logistics.io.reader import load
from logistics.io.template import EXAMPLES, dictionary_rows, write_template
from logistics.rules.fields import columns_of, display_value
from logistics.rules.registry import SHEETS
from logistics.rules.schemas import DEFAULT_CONSUMPTION, Settings


@pytest.fixture
def template(tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "template.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def test_sheets_instructions_first_lists_hidden_last(template: openpyxl.Workbook) -> None:
    names = template.sheetnames
    assert names == ["Instructions", "Dictionary", *(spec.name for spec in SHEETS), "Lists"]
    assert template["Lists"].sheet_state == "hidden"
    assert template.active.title == "Instructions"


def test_instructions_explain_ids_comments_days_and_units(template: openpyxl.Workbook) -> None:
    text = "\n".join(str(cell.value) for cell in template["Instructions"]["A"] if cell.value)
    for words in (
        "id",
        "header starts with *",
        "notes",
        "1 to the horizon",
        "distance_km in km",
        "logistics validate",
    ):
        assert words in text
    for spec in SHEETS:
        assert spec.description in text


def test_every_sheet_has_its_registry_header_bold_frozen_and_explained(
    template: openpyxl.Workbook,
) -> None:
    for spec in SHEETS:
        sheet = template[spec.name]
        header = [cell.value for cell in sheet[1] if cell.value is not None]
        assert header[: len(spec.columns)] == list(spec.columns), spec.name
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value is not None)
    distance = template["Routes"]["E1"]
    assert distance.value == "distance_km"
    assert distance.comment is not None
    assert "Length in km." in distance.comment.text
    assert "Unit: km." in distance.comment.text
    assert "Required." in distance.comment.text


def test_dictionary_lists_every_column_with_type_unit_and_default(
    template: openpyxl.Workbook,
) -> None:
    rows = list(template["Dictionary"].iter_rows(values_only=True))
    assert rows[0] == (
        "sheet",
        "column",
        "type",
        "unit",
        "required",
        "default",
        "allowed values",
        "description",
    )
    by_column = {(row[0], row[1]): row for row in rows[1:]}
    assert len(by_column) == sum(len(columns_of(spec.model)) for spec in SHEETS)
    assert by_column[("Routes", "distance_km")][2:6] == ("number", "km", "yes", None)
    assert by_column[("Routes", "mode")][6] == "road, river, air"
    assert by_column[("Routes", "two_way")][5:7] == ("yes", "yes, no")
    assert by_column[("Vehicles", "cost_usd_per_km")][3] == "USD per km"
    assert by_column[("Settings", "horizon_days")][5] == "28"


def _validation_of(sheet: openpyxl.worksheet.worksheet.Worksheet, column: str) -> object:
    matches = [dv for dv in sheet.data_validations.dataValidation if f"{column}2" in dv.sqref]
    assert len(matches) == 1, column
    return matches[0]


def _named_values(workbook: openpyxl.Workbook, name: str) -> list[object]:
    ((title, reference),) = workbook.defined_names[name].destinations
    return [cell.value for (cell,) in workbook[title][reference]]


def test_enumerations_drop_down_from_named_lists(template: openpyxl.Workbook) -> None:
    mode = _validation_of(template["Routes"], "D")
    assert mode.type == "list"
    assert mode.showErrorMessage and mode.showInputMessage
    assert not mode.showDropDown  # True would hide the arrow in Excel and LibreOffice
    assert _named_values(template, mode.formula1) == ["road", "river", "air"]
    two_way = _validation_of(template["Routes"], "G")
    assert _named_values(template, two_way.formula1) == ["yes", "no"]


def test_references_drop_down_from_the_referenced_id_column(template: openpyxl.Workbook) -> None:
    from_base = _validation_of(template["Routes"], "B")
    assert from_base.formula1 == "ids_Bases"
    ((title, reference),) = template.defined_names["ids_Bases"].destinations
    assert title == "Bases"
    assert reference.startswith("$A$2:$A$")


def test_no_literal_list_validation(template: openpyxl.Workbook) -> None:
    """Literal lists are capped at 255 characters by Excel; every list goes through a name."""
    for spec in SHEETS:
        for validation in template[spec.name].data_validations.dataValidation:
            assert not str(validation.formula1).startswith('"')
            assert validation.formula1 in template.defined_names


def test_settings_hold_every_key_with_its_default(template: openpyxl.Workbook) -> None:
    rows = {row[0]: row[1] for row in template["Settings"].iter_rows(min_row=2, values_only=True)}
    defaults = Settings()
    assert list(rows) == list(Settings.model_fields)
    for key, value in rows.items():
        default = getattr(defaults, key)
        assert value == (display_value(default) if isinstance(default, bool) else default)


def test_blank_template_asks_for_the_required_sheets(tmp_path: Path) -> None:
    """Its grey example rows are skipped, so the required sheets have no rows."""
    path = tmp_path / "template.xlsx"
    write_template(path)
    with pytest.raises(InputError) as raised:
        load(path)
    assert [issue.location for issue in raised.value.issues] == ["Supplies", "Bases"]
    assert all("no rows under its header" in issue.message for issue in raised.value.issues)


def test_no_formulas_anywhere(template: openpyxl.Workbook) -> None:
    for sheet in template.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title


def test_every_record_sheet_shows_a_grey_example_row_the_reader_skips(
    template: openpyxl.Workbook,
) -> None:
    for spec in SHEETS:
        if spec.layout != "table":
            continue
        sheet = template[spec.name]
        first = sheet.cell(2, 1)
        assert isinstance(first.value, str), spec.name
        assert first.value.startswith("*"), spec.name
        assert first.font.i and first.font.color.rgb.endswith("808080"), spec.name
        assert sheet.cell(1, len(spec.columns) + 1).value == "*note"


def test_the_examples_are_valid_records_once_their_mark_is_removed(
    template: openpyxl.Workbook,
) -> None:
    for spec in SHEETS:
        if spec.layout != "table":
            continue
        for row in EXAMPLES[spec.name]:
            assert isinstance(row, spec.model), spec.name


def test_defaults_are_shown_on_their_sheets(template: openpyxl.Workbook) -> None:
    consumption = [
        row[:3] for row in template["Consumption"].iter_rows(min_row=2, values_only=True)
    ]
    assert consumption == [
        (
            f"*{row.supply_id}",
            row.base_kind.value if row.base_kind else None,
            row.quantity_per_person_day,
        )
        for row in DEFAULT_CONSUMPTION
    ]
    levels = [row[0] for row in template["ThreatLevels"].iter_rows(min_row=2, values_only=True)]
    assert levels == ["*1", "*2", "*3", "*4", "*5"]
    assert "default applied unless" in str(template["ThreatLevels"]["G2"].value)


def test_the_dictionary_states_the_bounds_of_every_number() -> None:
    """Weights beyond the bound break the solver's numerics; the planner reads the bound here."""
    rows = {(row[0], row[1]): row for row in dictionary_rows()}
    assert rows[("Settings", "weight_shortfall")][6] == "a number from 0 to 1,000,000"
    assert rows[("Routes", "distance_km")][6] == "a number of km greater than 0 and at most 20,000"
    assert rows[("Routes", "mode")][6] == "road, river, air"
