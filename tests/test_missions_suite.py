"""The benchmark suite of missions (``benchmarks.missions``) is usable: no long solves here.

Every member builds, passes the workbook's row and cross-sheet checks and compiles; a written
workbook reads back as the scenario it was written from; the realistic synthetic generator gives
the same theatre for the same seed; and one tiny synthetic member solves to a plan the
independent checker accepts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.missions import synthetic
from benchmarks.missions.build import build_scenario
from benchmarks.missions.suite import HORIZONS_DAYS, VARIANTS, Member, members, select
from logistics.compile import compile_scenario
from logistics.io.reader import load_scenario
from logistics.io.template import write_input_workbook
from logistics.rules.locations import SourceMap
from logistics.rules.schemas import Mode, Scenario
from logistics.rules.validation import check
from models import SolveOptions, solve
from tests.models.plan_checker import check_plan

REPO = Path(__file__).resolve().parents[1]
MEMBERS = {member.name: member for member in members()}


def revalidated(scenario: Scenario) -> Scenario:
    """The scenario through every row's own validators (``model_copy`` skips them, so a variant
    could otherwise make a row no workbook could hold)."""
    return Scenario.model_validate(scenario.model_dump())


def test_the_suite_has_every_theatre_horizon_and_variant() -> None:
    theatres = {member.theatre for member in MEMBERS.values()}
    assert {"mali", "south_sudan", "drc", "somalia"} <= theatres
    assert any(t.startswith("synthetic") for t in theatres)
    assert len(MEMBERS) == len(theatres) * len(HORIZONS_DAYS) * len(VARIANTS)
    assert [m.name for m in select(["drc-42d-*"])] == [f"drc-42d-{v}" for v in VARIANTS]


@pytest.mark.parametrize("name", sorted(MEMBERS))
def test_member_builds_validates_and_compiles(name: str) -> None:
    member: Member = MEMBERS[name]
    scenario = member.build()
    assert revalidated(scenario) == scenario
    assert scenario.settings.horizon_days == member.horizon_days
    assert check(scenario, SourceMap(file=f"{name}.xlsx")) == []
    data = compile_scenario(scenario)
    assert data.lines and all(line.vehicle_types for line in data.lines.values())


@pytest.mark.parametrize("name", sorted(n for n in MEMBERS if not n.startswith("mali")))
def test_member_has_the_size_of_a_real_mission(name: str) -> None:
    """About 20-30 bases and 30-50 units (the base of the brief), whatever the variant."""
    scenario = MEMBERS[name].build()
    assert 20 <= len(scenario.bases) <= 30
    assert 30 <= len(scenario.units) <= 50


def test_variants_change_what_they_say() -> None:
    base = MEMBERS["south_sudan-28d-base"].build()
    blockade = MEMBERS["south_sudan-28d-blockade"].build()
    rains = MEMBERS["south_sudan-28d-rains"].build()
    escort = MEMBERS["south_sudan-28d-escort"].build()
    assert {t.route_id for t in blockade.threats} - {t.route_id for t in base.threats} == {
        "NML-JUB-ROAD"
    }
    closed = {s.route_id for s in rains.route_seasons if not s.open}
    assert "RUM-WAU-ROAD" in closed and "NML-JUB-ROAD" not in closed
    assert not base.route_seasons and rains.routes == base.routes
    assert len(escort.units) == len(base.units) - 1


@pytest.mark.parametrize("theatre", sorted({m.theatre for m in MEMBERS.values()}))
def test_rains_close_routes_and_slow_others_by_route_seasons(theatre: str) -> None:
    """Every theatre's rainy member says its rains in RouteSeasons rows: closures from the
    onset, and at least one route that stays open but takes longer than in the dry season."""
    rains = MEMBERS[f"{theatre}-28d-rains"].build()
    transit = {route.route_id: route.transit_days for route in rains.routes}
    assert any(not season.open for season in rains.route_seasons)
    assert any(
        season.open
        and season.transit_days is not None
        and season.transit_days > transit[season.route_id]
        for season in rains.route_seasons
    )


def test_south_sudan_barges_carry_a_whole_push_set() -> None:
    scenario = MEMBERS["south_sudan-28d-base"].build()
    barges = [v for v in scenario.vehicles if v.mode == Mode.river and "BARGE" in v.vehicle_type_id]
    assert barges and all(v.payload_t > 200 for v in barges)


def test_mali_members_are_the_bundled_workbook() -> None:
    """28 days: the workbook as read; 42 days: what ran to day 28 runs to day 42."""
    mali = load_scenario(REPO / "inputs" / "mali.xlsx")
    assert MEMBERS["mali-28d-base"].build() == mali
    longer = MEMBERS["mali-42d-base"].build()
    assert longer.settings.horizon_days == 42
    to_the_end = {t.threat_id for t in mali.threats if t.last_day == 28}
    assert to_the_end and all(
        t.last_day is None for t in longer.threats if t.threat_id in to_the_end
    )


def test_written_workbook_reads_back_as_its_scenario(tmp_path: Path) -> None:
    """The rainy South Sudan member (season windows, slowed routes, area threats, barges)."""
    scenario = MEMBERS["south_sudan-42d-rains"].build()
    path = tmp_path / "south_sudan-42d-rains.xlsx"
    write_input_workbook(scenario, path)
    assert load_scenario(path) == scenario


def test_realistic_synthetic_generator_is_deterministic() -> None:
    generate = synthetic.theatre.__wrapped__  # the generator itself, not its cache
    assert generate(3) == generate(3)
    assert build_scenario(generate(3), 28) == build_scenario(generate(3), 28)
    assert generate(3) != generate(4)


def test_tiny_synthetic_member_solves_to_a_plan_the_checker_accepts() -> None:
    """Twelve places over five days: seconds, and every rule of SPEC §3 holds."""
    scenario = build_scenario(synthetic.theatre(5, n_bases=12), 5)
    data = compile_scenario(scenario)
    plan = solve(data, SolveOptions(time_limit_s=20, mip_gap=0.05))
    assert plan.status.has_plan
    check_plan(data, plan)
