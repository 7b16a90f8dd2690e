"""Signals end a run cleanly: no temporary file left, no worker left, an exit code that says so.

Each test runs the command line (or a process pool) in a child process and signals it, as a
terminal, a service manager or ``kill`` would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import psutil
import pytest

from logistics import whatif
from logistics.errors import Interrupted
from logistics.whatif import JobResult, WhatIfJob, _local_pool, solve_job

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"

# The command line, with the plan's save held up once it has begun writing its temporary file.
SLOW_SAVE = """
import sys, time
from logistics.io import xlsx

def slow_save(workbook, path):
    path.write_bytes(b"PK half a workbook")
    print("saving", flush=True)
    time.sleep(60)

xlsx._save_durably = slow_save
from logistics.cli import app
app(sys.argv[1:])
"""


def _started(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _wait_for(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdout is not None
    for text in process.stdout:
        if line in text:
            return
    raise AssertionError(f"the child never printed {line!r}: {process.stderr}")


@pytest.mark.parametrize(
    ("number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_a_signal_during_the_save_leaves_no_temporary_file(
    tmp_path: Path, number: signal.Signals, code: int
) -> None:
    child = _started(SLOW_SAVE, "solve", str(TINY), "--output", str(tmp_path / "plan.xlsx"))
    _wait_for(child, "saving")
    assert next(p.name for p in tmp_path.iterdir()).startswith(".plan-")
    child.send_signal(number)
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode == code
    assert f"Interrupted ({number.name}): stopped; no half-written file is left" in stdout
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_batch_ends_its_workers_instead_of_waiting_for_them() -> None:
    started = time.perf_counter()
    with pytest.raises(Interrupted), _local_pool(2) as pool:
        list(pool.map(abs, range(8)))  # both workers started (a spawned worker takes seconds)
        workers = list(pool._processes.values())
        pool.submit(time.sleep, 60)
        pool.submit(time.sleep, 60)
        time.sleep(1)
        raise Interrupted(signal.SIGTERM)
    assert time.perf_counter() - started < 20
    assert workers
    # A killed process may linger a moment before the kernel lets it go, on a busy machine too.
    _, alive = psutil.wait_procs(
        [psutil.Process(w.pid) for w in workers if psutil.pid_exists(w.pid)], timeout=10
    )
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []


# A parent with a busy worker, which prints every process it started and waits to be killed.
PARENT = """
import time
import psutil
from logistics.whatif import _local_pool

with _local_pool(1) as pool:
    pool.submit(time.sleep, 120)
    time.sleep(2)
    print(*(p.pid for p in psutil.Process().children(recursive=True)), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_workers_die_with_a_killed_parent() -> None:
    """SIGKILL leaves the parent no chance to clean up: the workers (and the resource tracker)
    must end by themselves rather than solve on for nobody."""
    parent = _started(PARENT)
    assert parent.stdout is not None
    children = [psutil.Process(int(pid)) for pid in parent.stdout.readline().split()]
    assert children
    os.kill(parent.pid, signal.SIGKILL)
    parent.communicate(timeout=10)
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert alive == []
    assert len(gone) == len(children)


class _InterruptedAfterTheBase:
    """Solves the base case here, then is interrupted as a SIGTERM would interrupt the batch."""

    def run(self, jobs: Sequence[WhatIfJob], keep_solution: bool) -> Iterator[JobResult]:
        if jobs[0].name != "base":
            raise Interrupted(signal.SIGTERM)
        yield solve_job(jobs[0], keep_solution)


def test_an_interrupted_batch_still_compares_what_was_solved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def runner(*_: object) -> Iterator[_InterruptedAfterTheBase]:
        yield _InterruptedAfterTheBase()

    monkeypatch.setattr(whatif, "job_runner", runner)
    with pytest.raises(Interrupted):
        whatif.run_whatif(TINY, None, tmp_path, shortcuts=["close-route HUB-A:2-3"])
    drawings = [
        f"base{suffix}" for suffix in (".map.png", ".map.svg", ".timeline.png", ".geojson", ".kml")
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["base.xlsx", "comparison.xlsx", *drawings]
    )
    workbook = openpyxl.load_workbook(tmp_path / "comparison.xlsx")
    text = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "command-line" in text
    assert whatif.INTERRUPTED in text
