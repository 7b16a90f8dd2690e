"""Decision variables, one ``define_*`` function per family.

Bounds that are plain data (storage capacity, a source's daily limit, the vehicles a convoy can
use) are variable bounds, not rows: they cost nothing in the matrix and HiGHS treats them natively.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from models.data import ModelData
from models.sets import ModelIndex, escort_group_size


def define_allocation_variables(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    """``Assign[u, b]`` ∈ {0, 1}: unit u is allocated to base b (ASSIGNMENTS).

    A unit with a single candidate base is fixed there, so it adds no column.
    """
    m.Assign = pyo.Var(m.ASSIGNMENTS, domain=pyo.Binary)
    for u in data.UNITS:
        candidates = data.unit_candidate_bases[u]
        if len(candidates) == 1:
            m.Assign[u, candidates[0]].fix(1)


def define_garrison_variables(m: pyo.ConcreteModel) -> None:
    """``GarrisonShortfall[b, t]`` ≥ 0 troops below the garrison requirement (GARRISON_DAYS)."""
    m.GarrisonShortfall = pyo.Var(m.GARRISON_DAYS, domain=pyo.NonNegativeReals)


def define_stock_variables(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Stock and demand variables, in the supply class's unit.

    ``Stock[b, k, t]`` ∈ [0, capacity[b, k]] closing stock (STOCK_DAYS); ``Met[b, k, t]`` and
    ``Shortfall[b, k, t]`` ≥ 0 demand met and not met (DEMAND_DAYS); ``SafetyDeficit[b, k, t]`` ≥ 0
    stock below the safety target (SAFETY_DAYS).
    """
    m.Stock = pyo.Var(
        m.STOCK_DAYS,
        domain=pyo.NonNegativeReals,
        bounds=lambda _, b, k, t: (0.0, data.capacity.get((b, k), 0.0)),
    )
    m.Met = pyo.Var(m.DEMAND_DAYS, domain=pyo.NonNegativeReals)
    m.Shortfall = pyo.Var(m.DEMAND_DAYS, domain=pyo.NonNegativeReals)
    m.SafetyDeficit = pyo.Var(m.SAFETY_DAYS, domain=pyo.NonNegativeReals)


def define_end_stock_variables(m: pyo.ConcreteModel, index: ModelIndex) -> None:
    """``EndDeficit[b, k]`` ≥ 0 units below the end-stock target at the close of day H
    (END_STOCK_POINTS), bounded by the largest the target can be; ``EndChoice[b, k]`` ∈ {0, 1}
    picks the opening stock (1) or the safety target (0) where the lesser of the two depends on
    the allocation (END_CHOICES)."""
    m.EndDeficit = pyo.Var(
        m.END_STOCK_POINTS,
        domain=pyo.NonNegativeReals,
        bounds=lambda _, b, k: (0.0, index.end_targets[b, k].highest),
    )
    m.EndChoice = pyo.Var(m.END_CHOICES, domain=pyo.Binary)


def define_source_variables(m: pyo.ConcreteModel, data: ModelData) -> None:
    """``SourceSupply[b, k, t]`` ∈ [0, source_per_day[b, k, t]] drawn from the source (SOURCE_DAYS).

    The upper bound is the ``source_daily_limit`` of the formulation.
    """
    m.SourceSupply = pyo.Var(
        m.SOURCE_DAYS,
        domain=pyo.NonNegativeReals,
        bounds=lambda _, b, k, t: (0.0, data.source_per_day.get((b, k, t))),
    )


def define_convoy_variables(m: pyo.ConcreteModel, index: ModelIndex) -> None:
    """Convoys and their vehicles.

    ``Depart[l, t]`` ∈ {0, 1}: a convoy of line l departs on day t (DEPARTURES);
    ``Vehicles[l, t, v]`` ∈ {0, …, line_vehicle_cap[l, v]} vehicles (or sorties) of type v in it
    (CONVOY_VEHICLES).
    """
    m.Depart = pyo.Var(m.DEPARTURES, domain=pyo.Binary)
    m.Vehicles = pyo.Var(
        m.CONVOY_VEHICLES,
        domain=pyo.NonNegativeIntegers,
        bounds=lambda _, line_id, t, v: (0, index.line_vehicle_cap[line_id, v]),
    )


def define_cargo_variables(m: pyo.ConcreteModel) -> None:
    """``Cargo[l, t, b, k]`` ≥ 0 units of class k loaded at the origin on day t for base b (CARGO)."""
    m.Cargo = pyo.Var(m.CARGO, domain=pyo.NonNegativeReals)


def define_escort_variables(m: pyo.ConcreteModel, data: ModelData, index: ModelIndex) -> None:
    """``EscortGroups[l, t]`` ∈ ℕ escort groups, each covering ``vehicles_per_escort_group``
    vehicles (ESCORT_GROUP_DEPARTURES)."""

    def bounds(_: pyo.ConcreteModel, line_id: str, t: int) -> tuple[int, int]:
        return 0, math.ceil(
            index.line_max_vehicles[line_id] / escort_group_size(data, (line_id, t))
        )

    m.EscortGroups = pyo.Var(
        m.ESCORT_GROUP_DEPARTURES, domain=pyo.NonNegativeIntegers, bounds=bounds
    )
