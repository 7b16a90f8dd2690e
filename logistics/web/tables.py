"""The history's tables: uploads and runs, the missions they belong to, the accounts and teams
that may see them, the plans shared with teams, the audit trail and the server processes. Their
schema is made by the Alembic migrations in ``logistics/web/migrations``; the test of the
migrations fails when these declarations and the migrated tables differ."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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
    mission_id: Mapped[str] = mapped_column(ForeignKey("missions.id"))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    """Who uploaded it (``None`` for uploads made before there were accounts)."""
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
    mission_id: Mapped[str] = mapped_column(ForeignKey("missions.id"))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    """Who asked for it (``None`` for runs made before there were accounts)."""
    server_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """The server process that queued it: only that process follows it while it is active."""
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


DEFAULT_MISSION_ID = "default"
"""The mission the history made before accounts belongs to (made by the migrations)."""


class Role(StrEnum):
    """What an account may do (``logistics.web.access.ROUTES`` says where)."""

    planner = "planner"
    """Uploads, validates, solves, asks what-ifs and shares plans of their missions."""
    officer = "officer"
    """Asks what-ifs of and compares the plans shared with their team."""
    liaison = "liaison"
    """Reads and downloads the plans shared with their team."""
    admin = "admin"
    """Manages accounts, teams and missions, and reads the audit trail."""


class Mission(Base):
    """A mission: every upload, run and plan belongs to one; people see only their missions."""

    __tablename__ = "missions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Team(Base):
    """A team plans are shared with: a liaison cell, a partner contingent, a humanitarian
    partner, a staff cell of officers."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("mission_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    mission_id: Mapped[str] = mapped_column(ForeignKey("missions.id"))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class User(Base):
    """An account: a name, a role, an Argon2id password hash, its team (officers and liaison)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[int] = mapped_column(Integer, default=0)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Membership(Base):
    """A user belongs to a mission."""

    __tablename__ = "memberships"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    mission_id: Mapped[str] = mapped_column(ForeignKey("missions.id"), primary_key=True)


class LoginSession(Base):
    """A signed-in browser or API client. The cookie holds a random token; only its SHA-256 is
    kept, so a copy of the database signs no one in."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 (hex) of the cookie's token."""
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginAttempt(Base):
    """A sign-in attempt, for throttling by account and by address (shared by every server
    process through the database)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[int] = mapped_column(Integer)


class Share(Base):
    """A plan shared with a team, possibly also as a read-only link (its token is kept only as
    a SHA-256), until it expires or is revoked; the team does not see ``hidden_sheets``."""

    __tablename__ = "shares"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"))
    mission_id: Mapped[str] = mapped_column(ForeignKey("missions.id"))
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    link_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    hidden_sheets_json: Mapped[str] = mapped_column(Text, default="[]")

    @property
    def hidden_sheets(self) -> list[str]:
        """The plan workbook's sheets the team does not see."""
        found: list[str] = json.loads(self.hidden_sheets_json)
        return found

    def active_at(self, moment: dt.datetime) -> bool:
        """Whether the share is in force at ``moment`` (not revoked, not expired)."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class AuditEvent(Base):
    """One line of the audit trail: who did what to which object, when and from where.
    Append-only: the application never updates or deletes it, and the database refuses to."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    """The account's name (or ``link`` for a shared link, ``cli`` for the command line)."""
    address: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    mission_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    object_kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class Server(Base):
    """A running server process; it beats its heart while it lives. Runs of a process whose
    heart stopped (or that is gone from its host) are interrupted, never those of live ones."""

    __tablename__ = "servers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime)
