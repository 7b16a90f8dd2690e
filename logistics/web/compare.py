"""The comparison page's data: the comparison workbook's KPI table (``comparison_frame``) with
each delta judged better or worse exactly as the workbook colours it (``comparison.judge``: by
the objective's priorities, a row better only when no higher priority got worse; the solver's
own figures never judged), and its bar charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from logistics.web.view import plain

CHART_WIDTH = 360
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: scenario, value, bar length (px) and whether it is the base."""

    name: str
    value: float
    width: float
    base: bool


@dataclass(frozen=True)
class ComparisonView:
    """The KPI rows (value per scenario, deltas with their verdict) and the charts."""

    scenarios: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    charts: tuple[tuple[str, tuple[Bar, ...]], ...]
    differences: tuple[dict[str, Any], ...]


def comparison_view(summaries: Sequence[Any]) -> ComparisonView:
    """The comparison of ``summaries`` (the first is the base), as the workbook shows it."""
    from logistics.report.comparison import (
        CHART_KPIS,
        DELTA_PREFIX,
        KPI_COLUMNS,
        comparison_frame,
        differences_frame,
        judge,
    )

    base = summaries[0].name
    frame = comparison_frame(summaries, base)
    names = tuple(
        c for c in frame.columns[len(KPI_COLUMNS) :] if not str(c).startswith(DELTA_PREFIX)
    )
    verdicts = {name: judge(frame, f"{DELTA_PREFIX}{name}") for name in names[1:]}
    rows = []
    for record in frame.to_dict("records"):
        kpi = str(record["kpi"])
        deltas = [
            {
                "value": plain(record[f"{DELTA_PREFIX}{name}"]),
                "verdict": verdicts[name].get(kpi, ""),
            }
            for name in names[1:]
        ]
        rows.append(
            {
                "kpi": kpi,
                "unit": record["unit"],
                "values": [plain(record[name]) for name in names],
                "deltas": deltas,
            }
        )
    charts = tuple(
        (title, _bars(names, next(r["values"] for r in rows if r["kpi"] == kpi)))
        for kpi, title in CHART_KPIS.items()
        if any(r["kpi"] == kpi for r in rows)
    )
    differences = tuple(
        {str(k): plain(v) for k, v in row.items()}
        for row in differences_frame(summaries).to_dict("records")
    )
    return ComparisonView(names, tuple(rows), charts, differences)


def _bars(names: Sequence[str], values: Sequence[Any]) -> tuple[Bar, ...]:
    """Bars scaled to the chart's width (blank values drawn as zero-length bars)."""
    numbers = [float(v) if isinstance(v, int | float) else 0.0 for v in values]
    top = max((abs(n) for n in numbers), default=0.0) or 1.0
    return tuple(
        Bar(name, number, round(CHART_WIDTH * abs(number) / top, 1), index == 0)
        for index, (name, number) in enumerate(zip(names, numbers, strict=True))
    )
