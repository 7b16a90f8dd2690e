"""Defences against hostile or broken workbook files.

A workbook is a zip archive of XML parts, and both layers can be turned into weapons: a zip bomb
unpacks to gigabytes, an XML entity bomb ("billion laughs") expands in memory, an external entity
reads local files, a macro-enabled workbook carries code. Everything here runs before, or wraps,
openpyxl, so a hostile file is refused with a plain message instead of exhausting the machine.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from openpyxl.workbook.workbook import Workbook

from logistics.errors import InputError, Issue

MAX_FILE_BYTES = 50 * 2**20
"""Largest workbook file accepted; mission workbooks are a few hundred kB."""
MAX_ENTRIES = 1000
"""Most parts (zip entries) in a workbook."""
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
"""Most bytes all parts may unpack to."""
MAX_COMPRESSION_RATIO = 100
"""Worksheet XML compresses 10–20×; far more than this is a zip bomb."""
RATIO_CHECK_FROM_BYTES = 2**20
"""Parts smaller than this unpack to too little to matter, whatever their ratio."""
MAX_ROWS_PER_SHEET = 100_000
"""Most rows read from one sheet, blank rows included."""
MAX_COLUMNS = 256
"""Widest header row accepted."""
MAX_CELLS_PER_SHEET = 1_000_000
"""Most cells in one sheet's XML; parsing is the cost, so it is capped before openpyxl starts."""

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MAX_CONTENT_TYPES_BYTES = 2**20


def require_defused_xml() -> None:
    """Refuse to run unless openpyxl parses XML through defusedxml.

    openpyxl only guards against entity bombs when defusedxml is installed and not switched off
    (``OPENPYXL_DEFUSEDXML``); without it a hostile workbook could exhaust memory or read files.
    """
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and do not set "
            "OPENPYXL_DEFUSEDXML to anything but True; refusing to read workbooks without it"
        )


require_defused_xml()


def _file_issue(path: Path, message: str) -> Issue:
    return Issue(sheet=path.name, cell=None, header=None, value=None, message=message)


def check_workbook_file(path: Path) -> None:
    """Pre-flight a workbook file before openpyxl opens it; raise ``InputError`` if it is unsafe.

    Checks that the file exists, is of sane size, is a zip archive (not an old ``.xls``), that the
    archive's directory promises nothing hostile (entry count, unpacked size, compression ratio,
    part names), and that it is a plain ``.xlsx`` workbook rather than a macro-enabled or binary one.
    """
    problem = _file_problem(path) or _archive_problem(path)
    if problem:
        raise InputError([_file_issue(path, problem)])


def _file_problem(path: Path) -> str | None:
    """What is wrong with the file itself, before looking inside it."""
    if not path.exists():
        return "file not found"
    if not path.is_file():
        return "not a file (a folder or a device): give the path of an .xlsx workbook"
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes): it is not an .xlsx workbook"
    if size > MAX_FILE_BYTES:
        return f"the file is {size:,} bytes; workbooks of more than {MAX_FILE_BYTES:,} bytes are refused"
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic == OLE_MAGIC:
        return (
            "this is an old binary Excel .xls workbook (or another OLE file), not an .xlsx: "
            "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
        )
    if not magic.startswith(ZIP_MAGIC):
        return "not an .xlsx workbook (it is not a zip archive)"
    return None


def _archive_problem(path: Path) -> str | None:
    """What is wrong with the zip archive's directory and parts list, without unpacking it."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            return _entries_problem(infos) or _parts_problem(archive, {i.filename for i in infos})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        return f"not an .xlsx workbook (its zip archive is damaged: {error})"


def _entries_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """Entry count, unpacked size, compression ratio and part names."""
    if len(infos) > MAX_ENTRIES:
        return f"the archive holds {len(infos):,} parts; more than {MAX_ENTRIES:,} is refused"
    total = 0
    for info in infos:
        name = info.filename
        if (
            name.startswith(("/", "\\"))
            or ".." in name.replace("\\", "/").split("/")
            or ":" in name
        ):
            return f"the archive holds a part with an unsafe name ({name!r})"
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            return (
                f"the part {name!r} unpacks {ratio:,.0f} times larger than it is stored "
                f"(a zip bomb); more than {MAX_COMPRESSION_RATIO} times is refused"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        return f"the workbook unpacks to {total:,} bytes; more than {MAX_UNCOMPRESSED_BYTES:,} is refused"
    return None


def _parts_problem(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """Is this a plain .xlsx workbook (not .xlsb, not macro-enabled, not another zip file)?"""
    if "xl/workbook.bin" in names:
        return "this is a binary .xlsb workbook: save it as 'Excel Workbook (.xlsx)' and try again"
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "macro-enabled workbooks (.xlsm) are refused: save it as 'Excel Workbook (.xlsx)'"
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if missing:
        return f"not an .xlsx workbook (the archive has no {' or '.join(missing)})"
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > MAX_CONTENT_TYPES_BYTES:
        return "not an .xlsx workbook (its [Content_Types].xml is implausibly large)"
    if b"macroenabled" in archive.read(content_types).lower():
        return "macro-enabled workbooks (.xlsm) are refused: save it as 'Excel Workbook (.xlsx)'"
    return _sheet_size_problem(archive)


# A row or cell element, with or without a namespace prefix: <row r="2">, <x:c r="A2"/>.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_CHUNK_BYTES = 2**20


def _sheet_size_problem(archive: zipfile.ZipFile) -> str | None:
    """Count the rows and cells of every XML part before openpyxl parses any of it.

    openpyxl scans a whole sheet just to size it when the sheet does not declare its dimension,
    so an absurd sheet must be refused from a cheap byte scan rather than while parsing. The
    unpacked size was capped already, which bounds this scan.
    """
    titles = _sheet_titles(archive)
    for info in archive.infolist():
        if not info.filename.endswith(".xml"):
            continue
        with archive.open(info) as stream:
            rows, cells = _count_rows_and_cells(stream)
        sheet = titles.get(info.filename, info.filename)
        if rows > MAX_ROWS_PER_SHEET:
            return f"the sheet {sheet} holds more than {MAX_ROWS_PER_SHEET:,} rows: far more than a mission workbook needs"
        if cells > MAX_CELLS_PER_SHEET:
            return f"the sheet {sheet} holds more than {MAX_CELLS_PER_SHEET:,} cells: far more than a mission workbook needs"
    return None


def _count_rows_and_cells(stream: IO[bytes]) -> tuple[int, int]:
    """Row and cell elements in an XML stream, read in chunks cut before the last ``<``.

    Counting stops once either limit is passed: the verdict is known.
    """
    rows = cells = 0
    pending = b""
    while chunk := stream.read(_CHUNK_BYTES):
        data = pending + chunk
        cut = data.rfind(b"<")
        complete, pending = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        rows += len(_ROW_TAG.findall(complete))
        cells += len(_CELL_TAG.findall(complete))
        if rows > MAX_ROWS_PER_SHEET or cells > MAX_CELLS_PER_SHEET:
            return rows, cells
    return rows + len(_ROW_TAG.findall(pending)), cells + len(_CELL_TAG.findall(pending))


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet title, from the workbook and its relationships (parsed defused)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        workbook = defused_fromstring(archive.read("xl/workbook.xml"))
        relations = defused_fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, DefusedXmlException, ParseError):
        return {}
    targets = {r.get("Id"): str(r.get("Target", "")) for r in relations}
    titles = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(relation), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        titles[part] = str(sheet.get("name"))
    return titles


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn anything openpyxl raises while reading ``path`` into an ``InputError``.

    openpyxl reports a damaged file with whatever exception its parser happens to hit (KeyError,
    ValueError, zlib errors…), so at this boundary every failure is a damaged file, except defused
    XML attacks, which get their own message. Its warnings about features the planner does not
    use (data validation extensions, missing styles) are not the planner's concern.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except InputError:
        raise
    # At this boundary every failure of the parser is the file's (see the docstring).
    except Exception as error:
        attack = _defused_cause(error)
        message = (
            "the workbook contains XML entity or DTD declarations, a known way to attack "
            f"spreadsheet readers; it is refused ({attack})"
            if attack
            else f"the workbook is damaged and cannot be read ({_first_line(error)})"
        )
        raise InputError([_file_issue(path, message)]) from None


def _defused_cause(error: BaseException) -> str | None:
    """Name of the defusedxml refusal behind ``error`` (openpyxl may wrap it in its own error)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return type(seen).__name__
        seen = seen.__cause__ or seen.__context__
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


@contextlib.contextmanager
def open_workbook(path: Path, *, data_only: bool) -> Iterator[Workbook]:
    """Open a pre-flighted workbook for streaming, and close it (and its file) whatever happens.

    The file is opened here rather than by openpyxl, which leaves its handle open when it fails
    on a damaged file. External links are never loaded.
    """
    with path.open("rb") as stream:
        workbook = openpyxl.load_workbook(
            stream, read_only=True, data_only=data_only, keep_links=False
        )
        try:
            yield workbook
        finally:
            workbook.close()


Row = TypeVar("Row")


def capped_rows(rows: Iterable[Row], sheet: str, first_row: int = 1) -> Iterator[tuple[int, Row]]:
    """Number the rows of a sheet from ``first_row``, refusing more than ``MAX_ROWS_PER_SHEET``.

    The declared sheet dimension (``ws.max_row``) can lie, so the cap is enforced on the rows
    actually parsed.
    """
    for number, row in enumerate(rows, start=first_row):
        if number > MAX_ROWS_PER_SHEET:
            raise InputError(
                [
                    Issue(
                        sheet=sheet,
                        cell=None,
                        header=None,
                        value=None,
                        message=(
                            f"the sheet goes on past row {MAX_ROWS_PER_SHEET:,}: more rows than a "
                            "mission workbook can need (delete the rows below your data)"
                        ),
                    )
                ]
            )
        yield number, row
