"""What-if batches end to end on a small escorted mission.

The base is the tiny example (one hub, camps A and B, one tanker, six days) with road HUB-A at
threat level 3 (16 escort troops per convoy) and the hub company escort-capable. Scenarios close
HUB-A on days 2-4, raise it to the closure level on days 2-4, and remove the escort company.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from logistics.compile import compile_scenario
from logistics.io.reader import load
from logistics.io.template import write_input_workbook
from logistics.rules.overlay_sources import read_overlays
from logistics.rules.overlays import apply_overlay
from logistics.whatif import BASE, run_whatif
from scripts.build_examples import build_tiny
from tests.models.plan_checker import check_plan
from tests.overlay_workbooks import overlay_workbook

SCENARIO_ROWS = [
    ("road-closed", "Routes", "HUB-A", "open", "no", 2, 4, "rains close HUB-A"),
    ("threat-5", "Routes", "HUB-A", "threat_level", 5, 2, 4, "IED campaign on HUB-A"),
    ("no-escort", "Units", "HQ-COY", "*", "remove", None, None, "the escort company leaves"),
]


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The base workbook and the overlay workbook of the three scenarios."""
    folder = tmp_path_factory.mktemp("whatif")
    tiny = build_tiny()
    routes = tuple(
        r.model_copy(update={"threat_level": 3}) if r.route_id == "HUB-A" else r
        for r in tiny.routes
    )
    units = tuple(
        u.model_copy(update={"escort_capable": True}) if u.unit_id == "HQ-COY" else u
        for u in tiny.units
    )
    settings = tiny.settings.model_copy(update={"mip_gap_pct": 0.0})
    base = folder / "base.xlsx"
    write_input_workbook(
        tiny.model_copy(update={"routes": routes, "units": units, "settings": settings}), base
    )
    return base, overlay_workbook(folder / "scenarios.xlsx", SCENARIO_ROWS)


@pytest.fixture(scope="module")
def batch(mission: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch solved on two local worker processes."""
    base, scenarios = mission
    output = tmp_path_factory.mktemp("plans")
    result = run_whatif(base, scenarios, output, workers=2)
    assert result.failed == ()
    return output


def _kpis(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[:3] == ("kpi", "value", "unit"))
    return {row[0]: row[1] for row in rows[start + 1 :] if row[0]}


def test_a_plan_per_scenario_and_a_comparison(batch: Path) -> None:
    names = sorted(p.name for p in batch.iterdir())
    plans = ("base", "no-escort", "road-closed", "threat-5")
    drawings = [
        f"{plan}{suffix}"
        for plan in plans
        for suffix in (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
    ]
    assert names == sorted([*(f"{plan}.xlsx" for plan in plans), "comparison.xlsx", *drawings])


def test_comparison_deltas_are_the_differences_of_the_plan_workbooks(batch: Path) -> None:
    ws = openpyxl.load_workbook(batch / "comparison.xlsx")["Comparison"]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row[:2] == ("kpi", "unit"))
    header = rows[header_at]
    table = {
        row[0]: dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if row[0]
    }
    base = _kpis(batch / "base.xlsx")
    for name in ("road-closed", "threat-5", "no-escort"):
        own = _kpis(batch / f"{name}.xlsx")
        for kpi in ("objective", "shortfall_total", "convoys", "exposure", "demand_met_pct"):
            assert table[kpi][name] == pytest.approx(own[kpi])
            assert table[kpi][f"delta_{name}"] == pytest.approx(float(own[kpi]) - float(base[kpi]))  # type: ignore[arg-type]


def test_inputs_that_differ_list_exactly_the_overlay_rows(batch: Path) -> None:
    ws = openpyxl.load_workbook(batch / "comparison.xlsx")["Comparison"]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(
        i for i, row in enumerate(rows) if row[:4] == ("scenario", "sheet", "id", "field")
    )
    listed = {row[:4] for row in rows[header_at + 1 :] if row[0]}
    assert listed == {
        ("road-closed", "Routes", "HUB-A", "open"),
        ("threat-5", "Routes", "HUB-A", "threat_level"),
        ("no-escort", "Units", "HQ-COY", "*"),
    }


def _solved(mission: tuple[Path, Path], name: str) -> tuple[object, object]:
    from models import SolveOptions, solve

    base_path, scenarios = mission
    base = load(base_path)
    scenario = apply_overlay(base, read_overlays(base, scenarios)[name]).scenario
    data = compile_scenario(scenario)
    plan = solve(data, SolveOptions(mip_gap=0.0))
    check_plan(data, plan)
    return data, plan


@pytest.mark.parametrize("name", ["road-closed", "threat-5"])
def test_no_convoy_is_on_hub_a_while_it_is_closed(mission: tuple[Path, Path], name: str) -> None:
    """L-A is on HUB-A on its departure day (0.5 days out, 0.5 back): no departures on days 2-4."""
    data, plan = _solved(mission, name)
    convoys = plan.tables["convoys"]  # type: ignore[attr-defined]
    days = set(convoys[convoys.line_id == "L-A"].depart_day)
    assert days and not days & {2, 3, 4}
    assert not any(data.route_open[("HUB-A", d)] for d in (2, 3, 4))  # type: ignore[attr-defined]


def test_removing_the_escort_company_stops_the_escorted_line(mission: tuple[Path, Path]) -> None:
    """Without escort troops L-A (level 3) cannot run: camp A falls short, and says why.

    Camp A needs 60 kL over six days and holds 10, so 50 kL fall short on some days; nothing can
    arrive on day 1 whatever the escort ("no open path"), after that the escort is what is missing.
    """
    _, plan = _solved(mission, "no-escort")
    convoys = plan.tables["convoys"]  # type: ignore[attr-defined]
    assert "L-A" not in set(convoys.line_id)
    shortfalls = plan.tables["shortfalls"]  # type: ignore[attr-defined]
    at_a = shortfalls[shortfalls.base_id == "CAMP-A"]
    assert at_a.quantity.sum() == pytest.approx(50)
    later = at_a[at_a.day > 1]
    assert len(later) > 0
    assert later.reason.str.contains("escort exhausted").all()


def test_a_bad_scenario_fails_alone(mission: tuple[Path, Path], tmp_path: Path) -> None:
    base, _ = mission
    scenarios = overlay_workbook(
        tmp_path / "bad.xlsx",
        [
            ("good", "Routes", "HUB-B", "open", "no", 3, 3),
            ("bad", "Routes", "NOWHERE", "open", "no"),
        ],
    )
    result = run_whatif(base, scenarios, tmp_path / "out", workers=1)
    assert result.failed == ("bad",)
    assert "Scenarios!C3" in (next(s for s in result.summaries if s.name == "bad").error or "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [
            "base.xlsx",
            "comparison.xlsx",
            "good.xlsx",
            *(
                f"{plan}{suffix}"
                for plan in ("base", "good")
                for suffix in (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
            ),
        ]
    )


def test_a_dask_cluster_gives_the_same_results_as_the_local_pool(
    mission: tuple[Path, Path], batch: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    base, scenarios = mission
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_whatif(base, scenarios, tmp_path, scheduler=cluster.scheduler_address)
    assert result.failed == ()
    for summary in result.summaries:
        local = _kpis(batch / f"{summary.name}.xlsx")
        assert summary.value("objective") == pytest.approx(local["objective"])
        assert summary.value("convoys") == local["convoys"]


def test_base_is_solved_first_and_listed_first(batch: Path) -> None:
    ws = openpyxl.load_workbook(batch / "comparison.xlsx")["Scenarios"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0]]
    first = next(i for i, r in enumerate(rows) if r[0] == "scenario")
    assert rows[first + 1][0] == BASE
