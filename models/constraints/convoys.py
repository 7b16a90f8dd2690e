"""Convoys: a departing convoy's size is within its line's minimum and maximum."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_convoys(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Tie the vehicles of a convoy to its departure and keep its size within the line's limits.

    .. math::
        \mathit{min\_vehicles}_l \, \mathit{Depart}_{l,t} \le \sum_{v} \mathit{Vehicles}_{l,t,v}
        \le \overline{N}_l \, \mathit{Depart}_{l,t}
        \quad \forall (l,t) \in \mathit{DEPARTURES}
        \qquad \text{(convoy\_size\_min, convoy\_size\_max)}

        \mathit{Vehicles}_{l,t,v} \le \overline{n}_{l,v} \, \mathit{Depart}_{l,t}
        \quad \forall (l,t,v) \in \mathit{CONVOY\_VEHICLES}: \overline{n}_{l,v} < \overline{N}_l
        \qquad \text{(convoy\_vehicle\_link)}

    :math:`\overline{n}_{l,v} = \min(\mathit{fleet}_{o(l),v} \cdot \mathit{trips\_per\_day}_v,
    \mathit{max\_vehicles}_l)` is the bound of ``Vehicles`` and
    :math:`\overline{N}_l = \min(\mathit{max\_vehicles}_l, \sum_v \overline{n}_{l,v})` the largest
    usable convoy; the per-type link is written only where it is tighter than the size limit.
    A departure without at least one vehicle is no convoy, so the minimum is at least 1. Units:
    vehicles (sorties for aircraft).
    """
    vehicles_of: dict[tuple[str, int], list[str]] = {}
    for line_id, t, v in index.CONVOY_VEHICLES:
        vehicles_of.setdefault((line_id, t), []).append(v)

    def fleet_sum(m: pyo.ConcreteModel, line_id: str, t: int) -> object:
        return sum(m.Vehicles[line_id, t, v] for v in vehicles_of[line_id, t])

    m.convoy_size_min = pyo.Constraint(
        m.DEPARTURES,
        rule=lambda m, line_id, t: (
            fleet_sum(m, line_id, t)
            >= max(data.lines[line_id].min_vehicles, 1) * m.Depart[line_id, t]
        ),
    )
    m.convoy_size_max = pyo.Constraint(
        m.DEPARTURES,
        rule=lambda m, line_id, t: (
            fleet_sum(m, line_id, t) <= index.line_max_vehicles[line_id] * m.Depart[line_id, t]
        ),
    )

    def convoy_vehicle_link(m: pyo.ConcreteModel, line_id: str, t: int, v: str) -> object:
        cap = index.line_vehicle_cap[line_id, v]
        if cap >= index.line_max_vehicles[line_id]:
            return pyo.Constraint.Skip
        return m.Vehicles[line_id, t, v] <= cap * m.Depart[line_id, t]

    m.convoy_vehicle_link = pyo.Constraint(m.CONVOY_VEHICLES, rule=convoy_vehicle_link)
