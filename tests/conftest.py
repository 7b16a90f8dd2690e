"""Shared fixtures: a small valid mission that uses every sheet, and ways to break it.

The scenario is built in code (not read from ``inputs/``) so that the reader's tests do not depend
on the example workbooks and every bad-input test can start from a known-good file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from logistics.io.template import write_input_workbook
from logistics.rules import schemas as s
from tests.workbooks import three_base_scenario


@pytest.fixture
def scenario() -> s.Scenario:
    """The valid three-base mission."""
    return three_base_scenario()


@pytest.fixture
def good_workbook(tmp_path: Path, scenario: s.Scenario) -> Path:
    """The valid three-base mission written as an input workbook."""
    path = tmp_path / "mission.xlsx"
    write_input_workbook(scenario, path)
    return path


Edit = Callable[[openpyxl.Workbook], None]


def header_column(sheet: Worksheet, header: str) -> str:
    """Column letter of a header in row 1."""
    for cell in sheet[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise KeyError(header)


@pytest.fixture
def edited_workbook(good_workbook: Path) -> Callable[[Edit], Path]:
    """A copy of the good workbook changed by ``edit`` (an openpyxl edit of the loaded workbook)."""

    def make(edit: Edit) -> Path:
        workbook = openpyxl.load_workbook(good_workbook)
        edit(workbook)
        path = good_workbook.with_name("edited.xlsx")
        workbook.save(path)
        return path

    return make
