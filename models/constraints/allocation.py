"""Troop allocation: every unit at exactly one candidate base, within accommodation."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_allocation(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Allocate each unit to one of its candidate bases without overfilling any base.

    .. math::
        \sum_{b \in C_u} \mathit{Assign}_{u,b} = 1 \quad \forall u \in \mathit{MOVABLE\_UNITS}
        \qquad \text{(unit\_assignment)}

        \mathit{Troops}_{b,t} \le \mathit{accommodation\_troops}_b
        \quad \forall (b,t) \in \mathit{TROOP\_DAYS} \qquad \text{(accommodation)}

    :math:`C_u` are the unit's candidate bases (its current base only if it may not move); units
    with one candidate are fixed there and need no row. Accommodation rows are written only where
    the units that may count there that day could exceed the accommodation. Units: troops
    (persons).
    """
    m.unit_assignment = pyo.Constraint(
        m.MOVABLE_UNITS,
        rule=lambda m, u: sum(m.Assign[u, b] for b in data.unit_candidate_bases[u]) == 1,
    )

    def accommodation(m: pyo.ConcreteModel, b: str, t: int) -> object:
        units = index.troops_possible[b, t]
        if sum(data.unit_strength[u] for u in units) <= data.accommodation_troops.get(b, 0):
            return pyo.Constraint.Skip
        return m.Troops[b, t] <= data.accommodation_troops.get(b, 0)

    m.accommodation = pyo.Constraint(m.TROOP_DAYS, rule=accommodation)
