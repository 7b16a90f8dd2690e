"""The sheets of a mission workbook: which are there, and where their columns are.

Each sheet's header row is matched to its schema's columns in any order, in English or the
workbook's language, in any case and with or without accents; an unknown sheet or column name is
reported with the names it may have meant to be. Rows marked as comments are skipped.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel

from logistics.errors import Issue, raise_if_any
from logistics.i18n import (
    COLUMN_CONTEXT,
    LANGUAGES,
    N_,
    _,
    column_name,
    fold,
    names_by_fold,
    names_language,
    sheet_name,
)
from logistics.io.cells import CachedValues, Header, ReadCell, ReadRow
from logistics.io.security import (
    MAX_COLUMNS,
    WorkbookFile,
    capped_rows,
    check_workbook_file,
    open_workbook,
    reading,
)
from logistics.io.template import AUXILIARY_SHEETS
from logistics.rules.fields import columns_of, shown_number
from logistics.rules.registry import (
    INPUT_ECHO_PREFIX,
    SCENARIOS_SHEET,
    SHEETS,
    SheetSpec,
)

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
template's sheets for people and the what-if ``Scenarios`` sheet (read by
``logistics.rules.overlay_sources``, not as part of the base)."""

KNOWN_SHEETS = (*(spec.name for spec in SHEETS), *IGNORED_SHEETS)
"""Every sheet name the reader knows, in English: their names in the workbook's language are
``i18n.sheet_name`` of these."""


@dataclass(frozen=True)
class Layout:
    """How a workbook names its sheets: the prefix of a plan workbook's input sheets (``In_``),
    the language of the names, and the sheets named in the other language (a problem each)."""

    prefix: str
    language: str
    foreign: tuple[str, ...] = ()


def sheet_layout(sheet_names: Sequence[str]) -> Layout:
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
    return Layout(prefix, language, foreign)


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


Tables = dict[str, list[BaseModel]]


def read_all_sheets(
    workbook: Workbook, cached: CachedValues, layout: Layout, path: Path
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
        cached = CachedValues(source, stack)
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
    worksheet: Any, spec: SheetSpec, cached: CachedValues, extra: tuple[str, ...] = ()
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
            if any(is_filled(c.raw) for c in row.cells.values()):
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
    sheet: str, formulas: dict[tuple[int, int], tuple[ReadRow, str]], cached: CachedValues
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


def is_filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_header(
    worksheet: Any, spec: SheetSpec, extra: tuple[str, ...]
) -> tuple[Header | None, list[Issue]]:
    """Find the header row (the first row with anything in it) and match it to the columns
    (named in the names language)."""
    rows = worksheet.iter_rows(values_only=True)
    with contextlib.closing(rows):
        for number, values in capped_rows(rows, worksheet.title):
            if any(is_filled(v) for v in values):
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
) -> tuple[Header | None, list[Issue]]:
    """Which field (or extra column) each header cell names; unknown, repeated and missing
    columns are issues."""
    filled = [i for i, v in enumerate(values) if is_filled(v)]
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
    return Header(number, MappingProxyType(fields), width, filled[0], absent), issues


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
        key_text = str(key_cell.raw).strip() if is_filled(key_cell.raw) else ""
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
