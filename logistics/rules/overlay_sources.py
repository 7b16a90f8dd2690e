"""Where what-if overlays come from: a ``Scenarios`` sheet and sheets of records to add, in the base
workbook or in a workbook of their own (``read_overlays``), and command-line shortcuts
(``parse_shortcut``, ``shortcut_overlay``). Every problem is reported at its cell, or at the
shortcut's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from logistics.errors import InputError, Issue, raise_if_any
from logistics.io.cells import ReadContext, ReadRow, build_record, normalise
from logistics.io.reader import LoadedScenario
from logistics.io.sheets import read_sheets
from logistics.rules.fields import columns_of
from logistics.rules.locations import CellLocation
from logistics.rules.overlays import (
    COMMAND_LINE,
    REMOVE,
    SCENARIO_COLUMN,
    WHOLE_RECORD,
    Addition,
    Change,
    Overlay,
    checked_overlay,
    scenario_name_problem,
)
from logistics.rules.registry import (
    SCENARIO_VALUE_COLUMN,
    SCENARIOS_SHEET,
    SHEETS,
    SheetSpec,
)
from logistics.rules.schemas import ScenarioChange


def read_overlays(base: LoadedScenario, overlay_path: Path | None) -> dict[str, Overlay]:
    """Every scenario of the base workbook's ``Scenarios`` sheet and of ``overlay_path``.

    Scenarios are returned in the order their names first appear; one given in both workbooks
    takes the base workbook's changes first. Each is applied to the base (without the rows that
    could not be read) and validated, so that every problem of every scenario is reported at
    once, at its cell.
    """
    overlays, problems = read_overlays_by_scenario(base, overlay_path)
    raise_if_any(dict.fromkeys(issue for issues in problems.values() for issue in issues))
    return overlays


def read_overlays_by_scenario(
    base: LoadedScenario, overlay_path: Path | None
) -> tuple[dict[str, Overlay], dict[str, tuple[Issue, ...]]]:
    """Like ``read_overlays``, but each scenario's own problems are returned, not raised.

    A batch of what-ifs uses this so that one bad scenario does not stop the others. Problems no
    single scenario owns (an unreadable file, sheet or row) still raise ``InputError``.
    """
    issues: list[Issue] = []
    found: list[Overlay] = []
    context = ReadContext.of(base.scenario.settings)
    if base.path is not None:
        _, tables = read_sheets(
            base.source or base.path, [(SCENARIOS_SHEET, (SCENARIO_VALUE_COLUMN,))]
        )
        found.extend(_collect(_changes(tables, SCENARIOS_SHEET.name, issues, context), (), issues))
    if overlay_path is not None:
        found.extend(_read_overlay_workbook(Path(overlay_path), issues, context))
    overlays: dict[str, Overlay] = {}
    for overlay in found:
        earlier = overlays.get(overlay.name)
        overlays[overlay.name] = earlier.merged(overlay) if earlier else overlay
    checked = {name: tuple(checked_overlay(base, overlay)[1]) for name, overlay in overlays.items()}
    problems = {name: own for name, own in checked.items() if own}
    misnamed = _misnamed_scenarios(issues)
    issues = [issue for issue in issues if issue.header != SCENARIO_COLUMN]
    for name, own in misnamed.items():
        overlays[name] = Overlay(name, (), ())
        problems[name] = own
    if issues:
        raise InputError(dict.fromkeys([*issues, *(i for own in problems.values() for i in own)]))
    return overlays, problems


def _misnamed_scenarios(issues: Sequence[Issue]) -> dict[str, tuple[Issue, ...]]:
    """The problems with scenario names (too long, a '/', blank, 'Base'…), as scenarios of their own.

    Such a scenario fails alone instead of stopping the batch. It is shown as the name typed and
    the cell of its first row (``Base (Scenarios!A2)``), which no valid scenario can be called.
    """
    by_name: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.header == SCENARIO_COLUMN:
            typed = "" if issue.value is None else str(issue.value)
            by_name.setdefault(typed, []).append(issue)
    return {
        f"{typed or 'unnamed'} ({own[0].location})": tuple(own) for typed, own in by_name.items()
    }


def _read_overlay_workbook(path: Path, issues: list[Issue], context: ReadContext) -> list[Overlay]:
    """The scenarios of a workbook of changes and records to add (dates in day columns counted
    from the base's start date)."""
    prefix = f"[{path.name}]"
    record_sheets = [spec for spec in SHEETS if spec.layout == "table"]
    names, tables = read_sheets(
        path,
        [
            (SCENARIOS_SHEET, (SCENARIO_VALUE_COLUMN,)),
            *((spec, (SCENARIO_COLUMN,)) for spec in record_sheets),
        ],
        prefix,
    )
    if "Settings" in names:
        message = "settings are changed in the Scenarios sheet: sheet Settings, id the setting's key, field value"
        issues.append(Issue(prefix + "Settings", None, None, None, message))
    if not tables:
        message = (
            "the workbook holds no Scenarios sheet and no sheet of records to add "
            f"({', '.join(spec.name for spec in record_sheets)})"
        )
        issues.append(Issue(path.name, None, None, None, message))
    changes = _changes(tables, prefix + SCENARIOS_SHEET.name, issues, context)
    additions = [
        addition
        for spec in record_sheets
        for addition in _additions(spec, tables.get(spec.name, []), prefix, issues, context)
    ]
    return _collect(changes, additions, issues)


def _changes(
    tables: Mapping[str, list[ReadRow]], label: str, issues: list[Issue], context: ReadContext
) -> list[tuple[str, Change]]:
    """(scenario name, change) for each readable row of a Scenarios sheet."""
    found = []
    for row in tables.get(SCENARIOS_SHEET.name, []):
        cells = dict(row.cells)
        value = cells.pop(SCENARIO_VALUE_COLUMN)
        built = build_record(ScenarioChange, label, cells, context=context)
        if isinstance(built, list):
            issues.extend(built)
            continue
        assert isinstance(built, ScenarioChange)
        located = {name: cell.location(label) for name, cell in row.cells.items()}
        problem = scenario_name_problem(built.scenario)
        if problem:
            issues.append(located[SCENARIO_COLUMN].issue(built.scenario, problem))
            continue
        change = Change(
            sheet=built.sheet,
            record_id=built.id,
            field=built.field,
            value=value.raw,
            first_day=built.first_day,
            last_day=built.last_day,
            description=built.description,
            origin=located[SCENARIO_COLUMN],
            cells=MappingProxyType(located),
        )
        found.append((built.scenario, change))
    return found


_NamedAddition = tuple[str | None, Addition, CellLocation]
"""(scenario name or None for every scenario, addition, cell of the name)."""


def _additions(
    spec: SheetSpec, rows: list[ReadRow], prefix: str, issues: list[Issue], context: ReadContext
) -> list[_NamedAddition]:
    """The named addition of each readable row of a sheet of records to add."""
    label = prefix + spec.name
    name_column = columns_of(ScenarioChange)[SCENARIO_COLUMN]
    found: list[_NamedAddition] = []
    for row in rows:
        cells = dict(row.cells)
        name_cell = cells.pop(SCENARIO_COLUMN)
        name, _ = normalise(name_cell.raw, name_column)
        problem = None if name is None else scenario_name_problem(str(name))
        built = build_record(spec.model, label, cells, context=context)
        if problem:
            issues.append(name_cell.location(label).issue(name_cell.raw, problem))
        if isinstance(built, list):
            issues.extend(built)
        elif not problem:
            located = {column: cell.location(label) for column, cell in cells.items()}
            origin = located.get(spec.key[0], name_cell.location(label))
            addition = Addition(spec.name, built, MappingProxyType(located), origin)
            named = None if name is None else str(name)
            found.append((named, addition, name_cell.location(label)))
    return found


def _collect(
    changes: Sequence[tuple[str, Change]],
    additions: Sequence[_NamedAddition],
    issues: list[Issue],
) -> list[Overlay]:
    """One overlay per scenario named in one workbook; unnamed additions go to each of them."""
    names = list(dict.fromkeys([n for n, _ in changes] + [n for n, _, _ in additions if n]))
    if not names:
        message = "name the scenario that adds this record: no scenario is named in this workbook"
        issues.extend(cell.issue(None, message) for _, _, cell in additions)
    return [
        Overlay(
            name,
            tuple(change for n, change in changes if n == name),
            tuple(addition for n, addition, _ in additions if n in (name, None)),
        )
        for name in names
    ]


SHORTCUT_FORMS = (
    "close-route ROUTE[:FIRST-LAST]",
    "threat ROUTE=LEVEL[:FIRST-LAST]",
    "remove-unit UNIT",
    "set SHEET.ID.FIELD=VALUE[:FIRST-LAST]",
)
"""The shortcuts ``parse_shortcut`` reads; a day range ``5-12``, ``10-`` or ``-12``, or one day."""

_DAYS = re.compile(r"^(?:(?P<first>\d+)?-(?P<last>\d+)?|(?P<day>\d+))$")


def parse_shortcut(text: str) -> Change:
    """The change a command-line shortcut stands for (see ``SHORTCUT_FORMS``).

    ``close-route R:5-12`` closes route R on days 5-12, ``threat R=5:10-`` raises its threat level
    to 5 from day 10, ``remove-unit U`` removes a unit, ``set Sheet.ID.field=value`` sets any field.
    Malformed text is an ``InputError`` on the command line.
    """
    verb, _, argument = text.strip().partition(" ")
    argument = argument.strip()
    origin = CellLocation(COMMAND_LINE, None, verb)
    parsed = _parse_argument(verb, argument)
    if parsed is None:
        expected = "; ".join(SHORTCUT_FORMS)
        raise InputError([Issue(COMMAND_LINE, None, None, text, f"expected one of: {expected}")])
    sheet, record_id, field_name, value, days = parsed
    first, last = days
    return Change(sheet, record_id, field_name, value, first, last, origin=origin)


def _parse_argument(
    verb: str, argument: str
) -> tuple[str, str, str, str, tuple[int | None, int | None]] | None:
    """(sheet, id, field, value, days) of a shortcut's argument, or None if it is malformed."""
    if verb == "remove-unit" and argument and " " not in argument:
        return ("Units", argument, WHOLE_RECORD, REMOVE, (None, None))
    target, days = _split_days(argument)
    if days is None or not target:
        return None
    if verb == "close-route" and "=" not in target:
        return ("Routes", target, "open", "no", days)
    name, equals, value = target.partition("=")
    if not equals or not name or not value:
        return None
    if verb == "threat":
        return ("Routes", name, "threat_level", value, days)
    sheet, dot, rest = name.partition(".")
    record_id, dot_too, field_name = rest.rpartition(".")
    if verb == "set" and dot and dot_too and sheet and record_id and field_name:
        return (sheet, record_id, field_name, value, days)
    return None


def _split_days(argument: str) -> tuple[str, tuple[int | None, int | None] | None]:
    """The argument without its ``:days`` suffix, and the days (None if the suffix is malformed)."""
    target, colon, suffix = argument.rpartition(":")
    if not colon:
        return argument, (None, None)
    match = _DAYS.match(suffix)
    if match is None:
        return target, None
    if match["day"]:
        return target, (int(match["day"]), int(match["day"]))
    if not (match["first"] or match["last"]):
        return target, None
    first, last = match["first"], match["last"]
    return target, (int(first) if first else None, int(last) if last else None)


def shortcut_overlay(name: str, texts: Sequence[str]) -> Overlay:
    """A scenario named ``name`` made of command-line shortcuts; every bad one is reported."""
    issues: list[Issue] = []
    problem = scenario_name_problem(name)
    if problem:
        issues.append(Issue(COMMAND_LINE, None, SCENARIO_COLUMN, name, problem))
    changes = []
    for text in texts:
        try:
            changes.append(parse_shortcut(text))
        except InputError as error:
            issues.extend(error.issues)
    raise_if_any(issues)
    return Overlay(name, tuple(changes))
