"""The formulation: documented components, sparse indices and the Hall conditions written."""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest

from models import build_model
from models.sets import index_model_data
from tests.models.factory import Mission, hub_and_camp

README = Path(__file__).parents[2] / "models" / "README.md"


def _three_cargo_types(*vehicles: tuple[str, tuple[str, ...]]) -> Mission:
    """HUB → CAMP line L1 with the given (vehicle, cargo types carried), one of each at HUB.

    CAMP needs RATIONS (dry), FUEL (fuel) and WATER (water) on day 2.
    """
    mission = (
        hub_and_camp(horizon_days=2)
        .supply("FUEL", cargo_type="fuel")
        .supply("WATER", cargo_type="water")
        .source("HUB", "FUEL")
        .source("HUB", "WATER")
    )
    for name, carries in vehicles:
        mission.vehicle(name, payload_t=10.0, carries=carries).home("HUB", name, 1)
    mission.line(
        "L1",
        path=("HUB", "CAMP"),
        legs=("R1",),
        offsets=(1,),
        round_trip_days=2,
        vehicle_types=tuple(name for name, _ in vehicles),
    )
    for k in ("RATIONS", "FUEL", "WATER"):
        mission.demand("CAMP", k, [2], 1.0)
    return mission


def test_readme_documents_every_constraint_and_variable() -> None:
    """Every constraint and variable of a full model appears in models/README.md."""
    mission = _three_cargo_types(("TRUCK", ("dry",)), ("TANKER", ("fuel",)), ("BOWSER", ("water",)))
    mission.unit("ESC", strength=10, base="HUB", candidates=("CAMP",), escort_capable=True)
    mission.garrison_required("CAMP", 5, [1, 2]).route("R1", max_convoys_per_day=0)
    mission.line(
        "L2",
        path=("HUB", "CAMP"),
        legs=("R1",),
        offsets=(1,),
        round_trip_days=2,
        vehicle_types=("TRUCK", "TANKER"),
        escort_per_convoy=2,
        escort_per_group=1,
        vehicles_per_group=1,
    )
    m = build_model(mission.build())
    readme = README.read_text(encoding="utf-8")

    names = {c.name for c in m.component_objects((pyo.Constraint, pyo.Var), descend_into=True)}
    assert {
        "escort_capacity",
        "fleet_availability",
        "route_capacity",
        "convoy_vehicle_link",
    } <= names
    assert [name for name in sorted(names) if f"`{name}`" not in readme] == []


@pytest.mark.parametrize(
    ("vehicles", "groups"),
    [
        pytest.param(
            (("TRUCK", ("dry",)), ("TANKER", ("fuel",)), ("BOWSER", ("water",))),
            [{"dry"}, {"fuel"}, {"water"}],
            id="one-type-each",
        ),
        pytest.param(
            (("ANY", ("dry", "fuel", "water")),), [{"dry", "fuel", "water"}], id="one-for-all"
        ),
        pytest.param(
            (("FLATBED", ("dry", "water")), ("BOWSER", ("water",)), ("TANKER", ("fuel",))),
            [{"dry"}, {"fuel"}, {"dry", "water"}],
            id="shared",
        ),
    ],
)
def test_only_hall_conditions_not_implied_are_written(
    vehicles: tuple[tuple[str, tuple[str, ...]], ...], groups: list[set[str]]
) -> None:
    """Sets are kept when connected through shared vehicles and maximal for their vehicles.

    With FLATBED {dry, water} and BOWSER {water}: {water} has the same vehicles as {dry, water}
    and is dominated by it; {dry} has only the flatbed and stays.
    """
    index = index_model_data(_three_cargo_types(*vehicles).build())

    written = [set(g.cargo_types) for g in index.cargo_groups["L1"]]
    assert sorted(written, key=sorted) == sorted(groups, key=sorted)


def test_cargo_is_only_indexed_where_it_can_arrive_in_the_horizon(road_mission: Mission) -> None:
    """On a 5-day horizon with a 1-day trip, departures on day 5 can deliver nothing: no variables."""
    index = index_model_data(road_mission.demand("CAMP", "RATIONS", range(1, 6), 10.0).build())

    assert [t for (_, t) in index.DEPARTURES] == [1, 2, 3, 4]
    assert all(t + 1 <= 5 for (_, t, _, _) in index.CARGO)
