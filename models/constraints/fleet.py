"""Fleet: vehicles away on a round trip cannot start another one."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_fleet(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Keep the vehicles away from each home base within its fleet, every day.

    .. math::
        \sum_{(l,t') \in W_{h,v,t}} \mathit{Vehicles}_{l,t',v}
        \le \mathit{fleet}_{h,v} \, \mathit{trips\_per\_day}_v
        \quad \forall (h,v,t) \in \mathit{FLEET\_DAYS}
        \qquad \text{(fleet\_availability)}

    :math:`W_{h,v,t}` are the departures of lines from h using type v with
    :math:`t' \le t < t' + \mathit{round\_trip\_days}_l`. FLEET_DAYS keeps the (base, type, day)
    triples where the departures away could exceed the fleet; elsewhere the row is implied by the
    bounds of ``Vehicles``. Units: vehicles (sorties per day for aircraft).
    """
    m.fleet_availability = pyo.Constraint(
        m.FLEET_DAYS,
        rule=lambda m, h, v, t: (
            sum(m.Vehicles[line_id, t0, v] for (line_id, t0) in index.fleet_in_use[h, v, t])
            <= data.fleet.get((h, v), 0) * data.trips_per_day.get(v, 1)
        ),
    )
