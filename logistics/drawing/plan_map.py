"""The plan on a map: bases, the routes the convoys take and the threat areas, over the countries.

Longitude and latitude are drawn as they are, with a degree of longitude shortened to its length
at the map's middle latitude (an equirectangular map): over a mission's few hundred km, distances
and the circles of threat areas stay true to within a few per cent, north is up, and the scale
bar holds across the map.

- A route's width grows with the tonnes carried over it, its colour is the highest threat level
  on it over the horizon, and it is dashed when it is closed on some days; routes no convoy
  uses are thin and grey. Air routes are drawn as arcs and river routes with a slight bend, so
  they stand apart from a road between the same bases.
- Threat areas are their circles, shaded by level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from textwrap import shorten

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Polygon
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from logistics.drawing import style
from logistics.drawing.geo import (
    KM_PER_DEGREE,
    OUTLINES_ATTRIBUTION,
    Extent,
    Ring,
    outlines_within,
)
from logistics.drawing.style import EMBEDDED, Canvas
from logistics.drawing.view import BaseMark, PlanView, RouteMark
from logistics.report import palette

MARGIN_FRACTION = 0.08
"""Room around the bases and threat areas, as a fraction of their extent."""
LEAST_MARGIN_KM = 40.0
"""Room around them at least (a single base still gets a map around it)."""
BEND = {"road": 0.0, "river": -0.08, "air": 0.18}
"""How far a route's line bows from straight, as a fraction of its length, by mode."""
LINE_WIDTH_PT = {"embedded": (0.9, 4.5), "page": (1.2, 8.0)}
"""Narrowest and widest line of a used route, by canvas."""

_HALO = [withStroke(linewidth=2.2, foreground="white")]


def plan_map(view: PlanView, canvas: Canvas = EMBEDDED) -> Figure:
    """The map of a plan: bases, routes used, threat areas, country outlines, legend, scale bar."""
    with style.drawing_style(canvas):
        figure = style.new_figure(canvas)
        layout = _Layout.of(canvas)
        ax = figure.add_axes(layout.map_rect)
        extent = map_extent(view).fitted(layout.map_aspect)
        _frame(ax, extent, canvas)
        _countries(ax, extent)
        _threat_areas(ax, view, canvas)
        widths = _RouteWidths.of(view, canvas)
        _routes(ax, view, extent, widths)
        _bases(ax, view.bases, canvas)
        _scale_bar(ax, extent)
        _north_arrow(ax)
        _attribution(ax)
        _title(figure, view, layout, canvas)
        _legend(figure.add_axes(layout.legend_rect), view, widths)
    return figure


def map_extent(view: PlanView) -> Extent:
    """The box around every base and threat area, with a margin."""
    points = [base.point for base in view.bases]
    for area in view.threat_areas:
        points.extend((float(lon), float(lat)) for lon, lat in area.ring)
    return Extent.around(points).padded(MARGIN_FRACTION, LEAST_MARGIN_KM)


class _Layout:
    """Where the title, the map and the legend go, in figure fractions."""

    def __init__(self, map_rect: tuple[float, float, float, float], map_aspect: float,
                 legend_rect: tuple[float, float, float, float], title_y: float,
                 subtitle_y: float) -> None:  # fmt: skip
        self.map_rect = map_rect
        self.map_aspect = map_aspect
        self.legend_rect = legend_rect
        self.title_y = title_y
        self.subtitle_y = subtitle_y

    @classmethod
    def of(cls, canvas: Canvas) -> _Layout:
        """The layout for a canvas: a title band on top, the legend in a column on the right."""
        width, height = canvas.width_cm, canvas.height_cm
        title_cm = 0.95 if not canvas.detailed else 1.5
        legend_cm = 3.9 if not canvas.detailed else 6.0
        left_cm, bottom_cm = (1.3, 0.8) if canvas.detailed else (0.15, 0.15)
        gap_cm = 0.25
        map_w = width - left_cm - legend_cm - gap_cm - 0.15
        map_h = height - title_cm - bottom_cm
        return cls(
            map_rect=(left_cm / width, bottom_cm / height, map_w / width, map_h / height),
            map_aspect=map_w / map_h,
            legend_rect=(
                (width - legend_cm - 0.1) / width,
                bottom_cm / height,
                legend_cm / width,
                map_h / height,
            ),
            title_y=1.0 - 0.12 / height,
            subtitle_y=1.0 - (0.12 + canvas.title_pt / 72 * 2.54 * 1.35) / height,
        )


def _frame(ax: Axes, extent: Extent, canvas: Canvas) -> None:
    """Limits, the sea, the aspect that keeps km true at the middle latitude, and degree ticks."""
    ax.set_xlim(extent.west, extent.east)
    ax.set_ylim(extent.south, extent.north)
    ax.set_aspect(1.0 / extent.x_scale, adjustable="box")
    ax.set_facecolor(style.SEA_COLOUR)
    for spine in ax.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.6)
    if canvas.detailed:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _degrees(x, "E", "W")))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: _degrees(y, "N", "S")))
        ax.grid(color="white", linewidth=0.5, alpha=0.8, zorder=1.5)
        ax.tick_params(length=2)
    else:
        ax.set_xticks([])
        ax.set_yticks([])


def _degrees(value: float, positive: str, negative: str) -> str:
    """A tick label such as ``4°W``."""
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):g}°{hemisphere}" if value else "0°"


def _countries(ax: Axes, extent: Extent) -> None:
    """The countries in the map's box, filled as land with their borders."""
    rings = [ring for _name, country in outlines_within(extent) for ring in country]
    if not rings:
        return
    vertices = np.concatenate(rings)
    codes = np.concatenate([_ring_codes(len(ring)) for ring in rings])
    ax.add_patch(
        PathPatch(
            MplPath(vertices, codes),
            facecolor=style.LAND_COLOUR,
            edgecolor=style.BORDER_COLOUR,
            linewidth=0.5,
            zorder=1,
        )
    )


def _ring_codes(count: int) -> np.ndarray:
    """Path codes of one closed ring of ``count`` points."""
    codes = np.full(count, MplPath.LINETO, dtype=MplPath.code_type)
    codes[0] = MplPath.MOVETO
    codes[-1] = MplPath.CLOSEPOLY
    return codes


def _threat_areas(ax: Axes, view: PlanView, canvas: Canvas) -> None:
    """Every threat area as its circle, shaded by level; labelled on a detailed map."""
    for area in sorted(view.threat_areas, key=lambda a: a.level):
        colour = palette.threat_colour(area.level)
        ax.add_patch(
            Polygon(
                area.ring,
                closed=True,
                facecolor=to_rgba(colour, 0.12 + 0.05 * area.level),
                edgecolor=colour,
                linewidth=1.0,
                zorder=2,
                gid=f"threat-{area.threat_id}",
            )
        )
        if canvas.detailed:
            top = float(area.ring[:, 1].max())
            ax.annotate(
                f"{area.threat_id} ({area.threat_type}, level {area.level})",
                (area.longitude_deg, top),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                color=colour,
                fontsize=canvas.font_pt - 0.5,
                fontstyle="italic",
                path_effects=_HALO,
                zorder=6,
            )


class _RouteWidths:
    """Line width of a route by the tonnes carried over it: the area of the line grows with
    the tonnes (width with their square root), between the canvas's narrowest and widest."""

    def __init__(self, most_t: float, narrow_pt: float, wide_pt: float) -> None:
        self.most_t = most_t
        self.narrow_pt = narrow_pt
        self.wide_pt = wide_pt

    @classmethod
    def of(cls, view: PlanView, canvas: Canvas) -> _RouteWidths:
        """Widths scaled to the busiest route of ``view``."""
        most = max((route.tonnage_t for route in view.used_routes), default=0.0)
        narrow, wide = LINE_WIDTH_PT[canvas.name]
        return cls(most, narrow, wide)

    def width(self, tonnes: float) -> float:
        """Line width in points for a route carrying ``tonnes``."""
        if self.most_t <= 0:
            return self.narrow_pt
        share = math.sqrt(max(tonnes, 0.0) / self.most_t)
        return self.narrow_pt + (self.wide_pt - self.narrow_pt) * share

    def samples(self) -> list[float]:
        """Round tonnages to show in the legend: the busiest route's and a tenth of it."""
        if self.most_t <= 0:
            return []
        most = _round_figure(self.most_t)
        least = _round_figure(self.most_t / 10.0)
        return [most] if least >= most or least <= 0 else [most, least]


def _round_figure(value: float) -> float:
    """``value`` rounded to two significant figures."""
    if value <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(value))
    return round(value, digits)


def route_line(route: RouteMark, extent: Extent, points: int = 24) -> Ring:
    """The line a route is drawn along: straight, or bowed by its mode's ``BEND``."""
    start = np.asarray(route.start, dtype=np.float64)
    end = np.asarray(route.end, dtype=np.float64)
    bend = BEND.get(route.mode, 0.0)
    if bend == 0.0 or np.array_equal(start, end):
        return np.vstack([start, end])
    # Bow in km, so that the arc looks the same whatever its heading on the map.
    scale = np.array([extent.x_scale, 1.0])
    a, b = start * scale, end * scale
    along = b - a
    normal = np.array([-along[1], along[0]])
    control = (a + b) / 2.0 + bend * normal
    t = np.linspace(0.0, 1.0, points)[:, None]
    curve = (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b
    return np.asarray(curve / scale, dtype=np.float64)


def _routes(ax: Axes, view: PlanView, extent: Extent, widths: _RouteWidths) -> None:
    """Unused routes faint, then used routes from the busiest up, so thin lines stay on top."""
    for route in view.routes:
        if route.used:
            continue
        line = route_line(route, extent)
        ax.plot(
            line[:, 0],
            line[:, 1],
            color=style.UNUSED_ROUTE_COLOUR,
            linewidth=0.7,
            alpha=0.7,
            linestyle=style.CLOSED_DASHES if route.closed_some_days else "solid",
            zorder=3,
            gid=f"route-{route.route_id}",
        )
    for route in sorted(view.used_routes, key=lambda r: -r.tonnage_t):
        line = route_line(route, extent)
        ax.plot(
            line[:, 0],
            line[:, 1],
            color=palette.threat_colour(route.max_threat_level),
            linewidth=widths.width(route.tonnage_t),
            linestyle=style.CLOSED_DASHES if route.closed_some_days else "solid",
            solid_capstyle="round",
            dash_capstyle="butt",
            zorder=4,
            gid=f"route-{route.route_id}",
        )


def _bases(ax: Axes, bases: Sequence[BaseMark], canvas: Canvas) -> None:
    """Every base as its kind's marker, labelled with its name (detailed) or id; on a small map
    waypoints are left unlabelled."""
    size = 6.0 if canvas.detailed else 4.5
    for base in bases:
        marker, scale = style.BASE_MARKERS.get(base.kind, ("o", 1.0))
        ax.plot(
            [base.longitude_deg],
            [base.latitude_deg],
            marker=marker,
            markersize=size * scale,
            markerfacecolor=style.BASE_COLOUR,
            markeredgecolor="white",
            markeredgewidth=0.8,
            linestyle="none",
            zorder=5,
            gid=f"base-{base.base_id}",
        )
    labelled = [base for base in bases if canvas.detailed or base.kind != "waypoint"]
    _place_labels(ax, labelled, canvas)


LABEL_OFFSETS_PT = ((3.5, 2.5), (3.5, -9.0), (-3.5, 2.5), (-3.5, -9.0), (0.0, 5.0), (0.0, -12.0))
"""Where a base's label may go relative to its marker, in the order tried (the first that
overlaps no label placed before wins, else the first)."""


def _place_labels(ax: Axes, bases: Sequence[BaseMark], canvas: Canvas) -> None:
    """Label bases so that labels overlap each other as little as the offsets allow."""
    renderer = style.renderer_of(ax.figure)  # type: ignore[arg-type]
    placed: list[Bbox] = []
    for base in bases:
        text = base.label if canvas.detailed else base.base_id
        for number, (dx, dy) in enumerate(LABEL_OFFSETS_PT):
            label = ax.annotate(
                text,
                (base.longitude_deg, base.latitude_deg),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                color=style.BASE_COLOUR,
                path_effects=_HALO,
                zorder=6,
                annotation_clip=True,
                gid=f"label-{base.base_id}",
            )
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            if number < len(LABEL_OFFSETS_PT) - 1:
                label.remove()
            else:  # nowhere free: keep the first place
                label.remove()
                dx, dy = LABEL_OFFSETS_PT[0]
                label = ax.annotate(
                    text, (base.longitude_deg, base.latitude_deg), xytext=(dx, dy),
                    textcoords="offset points", color=style.BASE_COLOUR, path_effects=_HALO,
                    zorder=6, annotation_clip=True, gid=f"label-{base.base_id}",
                )  # fmt: skip
                box = label.get_window_extent(renderer)
        placed.append(box)


def _nice_length_km(span_km: float) -> float:
    """A round length (1, 2 or 5 × 10^n km) near a fifth of ``span_km``."""
    target = max(span_km / 5.0, 1e-3)
    power = 10 ** math.floor(math.log10(target))
    return float(max((m * power for m in (1, 2, 5) if m * power <= target), default=power))


def _scale_bar(ax: Axes, extent: Extent) -> None:
    """A bar of a round number of km in the lower left corner, true at the middle latitude."""
    length_km = _nice_length_km(extent.width_km)
    degrees = length_km / (KM_PER_DEGREE * extent.x_scale)
    x0 = extent.west + 0.04 * (extent.east - extent.west)
    y0 = extent.south + 0.05 * (extent.north - extent.south)
    half = degrees / 2.0
    for offset, colour in ((0.0, "#222222"), (half, "white")):
        ax.plot(
            [x0 + offset, x0 + offset + half],
            [y0, y0],
            color=colour,
            linewidth=3.0,
            solid_capstyle="butt",
            path_effects=[withStroke(linewidth=4.2, foreground="#222222")],
            zorder=7,
        )
    ax.annotate(
        f"{length_km:g} km",
        (x0 + half, y0),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        va="bottom",
        path_effects=_HALO,
        zorder=7,
        gid="scale-bar",
    )


def _north_arrow(ax: Axes) -> None:
    """An arrow pointing north (up) in the upper left corner."""
    ax.annotate(
        "",
        xy=(0.05, 0.95),
        xytext=(0.05, 0.84),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2},
        zorder=7,
    )
    ax.text(
        0.075,
        0.895,
        "N",
        transform=ax.transAxes,
        ha="left",
        va="center",
        fontweight="bold",
        path_effects=_HALO,
        zorder=7,
        gid="north-arrow",
    )


def _title(figure: Figure, view: PlanView, layout: _Layout, canvas: Canvas) -> None:
    """The mission's name, and the days the plan covers."""
    title = view.scenario_name
    if canvas.detailed:
        title += ": convoy routes, bases and threats"
    figure.text(
        0.01,
        layout.title_y,
        shorten(
            title,
            width=round(canvas.width_cm * 72 / 2.54 / (0.62 * canvas.title_pt)),
            placeholder="…",
        ),
        ha="left",
        va="top",
        fontsize=canvas.title_pt,
        fontweight="bold",
    )
    first, last = view.day_label(1), view.day_label(view.horizon_days)
    figure.text(
        0.01,
        layout.subtitle_y,
        f"{first} to {last} · plan status: {view.status.replace('_', ' ')}",
        ha="left",
        va="top",
        color="#444444",
    )


def _legend(ax: Axes, view: PlanView, widths: _RouteWidths) -> None:
    """What the marks mean: kinds of base, route widths and styles, threat colours."""
    ax.set_axis_off()
    handles: list[Line2D | Patch] = []
    headers: list[str] = []

    def header(text: str) -> None:
        headers.append(text)
        handles.append(Line2D([], [], linestyle="none", label=text))

    header("Bases")
    kinds = sorted({base.kind for base in view.bases}, key=list(style.BASE_MARKERS).index)
    for kind in kinds:
        marker, scale = style.BASE_MARKERS.get(kind, ("o", 1.0))
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                markersize=5.0 * scale,
                linestyle="none",
                markerfacecolor=style.BASE_COLOUR,
                markeredgecolor="white",
                label=kind.replace("_", " "),
            )
        )
    header("Routes")
    for tonnes in widths.samples():
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                linewidth=widths.width(tonnes),
                label=f"{tonnes:,.0f} t carried",
            )
        )
    if any(route.closed_some_days for route in view.routes):
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                linewidth=1.6,
                linestyle=style.CLOSED_DASHES,
                label="closed some days",
            )
        )
    if any(not route.used for route in view.routes):
        handles.append(
            Line2D([], [], color=style.UNUSED_ROUTE_COLOUR, linewidth=0.7, label="not used")
        )
    modes = {route.mode for route in view.routes}
    hints = [
        text for mode, text in (("river", "river bends"), ("air", "air arcs")) if mode in modes
    ]
    if hints:
        handles.append(Line2D([], [], linestyle="none", label=", ".join(hints)))
    if view.threat_areas:
        handles.append(Patch(facecolor="#999999", alpha=0.35, edgecolor="#777777",
                             label="threat area"))  # fmt: skip
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        borderaxespad=0.0,
        handlelength=2.0,
        labelspacing=0.35,
    )
    _mark_headers(legend, headers)
    ax.add_artist(legend)
    renderer = style.renderer_of(ax.figure)  # type: ignore[arg-type]
    bottom = ax.transAxes.inverted().transform(legend.get_window_extent(renderer))[0][1]
    _threat_key(ax, bottom - 0.03)


def _mark_headers(legend: Legend, headers: Sequence[str]) -> None:
    """Bold section titles in the legend, pulled left over their empty handle."""
    for text in legend.get_texts():
        if text.get_text() in headers:
            text.set_fontweight("bold")


def _threat_key(ax: Axes, top: float) -> None:
    """The colours of threat levels 1-5 (routes by their highest level, and threat areas), below
    ``top`` (in the legend's axes fraction)."""
    key = ax.legend(
        handles=[
            Patch(facecolor=palette.threat_colour(level), label=str(level)) for level in range(1, 6)
        ],
        title="Threat level",
        loc="upper left",
        bbox_to_anchor=(0.0, top),
        ncols=5,
        frameon=False,
        borderaxespad=0.0,
        handlelength=0.9,
        handletextpad=0.3,
        columnspacing=0.55,
        alignment="left",
    )
    key.get_title().set_fontweight("bold")


def _attribution(ax: Axes) -> None:
    """Where the country outlines come from, in the lower right corner of the map."""
    ax.text(
        0.99, 0.01, OUTLINES_ATTRIBUTION, transform=ax.transAxes, ha="right", va="bottom",
        color="#555555", path_effects=_HALO, zorder=7, gid="attribution",
    )  # fmt: skip
