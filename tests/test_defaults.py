"""Defaults merge record by record: a row replaces only the default with its own key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics.io.reader import load, missing_defaults
from logistics.io.template import write_input_workbook
from logistics.rules import schemas as s
from logistics.rules.registry import SHEET_BY_NAME
from tests.test_bad_inputs import add_row, all_of, delete_rows
from tests.workbooks import three_base_scenario

Edit = Callable[[openpyxl.Workbook], None]

CONSUMPTION = SHEET_BY_NAME["Consumption"]
SUPPLIES = tuple(
    s.Supply(supply_id=k, unit="t", mass_t_per_unit=1, cargo_type="dry")
    for k in sorted({row.supply_id for row in s.DEFAULT_CONSUMPTION} | {"FOOD"})
)
KINDS = (None, *s.BaseKind)


def test_one_consumption_row_keeps_every_other_default(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """The issue's case: a FOOD row no longer drops the water default (demand met 100 %)."""

    def only_food(workbook: openpyxl.Workbook) -> None:
        workbook["Consumption"].delete_rows(2, 5)
        workbook["Consumption"].append(["FOOD", None, 0.002])
        workbook["Supplies"].append(["FOOD", "Food", "t", 1, "dry", 3, 0])
        workbook["Sources"].append(["HUB", "FOOD", 10])

    loaded = load(edited_workbook(only_food))
    rates = {
        (c.supply_id, c.base_kind): c.quantity_per_person_day for c in loaded.scenario.consumption
    }
    assert rates == {
        ("FOOD", None): 0.002,
        ("WATER", None): 0.084,
        ("WATER", s.BaseKind.team_site): 0.030,
        ("RATIONS", None): 0.003,
        ("FUEL", None): 0.010,
        ("FUEL", s.BaseKind.hub): 0.020,
    }
    assert loaded.warnings == ()


def test_a_row_for_a_class_and_kind_overrides_that_default_only(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    path = edited_workbook(
        all_of(
            delete_rows("Consumption", 2, 5), add_row("Consumption", ["WATER", "team_site", 0.05])
        )
    )
    rates = {
        (c.supply_id, c.base_kind): c.quantity_per_person_day
        for c in load(path).scenario.consumption
    }
    assert rates[("WATER", s.BaseKind.team_site)] == 0.05
    assert rates[("WATER", None)] == 0.084


def test_a_threat_level_left_out_takes_its_default(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    loaded = load(edited_workbook(delete_rows("ThreatLevels", 5, 1)))
    levels = {rule.threat_level: rule for rule in loaded.scenario.threat_levels}
    assert levels[4] == s.DEFAULT_THREAT_LEVELS[3]
    assert "ThreatLevels" in loaded.locations.defaulted


consumption_rows = st.lists(
    st.builds(
        s.Consumption,
        supply_id=st.sampled_from([supply.supply_id for supply in SUPPLIES]),
        base_kind=st.sampled_from(KINDS),
        quantity_per_person_day=st.floats(0, 10),
    ),
    max_size=12,
    unique_by=lambda row: (row.supply_id, row.base_kind),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(rows=consumption_rows)
def test_every_default_is_kept_unless_a_row_overrides_it(rows: list[s.Consumption]) -> None:
    """Whatever rows a Consumption sheet gives, each default stays unless a row has its key,
    and every row given is kept as given."""
    tables = {"Supplies": SUPPLIES, "Consumption": rows}
    added = missing_defaults(CONSUMPTION, tables)
    merged = {CONSUMPTION.key_of(row): row for row in [*rows, *added]}
    given_rows = {CONSUMPTION.key_of(row): row for row in rows}
    assert len(merged) == len(rows) + len(added)
    for default in s.DEFAULT_CONSUMPTION:
        key = CONSUMPTION.key_of(default)
        assert merged[key] == given_rows.get(key, default)


@pytest.fixture(scope="module")
def mission_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-base mission (classes WATER, RATIONS, FUEL) written once for the module."""
    path = tmp_path_factory.mktemp("defaults") / "mission.xlsx"
    write_input_workbook(three_base_scenario(), path)
    return path


DECLARED_DEFAULTS = [
    row for row in s.DEFAULT_CONSUMPTION if row.supply_id in {"WATER", "RATIONS", "FUEL"}
]


@settings(max_examples=25, deadline=None)
@given(
    chosen=st.lists(
        # rates in thousandths: the float survives Excel's 15 significant digits unchanged
        st.tuples(st.sampled_from(DECLARED_DEFAULTS), st.integers(0, 1000).map(lambda n: n / 1000)),
        unique_by=lambda pair: CONSUMPTION.key_of(pair[0]),
    )
)
def test_a_workbook_with_any_subset_of_consumption_rows_keeps_the_other_defaults(
    mission_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    chosen: list[tuple[s.Consumption, float]],
) -> None:
    """Through a real workbook: the Consumption sheet holds a random subset of the default keys
    with random rates; every other default is still applied."""
    workbook = openpyxl.load_workbook(mission_path)
    sheet = workbook["Consumption"]
    sheet.delete_rows(2, sheet.max_row)
    for row, rate in chosen:
        sheet.append([row.supply_id, row.base_kind.value if row.base_kind else None, rate])
    path = tmp_path_factory.mktemp("subset") / "mission.xlsx"
    workbook.save(path)
    rates = {
        CONSUMPTION.key_of(row): row.quantity_per_person_day
        for row in load(path).scenario.consumption
    }
    given_rates = {CONSUMPTION.key_of(row): rate for row, rate in chosen}
    assert rates == {
        CONSUMPTION.key_of(row): given_rates.get(
            CONSUMPTION.key_of(row), row.quantity_per_person_day
        )
        for row in DECLARED_DEFAULTS
    }
