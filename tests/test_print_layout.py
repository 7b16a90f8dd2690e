# ruff: noqa: F811  (the fixtures of test_export and test_comparison are imported by name)
"""How the plan and the comparison print: page set-up of every sheet, and the PDF LibreOffice
makes of them (first page the Brief with its map, nothing below 8 pt, marked pages, no number
with more than two decimals)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from logistics.report.brief import PlanImages
from logistics.report.comparison import ScenarioSummary, write_comparison_workbook
from logistics.report.plan_workbook import NOT_PRINTED, write_plan_workbook
from logistics.report.run_sheet import RunInfo
from logistics.rules import registry
from logistics.rules import schemas as s
from models.results import Plan
from tests.libreoffice import convert_to_pdf
from tests.pdf_pages import LONG_DECIMALS, MIN_PRINTED_PT, png, read_pages
from tests.test_comparison import _run, mission, plans, summaries  # noqa: F401
from tests.test_export import plan, run, scenario  # noqa: F401

MARKING = "MISSION RESTRICTED"


@pytest.fixture
def marked(scenario: s.Scenario) -> s.Scenario:
    """The three-base sector with a classification of its own."""
    settings = scenario.settings.model_copy(update={"classification": MARKING})
    return scenario.model_copy(update={"settings": settings})


@pytest.fixture
def plan_path(tmp_path: Path, marked: s.Scenario, plan: Plan, run: RunInfo) -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(path, marked, plan, run, PlanImages(png(800, 600)))
    return path


def _not_printed(title: str) -> bool:
    return title in NOT_PRINTED or title.startswith(registry.INPUT_ECHO_PREFIX)


def test_every_sheet_prints_landscape_fitted_to_width_and_marked(plan_path: Path) -> None:
    wb = openpyxl.load_workbook(plan_path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth) == 1, ws.title
        assert ws.oddHeader.left.text == "+Sector North", ws.title
        assert ws.oddHeader.center.text == MARKING
        assert ws.oddHeader.right.text == "Plan of 2024-01-01 08:30"
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert ws.oddFooter.right.text == MARKING
    assert int(wb["Brief"].page_setup.fitToHeight) == 1


def test_detail_sheets_and_chart_data_are_not_printed(plan_path: Path) -> None:
    """Stock, Cargo, ConvoyVehicles, EndStock, Run and the inputs echo print an empty cell; the
    Summary's print area ends above its chart data."""
    wb = openpyxl.load_workbook(plan_path)
    for ws in wb.worksheets:
        if _not_printed(ws.title):
            (area,) = re.findall(r"\$([A-Z]+)\$(\d+)$", str(ws.print_area))
            assert int(area[1]) > ws.max_row or area[0] > ws.cell(1, ws.max_column).column_letter
    summary = wb["Summary"]
    last_printed = int(str(summary.print_area).rsplit("$", 1)[1])
    chart_data = summary.tables["ChartDaysOfSupply"].ref
    assert int(re.findall(r"\d+", chart_data)[0]) > last_printed
    assert wb["Convoys"].print_title_rows == "$1:$1"


def test_the_plan_prints_brief_first_legibly_and_marked(plan_path: Path, tmp_path: Path) -> None:
    pages = read_pages(convert_to_pdf(plan_path, tmp_path))
    brief = pages[0]
    assert "Logistics plan: +Sector North" in brief.text
    assert "Days of supply by sector" in brief.text and "Map of the mission" in brief.text
    assert brief.images == 1
    assert min(page.smallest_pt for page in pages) >= MIN_PRINTED_PT
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.text
        assert page.text.count(MARKING) >= 2  # top and bottom
        assert "Plan of 2024-01-01 08:30" in page.text
        assert LONG_DECIMALS.findall(page.text) == []
    footers = {
        re.split(r"\s*Page \d+ of", line)[0].split()[-1]
        for page in pages
        for line in page.text.splitlines()
        if re.search(r"Page \d+ of \d+", line)
    }
    assert footers == {
        "Brief",
        "Summary",
        "DaysOfSupply",
        "Timeline",
        "Allocation",
        "Garrison",
        "Convoys",
        "Shortfalls",
        "Routes",
        "Glossary",
    }


def test_the_comparison_prints_legibly(summaries: list[ScenarioSummary], tmp_path: Path) -> None:
    path = tmp_path / "comparison.xlsx"
    write_comparison_workbook(path, summaries, run=_run("base"))
    pages = read_pages(convert_to_pdf(path, tmp_path))
    assert min(page.smallest_pt for page in pages) >= MIN_PRINTED_PT
    assert all("UNCLASSIFIED" in page.text for page in pages)
    assert all(LONG_DECIMALS.findall(page.text) == [] for page in pages)


def printed_pack(path: Path, folder: Path) -> Any:
    """The PDF pages of a plan workbook (for checks by hand on other plans)."""
    return read_pages(convert_to_pdf(path, folder))
