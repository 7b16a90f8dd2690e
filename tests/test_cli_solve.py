"""The ``solve`` and ``whatif`` commands: exit codes, what they print, what they write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from logistics.cli import app
from tests.conftest import header_column

ROOT = Path(__file__).resolve().parents[1]
Edit = Callable[[openpyxl.Workbook], None]
runner = CliRunner()


def test_solve_writes_the_plan_and_prints_the_key_figures(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(
        app,
        ["solve", str(ROOT / "inputs" / "tiny.xlsx"), "--output", str(target), "--mip-gap", "0"],
    )
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert "demand_met_pct" in result.output
    assert "optimal" in result.output
    assert "writing the plan workbook" in result.output


def test_solve_of_a_bad_workbook_exits_1_names_the_cell_and_writes_nothing(
    edited_workbook: Callable[[Edit], Path], tmp_path: Path
) -> None:
    def text_distance(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["Routes"]
        sheet[f"{header_column(sheet, 'distance_km')}2"] = "far"

    target = tmp_path / "out" / "plan.xlsx"
    result = runner.invoke(
        app, ["solve", str(edited_workbook(text_distance)), "--output", str(target)]
    )
    assert result.exit_code == 1
    assert "Routes!E2" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_whatif_with_a_command_line_closure_writes_plans_and_comparison(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "whatif",
            str(ROOT / "inputs" / "tiny.xlsx"),
            "--output-dir",
            str(tmp_path),
            "--close-route",
            "HUB-A:2-3",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    drawings = (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "base.xlsx",
            "command-line.xlsx",
            "comparison.xlsx",
            *(f"{plan}{suffix}" for plan in ("base", "command-line") for suffix in drawings),
        ]
    )
    assert "done    command-line" in result.output


def test_whatif_with_a_bad_shortcut_reports_it_and_still_solves_the_base(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "whatif",
            str(ROOT / "inputs" / "tiny.xlsx"),
            "--output-dir",
            str(tmp_path),
            "--remove-unit",
            "NOBODY",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 1
    assert "NOBODY" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "base.xlsx").exists()
    assert (tmp_path / "comparison.xlsx").exists()


def test_a_solve_stopped_before_any_plan_says_so_and_exits_3(tmp_path: Path) -> None:
    """Mali cannot be solved in a tenth of a second: no plan is found, the status says so (not
    "feasible"), the workbook shows the mission with no deliveries, and the exit code is 3."""
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(
        app,
        [
            "solve",
            str(ROOT / "inputs" / "mali.xlsx"),
            "--output",
            str(target),
            "--time-limit",
            "0.1",
        ],
    )
    assert result.exit_code == 3, result.output
    output = " ".join(result.output.split())
    assert "No plan was found: no plan found within the time limit" in output
    assert "no_solution" in output
    summary = openpyxl.load_workbook(target, read_only=True)["Summary"]
    texts = [v for row in summary.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(text.startswith("No plan found within the time limit") for text in texts)


def test_solve_races_searches_and_the_run_sheet_says_how_the_search_went(tmp_path: Path) -> None:
    """``--threads 2 --seed 3``: two searches raced from seed 3; the Run sheet's search section
    gives the times to 5 % and 1 %, the searches, the seed and that the plan is reproducible."""
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(
        app,
        [
            "solve",
            str(ROOT / "inputs" / "tiny.xlsx"),
            "--output",
            str(target),
            "--mip-gap",
            "0",
            "--threads",
            "2",
            "--seed",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    run = openpyxl.load_workbook(target, read_only=True)["Run"]
    search = {
        row[1]: row[2] for row in run.iter_rows(min_row=2, values_only=True) if row[0] == "search"
    }
    assert search["searches raced"] == 2
    assert search["random seed"] == 3
    assert isinstance(search["plan within 5 % after"], float)
    assert search["plan within 5 % after"] <= search["plan within 1 % after"]
    assert str(search["reproducible"]).startswith("yes: every search ended by its gap")
