"""Exit codes exactly as the README says: 0 done, 1 workbook problems, 2 a file could not be read
or written, 3 the solver found no plan; warnings shown, and made errors by ``--strict``.

Solves are replaced by stubs where the outcome of the solve does not matter, so these tests stay
fast and say whether the solve was reached at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from logistics import api
from logistics.cli import app
from models import ModelData, Plan, SolveOptions
from models.extract import SolveOutcome, empty_plan
from models.results import SolveStatus
from tests.test_bad_inputs import put

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
Edit = Callable[[openpyxl.Workbook], None]
runner = CliRunner()


def flat(output: str) -> str:
    """The command's output on one line (the console wraps long lines)."""
    return " ".join(output.split())


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[ModelData]:
    """Replace the solver by one that finds no plan; the list records each solve started."""
    started: list[ModelData] = []

    def no_plan(data: ModelData, options: SolveOptions) -> Plan:
        started.append(data)
        return empty_plan(
            SolveOutcome(SolveStatus.no_solution, "time limit reached before any plan was found"),
            {},
        )

    monkeypatch.setattr(api, "solve", no_plan)
    return started


def test_validate_of_a_valid_workbook_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(TINY)])
    assert result.exit_code == 0, result.output
    assert "tiny.xlsx is valid." in result.output


def test_validate_of_a_bad_workbook_exits_1(edited_workbook: Callable[[Edit], Path]) -> None:
    result = runner.invoke(app, ["validate", str(edited_workbook(put("Routes", "E2", "far")))])
    assert result.exit_code == 1
    assert "1 problem in edited.xlsx" in result.output


@pytest.mark.parametrize("command", ["validate", "solve", "whatif"])
def test_a_missing_input_file_exits_2(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(tmp_path / "nowhere.xlsx")])
    assert result.exit_code == 2, result.output
    assert "No such file or directory" in flat(result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("output", "words"),
    [
        (".", "this is a folder: give the plan workbook's file name"),
        ("a-file.txt/plan.xlsx", "is a file, not a folder: choose another output"),
    ],
)
def test_an_unusable_output_exits_2_before_the_solve(
    tmp_path: Path, solves: list[ModelData], output: str, words: str
) -> None:
    (tmp_path / "a-file.txt").write_text("not a folder")
    result = runner.invoke(app, ["solve", str(TINY), "--output", str(tmp_path / output)])
    assert result.exit_code == 2, result.output
    assert words in flat(result.output)
    assert solves == []


def test_no_plan_found_exits_3_and_still_writes_the_workbook(
    tmp_path: Path, solves: list[ModelData]
) -> None:
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(TINY), "--output", str(target)])
    assert result.exit_code == 3, result.output
    assert "No plan was found: time limit reached before any plan was found" in flat(result.output)
    assert target.exists()
    assert len(solves) == 1


def warned(edited_workbook: Callable[[Edit], Path]) -> Path:
    """The three-base mission with one warning: a threat lasting past the 14-day horizon."""
    return edited_workbook(put("Threats", "J2", 40))


def test_validate_shows_warnings_and_exits_0(edited_workbook: Callable[[Edit], Path]) -> None:
    result = runner.invoke(app, ["validate", str(warned(edited_workbook))])
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "1 warning in edited.xlsx" in output
    assert all(word in output for word in ("Threats!J2", "last_day", "40", "warning:", "day 40"))
    assert "edited.xlsx is valid." in output


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_strict_makes_warnings_errors(
    command: str, edited_workbook: Callable[[Edit], Path], solves: list[ModelData], tmp_path: Path
) -> None:
    arguments: list[Any] = [command, str(warned(edited_workbook)), "--strict"]
    if command == "solve":
        arguments += ["--output", str(tmp_path / "plan.xlsx")]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    output = flat(result.output)
    assert "1 problem in edited.xlsx" in output
    assert "Threats!J2" in output
    assert solves == []
    assert not (tmp_path / "plan.xlsx").exists()


def test_solve_shows_warnings_and_lists_them_on_the_run_sheet(
    edited_workbook: Callable[[Edit], Path], solves: list[ModelData], tmp_path: Path
) -> None:
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(warned(edited_workbook)), "--output", str(target)])
    assert result.exit_code == 3, result.output  # the stub solver finds no plan
    assert "1 warning in edited.xlsx" in flat(result.output)
    run = openpyxl.load_workbook(target, read_only=True)["Run"]
    rows = [tuple(row[:3]) for row in run.iter_rows(values_only=True)]
    assert (
        "warning",
        "1",
        "Threats!J2 [last_day] = 40: day 40 is after the last planned day (14, horizon_days in "
        "Settings): the days after 14 are not planned",
    ) in rows


def test_validate_says_which_rows_came_from_the_defaults() -> None:
    result = runner.invoke(app, ["validate", str(TINY)])
    assert "│ Consumption  │    2 │ workbook + 1 default │" in result.output


def test_a_folder_given_as_input_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "this is a folder, not a workbook" in flat(result.output)
