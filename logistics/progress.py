"""Live progress of a long solve on the terminal: stage, elapsed time, incumbent and gap.

On a terminal one status line is redrawn in place; when the output is a file or a pipe (CI, logs) a
plain line is printed per stage and at most every ``quiet_interval_s`` seconds while HiGHS runs.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.status import Status

if TYPE_CHECKING:  # the command line starts without importing the optimisation
    from models.results import SolveProgress

STAGE_WORDS = {
    "read": "reading and validating the workbook",
    "compile": "compiling paths, closures and escorts",
    "solve": "building the model and solving with HiGHS",
    "write": "writing the plan workbook",
}


class ProgressView:
    """Receives stage changes and solver snapshots; use as a context manager."""

    def __init__(self, console: Console, quiet_interval_s: float = 5.0) -> None:
        self._console = console
        self._live = console.is_terminal
        self._status: Status | None = None
        self._started = time.perf_counter()
        self._last_line = 0.0
        self._quiet_interval_s = quiet_interval_s
        self._stage = ""
        self._milestones: set[int] = set()

    def __enter__(self) -> ProgressView:
        if self._live:
            self._status = self._console.status("starting")
            self._status.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()

    def stage(self, name: str) -> None:
        """A new stage starts."""
        self._stage = STAGE_WORDS.get(name, name)
        self._show(f"{self._elapsed():6.1f} s  {self._stage}", force=True)

    def solver(self, progress: SolveProgress) -> None:
        """A snapshot from the running solver."""
        parts = [f"{self._elapsed():6.1f} s  {progress.stage}"]
        if progress.incumbent is not None:
            parts.append(f"best plan {progress.incumbent:,.1f}")
        if progress.best_bound is not None:
            parts.append(f"bound {progress.best_bound:,.1f}")
        if progress.gap_pct is not None:
            parts.append(f"gap {progress.gap_pct:.2f} %")
        self._show("  ·  ".join(parts), force=False)
        for pct, seconds in ((5, progress.within_5pct_s), (1, progress.within_1pct_s)):
            if seconds is not None and pct not in self._milestones:
                self._milestones.add(pct)
                self._show(
                    f"{self._elapsed():6.1f} s  plan within {pct} % after {seconds:.1f} s of search",
                    force=True,
                )

    def _elapsed(self) -> float:
        return time.perf_counter() - self._started

    def _show(self, text: str, force: bool) -> None:
        if self._status is not None:
            self._status.update(text)
            return
        now = time.perf_counter()
        if force or now - self._last_line >= self._quiet_interval_s:
            self._console.print(text)
            self._last_line = now
