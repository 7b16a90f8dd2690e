"""Build the Pyomo model: a table of contents of the formulation in ``models/README.md``."""

from __future__ import annotations

import pyomo.environ as pyo

from models.constraints.airfields import add_airfields
from models.constraints.allocation import add_allocation
from models.constraints.cargo import add_cargo
from models.constraints.convoys import add_convoys
from models.constraints.end_stock import add_end_stock
from models.constraints.escorts import add_escorts
from models.constraints.fleet import add_fleet
from models.constraints.garrison import add_garrison
from models.constraints.replan import add_commitments
from models.constraints.routes import add_routes
from models.constraints.sources import add_sources
from models.constraints.stock import add_stock
from models.data import ModelData
from models.expressions import define_demand, define_escort_troops, define_troops
from models.objective import add_objective
from models.sets import ModelIndex, define_sets, index_model_data
from models.variables import (
    define_allocation_variables,
    define_cargo_variables,
    define_convoy_variables,
    define_end_stock_variables,
    define_escort_variables,
    define_garrison_variables,
    define_source_variables,
    define_stock_variables,
)


def build_model(data: ModelData, index: ModelIndex | None = None) -> pyo.ConcreteModel:
    """Build the mission logistics MILP from ``data`` (``index`` if already computed from it)."""
    index = index or index_model_data(data)
    m = pyo.ConcreteModel(name="mission_logistics")
    define_sets(m, data, index)

    define_allocation_variables(m, data, index)
    define_garrison_variables(m)
    define_stock_variables(m, data)
    define_end_stock_variables(m, index)
    define_source_variables(m, data)
    define_convoy_variables(m, index)
    define_cargo_variables(m)
    define_escort_variables(m, data, index)

    define_troops(m, data, index)
    define_demand(m, data, index)
    define_escort_troops(m, data, index)

    add_allocation(m, data, index)
    add_garrison(m, data)
    add_stock(m, data, index)
    add_end_stock(m, data, index)
    add_sources(m, data, index)
    add_convoys(m, data, index)
    add_cargo(m, data, index)
    add_fleet(m, data, index)
    add_escorts(m, data, index)
    add_routes(m, data, index)
    add_airfields(m, data, index)
    add_commitments(m, data, index)

    add_objective(m, data, index)
    return m
