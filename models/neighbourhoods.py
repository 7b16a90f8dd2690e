"""Neighbourhoods of a plan that the improving racer re-optimises one at a time.

A neighbourhood is a set of integer columns; in its sub-MIP every other integer column is fixed
at the plan's values and every continuous column stays free, so the plan itself is feasible there
and whatever the sub-MIP finds is a plan of the whole model (fix-and-optimise, a large
neighbourhood search). The neighbourhoods are the allocation (each unit's base, with the
end-stock choices that follow it: the only one that can lower the garrison gap), then the
convoys departing in windows of ``WINDOW_DAYS`` days, first the windows that tile the horizon
from day 1, then the same windows shifted by half a window, so that a convoy pattern cut by one
window's edge lies inside another.

Each neighbourhood also has a *reach*: the columns whose cost its decisions change most
directly. For a window of departures from day f, every column of days f to f + 2W - 1 (its
convoys, and the stock, demand and deficits of the days they travel and arrive; the end-stock
deficits count on the last day); for the allocation, the garrison gap and the units' moves
(convoys never change the troops at a base). The improver visits first the neighbourhood
whose reach costs the most in its current plan (``models.race``): where the tier's cost lies.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyomo.environ as pyo

from models.race import Neighbourhood
from models.start import ALLOCATION_COMPONENTS, CONVOY_COMPONENTS, MatrixView

WINDOW_DAYS = 7
"""Days of departures one convoy neighbourhood frees. Measured on South Sudan (28 days), the
safety and end-stock tier held at the optimum of the tiers above it: from the warm-up's plan
(7,997), week windows brought it to 3,465 and 2,473 in two runs of 30-40 s (each sub-MIP
stopped after 5 s) while HiGHS alone did not improve it in 40 s (see ``models/README.md``)."""

REACH_DAYS = 2 * WINDOW_DAYS
"""Days from a window's first day over which its convoys' cost is counted: the window's own
departures and a week for them to travel and arrive."""

ALLOCATION_REACH = frozenset({"GarrisonShortfall", "Assign"})
"""Components whose cost only the allocation changes: the garrison gap and the units' moves.
Unmet demand follows the troops too, but counted in the allocation's reach it sent the improver
to the allocation first in the warm-up and the shortfall tier, where its sub-MIP is slow and
rarely improves: measured on synthetic s1, DR Congo and synthetic s2 (28 days, 60 s, seeds
1-3), unmet demand grew in 7 of 8 runs (DR Congo: 0 -> 122 and 130 units short)."""

END_OF_HORIZON_COMPONENTS = frozenset({"EndDeficit", "EndChoice"})
"""Components of the end of the horizon (no day index): they count on the last day."""


def plan_neighbourhoods(view: MatrixView, horizon_days: int) -> tuple[Neighbourhood, ...]:
    """Every neighbourhood of the model, the allocation first, then the convoy windows (empty
    neighbourhoods are left out)."""
    names = np.asarray([var.parent_component().name for var in view.columns], dtype=object)
    days = np.asarray([column_day(var, horizon_days) for var in view.columns], dtype=int)
    is_integer = np.asarray(view.is_integer, dtype=bool)
    is_convoy = is_integer & np.isin(names, sorted(CONVOY_COMPONENTS))
    allocation = np.flatnonzero(is_integer & np.isin(names, sorted(ALLOCATION_COMPONENTS)))
    hoods = [_neighbourhood(allocation, np.flatnonzero(np.isin(names, sorted(ALLOCATION_REACH))))]
    hoods.extend(
        _neighbourhood(
            np.flatnonzero(is_convoy & (days >= first) & (days < first + WINDOW_DAYS)),
            np.flatnonzero((days >= first) & (days < first + REACH_DAYS)),
        )
        for first in _window_starts(horizon_days)
    )
    return tuple(hood for hood in hoods if hood.columns.size)


def _neighbourhood(columns: npt.ArrayLike, reach: npt.ArrayLike) -> Neighbourhood:
    return Neighbourhood(np.asarray(columns, dtype=np.int32), np.asarray(reach, dtype=np.int32))


def column_day(var: pyo.Var, horizon_days: int) -> int:
    """The day a column belongs to: the departure day of a convoy's columns (index (l, t, ...)),
    the last index of a daily column, the last day for end-of-horizon columns, 0 for the
    allocation."""
    name = var.parent_component().name
    index = var.index()
    if name in END_OF_HORIZON_COMPONENTS:
        return horizon_days
    if name in CONVOY_COMPONENTS or name == "Cargo":
        return int(index[1])
    if isinstance(index, tuple) and isinstance(index[-1], int):
        return index[-1]
    return 0


def _window_starts(horizon_days: int) -> list[int]:
    """First days of the windows: 1, 1 + W, ... then 1 + W/2, 1 + 3W/2, ... (shifted windows
    only where they differ from the tiling)."""
    tiling = list(range(1, horizon_days + 1, WINDOW_DAYS))
    half = WINDOW_DAYS // 2
    shifted = list(range(1 + half, horizon_days + 1 - half, WINDOW_DAYS)) if half else []
    return tiling + shifted
