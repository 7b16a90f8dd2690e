"""The drawings of a plan: map, timeline, GeoJSON and KML, and the files written beside a plan.

The tiny mission (one hub, two camps, two roads, no threats) is solved once per module; the
other cases are that plan with a threat area added or a route closed on some days, and a mission
of one base with an empty plan.
"""

from __future__ import annotations

import json
import shutil
import socket
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import jsonschema
import pandas as pd
import pytest
from typer.testing import CliRunner

from logistics import api
from logistics.cli import app
from logistics.drawing import (
    EMBEDDED,
    PAGE,
    companion_paths,
    convoy_timeline,
    convoy_timeline_png,
    geo,
    plan_geojson,
    plan_kml,
    plan_map,
    plan_map_png,
    plan_view,
    png_bytes,
    svg_text,
    timeline_canvas,
    write_plan_companions,
)
from logistics.errors import OutputError
from logistics.rules.schemas import Base, Scenario, Settings, Supply, Threat
from models import Plan
from models.results import TABLE_COLUMNS, SolveStatus

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
SCHEMA = ROOT / "tests" / "data" / "geojson-schema" / "FeatureCollection.json"
KML = "{http://www.opengis.net/kml/2.2}"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def tiny() -> tuple[Scenario, Plan]:
    """The tiny mission and its optimal plan: three convoys on HUB-A, two on HUB-B."""
    scenario = api.load_scenario(TINY)
    _data, plan = api.solve_scenario(scenario, api.solve_options(scenario.settings))
    assert plan.status == SolveStatus.optimal
    return scenario, plan


@pytest.fixture(scope="module")
def threatened(tiny: tuple[Scenario, Plan]) -> tuple[Scenario, Plan]:
    """The tiny plan with a level-4 ambush area around camp A (drawn, not solved with)."""
    scenario, plan = tiny
    area = Threat(
        threat_id="AMBUSH-A",
        threat_type="ambush",
        level=4,
        latitude_deg=14.0,
        longitude_deg=-3.5,
        radius_km=25.0,
        description="Ambushes east of the hub.",
    )
    return scenario.model_copy(update={"threats": (area,)}), plan


def _with_route_closed(plan: Plan, route_id: str, days: str) -> Plan:
    """The plan with its Routes table saying ``route_id`` is closed on ``days`` (e.g. ``3-4``)."""
    routes = plan.tables["routes"].copy()
    row = routes["route_id"] == route_id
    routes.loc[row, "days_closed"] = 2
    routes.loc[row, "closed_days"] = days
    routes.loc[row, "max_threat_level"] = 5
    return replace(plan, tables={**plan.tables, "routes": routes})


def _lone_base() -> tuple[Scenario, Plan]:
    """A mission of one base, no routes, no threats, and a plan with nothing in it."""
    scenario = Scenario(
        settings=Settings(scenario_name="Lone outpost", horizon_days=7),
        supplies=(
            Supply(supply_id="WATER", name="Water", unit="kL", mass_t_per_unit=1.0, cargo_type="water"),
        ),
        bases=(
            Base(base_id="POST", name="Outpost", kind="camp", sector="North",
                 latitude_deg=18.0, longitude_deg=1.0),
        ),
    )  # fmt: skip
    tables = {key: pd.DataFrame(columns=list(columns)) for key, columns in TABLE_COLUMNS.items()}
    plan = Plan(
        status=SolveStatus.optimal,
        termination="nothing to plan",
        objective=0.0,
        best_bound=0.0,
        mip_gap_pct=0.0,
        objective_terms={},
        raw_terms={},
        tables=tables,
    )
    return scenario, plan


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's signature and IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# --------------------------------------------------------------------------------------------------
# Country outlines
# --------------------------------------------------------------------------------------------------


def test_topojson_arcs_are_delta_decoded_scaled_and_stitched_backwards() -> None:
    """Arc 0 runs (0,0) → (2,0) → (2,2) in quantised steps; arc 1 (2,2) → (0,2) → (0,0). With
    scale 0.5 and translate (10, 20) the square ring is (10,20) (11,20) (11,21) (10,21) (10,20);
    the hole follows the same arcs backwards (~1 then ~0)."""
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1], [-2, -1]], "properties": {"name": "Sq"}},
                    {"type": None},
                ],
            }
        },
    }
    (square,) = geo.decode_topojson(topology, "land")
    assert square.name == "Sq"
    outer, hole = square.rings
    assert outer.tolist() == [[10, 20], [11, 20], [11, 21], [10, 21], [10, 20]]
    assert hole.tolist() == [[10, 20], [10, 21], [11, 21], [11, 20], [10, 20]]


def test_outlines_load_offline_and_mali_is_where_it_belongs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the outlines must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    geo.country_outlines.cache_clear()
    countries = {country.name: country for country in geo.country_outlines()}
    assert len(countries) > 200
    west, south = countries["Mali"].rings[0].min(axis=0)
    east, north = countries["Mali"].rings[0].max(axis=0)
    assert -12.5 < west < -11.0 and 4.0 < east < 4.5 and 10.0 < south < 10.5 and 24.5 < north < 25.5
    kept = geo.outlines_within(geo.Extent(-5.0, -3.0, 13.0, 15.0))
    assert {name for name, _ in kept} == {"Mali", "Burkina Faso"}
    for _name, rings in kept:
        for ring in rings:
            assert ring[:, 0].min() >= -5.0 - 1e-9 and ring[:, 0].max() <= -3.0 + 1e-9


def test_a_threat_circle_is_its_radius_from_the_centre_all_round() -> None:
    ring = geo.circle(15.0, -2.0, 90.0)
    distances = [geo.distance_km((-2.0, 15.0), (float(x), float(y))) for x, y in ring]
    assert min(distances) == pytest.approx(90.0, rel=1e-9)
    assert max(distances) == pytest.approx(90.0, rel=1e-9)
    assert ring[0].tolist() == ring[-1].tolist()


# --------------------------------------------------------------------------------------------------
# What the drawings show
# --------------------------------------------------------------------------------------------------


def test_route_tonnage_is_what_the_convoys_carry_over_it(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    view = plan_view(scenario, plan)
    cargo = plan.tables["cargo"]
    by_route = {route.route_id: route for route in view.routes}
    for route_id, camp in (("HUB-A", "CAMP-A"), ("HUB-B", "CAMP-B")):
        water_kl = float(cargo.loc[cargo["base_id"] == camp, "quantity"].sum())
        assert by_route[route_id].tonnage_t == pytest.approx(water_kl)  # water: 1 t per kL
        convoys = plan.tables["convoys"]
        assert sorted(by_route[route_id].departure_days) == sorted(
            convoys.loc[convoys["path"] == f"HUB > {camp}", "depart_day"]
        )


# --------------------------------------------------------------------------------------------------
# The map and the timeline
# --------------------------------------------------------------------------------------------------


def test_the_embedded_map_is_a_png_of_12_by_8_cm(tiny: tuple[Scenario, Plan]) -> None:
    png = plan_map_png(*tiny)
    assert _png_size(png) == EMBEDDED.pixels == (944, 629)
    assert EMBEDDED.display_px == (454, 302)


def test_the_map_svg_parses_and_holds_every_base_route_and_the_scale_bar(
    threatened: tuple[Scenario, Plan],
) -> None:
    view = plan_view(*threatened)
    root = SafeET.fromstring(svg_text(plan_map(view, PAGE)))
    ids = {element.get("id") for element in root.iter()}
    assert {f"base-{b}" for b in ("HUB", "CAMP-A", "CAMP-B")} <= ids
    assert {"route-HUB-A", "route-HUB-B", "threat-AMBUSH-A", "scale-bar", "north-arrow"} <= ids
    assert "attribution" in ids


def _route_strokes(svg: str, route_id: str) -> list[str]:
    """The style of every path drawn for a route."""
    root = SafeET.fromstring(svg)
    group = next(e for e in root.iter(f"{SVG}g") if e.get("id") == f"route-{route_id}")
    return [path.get("style", "") for path in group.iter(f"{SVG}path")]


def test_a_route_closed_on_some_days_is_dashed_and_an_open_one_is_not(
    tiny: tuple[Scenario, Plan],
) -> None:
    scenario, plan = tiny
    svg = svg_text(plan_map(plan_view(scenario, _with_route_closed(plan, "HUB-A", "3-4"))))
    assert all("stroke-dasharray" in s for s in _route_strokes(svg, "HUB-A"))
    assert not any("stroke-dasharray" in s for s in _route_strokes(svg, "HUB-B"))
    # and its colour is the red of threat level 5
    assert all("#b3161b" in s for s in _route_strokes(svg, "HUB-A"))


def test_a_map_of_one_base_without_routes_or_threats_still_draws() -> None:
    view = plan_view(*_lone_base())
    png = png_bytes(plan_map(view))
    assert _png_size(png) == EMBEDDED.pixels
    assert len(view.bases) == 1 and not view.routes and not view.threat_areas
    timeline = png_bytes(convoy_timeline(view))
    assert _png_size(timeline) == EMBEDDED.pixels


def test_the_timeline_has_a_row_per_line_dated_ticks_and_readable_type(
    tiny: tuple[Scenario, Plan],
) -> None:
    scenario, plan = tiny
    view = plan_view(scenario, plan)
    figure = convoy_timeline(view)
    (ax,) = figure.axes
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels == ["L-A (road) HUB→CAMP-A", "L-B (road) HUB→CAMP-B"]
    assert ax.get_xticklabels()[0].get_text() == "2024-01-01"
    sizes = [t.get_fontsize() for t in figure.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert min(sizes) >= 8.0
    assert _png_size(convoy_timeline_png(scenario, plan)) == EMBEDDED.pixels


def test_a_timeline_without_dates_counts_days_and_grows_with_its_lines(
    tiny: tuple[Scenario, Plan],
) -> None:
    scenario, plan = tiny
    undated = scenario.model_copy(
        update={"settings": scenario.settings.model_copy(update={"start_date": None})}
    )
    view = plan_view(undated, plan)
    (ax,) = convoy_timeline(view).axes
    assert ax.get_xticklabels()[0].get_text() == "1"
    many = replace(
        view, convoys=tuple(replace(view.convoys[0], line_id=f"L{i:02d}") for i in range(40))
    )
    assert timeline_canvas(many).height_cm > EMBEDDED.height_cm
    assert timeline_canvas(view).height_cm == EMBEDDED.height_cm


def test_every_text_on_the_embedded_map_is_at_least_8_pt(threatened: tuple[Scenario, Plan]) -> None:
    figure = plan_map(plan_view(*threatened))
    sizes = [t.get_fontsize() for t in figure.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert sizes and min(sizes) >= 8.0


# --------------------------------------------------------------------------------------------------
# GeoJSON and KML
# --------------------------------------------------------------------------------------------------


def test_geojson_validates_and_holds_every_base_used_route_and_area(
    threatened: tuple[Scenario, Plan],
) -> None:
    scenario, plan = threatened
    document = json.loads(json.dumps(plan_geojson(plan_view(scenario, plan))))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    features = document["features"]
    kinds = [f["properties"]["feature"] for f in features]
    assert (
        kinds.count("base") == 3 and kinds.count("route") == 2 and kinds.count("threat_area") == 1
    )
    hub = next(f for f in features if f["properties"].get("base_id") == "HUB")
    assert hub["geometry"] == {"type": "Point", "coordinates": [-4.0, 14.0]}  # lon, lat
    route = next(f for f in features if f["properties"].get("route_id") == "HUB-A")
    assert route["geometry"]["coordinates"] == [[-4.0, 14.0], [-3.444, 14.0]]
    assert route["properties"]["convoy_departure_dates"] == [
        "2024-01-01",
        "2024-01-03",
        "2024-01-05",
    ]
    assert route["properties"]["tonnage_t"] == pytest.approx(50.0)
    assert route["properties"]["mode"] == "road" and route["properties"]["max_threat_level"] == 1
    area = next(f for f in features if f["properties"]["feature"] == "threat_area")
    assert area["geometry"]["type"] == "Polygon"
    assert area["properties"]["level"] == 4 and area["properties"]["threat_type"] == "ambush"


def test_geojson_leaves_out_the_routes_no_convoy_uses(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    convoys = plan.tables["convoys"]
    only_a = convoys[convoys["path"] == "HUB > CAMP-A"]
    cargo = plan.tables["cargo"]
    trimmed = replace(
        plan,
        tables={
            **plan.tables,
            "convoys": only_a,
            "cargo": cargo[cargo["convoy_id"].isin(only_a["convoy_id"])],
        },
    )
    routes = [
        f["properties"]["route_id"]
        for f in plan_geojson(plan_view(scenario, trimmed))["features"]
        if f["properties"]["feature"] == "route"
    ]
    assert routes == ["HUB-A"]


def test_kml_parses_with_a_placemark_per_base_route_and_area(
    threatened: tuple[Scenario, Plan],
) -> None:
    root = SafeET.fromstring(plan_kml(plan_view(*threatened)))
    folders = {
        folder.findtext(f"{KML}name"): folder.findall(f"{KML}Placemark")
        for folder in root.iter(f"{KML}Folder")
    }
    assert [p.findtext(f"{KML}name") for p in folders["Bases"]] == [
        "Logistics hub",
        "Camp Alpha",
        "Camp Bravo",
    ]
    assert [p.findtext(f"{KML}name") for p in folders["Routes used"]] == ["HUB-A", "HUB-B"]
    (area,) = folders["Threat areas"]
    assert area.find(f"{KML}TimeSpan/{KML}begin").text == "2024-01-01"
    hub = folders["Bases"][0].findtext(f"{KML}Point/{KML}coordinates")
    assert hub == "-4.000000,14.000000"
    styles = {style.get("id") for style in root.iter(f"{KML}Style")}
    for placemark in (p for placemarks in folders.values() for p in placemarks):
        assert placemark.findtext(f"{KML}styleUrl").lstrip("#") in styles


# --------------------------------------------------------------------------------------------------
# The files beside the plan workbook
# --------------------------------------------------------------------------------------------------


def test_the_companions_are_written_beside_the_workbook(
    tiny: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    workbook = tmp_path / "tiny-plan.xlsx"
    written = write_plan_companions(workbook, *tiny)
    assert [p.name for p in written] == [
        "tiny-plan.map.png",
        "tiny-plan.map.svg",
        "tiny-plan.timeline.png",
        "tiny-plan.geojson",
        "tiny-plan.kml",
    ]
    assert written == companion_paths(workbook)
    assert _png_size(written[0].read_bytes()) == PAGE.pixels
    assert json.loads(written[3].read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_the_writer_refuses_to_overwrite_the_input_workbook(
    tiny: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    source = tmp_path / "mission.kml"  # an input workbook with an unlucky name
    shutil.copy(TINY, source)
    before = source.read_bytes()
    with pytest.raises(OutputError, match="is the input workbook"):
        write_plan_companions(tmp_path / "mission.xlsx", *tiny, inputs=[source])
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mission.kml"]


def test_solve_writes_the_drawings_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(app, ["solve", str(TINY), "--output", str(target)])
    assert result.exit_code == 0, result.output
    for path in companion_paths(target):
        assert path.exists()
        assert path.name in result.output.replace("\n", "")


def test_solve_refuses_before_solving_when_a_drawing_would_overwrite_the_input(
    tmp_path: Path,
) -> None:
    source = tmp_path / "mission.geojson"
    shutil.copy(TINY, source)
    with pytest.raises(OutputError, match="is the input workbook"):
        api.plan_workbook(source, tmp_path / "mission.xlsx")
    assert not (tmp_path / "mission.xlsx").exists()
    run = api.plan_workbook(source, tmp_path / "mission.xlsx", drawings=False)
    assert run.drawings == () and (tmp_path / "mission.xlsx").exists()
