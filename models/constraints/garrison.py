"""Garrison: troops below a base's garrison requirement are a penalised shortfall."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData


def add_garrison(m: pyo.ConcreteModel, data: ModelData) -> None:
    r"""Measure how far each base's troops fall below its garrison requirement each day.

    .. math::
        \mathit{GarrisonShortfall}_{b,t} \ge \mathit{garrison\_required\_troops}_{b,t}
        - \mathit{Troops}_{b,t} \quad \forall (b, t) \in \mathit{GARRISON\_DAYS}
        \qquad \text{(garrison\_shortfall)}

    GARRISON_DAYS holds the (base, day) pairs with a positive requirement (minimum garrison plus
    the threat uplift). Units: troops (persons); summed over days in the objective (troop-days).
    """
    m.garrison_shortfall = pyo.Constraint(
        m.GARRISON_DAYS,
        rule=lambda m, b, t: (
            m.GarrisonShortfall[b, t] + (m.Troops[b, t] if (b, t) in m.TROOP_DAYS else 0)
            >= data.garrison_required_troops[b, t]
        ),
    )
