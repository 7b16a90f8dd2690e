"""The history: every upload and every run (solve or what-if), kept in a database (embedded
SQLite by default, PostgreSQL for a deployment with several server processes) so that nothing is
lost when the server restarts. Its schema is made and upgraded by the Alembic migrations in
``logistics/web/migrations`` when the server starts."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
BEFORE_MIGRATIONS = "0001_history"
"""The revision whose schema the server made by itself before it had migrations."""


class StoreError(Exception):
    """The database cannot be used: not a URL, no driver for it, or it cannot be reached."""


def sqlite_url(path: Path) -> str:
    """The URL of the embedded SQLite database at ``path``."""
    return f"sqlite:///{path}"


def connect(url: str) -> Engine:
    """An engine for ``url``; SQLite waits for other processes' writes instead of failing."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        return create_engine(parsed, pool_pre_ping=True)
    except ArgumentError as error:
        raise StoreError(
            f"{url!r} is not a database URL (e.g. sqlite:///history.sqlite or "
            "postgresql+psycopg://user:password@host/logistics)"
        ) from error
    except ImportError as error:
        raise StoreError(
            f"the driver for {make_url(url).drivername} is not installed ({error})"
        ) from error


def upgrade(engine: Engine) -> None:
    """Bring the database's schema to the newest revision (an empty database gets all of it; one
    made before migrations is first recognised as ``BEFORE_MIGRATIONS``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if _predates_migrations(connection):
            command.stamp(config, BEFORE_MIGRATIONS)
        command.upgrade(config, "head")


def revision(engine: Engine) -> str | None:
    """The schema revision the database is at (``None`` before any migration)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if found is None else str(found)


def _predates_migrations(connection: Connection) -> bool:
    """Whether the history was made by the server before it had migrations."""
    tables = inspect(connection)
    return tables.has_table("uploads") and not tables.has_table("alembic_version")


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


class Store:
    """The history of one server, in the database at ``url`` (upgraded to the newest schema)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = connect(url)
        try:
            upgrade(self.engine)
        except OperationalError as error:
            self.engine.dispose()
            shown = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(f"cannot open the database {shown}: {error.orig}") from error
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close the database connections (the server stops)."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends without error."""
        with self._sessions.begin() as session:
            yield session

    def add(self, record: Upload | Run) -> None:
        """Keep a new record."""
        with self.session() as session:
            session.add(record)

    def upload(self, upload_id: str) -> Upload | None:
        """The upload with this id."""
        with self.session() as session:
            return session.get(Upload, upload_id)

    def run(self, run_id: str) -> Run | None:
        """The run with this id."""
        with self.session() as session:
            return session.get(Run, run_id)

    def set_run(self, run_id: str, **values: Any) -> None:
        """Change fields of a run."""
        with self.session() as session:
            session.execute(update(Run).where(Run.id == run_id).values(**values))

    def runs(self, *, batch_id: str | None = None, limit: int = 200) -> Sequence[Run]:
        """Runs, newest first (those of one what-if batch, oldest first)."""
        query = select(Run)
        if batch_id is not None:
            query = query.where(Run.batch_id == batch_id).order_by(Run.created_at, Run.name)
        else:
            query = query.order_by(Run.created_at.desc()).limit(limit)
        with self.session() as session:
            return session.scalars(query).all()

    def runs_by_ids(self, ids: Sequence[str]) -> list[Run]:
        """The runs with these ids, in that order (unknown ids left out)."""
        with self.session() as session:
            found = {r.id: r for r in session.scalars(select(Run).where(Run.id.in_(ids)))}
        return [found[i] for i in ids if i in found]

    def uploads(self, limit: int = 200) -> Sequence[Upload]:
        """Uploads, newest first."""
        with self.session() as session:
            return session.scalars(
                select(Upload).order_by(Upload.created_at.desc()).limit(limit)
            ).all()

    def active_runs(self) -> Sequence[Run]:
        """Runs queued or running, oldest first."""
        with self.session() as session:
            return session.scalars(
                select(Run)
                .where(Run.status.in_([RunStatus.queued.value, RunStatus.running.value]))
                .order_by(Run.created_at)
            ).all()

    def mark_interrupted(self) -> int:
        """At start-up: runs left queued or running by a server that stopped are interrupted."""
        with self.session() as session:
            result = session.execute(
                update(Run)
                .where(Run.status.in_([RunStatus.queued.value, RunStatus.running.value]))
                .values(
                    status=RunStatus.interrupted.value,
                    finished_at=now(),
                    message="the server stopped before this run finished: run it again",
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)
