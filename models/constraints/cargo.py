"""Cargo: what a convoy carries fits its vehicles' payload, by cargo type."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_cargo(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Fit each convoy's cargo on vehicles that may carry it (Hall's condition).

    .. math::
        \sum_{(l,t,b,k) \in \mathit{CARGO}:\, \mathit{type}_k \in S}
            \mathit{mass\_t\_per\_unit}_k \, \mathit{Cargo}_{l,t,b,k}
        \le \sum_{v:\, \mathit{types}_v \cap S \neq \emptyset}
            \mathit{payload\_t}_v \, \mathit{Vehicles}_{l,t,v}
        \quad \forall (l,t) \in \mathit{DEPARTURES},\ S \in \mathcal{S}_l
        \qquad \text{(cargo\_capacity)}

    Loads split freely among vehicles, so by Hall's theorem the cargo fits exactly when this holds
    for every set S of cargo types. :math:`\mathcal{S}_l` keeps only the sets that are not implied
    by others (connected through shared vehicles and maximal for their vehicles): one set per cargo
    type when every vehicle carries a single type. Units: t.
    """

    def cargo_capacity(m: pyo.ConcreteModel, line_id: str, t: int, position: int) -> object:
        group = index.cargo_groups[line_id][position]
        cargo = [c for c in index.cargo_of_departure[line_id, t] if c[3] in group.supplies]
        loaded = sum(data.mass_t_per_unit[c[3]] * m.Cargo[c] for c in cargo)
        capacity = sum(data.payload_t[v] * m.Vehicles[line_id, t, v] for v in group.vehicle_types)
        return loaded <= capacity

    m.cargo_capacity = pyo.Constraint(m.CARGO_GROUPS, rule=cargo_capacity)
