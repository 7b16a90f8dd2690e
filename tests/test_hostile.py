"""Hostile and foreign files: each is refused with a plain message, quickly, in bounded memory.

The limits asserted (2 s, 200 MB of resident memory growth) are far above what a refusal costs and
far below what the attacks would cost if they got through (a billion-laughs expansion or a 1 GB
zip bomb unpacked in memory).
"""

from __future__ import annotations

import hashlib
import resource
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from logistics.cli import app
from logistics.errors import InputError, listed
from logistics.io import reader, security
from logistics.io.reader import load
from tests.workbooks import (
    ZIP_FLAGS,
    ZIP_METHOD,
    ZIP_UNCOMPRESSED_SIZE,
    patch_zip_entry,
    rewrite_parts,
    sheet_part,
)

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
    patch_zip_entry(data, part.encode(), ZIP_UNCOMPRESSED_SIZE, (100).to_bytes(4, "little"))
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


# --------------------------------------------------------------------------------------------------
# Damaged archives: every part is unpacked inside the pre-flight's error handling
# --------------------------------------------------------------------------------------------------


def _crafted(
    good_workbook: Path, tmp_path: Path, name: str, craft: Callable[[bytearray, bytes], None]
) -> Path:
    """The good workbook with the Routes sheet's zip entry changed by ``craft``."""
    data = bytearray(good_workbook.read_bytes())
    craft(data, sheet_part(good_workbook, "Routes").encode())
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def _corrupt_deflate_stream(data: bytearray, name: bytes) -> None:
    """Garble the compressed bytes of ``name`` (what a cut or damaged download does)."""
    start = data.find(b"PK\x03\x04")
    while start != -1:
        name_length = int.from_bytes(data[start + 26 : start + 28], "little")
        extra_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 30 : start + 30 + name_length] == name:
            body = start + 30 + name_length + extra_length
            data[body : body + 64] = b"\xff" * 64
            return
        start = data.find(b"PK\x03\x04", start + 4)
    raise AssertionError(name)


def test_a_corrupt_deflate_stream_is_a_damaged_file_not_a_traceback(
    good_workbook: Path, tmp_path: Path
) -> None:
    path = _crafted(good_workbook, tmp_path, "cut.xlsx", _corrupt_deflate_stream)
    message = refusal(path)
    assert (
        "cut.xlsx: the workbook is damaged: a part of it does not unpack (error: Error -3 while decompressing data"
        in message
    )
    assert "fetch the file again, or open it in Excel and save it again" in message


def test_a_member_flagged_encrypted_is_refused(good_workbook: Path, tmp_path: Path) -> None:
    def encrypt(data: bytearray, name: bytes) -> None:
        patch_zip_entry(data, name, ZIP_FLAGS, b"\x01\x00")

    part = sheet_part(good_workbook, "Routes")
    message = refusal(_crafted(good_workbook, tmp_path, "locked.xlsx", encrypt))
    assert message.endswith(
        f"locked.xlsx: the part '{part}' is encrypted inside the archive, which spreadsheet "
        "programs never do: the file is damaged or not a workbook"
    )


def test_an_unknown_compression_method_is_refused(good_workbook: Path, tmp_path: Path) -> None:
    def deflate64(data: bytearray, name: bytes) -> None:
        patch_zip_entry(data, name, ZIP_METHOD, b"\x09\x00")

    part = sheet_part(good_workbook, "Routes")
    message = refusal(_crafted(good_workbook, tmp_path, "method9.xlsx", deflate64))
    assert message.endswith(
        f"method9.xlsx: the part '{part}' is packed with compression method 9, which "
        "spreadsheet programs never use: the file is damaged or not a workbook"
    )


def test_a_truncated_download_is_a_damaged_archive(good_workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good_workbook.read_bytes()[:5000])
    assert "not an .xlsx workbook (its zip archive is damaged: File is not a zip file)" in refusal(
        path
    )


def test_a_damaged_file_exits_2_without_a_traceback(good_workbook: Path, tmp_path: Path) -> None:
    path = _crafted(good_workbook, tmp_path, "cut.xlsx", _corrupt_deflate_stream)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "the workbook is damaged" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------------
# Limits by decoded content, not raw bytes
# --------------------------------------------------------------------------------------------------


def _cells_sheet(cells: int, encoding: str = "utf-8") -> bytes:
    """A sheet of ``cells`` numbers, ten to a row, encoded as a program could save it."""
    rows = "".join(
        f'<row r="{n // 10 + 1}">'
        + "".join(f"<c><v>{v}</v></c>" for v in range(n, min(n + 10, cells)))
        + "</row>"
        for n in range(0, cells, 10)
    )
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?><worksheet '
        + MAIN_NS.decode()
        + f"><sheetData>{rows}</sheetData></worksheet>"
    )
    return text.encode(encoding)


def test_a_utf16_sheet_is_counted_like_its_utf8_twin(good_workbook: Path, tmp_path: Path) -> None:
    """Raw-byte counting saw no ``<c`` in UTF-16 and let 2.4 M cells through to openpyxl."""
    part = sheet_part(good_workbook, "Units")
    for encoding in ("utf-8", "utf-16"):
        sheet = _cells_sheet(security.MAX_CELLS + 1, encoding)
        path = rewrite_parts(good_workbook, tmp_path / f"{encoding}.xlsx", {part: sheet})
        assert (
            "the workbook holds more than 200,000 cells (the sheet Units passes that count)"
            in refusal(path)
        )


def test_a_part_in_an_encoding_no_spreadsheet_writes_is_refused(
    good_workbook: Path, tmp_path: Path
) -> None:
    """UTF-32 would hide every element from a count made in UTF-8 or UTF-16."""
    part = sheet_part(good_workbook, "Units")
    path = rewrite_parts(good_workbook, tmp_path / "utf32.xlsx", {part: _cells_sheet(10, "utf-32")})
    assert refusal(path).endswith(
        "utf32.xlsx: the part Units is encoded in utf-32, which spreadsheet programs never use: "
        "the file is damaged or not a workbook"
    )


def test_cells_are_counted_across_sheets(good_workbook: Path, tmp_path: Path) -> None:
    half = _cells_sheet(security.MAX_CELLS // 2 + 1)
    changes = {sheet_part(good_workbook, title): half for title in ("Units", "Demands")}
    path = rewrite_parts(good_workbook, tmp_path / "halves.xlsx", changes)
    assert "the workbook holds more than 200,000 cells" in refusal(path)


def test_too_many_shared_strings(good_workbook: Path, tmp_path: Path) -> None:
    """openpyxl holds every shared string in memory: 9 M of them took 1.56 GB."""
    strings = (
        b"<sst "
        + MAIN_NS
        + b">"
        + b"".join(b"<si><t>%d</t></si>" % n for n in range(security.MAX_SHARED_STRINGS + 1))
        + b"</sst>"
    )
    with zipfile.ZipFile(good_workbook) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
        )
    path = rewrite_parts(
        good_workbook,
        tmp_path / "strings.xlsx",
        {"xl/sharedStrings.xml": strings, "[Content_Types].xml": types},
    )
    assert "shared strings table holds more than 100,000 texts" in refusal(path)


def test_shared_strings_of_too_many_characters(
    good_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is lowered so that the test need not build 16 MB of text that does not
    compress (text that compresses well is refused as a zip bomb first)."""
    monkeypatch.setattr(security, "MAX_SHARED_STRINGS_CHARS", 1000)
    strings = b"<sst " + MAIN_NS + b"><si><t>" + b"x" * 1000 + b"</t></si></sst>"
    path = rewrite_parts(good_workbook, tmp_path / "long.xlsx", {"xl/sharedStrings.xml": strings})
    assert "shared strings table holds more than 1,000 characters" in refusal(path)


# --------------------------------------------------------------------------------------------------
# Macros and passwords
# --------------------------------------------------------------------------------------------------


def test_a_macro_part_by_any_name_is_refused(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_parts(
        good_workbook, tmp_path / "macros.xlsx", {"xl/vbaProject1.bin": b"\x00" * 64}
    )
    assert refusal(path).endswith(
        "macros.xlsx: macro-enabled workbooks (.xlsm) are refused: save it as 'Excel Workbook (.xlsx)'"
    )


def test_a_macro_content_type_is_refused(good_workbook: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good_workbook) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
    path = rewrite_parts(
        good_workbook,
        tmp_path / "code.xlsx",
        {"[Content_Types].xml": types, "xl/code.bin": b"\x00"},
    )
    assert "macro-enabled workbooks (.xlsm) are refused" in refusal(path)


def test_a_password_protected_workbook_is_not_called_an_old_xls(tmp_path: Path) -> None:
    """Excel saves an encrypted .xlsx as an OLE file holding an EncryptedPackage stream."""
    path = tmp_path / "secret.xlsx"
    path.write_bytes(
        security.OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    )
    message = refusal(path)
    assert (
        "secret.xlsx: the workbook is protected with a password (encrypted), so it cannot be read"
        in message
    )
    assert ".xls workbook" not in message


# --------------------------------------------------------------------------------------------------
# One read: the bytes checked are the bytes parsed and hashed
# --------------------------------------------------------------------------------------------------


def test_the_bytes_checked_are_the_bytes_parsed_and_hashed(
    good_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is replaced right after its check: what was checked is still what is read."""
    original = good_workbook.read_bytes()
    check = reader.check_workbook_file

    def check_then_replace(path: Path) -> security.WorkbookFile:
        checked = check(path)
        path.write_bytes(b"PK\x03\x04 something else")
        return checked

    monkeypatch.setattr(reader, "check_workbook_file", check_then_replace)
    loaded = load(good_workbook)
    assert loaded.sha256 == hashlib.sha256(original).hexdigest()
    assert len(loaded.scenario.bases) == 3


def test_long_lists_in_messages_are_cut() -> None:
    assert listed([f"U{n}" for n in range(100_000)]) == (
        "U0, U1, U2, U3, U4, U5, U6, U7, U8, U9 … and 99,990 more"
    )
    assert listed(["A", "B"]) == "A, B"


def test_a_message_about_many_units_stays_short(good_workbook: Path, tmp_path: Path) -> None:
    """One message once listed every unit id of the sheet (about 1 MB for 100 k rows)."""
    workbook = openpyxl.load_workbook(good_workbook)
    units = workbook["Units"]
    header = [cell.value for cell in units[1]]
    for number in range(5000):
        row = dict.fromkeys(header)
        row.update(
            unit_id=f"U{number}",
            country="Testland",
            unit_type="infantry",
            strength=10,
            current_base_id="HUB",
            may_move="no",
        )
        units.append([row[h] for h in header])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    message = refusal(path)
    assert "… and 4," in message
    assert len(message) < 5000
