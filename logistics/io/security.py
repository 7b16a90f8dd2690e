"""Defences against hostile or broken workbook files.

A workbook is a zip archive of XML parts, and both layers can be turned into weapons: a zip bomb
unpacks to gigabytes, an XML entity bomb ("billion laughs") expands in memory, an external entity
reads local files, a macro-enabled workbook carries code. Everything here runs before, or wraps,
openpyxl, so a hostile file is refused with a plain message instead of exhausting the machine.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from openpyxl.workbook.workbook import Workbook

from logistics.errors import InputError, Issue, UnreadableFileError

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
MAX_ROWS_PER_SHEET = 50_000
"""Most rows read from one sheet, blank rows included."""
MAX_COLUMNS = 256
"""Widest header row accepted."""
MAX_CELLS = 200_000
"""Most cells in all the workbook's sheets together, counted in the decoded XML before openpyxl
starts. Reading costs about 25 µs and 1.5 kB per cell, so this keeps any accepted workbook within
about 10 s and 500 MB (the Mali mission holds a few thousand cells)."""
MAX_SHARED_STRINGS = 100_000
"""Most entries in the shared strings table, which openpyxl holds in memory all at once."""
MAX_SHARED_STRINGS_CHARS = 16 * 2**20
"""Most characters of decoded XML in the shared strings table."""
MAX_PART_CHARS = 64 * 2**20
"""Most characters of decoded XML in any one part (a sheet padded with text or blanks)."""

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
"""The stream an OLE file holds when Excel encrypted a workbook with a password."""
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MAX_CONTENT_TYPES_BYTES = 2**20
COMPRESSION_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
"""Compression methods spreadsheet programs write; others are refused before unpacking."""
MACRO_MARKERS = (b"macroenabled", b"vbaproject")
"""Lower-case words in ``[Content_Types].xml`` that only macro-enabled workbooks use."""
MACRO_REFUSAL = "macro-enabled workbooks (.xlsm) are refused: save it as 'Excel Workbook (.xlsx)'"


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


@dataclass(frozen=True)
class WorkbookFile:
    """A workbook's bytes, read once: the bytes checked are the bytes parsed and hashed."""

    path: Path
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        """SHA-256 of the bytes read (the Run sheet's input hash)."""
        return hashlib.sha256(self.data).hexdigest()


def check_workbook_file(path: Path) -> WorkbookFile:
    """Read a workbook file once and pre-flight its bytes; raise ``UnreadableFileError`` (an
    ``InputError`` about the whole file) if it is unsafe or damaged.

    Checks that the file exists, is of sane size, is a zip archive (not an old ``.xls`` or an
    encrypted workbook), that the archive's directory promises nothing hostile (entry count,
    unpacked size, compression ratio and method, encryption, part names), that it is a plain
    ``.xlsx`` workbook rather than a macro-enabled or binary one, and that its decoded XML stays
    within the cell and string budgets. Every byte is unpacked inside this check's error
    handling, so a damaged archive is a message, never a traceback.
    """
    problem = _file_problem(path)
    if problem:
        raise UnreadableFileError([_file_issue(path, problem)])
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UnreadableFileError(
            [_file_issue(path, f"the file cannot be read ({error.strerror})")]
        ) from None
    problem = _content_problem(data) or _archive_problem(data)
    if problem:
        raise UnreadableFileError([_file_issue(path, problem)])
    return WorkbookFile(path, data)


def _file_problem(path: Path) -> str | None:
    """What is wrong with the file itself, before reading it."""
    if not path.exists():
        return "file not found"
    if not path.is_file():
        return "not a file (a folder or a device): give the path of an .xlsx workbook"
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes): it is not an .xlsx workbook"
    if size > MAX_FILE_BYTES:
        return f"the file is {size:,} bytes; workbooks of more than {MAX_FILE_BYTES:,} bytes are refused"
    return None


def _content_problem(data: bytes) -> str | None:
    """What kind of file the bytes are, before unpacking anything."""
    if not data:
        return "the file is empty (0 bytes): it is not an .xlsx workbook"
    if len(data) > MAX_FILE_BYTES:
        return f"the file is more than {MAX_FILE_BYTES:,} bytes; larger workbooks are refused"
    if data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in data:
        return (
            "the workbook is protected with a password (encrypted), so it cannot be read: "
            "open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
            "with Password) and save it as 'Excel Workbook (.xlsx)'"
        )
    if data.startswith(OLE_MAGIC):
        return (
            "this is an old binary Excel .xls workbook (or another OLE file), not an .xlsx: "
            "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
        )
    if not data.startswith(ZIP_MAGIC):
        return "not an .xlsx workbook (it is not a zip archive)"
    return None


_DAMAGED = (
    "the workbook is damaged: a part of it does not unpack ({error}); a download or copy may "
    "have been cut short: fetch the file again, or open it in Excel and save it again"
)


def _archive_problem(data: bytes) -> str | None:
    """What is wrong with the zip archive: its directory, its parts and their decoded XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            return _entries_problem(infos) or _parts_problem(archive, {i.filename for i in infos})
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        return f"not an .xlsx workbook (its zip archive is damaged: {error})"
    # Each part is unpacked here, so any failure to unpack is the file's (zlib.error for a cut
    # deflate stream, EOFError, NotImplementedError or RuntimeError from zipfile).
    except (zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as error:
        return _DAMAGED.format(error=_first_line(error))


def _entries_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """Entry count, unpacked size, compression ratio and method, encryption and part names."""
    if len(infos) > MAX_ENTRIES:
        return f"the archive holds {len(infos):,} parts; more than {MAX_ENTRIES:,} is refused"
    total = 0
    for info in infos:
        problem = _entry_problem(info)
        if problem:
            return problem
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        return f"the workbook unpacks to {total:,} bytes; more than {MAX_UNCOMPRESSED_BYTES:,} is refused"
    return None


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    """What is wrong with one zip entry, from its directory record alone."""
    name = info.filename
    if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
        return f"the archive holds a part with an unsafe name ({name!r})"
    if info.flag_bits & 0x1:
        return (
            f"the part {name!r} is encrypted inside the archive, which spreadsheet programs never "
            "do: the file is damaged or not a workbook"
        )
    if info.compress_type not in COMPRESSION_METHODS:
        return (
            f"the part {name!r} is packed with compression method {info.compress_type}, which "
            "spreadsheet programs never use: the file is damaged or not a workbook"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
        return (
            f"the part {name!r} unpacks {ratio:,.0f} times larger than it is stored "
            f"(a zip bomb); more than {MAX_COMPRESSION_RATIO} times is refused"
        )
    return None


def _parts_problem(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """Is this a plain .xlsx workbook (not .xlsb, not macro-enabled, not another zip file)?"""
    if "xl/workbook.bin" in names:
        return "this is a binary .xlsb workbook: save it as 'Excel Workbook (.xlsx)' and try again"
    if any("vbaproject" in name.lower() for name in names):
        return MACRO_REFUSAL
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if missing:
        return f"not an .xlsx workbook (the archive has no {' or '.join(missing)})"
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > MAX_CONTENT_TYPES_BYTES:
        return "not an .xlsx workbook (its [Content_Types].xml is implausibly large)"
    types = archive.read(content_types).lower()
    if any(marker in types for marker in MACRO_MARKERS):
        return MACRO_REFUSAL
    return _xml_size_problem(archive)


# A row, cell or shared-string element, with or without a namespace prefix: <row r="2">, <x:c/>.
_ROW_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?row[\s/>]")
_CELL_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_STRING_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?si[\s/>]")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")
_CHUNK_BYTES = 2**20
XML_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "cp1252")
)
"""Encodings whose parts are counted (and parsed); XML parsers read these, and Excel writes UTF-8.
Any other is refused, so that no part can hide its elements from the count."""


@dataclass
class _XmlCounts:
    """What one XML part holds, counted in its decoded text."""

    encoding: str
    rows: int = 0
    cells: int = 0
    strings: int = 0
    chars: int = 0


def _xml_size_problem(archive: zipfile.ZipFile) -> str | None:
    """Count rows, cells, shared strings and characters of every XML part, decoded, before
    openpyxl parses any of it.

    openpyxl scans a whole sheet just to size it when the sheet does not declare its dimension,
    and holds every shared string in memory, so an absurd workbook must be refused from a cheap
    scan rather than while parsing. Counting the decoded text (not the raw bytes) means a sheet
    saved in UTF-16 is counted like its UTF-8 twin. The unpacked size was capped already, which
    bounds this scan; it stops as soon as a limit is passed.
    """
    titles = _sheet_titles(archive)
    cells = 0
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            counts = _count_xml(stream, MAX_CELLS - cells)
        cells += counts.cells
        sheet = titles.get(info.filename, info.filename)
        problem = _counts_problem(sheet, counts, cells, info.filename.endswith("sharedStrings.xml"))
        if problem:
            return problem
    return None


def _counts_problem(sheet: str, counts: _XmlCounts, cells: int, shared: bool) -> str | None:
    """The limit one part (or the workbook so far) passes, if any."""
    if counts.encoding not in XML_ENCODINGS:
        return (
            f"the part {sheet} is encoded in {counts.encoding}, which spreadsheet programs never "
            "use: the file is damaged or not a workbook"
        )
    if counts.rows > MAX_ROWS_PER_SHEET:
        return f"the sheet {sheet} holds more than {MAX_ROWS_PER_SHEET:,} rows: far more than a mission workbook needs"
    if cells > MAX_CELLS:
        return f"the workbook holds more than {MAX_CELLS:,} cells (the sheet {sheet} passes that count): far more than a mission workbook needs"
    if counts.strings > MAX_SHARED_STRINGS:
        return f"the workbook's shared strings table holds more than {MAX_SHARED_STRINGS:,} texts: far more than a mission workbook needs"
    if shared and counts.chars > MAX_SHARED_STRINGS_CHARS:
        return f"the workbook's shared strings table holds more than {MAX_SHARED_STRINGS_CHARS:,} characters: far more than a mission workbook needs"
    if counts.chars > MAX_PART_CHARS:
        return f"the part {sheet} holds more than {MAX_PART_CHARS:,} characters of XML: far more than a mission workbook needs"
    return None


def _count_xml(stream: IO[bytes], cells_left: int) -> _XmlCounts:
    """Rows, cells, shared strings and characters in an XML stream, decoded in chunks cut before
    the last ``<``; counting stops once any limit is passed, as the verdict is known."""
    first = stream.read(_CHUNK_BYTES)
    counts = _XmlCounts(_xml_encoding(first))
    if counts.encoding not in XML_ENCODINGS:
        return counts
    decoder = codecs.getincrementaldecoder(counts.encoding)(errors="replace")
    pending = ""
    chunk = first
    while chunk:
        text = pending + decoder.decode(chunk)
        cut = text.rfind("<")
        complete, pending = (text[:cut], text[cut:]) if cut > 0 else (text, "")
        _add_counts(counts, complete)
        if _passed(counts, cells_left):
            return counts
        chunk = stream.read(_CHUNK_BYTES)
    _add_counts(counts, pending + decoder.decode(b"", final=True))
    return counts


def _add_counts(counts: _XmlCounts, text: str) -> None:
    counts.rows += len(_ROW_TAG.findall(text))
    counts.cells += len(_CELL_TAG.findall(text))
    counts.strings += len(_STRING_TAG.findall(text))
    counts.chars += len(text)


def _passed(counts: _XmlCounts, cells_left: int) -> bool:
    return (
        counts.rows > MAX_ROWS_PER_SHEET
        or counts.cells > cells_left
        or counts.strings > MAX_SHARED_STRINGS
        or counts.chars > MAX_PART_CHARS
    )


def _xml_encoding(start: bytes) -> str:
    """The encoding of an XML part from its byte-order mark, first bytes or declaration."""
    if start.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"<\x00\x00\x00", b"\x00\x00\x00<")
    ):
        return "utf-32"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if start.startswith(b"<\x00"):
        return "utf-16-le"
    if start.startswith(b"\x00<"):
        return "utf-16-be"
    declared = _DECLARED_ENCODING.match(start.removeprefix(codecs.BOM_UTF8))
    if declared:
        name = declared.group(1).decode("ascii")
        with contextlib.suppress(LookupError):
            return codecs.lookup(name).name
    return "utf-8"


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
        raise UnreadableFileError([_file_issue(path, message)]) from None


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
def open_workbook(source: WorkbookFile, *, data_only: bool) -> Iterator[Workbook]:
    """Open a pre-flighted workbook for streaming from the bytes that were checked, and close it
    whatever happens.

    The bytes are parsed from memory, never re-read from the path: the file may have changed
    since it was checked and hashed. External links are never loaded.
    """
    workbook = openpyxl.load_workbook(
        io.BytesIO(source.data), read_only=True, data_only=data_only, keep_links=False
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
