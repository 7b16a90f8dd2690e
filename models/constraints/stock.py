"""Demand and stock: demand is met from stock; stock carries over from day to day."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_stock(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Balance demand, stock, arrivals, source supply and departures at every stock point.

    .. math::
        \mathit{Met}_{b,k,t} + \mathit{Shortfall}_{b,k,t} = \mathit{Demand}_{b,k,t}
        \quad \forall (b,k,t) \in \mathit{DEMAND\_DAYS} \qquad \text{(demand\_balance)}

        \mathit{Stock}_{b,k,t} = \mathit{Stock}_{b,k,t-1}
        + \sum_{(l,t',b,k) \in A_{b,k,t}} \mathit{Cargo}_{l,t',b,k}
        + \mathit{SourceSupply}_{b,k,t} + \mathit{pipeline}_{b,k,t}
        - \sum_{(l,t,b',k) \in D_{b,k,t}} \mathit{Cargo}_{l,t,b',k}
        - \mathit{Met}_{b,k,t}
        \quad \forall (b,k,t) \in \mathit{STOCK\_DAYS} \qquad \text{(stock\_balance)}

        \mathit{SafetyDeficit}_{b,k,t} \ge \mathit{safety\_stock\_days}_k \, \mathit{DailyDemand}_{b,k,t}
        - \mathit{Stock}_{b,k,t} \quad \forall (b,k,t) \in \mathit{SAFETY\_DAYS}
        \qquad \text{(safety\_stock)}

    :math:`\mathit{Stock}_{b,k,0}` is ``initial_stock``; :math:`A_{b,k,t}` are the cargo flows
    unloaded at b on day t (departure + drop offset = t) and :math:`D_{b,k,t}` those loaded at b
    (the line's origin) on day t; :math:`\mathit{pipeline}_{b,k,t}` is the cargo of convoys that
    left before day 1 and arrives at b on day t (``commitments.pipeline_arrivals``, 0 unless
    re-planning). ``0 ≤ Stock ≤ capacity`` are the bounds of ``Stock``. Terms
    that do not exist at a stock point (no source, no demand) are left out. Units: the supply
    class's unit (t or kL) per day.
    """
    demand_days = set(index.DEMAND_DAYS)
    source_days = set(index.SOURCE_DAYS)

    m.demand_balance = pyo.Constraint(
        m.DEMAND_DAYS,
        rule=lambda m, b, k, t: m.Met[b, k, t] + m.Shortfall[b, k, t] == m.Demand[b, k, t],
    )

    def stock_balance(m: pyo.ConcreteModel, b: str, k: str, t: int) -> object:
        key = (b, k, t)
        previous = m.Stock[b, k, t - 1] if t > 1 else data.initial_stock.get((b, k), 0.0)
        inflow = sum(m.Cargo[c] for c in index.arrivals.get(key, ()))
        outflow = sum(m.Cargo[c] for c in index.departures.get(key, ()))
        inflow += data.commitments.pipeline_arrivals.get(key, 0.0)
        if key in source_days:
            inflow += m.SourceSupply[key]
        if key in demand_days:
            outflow += m.Met[key]
        return m.Stock[key] == previous + inflow - outflow

    m.stock_balance = pyo.Constraint(m.STOCK_DAYS, rule=stock_balance)

    m.safety_stock = pyo.Constraint(
        m.SAFETY_DAYS,
        rule=lambda m, b, k, t: (
            m.SafetyDeficit[b, k, t] + m.Stock[b, k, t]
            >= data.safety_stock_days[k] * m.DailyDemand[b, k, t]
        ),
    )
