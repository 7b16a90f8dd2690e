"""Routes: a limited route admits at most so many convoys a day."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_routes(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Keep the convoys entering each limited route within its daily maximum.

    .. math::
        \sum_{(l,t') \in R_{r,t}} \mathit{Depart}_{l,t'} \le \mathit{route\_max\_convoys\_per\_day}_{r,t}
        \quad \forall (r,t) \in \mathit{ROUTE\_DAYS}
        \qquad \text{(route\_capacity)}

    :math:`R_{r,t}` (``route_entries``) are the departures whose convoy enters route r on day t.
    ROUTE_DAYS keeps the (route, day) pairs where more convoys could enter than allowed. Closed
    routes need no row: departures that would use a closed route are not in ``departure_days``.
    Units: convoys per day.
    """
    m.route_capacity = pyo.Constraint(
        m.ROUTE_DAYS,
        rule=lambda m, r, t: (
            sum(m.Depart[d] for d in index.route_entries[r, t])
            <= data.route_max_convoys_per_day[r, t]
        ),
    )
