"""Named linear expressions shared by several constraint families and the result tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyomo.environ as pyo

from models.data import ALWAYS, NEVER, BaseId, Day, ModelData, UnitId
from models.sets import ModelIndex


def presence_sum(
    data: ModelData,
    units: Iterable[UnitId],
    b: BaseId,
    t: Day,
    allocated: Callable[[UnitId], Any],
) -> Any:
    r"""Persons of ``units`` counting at base b on day t (see ``ModelData.present``).

    .. math:: \sum_u \mathit{strength}_u \, p_{u,b,t}, \qquad p_{u,b,t} = 1 \text{ (before its
        move day, at its current base)}, \; \mathit{Assign}_{u,b} \text{ (from its arrival day)},
        \; 0 \text{ (in transit or elsewhere)}

    ``allocated(u)`` gives :math:`\mathit{Assign}_{u,b}`: the variable, or its solved value.
    """
    total: Any = 0
    for u in units:
        presence = data.present(u, b, t)
        if presence == ALWAYS:
            total += data.unit_strength[u]
        elif presence != NEVER:
            total += data.unit_strength[u] * allocated(u)
    return total


def troops_present(
    m: pyo.ConcreteModel, data: ModelData, units: Iterable[UnitId], b: BaseId, t: Day
) -> Any:
    """``presence_sum`` over the model's ``Assign`` variables."""
    return presence_sum(data, units, b, t, lambda u: m.Assign[u, b])


def troops_present_value(
    data: ModelData,
    assign: Mapping[tuple[UnitId, BaseId], float],
    units: Iterable[UnitId],
    b: BaseId,
    t: Day,
) -> float:
    """``presence_sum`` at solved ``Assign`` values."""
    return float(presence_sum(data, units, b, t, lambda u: round(assign.get((u, b), 0.0))))


def define_troops(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""``Troops[b, t]`` persons counting at base b on day t (TROOP_DAYS).

    .. math:: \mathit{Troops}_{b,t} = \sum_{u:\,b \in C_u} \mathit{strength}_u \, p_{u,b,t}

    A relocated unit counts at its current base until the day before its move day, at neither
    base while it travels, and at its new base from its arrival day (``troops_present``).
    """
    m.TROOP_DAYS = pyo.Set(initialize=index.TROOP_DAYS, dimen=2, ordered=True)
    m.Troops = pyo.Expression(
        m.TROOP_DAYS,
        rule=lambda m, b, t: troops_present(m, data, index.troops_possible[b, t], b, t),
    )


def define_demand(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""``DailyDemand[b, k, t]`` and ``Demand[b, k, t]`` units of class k needed at base b on day
    t (DEMAND_DAYS).

    .. math::
        \mathit{DailyDemand}_{b,k,t} = \mathit{consumption}_{b,k} \, \mathit{Troops}_{b,t}
        + \mathit{fixed\_demand}_{b,k,t}

        \mathit{Demand}_{b,k,t} = \mathit{DailyDemand}_{b,k,t} + \sum_{(u,b') \in J_{b,t}}
        \mathit{consumption}_{b,k} \, \mathit{strength}_u \, \mathit{relocation\_days}_{u,b'}
        \, \mathit{Assign}_{u,b'}

    :math:`J_{b,t}` are the journeys (unit, destination) leaving base b on day t: a relocated unit
    draws the supplies for its days on the road from its old base on its move day. Safety
    targets follow ``DailyDemand``; the journey's issue is a one-off.
    """

    def daily(m: pyo.ConcreteModel, b: str, k: str, t: int) -> Any:
        troops = m.Troops[b, t] if (b, t) in index.troops_possible else 0
        return data.consumption_per_troop_day.get((b, k), 0.0) * troops + data.fixed_demand.get(
            (b, k, t), 0.0
        )

    def demand(m: pyo.ConcreteModel, b: str, k: str, t: int) -> Any:
        rate = data.consumption_per_troop_day.get((b, k), 0.0)
        journeys = index.transit_issues.get((b, t), ()) if rate > 0 else ()
        return m.DailyDemand[b, k, t] + sum(
            rate
            * data.unit_strength[u]
            * data.relocation_days.get((u, destination), 0)
            * m.Assign[u, destination]
            for u, destination in journeys
        )

    m.DailyDemand = pyo.Expression(m.DEMAND_DAYS, rule=daily)
    m.Demand = pyo.Expression(m.DEMAND_DAYS, rule=demand)


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
