# ruff: noqa: F811  (the fixtures of test_export are imported and used by name)
"""The Brief, the days-of-supply heat map, the convoy timeline, dates and the glossary, on the
three-base sector of ``test_export`` (Gao hub, Kidal and Tessalit camps, days 1-3 from
2024-01-01), whose numbers are worked out by hand below."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from logistics.report.brief import PlanImages
from logistics.report.glossary import TERMS, glossary_key
from logistics.report.kpis import compute_kpis
from logistics.report.palette import threat_colour
from logistics.report.plan_workbook import build_plan_workbook
from logistics.report.run_sheet import RunInfo
from logistics.report.tables import plan_frames
from logistics.rules import schemas as s
from models.results import Plan
from tests.pdf_pages import png
from tests.test_export import _sheet_frame, _table_frame, plan, run, scenario  # noqa: F401

START = dt.date(2024, 1, 1)


@pytest.fixture
def workbook(scenario: s.Scenario, plan: Plan, run: RunInfo) -> Any:
    return build_plan_workbook(scenario, plan, run, PlanImages(png(800, 600)))


def _rows(ws: Any) -> list[tuple[object, ...]]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def _block(ws: Any, heading: str) -> list[tuple[object, ...]]:
    """The rows under ``heading`` (its header row first) in the half of the Brief it is in, up to
    the blank row that ends it."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == heading:
                out = []
                for r in range(cell.row + 1, ws.max_row + 1):
                    values = tuple(
                        ws.cell(row=r, column=c).value for c in range(cell.column, cell.column + 6)
                    )
                    if values[0] is None:
                        break
                    out.append(values)
                return out
    raise AssertionError(f"no block {heading!r}")


def test_the_brief_is_the_first_sheet_and_opens_first(workbook: Any) -> None:
    assert workbook.sheetnames[0] == "Brief"
    assert workbook.active.title == "Brief"


def test_the_brief_says_the_status_in_plain_words(workbook: Any) -> None:
    texts = [v for row in _rows(workbook["Brief"]) for v in row if isinstance(v, str)]
    assert texts[0] == "Logistics plan: +Sector North"
    assert "2024-01-01 to 2024-01-03 (3 days)" in texts
    assert "The plan is as good as it can be (within the precision asked for)." in texts
    assert (
        "Demand met 95.2 % · short 10.0 t + kL · 3 convoys and sorties · garrisons short "
        "150 troops · at most 0.4 % from the best possible plan" in texts
    )
    solver_words = ("MIP", "gap", "score", "best_bound", "objective")
    assert not [t for t in texts if any(w in t for w in solver_words)]


def test_sustainment_by_sector(workbook: Any) -> None:
    """North (KID, TES) WATER: (100 + 50) / (40 + 30) = 2.1 days on day 1, (60 + 10) / 70 = 1.0
    on day 3; both stock points close below their safety target on some day. Gao holds no stock
    with demand, so East is not listed."""
    rows = _block(workbook["Brief"], "Days of supply by sector (scarcest class)")
    assert rows == [
        ("Sector", "Bases", "Day 1", "Day 3", "Scarcest", "Below safety target"),
        ("North", 2, 2.1, 1.0, "WATER", 2),
    ]


def test_what_cannot_be_met_and_why(workbook: Any) -> None:
    rows = _block(workbook["Brief"], "What cannot be met, and why")
    assert rows == [
        ("Base", "Class", "From", "To", "Short", "Why"),
        (
            "TES",
            "WATER (kL)",
            dt.date(2024, 1, 3),
            dt.date(2024, 1, 3),
            10.0,
            "'\t=1 escort exhausted",
        ),
        ("KID", "WATER (kL)", dt.date(2024, 1, 3), dt.date(2024, 1, 3), 5.0, "'\n=1"),
    ]


def test_units_moved(workbook: Any) -> None:
    rows = _block(workbook["Brief"], "Units moved")
    assert rows[1:] == [
        ("U2", 250, "GAO", "KID", dt.date(2024, 1, 1), dt.date(2024, 1, 3)),
        ("U4", 50, "KID", "TES", dt.date(2024, 1, 1), dt.date(2024, 1, 2)),
    ]


def test_fleet_and_escorts_at_their_busiest(workbook: Any) -> None:
    """Day 2: C1's 10 trucks (away days 1-2) and C2's 6 (days 2-5) = 16 of 20; C3's two
    helicopters fly on day 1 (2 aircraft × 1 sortie a day); escorts 32 + 32 = 64 of the 200
    troops of escort-capable units."""
    rows = _block(workbook["Brief"], "Fleet and escorts at their busiest")
    assert [r[:5] for r in rows[1:]] == [
        ("Mi-8", 2, 2, dt.date(2024, 1, 1), 100.0),
        ("'=1+1 truck", 20, 16, dt.date(2024, 1, 2), 80.0),
        ("Escort troops", 200, 64, dt.date(2024, 1, 2), 32.0),
    ]


def test_most_exposed_convoys_and_routes(workbook: Any) -> None:
    convoys = _block(workbook["Brief"], "Most exposed convoys")
    assert [r[0] for r in convoys[1:]] == ["C2", "C1", "C3"]
    assert convoys[1][1:4] == ("GAO > KID > TES", dt.date(2024, 1, 2), 6)
    routes = _block(workbook["Brief"], "Most exposed routes")
    assert [r[0] for r in routes[1:]] == ["R1", "R2", "A1"]


def test_the_map_is_embedded_on_the_brief_and_the_timeline_is_drawn_in_cells(
    workbook: Any,
) -> None:
    (picture,) = workbook["Brief"]._images
    assert picture.anchor == "H7"  # the right half, under its heading
    assert picture.width / picture.height == pytest.approx(800 / 600, rel=0.01)
    assert workbook["Timeline"]._images == []


def test_without_pictures_the_brief_has_no_map_block(
    scenario: s.Scenario, plan: Plan, run: RunInfo
) -> None:
    wb = build_plan_workbook(scenario, plan, run)
    assert wb["Brief"]._images == [] and wb["Timeline"]._images == []
    texts = [v for row in _rows(wb["Brief"]) for v in row if isinstance(v, str)]
    assert "Map of the mission" not in texts


def test_heat_map_of_days_of_supply_by_base_and_date(workbook: Any) -> None:
    """KID closes WATER at 120, 100, 60 with 40 a day (3.0, 2.5, 1.5 days) against a safety target
    of 120: green, then amber twice (60 is half the target, not below it). TES closes at 20, 0,
    10 with 30 a day against 90: red every day."""
    ws = workbook["DaysOfSupply"]
    rows = _rows(ws)
    header = rows[3]
    assert header == (
        "Base",
        "Sector",
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 3),
    )
    assert rows[4] == ("KID", "North", 3.0, 2.5, 1.5)
    assert rows[5] == ("TES", "North", 0.7, 0.0, 0.3)
    colours = [[ws.cell(row=r, column=c).fill.fgColor.rgb for c in (3, 4, 5)] for r in (5, 6)]
    green, amber, red = "FF63BE7B", "FFFFEB84", "FFF8696B"
    assert colours == [[green, amber, amber], [red, red, red]]


def test_convoy_timeline_by_line_and_date(workbook: Any) -> None:
    """L1: C1 (10 trucks, away days 1-2) and C2 (6, days 2-5); AIR: C3 (2, day 1)."""
    ws = workbook["Timeline"]
    rows = _rows(ws)
    assert rows[3][:5] == (
        "Line",
        "Convoys",
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 3),
    )
    assert rows[4][:5] == ("AIR", 1, 2, None, None)
    assert rows[5][:5] == ("L1", 2, 10, 16, 6)


def test_the_timeline_colours_each_day_by_the_highest_threat_and_frames_departures(
    workbook: Any,
) -> None:
    """C3 (AIR, threat 1) leaves on day 1; on L1, C1 (threat 3) is away on days 1-2 and C2
    (threat 4) leaves on day 2 and is away to day 5: L1 is amber on day 1, orange from day 2."""
    ws = workbook["Timeline"]
    fill = {
        (line, day): ws.cell(row=row, column=2 + day).fill.fgColor.rgb
        for line, row in (("AIR", 5), ("L1", 6))
        for day in (1, 2, 3)
    }
    colour = {level: "FF" + threat_colour(level).lstrip("#").upper() for level in (1, 3, 4)}
    assert fill[("AIR", 1)] == colour[1]
    assert [fill[("L1", day)] for day in (1, 2, 3)] == [colour[3], colour[4], colour[4]]
    leaving = [
        (line, day)
        for (line, day) in fill
        if ws.cell(row={"AIR": 5, "L1": 6}[line], column=2 + day).font.b
    ]
    assert sorted(leaving) == [("AIR", 1), ("L1", 1), ("L1", 2)]
    assert ws.cell(row=6, column=4).border.left.style == "medium"
    assert ws.cell(row=6, column=5).border.left.style is None


def test_every_day_column_has_its_date_beside_it(scenario: s.Scenario, plan: Plan) -> None:
    frames = plan_frames(scenario, plan)
    checked = 0
    for frame in frames.values():
        columns = list(frame.columns)
        for day, date in (
            ("day", "date"),
            ("depart_day", "depart_date"),
            ("return_day", "return_date"),
            ("arrival_day", "arrival_date"),
            ("move_day", "move_date"),
        ):
            if day in columns:
                assert columns[columns.index(day) + 1] == date
                for number, when in zip(frame[day], frame[date], strict=True):
                    if pd.notna(number):
                        assert when == START + dt.timedelta(days=int(number) - 1)
                        checked += 1
    assert checked > 20


def test_without_a_start_date_days_stay_numbers(
    scenario: s.Scenario, plan: Plan, run: RunInfo
) -> None:
    undated = scenario.model_copy(
        update={"settings": scenario.settings.model_copy(update={"start_date": None})}
    )
    frames = plan_frames(undated, plan)
    assert "date" not in frames["Stock"].columns
    wb = build_plan_workbook(undated, plan, run)
    assert _rows(wb["DaysOfSupply"])[3][2:] == ("day 1", "day 2", "day 3")


def test_the_glossary_explains_every_header_and_kpi(workbook: Any, scenario: s.Scenario) -> None:
    glossary = _table_frame(workbook["Glossary"], "Glossary")
    terms = set(glossary["Term"])
    supplies = frozenset(supply.supply_id for supply in scenario.supplies)
    headers = {
        str(header)
        for name in (
            "Allocation",
            "Garrison",
            "Convoys",
            "ConvoyVehicles",
            "Cargo",
            "Stock",
            "Shortfalls",
            "EndStock",
            "Routes",
        )
        for header in _sheet_frame(workbook, name).columns
    }
    kpis = set(_table_frame(workbook["Summary"], "KPIs")["kpi"])
    missing = {name for name in headers | kpis if glossary_key(name, supplies) not in terms}
    assert missing == set()
    for plain in (
        "unmet demand",
        "threat exposure",
        "distance from best possible plan",
        "classification",
    ):
        assert plain in terms
    assert len(terms) == len(glossary) >= len(TERMS)


def test_values_are_rounded_to_their_unit(scenario: s.Scenario, plan: Plan, run: RunInfo) -> None:
    """Solver residue (87.19999999999999, -7.9e-10) is stored as people read it."""
    tables = dict(plan.tables)
    stock = tables["stock"].copy()
    stock.loc[0, "closing"] = 119.99999999999999
    stock.loc[1, "shortfall"] = -7.9e-10
    tables["stock"] = stock
    noisy = Plan(**{**plan.__dict__, "tables": tables})
    frames = plan_frames(scenario, noisy)
    assert frames["Stock"].loc[0, "closing"] == 120.0
    assert str(frames["Stock"].loc[1, "shortfall"]) == "0.0"
    assert frames["Routes"].loc[0, "cost_usd"] == 22400  # whole USD
    kpis = {k.kpi: k.value for k in compute_kpis(scenario, noisy, frames, 7.0)}
    assert kpis["shortfall_total"] == 10.0


def test_a_day_short_by_less_than_the_sheets_resolution_is_not_listed(
    scenario: s.Scenario, plan: Plan, run: RunInfo
) -> None:
    """0.04 kL short reads 0.0 on the Stock sheet and in the KPIs: Shortfalls, the Brief and the
    web page do not list it as a shortfall of 0.0; 0.05 reads 0.1 and is listed."""
    tables = dict(plan.tables)
    shortfalls = tables["shortfalls"].iloc[0:0]
    tables["shortfalls"] = pd.concat(
        [
            shortfalls,
            pd.DataFrame(
                [("KID", "WATER", 2, 0.04, "fleet exhausted"), ("TES", "WATER", 2, 0.05, "x")],
                columns=shortfalls.columns,
            ),
        ],
        ignore_index=True,
    )
    tiny = Plan(**{**plan.__dict__, "tables": tables})
    listed = plan_frames(scenario, tiny)["Shortfalls"]
    assert listed[["base_id", "day", "quantity"]].values.tolist() == [["TES", 2, 0.1]]
    wb = build_plan_workbook(scenario, tiny, run)
    assert [row[:5] for row in _rows(wb["Shortfalls"])[1:]] == [
        ("TES", "Tessalit", "WATER", "kL", 2)
    ]
    assert _block(wb["Brief"], "What cannot be met, and why")[1][:2] == ("TES", "WATER (kL)")
    tables["shortfalls"] = tables["shortfalls"].iloc[:1]
    wb = build_plan_workbook(scenario, Plan(**{**plan.__dict__, "tables": tables}), run)
    assert wb["Shortfalls"]["A4"].value == "none: every demand is met on every day"


def test_an_empty_result_sheet_says_none(scenario: s.Scenario, plan: Plan, run: RunInfo) -> None:
    tables = dict(plan.tables)
    tables["shortfalls"] = tables["shortfalls"].iloc[0:0]
    wb = build_plan_workbook(scenario, Plan(**{**plan.__dict__, "tables": tables}), run)
    assert wb["Shortfalls"]["A4"].value == "none: every demand is met on every day"
    assert str(wb["Shortfalls"].print_area).endswith("$4")  # the note prints
