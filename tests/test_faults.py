"""Faults a probe of the command line found: each is a test with its exact message and exit code.

The user's files are never overwritten, validate and solve agree, a finished solve is never lost,
a bad scenario fails alone, and no fault ends in a traceback. The missions are the hand-checked
``inputs/tiny.xlsx`` changed cell by cell, so each solve takes a moment.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from logistics import api, whatif
from logistics.cli import app
from logistics.errors import InputError, Issue
from logistics.io.reader import load
from logistics.report.summary import CHART_DAY_HEADER, stock_chart_frame
from logistics.rules import schemas as s
from logistics.whatif import plan_file_names
from tests.overlay_workbooks import with_scenarios

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
DATA_SHEETS = (
    "Supplies",
    "Bases",
    "Stocks",
    "Sources",
    "Demands",
    "Routes",
    "Fleet",
    "Convoys",
    "Units",
)
runner = CliRunner()

Edit = Callable[[openpyxl.Workbook], None]


def tiny(tmp_path: Path, edit: Edit | None = None, name: str = "tiny.xlsx") -> Path:
    """A copy of the tiny mission, changed by ``edit``."""
    workbook = openpyxl.load_workbook(TINY)
    if edit is not None:
        edit(workbook)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def set_setting(key: str, value: object) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["Settings"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
                return
        sheet.append([key, value])

    return edit


def rename_base(old: str, new: str) -> Edit:
    """Rename a base on every data sheet that refers to it."""

    def edit(workbook: openpyxl.Workbook) -> None:
        for name in DATA_SHEETS:
            for row in workbook[name].iter_rows(min_row=2):
                for cell in row:
                    if cell.value == old:
                        cell.value = new

    return edit


def plain(output: str) -> str:
    """Terminal output with its line wrapping undone."""
    return " ".join(output.split())


# --------------------------------------------------------------------------------------------------
# Never write over an input
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["same", "dot", "symlink"])
def test_solve_refuses_to_write_its_plan_over_the_input(tmp_path: Path, form: str) -> None:
    source = tiny(tmp_path)
    before = source.read_bytes()
    target = {
        "same": source,
        "dot": tmp_path / "." / "sub" / ".." / "tiny.xlsx",
        "symlink": tmp_path / "link.xlsx",
    }[form]
    if form == "symlink":
        target.symlink_to(source)
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["solve", str(source), "--output", str(target)])
    assert result.exit_code == 2
    assert (
        f"Nothing was solved: {target} is the input workbook {source}: writing there would "
        "destroy it." in plain(result.output)
    )
    assert "building the model" not in result.output  # refused before the solve
    assert source.read_bytes() == before
    assert "Traceback" not in result.output


def test_whatif_refuses_to_write_the_base_plan_over_a_base_called_base(tmp_path: Path) -> None:
    source = tiny(tmp_path, name="w/base.xlsx")
    before = source.read_bytes()
    result = runner.invoke(app, ["whatif", str(source), "--output-dir", str(source.parent)])
    assert result.exit_code == 2
    assert f"{source.parent / 'base.xlsx'} is the input workbook {source}" in plain(result.output)
    assert source.read_bytes() == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["base.xlsx"]


def test_plan_file_names_are_safe_unique_ignoring_case_and_never_reserved() -> None:
    names = ["base", "comparison", "Close-B", "close-b", "Comparison-2", "CON", "storm."]
    assert plan_file_names(names) == {
        "base": "base.xlsx",
        "comparison": "comparison-2.xlsx",
        "Close-B": "Close-B.xlsx",
        "close-b": "close-b-2.xlsx",
        "Comparison-2": "Comparison-2-2.xlsx",
        "CON": "CON-2.xlsx",
        "storm.": "storm.xlsx",
    }


def test_a_scenario_named_comparison_keeps_its_plan(tmp_path: Path) -> None:
    source = with_scenarios(
        tiny(tmp_path), [("comparison", "Routes", "HUB-A", "open", "no", 2, 3)], "w.xlsx"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["whatif", str(source), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "base.xlsx",
            "comparison-2.xlsx",
            "comparison.xlsx",
            *(
                f"{plan}{suffix}"
                for plan in ("base", "comparison-2")
                for suffix in (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
            ),
        ]
    )
    assert "Comparison" in openpyxl.load_workbook(out / "comparison.xlsx").sheetnames
    assert "Summary" in openpyxl.load_workbook(out / "comparison-2.xlsx").sheetnames


@pytest.fixture
def immutable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder no one may write in, root included (``chattr +i``; skipped where unsupported)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
        pytest.skip("chattr +i is not available here")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_is_refused_before_the_solve(immutable_folder: Path) -> None:
    target = immutable_folder / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(TINY), "--output", str(target)])
    assert result.exit_code == 2
    assert plain(result.output) == (
        f"Nothing was solved: {target} cannot be written: the folder is not writable "
        f"(in {immutable_folder}); choose a folder you can write to"
    )
    assert list(immutable_folder.iterdir()) == []


def test_a_read_only_folder_is_found_before_the_solve_and_named_by_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where chattr is missing: the refusal is simulated where the operating system gives it,
    creating the temporary file."""

    def refuse(**_: object) -> tuple[int, str]:
        raise PermissionError(
            13, "Permission denied", str(tmp_path / "out" / ".plan-9-abcdefgh.xlsx")
        )

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    target = tmp_path / "out" / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(TINY), "--output", str(target)])
    assert result.exit_code == 2
    assert plain(result.output) == (
        f"Nothing was solved: {target} cannot be written: Permission denied "
        f"(in {target.parent}); choose a folder you can write to"
    )


# --------------------------------------------------------------------------------------------------
# Validate and solve agree; a finished solve is never lost
# --------------------------------------------------------------------------------------------------


def test_more_than_a_convoys_worth_of_vehicles_without_convoy_lines_solves(tmp_path: Path) -> None:
    """1,500 tankers at the hub and no Convoys sheet: the generated lines were 1,500 vehicles
    wide, past the Convoys sheet's bound of 1,000, and solve crashed where validate passed."""

    def many_tankers(workbook: openpyxl.Workbook) -> None:
        workbook.remove(workbook["Convoys"])
        workbook["Fleet"]["C2"] = 1500

    source = tiny(tmp_path, many_tankers)
    assert runner.invoke(app, ["validate", str(source)]).exit_code == 0
    result = runner.invoke(app, ["solve", str(source), "-o", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_a_base_called_day_gets_its_plan(tmp_path: Path) -> None:
    """The days-of-supply chart's table had headers day and Day, which Excel refuses."""
    source = tiny(tmp_path, rename_base("CAMP-A", "Day"))
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_the_chart_data_header_can_be_no_base_id() -> None:
    stock = pd.DataFrame(
        [{"base_id": b, "day": d, "days_of_supply": 1.0} for b in ("Day", "DAY") for d in (1, 2)]
    )
    assert list(stock_chart_frame({"Stock": stock}, ["Day"]).columns) == [CHART_DAY_HEADER, "Day"]
    with pytest.raises(ValidationError):
        TypeAdapter(s.Id).validate_python(CHART_DAY_HEADER)


def test_a_failing_export_reports_the_solved_plan_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise ValueError("Table contains duplicate headers")

    monkeypatch.setattr(api, "write_plan_workbook", broken)
    target = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["solve", str(TINY), "-o", str(target)])
    assert result.exit_code == 2
    assert "demand_met_pct" in result.output  # the solve's figures are shown
    assert (
        f"The plan was not saved: the plan was solved but could not be written to {target}: "
        "Table contains duplicate headers" in plain(result.output)
    )
    assert not target.exists()
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------------
# Bounds and text the solver and the caveats can use
# --------------------------------------------------------------------------------------------------


def test_an_absurd_objective_weight_is_refused_at_its_cell(tmp_path: Path) -> None:
    """1e20 passed validation, then the solver failed with "Unknown" (exit 3), no cell named."""
    source = tiny(tmp_path, set_setting("weight_shortfall", 1e20))
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 1
    (issue,) = _issues(source)
    assert str(issue) == (
        "Settings!B6 [weight_shortfall] = 1e+20: expected a number from 0 to 1,000,000"
    )


def test_a_sector_with_a_list_separator_is_refused(tmp_path: Path) -> None:
    def separator(workbook: openpyxl.Workbook) -> None:
        workbook["Bases"]["D2"] = "North; East"

    (issue,) = _issues(tiny(tmp_path, separator))
    assert str(issue) == (
        "Bases!D2 [sector] = 'North; East': a sector must not contain ',' or ';': they separate "
        "the sectors in the Units sheet's allowed_sectors, so this sector could never be allowed"
    )


def test_text_typed_decomposed_and_composed_is_one_text(tmp_path: Path) -> None:
    """ "Sévaré" typed on a Mac (NFD) and on Windows (NFC) is the same sector."""
    decomposed = unicodedata.normalize("NFD", "Sévaré")

    def sectors(workbook: openpyxl.Workbook) -> None:
        for row in workbook["Bases"].iter_rows(min_row=2):
            row[3].value = decomposed
        for row in workbook["Units"].iter_rows(min_row=2):
            row[7].value = "Sévaré"

    scenario = load(tiny(tmp_path, sectors)).scenario
    assert {base.sector for base in scenario.bases} == {"Sévaré"}
    assert {unit.allowed_sectors for unit in scenario.units} == {("Sévaré",)}


def _issues(path: Path) -> tuple[Issue, ...]:
    with pytest.raises(InputError) as raised:
        load(path)
    return raised.value.issues


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.datetime(2021, 11, 4), "2021-11-04"),
        (dt.datetime(2021, 11, 4, 13, 30), "2021-11-04 13:30"),
        (12.0, "12"),
        (0.084, "0.084"),
        (True, "TRUE"),
        ("far", "'far'"),
    ],
)
def test_values_are_shown_as_typed_not_as_python_reprs(value: object, shown: str) -> None:
    assert Issue("Routes", "E2", "distance_km", value, "expected a number").shown_value == shown


def test_a_date_in_a_number_column_is_shown_as_a_date(tmp_path: Path) -> None:
    def date_distance(workbook: openpyxl.Workbook) -> None:
        workbook["Routes"]["E2"] = dt.datetime(2021, 11, 4)

    result = runner.invoke(app, ["validate", str(tiny(tmp_path, date_distance))])
    assert result.exit_code == 1
    assert "2021-11-04" in result.output
    assert "datetime" not in result.output


# --------------------------------------------------------------------------------------------------
# What-if batches
# --------------------------------------------------------------------------------------------------


def test_bad_scenario_names_fail_alone_and_the_others_solve(tmp_path: Path) -> None:
    source = with_scenarios(
        tiny(tmp_path),
        [
            ("close-a", "Routes", "HUB-A", "open", "no", 2, 3),
            ("x" * 36, "Routes", "HUB-A", "open", "no"),
            ("a/b", "Routes", "HUB-A", "open", "no"),
            (None, "Routes", "HUB-A", "open", "no"),
            ("Base", "Routes", "HUB-A", "open", "no"),
        ],
        "w.xlsx",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["whatif", str(source), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1
    assert "done    close-a" in result.output
    text = plain(result.output)
    for failed in (
        f"{'x' * 36} (Scenarios!A3)",
        "a/b (Scenarios!A4)",
        "unnamed (Scenarios!A5)",
        "Base (Scenarios!A6)",
    ):
        assert f"failed {failed}" in text
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "base.xlsx",
            "close-a.xlsx",
            "comparison.xlsx",
            *(
                f"{plan}{suffix}"
                for plan in ("base", "close-a")
                for suffix in (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
            ),
        ]
    )
    assert "Traceback" not in result.output


def test_a_bad_scheduler_address_is_a_plain_message(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["whatif", str(TINY), "-o", str(tmp_path), "--scheduler", "not an address"]
    )
    assert result.exit_code == 2
    assert plain(result.output).startswith(
        "Could not use the Dask cluster: 'not an address' is not a Dask scheduler address "
        "(missing port number in address 'not an address'); give one like tcp://10.0.0.5:8786"
    )
    assert "Traceback" not in result.output


def test_an_unreachable_scheduler_is_named_not_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whatif, "SCHEDULER_TIMEOUT_S", 1)
    result = runner.invoke(
        app, ["whatif", str(TINY), "-o", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert result.exit_code == 2
    text = plain(result.output)
    assert (
        "Could not use the Dask cluster: the Dask scheduler at tcp://127.0.0.1:1 cannot be reached"
        in text
    )
    assert "tiny.xlsx" not in text


def test_a_long_value_is_cut_in_messages() -> None:
    issue = Issue("Bases", "B2", "name", "x" * 40_000, "expected text of at most 120 characters")
    assert issue.shown_value == "'" + "x" * 100 + "'… (40,000 characters)"
