"""Named linear expressions shared by several constraint families and the result tables."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def define_troops(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""``Troops[b]`` persons allocated to base b (BASES).

    .. math:: \mathit{Troops}_b = \sum_{u:\,b \in C_u} \mathit{strength}_u \, \mathit{Assign}_{u,b}
    """
    m.Troops = pyo.Expression(
        m.BASES,
        rule=lambda m, b: sum(
            data.unit_strength[u] * m.Assign[u, b] for u in index.units_at_base.get(b, ())
        ),
    )


def define_demand(m: pyo.ConcreteModel, data: ModelData) -> None:
    r"""``Demand[b, k, t]`` units of class k needed at base b on day t (DEMAND_DAYS).

    .. math:: \mathit{Demand}_{b,k,t} = \mathit{consumption}_{b,k} \, \mathit{Troops}_b
        + \mathit{fixed\_demand}_{b,k,t}
    """
    m.Demand = pyo.Expression(
        m.DEMAND_DAYS,
        rule=lambda m, b, k, t: (
            data.consumption_per_troop_day.get((b, k), 0.0) * m.Troops[b]
            + data.fixed_demand.get((b, k, t), 0.0)
        ),
    )


def define_escort_troops(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""``EscortTroops[l, t]`` persons escorting the convoy of line l leaving on day t
    (ESCORTED_DEPARTURES).

    .. math:: \mathit{EscortTroops}_{l,t} = e^{convoy}_{l,t} \, \mathit{Depart}_{l,t}
        + e^{group}_{l,t} \, \mathit{EscortGroups}_{l,t}
    """
    grouped = set(index.ESCORT_GROUP_DEPARTURES)

    def rule(m: pyo.ConcreteModel, line_id: str, t: int) -> object:
        troops = data.escort_troops_per_convoy.get((line_id, t), 0) * m.Depart[line_id, t]
        if (line_id, t) in grouped:
            troops += data.escort_troops_per_group[line_id, t] * m.EscortGroups[line_id, t]
        return troops

    m.EscortTroops = pyo.Expression(m.ESCORTED_DEPARTURES, rule=rule)
