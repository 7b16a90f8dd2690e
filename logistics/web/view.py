"""What the plan page shows, computed once in the worker from the solved plan and kept as JSON:
status in plain words, the key figures, days of supply per base and class, shortfalls with
their reasons, each base's stock and garrison and each route's convoys (for the map)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from logistics.api import PlanRun
    from logistics.report.comparison import ScenarioSummary

HEADLINE_KPIS = (
    "demand_met_pct",
    "shortfall_total",
    "garrison_shortfall",
    "convoys",
    "air_sorties",
    "vehicle_km",
    "exposure",
    "cost_usd",
    "mip_gap_pct",
    "total_wall_s",
)
"""The figures shown in a run's history row and at the top of its plan page."""

STATUS_WORDS = {
    "optimal": "Plan found and proven the best within the gap asked for.",
    "feasible": "Plan found; the solver stopped (time limit or Stop) before proving it the best "
    "within the gap asked for.",
    "no_solution": "No plan was found before the solver stopped.",
    "infeasible": "No plan can satisfy the mission's fixed rules.",
    "error": "The solver failed.",
}


def plain(value: Any) -> Any:
    """A value JSON can hold: NaN and infinities become None, numpy scalars Python numbers,
    dates ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as plain dicts."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def plan_files(run: PlanRun, summary: ScenarioSummary) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The page's data (``view.json``) and the map's files, and the headline figures."""
    view = plan_view(run, summary)
    figures = {
        "status": run.plan.status.value,
        "termination": run.plan.termination,
        **{k["kpi"]: k["value"] for k in view["kpis"] if k["kpi"] in HEADLINE_KPIS},
    }
    return {"view.json": json.dumps(view).encode(), **drawings(run)}, figures


def drawings(run: PlanRun) -> dict[str, bytes]:
    """The plan's map and timeline (SVG), GeoJSON and KML, drawn by ``logistics.drawing``, and
    the Natural Earth outlines around the plan for the page's interactive map."""
    from logistics import drawing
    from logistics.drawing.geo import outlines_within

    view = drawing.plan_view(run.scenario, run.plan)
    outlines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[ring.round(3).tolist()] for ring in rings],
                },
            }
            for name, rings in outlines_within(drawing.map_extent(view))
        ],
    }
    return {
        "plan.geojson": drawing.geojson_text(view).encode(),
        "plan.kml": drawing.plan_kml(view).encode(),
        "map.svg": drawing.svg_text(drawing.plan_map(view, drawing.PAGE)).encode(),
        "timeline.svg": drawing.svg_text(drawing.convoy_timeline(view, drawing.PAGE)).encode(),
        "outlines.geojson": json.dumps(outlines).encode(),
    }


def plan_view(run: PlanRun, summary: ScenarioSummary) -> dict[str, Any]:
    """Everything the plan page shows, as plain data."""
    from logistics.report.tables import plan_frames

    frames = plan_frames(run.scenario, run.plan)
    return {
        "scenario_name": run.scenario.settings.scenario_name,
        "horizon_days": run.scenario.settings.horizon_days,
        "status": run.plan.status.value,
        "status_words": STATUS_WORDS.get(run.plan.status.value, run.plan.status.value),
        "termination": run.plan.termination,
        "kpis": [
            {"kpi": k.kpi, "value": plain(k.value), "unit": k.unit, "description": k.description}
            for k in summary.kpis
        ],
        "tiers": [
            {"name": t.name, "termination": t.termination, "gap_pct": plain(t.gap_pct)}
            for t in run.plan.tiers
        ],
        "days_of_supply": days_of_supply(frames["Stock"]),
        "shortfalls": shortfall_rows(frames["Shortfalls"]),
        "bases": base_details(run, frames),
        "routes": route_details(frames),
        "warnings": list(run.run.warnings),
        "overrides": list(run.run.overrides),
    }


def days_of_supply(stock: pd.DataFrame) -> list[dict[str, Any]]:
    """Per base and supply class: days of supply on day 1, at its lowest and on the last day."""
    if stock.empty:
        return []
    rows = []
    for (base, supply), group in stock.groupby(["base_id", "supply_id"], sort=True):
        days = pd.to_numeric(group["days_of_supply"], errors="coerce")
        ordered = group.assign(dos=days).sort_values("day")
        rows.append(
            {
                "base_id": base,
                "supply_id": supply,
                "start": plain(ordered["dos"].iloc[0]),
                "lowest": plain(days.min()),
                "end": plain(ordered["dos"].iloc[-1]),
                "shortfall": plain(pd.to_numeric(group["shortfall"], errors="coerce").sum()),
            }
        )
    return rows


def shortfall_rows(shortfalls: pd.DataFrame) -> list[dict[str, Any]]:
    """Unmet demand by base, class and reason: the days it happens and the quantity."""
    if shortfalls.empty:
        return []
    grouped = shortfalls.groupby(["base_id", "supply_id", "reason"], sort=True)
    return [
        {
            "base_id": base,
            "supply_id": supply,
            "reason": reason,
            "first_day": plain(group["day"].min()),
            "last_day": plain(group["day"].max()),
            "quantity": plain(pd.to_numeric(group["quantity"], errors="coerce").sum()),
        }
        for (base, supply, reason), group in grouped
    ]


def base_details(run: PlanRun, frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Per base: name, position, garrison, units there at the end, and closing stock by class."""
    garrison = {row["base_id"]: row for row in records(frames["Garrison"])}
    stock = frames["Stock"]
    last = stock[stock["day"] == stock["day"].max()] if not stock.empty else stock
    allocation = frames["Allocation"]
    details: dict[str, Any] = {}
    for base in run.scenario.bases:
        held = last[last["base_id"] == base.base_id]
        units = (
            allocation[allocation["to_base_id"] == base.base_id]
            if not allocation.empty
            else allocation
        )
        details[base.base_id] = {
            "name": base.name or base.base_id,
            "kind": base.kind.value,
            "latitude_deg": base.latitude_deg,
            "longitude_deg": base.longitude_deg,
            "garrison": garrison.get(base.base_id, {}),
            "units": [str(u) for u in units.get("unit_id", pd.Series(dtype=object))],
            "stock": [
                {
                    "supply_id": r["supply_id"],
                    "closing": plain(r["closing"]),
                    "days_of_supply": plain(r["days_of_supply"]),
                }
                for r in held.to_dict("records")
            ],
        }
    return details


def route_details(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Per route: its figures and the convoys that travel it (a convoy's path names the bases it
    passes, so a route carries it when the route joins two consecutive bases of the path by the
    convoy's mode)."""
    convoys = records(frames["Convoys"])
    details: dict[str, Any] = {}
    for row in records(frames["Routes"]):
        ends = {row["from_base_id"], row["to_base_id"]}
        on_route = [
            c for c in convoys if c["mode"] == row["mode"] and ends in _legs(str(c["path"]))
        ]
        details[str(row["route_id"])] = {**row, "convoys": on_route[:MAX_CONVOYS_SHOWN]}
    return details


MAX_CONVOYS_SHOWN = 50
"""Most convoys a route's panel lists (the plan workbook has them all)."""


def _legs(path: str) -> list[set[str]]:
    """The pairs of consecutive bases of a convoy's path ``A > B > C``."""
    bases = [b.strip() for b in path.split(">")]
    return [{a, b} for a, b in itertools.pairwise(bases)]
