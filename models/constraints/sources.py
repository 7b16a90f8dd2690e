"""Sources: where supplies enter the mission, within their daily and total limits."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_sources(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Keep each source within its limit over the horizon.

    .. math::
        \sum_{t \in \mathit{DAYS}} \mathit{SourceSupply}_{b,k,t} \le \mathit{source\_total}_{b,k}
        \quad \forall (b,k) \in \mathit{SOURCES} \qquad \text{(source\_total\_limit)}

    The daily limit :math:`\mathit{SourceSupply}_{b,k,t} \le \mathit{source\_per\_day}_{b,k,t}`
    (``source_daily_limit``) is the upper bound of ``SourceSupply``. Sources without a total limit
    (None) need no row. Units: the supply class's unit (t or kL).
    """
    days_of_source: dict[tuple[str, str], list[int]] = {}
    for b, k, t in index.SOURCE_DAYS:
        days_of_source.setdefault((b, k), []).append(t)

    def source_total_limit(m: pyo.ConcreteModel, b: str, k: str) -> object:
        total = data.source_total.get((b, k))
        if total is None or (b, k) not in days_of_source:
            return pyo.Constraint.Skip
        return sum(m.SourceSupply[b, k, t] for t in days_of_source[b, k]) <= total

    m.source_total_limit = pyo.Constraint(m.SOURCES, rule=source_total_limit)
