"""Pyomo models of the mission logistics plan, solved with HiGHS.

This package knows Pyomo and HiGHS and nothing about Excel: it takes a ``ModelData`` and returns a
``Plan``. ``build_model`` gives the Pyomo model alone; ``solve`` builds, solves and extracts.
"""

from models.build import build_model
from models.data import Commitments, LineData, ModelData, ObjectiveWeights
from models.results import (
    OBJECTIVE_TERMS,
    TABLE_COLUMNS,
    Plan,
    SearchRecord,
    SolveOptions,
    SolveProgress,
    SolveStatus,
)
from models.solve import solve

__all__ = [
    "OBJECTIVE_TERMS",
    "TABLE_COLUMNS",
    "Commitments",
    "LineData",
    "ModelData",
    "ObjectiveWeights",
    "Plan",
    "SearchRecord",
    "SolveOptions",
    "SolveProgress",
    "SolveStatus",
    "build_model",
    "solve",
]
