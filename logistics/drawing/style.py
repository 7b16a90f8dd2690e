"""How the drawings look: sizes, colours by threat level, markers by kind of base, and turning a
figure into PNG bytes or SVG text.

Colours follow the plan workbook's threat scale (green at level 1, amber at 3, red at 5), darker
so that lines stand out on a pale map. Figures are built with ``matplotlib.figure.Figure`` (no
pyplot, no display, no global state) and rendered by Agg; fonts are the ones matplotlib ships.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

CM_PER_INCH = 2.54
SCREEN_DPI = 96
"""Pixels per inch of Excel, LibreOffice and browsers: an image of ``Canvas.display_px`` pixels
shows at the canvas's size in cm there."""


@dataclass(frozen=True)
class Canvas:
    """The size a drawing is made for, and the type sizes that stay readable at it."""

    name: str
    width_cm: float
    height_cm: float
    dpi: int
    font_pt: float
    """Labels, ticks and legend; never below 8 pt."""
    title_pt: float
    detailed: bool
    """Room for base names (not only ids), degree ticks and threat labels."""

    @property
    def size_in(self) -> tuple[float, float]:
        """Width and height in inches, as matplotlib takes them."""
        return (self.width_cm / CM_PER_INCH, self.height_cm / CM_PER_INCH)

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height of the PNG in pixels (matplotlib drops the fraction of a pixel)."""
        width, height = self.size_in
        return (int(width * self.dpi), int(height * self.dpi))

    @property
    def display_px(self) -> tuple[int, int]:
        """Width and height to give the PNG in a workbook or web page so that it shows at
        ``width_cm`` × ``height_cm`` (96 pixels per inch)."""
        width, height = self.size_in
        return (round(width * SCREEN_DPI), round(height * SCREEN_DPI))

    def with_height(self, height_cm: float) -> Canvas:
        """The same canvas, taller or shorter."""
        return Canvas(
            self.name,
            self.width_cm,
            height_cm,
            self.dpi,
            self.font_pt,
            self.title_pt,
            self.detailed,
        )


EMBEDDED = Canvas("embedded", 12.0, 8.0, 200, 8.0, 9.0, detailed=False)
"""For a workbook sheet or a web page: about 12 × 8 cm."""
PAGE = Canvas("page", 27.7, 19.0, 200, 9.0, 13.0, detailed=True)
"""A full A4 landscape page inside 1 cm margins."""


BASE_MARKERS: dict[str, tuple[str, float]] = {
    "port": ("s", 1.1),
    "hub": ("D", 1.0),
    "camp": ("o", 1.0),
    "team_site": ("^", 1.0),
    "waypoint": ("o", 0.55),
}
"""Marker and relative size of each kind of base."""
BASE_COLOUR = "#1f2d3d"

LAND_COLOUR = "#f1eee8"
SEA_COLOUR = "#dde8f0"
BORDER_COLOUR = "#a39c90"
UNUSED_ROUTE_COLOUR = "#9a9a9a"
CLOSED_DASHES = (0, (3.5, 2.0))
"""Line style of a route closed on some days (in line widths)."""


def kml_colour(hex_colour: str, opacity: float = 1.0) -> str:
    """A ``#rrggbb`` colour as KML writes it: ``aabbggrr``."""
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{round(opacity * 255):02x}{blue}{green}{red}"


@contextlib.contextmanager
def drawing_style(canvas: Canvas) -> Iterator[None]:
    """Settings to build a figure for ``canvas`` in: the font matplotlib ships, at the canvas's
    type size (text takes its font when it is created, so the figure is built inside this)."""
    with matplotlib.rc_context():
        matplotlib.rcParams.update(
            {
                "font.family": "DejaVu Sans",
                "font.size": canvas.font_pt,
                "legend.fontsize": canvas.font_pt,
                "xtick.labelsize": canvas.font_pt,
                "ytick.labelsize": canvas.font_pt,
                "axes.titlesize": canvas.title_pt,
                "axes.labelsize": canvas.font_pt,
            }
        )
        yield


def new_figure(canvas: Canvas) -> Figure:
    """An empty white figure of the canvas's size."""
    figure = Figure(figsize=canvas.size_in, dpi=canvas.dpi)
    # An Agg canvas gives the renderer that measures text while the figure is laid out.
    FigureCanvasAgg(figure)
    figure.set_facecolor("white")
    return figure


def renderer_of(figure: Figure) -> RendererAgg:
    """The renderer of a figure made by ``new_figure``, to measure text with."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError("the figure was not made by new_figure")
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


@contextlib.contextmanager
def _render_settings() -> Iterator[None]:
    """Same figure, same bytes: fixed SVG ids; text drawn as paths so the SVG shows the same
    anywhere."""
    with matplotlib.rc_context():
        matplotlib.rcParams.update({"svg.hashsalt": "logistics-plan", "svg.fonttype": "path"})
        yield


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, at its own size and resolution."""
    buffer = io.BytesIO()
    with _render_settings():
        figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def svg_text(figure: Figure) -> str:
    """The figure as SVG text (no date in it, so the same figure gives the same text)."""
    buffer = io.StringIO()
    with _render_settings():
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
