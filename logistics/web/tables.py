"""The history's tables: uploads and runs (and, as the application grows, who may see them).
Their schema is made by the Alembic migrations in ``logistics/web/migrations``; the test of the
migrations fails when these declarations and the migrated tables differ."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    """An unguessable id (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def now() -> dt.datetime:
    """The current time (UTC, to the second)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


class RunStatus(StrEnum):
    """Where a run is: waiting, solving, or how it ended."""

    queued = "queued"
    running = "running"
    done = "done"
    """Solved: the plan was written (it may still be short of the gap asked for)."""
    failed = "failed"
    stopped = "stopped"
    interrupted = "interrupted"
    """The server stopped while the run was queued or running; it can be run again."""

    @property
    def active(self) -> bool:
        """Whether the run is still waiting or solving."""
        return self in (RunStatus.queued, RunStatus.running)


class Base(DeclarativeBase):
    """Declarative base of the history's tables."""


class Upload(Base):
    """One uploaded workbook and what its validation found."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    client: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    """The name the client gave, for display only: never part of a path."""
    stored_name: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    valid: Mapped[int] = mapped_column(Integer)
    scenario_name: Mapped[str] = mapped_column(String(255), default="")
    issues_json: Mapped[str] = mapped_column(Text, default="[]")
    ids_json: Mapped[str] = mapped_column(Text, default="{}")
    """The workbook's route, unit, base, demand and source ids, for the what-if form."""

    @property
    def issues(self) -> list[dict[str, Any]]:
        """The problems and warnings found, each as a plain dict (see ``files.issue_dict``)."""
        found: list[dict[str, Any]] = json.loads(self.issues_json)
        return found

    @property
    def ids(self) -> dict[str, list[str]]:
        """Ids by sheet, for the what-if form's choices."""
        found: dict[str, list[str]] = json.loads(self.ids_json)
        return found


class Run(Base):
    """One solve of an upload, possibly with what-if changes."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    upload_id: Mapped[str] = mapped_column(ForeignKey("uploads.id"))
    kind: Mapped[str] = mapped_column(String(16))
    """``solve`` (the workbook as it is) or ``whatif`` (with ``changes``)."""
    name: Mapped[str] = mapped_column(String(100), default="base")
    parent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """The plan a what-if was asked from (its comparison's base)."""
    batch_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    client: Mapped[str] = mapped_column(String(200))
    input_sha256: Mapped[str] = mapped_column(String(64))
    settings_json: Mapped[str] = mapped_column(Text, default="{}")
    """Time limit, MIP gap and the what-if changes (command-line shortcut texts)."""
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.queued.value)
    message: Mapped[str] = mapped_column(Text, default="")
    figures_json: Mapped[str] = mapped_column(Text, default="{}")
    """Headline figures of the plan (status, termination, demand met, gap…)."""

    @property
    def settings(self) -> dict[str, Any]:
        """The run's settings (time limit, gap, changes)."""
        found: dict[str, Any] = json.loads(self.settings_json)
        return found

    @property
    def figures(self) -> dict[str, Any]:
        """The plan's headline figures (empty until solved)."""
        found: dict[str, Any] = json.loads(self.figures_json)
        return found

    @property
    def run_status(self) -> RunStatus:
        """The status as its type."""
        return RunStatus(self.status)
