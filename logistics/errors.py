"""Error types of the application.

Errors are raised where they are found and rendered once, at the edge (command line, web page).
An ``InputError`` carries every problem found in a workbook at once, each located by sheet and cell
so a planner can go straight to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from logistics.i18n import _, message_language, ngettext
from logistics.rules.fields import shown_number


class Severity(StrEnum):
    """How bad a problem is: an error stops the run, a warning is shown and the run goes on."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as precisely as it can be.

    ``sheet`` is the sheet's name, or the file's name for a problem with the whole file; ``cell`` is
    an Excel reference such as ``"E7"`` (None for a whole sheet or file); ``header`` the column (or
    settings key) the cell belongs to; ``value`` what the cell held; ``message`` what is wrong and
    what was expected, in the planner's words; ``severity`` whether it stops the run (an error)
    or is only suspicious (a warning).
    """

    sheet: str
    cell: str | None
    header: str | None
    value: object
    message: str
    severity: Severity = Severity.error

    @property
    def is_warning(self) -> bool:
        """Whether the problem is only suspicious (the run goes on)."""
        return self.severity is Severity.warning

    def as_error(self) -> Issue:
        """The same problem as an error (``--strict``)."""
        return replace(self, severity=Severity.error)

    @property
    def location(self) -> str:
        """Where to look: ``"Routes!E7"``, or the sheet or file name alone."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    @property
    def shown_value(self) -> str:
        """The offending value as the planner typed it (blank cells say so)."""
        if self.value is None:
            return _("blank") if self.cell else ""
        if isinstance(self.value, str) and len(self.value) > MAX_SHOWN_CHARS:
            cut = as_typed(self.value[:MAX_SHOWN_CHARS])
            return _("{cut}… ({count} characters)").format(
                cut=cut, count=shown_number(len(self.value))
            )
        return as_typed(self.value)

    def describe(self) -> str:
        """``Routes!E7 [distance_km] = 'far': expected …``: where, what was there, what is wrong."""
        header = f" [{self.header}]" if self.header else ""
        value = f" = {self.shown_value}" if self.shown_value else ""
        return f"{self.location}{header}{value}: {self.message}"

    def __str__(self) -> str:
        if self.is_warning:
            return _("warning: {problem}").format(problem=self.describe())
        return self.describe()


def as_typed(value: object) -> str:
    """A cell's value as the planner typed it: text in quotes, dates as dates, numbers plainly.

    Excel hands dates over as ``datetime`` objects; a planner typed ``2025-03-08``, not
    ``datetime.datetime(2025, 3, 8, 0, 0)``.
    """
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(value)


MAX_SHOWN_CHARS = 100
"""Longest value shown in full in a message; a cell may hold 32,767 characters (or a hostile file
far more)."""


class InputError(Exception):
    """The input cannot be used; ``issues`` lists every problem found, in the order found.

    At least one issue is an error; warnings found in the same pass come after the errors, so
    that the planner sees everything at once.
    """

    def __init__(self, issues: Iterable[Issue]) -> None:
        found = tuple(issues)
        errors = tuple(issue for issue in found if not issue.is_warning)
        if not errors:
            raise ValueError("an InputError needs at least one issue that is an error")
        self.issues: tuple[Issue, ...] = (*errors, *(i for i in found if i.is_warning))
        self.language = message_language()
        """The language the issues are worded in, for whoever renders them."""
        super().__init__(self.render())

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that stop the run."""
        return tuple(issue for issue in self.issues if not issue.is_warning)

    def render(self) -> str:
        """All issues, one per line, under a count."""
        return "\n".join(
            [count_title(self.issues, _("in the input:")), *(f"  {i}" for i in self.issues)]
        )


def count_title(issues: Iterable[Issue], where: str) -> str:
    """``"3 problems and 1 warning <where>"``: the errors and warnings among ``issues``."""
    found = tuple(issues)
    warnings = sum(1 for issue in found if issue.is_warning)
    errors = len(found) - warnings
    parts = []
    if errors:
        parts.append(ngettext("{count} problem", "{count} problems", errors).format(count=errors))
    if warnings:
        parts.append(
            ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
        )
    if len(parts) == 2:
        return _("{problems} and {warnings} {where}").format(
            problems=parts[0], warnings=parts[1], where=where
        )
    return f"{parts[0] if parts else _('no problems')} {where}"


MAX_LISTED = 10
"""Most items a message lists before it says how many more there are."""


def listed(items: Iterable[object], limit: int = MAX_LISTED) -> str:
    """``"A, B, C"``, or the first ``limit`` items and ``"… and 99,950 more"``: a message about a
    workbook of 100,000 rows must still fit on a screen."""
    shown = [str(item) for item in items]
    rest = len(shown) - limit
    if rest <= 0:
        return ", ".join(shown)
    return _("{items} … and {count} more").format(
        items=", ".join(shown[:limit]), count=shown_number(rest)
    )


def raise_if_any(issues: Iterable[Issue]) -> None:
    """Raise an ``InputError`` carrying ``issues`` if any of them is an error."""
    found = tuple(issues)
    if any(not issue.is_warning for issue in found):
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
