"""Bad input in the columns and sheet that describe other theatres: each issue is reported at its
cell with its exact message (route seasons, aircraft kinds, threat modes, payloads up to 5,000 t,
escort bases, sortie limits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl
import pytest

from logistics.errors import InputError
from logistics.io.reader import load
from logistics.rules.overlay_sources import read_overlays
from logistics.rules.overlays import apply_overlay
from tests.conftest import header_column
from tests.overlay_workbooks import with_scenarios

Edit = Callable[[openpyxl.Workbook], None]


def set_cells(sheet: str, row: int, values: Mapping[str, object]) -> Edit:
    """Write ``values`` (by header) into row ``row`` of ``sheet``."""

    def edit(workbook: openpyxl.Workbook) -> None:
        for header, value in values.items():
            workbook[sheet][f"{header_column(workbook[sheet], header)}{row}"] = value

    return edit


def both(*edits: Edit) -> Edit:
    """Every edit, in order."""

    def edit(workbook: openpyxl.Workbook) -> None:
        for one in edits:
            one(workbook)

    return edit


def messages(path: Path) -> list[str]:
    """Every issue loading ``path`` reports, as shown to the planner."""
    with pytest.raises(InputError) as raised:
        load(path)
    return [str(issue) for issue in raised.value.issues]


SEASON_R2 = {"route_id": "R2", "first_day": 3, "last_day": 8, "open": "yes", "transit_days": 3}

CASES: dict[str, tuple[Edit, list[str]]] = {
    "overlapping seasons of one route": (
        both(
            set_cells("RouteSeasons", 2, SEASON_R2),
            set_cells("RouteSeasons", 3, {**SEASON_R2, "first_day": 8, "last_day": None}),
        ),
        [
            "RouteSeasons!B3 [first_day] = 8: the season of route R2 on days 8 to the end "
            "overlaps its season at RouteSeasons!B2 (days 3–8): seasons of one route must not "
            "overlap"
        ],
    ),
    "season of an unknown route": (
        set_cells("RouteSeasons", 2, {**SEASON_R2, "route_id": "R9"}),
        ["RouteSeasons!A2 [route_id] = 'R9': no route_id 'R9' in the Routes sheet"],
    ),
    "season ending before it starts": (
        set_cells("RouteSeasons", 2, {**SEASON_R2, "last_day": 2}),
        ["RouteSeasons!C2 [last_day] = 2: last_day must not be before first_day"],
    ),
    "season transit of 0 days": (
        set_cells("RouteSeasons", 2, {**SEASON_R2, "transit_days": 0}),
        [
            "RouteSeasons!E2 [transit_days] = 0: expected a number of days greater than 0 and "
            "at most 60"
        ],
    ),
    "aircraft kind on a truck": (
        set_cells("Vehicles", 2, {"aircraft": "helicopter"}),
        [
            "Vehicles!K2 [aircraft] = 'helicopter': aircraft is for air vehicles only: clear it "
            "or make the mode air (mode is road)"
        ],
    ),
    "unknown aircraft kind": (
        set_cells("Vehicles", 4, {"aircraft": "balloon"}),
        ["Vehicles!K4 [aircraft] = 'balloon': expected one of: fixed_wing, helicopter"],
    ),
    "aircraft restriction on a road": (
        set_cells("Routes", 3, {"aircraft": "fixed_wing"}),
        [
            "Routes!M3 [aircraft] = 'fixed_wing': aircraft restricts air routes only: clear it "
            "or make the mode air (mode is road)"
        ],
    ),
    "unknown threat mode": (
        set_cells("Threats", 2, {"modes": "road; rail"}),
        [
            "Threats!K2 [modes] = 'road; rail': expected one or more of road, river, air, separated by ';'"
        ],
    ),
    "route threat on a mode it does not endanger": (
        set_cells("Threats", 2, {"threat_type": "manpads"}),
        [
            "Threats!B2 [threat_type] = 'manpads': route R2 is a road route but the threat "
            "endangers only air, so it would never apply: give modes that include road"
        ],
    ),
    "route threat with modes leaving out the route's": (
        set_cells("Threats", 2, {"modes": "river; air"}),
        [
            "Threats!K2 [modes] = 'river; air': route R2 is a road route but the threat "
            "endangers only river, air, so it would never apply: give modes that include road"
        ],
    ),
    "payload above 5,000 t": (
        set_cells("Vehicles", 2, {"payload_t": 6000}),
        ["Vehicles!E2 [payload_t] = 6000: expected a number of t greater than 0 and at most 5,000"],
    ),
    "escort base that does not exist": (
        set_cells("Convoys", 2, {"escort_base_id": "FOB"}),
        ["Convoys!K2 [escort_base_id] = 'FOB': no base_id 'FOB' in the Bases sheet"],
    ),
    "negative sorties per day": (
        set_cells("Bases", 3, {"max_sorties_per_day": -1}),
        ["Bases!J3 [max_sorties_per_day] = -1: expected a whole number per day from 0 to 10,000"],
    ),
    "unknown airfield class": (
        set_cells("Bases", 3, {"airfield_class": "grass"}),
        [
            "Bases!I3 [airfield_class] = 'grass': expected one of: none, helipad, light_strip, "
            "unpaved_strip, paved_runway"
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_theatre_input_is_reported_at_its_cell(
    name: str, edited_workbook: Callable[[Edit], Path]
) -> None:
    edit, expected = CASES[name]
    assert messages(edited_workbook(edit)) == expected


def test_the_new_columns_read_back(edited_workbook: Callable[[Edit], Path]) -> None:
    """A season, a light strip with a sortie limit, a helicopter-only air route, a fixed-wing
    aircraft, a MANPADS threat on air and an escort base are all read as given."""
    edit = both(
        set_cells("RouteSeasons", 2, SEASON_R2),
        set_cells("Bases", 4, {"airfield_class": "Light strip", "max_sorties_per_day": 6}),
        set_cells("Routes", 4, {"aircraft": "helicopter"}),
        set_cells("Vehicles", 4, {"aircraft": "fixed_wing", "payload_t": 800}),
        set_cells("Threats", 3, {"threat_type": "manpads", "modes": "Air"}),
        set_cells("Convoys", 2, {"escort_base_id": "HUB"}),
    )
    scenario = load(edited_workbook(edit)).scenario
    (season,) = scenario.route_seasons
    assert (season.route_id, season.first_day, season.last_day, season.transit_days) == (
        "R2",
        3,
        8,
        3.0,
    )
    camp = scenario.bases[2]
    assert (camp.airfield_class.value, camp.max_sorties_per_day) == ("light_strip", 6)
    assert (
        scenario.routes[2].aircraft is not None
        and scenario.routes[2].aircraft.value == "helicopter"
    )
    helo = scenario.vehicles[2]
    assert (helo.aircraft_kind, helo.payload_t) == ("fixed_wing", 800.0)
    assert [m.value for m in scenario.threats[1].modes] == ["air"]
    assert scenario.convoys[0].escort_base_id == "HUB"


def test_a_what_if_changes_a_route_season(
    edited_workbook: Callable[[Edit], Path],
) -> None:
    """A Scenarios row names a season by its route and first day (R2/3) and closes it."""
    good = edited_workbook(set_cells("RouteSeasons", 2, SEASON_R2))
    base = load(with_scenarios(good, [("wet", "RouteSeasons", "R2/3", "open", "no")]))
    overlaid = apply_overlay(base, read_overlays(base, None)["wet"])
    assert base.scenario.route_seasons[0].open
    assert not overlaid.scenario.route_seasons[0].open
