"""Where every value of a scenario came from, so any later check can point at a cell.

The reader records, for each row of each sheet (by its position in the ``Scenario`` tuple) and
each field, the cell it was read from. Cross-sheet validation turns a (sheet, row, field) into an
``Issue`` through the map. A what-if overlay that edits, removes or adds rows derives a new map
(``reindexed``, ``with_cells``) so that its own cells (say ``Scenarios!E4``) are reported for the
values it set and the base workbook's cells for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from logistics.errors import Issue, Severity

FieldKey = tuple[str, int, str]
"""(sheet name, index of the row in the scenario's tuple, field name); settings use index 0."""

SETTINGS_ROW = 0
"""Row index under which the settings keys are recorded."""


@dataclass(frozen=True)
class CellLocation:
    """A cell (or a whole sheet when ``cell`` is None) and the column or settings key it holds."""

    sheet: str
    cell: str | None = None
    header: str | None = None

    def issue(self, value: object, message: str) -> Issue:
        """An ``Issue`` at this location."""
        return Issue(
            sheet=self.sheet, cell=self.cell, header=self.header, value=value, message=message
        )

    def warning(self, value: object, message: str) -> Issue:
        """A warning (an ``Issue`` that does not stop the run) at this location."""
        return replace(self.issue(value, message), severity=Severity.warning)


@dataclass(frozen=True)
class SourceMap:
    """Cell of every value read, plus which sheets fell back to their defaults.

    ``cells`` maps a ``FieldKey`` to the cell the value was read from; ``rows`` maps (sheet, row
    index) to the row's identifying cell, used for fields that had no cell of their own (an absent
    optional column); ``defaulted`` names the optional sheets that took any default records
    (rows without a location came from the defaults);
    ``unread_ids`` holds, per sheet, the ids of rows that could not be read (so references to them
    are not also reported as unknown).
    """

    file: str
    cells: Mapping[FieldKey, CellLocation] = field(default_factory=lambda: MappingProxyType({}))
    rows: Mapping[tuple[str, int], CellLocation] = field(
        default_factory=lambda: MappingProxyType({})
    )
    defaulted: frozenset[str] = frozenset()
    unread_ids: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    def locate(
        self, sheet: str, index: int | None = None, column: str | None = None
    ) -> CellLocation:
        """The most precise location known for a value, a row or a sheet."""
        if index is not None and column is not None and (sheet, index, column) in self.cells:
            return self.cells[(sheet, index, column)]
        if index is not None and (sheet, index) in self.rows:
            return CellLocation(sheet, self.rows[(sheet, index)].cell, column)
        return CellLocation(sheet, None, column)

    def issue(
        self, sheet: str, index: int | None, column: str | None, value: object, message: str
    ) -> Issue:
        """An ``Issue`` located at the cell of (sheet, row index, column)."""
        return self.locate(sheet, index, column).issue(value, message)

    def warning(
        self, sheet: str, index: int | None, column: str | None, value: object, message: str
    ) -> Issue:
        """A warning located at the cell of (sheet, row index, column)."""
        return self.locate(sheet, index, column).warning(value, message)

    def reindexed(self, sheet: str, origins: Sequence[int | None]) -> SourceMap:
        """The map after a sheet's rows were removed, reordered or added.

        Row ``i`` of the new tuple came from row ``origins[i]`` of the old one, or is new (None)
        and so has no cells until ``with_cells`` gives it some.
        """
        new_indices: dict[int, list[int]] = {}
        for new_index, old_index in enumerate(origins):
            if old_index is not None:
                new_indices.setdefault(old_index, []).append(new_index)
        cells: dict[FieldKey, CellLocation] = {}
        for (name, index, column), location in self.cells.items():
            for moved in [index] if name != sheet else new_indices.get(index, []):
                cells[(name, moved, column)] = location
        rows: dict[tuple[str, int], CellLocation] = {}
        for (name, index), location in self.rows.items():
            for moved in [index] if name != sheet else new_indices.get(index, []):
                rows[(name, moved)] = location
        return replace(self, cells=MappingProxyType(cells), rows=MappingProxyType(rows))

    def with_cells(
        self,
        updates: Mapping[FieldKey, CellLocation],
        rows: Mapping[tuple[str, int], CellLocation] = MappingProxyType({}),
    ) -> SourceMap:
        """The map with some values (and rows, by their identifying cell) now coming from other
        cells, e.g. an overlay's."""
        return replace(
            self,
            cells=MappingProxyType({**self.cells, **updates}),
            rows=MappingProxyType({**self.rows, **rows}),
        )
