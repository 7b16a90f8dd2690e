"""Page set-up of the output workbooks: what prints, on which pages, with which marking.

Every sheet prints landscape on A4, fitted to the page width, its header row repeated on every page
(``xlsx.write_table`` sets the print titles). Each page has a header with the scenario, the security
classification (the ``classification`` setting) and the plan date, and a footer with the sheet,
``page X of Y`` and the classification again, as marked documents carry it top and bottom.

Detail sheets that a briefing pack does not need (every stock point on every day, the cargo of
every convoy, the inputs as solved) stay in the workbook but are not printed: their print area is
one empty cell, a page LibreOffice leaves out and Excel has nothing to print on. A reader who
wants them on paper clears the print area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from logistics.i18n import _
from logistics.io.xlsx import TableRange, plain_text

HEADER_FOOTER_PT = 11
"""Size of the header and footer text, as of the cells: both shrink with the page's scale, which
the sheets keep at 75 % or more so nothing prints below 8 pt."""
MARGIN_IN = 0.4
HEADER_MARGIN_IN = 0.2


@dataclass(frozen=True)
class PrintContext:
    """What every printed page of a workbook says about it."""

    title: str
    """The scenario (or the comparison's) name, shown top left."""
    dated: str
    """When the plan was made, shown top right (e.g. ``plan of 2024-05-01 14:02``)."""
    classification: str


def _escaped(text: str) -> str:
    """``text`` for a header or footer: ampersands doubled so they are not read as codes."""
    return plain_text(text).replace("&", "&&")


def set_page(
    ws: Any, context: PrintContext, *, one_page: bool = False, pages_wide: int = 1
) -> None:
    """Landscape A4 fitted to the page width (``pages_wide`` pages for a sheet of many days; and
    to one page tall when ``one_page``), with the header and footer of ``context`` (the page
    numbers worded in the message language)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 1 if one_page else 0
    margins = ws.page_margins
    margins.left = margins.right = margins.top = margins.bottom = MARGIN_IN
    margins.top = margins.bottom = MARGIN_IN + HEADER_MARGIN_IN
    margins.header = margins.footer = HEADER_MARGIN_IN
    marking = _escaped(context.classification)
    parts = (
        (ws.oddHeader.left, _escaped(context.title)),
        (ws.oddHeader.center, marking),
        (ws.oddHeader.right, _escaped(context.dated)),
        (ws.oddFooter.left, "&A"),
        (ws.oddFooter.center, _("Page &P of &N")),
        (ws.oddFooter.right, marking),
    )
    for part, text in parts:
        part.text = text
        part.size = HEADER_FOOTER_PT
    ws.oddHeader.center.font = ws.oddFooter.right.font = "Calibri,Bold"


def set_print_area(ws: Any, last_row: int, last_column: int) -> None:
    """Print only the block from A1 to (``last_row``, ``last_column``)."""
    ws.print_area = f"A1:{get_column_letter(last_column)}{last_row}"


def exclude_from_print(ws: Any) -> None:
    """Keep the sheet out of the printed pack: its print area is one cell right of and below
    everything on it, which is empty."""
    ws.print_area = f"{get_column_letter(ws.max_column + 2)}{ws.max_row + 2}"


LINE_HEIGHT_PT = 15.0
CHARS_PER_WIDTH = 0.9
"""Characters of wrapped text that fit in one unit of column width: a little under one, so text
set in a wider fallback font (LibreOffice without Calibri's metric twin) still fits."""


def fit_row_heights(ws: Any, first_row: int, last_row: int, columns: Iterable[int]) -> None:
    """Make each row from ``first_row`` to ``last_row`` tall enough for its wrapped text in
    ``columns`` (neither Excel nor LibreOffice grows a row it reads from a file)."""
    wrapped = list(columns)
    for row in range(first_row, last_row + 1):
        lines = 1
        for column in wrapped:
            value = ws.cell(row=row, column=column).value
            if not isinstance(value, str):
                continue  # numbers and dates do not wrap
            width = ws.column_dimensions[get_column_letter(column)].width or 8.43
            per_line = max(int(width * CHARS_PER_WIDTH) - 1, 1)
            lines = max(
                lines, sum(-(-len(part) // per_line) or 1 for part in str(value).split("\n"))
            )
        current = ws.row_dimensions[row].height or LINE_HEIGHT_PT
        if LINE_HEIGHT_PT * lines > current:
            ws.row_dimensions[row].height = LINE_HEIGHT_PT * lines


WRAP_WIDTH = 22.0
"""Text columns wider than this wrap, so a printed page stays readable at 8 pt or more."""
_WRAP = Alignment(wrap_text=True, vertical="top")


def narrow_columns(ws: Any, table: TableRange, widths: Mapping[str, float]) -> None:
    """Set the columns of ``table`` named in ``widths`` to those widths and wrap their cells."""
    for header, width in widths.items():
        ws.column_dimensions[table.column_letter(header)].width = width
        column = table.columns[header]
        for row in range(table.header_row, table.last_row + 1):
            ws.cell(row=row, column=column).alignment = _WRAP
    columns = [table.columns[header] for header in widths]
    fit_row_heights(ws, table.header_row, table.last_row, columns)


def wrap_long_text(
    ws: Any, table: TableRange, frame: pd.DataFrame, printed: int | None = None
) -> None:
    """Narrow the text columns wider than ``WRAP_WIDTH`` among the first ``printed`` (all by
    default) and wrap their cells; columns that do not print keep their width and one line."""
    wide = {
        header: WRAP_WIDTH
        for header in list(table.columns)[:printed]
        if (ws.column_dimensions[table.column_letter(header)].width or 0.0) > WRAP_WIDTH
        and not pd.api.types.is_numeric_dtype(frame[header])
    }
    narrow_columns(ws, table, wide)
