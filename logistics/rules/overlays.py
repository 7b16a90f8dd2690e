"""What-if scenarios: small overlays of changes on a base mission workbook.

An ``Overlay`` is a named list of changes, each setting one field of one record of one sheet
(optionally on a range of days only) or removing the record, plus records to add. Overlays come
from a ``Scenarios`` sheet (columns ``scenario``, ``sheet``, ``id``, ``field``, ``value``,
``first_day``, ``last_day``, ``description``), in the base workbook or in a workbook of their own,
which may also hold sheets of records to add (the base sheet's headers plus a ``scenario`` column;
blank = every scenario of that workbook), or from command-line shortcuts (``parse_shortcut``).

``apply_overlay`` turns the base scenario and an overlay into a new frozen scenario whose source
map points every changed or added value at the overlay's cell, then validates it like any
workbook. A value is converted by the reader's own cell conversion with the type of the column it
changes, so a bad value is reported at its cell in the same words as in a workbook. A change with
a day range leaves the record as it is and lists the value in ``Scenario.day_values``, which the
compile step reads through ``value_on``. Cells of a separate overlay workbook are named in Excel's
notation for another workbook: ``[what-if.xlsx]Scenarios!E7``.

Where overlays come from, a workbook or the command line, is ``logistics.rules.overlay_sources``.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from logistics.errors import Issue, listed, raise_if_any
from logistics.io.cells import ReadCell, ReadContext, build_record
from logistics.io.reader import LoadedScenario
from logistics.io.sheets import unknown_name_message
from logistics.rules.fields import columns_of, display_value
from logistics.rules.locations import SETTINGS_ROW, CellLocation, FieldKey
from logistics.rules.registry import (
    DAY_VARYING_FIELDS,
    SCENARIO_VALUE_COLUMN,
    SHEET_BY_NAME,
    SHEETS,
    SheetSpec,
)
from logistics.rules.schemas import DayValue, Scenario, Settings, value_on
from logistics.rules.validation import LIST_REFERENCES, check

__all__ = [
    "BASE_SCENARIO",
    "Addition",
    "Change",
    "InputDifference",
    "Overlay",
    "apply_overlay",
    "scenario_differences",
    "select_overlays",
    "value_on",
]

BASE_SCENARIO = "base"
"""Name of the base case: the workbook as it is, with no overlay."""
REMOVE = "remove"
"""The value that, with field ``*``, removes a record."""
WHOLE_RECORD = "*"
"""The field of a row that removes its record."""
COMMAND_LINE = "command line"
"""Where shortcut changes come from, in place of a sheet name."""
COMMAND_LINE_ORIGIN = CellLocation(COMMAND_LINE)
"""Location of a change typed on the command line."""
SCENARIO_COLUMN = "scenario"
"""The column naming the scenario on the sheets of records an overlay workbook adds."""
SETTINGS_FIELD = "value"
"""The field of a ``Settings`` change (its id is the setting's key)."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,30}$")
_NAME_RULE = (
    "a scenario name is 1 to 31 letters, digits, spaces, '_', '-' or '.', starting with a letter "
    "or digit (it names output files and sheets)"
)

# --------------------------------------------------------------------------------------------------
# Overlays
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change: set ``field`` of the record ``record_id`` of ``sheet`` to ``value`` (on days
    ``first_day``..``last_day`` if either is given), or remove the record (field ``*``).

    Everything is kept as typed: names are resolved and the value converted when the overlay is
    applied to a base. ``cells`` locates each part (``sheet``, ``id``, ``field``, ``value``,
    ``first_day``, ``last_day``); a part without a cell is located at ``origin``.
    """

    sheet: str
    record_id: str
    field: str
    value: Any
    first_day: int | None = None
    last_day: int | None = None
    description: str = ""
    origin: CellLocation = COMMAND_LINE_ORIGIN
    cells: Mapping[str, CellLocation] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def removes(self) -> bool:
        """Whether the change removes its record."""
        return self.field == WHOLE_RECORD

    @property
    def has_days(self) -> bool:
        """Whether the change is limited to a range of days."""
        return self.first_day is not None or self.last_day is not None

    def at(self, part: str) -> CellLocation:
        """Where a part of the change was given."""
        return self.cells.get(part, self.origin)

    def text(self) -> str:
        """The change in words: ``Routes GAO-KID open = no, days 5-12``."""
        if self.removes:
            return f"{self.sheet} {self.record_id} removed"
        shown = "blank" if self.value is None else display_value(self.value)
        days = _days_text(self.first_day, self.last_day)
        return f"{self.sheet} {self.record_id} {self.field} = {shown}{', ' + days if days else ''}"


def _days_text(first: int | None, last: int | None) -> str:
    """``days 5-12``, ``day 5``, ``from day 5``, ``to day 12``, or ``""`` for the whole horizon."""
    if first is not None and last is not None:
        return f"day {first}" if first == last else f"days {first}-{last}"
    if first is not None:
        return f"from day {first}"
    return "" if last is None else f"to day {last}"


@dataclass(frozen=True)
class Addition:
    """A record an overlay workbook adds to a sheet, already validated as a row of that sheet."""

    sheet: str
    row: BaseModel
    cells: Mapping[str, CellLocation]
    origin: CellLocation

    def text(self) -> str:
        """The addition in words: ``Demands KID-WATER-UPLIFT added``."""
        return f"{self.sheet} {SHEET_BY_NAME[self.sheet].record_id(self.row)} added"


@dataclass(frozen=True)
class InputDifference:
    """One input that differs between the base case and a scenario, values in a planner's words.

    ``field`` is ``*`` for a record added or removed; the days are set for a day-ranged value.
    """

    scenario: str
    sheet: str
    record_id: str
    field: str
    base_value: str
    new_value: str
    first_day: int | None = None
    last_day: int | None = None


@dataclass(frozen=True)
class Overlay:
    """A named what-if scenario: changes to apply to the base, and records to add."""

    name: str
    changes: tuple[Change, ...] = ()
    additions: tuple[Addition, ...] = ()

    @property
    def description(self) -> str:
        """The descriptions of its changes and added records, each once, joined by ``; ``."""
        texts = [c.description for c in self.changes]
        texts += [str(getattr(a.row, "description", "")) for a in self.additions]
        return "; ".join(dict.fromkeys(text for text in texts if text))

    def describe(self) -> tuple[str, ...]:
        """One line per change or addition, as the plan's Run sheet lists them."""
        return (*(c.text() for c in self.changes), *(a.text() for a in self.additions))

    def differences(self, base: LoadedScenario) -> tuple[InputDifference, ...]:
        """The inputs this overlay changes in ``base`` (for a comparison's "inputs that differ")."""
        return scenario_differences(self.name, base.scenario, apply_overlay(base, self).scenario)

    def merged(self, other: Overlay) -> Overlay:
        """This overlay followed by ``other`` (the same scenario given in two places)."""
        return Overlay(
            self.name, (*self.changes, *other.changes), (*self.additions, *other.additions)
        )


def scenario_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a scenario, or None if it can."""
    if name.casefold() == BASE_SCENARIO:
        return f"'{BASE_SCENARIO}' is the base case (the workbook as it is): give the scenario another name"
    return None if _NAME.match(name) else _NAME_RULE


def select_overlays(overlays: Mapping[str, Overlay], names: Iterable[str]) -> list[Overlay]:
    """The overlays of ``names`` in that order (``base`` = no change); unknown names are errors."""
    known = listed([BASE_SCENARIO, *overlays])
    issues = [
        Issue(
            COMMAND_LINE, None, SCENARIO_COLUMN, name, f"no scenario of that name; known: {known}"
        )
        for name in names
        if name != BASE_SCENARIO and name not in overlays
    ]
    raise_if_any(issues)
    return [overlays.get(name, Overlay(BASE_SCENARIO)) for name in names]


def apply_overlay(base: LoadedScenario, overlay: Overlay) -> LoadedScenario:
    """The base scenario with the overlay applied, validated like a workbook.

    The base is never changed. The result's source map points each changed or added value at the
    overlay's cell and every other value at the base workbook's; an ``InputError`` lists every
    problem, at those cells.
    """
    overlaid, issues = checked_overlay(base, overlay)
    raise_if_any(issues)
    return overlaid


def checked_overlay(base: LoadedScenario, overlay: Overlay) -> tuple[LoadedScenario, list[Issue]]:
    """The overlaid scenario and every problem of the overlay, or else of the overlaid scenario."""
    overlaid, issues = _overlaid(base, overlay)
    return overlaid.loaded, issues or _overlaid_scenario_issues(overlaid)


@dataclass(frozen=True)
class _Target:
    """What a change resolves to: a sheet, a row index (the settings row for Settings), a field
    (None for a removal) and the record's id as text."""

    spec: SheetSpec
    index: int
    field: str | None
    record_id: str


@dataclass(frozen=True)
class _Overlaid:
    """An overlaid scenario, and the removals whose references the checks must attribute."""

    loaded: LoadedScenario
    removals: tuple[tuple[Change, _Target], ...]


@dataclass
class _Work:
    """The sheets while an overlay is applied: rows (removed ones dropped only at the end), the
    base row each came from (None = added), and the cells of the values the overlay sets."""

    settings: Settings
    rows: dict[str, list[BaseModel]]
    origins: dict[str, list[int | None]]
    cells: dict[FieldKey, CellLocation] = dataclasses.field(default_factory=dict)
    row_cells: dict[tuple[str, int], CellLocation] = dataclasses.field(default_factory=dict)
    removed: dict[tuple[str, int], Change] = dataclasses.field(default_factory=dict)
    day_values: list[DayValue] = dataclasses.field(default_factory=list)


def _overlaid(base: LoadedScenario, overlay: Overlay) -> tuple[_Overlaid, list[Issue]]:
    """The overlaid scenario (before the cross-sheet checks) and the problems of the overlay."""
    scenario = base.scenario
    work = _Work(
        settings=scenario.settings,
        rows={s.name: list(getattr(scenario, s.attribute)) for s in SHEETS if s.layout == "table"},
        origins={
            s.name: list(range(len(getattr(scenario, s.attribute))))
            for s in SHEETS
            if s.layout == "table"
        },
    )
    for addition in overlay.additions:
        _add(work, addition)
    issues: list[Issue] = []
    targets: list[tuple[Change, _Target]] = []
    for change in overlay.changes:
        target = _resolve(change, work)
        if isinstance(target, Issue):
            issues.append(target)
        else:
            targets.append((change, target))
    settings_changes = [(c, t) for c, t in targets if t.spec.layout == "key_value"]
    # No setting varies by day, so any day range is refused before the horizon matters.
    issues.extend(_set_fields(work, _without_day_issues(settings_changes, 0, issues)))
    records = [(c, t) for c, t in targets if t.spec.layout == "table"]
    valid = _without_day_issues(records, work.settings.horizon_days, issues)
    removals = [(c, t) for c, t in valid if t.field is None]
    for change, target in removals:
        work.removed.setdefault((target.spec.name, target.index), change)
    record_changes = [(c, t) for c, t in valid if t.field is not None]
    issues.extend(_changes_to_removed(work, record_changes))
    kept = [(c, t) for c, t in record_changes if (t.spec.name, t.index) not in work.removed]
    issues.extend(_set_fields(work, [(c, t) for c, t in kept if not c.has_days]))
    issues.extend(_set_day_values(work, [(c, t) for c, t in kept if c.has_days]))
    return _Overlaid(_assemble(base, work), tuple(removals)), issues


def _add(work: _Work, addition: Addition) -> None:
    """Append an added record and remember its cells."""
    rows = work.rows[addition.sheet]
    index = len(rows)
    rows.append(addition.row)
    work.origins[addition.sheet].append(None)
    for column, location in addition.cells.items():
        work.cells[(addition.sheet, index, column)] = location
    work.row_cells[(addition.sheet, index)] = addition.origin


def _resolve(change: Change, work: _Work) -> _Target | Issue:
    """The sheet, record and field a change names, or the problem with the first that is wrong."""
    spec = _sheet_named(change.sheet)
    if spec is None:
        names = [s.name for s in SHEETS]
        return change.at("sheet").issue(
            change.sheet, unknown_name_message("sheet", change.sheet, names)
        )
    if spec.layout == "key_value":
        return _resolve_setting(change, spec)
    ids = [spec.record_id(row) for row in work.rows[spec.name]]
    if change.record_id not in ids:
        close = difflib.get_close_matches(change.record_id, ids, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        message = f"no {'/'.join(spec.key)} {change.record_id!r} in the {spec.name} sheet{hint}"
        return change.at("id").issue(change.record_id, message)
    index = ids.index(change.record_id)
    if change.removes:
        if str(change.value).strip().casefold() != REMOVE:
            message = f"with field {WHOLE_RECORD} the value must be {REMOVE} (to remove the record)"
            return change.at(SCENARIO_VALUE_COLUMN).issue(change.value, message)
        return _Target(spec, index, None, change.record_id)
    column = _column_named(change.field, spec.columns)
    if column is None:
        columns = (*spec.columns, WHOLE_RECORD)
        return change.at("field").issue(
            change.field, unknown_name_message("column", change.field, columns)
        )
    if column in spec.key:
        message = (
            f"an id column ({', '.join(spec.key)}) cannot be changed: remove the record and add "
            "one with the new id in an overlay workbook"
        )
        return change.at("field").issue(change.field, message)
    return _Target(spec, index, column, change.record_id)


def _resolve_setting(change: Change, spec: SheetSpec) -> _Target | Issue:
    """A change of the Settings sheet: the id is the setting's key and the field is ``value``."""
    keys = tuple(columns_of(spec.model))
    key = _column_named(change.record_id, keys)
    if key is None:
        return change.at("id").issue(
            change.record_id, unknown_name_message("setting", change.record_id, keys)
        )
    if change.removes:
        message = "a setting cannot be removed: set its value (blank = the default)"
        return change.at("field").issue(change.field, message)
    if change.field.strip().casefold() != SETTINGS_FIELD:
        message = f"for Settings the id is the setting's key and the field is {SETTINGS_FIELD}"
        return change.at("field").issue(change.field, message)
    return _Target(spec, SETTINGS_ROW, key, key)


def _sheet_named(text: str) -> SheetSpec | None:
    """The registry sheet ``text`` names, whatever its case."""
    return next((s for s in SHEETS if s.name.casefold() == text.strip().casefold()), None)


def _column_named(text: str, columns: Sequence[str]) -> str | None:
    """The column ``text`` names, whatever its case."""
    return next((c for c in columns if c.casefold() == text.strip().casefold()), None)


def _without_day_issues(
    changes: Sequence[tuple[Change, _Target]], horizon: int, issues: list[Issue]
) -> list[tuple[Change, _Target]]:
    """The changes whose day range (if any) is sound; the problems of the others go to ``issues``."""
    sound = []
    for change, target in changes:
        found = _day_range_issues(change, target, horizon) if change.has_days else []
        issues.extend(found)
        if not found:
            sound.append((change, target))
    return sound


def _day_range_issues(change: Change, target: _Target, horizon: int) -> list[Issue]:
    """A day range on a removal or on a field without a per-day meaning, or with bad days."""
    part = "first_day" if change.first_day is not None else "last_day"
    day = change.first_day if change.first_day is not None else change.last_day
    if target.field is None:
        message = (
            "a record is removed for the whole horizon: clear first_day and last_day (to close a "
            "route on some days, set its field open to no for those days)"
        )
        return [change.at(part).issue(day, message)]
    if (target.spec.name, target.field) not in DAY_VARYING_FIELDS:
        allowed = ", ".join(f"{sheet}.{name}" for sheet, name in DAY_VARYING_FIELDS)
        message = (
            f"{target.spec.name}.{target.field} cannot vary by day; fields that can: {allowed}"
        )
        return [change.at(part).issue(day, message)]
    issues = [
        change.at(name).issue(value, _day_problem(value, horizon))
        for name, value in (("first_day", change.first_day), ("last_day", change.last_day))
        if value is not None and _day_problem(value, horizon)
    ]
    first, last = change.first_day, change.last_day
    if not issues and first is not None and last is not None and last < first:
        issues.append(
            change.at("last_day").issue(last, f"last_day must not be before first_day ({first})")
        )
    return issues


def _day_problem(day: int, horizon: int) -> str:
    """Why ``day`` is not a planned day, or ``""``."""
    if day < 1:
        return "days are numbered from 1"
    if day > horizon:
        return f"day {day} is after the last planned day ({horizon}, horizon_days in Settings)"
    return ""


def _changes_to_removed(work: _Work, changes: Sequence[tuple[Change, _Target]]) -> list[Issue]:
    """Changes to a record the same scenario removes."""
    issues = []
    for change, target in changes:
        removal = work.removed.get((target.spec.name, target.index))
        if removal is not None:
            where = removal.at("field")
            shown = f"{where.sheet}!{where.cell}" if where.cell else where.sheet
            message = f"the record is removed ({shown}): drop this change or the removal"
            issues.append(change.at("field").issue(change.field, message))
    return issues


def _set_fields(work: _Work, changes: Sequence[tuple[Change, _Target]]) -> list[Issue]:
    """Apply changes for the whole horizon, each record rebuilt once with all of its changes."""
    issues: list[Issue] = []
    by_record: dict[tuple[str, int], list[tuple[Change, _Target]]] = {}
    for change, target in changes:
        by_record.setdefault((target.spec.name, target.index), []).append((change, target))
    for group in by_record.values():
        cells: dict[str, tuple[Change, ReadCell]] = {}
        for change, target in group:
            assert target.field is not None
            earlier = cells.get(target.field)
            if earlier is not None:
                issues.append(_set_twice(change, earlier[0]))
            cells[target.field] = (change, _value_cell(change))
        spec, index = group[0][1].spec, group[0][1].index
        built = _rebuild(work, spec, index, {name: cell for name, (_, cell) in cells.items()})
        if isinstance(built, list):
            issues.extend(built)
            continue
        _store(work, spec, index, built)
        for name, (change, _) in cells.items():
            work.cells[(spec.name, index, name)] = change.at(SCENARIO_VALUE_COLUMN)
    return issues


def _set_twice(change: Change, earlier: Change) -> Issue:
    """A field given a second value for the whole horizon in one scenario."""
    where = earlier.at(SCENARIO_VALUE_COLUMN)
    shown = f"{where.sheet}!{where.cell}" if where.cell else where.sheet
    message = (
        f"{change.field} of {change.sheet} {change.record_id} is already set ({shown}); keep one"
    )
    return change.at("field").issue(change.field, message)


def _set_day_values(work: _Work, changes: Sequence[tuple[Change, _Target]]) -> list[Issue]:
    """Check each day-ranged value against its (changed) record and list it as a day value."""
    issues: list[Issue] = []
    for change, target in changes:
        assert target.field is not None
        built = _rebuild(work, target.spec, target.index, {target.field: _value_cell(change)})
        if isinstance(built, list):
            issues.extend(built)
            continue
        work.day_values.append(
            DayValue(
                sheet=target.spec.name,
                record_id=target.record_id,
                field=target.field,
                value=getattr(built, target.field),
                first_day=change.first_day or 1,
                last_day=change.last_day,
            )
        )
    return issues


def _value_cell(change: Change) -> ReadCell:
    """The change's value as a cell the reader converts, located where the value was given."""
    where = change.at(SCENARIO_VALUE_COLUMN)
    header = where.header or SCENARIO_VALUE_COLUMN
    return ReadCell(where.cell, header, change.value, sheet=where.sheet)


def _rebuild(
    work: _Work, spec: SheetSpec, index: int, cells: Mapping[str, ReadCell]
) -> BaseModel | list[Issue]:
    """The record with ``cells`` converted in place of its fields, or the problems found."""
    current = work.settings if spec.layout == "key_value" else work.rows[spec.name][index]
    fixed = {name: getattr(current, name) for name in type(current).model_fields}
    context = ReadContext.of(work.settings)
    return build_record(spec.model, spec.name, cells, fixed, context=context)


def _store(work: _Work, spec: SheetSpec, index: int, record: BaseModel) -> None:
    """Put a rebuilt record in place."""
    if isinstance(record, Settings):
        work.settings = record
    else:
        work.rows[spec.name][index] = record


def _assemble(base: LoadedScenario, work: _Work) -> LoadedScenario:
    """The overlaid scenario and its source map, removed records dropped."""
    locations = base.locations
    moved: dict[tuple[str, int], int] = {}
    tables: dict[str, tuple[BaseModel, ...]] = {}
    for name, rows in work.rows.items():
        kept = [i for i in range(len(rows)) if (name, i) not in work.removed]
        moved.update({(name, old): new for new, old in enumerate(kept)})
        tables[SHEET_BY_NAME[name].attribute] = tuple(rows[i] for i in kept)
        origins = [work.origins[name][i] for i in kept]
        if origins != list(range(len(getattr(base.scenario, SHEET_BY_NAME[name].attribute)))):
            locations = locations.reindexed(name, origins)
    cells = {
        (sheet, _moved_index(moved, sheet, index), column): location
        for (sheet, index, column), location in work.cells.items()
        if (sheet, index) not in work.removed
    }
    row_cells = {
        (sheet, moved[(sheet, index)]): location
        for (sheet, index), location in work.row_cells.items()
        if (sheet, index) not in work.removed
    }
    scenario = Scenario(
        settings=work.settings,
        **tables,
        day_values=(*base.scenario.day_values, *work.day_values),
    )
    return LoadedScenario(scenario, locations.with_cells(cells, row_cells), base.path)


def _moved_index(moved: Mapping[tuple[str, int], int], sheet: str, index: int) -> int:
    """Where row ``index`` of ``sheet`` ended up (settings stay at their row)."""
    return moved.get((sheet, index), index)


# --------------------------------------------------------------------------------------------------
# Checking the overlaid scenario
# --------------------------------------------------------------------------------------------------


def _overlaid_scenario_issues(overlaid: _Overlaid) -> list[Issue]:
    """The cross-sheet problems of the overlaid scenario; references left dangling by a removal
    are reported once, at the cell that removed the record."""
    loaded = overlaid.loaded
    removed: dict[str, set[str]] = {}
    for _, target in overlaid.removals:
        removed.setdefault(target.spec.name, set()).add(target.record_id)
    unread = {
        sheet: frozenset(ids | loaded.locations.unread_ids.get(sheet, frozenset()))
        for sheet, ids in removed.items()
    }
    locations = replace(
        loaded.locations,
        unread_ids=MappingProxyType({**loaded.locations.unread_ids, **unread}),
    )
    dangling = [
        issue
        for change, target in overlaid.removals
        for issue in _dangling_references(loaded.scenario, change, target)
    ]
    return [*dangling, *check(loaded.scenario, locations)]


def _dangling_references(scenario: Scenario, change: Change, target: _Target) -> list[Issue]:
    """Records of ``scenario`` that still refer to the record a change removes."""
    referrers = [
        f"{spec.name} {spec.record_id(row)} ({column})"
        for spec, column in _referring_columns(target.spec.name)
        for row in getattr(scenario, spec.attribute)
        if target.record_id in _referred_ids(getattr(row, column))
    ]
    if not referrers:
        return []
    shown = ", ".join(referrers[:5]) + (
        f" and {len(referrers) - 5} more" if len(referrers) > 5 else ""
    )
    message = (
        f"removing {target.spec.name} {target.record_id} leaves records that refer to it: {shown}; "
        "remove or change them in this scenario too"
    )
    return [change.at("id").issue(change.record_id, message)]


def _referring_columns(sheet: str) -> list[tuple[SheetSpec, str]]:
    """(sheet, column) of every column that holds ids of ``sheet``."""
    single = [(s, c) for s in SHEETS for c, target in s.references if target == sheet]
    lists = [(SHEET_BY_NAME[s], c) for s, c, target in LIST_REFERENCES if target == sheet]
    return [*single, *lists]


def _referred_ids(value: Any) -> tuple[Any, ...]:
    """The ids a reference column holds: one, none (blank) or a list."""
    return value if isinstance(value, tuple) else (value,)


# --------------------------------------------------------------------------------------------------
# Differences between two scenarios
# --------------------------------------------------------------------------------------------------


def scenario_differences(name: str, base: Scenario, other: Scenario) -> tuple[InputDifference, ...]:
    """Every input of ``other`` that differs from ``base``: settings, records added, removed or
    changed field by field, and day-ranged values; ``name`` labels the rows."""
    found = [
        InputDifference(name, "Settings", key, SETTINGS_FIELD, display_value(a), display_value(b))
        for key in Settings.model_fields
        if (a := getattr(base.settings, key)) != (b := getattr(other.settings, key))
    ]
    for spec in SHEETS:
        if spec.layout == "table":
            found.extend(_record_differences(name, spec, base, other))
    found.extend(
        _day_difference(name, other, entry)
        for entry in other.day_values
        if entry not in base.day_values
    )
    return tuple(found)


def _record_differences(
    name: str, spec: SheetSpec, base: Scenario, other: Scenario
) -> list[InputDifference]:
    """Records of one sheet added, removed or changed."""
    before = {spec.record_id(row): row for row in getattr(base, spec.attribute)}
    after = {spec.record_id(row): row for row in getattr(other, spec.attribute)}
    found = [
        InputDifference(name, spec.name, rid, WHOLE_RECORD, "present", "removed")
        for rid in before
        if rid not in after
    ]
    for rid, row in after.items():
        old = before.get(rid)
        if old is None:
            found.append(InputDifference(name, spec.name, rid, WHOLE_RECORD, "", "added"))
            continue
        found.extend(
            InputDifference(name, spec.name, rid, column, _shown(a), _shown(b))
            for column in spec.columns
            if (a := getattr(old, column)) != (b := getattr(row, column))
        )
    return found


def _day_difference(name: str, scenario: Scenario, entry: DayValue) -> InputDifference:
    """A day-ranged value against the record's value for the rest of the horizon."""
    spec = SHEET_BY_NAME[entry.sheet]
    rows = getattr(scenario, spec.attribute)
    record = next((row for row in rows if spec.record_id(row) == entry.record_id), None)
    base_value = "" if record is None else _shown(getattr(record, entry.field))
    return InputDifference(
        name,
        entry.sheet,
        entry.record_id,
        entry.field,
        base_value,
        _shown(entry.value),
        entry.first_day,
        entry.last_day,
    )


def _shown(value: Any) -> str:
    """A value as a planner reads it; blank for none."""
    return "" if value is None else display_value(value)
