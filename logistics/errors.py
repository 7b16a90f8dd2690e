"""Error types of the application.

Errors are raised where they are found and rendered once, at the edge (command line, web page).
An ``InputError`` carries every problem found in a workbook at once, each located by sheet and cell
so a planner can go straight to it.
"""

from __future__ import annotations

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
        """The offending value as a planner should see it (blank cells say so)."""
        if self.value is None:
            return "blank" if self.cell else ""
        return repr(self.value)

    def __str__(self) -> str:
        header = f" [{self.header}]" if self.header else ""
        value = f" = {self.shown_value}" if self.shown_value else ""
        return f"{self.location}{header}{value}: {self.message}"


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


def raise_if_any(issues: Iterable[Issue]) -> None:
    """Raise an ``InputError`` carrying ``issues`` if there are any."""
    found = tuple(issues)
    if found:
        raise InputError(found)


class SolveError(Exception):
    """The optimisation could not produce a plan (solver missing, failed or returned nothing)."""
