"""Small layer for writing output workbooks with openpyxl: safe cells, Excel tables, atomic saves.

Every value that reaches a cell goes through ``write_cell``, the one place that makes text safe:

* characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; lone
  surrogates) are removed, because openpyxl raises ``IllegalCharacterError`` on the C0 ones
  (``Cell.check_string`` with ``ILLEGAL_CHARACTERS_RE``) and writes the others into a file Excel
  refuses;
* line breaks are stored as LF, since XML parsers read CR and CR LF as LF anyway;
* text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading apostrophe (OWASP,
  ASVS 5.0 §1.2.10), so no spreadsheet, CSV export or later edit turns it into a formula; so does
  text starting with an apostrophe, because the workbook reader drops one leading apostrophe.
  openpyxl itself turns any string of two or more characters starting with ``=`` into a formula
  cell (``Cell._bind_value`` sets ``data_type = 'f'``) and a string equal to an error code such as
  ``#N/A`` into an error cell, so the cell's type is also forced to text;
* text longer than Excel's 32,767-character cell limit is cut with a visible marker instead of the
  silent cut openpyxl makes.

``write_table`` writes a DataFrame as a filterable Excel table with a frozen header, sensible column
widths, print titles and number formats; ``save_atomically`` writes the file so that a failure never
leaves a half-written workbook behind.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from logistics.io.atomic import write_atomically

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
"""First characters that make a spreadsheet (or a CSV made from it) read text as a formula, and the
apostrophe itself: the workbook reader drops one leading apostrophe, so a text that really starts
with one keeps it when read back."""

ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters that cannot appear in an XML 1.0 document (NUL included)."""

MAX_CELL_CHARS = 32_767
"""Excel's limit on the length of the text in one cell."""

TRUNCATION_MARKER = " … [truncated]"

SHEET_TITLE_FORBIDDEN = frozenset("[]:*?/\\")
MAX_SHEET_TITLE_CHARS = 31

TABLE_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,254}$")
_CELL_REFERENCE_RE = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*([Cc][0-9]*)?|[Cc][0-9]*)$")

TABLE_STYLE = "TableStyleMedium2"
FONT_NAME = "Calibri"
"""The workbook's default font; styled cells name it too, or LibreOffice falls back to a serif."""
HEADER_FONT = Font(name=FONT_NAME, bold=True)
"""Headers are bold in every application, also those that ignore table styles."""
DATE_FORMAT = "yyyy-mm-dd"
MIN_COLUMN_WIDTH = 8.0
MAX_COLUMN_WIDTH = 60.0
_FILTER_BUTTON_WIDTH = 3.0
_WIDTH_SAMPLE_ROWS = 500

# Number formats shared by every workbook; a handful of formats keeps well below Excel's limit on
# custom formats.
FMT_INTEGER = "#,##0"
FMT_ONE_DECIMAL = "#,##0.0"
FMT_TWO_DECIMALS = "#,##0.00"
FMT_PERCENT = '0.0" %"'
"""For values already in percent (``demand_met_pct`` = 97.5 shows ``97.5 %``)."""
FMT_USD = '"$"#,##0'
FMT_SECONDS = '0.00" s"'
FMT_DAYS = '0.0" d"'


def plain_text(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 forbids, line breaks as LF.

    XML parsers turn every CR and CR LF into LF when they read a file, so normalising here makes
    the text read back exactly as written.
    """
    return ILLEGAL_XML_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def safe_text(text: str) -> str:
    """Return ``text`` as it may be stored in a cell: legal XML, never read as a formula.

    Illegal characters are removed first, so ``"\\x00=1"`` is treated like ``"=1"``; an
    apostrophe is then put in front of a text that starts with a formula trigger, so the text shows
    as written with a visible ``'`` in front.
    """
    cleaned = plain_text(text)
    if cleaned.startswith(FORMULA_TRIGGERS):
        cleaned = "'" + cleaned
    if len(cleaned) > MAX_CELL_CHARS:
        cleaned = cleaned[: MAX_CELL_CHARS - len(TRUNCATION_MARKER)] + TRUNCATION_MARKER
    return cleaned


def cell_value(value: object) -> Any:
    """Convert ``value`` to what a cell should hold: None, bool, int, float, date or safe text.

    Missing values (None, NaN, NaT, pd.NA) and infinities become empty cells; numpy scalars become
    Python numbers; enums their value; sequences of ids ``"A; B"``; aware datetimes naive UTC.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        return cell_value(value.item())
    if isinstance(value, Enum):
        return cell_value(value.value)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, pd.Timestamp):
        return cell_value(value.to_pydatetime())
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, tuple | list):
        return safe_text("; ".join(str(cell_value(item)) for item in value))
    return safe_text(str(value))


def write_cell(
    ws: Any, row: int, column: int, value: object, number_format: str | None = None
) -> Any:
    """Write one value into ``ws`` at (row, column) safely and return the cell.

    This is the only function in the package that assigns a cell value: text is cleaned by
    ``safe_text`` and its type forced to text, so no string ever becomes a formula or error cell.
    """
    cell = ws.cell(row=row, column=column)
    converted = cell_value(value)
    cell.value = converted
    if isinstance(converted, str):
        cell.data_type = "s"
    if number_format is not None:
        cell.number_format = number_format
    elif isinstance(converted, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def check_sheet_title(title: str) -> str:
    """Return ``title`` if Excel accepts it as a sheet name, else raise ``ValueError``."""
    bad = sorted(SHEET_TITLE_FORBIDDEN.intersection(title))
    if not title or len(title) > MAX_SHEET_TITLE_CHARS or bad or title.startswith("'"):
        raise ValueError(
            f"invalid sheet name {title!r}: 1 to {MAX_SHEET_TITLE_CHARS} characters, none of "
            f"{''.join(sorted(SHEET_TITLE_FORBIDDEN))}, not starting with an apostrophe"
        )
    return title


def add_sheet(wb: Any, title: str) -> Any:
    """Create a worksheet named ``title`` (checked) at the end of ``wb`` and return it."""
    return wb.create_sheet(check_sheet_title(title))


def check_table_name(wb: Any, name: str) -> str:
    """Return ``name`` if it is a valid Excel table name not yet used in ``wb``, else raise."""
    if not TABLE_NAME_RE.match(name) or _CELL_REFERENCE_RE.match(name):
        raise ValueError(
            f"invalid table name {name!r}: start with a letter or underscore, then letters, digits, "
            "underscores or dots, and do not look like a cell reference"
        )
    taken = {table.lower() for ws in wb.worksheets for table in ws.tables}
    if name.lower() in taken:
        raise ValueError(f"table name {name!r} is already used in this workbook")
    return name


@dataclass(frozen=True)
class TableRange:
    """Where a table landed: header row, data rows and the column number of each header."""

    name: str
    header_row: int
    first_row: int
    last_row: int
    columns: Mapping[str, int]
    n_rows: int

    def column_letter(self, header: str) -> str:
        """Spreadsheet letter of the column ``header``."""
        return str(get_column_letter(self.columns[header]))

    def data_range(self, header: str) -> str:
        """A1 range of the data cells of column ``header`` (the blank row when empty)."""
        letter = self.column_letter(header)
        return f"{letter}{self.first_row}:{letter}{self.last_row}"


def write_table(
    ws: Any,
    df: pd.DataFrame,
    name: str,
    number_formats: Mapping[str, str] | None = None,
    *,
    top_row: int = 1,
    left_column: int = 1,
    freeze_header: bool = True,
    style: str = TABLE_STYLE,
    headers: Mapping[str, str] | None = None,
) -> TableRange:
    """Write ``df`` as an Excel table named ``name`` with its top-left corner at (top_row, left_column).

    Headers are the DataFrame's column names, which must be unique non-empty strings that need no
    escaping (they are the contract names liaison teams join on). An empty frame gets a table of
    its header and one blank row, which is how Excel itself stores an empty table. The header is
    frozen when ``freeze_header`` (only sensible for a table at the top of a sheet) and repeated on
    every printed page; columns are widened to fit, never narrowed below what another table on the
    sheet needs. ``number_formats`` maps a header to the format of its data cells.

    ``headers`` gives the header a column shows, by column name, when it is not the name itself
    (a column named in the workbook's language); the returned ``TableRange`` and
    ``number_formats`` still use the DataFrame's column names.
    """
    renamed = headers or {}
    shown = _checked_headers(pd.Index([renamed.get(c, c) for c in df.columns]))
    columns = [str(column) for column in df.columns]
    check_table_name(ws.parent, name)
    formats = dict(number_formats or {})
    unknown = sorted(set(formats) - set(columns))
    if unknown:
        raise ValueError(f"number formats for columns not in table {name!r}: {unknown}")

    for offset, header in enumerate(shown):
        write_cell(ws, top_row, left_column + offset, header).font = HEADER_FONT
    column_formats = [formats.get(column) for column in columns]
    for row_offset, record in enumerate(df.itertuples(index=False, name=None), start=1):
        for offset, value in enumerate(record):
            write_cell(
                ws, top_row + row_offset, left_column + offset, value, column_formats[offset]
            )

    n_rows = len(df)
    last_row = top_row + max(n_rows, 1)
    last_column = left_column + len(shown) - 1
    ref = f"{get_column_letter(left_column)}{top_row}:{get_column_letter(last_column)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    ws.add_table(table)

    _fit_column_widths(ws, df, shown, left_column)
    if freeze_header:
        ws.freeze_panes = ws.cell(row=top_row + 1, column=left_column).coordinate
        ws.print_title_rows = f"{top_row}:{top_row}"
    return TableRange(
        name=name,
        header_row=top_row,
        first_row=top_row + 1,
        last_row=last_row,
        columns={column: left_column + i for i, column in enumerate(columns)},
        n_rows=n_rows,
    )


def _checked_headers(columns: pd.Index) -> list[str]:
    """The column names as table headers, refusing anything Excel would reject or repair."""
    headers = list(columns)
    for header in headers:
        if not isinstance(header, str) or not header or safe_text(header) != header:
            raise ValueError(f"table header {header!r} must be a non-empty plain string")
    lowered = [header.lower() for header in headers]
    if len(set(lowered)) != len(lowered):
        raise ValueError(f"table headers must be unique (ignoring case): {headers}")
    if not headers:
        raise ValueError("a table needs at least one column")
    return [str(header) for header in headers]


def _display_width(value: object) -> float:
    """Approximate width in characters of a value as it shows in a cell."""
    shown = cell_value(value)
    if shown is None:
        return 0.0
    if isinstance(shown, float):
        return float(len(f"{shown:,.2f}"))
    if isinstance(shown, dt.datetime):
        return 19.0
    if isinstance(shown, dt.date):
        return 10.0
    longest_line = max(str(shown).splitlines() or [""], key=len)
    return float(len(longest_line))


def _fit_column_widths(ws: Any, df: pd.DataFrame, headers: Sequence[str], left_column: int) -> None:
    """Set each column wide enough for its header and (a sample of) its values."""
    sample = df.head(_WIDTH_SAMPLE_ROWS)
    for offset, header in enumerate(headers):
        values = sample.iloc[:, offset].tolist()
        needed = max([len(header) + _FILTER_BUTTON_WIDTH, *(_display_width(v) + 1 for v in values)])
        width = min(max(needed, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
        letter = get_column_letter(left_column + offset)
        current = ws.column_dimensions[letter].width if letter in ws.column_dimensions else 0.0
        ws.column_dimensions[letter].width = max(width, current)


def set_print_layout(ws: Any, *, landscape: bool = True) -> None:
    """Fit the sheet to the page width when printed (as many pages down as it needs)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def save_atomically(wb: Any, path: Path) -> None:
    """Save ``wb`` to ``path`` so that readers only ever see the old file or the complete new one.

    ``logistics.io.atomic.write_atomically`` writes to a temporary file beside ``path`` and renames
    it into place, removing it on any error; the workbook is flushed to disk before the rename.
    """
    write_atomically(Path(path), lambda temporary: _save_durably(wb, temporary))


def _save_durably(wb: Any, path: Path) -> None:
    """Save ``wb`` to ``path`` and make sure the bytes are on disk before returning.

    The zip archive is closed here whatever happens: openpyxl's own ``save`` leaves it open when
    writing fails (a full disk, a signal), and the garbage collector's attempt to close it later
    prints a traceback ("Exception ignored in ZipFile.__del__") after the proper message.
    """
    with path.open("wb") as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
            ExcelWriter(wb, archive).write_data()
        handle.flush()
        os.fsync(handle.fileno())
