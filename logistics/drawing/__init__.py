"""Drawings of a plan: the map, the convoy timeline and the GIS files (GeoJSON, KML).

Rendering is pure: a ``PlanView`` (or a scenario and its plan) in, a figure, bytes or text out.
Only ``write_plan_companions`` touches the file system. To put a drawing in a workbook sheet or a
web page, take the PNG bytes and show them at ``EMBEDDED.display_px`` pixels (12 × 8 cm)::

    from logistics.drawing import EMBEDDED, plan_map_png
    png = plan_map_png(scenario, plan)          # bytes, EMBEDDED.pixels in size
"""

from __future__ import annotations

from logistics.drawing.companions import (
    COMPANION_SUFFIXES,
    companion_paths,
    write_plan_companions,
)
from logistics.drawing.gis import geojson_text, plan_geojson, plan_kml
from logistics.drawing.plan_map import map_extent, plan_map
from logistics.drawing.style import EMBEDDED, PAGE, Canvas, png_bytes, svg_text
from logistics.drawing.timeline import convoy_timeline, timeline_canvas
from logistics.drawing.view import PlanView, plan_view
from logistics.report.brief import PlanImages
from logistics.rules.schemas import Scenario
from models import Plan

__all__ = [
    "COMPANION_SUFFIXES",
    "EMBEDDED",
    "PAGE",
    "Canvas",
    "PlanView",
    "companion_paths",
    "convoy_timeline",
    "convoy_timeline_png",
    "geojson_text",
    "map_extent",
    "plan_geojson",
    "plan_images",
    "plan_kml",
    "plan_map",
    "plan_map_png",
    "plan_map_svg",
    "plan_view",
    "png_bytes",
    "svg_text",
    "timeline_canvas",
    "write_plan_companions",
]


def plan_images(scenario: Scenario, plan: Plan) -> PlanImages:
    """The pictures of the plan workbook: the map of ``plan`` for its Brief (12 × 8 cm). The
    workbook's Timeline sheet draws the convoys in its cells; the timeline picture is written
    beside the workbook."""
    return PlanImages(map_png=png_bytes(plan_map(plan_view(scenario, plan), EMBEDDED)))


def plan_map_png(scenario: Scenario, plan: Plan, canvas: Canvas = EMBEDDED) -> bytes:
    """The plan's map as PNG bytes (``canvas.pixels`` in size)."""
    return png_bytes(plan_map(plan_view(scenario, plan), canvas))


def plan_map_svg(scenario: Scenario, plan: Plan, canvas: Canvas = EMBEDDED) -> str:
    """The plan's map as SVG text."""
    return svg_text(plan_map(plan_view(scenario, plan), canvas))


def convoy_timeline_png(scenario: Scenario, plan: Plan, canvas: Canvas = EMBEDDED) -> bytes:
    """The convoy timeline as PNG bytes: ``canvas``'s width, taller when the plan has more
    convoy lines than fit (``timeline_canvas`` gives the size)."""
    return png_bytes(convoy_timeline(plan_view(scenario, plan), canvas))
