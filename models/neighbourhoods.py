"""Neighbourhoods of a plan that the improving racer re-optimises one at a time.

A neighbourhood is a set of integer columns; in its sub-MIP every other integer column is fixed
at the plan's value and every continuous column stays free, so the plan itself is feasible there
and whatever the sub-MIP finds is a plan of the whole model (fix-and-optimise, a large
neighbourhood search). The neighbourhoods are the allocation (each unit's base, with the
end-stock choices that follow it: the only one that can lower the garrison gap), then the
convoys departing in windows of ``WINDOW_DAYS`` days, first the windows that tile the horizon
from day 1, then the same windows shifted by half a window, so that a convoy pattern cut by one
window's edge lies inside another.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from models.start import ALLOCATION_COMPONENTS, CONVOY_COMPONENTS, MatrixView

WINDOW_DAYS = 7
"""Days of departures one convoy neighbourhood frees. Measured on South Sudan (28 days), the
safety and end-stock tier held at the optimum of the tiers above it: from the warm-up's plan
(7,997), week windows brought it to 3,465 and 2,473 in two runs of 30-40 s (each sub-MIP
stopped after 5 s) while HiGHS alone did not improve it in 40 s (see ``models/README.md``)."""


def plan_neighbourhoods(view: MatrixView, horizon_days: int) -> tuple[npt.NDArray[np.int32], ...]:
    """The integer columns of each neighbourhood, in the order the improving racer visits them:
    the allocation, then the convoy windows (empty neighbourhoods are left out)."""
    allocation: list[int] = []
    convoy_day: dict[int, int] = {}
    for col in np.flatnonzero(view.is_integer):
        var = view.columns[col]
        name = var.parent_component().name
        if name in ALLOCATION_COMPONENTS:
            allocation.append(int(col))
        elif name in CONVOY_COMPONENTS:
            convoy_day[int(col)] = int(var.index()[1])
    hoods = [np.asarray(allocation, dtype=np.int32)]
    hoods.extend(
        np.asarray(
            [col for col, day in convoy_day.items() if first <= day < first + WINDOW_DAYS],
            dtype=np.int32,
        )
        for first in _window_starts(horizon_days)
    )
    return tuple(hood for hood in hoods if hood.size)


def _window_starts(horizon_days: int) -> list[int]:
    """First days of the windows: 1, 1 + W, ... then 1 + W/2, 1 + 3W/2, ... (shifted windows
    only where they differ from the tiling)."""
    tiling = list(range(1, horizon_days + 1, WINDOW_DAYS))
    half = WINDOW_DAYS // 2
    shifted = list(range(1 + half, horizon_days + 1 - half, WINDOW_DAYS)) if half else []
    return tiling + shifted
