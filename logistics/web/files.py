"""Files of the web application: uploads stored under random names in the data folder (never
in a served folder, never named after what the client sent), their validation, and the
planner's workbook annotated with the problems found on its cells."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from logistics.errors import InputError, Issue
from logistics.io.reader import LoadedScenario, load
from logistics.io.security import MAX_FILE_BYTES
from logistics.rules.registry import SHEETS

UPLOAD_CHUNK_BYTES = 64 * 2**10
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
"""Largest workbook accepted over the network: the command line's own limit."""
MAX_SHOWN_NAME = 120
"""Longest client file name kept for display."""
WHATIF_SHEETS = ("Routes", "Units", "Bases", "Demands", "Sources")
"""Sheets whose ids the what-if form offers as choices."""


class TooLargeError(Exception):
    """The upload is larger than ``MAX_UPLOAD_BYTES``."""


@dataclass(frozen=True)
class DataFolder:
    """Where the server keeps what it is given and what it produces (outside any served folder).

    ``uploads/`` holds the workbooks as received, ``runs/<run id>/`` each run's progress and
    files, ``annotated/`` the planners' workbooks with their problems marked.
    """

    root: Path

    def create(self) -> None:
        """Make the folders (private to the server's user)."""
        for folder in (self.root, self.uploads, self.annotated, self.runs):
            folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                folder.chmod(0o700)

    @property
    def database(self) -> Path:
        """The SQLite history."""
        return self.root / "history.sqlite"

    @property
    def uploads(self) -> Path:
        """Uploaded workbooks, as received."""
        return self.root / "uploads"

    @property
    def annotated(self) -> Path:
        """Annotated copies of workbooks with problems."""
        return self.root / "annotated"

    @property
    def runs(self) -> Path:
        """One folder per run."""
        return self.root / "runs"

    def upload(self, stored_name: str) -> Path:
        """The stored workbook of an upload."""
        return self.uploads / PurePath(stored_name).name

    def run(self, run_id: str) -> Path:
        """A run's folder (ids are URL-safe tokens; anything else cannot name a folder here)."""
        if not run_id or not all(c.isalnum() or c in "-_" for c in run_id):
            raise ValueError("not a run id")
        return self.runs / run_id


async def save_upload(chunks: AsyncIterator[bytes], folder: DataFolder) -> tuple[str, int, str]:
    """Write an upload's chunks to a new randomly named file; return its stored name, size and
    SHA-256. Past ``MAX_UPLOAD_BYTES`` the file is removed and ``TooLargeError`` raised."""
    stored_name = f"{secrets.token_hex(16)}.xlsx"
    path = folder.upload(stored_name)
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("xb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise TooLargeError
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored_name, size, digest.hexdigest()


def shown_file_name(name: str | None) -> str:
    """The client's file name for display: its last part, printable, at most 120 characters."""
    last = PurePath((name or "").replace("\\", "/")).name
    clean = "".join(c for c in last if c.isprintable())
    return clean[:MAX_SHOWN_NAME] or "workbook.xlsx"


def issue_dict(issue: Issue) -> dict[str, Any]:
    """A problem as plain data: sheet, cell, location, header, value, message, severity."""
    return {
        "sheet": issue.sheet,
        "cell": issue.cell,
        "location": issue.location,
        "header": issue.header,
        "value": issue.shown_value,
        "message": issue.message,
        "severity": issue.severity.value,
    }


@dataclass(frozen=True)
class Validation:
    """What checking a workbook found: its problems and warnings, and (when valid) its name and
    the ids the what-if form offers."""

    valid: bool
    issues: tuple[dict[str, Any], ...]
    scenario_name: str = ""
    ids: dict[str, list[str]] | None = None


def validate_workbook(path: Path, display_name: str) -> Validation:
    """Pre-flight, read and validate a stored workbook exactly as ``logistics validate`` does.

    File-level issues name the file as the planner knows it, never the stored path.
    """
    try:
        loaded = load(path)
    except InputError as error:
        return Validation(
            False, tuple(issue_dict(_named(i, path, display_name)) for i in error.issues)
        )
    return Validation(
        True,
        tuple(issue_dict(i) for i in loaded.warnings),
        loaded.scenario.settings.scenario_name,
        record_ids(loaded),
    )


def _named(issue: Issue, path: Path, display_name: str) -> Issue:
    """The issue with the stored file's path and name replaced by the client's file name."""

    def shown(text: str) -> str:
        return text.replace(str(path), display_name).replace(path.name, display_name)

    return replace(issue, sheet=shown(issue.sheet), message=shown(issue.message))


def record_ids(loaded: LoadedScenario) -> dict[str, list[str]]:
    """The ids of the records a what-if may change, by sheet (as overlays name them)."""
    specs = {spec.name: spec for spec in SHEETS}
    return {
        name: [
            specs[name].record_id(row) for row in getattr(loaded.scenario, specs[name].attribute)
        ]
        for name in WHATIF_SHEETS
    }


ERROR_FILL = "FFF4C7C3"
WARNING_FILL = "FFFFE699"


def annotate_workbook(source: Path, target: Path, issues: Sequence[dict[str, Any]]) -> int:
    """Copy the planner's workbook to ``target`` with every located problem's cell filled (red
    for errors, amber for warnings) and commented with its message; everything else is left as
    it was. Returns how many cells were marked."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from logistics.io.xlsx import save_atomically

    workbook = load_workbook(source)
    marked = 0
    for (sheet, cell), messages in _by_cell(issues).items():
        if sheet not in workbook.sheetnames:
            continue
        target_cell = workbook[sheet][cell]
        errors = any(severity == "error" for severity, _ in messages)
        colour = ERROR_FILL if errors else WARNING_FILL
        target_cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
        text = "\n".join(f"{severity}: {message}" for severity, message in messages)
        target_cell.comment = Comment(text[:30_000], "logistics validate", width=320, height=120)
        marked += 1
    save_atomically(workbook, target)
    return marked


def _by_cell(issues: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Located issues grouped by (sheet, cell)."""
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for issue in issues:
        if issue.get("cell"):
            key = (str(issue["sheet"]), str(issue["cell"]))
            grouped.setdefault(key, []).append((str(issue["severity"]), str(issue["message"])))
    return grouped
