"""Cells and rows as read from a workbook, and their conversion into the schemas' row models.

Every value keeps its cell (``ReadCell``), so a conversion or validation problem is reported at
it. A value is converted with the type of its column (``normalise``: numbers, dates, flags, id
lists, choices in any case) and a row is built into its row model by pydantic (``build_record``),
whose errors are put in the planner's words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from openpyxl.workbook.workbook import Workbook
from pydantic import BaseModel, ValidationError

from logistics.errors import Issue
from logistics.i18n import (
    _,
    column_name,
    settings_names,
)
from logistics.io.security import (
    WorkbookFile,
    capped_rows,
    open_workbook,
)
from logistics.rules.fields import Column, Kind, columns_of, format_number
from logistics.rules.locations import CellLocation
from logistics.rules.schemas import Settings


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
class Header:
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


class CachedValues:
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


def build_row(
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
