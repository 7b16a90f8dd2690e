"""The example missions solved end to end: hand-derived optimum, plan properties, stored KPIs.

The Mali figures are stored in ``tests/expectations/mali.json``; after a deliberate change to the
model or the example, refresh them with ``UPDATE_EXPECTATIONS=1 pytest tests/test_example_plans.py``
and review the diff like any other change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from logistics.api import PlanRun, plan_workbook
from logistics.errors import InputError
from logistics.io.reader import load_scenario
from logistics.report.brief import PlanImages
from logistics.report.kpis import compute_kpis
from logistics.report.plan_workbook import write_plan_workbook
from logistics.report.tables import plan_frames
from models import TABLE_COLUMNS
from tests.libreoffice import convert_to_pdf
from tests.models.plan_checker import check_plan
from tests.pdf_pages import LONG_DECIMALS, MIN_PRINTED_PT, PrintedPage, png, read_pages

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "expectations" / "mali.json"
UPDATE = os.environ.get("UPDATE_EXPECTATIONS") == "1"
STORED_KPIS = (
    "demand_met_pct",
    "shortfall_total",
    "convoys",
    "air_sorties",
    "troops_allocated",
    "garrison_shortfall",
)
CONTRACT_SHEETS = {
    "Summary": None,
    "Allocation": ("unit_id", "strength", "from_base_id", "to_base_id", "moved_km"),
    "Garrison": None,
    "Convoys": (
        "convoy_id",
        "line_id",
        "mode",
        "origin_id",
        "path",
        "depart_day",
        "return_day",
        "vehicles",
        "escort_troops",
        "max_threat_level",
        "exposure",
    ),
    "ConvoyVehicles": ("convoy_id", "vehicle_type_id", "count"),
    "Cargo": ("convoy_id", "base_id", "arrival_day", "supply_id", "quantity"),
    "Stock": TABLE_COLUMNS["stock"],
    "Shortfalls": ("base_id", "supply_id", "day", "quantity", "reason"),
    "Routes": None,
    "Run": None,
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> PlanRun:
    """The tiny mission solved to proven optimality (gap 0)."""
    return plan_workbook(
        ROOT / "inputs" / "tiny.xlsx",
        tmp_path_factory.mktemp("tiny") / "plan.xlsx",
        mip_gap_pct=0.0,
    )


@pytest.fixture(scope="module")
def mali(tmp_path_factory: pytest.TempPathFactory) -> PlanRun:
    """The Mali mission solved as the README's main command does."""
    return plan_workbook(
        ROOT / "inputs" / "mali.xlsx", tmp_path_factory.mktemp("mali") / "plan.xlsx"
    )


def test_tiny_plan_is_the_hand_derived_optimum(tiny: PlanRun) -> None:
    """``build_tiny`` derives it: L-A on days 1, 3, 5 (20, 20, 10 kL), L-B on days 2, 4 (20 kL),
    10 kL short at CAMP-B on day 2, objective 213,333.33 + 7.2 + 2.64 = 213,343.17."""
    plan = tiny.plan
    assert plan.status.value == "optimal"
    assert plan.objective == pytest.approx(640_000 / 3 + 7.2 + 2.64, abs=1e-4)
    convoys = plan.tables["convoys"].sort_values("depart_day")
    assert list(zip(convoys.line_id, convoys.depart_day, strict=True)) == [
        ("L-A", 1),
        ("L-B", 2),
        ("L-A", 3),
        ("L-B", 4),
        ("L-A", 5),
    ]
    assert list(convoys.cargo_t.round(6)) == [20, 20, 20, 20, 10]
    shortfalls = plan.tables["shortfalls"]
    assert list(
        zip(shortfalls.base_id, shortfalls.day, shortfalls.quantity.round(6), strict=True)
    ) == [("CAMP-B", 2, 10)]
    check_plan(tiny.data, plan)


def test_tiny_shortfall_says_why(tiny: PlanRun) -> None:
    """The one tanker is on its way to CAMP-A on day 1: the fleet is what binds."""
    assert "fleet exhausted" in tiny.plan.tables["shortfalls"].reason.iloc[0]


MALI_GAP_PCT = 2.0
"""Largest gap the Mali plan may end with in the workbook's 300 s. Measured 1.24-1.43 % since
helicopters fly Sevare-Douentza (the exposure and cost priority is the slow one; 600 s gave
1.24 %): a plan short of the 1 % asked for must say so in its status and termination."""


@pytest.mark.slow
def test_mali_plan_respects_every_rule(mali: PlanRun) -> None:
    plan = mali.plan
    assert plan.status.has_plan
    assert plan.mip_gap_pct is not None and plan.mip_gap_pct <= MALI_GAP_PCT
    if plan.mip_gap_pct > 1.0:
        assert plan.status.value == "feasible"
        assert "this plan may be up to" in plan.termination
        assert "(asked for 1 %)" in plan.termination
        assert not plan.search.reproducible
    check_plan(mali.data, plan)


@pytest.mark.slow
def test_mali_kpis_match_the_stored_expectations(mali: PlanRun) -> None:
    """Objective within twice the 1 % gap of the stored one (both plans are within 1 % of their
    bounds); the other KPIs close to theirs."""
    kpis = {
        k.kpi: k.value
        for k in compute_kpis(mali.scenario, mali.plan, plan_frames(mali.scenario, mali.plan), 0.0)
    }
    found = {"objective": mali.plan.objective, **{name: kpis[name] for name in STORED_KPIS}}
    if UPDATE or not EXPECTATIONS.exists():
        EXPECTATIONS.write_text(
            json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        if not UPDATE:
            pytest.fail(f"no stored expectations: wrote {EXPECTATIONS}; review and commit it")
    stored = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
    assert found["objective"] == pytest.approx(stored["objective"], rel=0.02)
    assert found["demand_met_pct"] == pytest.approx(stored["demand_met_pct"], abs=0.5)
    assert found["troops_allocated"] == stored["troops_allocated"]
    assert found["garrison_shortfall"] == pytest.approx(stored["garrison_shortfall"], abs=50)
    assert found["convoys"] == pytest.approx(stored["convoys"], rel=0.25)
    assert found["air_sorties"] == pytest.approx(stored["air_sorties"], rel=0.25)


@pytest.mark.slow
def test_mali_plan_workbook_holds_the_contract_and_no_formulas(mali: PlanRun) -> None:
    assert mali.output is not None
    wb = openpyxl.load_workbook(mali.output)
    for sheet, columns in CONTRACT_SHEETS.items():
        assert sheet in wb.sheetnames
        if columns is not None:
            header = [c.value for c in next(wb[sheet].iter_rows(min_row=1, max_row=1))]
            assert set(columns) <= set(header), sheet
    formulas = [
        c.coordinate
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    convoys = len(mali.plan.tables["convoys"])
    assert wb["Convoys"].max_row >= convoys + 1


@pytest.mark.slow
def test_mali_plan_workbook_opens_in_libreoffice(mali: PlanRun, tmp_path: Path) -> None:
    assert mali.output is not None
    assert convert_to_pdf(mali.output, tmp_path).stat().st_size > 10_000


MALI_MAX_PAGES = 22
"""Pages the printed Mali plan may take. Measured 21 (22 with a timeline picture) on a 150 s
plan of 211 convoys with LibreOffice's fallback font for Calibri; 97 before the Brief, the heat
map and the print layout. Most are the Convoys sheet (about 38 convoys a page)."""


def check_printed_plan(run: PlanRun, folder: Path) -> list[PrintedPage]:
    """Print ``run``'s plan with a map to PDF and check it reads as a briefing pack: at most
    ``MALI_MAX_PAGES`` pages, the Brief with its map first, nothing below 8 pt, every page marked
    and numbered with the scenario and plan date, no number with more than two decimals.
    Call it by hand on a short solve: ``check_printed_plan(plan_workbook(mali, None,
    time_limit_s=150), Path("/tmp/mali"))``."""
    path = folder / "mali-plan.xlsx"
    write_plan_workbook(path, run.scenario, run.plan, run.run, PlanImages(map_png=png(900, 700)))
    pages = read_pages(convert_to_pdf(path, folder))
    assert len(pages) <= MALI_MAX_PAGES
    assert "Logistics plan: MINUSMA" in pages[0].text and "Map of the mission" in pages[0].text
    assert pages[0].images == 1
    assert min(page.smallest_pt for page in pages) >= MIN_PRINTED_PT
    dated = f"Plan of {run.run.started_at:%Y-%m-%d %H:%M}"
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.text
        assert page.text.count(run.scenario.settings.classification) >= 2
        assert dated in page.text
        assert LONG_DECIMALS.findall(page.text) == [], number
    return pages


@pytest.mark.slow
def test_mali_plan_prints_as_a_briefing_pack(mali: PlanRun, tmp_path: Path) -> None:
    check_printed_plan(mali, tmp_path)


def test_a_solve_stopped_before_any_plan_falls_back_to_the_plan_without_convoys(
    tmp_path: Path,
) -> None:
    """With no time at all HiGHS finds nothing: the status says no plan was found, and the
    workbook shows the mission with no deliveries, its stores used before anything falls short."""
    run = plan_workbook(ROOT / "inputs" / "tiny.xlsx", tmp_path / "plan.xlsx", time_limit_s=1e-6)
    assert run.plan.status.value == "no_solution"
    assert not run.plan.status.has_plan
    assert run.plan.termination.startswith("no plan found within the time limit")
    assert "no deliveries" in run.plan.termination
    assert run.plan.tables["convoys"].empty
    check_plan(run.data, run.plan)
    stock = run.plan.tables["stock"].set_index(["base_id", "day"])
    assert stock.loc[("CAMP-A", 1), "met"] == pytest.approx(10.0)  # its 10 kL are drunk on day 1
    summary = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Summary"]
    texts = [v for row in summary.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(text.startswith("No plan found within the time limit") for text in texts)


def test_a_plan_workbook_reads_back_as_the_scenario_it_was_solved_from(tiny: PlanRun) -> None:
    """The ``In_`` sheets hold the inputs exactly as solved: the plan can be re-solved as it is."""
    assert tiny.output is not None
    assert load_scenario(tiny.output) == tiny.scenario


def test_a_problem_in_a_plan_workbooks_inputs_names_its_in_sheet(
    tiny: PlanRun, tmp_path: Path
) -> None:
    assert tiny.output is not None
    workbook = openpyxl.load_workbook(tiny.output)
    routes = workbook["In_Routes"]
    column = next(c.column_letter for c in routes[1] if c.value == "distance_km")
    routes[f"{column}2"] = "far"
    edited = tmp_path / "edited-plan.xlsx"
    workbook.save(edited)
    with pytest.raises(InputError) as raised:
        load_scenario(edited)
    assert [i.location for i in raised.value.issues] == [f"In_Routes!{column}2"]
