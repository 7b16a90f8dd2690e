"""The convoys over time: one row per convoy line, one bar per convoy from the day it leaves to
the day it is back, coloured by the highest threat level on its path.

A bar covers its departure and return days whole (a convoy leaving on day 3 and back on day 5
is on the road on days 3, 4 and 5). Days are ISO dates when the scenario has a ``start_date``,
else ``day N``.
"""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import shorten

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from logistics.drawing import style
from logistics.drawing.style import EMBEDDED, Canvas
from logistics.drawing.view import ConvoyBar, PlanView
from logistics.report import palette

ROW_CM = 0.42
"""Height of one convoy line's row: room for an 8 pt label."""
FRAME_CM = 3.2
"""Height of the title, the date axis and the key together."""
LABEL_CHARS = 26
"""Longest row label, in characters (longer paths are shortened)."""


def timeline_rows(view: PlanView) -> list[tuple[str, list[ConvoyBar]]]:
    """The convoy lines with their convoys, in order of first departure (then line id)."""
    lines: dict[str, list[ConvoyBar]] = {}
    for convoy in view.convoys:
        lines.setdefault(convoy.line_id, []).append(convoy)
    ordered = sorted(lines.items(), key=lambda item: (min(c.depart_day for c in item[1]), item[0]))
    return [(line, sorted(convoys, key=lambda c: c.depart_day)) for line, convoys in ordered]


def timeline_canvas(view: PlanView, canvas: Canvas = EMBEDDED) -> Canvas:
    """``canvas``, made taller when the plan has more convoy lines than fit at 8 pt."""
    rows = max(len(timeline_rows(view)), 1)
    return canvas.with_height(max(canvas.height_cm, FRAME_CM + ROW_CM * rows))


def convoy_timeline(view: PlanView, canvas: Canvas = EMBEDDED) -> Figure:
    """The Gantt chart of the plan's convoys (see ``timeline_canvas`` for its size)."""
    canvas = timeline_canvas(view, canvas)
    rows = timeline_rows(view)
    with style.drawing_style(canvas):
        figure = style.new_figure(canvas)
        ax = figure.add_axes(_axes_rect(canvas))
        for position, (_line, convoys) in enumerate(rows):
            _bars(ax, position, convoys)
        _axes(ax, view, rows, _axes_rect(canvas)[2] * canvas.width_cm)
        ax.set_title(
            shorten(f"{view.scenario_name}: convoys", width=_title_chars(canvas), placeholder="…"),
            loc="left",
            fontweight="bold",
        )
        _key(figure, view)
    return figure


def _title_chars(canvas: Canvas) -> int:
    """How many characters of the title fit over the chart."""
    width_cm = _axes_rect(canvas)[2] * canvas.width_cm
    return max(round(width_cm / 2.54 * 72 / (0.62 * canvas.title_pt)), 20)


def _axes_rect(canvas: Canvas) -> tuple[float, float, float, float]:
    """Room for the row labels on the left, the title above and the date axis and key below."""
    left_cm = 4.3 if not canvas.detailed else 5.5
    top_cm, bottom_cm, right_cm = 0.9, 2.3, 1.0
    return (
        left_cm / canvas.width_cm,
        bottom_cm / canvas.height_cm,
        (canvas.width_cm - left_cm - right_cm) / canvas.width_cm,
        (canvas.height_cm - top_cm - bottom_cm) / canvas.height_cm,
    )


def _bars(ax: Axes, position: int, convoys: Sequence[ConvoyBar]) -> None:
    """One row: a bar per convoy, white-edged so that back-to-back convoys stay apart."""
    ax.broken_barh(
        [(c.depart_day, c.return_day - c.depart_day + 1) for c in convoys],
        (position - 0.38, 0.76),
        facecolors=[palette.threat_colour(c.max_threat_level) for c in convoys],
        edgecolor="white",
        linewidth=0.6,
        gid=f"line-{convoys[0].line_id}" if convoys else None,
    )


def _row_label(line_id: str, convoys: Sequence[ConvoyBar]) -> str:
    """A row's label: the line, its mode and where it goes."""
    path = convoys[0].path.split(" > ")
    ends = f"{path[0]}→{path[-1]}"
    for label in (f"{line_id} ({convoys[0].mode}) {ends}", f"{line_id} {ends}"):
        if len(label) <= LABEL_CHARS:
            return label
    return shorten(line_id, width=LABEL_CHARS, placeholder="…")


def _axes(
    ax: Axes, view: PlanView, rows: Sequence[tuple[str, Sequence[ConvoyBar]]], width_cm: float
) -> None:
    """Rows top-down, days along the bottom (ISO dates when the plan has them), the horizon's
    end marked."""
    last = max([view.horizon_days, *(c.return_day for c in view.convoys)])
    ax.set_xlim(1, last + 1)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), [_row_label(line, convoys) for line, convoys in rows])
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_locator(FixedLocator(_day_ticks(view, last, width_cm)))
    ax.xaxis.set_minor_locator(FixedLocator(range(1, last + 2)))
    ax.tick_params(axis="x", which="minor", length=2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _day_tick(view, x)))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.axvline(view.horizon_days + 1, color="#444444", linewidth=0.8, linestyle=":")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    if not rows:
        ax.text(0.5, 0.5, "no convoys in this plan", transform=ax.transAxes, ha="center")


TICK_STEPS_DAYS = (1, 2, 7, 14, 28, 56, 91, 182)
"""Spacing of day ticks to choose from (a week, a fortnight… when days are dates)."""


def _day_ticks(view: PlanView, last: int, width_cm: float) -> list[int]:
    """Days 1, 1 + step, … up to ``last``, with a step that leaves every label room."""
    label_cm = (1.9 if view.start_date else 0.8) * style.EMBEDDED.font_pt / 8.0
    most = max(int(width_cm / label_cm), 2)
    step = next((s for s in TICK_STEPS_DAYS if last / s < most), TICK_STEPS_DAYS[-1])
    return list(range(1, last + 1, step))


def _day_tick(view: PlanView, x: float) -> str:
    """A day tick: the date (or ``day N``) at the start of day ``x``."""
    day = round(x)
    return view.day_label(day) if view.start_date else str(day)


def _key(figure: Figure, view: PlanView) -> None:
    """The threat colours, the axis's unit and the horizon's end, under the chart."""
    levels = sorted({c.max_threat_level for c in view.convoys}) or [1]
    handles = [
        Patch(facecolor=palette.threat_colour(level), label=f"threat {level}") for level in levels
    ]
    unit = "" if view.start_date else "days; "
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.02),
        ncols=len(handles),
        frameon=False,
        handlelength=1.0,
        handletextpad=0.3,
        columnspacing=0.8,
        title=f"{unit}bar: departure to return day; dotted: end of plan",
        alignment="left",
    )
