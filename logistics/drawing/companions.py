"""The files written beside a plan workbook: the map (PNG and SVG), the convoy timeline (PNG) and
the plan for GIS tools (GeoJSON and KML).

For ``outputs/mali-plan.xlsx`` they are ``outputs/mali-plan.map.png``, ``.map.svg``,
``.timeline.png``, ``.geojson`` and ``.kml``. Each is written atomically, and none is ever
written over an input file or over the plan workbook itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from logistics.drawing.gis import geojson_text, plan_kml
from logistics.drawing.plan_map import plan_map
from logistics.drawing.style import PAGE, png_bytes, svg_text
from logistics.drawing.timeline import convoy_timeline
from logistics.drawing.view import PlanView, plan_view
from logistics.io.atomic import write_atomically
from logistics.rules.schemas import Scenario
from models import Plan

COMPANION_SUFFIXES = (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
"""What follows the plan workbook's stem in the name of each file written beside it."""

_RENDERERS: dict[str, Callable[[PlanView], bytes]] = {
    ".map.png": lambda view: png_bytes(plan_map(view, PAGE)),
    ".map.svg": lambda view: svg_text(plan_map(view, PAGE)).encode("utf-8"),
    ".timeline.png": lambda view: png_bytes(convoy_timeline(view, PAGE)),
    ".geojson": lambda view: geojson_text(view).encode("utf-8"),
    ".kml": lambda view: plan_kml(view).encode("utf-8"),
}


def companion_paths(workbook_path: Path | str) -> list[Path]:
    """The files written beside a plan workbook, in ``COMPANION_SUFFIXES`` order."""
    workbook = Path(workbook_path)
    return [workbook.with_name(workbook.stem + suffix) for suffix in COMPANION_SUFFIXES]


def write_plan_companions(
    workbook_path: Path | str,
    scenario: Scenario,
    plan: Plan,
    *,
    inputs: Iterable[Path | str] = (),
) -> list[Path]:
    """Draw the plan and write the map, timeline, GeoJSON and KML beside its workbook.

    Raises ``OutputError`` before anything is drawn when a file would overwrite the workbook
    or one of ``inputs`` (or cannot be written). Returns the files written, in
    ``COMPANION_SUFFIXES`` order. Drawn at full-page size: for a workbook sheet or a web page,
    call ``plan_map_png`` and ``convoy_timeline_png`` instead.
    """
    # The API checks outputs before solving; it imports this module, so it is imported here.
    from logistics.api import check_outputs

    workbook = Path(workbook_path)
    paths = companion_paths(workbook)
    check_outputs(paths, [workbook, *map(Path, inputs)])
    view = plan_view(scenario, plan)
    contents = {
        path: _RENDERERS[suffix](view)
        for path, suffix in zip(paths, COMPANION_SUFFIXES, strict=True)
    }
    for path, content in contents.items():
        write_atomically(path, _writer(content))
    return paths


def _writer(content: bytes) -> Callable[[Path], None]:
    """A function writing ``content`` to the file it is given."""

    def write(temporary: Path) -> None:
        temporary.write_bytes(content)

    return write
