"""Compile a validated scenario into the model's data (``models.ModelData``).

``from logistics.compile import compile_scenario`` is the stage's entry point.
"""

from logistics.compile.scenario import compile_scenario

__all__ = ["compile_scenario"]
