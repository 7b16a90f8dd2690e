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
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel, TypeAdapter, ValidationError

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
from logistics.validation import PARTIAL_SCENARIO_RULES, check
from logistics.warnings import PARTIAL_WARNING_RULES, WARNING_RULES

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
    unknown references, so that one run reports as much as can be trusted.
    """
    loaded, issues = _read(Path(path))
    errors = [issue for issue in issues if not issue.is_warning]
    if errors:
        partial = [
            *check(loaded.scenario, loaded.locations, PARTIAL_SCENARIO_RULES),
            *check(loaded.scenario, loaded.locations, PARTIAL_WARNING_RULES),
        ]
        raise InputError(_on_sheets_read([*issues, *partial], loaded.sheet_prefix))
    found = [
        *issues,
        *check(loaded.scenario, loaded.locations),
        *check(loaded.scenario, loaded.locations, WARNING_RULES),
    ]
    found = _on_sheets_read([i.as_error() if strict else i for i in found], loaded.sheet_prefix)
    raise_if_any(found)
    return replace(loaded, warnings=tuple(found))


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

    A problem with the file itself is raised at once; problems with sheets and headers are
    returned with those of the cells, which are still read wherever their column is known.
    """
    source = check_workbook_file(path)
    with reading(path):
        tables, settings_row, prefix, sheet_issues = _read_all_sheets(source)
    loaded, issues = _assemble(tables, settings_row, path.name)
    issues = _on_sheets_read([*sheet_issues, *issues], prefix)
    return LoadedScenario(loaded.scenario, loaded.locations, path, prefix, source), issues


# --------------------------------------------------------------------------------------------------
# Cells and rows as read
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadCell:
    """One cell of a row: where it is, its column, and the value the workbook holds.

    ``sheet`` is set when the cell lies on another sheet than the row it is part of (a what-if
    value standing in for a field of a record); ``reference`` is None for a value typed on the
    command line; ``percent`` says the cell shows its number as a percentage (``1 %`` is stored
    as 0.01).
    """

    reference: str | None
    header: str
    raw: Any
    problem: str | None = None
    sheet: str | None = None
    percent: bool = False

    def location(self, sheet: str) -> CellLocation:
        """This cell as a ``CellLocation`` (on ``sheet`` unless the cell names its own)."""
        return CellLocation(self.sheet or sheet, self.reference, self.header)


@dataclass
class ReadRow:
    """One data row: its Excel row number, its cells by field name, and the columns its sheet
    lacks (already reported once, on the header)."""

    number: int
    cells: dict[str, ReadCell] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Header:
    """A sheet's header row: its row number, which field each column position holds, and the
    position of its first filled cell (a row starting there with ``*`` is commented out)."""

    number: int
    fields: Mapping[int, str]
    width: int
    first: int
    absent: frozenset[str]


@dataclass(frozen=True)
class ReadContext:
    """What reading a cell depends on besides the cell: the Settings' start date and horizon.

    Day columns take a day number or a date; a date is turned into its day number counted from
    ``start_date`` (day 1), and messages state the days that fit this workbook.
    """

    start_date: dt.date | None = None
    horizon_days: int | None = None

    @classmethod
    def of(cls, settings: Settings) -> ReadContext:
        """The context the settings of a scenario give."""
        return cls(settings.start_date, settings.horizon_days)

    def expectation(self, column: Column) -> str:
        """What a valid cell of ``column`` holds, with day bounds that fit the workbook."""
        if not column.is_day or self.horizon_days is None:
            return column.expectation()
        days = f"a day number from 1 to {self.horizon_days} (horizon_days in Settings)"
        if self.start_date is None:
            return f"{days}, or a date once Settings has start_date"
        return f"{days}, or a date from {self.start_date.isoformat()} (start_date, day 1)"

    def day_of(self, date: dt.date, column: Column) -> tuple[int | None, str | None]:
        """The day number of a date typed in a day column, or why it cannot have one."""
        if self.start_date is None:
            return None, (
                "a date here needs start_date in Settings (the date of day 1) to count days "
                f"from; or type the day number: expected {self.expectation(column)}"
            )
        day = (date - self.start_date).days + 1
        if day < 1:
            return None, (
                f"{date.isoformat()} is before start_date {self.start_date.isoformat()} (day 1): "
                f"expected {self.expectation(column)}"
            )
        return day, None


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
) -> tuple[dict[str, list[ReadRow]], ReadRow | None, str, list[Issue]]:
    """Every registry sheet's rows as read (not yet validated), the sheet-name prefix used
    (``In_`` for a plan workbook), and the problems with sheets and headers."""
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
            if spec.required and not rows and not _header_missing(sheet_issues):
                message = f"the sheet has no rows under its header: the mission needs at least one {spec.key[0]}"
                issues.append(Issue(spec.name, None, None, None, message))
            if spec.layout == "key_value":
                settings_row, key_issues = _settings_row(rows, spec)
                issues.extend(key_issues)
            else:
                raw_tables[spec.name] = rows
    return raw_tables, settings_row, prefix, issues


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


def _header_missing(issues: Sequence[Issue]) -> bool:
    """Whether a sheet's issues say it has no header row at all."""
    return any(issue.cell is None and issue.header is None for issue in issues)


USER_SHEET_PREFIXES = ("_", "*")
"""A sheet whose name starts with one of these is the planner's own: the reader skips it (Excel
allows no ``*`` in sheet names, so ``_`` is the one the Instructions give)."""


def _sheet_name_issues(names: Sequence[str], path: Path) -> list[Issue]:
    """An empty or foreign workbook, and every sheet that is neither a contract sheet nor marked
    as the planner's own (misspelt names get a "did you mean")."""
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
    missing = [name for name in (*expected, SCENARIOS_SHEET.name) if name not in names]
    return [
        Issue(sheet=name, cell=None, header=None, value=None, message=_unknown_sheet(name, missing))
        for name in names
        if name not in expected
        and name not in IGNORED_SHEETS
        and not name.startswith(USER_SHEET_PREFIXES)
    ]


def _unknown_sheet(name: str, missing: Sequence[str]) -> str:
    """Why a sheet is refused: the sheet it most likely means, else the sheets there are."""
    own = "or start its name with _ to keep it as your own (it is then ignored)"
    contract = [spec.name for spec in SHEETS] + [SCENARIOS_SHEET.name]
    folded = [m for m in contract if m.casefold() == name.strip().casefold()]
    close = folded or difflib.get_close_matches(name, missing, n=1, cutoff=0.75)
    if close:
        return (
            f"this sheet is not read (did you mean {close[0]}?): rename it to '{close[0]}' "
            f"(sheet names must match exactly), {own}"
        )
    return (
        f"unknown sheet: a mission workbook holds the sheets {', '.join(contract)} (and the "
        f"template's {', '.join(AUXILIARY_SHEETS)}); rename it to one of them, {own}"
    )


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
    if header is None:
        return [], issues
    rows: list[ReadRow] = []
    formulas: dict[tuple[int, int], tuple[ReadRow, str]] = {}
    cells = worksheet.iter_rows(min_row=header.number + 1, max_col=header.width)
    with contextlib.closing(cells):
        for number, row_cells in capped_rows(cells, spec.name, first_row=header.number + 1):
            if _is_commented_out(row_cells, header.first):
                continue
            row = ReadRow(number, absent=header.absent)
            for position, name in header.fields.items():
                cell = row_cells[position] if position < len(row_cells) else None
                row.cells[name] = _read_cell(cell, number, position, name)
                if cell is not None and cell.data_type == "f":
                    formulas[(number, position + 1)] = (row, name)
            if any(_is_filled(c.raw) for c in row.cells.values()):
                rows.append(row)
    if formulas:
        _resolve_formulas(worksheet.title, formulas, cached)
    return rows, issues


def _is_commented_out(row_cells: Sequence[Any], first: int) -> bool:
    """A row whose first cell (under the header's first column) starts with ``*``: an example
    or a note, skipped like a ``*`` column."""
    if first >= len(row_cells) or row_cells[first] is None:
        return False
    value = row_cells[first].value
    return isinstance(value, str) and value.strip().startswith(COMMENT_PREFIX)


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
    percent = "%" in str(getattr(cell, "number_format", "") or "")
    return ReadCell(reference, name, value, percent=percent)


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
            row.cells[name] = replace(formula_cell, raw=value)


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
    absent = frozenset(allowed) - set(fields.values())
    return _Header(number, MappingProxyType(fields), width, filled[0], absent), issues


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
    if any(row.absent & {"key", "value"} for row in rows):
        return settings, []  # the missing column is reported on the header
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
            settings.cells[key] = replace(
                value_cell, header=key, problem=value_cell.problem or key_cell.problem
            )
    return settings, issues


# --------------------------------------------------------------------------------------------------
# From cells to row models
# --------------------------------------------------------------------------------------------------


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise(
    raw: Any, column: Column, context: ReadContext = ReadContext(), percent: bool = False
) -> tuple[Any, str | None]:
    """The cell value as the row model should see it, or the reason it cannot be used.

    Text is trimmed and loses one leading apostrophe (the mark that keeps text from being read as
    a formula); ids and text typed as numbers become text; Excel dates become dates, and day
    numbers in day columns (counted from the Settings' ``start_date``); a number shown as a
    percentage (``percent``) is read as the percentage in a column in %; choices match whatever
    the case.
    """
    if column.is_day and isinstance(raw, dt.date | str):
        date = _as_date(raw)
        if date is not None:
            return context.day_of(date, column)
    if (
        percent
        and column.unit == "%"
        and isinstance(raw, int | float)
        and not isinstance(raw, bool)
    ):
        return raw * 100, None
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


def _as_date(raw: dt.date | str) -> dt.date | None:
    """A date cell (at midnight) or ISO date text as a date; None for anything else."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else None
    if isinstance(raw, dt.date):
        return raw
    text = raw.strip()
    if not ISO_DATE.match(text):
        return None
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(text)
    return None


def _match_choice(text: str, column: Column) -> str:
    """A choice typed in another case or with spaces (``Team site``) as the schema spells it."""
    if column.kind is not Kind.choice:
        return text
    wanted = re.sub(r"[\s\-]+", "_", text).casefold()
    return next((choice for choice in column.choices if choice.casefold() == wanted), text)


def _build_row(
    model: type[BaseModel], sheet: str, row: ReadRow, context: ReadContext
) -> BaseModel | list[Issue]:
    """The row model for one row, or every issue found in its cells (none when the only problem
    is a column missing from the sheet, already reported on its header)."""
    return build_record(model, sheet, row.cells, context=context, absent=row.absent)


def build_record(
    model: type[BaseModel],
    sheet: str,
    cells: Mapping[str, ReadCell],
    fixed: Mapping[str, Any] = MappingProxyType({}),
    *,
    context: ReadContext = ReadContext(),
    absent: frozenset[str] = frozenset(),
) -> BaseModel | list[Issue]:
    """A row model from the cells of its fields, or every issue found in them, at their cells.

    ``fixed`` holds already valid values of the other fields (a record a what-if changes), so
    that checks across fields see the whole record; cells on other sheets say so themselves.
    ``context`` gives day columns their dates and bounds; a required field in ``absent`` (a column
    the sheet lacks) is not reported again on every row.
    """
    columns = columns_of(model)
    values: dict[str, Any] = {k: v for k, v in fixed.items() if k not in cells}
    issues: list[Issue] = []
    reported: set[str | None] = set(absent)
    for name, cell in cells.items():
        value, problem = (
            (None, cell.problem)
            if cell.problem
            else normalise(cell.raw, columns[name], context, cell.percent)
        )
        if problem:
            issues.append(cell.location(sheet).issue(cell.raw, problem))
            reported.add(name)
        elif value is not None:
            values[name] = value
    try:
        built = model.model_validate(values)
    except ValidationError as error:
        issues.extend(_validation_issues(error, sheet, cells, columns, reported, context))
        return issues
    return issues or built


def _validation_issues(
    error: ValidationError,
    sheet: str,
    cells: Mapping[str, ReadCell],
    columns: Mapping[str, Column],
    reported: set[str | None],
    context: ReadContext,
) -> list[Issue]:
    """Pydantic's errors for one row as planner-worded issues at the cells they concern."""
    issues = []
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        if loc and isinstance(loc[0], str):
            name = loc[0]
            message = f"expected {context.expectation(columns[name])}"
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
        built_settings = _build_row(Settings, "Settings", settings_row, context)
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
            built = _build_row(spec.model, name, row, context)
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
            f"the cell shows a percentage ({format_number(cell.raw * 100)} %) but {name} is not in %: "
            f"it is read as {format_number(cell.raw)}; format the cell as a plain number",
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
