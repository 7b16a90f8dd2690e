"""The objective's priority tiers as cost vectors over the standard-form columns.

Under the ``priorities`` policy ``solve`` optimises tier by tier: each tier's objective is the sum
of its terms' ``ObjectiveTerm`` (weights only scale terms within a tier), and once a tier is
optimised the value of its held terms (``held_terms``: all but a re-plan's changes) becomes a row
that no later tier may worsen. Under ``weights`` there is one tier, the weighted sum of every
term.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from models.data import ModelData
from models.objective import held_terms, objective_tiers
from models.start import MatrixView

RESOLUTION = 0.01
"""Absolute gap of a tier, in units of its cheapest item (0.01 t of the lowest-priority class,
0.01 troop-day...): differences below it are noise, not a better plan."""

WEIGHTED = "weighted objective"
"""Name of the single tier under the ``weights`` policy."""


@dataclass(frozen=True)
class Tier:
    """One priority tier: its name (its terms joined by ' + '), cost vector and constant, and
    what later tiers may not worsen when that is not the whole tier (``held``)."""

    name: str
    cost: npt.NDArray[np.float64]
    offset: float
    held_part: Tier | None = None

    @property
    def absolute_gap(self) -> float:
        """Gap below which the tier is solved (see ``RESOLUTION``)."""
        positive = np.abs(self.cost[self.cost != 0])
        return RESOLUTION * float(positive.min()) if positive.size else 0.0

    def value(self, values: npt.NDArray[np.float64]) -> float:
        """The tier's objective at the column values."""
        return float(self.cost @ values + self.offset)

    @property
    def held(self) -> Tier:
        """The part of the tier that later tiers may not worsen (``models.objective.held_terms``):
        the whole tier, or a re-plan's stock targets without the changes weighed with them."""
        return self.held_part or self


def objective_tier_vectors(m: pyo.ConcreteModel, data: ModelData, view: MatrixView) -> list[Tier]:
    """The tiers of ``data.objective_policy`` as cost vectors over ``view.columns``, highest
    first; tiers that no column prices (nothing to optimise) are left out, and a model with
    nothing to optimise has the one (zero) weighted tier."""
    if data.objective_policy == "weights":
        return [Tier(WEIGHTED, view.cost, view.cost_offset)]
    tiers = []
    for names in objective_tiers(data):
        tier = _terms_vector(m, view, names)
        held = held_terms(names)
        if np.any(tier.cost != 0):
            part = _terms_vector(m, view, held) if held != names else None
            tiers.append(replace(tier, held_part=part))
    return tiers or [Tier(WEIGHTED, view.cost, view.cost_offset)]


def _terms_vector(m: pyo.ConcreteModel, view: MatrixView, names: tuple[str, ...]) -> Tier:
    """The sum of the terms' ``ObjectiveTerm`` as a cost vector over ``view.columns``."""
    column_of = {id(var): col for col, var in enumerate(view.columns)}
    cost = np.zeros(len(view.columns))
    offset = 0.0
    for name in names:
        repn = generate_standard_repn(m.ObjectiveTerm[name].expr, compute_values=True)
        offset += float(pyo.value(repn.constant))
        for var, coefficient in zip(repn.linear_vars, repn.linear_coefs, strict=True):
            col = column_of.get(id(var))
            if col is not None:
                cost[col] += float(pyo.value(coefficient))
    return Tier(" + ".join(names), cost, offset)
