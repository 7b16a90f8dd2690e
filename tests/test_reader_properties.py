"""Whatever a planner types into whichever cells, reading ends in a scenario or an ``InputError``.

Random values (text, formulas, huge, negative and non-finite numbers, dates, booleans, blanks) are
written into random cells of the valid workbook; no other exception may escape, and every issue
must be located in the workbook.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics.errors import InputError
from logistics.io.reader import load
from logistics.io.template import write_input_workbook
from logistics.rules.registry import SHEETS
from tests.workbooks import three_base_scenario

CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(
        ["=1/0", "=A1+B1", "'=SUM(A1)", "#N/A", "yes", "road", "HUB", "1e999", "3.5", " "]
    ),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)

SHEET_NAMES = [spec.name for spec in SHEETS]

# (sheet index, row, column) within the data and header area of the valid workbook, plus a little
# beyond it, so that new rows, new columns and headers are hit too.
CELLS = st.tuples(
    st.integers(min_value=0, max_value=len(SHEET_NAMES) - 1),
    st.integers(min_value=1, max_value=16),
    st.integers(min_value=1, max_value=14),
)


@pytest.fixture(scope="module")
def valid_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("valid") / "mission.xlsx"
    write_input_workbook(three_base_scenario(), path)
    return path


def _read_after_writing(source: Path, changes: list[tuple[tuple[int, int, int], object]]) -> None:
    workbook = openpyxl.load_workbook(source)
    for (sheet_index, row, column), value in changes:
        workbook[SHEET_NAMES[sheet_index]].cell(row=row, column=column, value=value)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.xlsx"
        workbook.save(path)
        try:
            load(path)
        except InputError as error:
            assert error.issues
            for issue in error.issues:
                assert issue.message
                assert issue.sheet in workbook.sheetnames or issue.sheet == path.name


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cell=CELLS, value=CELL_VALUES)
def test_any_value_in_any_cell(
    valid_workbook: Path, cell: tuple[int, int, int], value: object
) -> None:
    _read_after_writing(valid_workbook, [(cell, value)])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(CELLS, CELL_VALUES), min_size=2, max_size=8))
def test_many_values_in_many_cells(
    valid_workbook: Path, changes: list[tuple[tuple[int, int, int], object]]
) -> None:
    _read_after_writing(valid_workbook, changes)
