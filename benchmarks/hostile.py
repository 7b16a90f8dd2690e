"""Benchmark: hostile files, user mistakes and faults, run through the command line.

    python -m benchmarks.hostile [--logistics PATH] [--only NAME ...] [--timeout 180]

Builds every case in a temporary folder (from ``inputs/``, with openpyxl and raw zip edits, so
the cases do not depend on the code under test), runs ``logistics`` on it in a child process and
prints one row per case: exit code, whether a traceback was printed, wall time, the child's peak
resident memory (``VmHWM`` of the command's own process, sampled every 50 ms until it ends;
what-if workers are not included)
and what was found afterwards (the input intact, temporary files or worker processes left…).
``--logistics`` points at another installation (e.g. an older commit's venv) to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import psutil

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
MALI = ROOT / "inputs" / "mali.xlsx"
MALI_SCENARIOS = ROOT / "inputs" / "mali-scenarios.xlsx"
MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@dataclass
class Run:
    """How to run one case, and what to look at afterwards."""

    args: list[str]
    signal_after_s: float | None = None
    signal_number: int = signal.SIGTERM
    check: Callable[[], str] = lambda: ""
    file_size_limit: int | None = None
    cleanup: Callable[[], None] = lambda: None


@dataclass
class Outcome:
    """What one run did."""

    exit_code: str
    traceback: bool
    wall_s: float
    peak_mb: float
    found: str
    message: str = ""
    orphans: list[int] = field(default_factory=list)


Builder = Callable[[Path], Run]


# --------------------------------------------------------------------------------------------------
# Building the cases
# --------------------------------------------------------------------------------------------------


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _edited(folder: Path, name: str, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    workbook = openpyxl.load_workbook(TINY)
    edit(workbook)
    path = folder / name
    workbook.save(path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _intact(path: Path, digest: str) -> Callable[[], str]:
    return lambda: "input intact" if _digest(path) == digest else "INPUT OVERWRITTEN"


def _files(folder: Path) -> Callable[[], str]:
    return lambda: ", ".join(sorted(p.name for p in folder.iterdir())) if folder.exists() else "-"


def _part_of(path: Path, title: str) -> str:
    """The zip part of a sheet, found the simple way: openpyxl's own numbering."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


def _rewritten(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            if info.filename not in parts:
                copy.writestr(info, original.read(info.filename))
        for name, content in parts.items():
            copy.writestr(name, content)
    return target


def _patched(source: Path, target: Path, part: str, offsets: tuple[int, int], value: bytes) -> Path:
    """A copy with one header field of ``part`` overwritten in its local and central headers."""
    data = bytearray(source.read_bytes())
    name = part.encode()
    for signature, name_at, offset in (
        (b"PK\x03\x04", 26, offsets[0]),
        (b"PK\x01\x02", 28, offsets[1]),
    ):
        start = data.find(signature)
        while start != -1:
            length = int.from_bytes(data[start + name_at : start + name_at + 2], "little")
            begin = start + name_at + (4 if signature == b"PK\x03\x04" else 18)
            if data[begin : begin + length] == name:
                data[start + offset : start + offset + len(value)] = value
            start = data.find(signature, start + 4)
    target.write_bytes(bytes(data))
    return target


def output_is_input(folder: Path) -> Run:
    source = _copy(TINY, folder / "m.xlsx")
    return Run(
        ["solve", str(source), "--output", str(source)], check=_intact(source, _digest(source))
    )


def output_via_symlink(folder: Path) -> Run:
    source = _copy(TINY, folder / "m.xlsx")
    (folder / "link.xlsx").symlink_to(source)
    return Run(
        ["solve", str(source), "-o", str(folder / "link.xlsx")],
        check=_intact(source, _digest(source)),
    )


def output_dot_slash(folder: Path) -> Run:
    source = _copy(TINY, folder / "m.xlsx")
    return Run(
        ["solve", str(source), "-o", f"{folder}/./m.xlsx"], check=_intact(source, _digest(source))
    )


def whatif_into_input_folder(folder: Path) -> Run:
    source = _copy(TINY, folder / "w" / "base.xlsx")
    args = ["whatif", str(source), "--output-dir", str(source.parent), "--workers", "1"]
    return Run(args, check=_intact(source, _digest(source)))


def _with_scenarios(folder: Path, rows: Sequence[Sequence[object]]) -> Path:
    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.create_sheet("Scenarios")
        sheet.append(["scenario", "sheet", "id", "field", "value", "first_day", "last_day"])
        for row in rows:
            sheet.append(list(row))

    return _edited(folder, "w.xlsx", edit)


def scenario_named_comparison(folder: Path) -> Run:
    source = _with_scenarios(folder, [("comparison", "Routes", "HUB-A", "open", "no", 2, 3)])
    out = folder / "out"
    return Run(["whatif", str(source), "-o", str(out), "--workers", "1"], check=_files(out))


def scenarios_differing_in_case(folder: Path) -> Run:
    rows = [
        ("Close-B", "Routes", "HUB-B", "open", "no", 2, 3),
        ("close-b", "Routes", "HUB-B", "open", "no", 4, 5),
    ]
    source = _with_scenarios(folder, rows)
    out = folder / "out"
    return Run(["whatif", str(source), "-o", str(out), "--workers", "1"], check=_files(out))


def bad_scenario_names(folder: Path) -> Run:
    rows = [
        ("close-a", "Routes", "HUB-A", "open", "no", 2, 3),
        ("x" * 36, "Routes", "HUB-A", "open", "no"),
        ("a/b", "Routes", "HUB-A", "open", "no"),
        (None, "Routes", "HUB-A", "open", "no"),
        ("Base", "Routes", "HUB-A", "open", "no"),
    ]
    source = _with_scenarios(folder, rows)
    out = folder / "out"
    return Run(["whatif", str(source), "-o", str(out), "--workers", "1"], check=_files(out))


def corrupt_deflate(folder: Path) -> Run:
    source = _copy(TINY, folder / "good.xlsx")
    data = bytearray(source.read_bytes())
    part = _part_of(source, "Routes").encode()
    start = data.find(b"PK\x03\x04")
    while start != -1:
        length = int.from_bytes(data[start + 26 : start + 28], "little")
        extra = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 30 : start + 30 + length] == part:
            body = start + 30 + length + extra
            data[body : body + 64] = b"\xff" * 64
        start = data.find(b"PK\x03\x04", start + 4)
    path = folder / "cut.xlsx"
    path.write_bytes(bytes(data))
    return Run(["validate", str(path)])


def encrypted_member(folder: Path) -> Run:
    source = _copy(TINY, folder / "good.xlsx")
    path = _patched(source, folder / "locked.xlsx", _part_of(source, "Routes"), (6, 8), b"\x01\x00")
    return Run(["validate", str(path)])


def compression_method_9(folder: Path) -> Run:
    source = _copy(TINY, folder / "good.xlsx")
    path = _patched(
        source, folder / "method9.xlsx", _part_of(source, "Routes"), (8, 10), b"\x09\x00"
    )
    return Run(["validate", str(path)])


def _many_tankers(folder: Path) -> Path:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook.remove(workbook["Convoys"])
        workbook["Fleet"]["C2"] = 1500

    return _edited(folder, "fleet.xlsx", edit)


def over_1000_vehicles_validate(folder: Path) -> Run:
    return Run(["validate", str(_many_tankers(folder))])


def over_1000_vehicles_solve(folder: Path) -> Run:
    return Run(
        ["solve", str(_many_tankers(folder)), "-o", str(folder / "plan.xlsx")], check=_files(folder)
    )


def base_called_day(folder: Path) -> Run:
    def edit(workbook: openpyxl.Workbook) -> None:
        for sheet in workbook.worksheets:
            if sheet.title in ("Instructions", "Dictionary", "Lists"):
                continue
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.value == "CAMP-A":
                        cell.value = "Day"

    path = _edited(folder, "day.xlsx", edit)
    out = folder / "out"
    return Run(["solve", str(path), "-o", str(out / "plan.xlsx")], check=_files(out))


def shared_strings_3m(folder: Path) -> Run:
    count = 3_000_000
    strings = (
        f"<sst {MAIN_NS}>".encode()
        + b"".join(b"<si><t>s%d</t></si>" % n for n in range(count))
        + b"</sst>"
    )
    source = _copy(TINY, folder / "good.xlsx")
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
        names = archive.namelist()
    if "xl/sharedStrings.xml" not in names:
        types = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    path = _rewritten(
        source,
        folder / "strings.xlsx",
        {"xl/sharedStrings.xml": strings, "[Content_Types].xml": types},
    )
    return Run(["validate", str(path)])


def utf16_sheet_1_2m_cells(folder: Path) -> Run:
    """1.2 M cells, 20 to a row (so within the row cap), in a sheet saved as UTF-16."""
    cells = 1_200_000
    rows = "".join(
        f'<row r="{n // 20 + 2}">'
        + "".join(f"<c><v>{v}</v></c>" for v in range(n, n + 20))
        + "</row>"
        for n in range(0, cells, 20)
    )
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>demand_id</t></is></c></row>'
    text = f'<?xml version="1.0" encoding="UTF-16"?><worksheet {MAIN_NS}><sheetData>{header}{rows}</sheetData></worksheet>'
    source = _copy(TINY, folder / "good.xlsx")
    path = _rewritten(
        source, folder / "utf16.xlsx", {_part_of(source, "Demands"): text.encode("utf-16")}
    )
    return Run(["validate", str(path)])


def unit_rows_100k(folder: Path) -> Run:
    """99,000 units, just within the original row cap, all at a base that cannot house them."""

    def edit(workbook: openpyxl.Workbook) -> None:
        units = workbook["Units"]
        for n in range(99_000):
            units.append((f"U{n}", "", "Testland", "infantry", 10, "HUB", "no", None, "no"))

    return Run(["validate", str(_edited(folder, "units.xlsx", edit))])


def weight_1e20(folder: Path) -> Run:
    def edit(workbook: openpyxl.Workbook) -> None:
        for row in workbook["Settings"].iter_rows(min_row=2):
            if row[0].value == "weight_shortfall":
                row[1].value = 1e20

    path = _edited(folder, "weight.xlsx", edit)
    return Run(["solve", str(path), "-o", str(folder / "plan.xlsx")])


def sector_with_semicolon(folder: Path) -> Run:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Bases"]["D2"] = "North; East"

    return Run(["validate", str(_edited(folder, "sector.xlsx", edit))])


def sector_nfd_vs_nfc(folder: Path) -> Run:
    def edit(workbook: openpyxl.Workbook) -> None:
        for row in workbook["Bases"].iter_rows(min_row=2):
            row[3].value = unicodedata.normalize("NFD", "Sévaré")
        for row in workbook["Units"].iter_rows(min_row=2):
            row[7].value = unicodedata.normalize("NFC", "Sévaré")

    return Run(["validate", str(_edited(folder, "nfd.xlsx", edit))])


def date_in_number_column(folder: Path) -> Run:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Routes"]["E2"] = dt.datetime(2021, 11, 4)

    return Run(["validate", str(_edited(folder, "date.xlsx", edit))])


def vba_project1(folder: Path) -> Run:
    source = _copy(TINY, folder / "good.xlsx")
    return Run(
        [
            "validate",
            str(_rewritten(source, folder / "macro.xlsx", {"xl/vbaProject1.bin": bytes(64)})),
        ]
    )


def password_protected(folder: Path) -> Run:
    path = folder / "secret.xlsx"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(504)
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(4096)
    )
    return Run(["validate", str(path)])


def save_fails_file_too_large(folder: Path) -> Run:
    """A full disk, as near as a test gets: writes past 16 kB fail (EFBIG)."""
    out = folder / "out"
    out.mkdir()
    return Run(
        ["solve", str(TINY), "-o", str(out / "plan.xlsx")],
        file_size_limit=16 * 1024,
        check=_files(out),
    )


def read_only_output_folder(folder: Path) -> Run:
    """A folder nobody may write in, root included: the immutable attribute (ext4, chattr)."""
    out = folder / "ro"
    out.mkdir()
    subprocess.run(["chattr", "+i", str(out)], check=True)
    return Run(
        ["solve", str(TINY), "-o", str(out / "plan.xlsx")],
        check=_files(out),
        cleanup=lambda: _mutable_again(out),
    )


def _mutable_again(path: Path) -> None:
    subprocess.run(["chattr", "-i", str(path)], check=True)


def bad_scheduler_address(folder: Path) -> Run:
    return Run(["whatif", str(TINY), "-o", str(folder / "out"), "--scheduler", "not an address"])


def unreachable_scheduler(folder: Path) -> Run:
    return Run(["whatif", str(TINY), "-o", str(folder / "out"), "--scheduler", "tcp://127.0.0.1:1"])


def stale_temporary_files(folder: Path) -> Run:
    out = folder / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (out / f".plan-{dead.stdout.strip()}-abcd1234.xlsx").write_bytes(b"")
    return Run(["solve", str(TINY), "-o", str(out / "plan.xlsx")], check=_files(out))


def sigterm_during_solve(folder: Path) -> Run:
    out = folder / "out"
    return Run(
        ["solve", str(MALI), "-o", str(out / "plan.xlsx")], signal_after_s=6.0, check=_files(out)
    )


def sigterm_during_whatif(folder: Path) -> Run:
    out = folder / "out"
    args = [
        "whatif",
        str(MALI),
        str(MALI_SCENARIOS),
        "-o",
        str(out),
        "--workers",
        "2",
        "--time-limit",
        "60",
    ]
    return Run(args, signal_after_s=25.0, check=_files(out))


CASES: dict[str, Builder] = {
    "output is the input": output_is_input,
    "output via a symlink": output_via_symlink,
    "output via ./": output_dot_slash,
    "whatif into the input's folder": whatif_into_input_folder,
    "scenario named comparison": scenario_named_comparison,
    "scenarios Close-B and close-b": scenarios_differing_in_case,
    "bad scenario names": bad_scenario_names,
    "corrupt deflate stream": corrupt_deflate,
    "member flagged encrypted": encrypted_member,
    "compression method 9": compression_method_9,
    ">1000 vehicles, no Convoys: validate": over_1000_vehicles_validate,
    ">1000 vehicles, no Convoys: solve": over_1000_vehicles_solve,
    "base called Day": base_called_day,
    "3 M shared strings": shared_strings_3m,
    "UTF-16 sheet, 1.2 M cells": utf16_sheet_1_2m_cells,
    "99 k unit rows": unit_rows_100k,
    "weight_shortfall 1e20": weight_1e20,
    "sector with ';'": sector_with_semicolon,
    "sector NFD vs NFC": sector_nfd_vs_nfc,
    "date in a number column": date_in_number_column,
    "xl/vbaProject1.bin": vba_project1,
    "password-protected workbook": password_protected,
    "save fails (file too large)": save_fails_file_too_large,
    "read-only output folder": read_only_output_folder,
    "bad --scheduler address": bad_scheduler_address,
    "unreachable scheduler": unreachable_scheduler,
    "stale temp of a dead process": stale_temporary_files,
    "SIGTERM during solve (Mali)": sigterm_during_solve,
    "SIGTERM during whatif (Mali)": sigterm_during_whatif,
}


# --------------------------------------------------------------------------------------------------
# Running them
# --------------------------------------------------------------------------------------------------


def _prepare(run: Run) -> Callable[[], None]:
    def prepare() -> None:
        if run.file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (run.file_size_limit, run.file_size_limit))

    return prepare


def execute(logistics: Path, run: Run, folder: Path, timeout_s: float) -> Outcome:
    """Run one case in a child process and measure it."""
    stdout, stderr = folder / "stdout.txt", folder / "stderr.txt"
    started = time.perf_counter()
    env = {**os.environ, "COLUMNS": "1000", "HOME": str(folder)}
    with stdout.open("w") as out, stderr.open("w") as err:
        child = subprocess.Popen(
            [str(logistics), *run.args],
            stdout=out,
            stderr=err,
            cwd=folder,
            env=env,
            preexec_fn=_prepare(run),
        )
    descendants: set[int] = set()
    signalled = False
    status = 0
    peak_kb = 0
    while True:
        with contextlib.suppress(psutil.Error):
            descendants.update(p.pid for p in psutil.Process(child.pid).children(recursive=True))
        peak_kb = max(peak_kb, _high_water_kb(child.pid))
        pid, status, _usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.perf_counter() - started
        if run.signal_after_s is not None and not signalled and elapsed >= run.signal_after_s:
            child.send_signal(run.signal_number)
            signalled = True
        if elapsed > timeout_s:
            child.kill()
            _, status, _usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    timed_out = wall > timeout_s
    orphans = _orphans(descendants)
    text = stdout.read_text(errors="replace") + stderr.read_text(errors="replace")
    code = "timeout" if timed_out else str(child.returncode)
    found = run.check()
    run.cleanup()
    leftovers = sorted(p.name for p in folder.rglob(".*-*.xlsx"))
    if leftovers:
        found += f"; temp files left: {', '.join(leftovers)}"
    if orphans:
        found += f"; {len(orphans)} processes left running"
    return Outcome(
        exit_code=code,
        traceback="Traceback" in text or "Exception ignored" in text,
        wall_s=wall,
        peak_mb=peak_kb / 1024,
        found=found.strip("; "),
        message=_message(stdout.read_text(errors="replace")),
        orphans=orphans,
    )


def _message(output: str, width: int = 110) -> str:
    """The first problem of an error table (value: problem), or the last line printed, cut to
    ``width``."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    rows = [line for line in lines if line.startswith("│")]
    if rows and " problem" in lines[0]:
        cells = [cell.strip() for cell in rows[0].strip("│ ").split("│")]
        text = f"{cells[-2]}: {cells[-1]}" if len(cells) > 1 and cells[-2] else cells[-1]
    else:
        text = lines[-1] if lines else ""
    text = text.replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def _high_water_kb(pid: int) -> int:
    """Peak resident memory of a running process since it started its program (``VmHWM``).

    ``ru_maxrss`` would do, but a child inherits the high-water mark of the process that forked
    it, here the benchmark itself after building a large case.
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _orphans(pids: set[int]) -> list[int]:
    """Descendants of the run still alive a moment after it ended; they are then ended."""
    time.sleep(1.0)
    alive = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
                process.kill()
    return alive


def startup(logistics: Path, args: list[str], repeat: int = 3) -> float:
    """Median wall time of a quick command."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([str(logistics), *args], capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def main() -> None:
    """Parse arguments, build and run the cases, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--logistics", type=Path, default=Path(sys.executable).with_name("logistics")
    )
    parser.add_argument("--only", nargs="*", default=None, help="case names (substrings) to run")
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="seconds before a case is killed"
    )
    args = parser.parse_args()
    print(f"logistics --help: {startup(args.logistics, ['--help']):.2f} s")
    print(
        f"logistics validate inputs/mali.xlsx: {startup(args.logistics, ['validate', 'inputs/mali.xlsx']):.2f} s"
    )
    print()
    print("| case | exit | traceback | wall s | peak MB | found afterwards | message |")
    print("|---|---|---|---|---|---|---|")
    for name, build in CASES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        with tempfile.TemporaryDirectory() as folder_name:
            folder = Path(folder_name)
            folder.chmod(0o755)
            outcome = execute(args.logistics, build(folder), folder, args.timeout)
            print(
                f"| {name} | {outcome.exit_code} | {'yes' if outcome.traceback else 'no'} | "
                f"{outcome.wall_s:.1f} | {outcome.peak_mb:.0f} | {outcome.found} | {outcome.message} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
