"""Read a mission workbook into a ``Scenario``, locating every problem at its cell.

Reading is driven by the sheet registry: each sheet's header row is matched to its schema's
columns (in any order), each data row is converted into the schema's row model, and each value's
cell is recorded in a ``SourceMap`` so that the cross-sheet checks of ``logistics.validation`` can
point at cells too. Problems are collected, never raised one at a time: the planner sees them all.

The file is pre-flighted by ``logistics.security`` before openpyxl opens it, and it is streamed in
read-only mode with formulas visible, so that a formula without a saved value is reported instead
of being read as a blank.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel, ValidationError

from logistics.errors import InputError, Issue, raise_if_any
from logistics.fields import Column, Kind, columns_of, format_number
from logistics.locations import SETTINGS_ROW, CellLocation, FieldKey, SourceMap
from logistics.registry import INPUT_ECHO_PREFIX, SCENARIOS_SHEET, SHEET_BY_NAME, SHEETS, SheetSpec
from logistics.schemas import Scenario, Settings
from logistics.security import (
    MAX_COLUMNS,
    WorkbookFile,
    capped_rows,
    check_workbook_file,
    open_workbook,
    reading,
)
from logistics.template import AUXILIARY_SHEETS
from logistics.validation import PARTIAL_SCENARIO_RULES, check, validate

NOTES_HEADER = "notes"
COMMENT_PREFIX = "*"
FORMULA_WITHOUT_VALUE = (
    "formula with no saved value: open and save the workbook in Excel or LibreOffice, "
    "or type the value"
)


IGNORED_SHEETS = (*AUXILIARY_SHEETS, SCENARIOS_SHEET.name)
"""Sheets a mission workbook may hold besides the registry's: the template's sheets for people
and the what-if ``Scenarios`` sheet (read by ``logistics.overlays``, not as part of the base)."""


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario, where each of its values came from, and the workbook it was read from."""

    scenario: Scenario
    locations: SourceMap
    path: Path | None = None
    sheet_prefix: str = ""
    """``In_`` when the inputs were read from a plan workbook's input sheets."""
    source: WorkbookFile | None = field(default=None, repr=False, compare=False)
    """The bytes that were read, checked and parsed (None if not read from a file): other sheets
    of the same workbook (what-if changes) are read from them, never from the path again."""

    @property
    def sha256(self) -> str | None:
        """SHA-256 of the bytes the scenario was read from."""
        return None if self.source is None else self.source.sha256


def load_scenario(path: Path | str) -> Scenario:
    """Pre-flight, read and validate a workbook; raise ``InputError`` listing every problem."""
    return load(path).scenario


def load(path: Path | str) -> LoadedScenario:
    """Like ``load_scenario``, also returning the cell of every value.

    When some rows cannot be read, the rows that could are still checked for duplicate ids and
    unknown references, so that one run reports as much as can be trusted.
    """
    loaded, issues = _read(Path(path))
    if issues:
        partial = check(loaded.scenario, loaded.locations, PARTIAL_SCENARIO_RULES)
        raise InputError(_on_sheets_read([*issues, *partial], loaded.sheet_prefix))
    try:
        validate(loaded.scenario, loaded.locations)
    except InputError as error:
        raise InputError(_on_sheets_read(error.issues, loaded.sheet_prefix)) from None
    return loaded


def read_workbook(path: Path | str) -> Scenario:
    """Read a workbook (after its security pre-flight) without the cross-sheet checks."""
    return read_with_locations(path).scenario


def read_with_locations(path: Path | str) -> LoadedScenario:
    """Read a workbook into a scenario and its ``SourceMap``; raise ``InputError`` on any problem."""
    loaded, issues = _read(Path(path))
    raise_if_any(_on_sheets_read(issues, loaded.sheet_prefix))
    return loaded


def _on_sheets_read(issues: Iterable[Issue], prefix: str) -> list[Issue]:
    """Issues naming the sheets as they are in the workbook (``In_Routes`` in a plan workbook)."""
    return [
        replace(i, sheet=prefix + i.sheet) if prefix and i.sheet in SHEET_BY_NAME else i
        for i in issues
    ]


def _echo_prefix(sheet_names: Sequence[str]) -> str:
    """``In_`` for a plan workbook (its required sheets only as ``In_`` copies), else ``""``."""
    required = [spec.name for spec in SHEETS if spec.required]
    names = set(sheet_names)
    is_echo = not names & set(required) and all(
        INPUT_ECHO_PREFIX + name in names for name in required
    )
    return INPUT_ECHO_PREFIX if is_echo else ""


def _read(path: Path) -> tuple[LoadedScenario, list[Issue]]:
    """The scenario of the rows that could be read, and the issues of those that could not.

    Problems with the file or its sheets and headers are raised at once: there is nothing to
    assemble without them.
    """
    source = check_workbook_file(path)
    with reading(path):
        tables, settings_row, prefix = _read_all_sheets(source)
    loaded, issues = _assemble(tables, settings_row, path.name)
    return LoadedScenario(loaded.scenario, loaded.locations, path, prefix, source), issues


# --------------------------------------------------------------------------------------------------
# Cells and rows as read
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadCell:
    """One cell of a row: where it is, its column, and the value the workbook holds.

    ``sheet`` is set when the cell lies on another sheet than the row it is part of (a what-if
    value standing in for a field of a record); ``reference`` is None for a value typed on the
    command line.
    """

    reference: str | None
    header: str
    raw: Any
    problem: str | None = None
    sheet: str | None = None

    def location(self, sheet: str) -> CellLocation:
        """This cell as a ``CellLocation`` (on ``sheet`` unless the cell names its own)."""
        return CellLocation(self.sheet or sheet, self.reference, self.header)


@dataclass
class ReadRow:
    """One data row: its Excel row number and its cells by field name."""

    number: int
    cells: dict[str, ReadCell] = field(default_factory=dict)


@dataclass(frozen=True)
class _Header:
    """A sheet's header row: its row number and which field each column position holds."""

    number: int
    fields: Mapping[int, str]
    width: int


class _CachedValues:
    """The values Excel saved for formula cells, read from a second, data-only view on demand.

    Input workbooks rarely hold formulas, so the second parse happens only for sheets that do; the
    view is closed with ``stack``.
    """

    def __init__(self, source: WorkbookFile, stack: contextlib.ExitStack) -> None:
        self._source = source
        self._stack = stack
        self._workbook: Workbook | None = None

    def lookup(self, sheet: str, cells: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        """Saved values of the (row, column) ``cells`` of ``sheet``; None where nothing was saved."""
        if self._workbook is None:
            self._workbook = self._stack.enter_context(open_workbook(self._source, data_only=True))
        worksheet = self._workbook[sheet]
        worksheet.reset_dimensions()
        first = min(row for row, _ in cells)
        last = max(row for row, _ in cells)
        width = max(column for _, column in cells)
        found: dict[tuple[int, int], Any] = {}
        rows = worksheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
        with contextlib.closing(rows):
            for number, values in capped_rows(rows, sheet, first_row=first):
                for column, value in enumerate(values, start=1):
                    if (number, column) in cells:
                        found[(number, column)] = value
        return found


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------

Tables = dict[str, list[BaseModel]]


def _read_all_sheets(
    source: WorkbookFile,
) -> tuple[dict[str, list[ReadRow]], ReadRow | None, str]:
    """Every registry sheet's rows as read (not yet validated), and the sheet-name prefix used
    (``In_`` for a plan workbook); sheet-level problems are raised."""
    issues: list[Issue] = []
    raw_tables: dict[str, list[ReadRow]] = {}
    settings_row: ReadRow | None = None
    with contextlib.ExitStack() as stack:
        workbook = stack.enter_context(open_workbook(source, data_only=False))
        cached = _CachedValues(source, stack)
        prefix = _echo_prefix(workbook.sheetnames)
        if not prefix:
            issues.extend(_sheet_name_issues(workbook.sheetnames, source.path))
        for spec in SHEETS:
            if prefix + spec.name not in workbook.sheetnames:
                if spec.required:
                    issues.append(_missing_sheet_issue(spec))
                continue
            rows, sheet_issues = _read_table(workbook[prefix + spec.name], spec, cached)
            issues.extend(sheet_issues)
            if spec.required and not rows and not sheet_issues:
                message = f"the sheet has no rows under its header: the mission needs at least one {spec.key[0]}"
                issues.append(Issue(spec.name, None, None, None, message))
            if spec.layout == "key_value":
                settings_row, key_issues = _settings_row(rows, spec)
                issues.extend(key_issues)
            else:
                raw_tables[spec.name] = rows
    raise_if_any(_on_sheets_read(issues, prefix))
    return raw_tables, settings_row, prefix


def read_sheets(
    path: Path | WorkbookFile,
    requests: Sequence[tuple[SheetSpec, tuple[str, ...]]],
    prefix: str = "",
) -> tuple[tuple[str, ...], dict[str, list[ReadRow]]]:
    """The sheet names of a workbook, and the rows as read of the requested sheets it holds.

    Each request is a sheet and extra columns its header must also hold (read as they are, for
    the caller to convert). The file is pre-flighted like a mission workbook; header problems are
    raised at once, on sheets named ``prefix`` + the sheet's name. A ``WorkbookFile`` already
    read and checked is parsed from its bytes.
    """
    source = path if isinstance(path, WorkbookFile) else check_workbook_file(path)
    issues: list[Issue] = []
    tables: dict[str, list[ReadRow]] = {}
    with reading(source.path), contextlib.ExitStack() as stack:
        workbook = stack.enter_context(open_workbook(source, data_only=False))
        cached = _CachedValues(source, stack)
        names = tuple(workbook.sheetnames)
        for spec, extra in requests:
            if spec.name in names:
                tables[spec.name], sheet_issues = _read_table(
                    workbook[spec.name], spec, cached, extra
                )
                issues.extend(replace(i, sheet=prefix + i.sheet) for i in sheet_issues)
    raise_if_any(issues)
    return names, tables


def _sheet_name_issues(names: Sequence[str], path: Path) -> list[Issue]:
    """An empty or foreign workbook, and sheets whose names look like a misspelt expected sheet."""
    expected = [spec.name for spec in SHEETS]
    if not set(names) & set(expected):
        return [
            Issue(
                sheet=path.name,
                cell=None,
                header=None,
                value=None,
                message=(
                    "the workbook holds none of the expected sheets "
                    f"({', '.join(expected)}); start from the template (logistics template)"
                ),
            )
        ]
    missing = [name for name in expected if name not in names]
    issues = []
    for name in names:
        if name in expected or name in IGNORED_SHEETS:
            continue
        folded = [m for m in missing if m.casefold() == name.strip().casefold()]
        close = folded or difflib.get_close_matches(name, missing, n=1, cutoff=0.75)
        if close:
            issues.append(
                Issue(
                    sheet=name,
                    cell=None,
                    header=None,
                    value=None,
                    message=f"this sheet is not read: rename it to '{close[0]}' (sheet names must match exactly)",
                )
            )
    return issues


def _missing_sheet_issue(spec: SheetSpec) -> Issue:
    return Issue(
        sheet=spec.name,
        cell=None,
        header=None,
        value=None,
        message=(
            f"the required sheet '{spec.name}' is missing: add it with the headers "
            f"{', '.join(spec.columns)}"
        ),
    )


def _read_table(
    worksheet: Any, spec: SheetSpec, cached: _CachedValues, extra: tuple[str, ...] = ()
) -> tuple[list[ReadRow], list[Issue]]:
    """The data rows of a sheet under its header (which must also hold the ``extra`` columns),
    with formula values resolved."""
    worksheet.reset_dimensions()  # the declared size can lie; read what is there
    header, issues = _read_header(worksheet, spec, extra)
    if header is None or issues:
        return [], issues
    rows: list[ReadRow] = []
    formulas: dict[tuple[int, int], tuple[ReadRow, str]] = {}
    cells = worksheet.iter_rows(min_row=header.number + 1, max_col=header.width)
    with contextlib.closing(cells):
        for number, row_cells in capped_rows(cells, spec.name, first_row=header.number + 1):
            row = ReadRow(number)
            for position, name in header.fields.items():
                cell = row_cells[position] if position < len(row_cells) else None
                row.cells[name] = _read_cell(cell, number, position, name)
                if cell is not None and cell.data_type == "f":
                    formulas[(number, position + 1)] = (row, name)
            if any(_is_filled(c.raw) for c in row.cells.values()):
                rows.append(row)
    if formulas:
        _resolve_formulas(worksheet.title, formulas, cached)
    return rows, []


def _read_cell(cell: Any, number: int, position: int, name: str) -> ReadCell:
    """A cell as read, with Excel error values (``#DIV/0!``) flagged."""
    reference = f"{get_column_letter(position + 1)}{number}"
    value = None if cell is None else cell.value
    if cell is not None and cell.data_type == "e":
        return ReadCell(
            reference,
            name,
            value,
            f"the cell shows the Excel error {value}: correct it or type the value",
        )
    return ReadCell(reference, name, value)


def _resolve_formulas(
    sheet: str, formulas: dict[tuple[int, int], tuple[ReadRow, str]], cached: _CachedValues
) -> None:
    """Replace each formula by the value Excel saved for it, or flag it when there is none."""
    saved = cached.lookup(sheet, set(formulas))
    for position, (row, name) in formulas.items():
        formula_cell = row.cells[name]
        value = saved.get(position)
        if value is None:
            row.cells[name] = ReadCell(
                formula_cell.reference, name, formula_cell.raw, FORMULA_WITHOUT_VALUE
            )
        else:
            row.cells[name] = ReadCell(formula_cell.reference, name, value)


def _is_filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_header(
    worksheet: Any, spec: SheetSpec, extra: tuple[str, ...]
) -> tuple[_Header | None, list[Issue]]:
    """Find the header row (the first row with anything in it) and match it to the columns."""
    rows = worksheet.iter_rows(values_only=True)
    with contextlib.closing(rows):
        for number, values in capped_rows(rows, spec.name):
            if any(_is_filled(v) for v in values):
                return _match_header(spec, number, values, extra)
    return None, [
        Issue(
            sheet=spec.name,
            cell=None,
            header=None,
            value=None,
            message=(
                "the sheet is empty: its first row must hold the headers "
                f"{', '.join((*extra, *spec.columns))} (or delete the sheet if it is optional)"
            ),
        )
    ]


def _is_ignored_header(text: str) -> bool:
    return text.startswith(COMMENT_PREFIX) or text.casefold() == NOTES_HEADER


def _match_header(
    spec: SheetSpec, number: int, values: Sequence[Any], extra: tuple[str, ...]
) -> tuple[_Header | None, list[Issue]]:
    """Which field (or extra column) each header cell names; unknown, repeated and missing
    columns are issues."""
    filled = [i for i, v in enumerate(values) if _is_filled(v)]
    width = filled[-1] + 1
    if width > MAX_COLUMNS:
        message = f"the header row is {width:,} columns wide; more than {MAX_COLUMNS} is refused"
        return None, [Issue(spec.name, None, None, None, message)]
    allowed = (*extra, *spec.columns)
    by_fold = {name.casefold(): name for name in allowed}
    fields: dict[int, str] = {}
    issues: list[Issue] = []
    for position in filled:
        text = str(values[position]).strip()
        reference = f"{get_column_letter(position + 1)}{number}"
        if _is_ignored_header(text):
            continue
        name = by_fold.get(text.casefold())
        if name is None:
            issues.append(
                Issue(
                    spec.name,
                    reference,
                    None,
                    values[position],
                    unknown_name_message("column", text, allowed),
                )
            )
        elif name in fields.values():
            issues.append(
                Issue(
                    spec.name,
                    reference,
                    name,
                    values[position],
                    f"the column {name} appears twice; keep one",
                )
            )
        else:
            fields[position] = name
    for name in (*extra, *_required_columns(spec)):
        if name not in fields.values():
            issues.append(
                Issue(
                    spec.name,
                    None,
                    name,
                    None,
                    f"the required column {name} is missing from the header row (row {number})",
                )
            )
    return _Header(number, MappingProxyType(fields), width), issues


def _required_columns(spec: SheetSpec) -> tuple[str, ...]:
    if spec.layout == "key_value":
        return spec.columns
    columns = columns_of(spec.model)
    return tuple(name for name in spec.columns if columns[name].required)


def unknown_name_message(what: str, text: str, allowed: Sequence[str]) -> str:
    """'unknown column (did you mean …?); allowed: …' with the closest allowed name, if any."""
    folded = {name.casefold(): name for name in allowed}
    close = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=0.6)
    hint = f" (did you mean {folded[close[0]]}?)" if close else ""
    return f"unknown {what}{hint}; allowed: {', '.join(allowed)}"


def _settings_row(rows: list[ReadRow], spec: SheetSpec) -> tuple[ReadRow, list[Issue]]:
    """Turn the key/value rows of the Settings sheet into one row whose cells are the values."""
    keys = tuple(columns_of(spec.model))
    settings = ReadRow(number=0)
    first_seen: dict[str, int] = {}
    issues: list[Issue] = []
    for row in rows:
        key_cell, value_cell = row.cells["key"], row.cells["value"]
        key_text = str(key_cell.raw).strip() if _is_filled(key_cell.raw) else ""
        key = {k.casefold(): k for k in keys}.get(key_text.casefold())
        if not key_text:
            issues.append(
                Issue(
                    spec.name,
                    key_cell.reference,
                    "key",
                    None,
                    "a value without a key: name the setting in this cell",
                )
            )
        elif key is None:
            issues.append(
                Issue(
                    spec.name,
                    key_cell.reference,
                    "key",
                    key_cell.raw,
                    unknown_name_message("setting", key_text, keys),
                )
            )
        elif key in first_seen:
            issues.append(
                Issue(
                    spec.name,
                    key_cell.reference,
                    "key",
                    key_cell.raw,
                    f"the setting {key} is already given in row {first_seen[key]}; keep one",
                )
            )
        else:
            first_seen[key] = row.number
            settings.cells[key] = ReadCell(
                value_cell.reference, key, value_cell.raw, value_cell.problem or key_cell.problem
            )
    return settings, issues


# --------------------------------------------------------------------------------------------------
# From cells to row models
# --------------------------------------------------------------------------------------------------


def normalise(raw: Any, column: Column) -> tuple[Any, str | None]:
    """The cell value as the row model should see it, or the reason it cannot be used.

    Text is trimmed and loses one leading apostrophe (the mark that keeps text from being read as
    a formula); ids and text typed as numbers become text; Excel dates become dates; choices match
    whatever the case.
    """
    if isinstance(raw, str):
        text = raw.strip()
        text = text[1:].strip() if text.startswith("'") else text
        return (_match_choice(text, column) if text else None), None
    if isinstance(raw, bool):
        return (
            (raw, None)
            if column.kind is Kind.yes_no
            else (None, f"expected {column.expectation()}")
        )
    if isinstance(raw, int | float) and column.kind in (Kind.text, Kind.id, Kind.id_list):
        return (format_number(raw).replace(",", "") if raw == raw else str(raw)), None
    if isinstance(raw, dt.datetime) and column.kind is Kind.date and raw.time() == dt.time():
        return raw.date(), None
    return raw, None


def _match_choice(text: str, column: Column) -> str:
    """A choice typed in another case or with spaces (``Team site``) as the schema spells it."""
    if column.kind is not Kind.choice:
        return text
    wanted = re.sub(r"[\s\-]+", "_", text).casefold()
    return next((choice for choice in column.choices if choice.casefold() == wanted), text)


def _build_row(model: type[BaseModel], sheet: str, row: ReadRow) -> BaseModel | list[Issue]:
    """The row model for one row, or every issue found in its cells."""
    return build_record(model, sheet, row.cells)


def build_record(
    model: type[BaseModel],
    sheet: str,
    cells: Mapping[str, ReadCell],
    fixed: Mapping[str, Any] = MappingProxyType({}),
) -> BaseModel | list[Issue]:
    """A row model from the cells of its fields, or every issue found in them, at their cells.

    ``fixed`` holds already valid values of the other fields (a record a what-if changes), so
    that checks across fields see the whole record; cells on other sheets say so themselves.
    """
    columns = columns_of(model)
    values: dict[str, Any] = {k: v for k, v in fixed.items() if k not in cells}
    issues: list[Issue] = []
    reported: set[str | None] = set()
    for name, cell in cells.items():
        value, problem = (
            (None, cell.problem) if cell.problem else normalise(cell.raw, columns[name])
        )
        if problem:
            issues.append(cell.location(sheet).issue(cell.raw, problem))
            reported.add(name)
        elif value is not None:
            values[name] = value
    try:
        built = model.model_validate(values)
    except ValidationError as error:
        issues.extend(_validation_issues(error, sheet, cells, columns, reported))
        return issues
    return issues or built


def _validation_issues(
    error: ValidationError,
    sheet: str,
    cells: Mapping[str, ReadCell],
    columns: Mapping[str, Column],
    reported: set[str | None],
) -> list[Issue]:
    """Pydantic's errors for one row as planner-worded issues at the cells they concern."""
    issues = []
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        if loc and isinstance(loc[0], str):
            name = loc[0]
            message = f"expected {columns[name].expectation()}"
            if detail["type"] == "missing":
                message = f"a value is required here: {message}"
        else:
            text = str(detail["msg"]).removeprefix("Value error, ")
            name = _first_column_named(text, cells) or next(iter(cells), "")
            message = text
        if name in reported:
            continue
        reported.add(name)
        cell = cells.get(name)
        location = cell.location(sheet) if cell else CellLocation(sheet, None, name or None)
        issues.append(location.issue(cell.raw if cell else None, message))
    return issues


def _first_column_named(text: str, cells: Mapping[str, ReadCell]) -> str | None:
    """The column a row-level message names first (``initial_stock must not exceed …``)."""
    mentions = [
        (match.start(), name)
        for name in cells
        for match in re.finditer(rf"\b{re.escape(name)}\b", text)
    ]
    return min(mentions)[1] if mentions else None


# --------------------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------------------


def _assemble(
    raw_tables: dict[str, list[ReadRow]], settings_row: ReadRow | None, file_name: str
) -> tuple[LoadedScenario, list[Issue]]:
    """Build every row model, fill absent optional sheets with defaults, and record locations.

    Rows that cannot be built are left out and their issues returned; their ids are recorded as
    unread so that references to them are not reported as unknown.
    """
    issues: list[Issue] = []
    tables: Tables = {}
    cells: dict[FieldKey, CellLocation] = {}
    row_cells: dict[tuple[str, int], CellLocation] = {}
    unread: dict[str, frozenset[str]] = {}
    for name, rows in raw_tables.items():
        spec = SHEET_BY_NAME[name]
        built_rows: list[BaseModel] = []
        unread_ids: set[str] = set()
        for row in rows:
            built = _build_row(spec.model, name, row)
            if isinstance(built, list):
                issues.extend(built)
                unread_ids.update(_row_id(spec, row))
                continue
            index = len(built_rows)
            built_rows.append(built)
            _record_row(cells, row_cells, spec, index, row)
        tables[name] = built_rows
        unread[name] = frozenset(unread_ids)
    settings = Settings()
    if settings_row is not None:
        built_settings = _build_row(Settings, "Settings", settings_row)
        if isinstance(built_settings, list):
            issues.extend(built_settings)
        elif isinstance(built_settings, Settings):
            settings = built_settings
            for key, cell in settings_row.cells.items():
                cells[("Settings", SETTINGS_ROW, key)] = cell.location("Settings")
    defaulted = _apply_defaults(tables, settings_row is None)
    scenario = Scenario(
        settings=settings,
        **{SHEET_BY_NAME[name].attribute: tuple(rows) for name, rows in tables.items()},
    )
    locations = SourceMap(
        file=file_name,
        cells=MappingProxyType(cells),
        rows=MappingProxyType(row_cells),
        defaulted=frozenset(defaulted),
        unread_ids=MappingProxyType(unread),
    )
    return LoadedScenario(scenario, locations), issues


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
    """Give optional sheets that are absent or have no rows their defaults; return their names.

    Only default rows whose references name declared ids are taken (consumption defaults for
    the supply classes the workbook declares).
    """
    defaulted = ["Settings"] if settings_absent else []
    for spec in SHEETS:
        if not spec.defaults or tables.get(spec.name):
            continue
        tables[spec.name] = [
            row for row in spec.defaults if _references_declared(row, spec, tables)
        ]
        defaulted.append(spec.name)
    return defaulted


def _references_declared(row: BaseModel, spec: SheetSpec, tables: Tables) -> bool:
    for column, target_name in spec.references:
        target = SHEET_BY_NAME[target_name]
        declared = {getattr(r, target.key[0]) for r in tables.get(target_name, [])}
        if getattr(row, column) not in declared:
            return False
    return True
