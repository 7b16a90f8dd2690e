"""Escorts: escorted convoys draw troops from escort-capable units at their escort base."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.expressions import troops_present
from models.sets import ModelIndex, escort_group_size


def add_escorts(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Size each convoy's escort and keep the escorts away within what their base holds.

    .. math::
        g_{l,t} \, \mathit{EscortGroups}_{l,t} \ge \sum_v \mathit{Vehicles}_{l,t,v}
        \quad \forall (l,t) \in \mathit{ESCORT\_GROUP\_DEPARTURES}
        \qquad \text{(escort\_groups)}

        \sum_{(l,t') \in E_{h,t}} \mathit{EscortTroops}_{l,t'}
        \le \sum_{u \in U^{esc}_h} \mathit{strength}_u \, p_{u,h,t}
        \quad \forall (h,t) \in \mathit{ESCORT\_DAYS}
        \qquad \text{(escort\_capacity)}

    :math:`g_{l,t}` is ``vehicles_per_escort_group``; ``EscortTroops`` (persons) is the escort per
    convoy times ``Depart`` plus the troops per group times ``EscortGroups``;
    :math:`E_{h,t}` are the escorted departures escorted from h (the line's ``escort_base``,
    by default its origin) away on day t (:math:`t' \le t < t' + \mathit{round\_trip}_{l,t'}`,
    the round trip of that departure day) and :math:`U^{esc}_h` the
    escort-capable units that may be allocated to h, counted on day t as in ``Troops``
    (:math:`p_{u,h,t}`: a unit relocating away escorts from h only before its move day, one
    arriving only from its arrival day). Units: vehicles; troops (persons).
    """
    vehicles_of: dict[tuple[str, int], list[str]] = {}
    for line_id, t, v in index.CONVOY_VEHICLES:
        vehicles_of.setdefault((line_id, t), []).append(v)

    m.escort_groups = pyo.Constraint(
        m.ESCORT_GROUP_DEPARTURES,
        rule=lambda m, line_id, t: (
            escort_group_size(data, (line_id, t)) * m.EscortGroups[line_id, t]
            >= sum(m.Vehicles[line_id, t, v] for v in vehicles_of[line_id, t])
        ),
    )
    m.escort_capacity = pyo.Constraint(
        m.ESCORT_DAYS,
        rule=lambda m, h, t: (
            sum(m.EscortTroops[d] for d in index.escorts_away[h, t])
            <= troops_present(m, data, index.escort_units_at_base.get(h, ()), h, t)
        ),
    )
