"""The history: every upload and every run (solve or what-if), kept in a database (embedded
SQLite by default, PostgreSQL for a deployment with several server processes) so that nothing is
lost when the server restarts. Its schema is made and upgraded by the Alembic migrations in
``logistics/web/migrations`` when the server starts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, select, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from logistics.web.tables import Base, Run, RunStatus, Upload, new_id, now

__all__ = ["Base", "Run", "RunStatus", "Store", "StoreError", "Upload", "new_id", "now"]

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
