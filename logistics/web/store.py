"""The history: every upload and every run (solve or what-if), kept in a database (embedded
SQLite by default, PostgreSQL for a deployment with several server processes) so that nothing is
lost when the server restarts. Its schema is made and upgraded by the Alembic migrations in
``logistics/web/migrations`` when the server starts."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, create_engine, delete, inspect, or_, select, true, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from logistics.web.tables import Base, Run, RunStatus, Server, Upload, new_id, now

__all__ = ["Base", "Run", "RunStatus", "Store", "StoreError", "Upload", "new_id", "now"]

MIGRATIONS = Path(__file__).parent / "migrations"
BEFORE_MIGRATIONS = "0001_history"
"""The revision whose schema the server made by itself before it had migrations."""


class StoreError(Exception):
    """The database cannot be used: not a URL, no driver for it, or it cannot be reached."""


def sqlite_url(path: Path) -> str:
    """The URL of the embedded SQLite database at ``path``."""
    return f"sqlite:///{path}"


MIGRATION_LOCK = 0x6C6F6769
"""PostgreSQL advisory lock held while migrating: server processes starting together migrate
one after the other (the others then find nothing left to do)."""
HEARTBEAT_S = 10
"""How often a server process says it is alive."""
LEASE_S = 60
"""A server process silent for this long is gone: its active runs are interrupted."""


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
    with _migration_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        if _predates_migrations(connection):
            command.stamp(config, BEFORE_MIGRATIONS)
        command.upgrade(config, "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file, an exclusive lock on a file beside it while migrating (processes of
    one host); PostgreSQL locks inside the migration's transaction instead."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock = Path(f"{database}.migrating")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        except (OperationalError, OSError) as error:
            self.engine.dispose()
            shown = self.engine.url.render_as_string(hide_password=True)
            reason = error.orig if isinstance(error, OperationalError) else error.strerror
            raise StoreError(f"cannot open the database {shown}: {reason}") from error
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.server_id: str | None = None
        """This process's id among the servers (once ``register_server`` is called)."""

    def close(self) -> None:
        """Close the database connections (the server stops)."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends without error."""
        with self._sessions.begin() as session:
            yield session

    def add(self, record: Base) -> None:
        """Keep a new record."""
        with self.session() as session:
            session.add(record)

    def upload(self, upload_id: str, visible: ColumnElement[bool] | None = None) -> Upload | None:
        """The upload with this id (among those ``visible`` selects, when given)."""
        query = select(Upload).where(Upload.id == upload_id, _or_all(visible))
        with self.session() as session:
            return session.scalars(query).first()

    def run(self, run_id: str, visible: ColumnElement[bool] | None = None) -> Run | None:
        """The run with this id (among those ``visible`` selects, when given)."""
        query = select(Run).where(Run.id == run_id, _or_all(visible))
        with self.session() as session:
            return session.scalars(query).first()

    def set_run(self, run_id: str, **values: Any) -> None:
        """Change fields of a run."""
        with self.session() as session:
            session.execute(update(Run).where(Run.id == run_id).values(**values))

    def runs(
        self,
        *,
        batch_id: str | None = None,
        limit: int = 200,
        visible: ColumnElement[bool] | None = None,
    ) -> Sequence[Run]:
        """Runs (those ``visible`` selects), newest first (of one what-if batch, oldest first)."""
        query = select(Run).where(_or_all(visible))
        if batch_id is not None:
            query = query.where(Run.batch_id == batch_id).order_by(Run.created_at, Run.name)
        else:
            query = query.order_by(Run.created_at.desc()).limit(limit)
        with self.session() as session:
            return session.scalars(query).all()

    def runs_by_ids(
        self, ids: Sequence[str], visible: ColumnElement[bool] | None = None
    ) -> list[Run]:
        """The runs with these ids, in that order (unknown and invisible ids left out)."""
        query = select(Run).where(Run.id.in_(ids), _or_all(visible))
        with self.session() as session:
            found = {r.id: r for r in session.scalars(query)}
        return [found[i] for i in ids if i in found]

    def uploads(
        self, limit: int = 200, visible: ColumnElement[bool] | None = None
    ) -> Sequence[Upload]:
        """Uploads (those ``visible`` selects), newest first."""
        query = select(Upload).where(_or_all(visible))
        with self.session() as session:
            return session.scalars(query.order_by(Upload.created_at.desc()).limit(limit)).all()

    def active_runs(self) -> Sequence[Run]:
        """Runs queued or running, oldest first."""
        with self.session() as session:
            return session.scalars(
                select(Run)
                .where(Run.status.in_([RunStatus.queued.value, RunStatus.running.value]))
                .order_by(Run.created_at)
            ).all()

    # ---------------------------------------------------------------------- server processes

    def register_server(self) -> str:
        """Record this process among the live servers; its runs are its own to follow."""
        moment = now()
        server = Server(
            id=new_id(),
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=moment,
            heartbeat_at=moment,
        )
        self.add(server)
        self.server_id = server.id
        return server.id

    def heartbeat(self) -> None:
        """Say this process is still alive."""
        if self.server_id is not None:
            with self.session() as session:
                session.execute(
                    update(Server).where(Server.id == self.server_id).values(heartbeat_at=now())
                )

    def retire_server(self) -> None:
        """This process stops: its runs still active are left to be marked interrupted."""
        if self.server_id is not None:
            with self.session() as session:
                session.execute(delete(Server).where(Server.id == self.server_id))
            self.server_id = None

    def live_servers(self) -> list[str]:
        """Ids of the server processes alive: beating within ``LEASE_S``, and still running
        when they are on this host."""
        stale = now() - dt.timedelta(seconds=LEASE_S)
        host = socket.gethostname()[:255]
        with self.session() as session:
            servers = session.scalars(select(Server).where(Server.heartbeat_at >= stale)).all()
        return [s.id for s in servers if s.host != host or _process_alive(s.pid)]

    def mark_interrupted(self) -> int:
        """Runs left queued or running by a server process that is gone are interrupted (those
        of other live processes, which still follow them, are left alone)."""
        live = self.live_servers()
        if self.server_id is not None and self.server_id not in live:
            live.append(self.server_id)
        with self.session() as session:
            result = session.execute(
                update(Run)
                .where(
                    Run.status.in_([RunStatus.queued.value, RunStatus.running.value]),
                    or_(Run.server_id.is_(None), Run.server_id.not_in(live)),
                )
                .values(
                    status=RunStatus.interrupted.value,
                    finished_at=now(),
                    message="the server stopped before this run finished: run it again",
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)


def _or_all(visible: ColumnElement[bool] | None) -> ColumnElement[bool]:
    """The visibility condition, or one that selects everything."""
    return true() if visible is None else visible


def _process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
