"""Airfields: the aircraft movements at an airfield stay within its sorties per day."""

from __future__ import annotations

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex


def add_airfields(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    r"""Limit the aircraft taking off from or landing at each limited airfield per day.

    .. math::
        \sum_{(l,t') \in A_{h,t}} \sum_{v} \mathit{Vehicles}_{l,t',v}
        \le \mathit{max\_sorties\_per\_day}_h
        \quad \forall (h,t) \in \mathit{AIRFIELD\_DAYS}
        \qquad \text{(airfield\_sorties)}

    :math:`A_{h,t}` (``airfield_use``, from ``sets.airfield_visits``) lists the air departures
    moving through h on day t, once per movement: the take-off from the origin on the departure
    day t', and each landing (with the take-off that follows) on day t' + e, e the whole days
    after departure at which the round trip reaches h (``LineData.leg_offsets``), home included.
    Each aircraft of the convoy is one movement, so a sortie counts at both of its ends. Units:
    aircraft movements per day.
    """
    vehicles_of: dict[tuple[str, int], list[str]] = {}
    for line_id, t, v in index.CONVOY_VEHICLES:
        vehicles_of.setdefault((line_id, t), []).append(v)

    m.airfield_sorties = pyo.Constraint(
        m.AIRFIELD_DAYS,
        rule=lambda m, h, t: (
            sum(
                m.Vehicles[line_id, day, v]
                for line_id, day in index.airfield_use[h, t]
                for v in vehicles_of.get((line_id, day), ())
            )
            <= data.max_sorties_per_day[h]
        ),
    )
