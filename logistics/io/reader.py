"""Read a mission workbook into a ``Scenario``, locating every problem at its cell.

Reading is driven by the sheet registry: each sheet's header row is matched to its schema's
columns (in any order), each data row is converted into the schema's row model, and each value's
cell is recorded in a ``SourceMap`` so that the cross-sheet checks of ``logistics.rules.validation``
can point at cells too. Problems are collected, never raised one at a time: the planner sees them
all.

The file is pre-flighted by ``logistics.io.security`` before openpyxl opens it, and it is streamed
in read-only mode with formulas visible, so that a formula without a saved value is reported
instead of being read as a blank.

The reading is in three modules: this one opens the workbook and assembles the scenario,
``logistics.io.sheets`` finds the sheets and matches their header rows, and ``logistics.io.cells``
holds the cells and rows as read and converts them into the schemas' row models.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel, TypeAdapter, ValidationError

from logistics.errors import InputError, Issue, raise_if_any
from logistics.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    _,
    chosen_language,
    column_name,
    fold,
    sheet_name,
    use_language,
)
from logistics.io.cells import (
    CachedValues,
    ReadCell,
    ReadContext,
    ReadRow,
    build_record,
    build_row,
    normalise,
)
from logistics.io.security import (
    WorkbookFile,
    capped_rows,
    check_workbook_file,
    open_workbook,
    reading,
)
from logistics.io.sheets import Layout, Tables, is_filled, read_all_sheets, sheet_layout
from logistics.rules.fields import columns_of, shown_number
from logistics.rules.locations import SETTINGS_ROW, CellLocation, FieldKey, SourceMap
from logistics.rules.registry import (
    SHEET_BY_NAME,
    SHEETS,
    SheetSpec,
)
from logistics.rules.schemas import Scenario, Settings
from logistics.rules.validation import PARTIAL_SCENARIO_RULES, check
from logistics.rules.warnings import PARTIAL_WARNING_RULES, WARNING_RULES


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario, where each of its values came from, and the workbook it was read from."""

    scenario: Scenario
    locations: SourceMap
    path: Path | None = None
    sheet_prefix: str = ""
    """``In_`` when the inputs were read from a plan workbook's input sheets."""
    language: str = DEFAULT_LANGUAGE
    """The language of the messages: the command line's, else the Settings' ``language``."""
    names_language: str = DEFAULT_LANGUAGE
    """The language the workbook names its sheets and columns in."""
    source: WorkbookFile | None = field(default=None, repr=False, compare=False)
    """The bytes that were read, checked and parsed (None if not read from a file): other sheets
    of the same workbook (what-if changes) are read from them, never from the path again."""
    warnings: tuple[Issue, ...] = ()
    """Suspicious but usable inputs: shown, listed on the plan's Run sheet, not stopping the run."""

    @property
    def sha256(self) -> str | None:
        """SHA-256 of the bytes the scenario was read from."""
        return None if self.source is None else self.source.sha256


def load_scenario(path: Path | str, *, strict: bool = False) -> Scenario:
    """Pre-flight, read and validate a workbook; raise ``InputError`` listing every problem.

    With ``strict``, warnings are errors too.
    """
    return load(path, strict=strict).scenario


def load(path: Path | str, *, strict: bool = False) -> LoadedScenario:
    """Like ``load_scenario``, also returning the cell of every value and the warnings.

    When some rows cannot be read, the rows that could are still checked for duplicate ids and
    unknown references, so that one run reports as much as can be trusted. Problems are worded
    in the language chosen with ``i18n.use_language``, else in the Settings' ``language``.
    """
    loaded, issues = _read(Path(path))
    with use_language(loaded.language, loaded.names_language):
        errors = [issue for issue in issues if not issue.is_warning]
        if errors:
            partial = [
                *check(loaded.scenario, loaded.locations, PARTIAL_SCENARIO_RULES),
                *check(loaded.scenario, loaded.locations, PARTIAL_WARNING_RULES),
            ]
            raise InputError([*issues, *_on_sheets_read(partial, loaded.sheet_prefix)])
        found = [
            *check(loaded.scenario, loaded.locations),
            *check(loaded.scenario, loaded.locations, WARNING_RULES),
        ]
        found = [*issues, *_on_sheets_read(found, loaded.sheet_prefix)]
        found = [i.as_error() if strict else i for i in found]
        raise_if_any(found)
    return replace(loaded, warnings=tuple(found))


def read_workbook(path: Path | str) -> Scenario:
    """Read a workbook (after its security pre-flight) without the cross-sheet checks."""
    return read_with_locations(path).scenario


def read_with_locations(path: Path | str) -> LoadedScenario:
    """Read a workbook into a scenario and its ``SourceMap``; raise ``InputError`` on any problem."""
    loaded, issues = _read(Path(path))
    with use_language(loaded.language, loaded.names_language):
        raise_if_any(issues)
    return loaded


def _on_sheets_read(issues: Iterable[Issue], prefix: str) -> list[Issue]:
    """Issues naming the sheets and columns as the workbook does, in the names language
    (``In_Itinéraires`` and ``distance_km`` in a French plan workbook)."""
    return [_as_named(issue, prefix) for issue in issues]


def _as_named(issue: Issue, prefix: str) -> Issue:
    """An issue on a registry sheet with its sheet and column named as in the workbook."""
    spec = SHEET_BY_NAME.get(issue.sheet)
    if spec is None:
        return issue
    header = issue.header
    if header is not None and (header in spec.columns or header in spec.model.model_fields):
        header = column_name(header)
    return replace(issue, sheet=prefix + sheet_name(issue.sheet), header=header)


def _read(path: Path) -> tuple[LoadedScenario, list[Issue]]:
    """The scenario of the rows that could be read, and the issues of those that could not.

    A problem with the file itself is raised at once; problems with sheets and headers are
    returned with those of the cells, which are still read wherever their column is known. The
    issues are worded in the message language and name sheets and columns as the workbook does.
    """
    source = check_workbook_file(path)
    with reading(path), contextlib.ExitStack() as stack:
        workbook = stack.enter_context(open_workbook(source, data_only=False))
        layout = sheet_layout(workbook.sheetnames)
        language = chosen_language() or _settings_language(workbook, layout)
        with use_language(language, layout.language):
            cached = CachedValues(source, stack)
            tables, settings_row, sheet_issues = read_all_sheets(workbook, cached, layout, path)
            loaded, issues = _assemble(tables, settings_row, path.name)
            issues = _on_sheets_read([*sheet_issues, *issues], layout.prefix)
    named = replace(
        loaded,
        path=path,
        sheet_prefix=layout.prefix,
        language=language,
        names_language=layout.language,
        source=source,
    )
    return named, issues


def _settings_language(workbook: Workbook, layout: Layout) -> str:
    """The ``language`` the Settings sheet gives (key and value in either language, any case),
    read before anything else so that every problem is worded in it; English when absent or
    not a language."""
    title = layout.prefix + sheet_name("Settings", layout.language)
    if title not in workbook.sheetnames:
        return DEFAULT_LANGUAGE
    keys = {fold(column_name("language", language)) for language in LANGUAGES}
    worksheet = workbook[title]
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    columns: dict[str, int] = {}
    with contextlib.closing(rows):
        for _number, values in capped_rows(rows, title):
            texts = [fold(str(v)) if is_filled(v) else "" for v in values]
            if not columns:
                columns = _key_value_positions(texts)
                continue
            key, value = (texts[p] if p < len(texts) else "" for p in columns.values())
            if key in keys:
                return value if value in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _key_value_positions(texts: Sequence[str]) -> dict[str, int]:
    """Positions of the key and value headers of a Settings header row (in either language);
    empty until the header row is found."""
    wanted = {
        fold(column_name(header, language)): header
        for header in ("key", "value")
        for language in LANGUAGES
    }
    found = {wanted[text]: position for position, text in enumerate(texts) if text in wanted}
    return {"key": found["key"], "value": found["value"]} if len(found) == 2 else {}


def _assemble(
    raw_tables: dict[str, list[ReadRow]], settings_row: ReadRow | None, file_name: str
) -> tuple[LoadedScenario, list[Issue]]:
    """Build every row model, fill optional sheets' missing records with defaults, and record
    locations; warn of numbers shown as percentages in columns that are not in %.

    Rows that cannot be built are left out and their issues returned; their ids are recorded as
    unread so that references to them are not reported as unknown.
    """
    issues: list[Issue] = []
    tables: Tables = {}
    cells: dict[FieldKey, CellLocation] = {}
    row_cells: dict[tuple[str, int], CellLocation] = {}
    unread: dict[str, frozenset[str]] = {}
    partial = False
    settings = Settings()
    context = ReadContext.of(settings)
    if settings_row is not None:
        context = _settings_context(settings_row)
        issues.extend(percent_warnings(Settings, "Settings", settings_row.cells))
        built_settings = build_row(Settings, "Settings", settings_row, context)
        if isinstance(built_settings, list):
            issues.extend(built_settings)
        elif isinstance(built_settings, Settings):
            settings = built_settings
            for key, cell in settings_row.cells.items():
                cells[("Settings", SETTINGS_ROW, key)] = cell.location("Settings")
    for name, rows in raw_tables.items():
        spec = SHEET_BY_NAME[name]
        built_rows: list[BaseModel] = []
        unread_ids: set[str] = set()
        for row in rows:
            issues.extend(percent_warnings(spec.model, name, row.cells))
            built = build_row(spec.model, name, row, context)
            if built == [] and row.absent:
                built = _partial_record(spec, row, context) or built
                partial = partial or not isinstance(built, list)
            if isinstance(built, list):
                issues.extend(built)
                unread_ids.update(_row_id(spec, row))
                continue
            index = len(built_rows)
            built_rows.append(built)
            _record_row(cells, row_cells, spec, index, row)
        tables[name] = built_rows
        unread[name] = frozenset(unread_ids)
    defaulted = _apply_defaults(tables, settings_row is None)
    # Pydantic runs a row model's checks again when the scenario is built, and a partial record
    # lacks the fields they read: such a scenario is only ever checked for ids, so build it as is.
    sheets: dict[str, Any] = {
        spec.attribute: tuple(tables.get(spec.name, ()))
        for spec in SHEETS
        if spec.layout == "table"
    }
    scenario = (
        Scenario.model_construct(settings=settings, **sheets)
        if partial
        else Scenario(settings=settings, **sheets)
    )
    locations = SourceMap(
        file=file_name,
        cells=MappingProxyType(cells),
        rows=MappingProxyType(row_cells),
        defaulted=frozenset(defaulted),
        unread_ids=MappingProxyType(unread),
    )
    return LoadedScenario(scenario, locations), issues


def _partial_record(spec: SheetSpec, row: ReadRow, context: ReadContext) -> BaseModel | None:
    """A row whose only fault is a column its sheet lacks, holding the fields it has, so that
    its ids and references are still checked; None when its key or a reference is missing.

    The record is built without the model's checks across fields: it only ever reaches the
    checks of ids and single cells, and the run stops at the missing column anyway.
    """
    columns = columns_of(spec.model)
    if not {*spec.key, *(column for column, _ in spec.references)} <= row.cells.keys():
        return None
    values: dict[str, Any] = {}
    for name, cell in row.cells.items():
        value, problem = normalise(cell.raw, columns[name], context, cell.percent)
        if problem:
            return None
        if value is not None:
            try:
                values[name] = _field_adapter(spec.model, name).validate_python(value)
            except ValidationError:
                return None
    return spec.model.model_construct(**values)


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator of one field of a row model on its own."""
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def _settings_context(settings_row: ReadRow) -> ReadContext:
    """The start date and horizon the Settings sheet gives (defaults where its cells are bad),
    needed before any day cell can be read."""
    wanted = {k: c for k, c in settings_row.cells.items() if k in ("start_date", "horizon_days")}
    built = build_record(Settings, "Settings", wanted)
    return ReadContext.of(built if isinstance(built, Settings) else Settings())


def percent_warnings(
    model: type[BaseModel], sheet: str, cells: Mapping[str, ReadCell]
) -> list[Issue]:
    """Numbers shown as a percentage in a column that is not in %: ``50 %`` there is read as 0.5.

    In a column in % (``mip_gap_pct``) such a cell is read as the percentage it shows.
    """
    columns = columns_of(model)
    return [
        cell.location(sheet).warning(
            cell.raw,
            _(
                "the cell shows a percentage ({percent} %) but {column} is not in %: it is read "
                "as {value}; format the cell as a plain number"
            ).format(
                percent=shown_number(cell.raw * 100),
                column=column_name(name),
                value=shown_number(cell.raw),
            ),
        )
        for name, cell in cells.items()
        if cell.percent
        and name in columns
        and columns[name].unit != "%"
        and isinstance(cell.raw, int | float)
        and not isinstance(cell.raw, bool)
    ]


def _row_id(spec: SheetSpec, row: ReadRow) -> list[str]:
    """The id a row was meant to have (as text), even when the row itself could not be read."""
    cell = row.cells.get(spec.key[0])
    value = None if cell is None else normalise(cell.raw, columns_of(spec.model)[spec.key[0]])[0]
    return [] if value is None else [str(value)]


def _record_row(
    cells: dict[FieldKey, CellLocation],
    row_cells: dict[tuple[str, int], CellLocation],
    spec: SheetSpec,
    index: int,
    row: ReadRow,
) -> None:
    """Remember where each value of an accepted row came from."""
    for name, cell in row.cells.items():
        cells[(spec.name, index, name)] = cell.location(spec.name)
    identifying = row.cells.get(spec.key[0]) or next(iter(row.cells.values()))
    row_cells[(spec.name, index)] = CellLocation(spec.name, identifying.reference, None)


def _apply_defaults(tables: Tables, settings_absent: bool) -> list[str]:
    """Add to each optional sheet with defaults the default records it does not give itself;
    return the names of the sheets that took any.

    Defaults merge record by record: a Consumption row for WATER at team sites replaces only the
    default for WATER at team sites. Only default rows whose references name declared ids are
    taken (consumption defaults for the supply classes the workbook declares).
    """
    defaulted = ["Settings"] if settings_absent else []
    for spec in SHEETS:
        if not spec.defaults:
            continue
        added = missing_defaults(spec, tables)
        if added or not tables.get(spec.name):
            defaulted.append(spec.name)
        tables[spec.name] = [*tables.get(spec.name, []), *added]
    return defaulted


def missing_defaults(spec: SheetSpec, tables: Mapping[str, Sequence[BaseModel]]) -> list[BaseModel]:
    """The default records of ``spec`` whose key the sheet's rows do not give and whose
    references name declared ids."""
    given = {spec.key_of(row) for row in tables.get(spec.name, [])}
    return [
        row
        for row in spec.defaults
        if spec.key_of(row) not in given and _references_declared(row, spec, tables)
    ]


def _references_declared(
    row: BaseModel, spec: SheetSpec, tables: Mapping[str, Sequence[BaseModel]]
) -> bool:
    for column, target_name in spec.references:
        target = SHEET_BY_NAME[target_name]
        declared = {getattr(r, target.key[0]) for r in tables.get(target_name, [])}
        if getattr(row, column) not in declared:
            return False
    return True
