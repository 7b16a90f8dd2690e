"""Starting plans: the trivial plan, and warm starts repaired to fit the current model.

The trivial plan (no convoy, every unit at its current base, all demand short, stocks carried) is
complete and satisfies every constraint, so there is always a plan to fall back on. A warm start
proposes integer decisions (``SolveOptions.warm_start``, e.g. ``Plan.solution`` of a related
solve); ``repaired_start`` makes them fit the current model (the allocation, then convoy by
convoy, each kept only if every all-integer row still holds); ``solve`` then completes the
continuous decisions with an LP and, if the repair lost more than the gap, re-optimises the
decisions around what it lost (``reoptimised_columns``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyomo.environ as pyo
import scipy.sparse as sp

from models.data import ModelData

FEASIBILITY_TOLERANCE = 1e-6

CONVOY_COMPONENTS = frozenset({"Depart", "Vehicles", "EscortGroups"})
"""Integer components indexed by (line, day, ...): the decisions of one convoy."""
LOSS_COMPONENTS = frozenset({"Shortfall", "SafetyDeficit", "GarrisonShortfall", "EndDeficit"})
"""Continuous components indexed by (base, ...) that grow when a base loses its supply."""
ALLOCATION_COMPONENTS = frozenset({"Assign", "EndChoice"})
"""Integer components decided with the allocation (which end-stock target applies follows the
troops a base holds)."""
LOSS_THRESHOLD = 0.01
"""Relative growth (at least 1 unit) of a loss column that marks its base as hurt by a repair."""


@dataclass(frozen=True)
class MatrixView:
    """The standard-form rows and columns a start is checked against."""

    columns: list[pyo.Var]
    cost: npt.NDArray[np.float64]
    cost_offset: float
    A: sp.csc_array
    row_lower: npt.NDArray[np.float64]
    row_upper: npt.NDArray[np.float64]
    col_lower: npt.NDArray[np.float64]
    col_upper: npt.NDArray[np.float64]
    is_integer: npt.NDArray[np.bool_]


def set_trivial_plan(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Give every variable of ``m`` its value in the trivial plan (no convoy, all demand short)."""
    for var in m.component_data_objects(pyo.Var, descend_into=True):
        if not var.fixed:
            var.set_value(0, skip_validation=True)
    for u in data.UNITS:
        if not m.Assign[u, data.unit_current_base[u]].fixed:
            m.Assign[u, data.unit_current_base[u]].set_value(1)
    for i in m.DEMAND_DAYS:
        m.Shortfall[i].set_value(pyo.value(m.Demand[i]), skip_validation=True)
    for b, k, t in m.STOCK_DAYS:
        m.Stock[b, k, t].set_value(data.initial_stock.get((b, k), 0.0), skip_validation=True)
    for b, k, t in m.SAFETY_DAYS:
        target = data.safety_stock_days[k] * pyo.value(m.DailyDemand[b, k, t])
        m.SafetyDeficit[b, k, t].set_value(max(0.0, target - pyo.value(m.Stock[b, k, t])))
    for b, t in m.GARRISON_DAYS:
        troops = pyo.value(m.Troops[b, t]) if (b, t) in m.TROOP_DAYS else 0.0
        missing = data.garrison_required_troops[b, t] - troops
        m.GarrisonShortfall[b, t].set_value(max(0.0, missing))
    for b, k in m.END_CHOICES:
        m.EndChoice[b, k].set_value(1)  # the opening stock, which the carried stock holds


def trivial_start(view: MatrixView) -> npt.NDArray[np.float64]:
    """The column values of the trivial plan (call ``set_trivial_plan`` first)."""
    return np.array([var.value for var in view.columns], dtype=float)


def warm_start_proposal(view: MatrixView, warm: Mapping[str, float]) -> npt.NDArray[np.float64]:
    """Column values named in ``warm`` (variable name -> value), 0 where it names none."""
    return np.array([warm.get(var.name, 0.0) for var in view.columns], dtype=float)


def repaired_start(
    view: MatrixView,
    trivial: npt.NDArray[np.float64],
    proposals: Sequence[npt.NDArray[np.float64]],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """Integer columns and values of the ``proposals`` repaired to satisfy the current model.

    Starts from the trivial plan's integer decisions, then adopts the allocation and each convoy
    in turn (by departure day, see ``_groups``) from the first proposal that keeps every row made of integer columns alone
    satisfied, or leaves it as in the trivial plan. Rows with continuous columns always hold with
    the trivial continuous values (no cargo, all demand short), so the LP HiGHS solves to complete
    the start is feasible.
    """
    integer_cols = np.flatnonzero(view.is_integer)
    pure_rows = _rows_without_continuous_columns(view)
    A = view.A[pure_rows][:, integer_cols].tocsc()
    lower, upper = view.row_lower[pure_rows], view.row_upper[pure_rows]
    values: npt.NDArray[np.float64] = trivial[integer_cols].copy()
    activity = A @ values
    bounded = [
        np.clip(
            np.round(p[integer_cols]), view.col_lower[integer_cols], view.col_upper[integer_cols]
        )
        for p in proposals
    ]
    for group in _groups(view, integer_cols):
        block = A[:, group]
        for proposal in bounded:
            touched, change = _row_change(block, proposal[group] - values[group])
            candidate = activity[touched] + change
            if np.all(candidate >= lower[touched] - FEASIBILITY_TOLERANCE) and np.all(
                candidate <= upper[touched] + FEASIBILITY_TOLERANCE
            ):
                values[group] = proposal[group]
                activity[touched] = candidate
                break
    return integer_cols.astype(np.int32), values.astype(np.float64)


def _row_change(
    columns: sp.csc_array, delta: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Rows touched by ``columns`` and how much their activity changes by ``delta``."""
    column_of_entry = np.repeat(np.arange(len(delta)), np.diff(columns.indptr))
    touched, position = np.unique(columns.indices, return_inverse=True)
    change = np.bincount(position, weights=columns.data * delta[column_of_entry])
    return touched.astype(np.intp), change.astype(np.float64)


def _rows_without_continuous_columns(view: MatrixView) -> npt.NDArray[np.intp]:
    continuous = (~view.is_integer).astype(float)
    touches_continuous = abs(view.A) @ continuous
    return np.flatnonzero(touches_continuous == 0)


def _groups(view: MatrixView, integer_cols: npt.NDArray[np.intp]) -> list[list[int]]:
    """Positions in ``integer_cols`` adopted together: the allocation, then each convoy by day."""
    allocation: list[int] = []
    convoys: dict[tuple[int, str], list[int]] = {}
    for position, col in enumerate(integer_cols):
        var = view.columns[col]
        if var.parent_component().name in ALLOCATION_COMPONENTS:
            allocation.append(position)
            continue
        line_id, day = var.index()[:2]
        convoys.setdefault((day, line_id), []).append(position)
    return [allocation, *(convoys[key] for key in sorted(convoys))]


def reoptimised_columns(
    view: MatrixView,
    data: ModelData,
    repaired: npt.NDArray[np.float64],
    previous: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Integer columns to re-optimise around what a repair lost; all others stay as repaired.

    A base is *hurt* when a loss column of it (shortfall, safety deficit, garrison shortfall)
    grew from ``previous`` to ``repaired`` by more than max(1, ``LOSS_THRESHOLD`` x previous).
    Free are: the convoys the repair does not run (zero-valued convoy columns) of lines whose path
    includes a hurt base, and for every unit that may be based at a hurt base, its assignment to
    the hurt bases and to its base in the repair. The sub-problem can thus add convoys and move
    units to the hurt bases, and the repaired start stays feasible in it.
    """
    hurt: set[str] = set()
    for col, var in enumerate(view.columns):
        if var.parent_component().name in LOSS_COMPONENTS:
            growth = repaired[col] - previous[col]
            if growth > max(1.0, LOSS_THRESHOLD * abs(previous[col])):
                hurt.add(var.index()[0])
    serving = {line_id for line_id, line in data.lines.items() if hurt & set(line.path)}
    stationed = {
        var.index()[0]: col
        for col, var in enumerate(view.columns)
        if var.parent_component().name == "Assign" and repaired[col] > 0.5
    }
    free = np.zeros(len(view.columns), dtype=bool)
    for integer_col in np.flatnonzero(view.is_integer):
        var = view.columns[integer_col]
        name, key = var.parent_component().name, var.index()
        if name in CONVOY_COMPONENTS:
            free[integer_col] = key[0] in serving and repaired[integer_col] < 0.5
        elif name == "EndChoice":
            free[integer_col] = bool(hurt)
        elif name == "Assign" and key[1] in hurt:
            free[integer_col] = True
            if key[0] in stationed:
                free[stationed[key[0]]] = True
    return free


def added_convoy_columns(
    view: MatrixView, repaired: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Integer columns a re-plan's start may set when it extends the published plan to the new
    days: the convoys the repaired published plan does not run, and the end-target choices.
    Everything the published plan decided (its convoys, its units' bases) stays as repaired."""
    free = np.zeros(len(view.columns), dtype=bool)
    for integer_col in np.flatnonzero(view.is_integer):
        name = view.columns[integer_col].parent_component().name
        if name in CONVOY_COMPONENTS:
            free[integer_col] = repaired[integer_col] < 0.5
        elif name == "EndChoice":
            free[integer_col] = True
    return free


def published_columns(
    view: MatrixView, data: ModelData, start: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Integer columns that keep a re-plan to its published plan: the departure of every
    published departure the start runs, and every unit's assignments (``Assign``) when the
    published plan gave the unit a base."""
    published = data.commitments.published_departures
    units = data.commitments.published_bases
    kept = np.zeros(len(view.columns), dtype=bool)
    for integer_col in np.flatnonzero(view.is_integer):
        var = view.columns[integer_col]
        name, key = var.parent_component().name, var.index()
        if name == "Depart":
            kept[integer_col] = key in published and start[integer_col] > 0.5
        elif name == "Assign":
            kept[integer_col] = key[0] in units
    return kept
