"""What the plan page shows, computed once in the worker from the solved plan and kept as JSON:
the Brief (status in plain words, headline, days of supply by sector, what cannot be met, units
moved, fleet and escorts at their busiest, the most exposed convoys and routes: the blocks
``logistics.report.brief`` builds for the workbook), the key figures, days of supply per base and class,
shortfalls with their reasons, each base's stock and garrison and each route's convoys (for the
map). The plan's words are in the plan's language (``export.plan_language``)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from logistics.io.xlsx import FMT_DAYS, FMT_INTEGER, FMT_ONE_DECIMAL, FMT_PERCENT
from logistics.report.brief import Block
from logistics.report.numbers import QUANTITY_DECIMALS, in_words

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
    """Everything the plan page shows, as plain data, its words in the plan's language."""
    from logistics.i18n import use_language
    from logistics.report.plan_workbook import plan_language

    language = plan_language(run.scenario)
    with use_language(language, language):
        return {"language": language, **_plan_view(run, summary)}


def _plan_view(run: PlanRun, summary: ScenarioSummary) -> dict[str, Any]:
    """``plan_view`` in the language in effect."""
    from logistics.i18n import _
    from logistics.report.brief import brief_content
    from logistics.report.plan_workbook import headline
    from logistics.report.tables import plan_frames

    frames = plan_frames(run.scenario, run.plan)
    brief = brief_content(run.scenario, run.plan, frames, headline(summary.kpis))
    return {
        "scenario_name": run.scenario.settings.scenario_name,
        "horizon_days": run.scenario.settings.horizon_days,
        "status": run.plan.status.value,
        "status_words": brief.status,
        "brief": {
            "title": brief.title,
            "days": brief.days,
            "headline": " · ".join(brief.headline),
            "blocks": [block_view(block) for block in (*brief.left, *brief.right)],
        },
        "termination": run.plan.termination,
        "kpis": [
            {"kpi": k.kpi, "value": plain(k.value), "unit": _(k.unit), "description": k.description}
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


CELL_FORMATS: dict[str, tuple[int, str]] = {
    FMT_INTEGER: (0, ""),
    FMT_ONE_DECIMAL: (1, ""),
    FMT_DAYS: (1, " d"),
    FMT_PERCENT: (1, " %"),
}
"""Decimals and suffix of a Brief cell by its workbook number format (others: as they are)."""


def cell_text(value: Any, number_format: str | None) -> str:
    """A Brief cell as the workbook shows it: numbers to its format's decimals, in the message
    language's way of writing them; dates ISO; blanks empty."""
    value = plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        decimals, suffix = CELL_FORMATS.get(number_format or "", (QUANTITY_DECIMALS, ""))
        return in_words(float(value), decimals) + suffix
    return str(value)


def block_view(block: Block) -> dict[str, Any]:
    """A Brief block as the page's table: heading, headers, the cells as text (and which are
    numbers, to align them), what it says when empty and where the rest is."""
    numeric = [fmt in CELL_FORMATS for fmt in block.formats]
    return {
        "heading": block.heading,
        "headers": list(block.headers),
        "numeric": numeric,
        "rows": [
            [cell_text(v, fmt) for v, fmt in zip(row, block.formats, strict=True)]
            for row in block.rows
        ],
        "empty": block.empty,
        "more": block.more,
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
