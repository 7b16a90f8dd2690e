"""Values of a solved model, keyed like the model's variables, for the tables and the reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from models.data import BaseId, Day, LineId, UnitId, VehicleTypeId


@dataclass(frozen=True)
class SolvedValues:
    """Variable values (and the ``Troops`` and ``Demand`` expressions) of a solved model."""

    assign: Mapping[tuple[UnitId, BaseId], float]
    troops: Mapping[tuple[BaseId, Day], float]
    """Persons counting at each base on each day (absent = none)."""
    garrison_shortfall: Mapping[tuple[BaseId, Day], float]
    stock: Mapping[tuple[Any, ...], float]
    met: Mapping[tuple[Any, ...], float]
    shortfall: Mapping[tuple[Any, ...], float]
    demand: Mapping[tuple[Any, ...], float]
    daily_demand: Mapping[tuple[Any, ...], float]
    """Demand without the supplies issued to units leaving for their journey."""
    end_deficit: Mapping[tuple[BaseId, Any], float]
    source: Mapping[tuple[Any, ...], float]
    depart: Mapping[tuple[LineId, Day], float]
    vehicles: Mapping[tuple[LineId, Day, VehicleTypeId], float]
    cargo: Mapping[tuple[LineId, Day, BaseId, Any], float]
    _vehicles_by_convoy: dict[tuple[LineId, Day], dict[VehicleTypeId, int]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_convoy: dict[tuple[LineId, Day], dict[VehicleTypeId, int]] = defaultdict(dict)
        for (line_id, t, v), n in self.vehicles.items():
            if n > 0.5:
                by_convoy[line_id, t][v] = round(n)
        object.__setattr__(self, "_vehicles_by_convoy", dict(by_convoy))

    def base_of_unit(self, unit: UnitId, candidates: tuple[BaseId, ...]) -> BaseId:
        """The base the plan allocates the unit to."""
        return max(candidates, key=lambda b: self.assign.get((unit, b), 0.0))

    def convoys(self) -> list[tuple[LineId, Day]]:
        """Departures that run, in model order."""
        return [d for d, x in self.depart.items() if x > 0.5]

    def departs(self, line_id: LineId, t: Day) -> bool:
        """True when a convoy of the line leaves on the day."""
        return self.depart.get((line_id, t), 0.0) > 0.5

    def vehicles_of(self, line_id: LineId, t: Day) -> dict[VehicleTypeId, int]:
        """Vehicles by type in the convoy of the line leaving on the day (empty if none leaves)."""
        return self._vehicles_by_convoy.get((line_id, t), {})
