"""Hostile and foreign files: each is refused with a plain message, quickly, in bounded memory.

The limits asserted (2 s, 200 MB of resident memory growth) are far above what a refusal costs and
far below what the attacks would cost if they got through (a billion-laughs expansion or a 1 GB
zip bomb unpacked in memory).
"""

from __future__ import annotations

import resource
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from logistics import security
from logistics.errors import InputError
from logistics.reader import load
from tests.workbooks import rewrite_parts, sheet_part

SECONDS = 2.0
MEMORY_BYTES = 200 * 2**20

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""

MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADERS_OF_BASES = (b"base_id", b"kind", b"sector", b"latitude_deg", b"longitude_deg", b"name")


def refusal(path: Path) -> str:
    """Load ``path`` and return the refusal message, checking time and memory on the way."""
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    with pytest.raises(InputError) as raised:
        load(path)
    elapsed = time.perf_counter() - started
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - memory_before
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    assert growth < MEMORY_BYTES, f"resident memory grew by {growth / 2**20:.0f} MB"
    return str(raised.value)


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def test_billion_laughs_in_shared_strings(good_workbook: Path, tmp_path: Path) -> None:
    strings = (
        BILLION_LAUGHS
        + b"<sst "
        + MAIN_NS
        + b' count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    with zipfile.ZipFile(good_workbook) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
        )
    path = rewrite_parts(
        good_workbook,
        tmp_path / "laughs.xlsx",
        {"xl/sharedStrings.xml": strings, "[Content_Types].xml": types},
    )
    assert "XML entity or DTD declarations" in refusal(path)


def test_billion_laughs_in_a_sheet(good_workbook: Path, tmp_path: Path) -> None:
    sheet = (
        BILLION_LAUGHS
        + b"<worksheet "
        + MAIN_NS
        + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    part = sheet_part(good_workbook, "Routes")
    path = rewrite_parts(good_workbook, tmp_path / "laughs.xlsx", {part: sheet})
    assert "XML entity or DTD declarations" in refusal(path)


def test_external_entity_is_refused_and_never_read(good_workbook: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
        + b"<worksheet "
        + MAIN_NS
        + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    part = sheet_part(good_workbook, "Bases")
    path = rewrite_parts(good_workbook, tmp_path / "xxe.xlsx", {part: sheet})
    message = refusal(path)
    assert "XML entity or DTD declarations" in message
    assert "TOP-SECRET" not in message


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook whose Routes sheet is 1 GiB of zeros, deflated to about 1 MB."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    chunk = bytes(2**20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(1024):
                sheet.write(chunk)
    return path


def test_zip_bomb(zip_bomb: Path) -> None:
    assert "zip bomb" in refusal(zip_bomb)


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for index in range(security.MAX_ENTRIES + 1):
            archive.writestr(f"xl/media/p{index}.bin", b"")
    assert "parts; more than 1,000 is refused" in refusal(path)


def test_part_name_escaping_the_archive(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_parts(good_workbook, tmp_path / "escape.xlsx", {"../../evil.xml": b"<x/>"})
    assert "unsafe name" in refusal(path)


def _patch_sizes(data: bytearray, name: bytes, size: int) -> None:
    """Rewrite the uncompressed size of ``name`` in its local header and its directory entry."""
    local = data.find(b"PK\x03\x04" + bytes(0), 0)
    while local != -1:
        name_length = int.from_bytes(data[local + 26 : local + 28], "little")
        if data[local + 30 : local + 30 + name_length] == name:
            data[local + 22 : local + 26] = size.to_bytes(4, "little")
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == name:
            data[central + 24 : central + 28] = size.to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)


def test_forged_sizes_in_the_zip_headers(good_workbook: Path, tmp_path: Path) -> None:
    """A sheet that claims to unpack to 100 bytes but holds 150 MB passes the directory checks."""
    part = sheet_part(good_workbook, "Units")

    def rows() -> Iterator[bytes]:
        yield b"<worksheet " + MAIN_NS + b"><sheetData>"
        for number in range(1, 50_001):
            yield b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (number, number, number) * 1
        yield b"</sheetData></worksheet>" + b" " * (150 * 2**20)

    bloated = rewrite_parts(good_workbook, tmp_path / "bloated.xlsx", {part: b"".join(rows())})
    data = bytearray(bloated.read_bytes())
    _patch_sizes(data, part.encode(), 100)
    forged = tmp_path / "forged.xlsx"
    forged.write_bytes(bytes(data))
    assert "damaged" in refusal(forged)


def test_zip_magic_followed_by_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    assert "its zip archive is damaged" in refusal(path)


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("base_id,name\nGAO,Gao\n")
    assert "not an .xlsx workbook (it is not a zip archive)" in refusal(path)


def test_old_binary_xls(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(security.OLE_MAGIC + bytes(4096))
    assert "old binary Excel .xls" in refusal(path)


def test_macro_enabled_workbook(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_parts(
        good_workbook, tmp_path / "macros.xlsm", {"xl/vbaProject.bin": b"\x00" * 64}
    )
    assert "macro-enabled workbooks (.xlsm) are refused" in refusal(path)


def test_macro_enabled_content_type(good_workbook: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good_workbook) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    path = rewrite_parts(good_workbook, tmp_path / "macros.xlsx", {"[Content_Types].xml": types})
    assert "macro-enabled" in refusal(path)


def test_binary_xlsb(tmp_path: Path) -> None:
    path = tmp_path / "binary.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.bin", b"\x00" * 16)
    assert "binary .xlsb workbook" in refusal(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.touch()
    assert "the file is empty" in refusal(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in refusal(tmp_path / "nowhere.xlsx")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert "not a file" in refusal(tmp_path)


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    assert "holds none of the expected sheets" in refusal(path)


def test_absurd_row_count(good_workbook: Path, tmp_path: Path) -> None:
    """A million rows and no declared dimension, so nothing but the rows themselves says so."""

    def rows() -> Iterator[bytes]:
        yield b"<worksheet " + MAIN_NS + b"><sheetData>"
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>route_id</t></is></c></row>'
        for number in range(2, 2**20 + 1):
            yield b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (number, number, number)
        yield b"</sheetData></worksheet>"

    part = sheet_part(good_workbook, "Routes")
    path = rewrite_parts(good_workbook, tmp_path / "rows.xlsx", {part: b"".join(rows())})
    assert "the sheet Routes holds more than 50,000 rows" in refusal(path)


def test_rows_declared_far_below_are_capped_while_reading(
    good_workbook: Path, tmp_path: Path
) -> None:
    """Two rows, the second numbered 1,048,576: only counting rows while reading catches it."""
    sheet = (
        b"<worksheet "
        + MAIN_NS
        + b'><sheetData><row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (letter, header)
            for letter, header in zip(
                (b"A", b"B", b"C", b"D", b"E", b"F"), HEADERS_OF_BASES, strict=True
            )
        )
        + b"</row>"
        + b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>X</t></is></c></row></sheetData></worksheet>'
    )
    part = sheet_part(good_workbook, "Bases")
    path = rewrite_parts(good_workbook, tmp_path / "far.xlsx", {part: sheet})
    message = refusal(path)
    assert "Bases" in message
    assert "goes on past row 50,000" in message


def test_refuses_to_run_without_defused_xml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        security.require_defused_xml()


def test_defused_xml_is_active() -> None:
    assert openpyxl.DEFUSEDXML is True
