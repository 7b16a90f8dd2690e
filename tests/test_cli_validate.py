"""The ``validate`` and ``template`` commands: exit codes, what they print, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from logistics.cli import app

Edit = Callable[[openpyxl.Workbook], None]
ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_validate_good_workbook_prints_counts_and_exits_0(good_workbook: Path) -> None:
    result = runner.invoke(app, ["validate", str(good_workbook)])
    assert result.exit_code == 0, result.output
    assert "mission.xlsx is valid" in result.output
    lines = {
        line.split("│")[1].strip(): line
        for line in result.output.splitlines()
        if line.count("│") >= 3
    }
    assert " 4 " in lines["Routes"]
    assert " 3 " in lines["Bases"]
    assert "Traceback" not in result.output


def test_validate_reports_defaults_used(edited_workbook: Callable[[Edit], Path]) -> None:
    path = edited_workbook(lambda workbook: workbook.remove(workbook["ThreatLevels"]))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "ThreatLevels" in line]
    assert "defaults" in line


def test_validate_lists_every_error_and_exits_1(edited_workbook: Callable[[Edit], Path]) -> None:
    def break_three_cells(workbook: openpyxl.Workbook) -> None:
        workbook["Routes"]["E2"] = "far"
        workbook["Bases"].append(["HUB", "Second hub", "hub", "Centre", 14.0, -4.0, 100])
        workbook["Routes"]["C3"] = "NOWHERE"

    result = runner.invoke(app, ["validate", str(edited_workbook(break_three_cells))])
    assert result.exit_code == 1
    for location in ("Routes!E2", "Bases!A5", "Routes!C3"):
        assert location in result.output
    assert "3 problems in edited.xlsx" in result.output
    assert "Traceback" not in result.output


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere.xlsx")])
    assert result.exit_code == 2
    assert "nowhere.xlsx" in result.output
    assert "No such file or directory" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_validate_hostile_file_is_refused_plainly(tmp_path: Path) -> None:
    """A file that cannot be read as a workbook is exit 2 (README), not a workbook problem (1)."""
    path = tmp_path / "old.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(512))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert ".xls" in result.output
    assert "Traceback" not in result.output


def test_output_has_no_colour_codes_when_not_a_terminal(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    result = runner.invoke(
        app, ["validate", str(edited_workbook(lambda wb: wb.remove(wb["Bases"])))]
    )
    assert result.exit_code == 1
    assert "\x1b[" not in result.output


def test_template_writes_a_workbook_and_will_not_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    first = runner.invoke(app, ["template", str(path)])
    assert first.exit_code == 0, first.output
    assert "Routes" in openpyxl.load_workbook(path).sheetnames
    second = runner.invoke(app, ["template", str(path)])
    assert second.exit_code == 1
    assert "already exists" in " ".join(second.output.split())
    assert runner.invoke(app, ["template", "--force", str(path)]).exit_code == 0


def test_template_into_an_unwritable_place_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["template", str(blocker / "blank.xlsx")])
    assert result.exit_code == 2
    assert "Could not use" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("logistics ")


def test_validate_loads_no_solver() -> None:
    """``--help`` and ``validate`` start at once: reading and checking a workbook imports neither
    Pyomo nor HiGHS (nor Dask), which take seconds to load."""
    code = (
        "import sys, logistics.cli, logistics.io.reader, logistics.rules.validation, "
        "logistics.rules.warnings; "
        "print(sorted(m for m in ('pyomo', 'highspy', 'distributed') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
