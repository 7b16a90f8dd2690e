"""Re-planning: what is already on the road, and the published plan a re-plan keeps to.

A re-plan starts on the report day with the convoys already on the road as data
(``ModelData.commitments``): their cargo enters the stock balance as ``pipeline_arrivals``
(``constraints/stock.py``), and this module keeps the vehicles and escorts still away with them,
or out of service, off the convoys the re-plan sends, fixes the frozen days' published departures
and measures how far the re-plan moves from the published plan (``stability_changes``, the
``stability`` objective term).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from models.data import Departure, ModelData
from models.expressions import troops_present
from models.sets import ModelIndex, days_away


def add_commitments(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Keep vehicles and escorts still away off new convoys, and run the frozen departures.

    .. math::
        \sum_{(l,t') \in W_{h,v,t}} \mathit{Vehicles}_{l,t',v}
        \le \max(0,\ \mathit{fleet}_{h,v} \, \mathit{trips\_per\_day}_v - a_{h,v,t})
        \quad \forall (h,v,t): a_{h,v,t} > 0 \qquad \text{(fleet\_committed)}

        \sum_{(l,t') \in E_{h,t}} \mathit{EscortTroops}_{l,t'}
        \le \sum_{u \in U^{esc}_h} \mathit{strength}_u \, p_{u,h,t} - e_{h,t}
        \quad \forall (h,t): e_{h,t} > 0,\ E_{h,t} \ne \emptyset
        \qquad \text{(escort\_committed)}

        \mathit{Depart}_{l,t} = 1 \quad \forall (l,t) \in F \cap \mathit{DEPARTURES}
        \qquad \text{(frozen\_departure)}

    :math:`a_{h,v,t}` is ``commitments.vehicles_away`` (vehicles of convoys that left before day
    1 and are not back, lost or out of service), :math:`e_{h,t}` ``commitments.escort_troops_away``
    and :math:`F` ``commitments.fixed_departures``; :math:`W_{h,v,t}` and :math:`E_{h,t}` are the
    departures away on day t as in ``fleet_availability`` and ``escort_capacity``, which these
    rows tighten. Units: vehicles (sorties per day for aircraft); troops (persons).
    """
    commitments = data.commitments
    away = _vehicles_away_by_day(data, index)
    fleet_rows = [key for key, n in sorted(commitments.vehicles_away.items()) if n > 0]
    m.FLEET_COMMITTED_DAYS = pyo.Set(initialize=fleet_rows, dimen=3, ordered=True)
    m.fleet_committed = pyo.Constraint(
        m.FLEET_COMMITTED_DAYS,
        rule=lambda m, h, v, t: (
            sum(m.Vehicles[line_id, t0, v] for (line_id, t0) in away.get((h, v, t), ()))
            <= max(
                0,
                data.fleet.get((h, v), 0) * data.trips_per_day.get(v, 1)
                - commitments.vehicles_away[h, v, t],
            )
            if away.get((h, v, t))
            else pyo.Constraint.Skip
        ),
    )
    escort_rows = [
        key
        for key, n in sorted(commitments.escort_troops_away.items())
        if n > 0 and index.escorts_away.get(key)
    ]
    m.ESCORT_COMMITTED_DAYS = pyo.Set(initialize=escort_rows, dimen=2, ordered=True)
    m.escort_committed = pyo.Constraint(
        m.ESCORT_COMMITTED_DAYS,
        rule=lambda m, h, t: (
            sum(m.EscortTroops[d] for d in index.escorts_away[h, t])
            <= troops_present(m, data, index.escort_units_at_base.get(h, ()), h, t)
            - commitments.escort_troops_away[h, t]
        ),
    )
    fixed = sorted(set(commitments.fixed_departures) & set(index.DEPARTURES))
    m.FROZEN_DEPARTURES = pyo.Set(initialize=fixed, dimen=2, ordered=True)
    m.frozen_departure = pyo.Constraint(
        m.FROZEN_DEPARTURES, rule=lambda m, line_id, t: m.Depart[line_id, t] == 1
    )


def _vehicles_away_by_day(
    data: ModelData, index: ModelIndex
) -> dict[tuple[str, str, int], list[Departure]]:
    """(home base, vehicle type, day) → the departures whose vehicles of that type are away."""
    away: dict[tuple[str, str, int], list[Departure]] = defaultdict(list)
    for line_id, t, v in index.CONVOY_VEHICLES:
        for day in days_away(data, (line_id, t)):
            away[data.lines[line_id].origin, v, day].append((line_id, t))
    return away


def comparable(data: ModelData, departure: Departure) -> bool:
    """Whether the published plan could have had the departure: its convoy reaches the first base
    of its path within the days the published plan covers (a plan never sends a convoy whose
    cargo cannot arrive by its last day, so later departures are the new horizon's own)."""
    line_id, t = departure
    line = data.lines[line_id]
    return t + line.drop_offset(line.path[1], t) <= data.commitments.published_days


def stability_changes(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> Any:
    r"""Changes against the published plan beyond the frozen days (the ``stability`` term).

    .. math::
        \mathit{changes} = \sum_{(l,t) \in P \setminus F} (1 - \mathit{Depart}_{l,t})
        + \sum_{(l,t) \in \mathit{DEPARTURES} \setminus P,\ t + o_{l,t} \le T} \mathit{Depart}_{l,t}
        + \sum_{u:\ \bar b_u \in C_u,\ |C_u| > 1} (1 - \mathit{Assign}_{u,\bar b_u})

    :math:`P` are the published departures that can still run, :math:`T` the last day the published
    plan covers (``published_days``), :math:`o_{l,t}` the days to the first base of the line's
    path (a departure the published plan could not have had is no change, ``comparable``), :math:`\bar b_u` the base the published plan allocates
    unit u to. A moved departure counts twice (cancelled and added). Published departures that
    cannot run any more (a route closed, no vehicles) are forced changes, not decisions, and are
    left out. Units: changes (departures and units).
    """
    commitments = data.commitments
    published = set(commitments.published_departures) - set(commitments.fixed_departures)
    departures = [
        (1 - m.Depart[d]) if d in published else m.Depart[d]
        for d in index.DEPARTURES
        if d not in commitments.fixed_departures and (d in published or comparable(data, d))
    ]
    retasked = [
        1 - m.Assign[u, b]
        for u, b in commitments.published_bases.items()
        if (u, b) in index.ASSIGNMENTS and len(data.unit_candidate_bases.get(u, ())) > 1
    ]
    return sum(departures) + sum(retasked)
