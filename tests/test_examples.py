"""The example workbooks in ``inputs/`` are built reproducibly by ``scripts/build_examples.py``.

The committed workbooks must be what the script builds today (re-run ``python
scripts/build_examples.py`` after changing it or its data), they must pass validation, and the
Mali mission must keep the scale and consistency of the real one (FACTS of the mission data).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from logistics.io.reader import load_scenario, missing_defaults, read_workbook
from logistics.io.template import write_template
from logistics.rules.registry import SHEET_BY_NAME
from logistics.rules.schemas import BaseKind, Scenario

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "inputs"


def _load_script() -> ModuleType:
    """Import ``scripts/build_examples.py`` (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(
        "build_examples", REPO / "scripts" / "build_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


build_examples = _load_script()
BUILDERS: dict[str, Callable[[], Scenario]] = {
    "mali": build_examples.build_mali,
    "tiny": build_examples.build_tiny,
}


@pytest.fixture(scope="module")
def mali() -> Scenario:
    """The Mali scenario, built once for the consistency checks."""
    scenario: Scenario = build_examples.build_mali()
    return scenario


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_building_is_deterministic(name: str) -> None:
    assert BUILDERS[name]() == BUILDERS[name]()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_committed_workbook_is_up_to_date(name: str) -> None:
    """Reading ``inputs/<name>.xlsx`` gives exactly what the script builds, with the default
    consumption records it does not give merged in (as the reader does for any workbook)."""
    built = BUILDERS[name]()
    spec = SHEET_BY_NAME["Consumption"]
    tables = {"Supplies": built.supplies, "Consumption": built.consumption}
    expected = built.model_copy(
        update={"consumption": (*built.consumption, *missing_defaults(spec, tables))}
    )
    assert read_workbook(INPUTS / f"{name}.xlsx") == expected


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_committed_workbook_validates(name: str) -> None:
    load_scenario(INPUTS / f"{name}.xlsx")


def _headers(path: Path) -> dict[str, list[object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [cell.value for cell in next(sheet.iter_rows(max_row=1))]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def test_committed_template_is_up_to_date(tmp_path: Path) -> None:
    """Same sheets and header rows as a freshly written template."""
    fresh = tmp_path / "template.xlsx"
    write_template(fresh)
    assert _headers(INPUTS / "template.xlsx") == _headers(fresh)


def test_mali_has_the_scale_of_the_real_mission(mali: Scenario) -> None:
    """About 13,000 troops in 30-50 units (FACTS §1: 11,800-13,300 deployed, 12 camps + HQ)."""
    troops = sum(unit.strength for unit in mali.units)
    assert 12_000 <= troops <= 13_000
    assert 30 <= len(mali.units) <= 50
    assert len(mali.convoys) <= 35


def test_mali_units_sit_within_their_caveats(mali: Scenario) -> None:
    sector = {base.base_id: base.sector for base in mali.bases}
    outside = [
        unit.unit_id
        for unit in mali.units
        if unit.allowed_sectors and sector[unit.current_base_id] not in unit.allowed_sectors
    ]
    assert outside == []


def test_mali_units_fit_their_bases(mali: Scenario) -> None:
    room = {base.base_id: base.accommodation_troops for base in mali.bases}
    housed = build_examples.troops_by_base(mali.units)
    assert {b: n for b, n in housed.items() if n > room[b]} == {}


def test_every_mali_base_with_troops_is_supplied(mali: Scenario) -> None:
    """A base housing troops lies on a convoy line, or produces every class locally."""
    on_a_line = {line.destination_base_id for line in mali.convoys}
    on_a_line |= {via for line in mali.convoys for via in line.via_base_ids}
    classes = {supply.supply_id for supply in mali.supplies}
    sourced: dict[str, set[str]] = {}
    for source in mali.sources:
        sourced.setdefault(source.base_id, set()).add(source.supply_id)
    cut_off = [
        base_id
        for base_id in build_examples.troops_by_base(mali.units)
        if base_id not in on_a_line and sourced.get(base_id, set()) != classes
    ]
    assert cut_off == []


def test_every_mali_camp_is_on_a_line(mali: Scenario) -> None:
    on_a_line = {line.destination_base_id for line in mali.convoys}
    on_a_line |= {via for line in mali.convoys for via in line.via_base_ids}
    camps = {
        base.base_id for base in mali.bases if base.kind in (BaseKind.camp, BaseKind.team_site)
    }
    assert camps - on_a_line == set()


def test_mali_water_is_mostly_but_not_all_local(mali: Scenario) -> None:
    """Local production covers most water, but some camps must be resupplied."""
    local = {s.base_id: s.quantity_per_day or 0.0 for s in mali.sources if s.supply_id == "WATER"}
    rate = {
        c.base_kind: c.quantity_per_person_day for c in mali.consumption if c.supply_id == "WATER"
    }
    kind = {base.base_id: base.kind for base in mali.bases}
    need = {
        base_id: troops * rate.get(kind[base_id], rate[None])
        for base_id, troops in build_examples.troops_by_base(mali.units).items()
    }
    assert sum(local.values()) >= 0.8 * sum(need.values())
    assert any(local.get(base_id, 0.0) < need[base_id] for base_id in need)


def test_mali_river_is_open_all_horizon(mali: Scenario) -> None:
    """The start date falls in the high-water season of the Mopti–Timbuktu river (Jul–Dec)."""
    river = next(r for r in mali.routes if r.route_id == "SEV-TBU-RIVER")
    assert river.open_from_day == 1
    assert river.open_to_day is None or river.open_to_day >= mali.settings.horizon_days


def test_mali_base_threats_stay_below_closure(mali: Scenario) -> None:
    """Level 5 axes are capped at 4 as a base level; their closures are dated Threats rows."""
    closure = mali.settings.route_closure_threat_level
    assert all(route.threat_level < closure for route in mali.routes)
    assert any(threat.level >= closure for threat in mali.threats)


@pytest.mark.parametrize(
    ("note", "start", "window"),
    [
        ("Jul-Dec only", dt.date(2021, 11, 1), (1, 61)),
        ("Jul-Dec only", dt.date(2021, 3, 1), (123, 306)),
        ("Jul-Dec only", dt.date(2022, 1, 10), (173, 356)),
        ("Nov-Feb only", dt.date(2022, 1, 1), (1, 59)),
        ("", dt.date(2021, 11, 1), (1, None)),
        ("unpaved", dt.date(2021, 11, 1), (1, None)),
    ],
)
def test_season_window(note: str, start: dt.date, window: tuple[int, int | None]) -> None:
    assert build_examples.season_window(note, start) == window


def _cell_values(workbook: openpyxl.Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_committed_mali_scenarios_are_up_to_date() -> None:
    """``inputs/mali-scenarios.xlsx`` holds exactly the cells the script writes today."""
    committed = openpyxl.load_workbook(INPUTS / "mali-scenarios.xlsx")
    assert _cell_values(committed) == _cell_values(build_examples.build_mali_scenarios())
