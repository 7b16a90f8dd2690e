"""The objective's priority tiers as cost vectors over the standard-form columns.

Under the ``priorities`` policy ``solve`` optimises tier by tier: each tier's objective is the sum
of its terms' ``ObjectiveTerm`` (weights only scale terms within a tier), and once a tier is
optimised its value becomes a row that no later tier may worsen. Under ``weights`` there is one
tier, the weighted sum of every term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from models.data import ModelData
from models.objective import objective_tiers
from models.start import MatrixView

RESOLUTION = 0.01
"""Absolute gap of a tier, in units of its cheapest item (0.01 t of the lowest-priority class,
0.01 troop-day...): differences below it are noise, not a better plan."""

WEIGHTED = "weighted objective"
"""Name of the single tier under the ``weights`` policy."""


@dataclass(frozen=True)
class Tier:
    """One priority tier: its name (its terms joined by ' + '), cost vector and constant."""

    name: str
    cost: npt.NDArray[np.float64]
    offset: float

    @property
    def absolute_gap(self) -> float:
        """Gap below which the tier is solved (see ``RESOLUTION``)."""
        positive = np.abs(self.cost[self.cost != 0])
        return RESOLUTION * float(positive.min()) if positive.size else 0.0

    def value(self, values: npt.NDArray[np.float64]) -> float:
        """The tier's objective at the column values."""
        return float(self.cost @ values + self.offset)


def objective_tier_vectors(m: pyo.ConcreteModel, data: ModelData, view: MatrixView) -> list[Tier]:
    """The tiers of ``data.objective_policy`` as cost vectors over ``view.columns``, highest
    first; tiers that no column prices (nothing to optimise) are left out, and a model with
    nothing to optimise has the one (zero) weighted tier."""
    if data.objective_policy == "weights":
        return [Tier(WEIGHTED, view.cost, view.cost_offset)]
    column_of = {id(var): col for col, var in enumerate(view.columns)}
    tiers = []
    for names in objective_tiers(data):
        cost = np.zeros(len(view.columns))
        offset = 0.0
        for name in names:
            repn = generate_standard_repn(m.ObjectiveTerm[name].expr, compute_values=True)
            offset += float(pyo.value(repn.constant))
            for var, coefficient in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                col = column_of.get(id(var))
                if col is not None:
                    cost[col] += float(pyo.value(coefficient))
        if np.any(cost != 0):
            tiers.append(Tier(" + ".join(names), cost, offset))
    return tiers or [Tier(WEIGHTED, view.cost, view.cost_offset)]
