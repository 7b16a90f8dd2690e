r"""The objective: penalty and cost terms, each reported on its own, ranked in priority tiers.

.. math::
    \mathit{shortfall} = \sum_{b,k,t} \pi_k \, \phi_t \, \mathit{Shortfall}_{b,k,t},
    \qquad \phi_t = 1 + \tfrac{1}{2} \, \tfrac{H - t}{H}

    \mathit{garrison} = \sum_{b,t} \mathit{GarrisonShortfall}_{b,t}

    \mathit{safety\_stock} = \sum_{b,k,t} \pi_k \, \mathit{SafetyDeficit}_{b,k,t},
    \qquad \mathit{end\_stock} = \sum_{b,k} \pi_k \, \mathit{EndDeficit}_{b,k}

    \mathit{exposure} = \sum_{l,t} \epsilon_{l,t} \sum_v \mathit{Vehicles}_{l,t,v}
    + \sum_{u,b} \epsilon^{move}_{u,b} \, \mathit{Assign}_{u,b}

    \mathit{cost} = \sum_{l,t,v} c_{l,v} \mathit{Vehicles}_{l,t,v}
    + \sum_{b,k,t} c^{src}_{b,k} \mathit{SourceSupply}_{b,k,t}
    + \sum_{u,b} \mathit{strength}_u \, \mathit{relocation\_km}_{u,b} \, c^{reloc}
      \mathit{Assign}_{u,b}

:math:`\pi_k` is the class's priority factor. :math:`\phi_t` makes an earlier shortfall weigh
more than a later one (never by a factor of 2, so class priorities stay in order): moving a unit
of demand met from a later day to an earlier one is then always better, so a plan optimal in its
continuous decisions never falls short on a day its store closes with stock (the exchange
argument is in ``models/README.md``).

Under the ``priorities`` policy the terms are optimised tier by tier (``objective_tiers``): no
amount of a lower tier buys any of a higher one. Under ``weights`` the objective is the sum of
the terms times their weights. Each term is a list of parts (a new cost or penalty appends a
part); each part has its unweighted total (``RawTerm``, reported as ``Plan.raw_terms``) and its
priced form, which the term's weight multiplies (``ObjectiveTerm``, ``Plan.objective_terms``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo

from models.constraints.replan import stability_changes
from models.data import ModelData
from models.results import OBJECTIVE_TERMS, STABILITY_TERM
from models.sets import ModelIndex

RAW_TERM_OF: dict[str, str] = {
    "shortfall": "shortfall_units",
    "garrison": "garrison_troop_days",
    "safety_stock": "safety_stock_unit_days",
    "end_stock": "end_stock_deficit_units",
    "exposure": "exposure",
    "cost": "cost_usd",
    "stability": "plan_changes",
}
"""Key of each objective term's unweighted total in ``Plan.raw_terms``."""


@dataclass(frozen=True)
class TermPart:
    """One contribution to an objective term: its unweighted total and its priced form."""

    raw: Any
    priced: Any

    @classmethod
    def plain(cls, expression: Any) -> TermPart:
        """A part whose priced form is its unweighted total."""
        return cls(expression, expression)


def objective_term_names(data: ModelData) -> tuple[str, ...]:
    """The model's objective terms: ``OBJECTIVE_TERMS``, and plan ``stability`` when re-planning
    against a published plan (``Commitments.stable``)."""
    return (*OBJECTIVE_TERMS, STABILITY_TERM) if data.commitments.stable else OBJECTIVE_TERMS


def objective_parts(
    m: pyo.ConcreteModel, data: ModelData, index: ModelIndex
) -> dict[str, list[TermPart]]:
    """The parts of every objective term, keyed as ``objective_term_names``."""
    parts = _mission_parts(m, data, index)
    if data.commitments.stable:
        parts[STABILITY_TERM] = [TermPart.plain(stability_changes(m, data, index))]
    return parts


def _mission_parts(
    m: pyo.ConcreteModel, data: ModelData, index: ModelIndex
) -> dict[str, list[TermPart]]:
    """The parts of the terms every plan has (``OBJECTIVE_TERMS``)."""
    return {
        "shortfall": [
            TermPart(
                raw=sum(m.Shortfall[i] for i in m.DEMAND_DAYS),
                priced=sum(
                    data.shortfall_priority_factor.get(k, 1.0)
                    * shortfall_day_factor(data, t)
                    * m.Shortfall[b, k, t]
                    for (b, k, t) in m.DEMAND_DAYS
                ),
            )
        ],
        "garrison": [TermPart.plain(sum(m.GarrisonShortfall[i] for i in m.GARRISON_DAYS))],
        "safety_stock": [_by_priority(data, m.SafetyDeficit, m.SAFETY_DAYS)],
        "end_stock": [_by_priority(data, m.EndDeficit, m.END_STOCK_POINTS)],
        "exposure": [
            TermPart.plain(
                sum(
                    data.exposure_per_vehicle.get((line_id, t), 0.0) * m.Vehicles[line_id, t, v]
                    for (line_id, t, v) in m.CONVOY_VEHICLES
                )
            ),
            TermPart.plain(
                sum(
                    data.relocation_exposure.get((u, b), 0.0) * m.Assign[u, b]
                    for (u, b) in index.ASSIGNMENTS
                    if data.relocation_exposure.get((u, b), 0.0) > 0
                )
            ),
        ],
        "cost": [
            TermPart.plain(
                sum(
                    data.cost_usd_per_vehicle.get((line_id, v), 0.0) * m.Vehicles[line_id, t, v]
                    for (line_id, t, v) in m.CONVOY_VEHICLES
                )
            ),
            TermPart.plain(
                sum(
                    data.source_cost_usd_per_unit.get((b, k), 0.0) * m.SourceSupply[b, k, t]
                    for (b, k, t) in m.SOURCE_DAYS
                )
            ),
            TermPart.plain(
                sum(
                    data.unit_strength[u]
                    * data.relocation_km.get((u, b), 0.0)
                    * data.relocation_cost_usd_per_troop_km
                    * m.Assign[u, b]
                    for (u, b) in index.ASSIGNMENTS
                )
            ),
        ],
    }


def shortfall_day_factor(data: ModelData, t: int) -> float:
    """:math:`\\phi_t`: how much more a shortfall on day t weighs than one on the last day."""
    return 1.0 + 0.5 * (data.horizon_days - t) / data.horizon_days


def _by_priority(data: ModelData, variable: Any, keys: Any) -> TermPart:
    """A deficit summed over its keys (stock point first), priced by its class's priority."""
    return TermPart(
        raw=sum(variable[i] for i in keys),
        priced=sum(data.shortfall_priority_factor.get(i[1], 1.0) * variable[i] for i in keys),
    )


def objective_tiers(data: ModelData) -> tuple[tuple[str, ...], ...]:
    """The objective terms in priority tiers, highest first.

    Unmet demand first, then garrison, then safety and end stock, then exposure and cost, which
    trade at their weights (by default a vehicle-km at risk weight 1 outweighs 10 USD); when the
    workbook allows rationing, the end-of-horizon reserve comes before daily demand. A re-plan's
    changes to the published plan (``stability``) trade at their weight with the stock targets
    (safety and end stock) and again with exposure and cost in the last tier: they never buy
    unmet demand or garrison, and a small gain in stock targets, exposure or cost does not buy a
    change (``models/README.md``, Re-planning; ``held_terms``).
    """
    changes = (STABILITY_TERM,) if data.commitments.stable else ()
    last = ("exposure", "cost", *changes)
    if data.rationing:
        return (("end_stock",), ("shortfall",), ("garrison",), ("safety_stock", *changes), last)
    return (("shortfall",), ("garrison",), ("safety_stock", "end_stock", *changes), last)


def held_terms(names: tuple[str, ...]) -> tuple[str, ...]:
    """The terms of a tier that later tiers may not worsen: all but ``stability``. A re-plan's
    stock-target tier weighs its changes to the published plan (a change must buy its weight in
    stock targets) but holds only the targets it reached, so the last tier weighs the changes
    again against exposure and cost instead of inheriting them."""
    return tuple(name for name in names if name != STABILITY_TERM)


def add_objective(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    """Declare ``RawTerm``, ``ObjectiveTerm`` and the objective ``total_penalty`` (minimised)."""
    parts = objective_parts(m, data, index)
    names = objective_term_names(data)
    m.OBJECTIVE_TERMS = pyo.Set(initialize=names, ordered=True)
    m.RAW_TERMS = pyo.Set(initialize=[RAW_TERM_OF[name] for name in names], ordered=True)
    raw_of = {RAW_TERM_OF[name]: parts[name] for name in names}
    m.RawTerm = pyo.Expression(m.RAW_TERMS, rule=lambda m, key: sum(p.raw for p in raw_of[key]))
    m.ObjectiveTerm = pyo.Expression(
        m.OBJECTIVE_TERMS,
        rule=lambda m, name: getattr(data.weights, name) * sum(p.priced for p in parts[name]),
    )
    m.total_penalty = pyo.Objective(
        expr=sum(m.ObjectiveTerm[name] for name in names), sense=pyo.minimize
    )
