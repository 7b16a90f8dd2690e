"""Error types of the application.

Errors are raised where they are found and rendered once, at the edge (command line, web page).
An ``InputError`` carries every problem found in a workbook at once, each located by sheet and cell
so a planner can go straight to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as precisely as it can be.

    ``sheet`` is the sheet's name, or the file's name for a problem with the whole file; ``cell`` is
    an Excel reference such as ``"E7"`` (None for a whole sheet or file); ``header`` the column (or
    settings key) the cell belongs to; ``value`` what the cell held; ``message`` what is wrong and
    what was expected, in the planner's words.
    """

    sheet: str
    cell: str | None
    header: str | None
    value: object
    message: str

    @property
    def location(self) -> str:
        """Where to look: ``"Routes!E7"``, or the sheet or file name alone."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    @property
    def shown_value(self) -> str:
        """The offending value as the planner typed it (blank cells say so)."""
        if self.value is None:
            return "blank" if self.cell else ""
        shown = as_typed(self.value)
        if len(shown) > MAX_SHOWN_CHARS:
            return f"{shown[:MAX_SHOWN_CHARS]}… ({len(shown):,} characters)"
        return shown

    def __str__(self) -> str:
        header = f" [{self.header}]" if self.header else ""
        shown = self.shown_value
        if isinstance(self.value, str):
            shown = f"'{shown}'"  # quoted, so that spaces around text can be seen
        value = f" = {shown}" if shown else ""
        return f"{self.location}{header}{value}: {self.message}"


MAX_SHOWN_CHARS = 100
"""Longest value shown in full in a message; a cell may hold 32,767 characters (or a hostile file
far more)."""


def as_typed(value: object) -> str:
    """A cell value as a spreadsheet shows it: dates as dates, numbers plainly, never a repr."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


class InputError(Exception):
    """The input cannot be used; ``issues`` lists every problem found, in the order found."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        if not self.issues:
            raise ValueError("an InputError needs at least one issue")
        super().__init__(self.render())

    def render(self) -> str:
        """All issues, one per line, under a count."""
        count = len(self.issues)
        title = f"{count} problem{'s' if count != 1 else ''} in the input:"
        return "\n".join([title, *(f"  {issue}" for issue in self.issues)])


MAX_LISTED = 10
"""Most items a message lists before it says how many more there are."""


def listed(items: Iterable[object], limit: int = MAX_LISTED) -> str:
    """``"A, B, C"``, or the first ``limit`` items and ``"… and 99,950 more"``: a message about a
    workbook of 100,000 rows must still fit on a screen."""
    shown = [str(item) for item in items]
    rest = len(shown) - limit
    return f"{', '.join(shown[:limit])} … and {rest:,} more" if rest > 0 else ", ".join(shown)


def raise_if_any(issues: Iterable[Issue]) -> None:
    """Raise an ``InputError`` carrying ``issues`` if there are any."""
    found = tuple(issues)
    if found:
        raise InputError(found)


class UnreadableFileError(InputError):
    """The file itself cannot be used (missing, damaged, encrypted, hostile or not a workbook):
    a problem with the file, not with a cell of it."""


class OutputError(Exception):
    """An output path cannot be used (it is an input file, or its folder cannot be written);
    found before any work is done."""


class PlanNotWrittenError(Exception):
    """A plan was solved but its workbook could not be written; ``run`` holds the plan (a
    ``logistics.api.PlanRun``), so that the caller can still show it."""

    def __init__(self, run: object, output: object, cause: BaseException) -> None:
        self.run = run
        self.output = output
        self.cause = cause
        reason = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        super().__init__(f"the plan was solved but could not be written to {output}: {reason}")


class Interrupted(KeyboardInterrupt):
    """The run was ended by a signal (``SIGINT``, ``SIGTERM``, ``SIGHUP``); ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class ClusterError(Exception):
    """The Dask scheduler given cannot be used (a bad address, or it cannot be reached)."""


class SolveError(Exception):
    """The optimisation could not produce a plan (solver missing, failed or returned nothing)."""
