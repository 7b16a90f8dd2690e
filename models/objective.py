r"""The objective: a weighted sum of penalty and cost terms, each reported on its own.

.. math::
    \min \; w^{short} \sum_{b,k,t} \pi_k \, \mathit{Shortfall}_{b,k,t}
    + w^{garr} \sum_{b,t} \mathit{GarrisonShortfall}_{b,t}
    + w^{safe} \sum_{b,k,t} \mathit{SafetyDeficit}_{b,k,t}
    + w^{exp} \sum_{l,t} \epsilon_{l,t} \sum_v \mathit{Vehicles}_{l,t,v}
    + w^{cost} \Big( \sum_{l,t,v} c_{l,v} \mathit{Vehicles}_{l,t,v}
    + \sum_{b,k,t} c^{src}_{b,k} \mathit{SourceSupply}_{b,k,t}
    + \sum_{u,b} \mathit{strength}_u \, \mathit{relocation\_km}_{u,b} \, c^{reloc}
      \mathit{Assign}_{u,b} \Big)

Each term is a list of parts (a new cost or penalty appends a part); each part has its unweighted
total (``RawTerm``, reported as ``Plan.raw_terms``) and its priced form, which the term's weight
multiplies (``ObjectiveTerm``, reported as ``Plan.objective_terms``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo

from models.data import ModelData
from models.results import OBJECTIVE_TERMS
from models.sets import ModelIndex

RAW_TERM_OF: dict[str, str] = {
    "shortfall": "shortfall_units",
    "garrison": "garrison_troop_days",
    "safety_stock": "safety_stock_unit_days",
    "exposure": "exposure",
    "cost": "cost_usd",
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


def objective_parts(
    m: pyo.ConcreteModel, data: ModelData, index: ModelIndex
) -> dict[str, list[TermPart]]:
    """The parts of every objective term, keyed as ``OBJECTIVE_TERMS``."""
    return {
        "shortfall": [
            TermPart(
                raw=sum(m.Shortfall[i] for i in m.DEMAND_DAYS),
                priced=sum(
                    data.shortfall_priority_factor.get(i[1], 1.0) * m.Shortfall[i]
                    for i in m.DEMAND_DAYS
                ),
            )
        ],
        "garrison": [TermPart.plain(sum(m.GarrisonShortfall[i] for i in m.GARRISON_DAYS))],
        "safety_stock": [TermPart.plain(sum(m.SafetyDeficit[i] for i in m.SAFETY_DAYS))],
        "exposure": [
            TermPart.plain(
                sum(
                    data.exposure_per_vehicle.get((line_id, t), 0.0) * m.Vehicles[line_id, t, v]
                    for (line_id, t, v) in m.CONVOY_VEHICLES
                )
            )
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


def add_objective(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    """Declare ``RawTerm``, ``ObjectiveTerm`` and the objective ``total_penalty`` (minimised)."""
    parts = objective_parts(m, data, index)
    m.OBJECTIVE_TERMS = pyo.Set(initialize=OBJECTIVE_TERMS, ordered=True)
    m.RAW_TERMS = pyo.Set(initialize=[RAW_TERM_OF[name] for name in OBJECTIVE_TERMS], ordered=True)
    raw_of = {RAW_TERM_OF[name]: parts[name] for name in OBJECTIVE_TERMS}
    m.RawTerm = pyo.Expression(m.RAW_TERMS, rule=lambda m, key: sum(p.raw for p in raw_of[key]))
    m.ObjectiveTerm = pyo.Expression(
        m.OBJECTIVE_TERMS,
        rule=lambda m, name: getattr(data.weights, name) * sum(p.priced for p in parts[name]),
    )
    m.total_penalty = pyo.Objective(
        expr=sum(m.ObjectiveTerm[name] for name in OBJECTIVE_TERMS), sense=pyo.minimize
    )
