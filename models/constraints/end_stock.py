"""End of the horizon: each stock point closes the last day with its end-stock target."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_end_stock(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Measure how far each stock point closes day H below its end-stock target.

    .. math::
        \mathit{EndDeficit}_{b,k} + \mathit{Stock}_{b,k,H} \ge c_{b,k}
        \quad \text{(constant target: the opening stock)}

        \mathit{EndDeficit}_{b,k} + \mathit{Stock}_{b,k,H}
        \ge \mathit{safety\_stock\_days}_k \, \mathit{DailyDemand}_{b,k,H}
        \quad \text{(safety target)}

        \mathit{EndDeficit}_{b,k} + \mathit{Stock}_{b,k,H}
        \ge \mathit{safety\_stock\_days}_k \, \mathit{DailyDemand}_{b,k,H}
        - (\bar s_{b,k} - c_{b,k}) \, \mathit{EndChoice}_{b,k},
        \qquad
        \mathit{EndDeficit}_{b,k} + \mathit{Stock}_{b,k,H}
        \ge c_{b,k} - (c_{b,k} - \underline s_{b,k}) (1 - \mathit{EndChoice}_{b,k})
        \quad \text{(lesser of the two)}

    for every (b, k) in END_STOCK_POINTS (component ``end_stock``, indexed (b, k, row)).
    :math:`c_{b,k}` is the opening stock and :math:`[\underline s_{b,k}, \bar s_{b,k}]` the
    range of the safety target over every allocation; where the allocation decides which of the
    two is lower, the binary ``EndChoice`` picks the lesser (each big-M is the least that makes
    its row redundant). With policy ``safety`` the target is the lesser of the safety target
    and the opening stock, with ``opening`` the opening stock, with ``none`` there is no row.
    Units: the supply class's unit.
    """
    last = data.horizon_days
    rows = [(b, k, 0) for (b, k) in index.END_STOCK_POINTS] + [
        (b, k, 1) for (b, k) in index.END_CHOICES
    ]

    def end_stock(m: pyo.ConcreteModel, b: str, k: str, row: int) -> object:
        target = index.end_targets[b, k]
        held = m.EndDeficit[b, k] + m.Stock[b, k, last]
        safety = data.safety_stock_days.get(k, 0.0) * m.DailyDemand[b, k, last]
        if target.kind == "constant":
            return held >= target.opening
        if target.kind == "safety":
            return held >= safety
        if row == 0:
            return held >= safety - (target.safety_high - target.opening) * m.EndChoice[b, k]
        return held >= target.opening - (target.opening - target.safety_low) * (
            1 - m.EndChoice[b, k]
        )

    m.END_STOCK_ROWS = pyo.Set(initialize=rows, dimen=3, ordered=True)
    m.end_stock = pyo.Constraint(m.END_STOCK_ROWS, rule=end_stock)
