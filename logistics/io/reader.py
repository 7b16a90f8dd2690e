"""Read a mission workbook into a ``Scenario``, locating every problem at its cell.

Reading is driven by the sheet registry: each sheet's header row is matched to its schema's
columns (in any order), each data row is converted into the schema's row model, and each value's
cell is recorded in a ``SourceMap`` so that the cross-sheet checks of ``logistics.rules.validation`` can
point at cells too. Problems are collected, never raised one at a time: the planner sees them all.

The file is pre-flighted by ``logistics.io.security`` before openpyxl opens it, and it is streamed in
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
from logistics.i18n import (
    COLUMN_CONTEXT,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    _,
    chosen_language,
    column_name,
    fold,
    names_by_fold,
    names_language,
    settings_names,
    sheet_name,
    use_language,
)
from logistics.io.security import (
    MAX_COLUMNS,
    WorkbookFile,
    capped_rows,
    check_workbook_file,
    open_workbook,
    reading,
)
from logistics.io.template import AUXILIARY_SHEETS
from logistics.rules.fields import Column, Kind, columns_of, format_number, shown_number
from logistics.rules.locations import SETTINGS_ROW, CellLocation, FieldKey, SourceMap
from logistics.rules.registry import (
    INPUT_ECHO_PREFIX,
    SCENARIOS_SHEET,
    SHEET_BY_NAME,
    SHEETS,
    SheetSpec,
)
from logistics.rules.schemas import Scenario, Settings
from logistics.rules.validation import PARTIAL_SCENARIO_RULES, check
from logistics.rules.warnings import PARTIAL_WARNING_RULES, WARNING_RULES

NOTES_HEADER = "notes"
COMMENT_PREFIX = "*"


def formula_without_value() -> str:
    """Why a formula cell with no saved value cannot be read, in the message language."""
    return _(
        "formula with no saved value: open and save the workbook in Excel or LibreOffice, "
        "or type the value"
    )


IGNORED_SHEETS = (*AUXILIARY_SHEETS, SCENARIOS_SHEET.name)
"""Sheets a mission workbook may hold besides the registry's (by their English names): the
template's sheets for people and the what-if ``Scenarios`` sheet (read by ``logistics.rules.overlays``,
not as part of the base)."""

KNOWN_SHEETS = (*(spec.name for spec in SHEETS), *IGNORED_SHEETS)
"""Every sheet name the reader knows, in English: their names in the workbook's language are
``i18n.sheet_name`` of these."""


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


@dataclass(frozen=True)
class _Layout:
    """How a workbook names its sheets: the prefix of a plan workbook's input sheets (``In_``),
    the language of the names, and the sheets named in the other language (a problem each)."""

    prefix: str
    language: str
    foreign: tuple[str, ...] = ()


def _layout(sheet_names: Sequence[str]) -> _Layout:
    """The prefix and the names language of a workbook, from its sheet names.

    A workbook names its sheets in one language; a name that belongs only to the other language
    is foreign (reported by ``_sheet_name_issues``). The language with more such names wins,
    English on a tie (most names are the same in both: ``Bases``, ``Stocks``, ``Sources``).
    """
    prefix = _echo_prefix(sheet_names)
    names = [n.removeprefix(prefix) for n in sheet_names if n.startswith(prefix)]
    only: dict[str, list[str]] = {}
    for language in LANGUAGES:
        own = {sheet_name(known, language) for known in KNOWN_SHEETS}
        others = {
            sheet_name(known, o) for known in KNOWN_SHEETS for o in LANGUAGES if o != language
        }
        only[language] = [n for n in names if n in own - others]
    language = max(LANGUAGES, key=lambda lang: len(only[lang]))
    foreign = tuple(n for lang in LANGUAGES if lang != language for n in only[lang])
    return _Layout(prefix, language, foreign)


def _echo_prefix(sheet_names: Sequence[str]) -> str:
    """``In_`` for a plan workbook (its required sheets only as ``In_`` copies), else ``""``."""
    names = set(sheet_names)
    for language in LANGUAGES:
        required = [sheet_name(spec.name, language) for spec in SHEETS if spec.required]
        if not names & set(required) and all(
            INPUT_ECHO_PREFIX + name in names for name in required
        ):
            return INPUT_ECHO_PREFIX
    return ""


def _read(path: Path) -> tuple[LoadedScenario, list[Issue]]:
    """The scenario of the rows that could be read, and the issues of those that could not.

    A problem with the file itself is raised at once; problems with sheets and headers are
    returned with those of the cells, which are still read wherever their column is known. The
    issues are worded in the message language and name sheets and columns as the workbook does.
    """
    source = check_workbook_file(path)
    with reading(path), contextlib.ExitStack() as stack:
        workbook = stack.enter_context(open_workbook(source, data_only=False))
        layout = _layout(workbook.sheetnames)
        language = chosen_language() or _settings_language(workbook, layout)
        with use_language(language, layout.language):
            cached = _CachedValues(source, stack)
            tables, settings_row, sheet_issues = _read_all_sheets(workbook, cached, layout, path)
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


def _settings_language(workbook: Workbook, layout: _Layout) -> str:
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
            texts = [fold(str(v)) if _is_filled(v) else "" for v in values]
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
        names = settings_names("horizon_days", "start_date")
        if self.start_date is None:
            return _(
                "a day number from 1 to {horizon} ({horizon_days} in {settings}), or a date "
                "once {settings} has {start_date}"
            ).format(horizon=self.horizon_days, **names)
        return _(
            "a day number from 1 to {horizon} ({horizon_days} in {settings}), or a date from "
            "{date} ({start_date}, day 1)"
        ).format(horizon=self.horizon_days, date=self.start_date.isoformat(), **names)

    def day_of(self, date: dt.date, column: Column) -> tuple[int | None, str | None]:
        """The day number of a date typed in a day column, or why it cannot have one."""
        if self.start_date is None:
            return None, _(
                "a date here needs {start_date} in {settings} (the date of day 1) to count days "
                "from; or type the day number: expected {expected}"
            ).format(expected=self.expectation(column), **settings_names("start_date"))
        day = (date - self.start_date).days + 1
        if day < 1:
            return None, _(
                "{date} is before {start_date} {start} (day 1): expected {expected}"
            ).format(
                date=date.isoformat(),
                start=self.start_date.isoformat(),
                expected=self.expectation(column),
                **settings_names("start_date"),
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
    workbook: Workbook, cached: _CachedValues, layout: _Layout, path: Path
) -> tuple[dict[str, list[ReadRow]], ReadRow | None, list[Issue]]:
    """Every registry sheet's rows as read (not yet validated), and the problems with sheets
    and headers; sheets are looked up by their names in the workbook's language."""
    issues: list[Issue] = []
    raw_tables: dict[str, list[ReadRow]] = {}
    settings_row: ReadRow | None = None
    if not layout.prefix:
        issues.extend(_sheet_name_issues(workbook.sheetnames, path, layout.foreign))
    for spec in SHEETS:
        title = layout.prefix + sheet_name(spec.name)
        if title not in workbook.sheetnames:
            if spec.required:
                issues.append(_missing_sheet_issue(spec))
            continue
        rows, sheet_issues = _read_table(workbook[title], spec, cached)
        issues.extend(sheet_issues)
        if spec.required and not rows and not _header_missing(sheet_issues):
            message = _(
                "the sheet has no rows under its header: the mission needs at least one {column}"
            ).format(column=column_name(spec.key[0]))
            issues.append(Issue(spec.name, None, None, None, message))
        if spec.layout == "key_value":
            settings_row, key_issues = _settings_row(rows, spec)
            issues.extend(key_issues)
        else:
            raw_tables[spec.name] = rows
    return raw_tables, settings_row, issues


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


def _sheet_name_issues(names: Sequence[str], path: Path, foreign: Sequence[str]) -> list[Issue]:
    """An empty or foreign workbook, every sheet named in the other language than the rest, and
    every sheet that is neither a contract sheet nor marked as the planner's own (misspelt names
    get a "did you mean")."""
    expected = [sheet_name(spec.name) for spec in SHEETS]
    if not set(names) & set(expected):
        return [
            Issue(
                sheet=path.name,
                cell=None,
                header=None,
                value=None,
                message=_(
                    "the workbook holds none of the expected sheets ({sheets}); start from the "
                    "template (logistics template)"
                ).format(sheets=", ".join(expected)),
            )
        ]
    contract = [*expected, sheet_name(SCENARIOS_SHEET.name)]
    ignored = {sheet_name(name) for name in IGNORED_SHEETS}
    missing = [name for name in contract if name not in names]
    return [
        Issue(
            sheet=name,
            cell=None,
            header=None,
            value=None,
            message=_foreign_sheet(name) if name in foreign else _unknown_sheet(name, missing),
        )
        for name in names
        if name not in expected and name not in ignored and not name.startswith(USER_SHEET_PREFIXES)
    ]


def _foreign_sheet(name: str) -> str:
    """Why a sheet named in the other language than the workbook's other sheets is refused."""
    english = next(
        known
        for known in KNOWN_SHEETS
        for language in LANGUAGES
        if sheet_name(known, language) == name
    )
    return _(
        "this sheet is named in another language than the workbook's other sheets, so it is "
        "not read: a workbook names all its sheets and columns in one language; rename it to "
        "'{name}'"
    ).format(name=sheet_name(english))


def _unknown_sheet(name: str, missing: Sequence[str]) -> str:
    """Why a sheet is refused: the sheet it most likely means, else the sheets there are."""
    own = _("or start its name with _ to keep it as your own (it is then ignored)")
    contract = [sheet_name(spec.name) for spec in SHEETS] + [sheet_name(SCENARIOS_SHEET.name)]
    folded = [m for m in contract if fold(m) == fold(name)]
    close = folded or difflib.get_close_matches(name, missing, n=1, cutoff=0.75)
    if close:
        return _(
            "this sheet is not read (did you mean {sheet}?): rename it to '{sheet}' "
            "(sheet names must match exactly), {own}"
        ).format(sheet=close[0], own=own)
    return _(
        "unknown sheet: a mission workbook holds the sheets {sheets} (and the template's "
        "{auxiliary}); rename it to one of them, {own}"
    ).format(
        sheets=", ".join(contract),
        auxiliary=", ".join(sheet_name(aux) for aux in AUXILIARY_SHEETS),
        own=own,
    )


def _missing_sheet_issue(spec: SheetSpec) -> Issue:
    return Issue(
        sheet=spec.name,
        cell=None,
        header=None,
        value=None,
        message=_(
            "the required sheet '{sheet}' is missing: add it with the headers {headers}"
        ).format(
            sheet=sheet_name(spec.name), headers=", ".join(column_name(c) for c in spec.columns)
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
        for number, row_cells in capped_rows(cells, worksheet.title, first_row=header.number + 1):
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
            _("the cell shows the Excel error {value}: correct it or type the value").format(
                value=value
            ),
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
                formula_cell.reference, name, formula_cell.raw, formula_without_value()
            )
        else:
            row.cells[name] = replace(formula_cell, raw=value)


def _is_filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_header(
    worksheet: Any, spec: SheetSpec, extra: tuple[str, ...]
) -> tuple[_Header | None, list[Issue]]:
    """Find the header row (the first row with anything in it) and match it to the columns
    (named in the names language)."""
    rows = worksheet.iter_rows(values_only=True)
    with contextlib.closing(rows):
        for number, values in capped_rows(rows, worksheet.title):
            if any(_is_filled(v) for v in values):
                return _match_header(spec, number, values, extra)
    headers = ", ".join(column_name(c) for c in (*extra, *spec.columns))
    return None, [
        Issue(
            sheet=spec.name,
            cell=None,
            header=None,
            value=None,
            message=_(
                "the sheet is empty: its first row must hold the headers {headers} (or delete "
                "the sheet if it is optional)"
            ).format(headers=headers),
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
        message = _("the header row is {width} columns wide; more than {most} is refused").format(
            width=shown_number(width), most=MAX_COLUMNS
        )
        return None, [Issue(spec.name, None, None, None, message)]
    allowed = (*extra, *spec.columns)
    by_fold = names_by_fold(allowed, names_language(), COLUMN_CONTEXT)
    fields: dict[int, str] = {}
    issues: list[Issue] = []
    for position in filled:
        text = str(values[position]).strip()
        reference = f"{get_column_letter(position + 1)}{number}"
        if _is_ignored_header(text):
            continue
        name = by_fold.get(fold(text))
        if name is None:
            issues.append(
                Issue(spec.name, reference, None, values[position], _unknown_column(text, allowed))
            )
        elif name in fields.values():
            message = _("the column {column} appears twice; keep one").format(
                column=column_name(name)
            )
            issues.append(Issue(spec.name, reference, name, values[position], message))
        else:
            fields[position] = name
    for name in (*extra, *_required_columns(spec)):
        if name not in fields.values():
            message = _(
                "the required column {column} is missing from the header row (row {row})"
            ).format(column=column_name(name), row=number)
            issues.append(Issue(spec.name, None, name, None, message))
    absent = frozenset(allowed) - set(fields.values())
    return _Header(number, MappingProxyType(fields), width, filled[0], absent), issues


def _required_columns(spec: SheetSpec) -> tuple[str, ...]:
    if spec.layout == "key_value":
        return spec.columns
    columns = columns_of(spec.model)
    return tuple(name for name in spec.columns if columns[name].required)


def _unknown_column(text: str, allowed: Sequence[str]) -> str:
    """Why a header is refused: the name of one of ``allowed`` (English names) in the other
    language than the workbook's, or an unknown column."""
    return _foreign_name(text, allowed) or unknown_name_message(
        "column", text, [column_name(name) for name in allowed]
    )


def _foreign_name(text: str, allowed: Sequence[str]) -> str | None:
    """The message for a column or settings key named in the other language than the
    workbook's, None when ``text`` is not such a name."""
    for language in LANGUAGES:
        english = names_by_fold(allowed, language, COLUMN_CONTEXT).get(fold(text))
        if english is not None and language != names_language():
            return _(
                "this name is in another language than the workbook's sheets: a workbook "
                "names all its sheets and columns in one language; rename it to {name}"
            ).format(name=column_name(english))
    return None


UNKNOWN_NAMES = {
    "column": N_("unknown column"),
    "sheet": N_("unknown sheet"),
    "setting": N_("unknown setting"),
}
"""What ``unknown_name_message`` calls a name it does not know, by the kind of name."""


def unknown_name_message(what: str, text: str, allowed: Sequence[str]) -> str:
    """'unknown column (did you mean …?); allowed: …' with the closest allowed name, if any;
    ``what`` is a key of ``UNKNOWN_NAMES``."""
    unknown = _(UNKNOWN_NAMES[what])
    folded = {fold(name): name for name in allowed}
    close = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=0.6)
    if close:
        return _("{unknown} (did you mean {name}?); allowed: {allowed}").format(
            unknown=unknown, name=folded[close[0]], allowed=", ".join(allowed)
        )
    return _("{unknown}; allowed: {allowed}").format(unknown=unknown, allowed=", ".join(allowed))


def _settings_row(rows: list[ReadRow], spec: SheetSpec) -> tuple[ReadRow, list[Issue]]:
    """Turn the key/value rows of the Settings sheet into one row whose cells are the values."""
    keys = tuple(columns_of(spec.model))
    by_fold = names_by_fold(keys, names_language(), COLUMN_CONTEXT)
    settings = ReadRow(number=0)
    if any(row.absent & {"key", "value"} for row in rows):
        return settings, []  # the missing column is reported on the header
    first_seen: dict[str, int] = {}
    issues: list[Issue] = []
    for row in rows:
        key_cell, value_cell = row.cells["key"], row.cells["value"]
        key_text = str(key_cell.raw).strip() if _is_filled(key_cell.raw) else ""
        key = by_fold.get(fold(key_text))
        if not key_text:
            message = _("a value without a key: name the setting in this cell")
            issues.append(Issue(spec.name, key_cell.reference, "key", None, message))
        elif key is None:
            message = _foreign_name(key_text, keys) or unknown_name_message(
                "setting", key_text, [column_name(k) for k in keys]
            )
            issues.append(Issue(spec.name, key_cell.reference, "key", key_cell.raw, message))
        elif key in first_seen:
            message = _("the setting {key} is already given in row {row}; keep one").format(
                key=column_name(key), row=first_seen[key]
            )
            issues.append(Issue(spec.name, key_cell.reference, "key", key_cell.raw, message))
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
            else (None, _("expected {expected}").format(expected=column.expectation()))
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
            expected = context.expectation(columns[name])
            message = _("expected {expected}").format(expected=expected)
            if detail["type"] == "missing":
                message = _("a value is required here: expected {expected}").format(
                    expected=expected
                )
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
    """The column a row-level message names first (``initial_stock must not exceed …``), by
    its name in the workbook's language."""
    mentions = [
        (match.start(), name)
        for name in cells
        for match in re.finditer(rf"\b{re.escape(column_name(name))}\b", text)
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
