"""The database's schema comes from the Alembic migrations: an empty database and one made by the
server before it had migrations are both upgraded to the schema the code expects, without losing
the history."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from logistics.cli import app as cli
from logistics.web.store import (
    BEFORE_MIGRATIONS,
    MIGRATIONS,
    Base,
    Store,
    StoreError,
    revision,
    sqlite_url,
)

PRE_MIGRATION_SCHEMA = """
CREATE TABLE uploads (
    id VARCHAR(32) NOT NULL, created_at DATETIME NOT NULL, client VARCHAR(200) NOT NULL,
    file_name VARCHAR(255) NOT NULL, stored_name VARCHAR(64) NOT NULL,
    size_bytes INTEGER NOT NULL, sha256 VARCHAR(64) NOT NULL, valid INTEGER NOT NULL,
    scenario_name VARCHAR(255) NOT NULL, issues_json TEXT NOT NULL, ids_json TEXT NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE runs (
    id VARCHAR(32) NOT NULL, upload_id VARCHAR(32) NOT NULL, kind VARCHAR(16) NOT NULL,
    name VARCHAR(100) NOT NULL, parent_id VARCHAR(32), batch_id VARCHAR(32),
    created_at DATETIME NOT NULL, started_at DATETIME, finished_at DATETIME,
    client VARCHAR(200) NOT NULL, input_sha256 VARCHAR(64) NOT NULL,
    settings_json TEXT NOT NULL, status VARCHAR(16) NOT NULL, message TEXT NOT NULL,
    figures_json TEXT NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(upload_id) REFERENCES uploads (id)
);
INSERT INTO uploads VALUES ('u1', '2026-01-05 08:00:00', 'planner', 'mission.xlsx', 'abc.xlsx',
    1234, 'f00d', 1, 'Tiny', '[]', '{}');
INSERT INTO runs VALUES ('r1', 'u1', 'solve', 'base', NULL, NULL, '2026-01-05 08:01:00',
    '2026-01-05 08:01:01', '2026-01-05 08:01:09', 'planner', 'f00d', '{}', 'done', '',
    '{"demand_met_pct": 100}');
"""
"""The tables exactly as the server created them before migrations, with one upload and its run."""


@contextmanager
def opened(url: str) -> Iterator[Store]:
    """The store at ``url``, closed after the block (PostgreSQL connections are not left open)."""
    store = Store(url)
    try:
        yield store
    finally:
        store.close()


def head() -> str:
    """The newest revision of the migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    found = ScriptDirectory.from_config(config).get_current_head()
    assert found is not None
    return found


def differences(store: Store) -> list[object]:
    """What differs between the migrated database and the tables the code declares."""
    with store.engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_an_empty_database_is_migrated_to_the_schema_the_code_declares(
    tmp_path: Path, database_url: str | None
) -> None:
    with opened(database_url or sqlite_url(tmp_path / "history.sqlite")) as store:
        assert revision(store.engine) == head()
        assert differences(store) == []


def test_a_history_made_before_migrations_is_upgraded_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with sqlite3.connect(path) as old:
        old.executescript(PRE_MIGRATION_SCHEMA)
    with opened(sqlite_url(path)) as store:
        assert revision(store.engine) == head()
        assert differences(store) == []
        upload, run = store.upload("u1"), store.run("r1")
    assert upload is not None and upload.scenario_name == "Tiny"
    assert run is not None and run.upload_id == "u1" and run.figures == {"demand_met_pct": 100}


def test_opening_an_upgraded_database_again_changes_nothing(
    tmp_path: Path, database_url: str | None
) -> None:
    url = database_url or sqlite_url(tmp_path / "history.sqlite")
    with opened(url):
        pass
    with opened(url) as store:
        assert revision(store.engine) == head()
        assert differences(store) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("history.sqlite", "is not a database URL"),
        ("nosuchdb+nodriver://host/logistics", "is not a database URL"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_said_so(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Store(url)


def test_a_database_server_that_cannot_be_reached_is_named_without_its_password() -> None:
    with pytest.raises(StoreError, match="cannot open the database") as raised:
        Store("postgresql+psycopg://planner:s3cret@127.0.0.1:9/logistics?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
    assert "postgresql+psycopg://planner:***@127.0.0.1:9/logistics" in str(raised.value)


def test_serve_reports_a_database_it_cannot_open_in_words(tmp_path: Path) -> None:
    unreachable = sqlite_url(tmp_path / "no such folder" / "history.sqlite")
    result = CliRunner().invoke(
        cli,
        ["serve", "--data-dir", str(tmp_path / "server")],
        env={"LOGISTICS_DATABASE_URL": unreachable},
    )
    assert result.exit_code == 2
    assert "Could not open the history" in result.output
    assert "Traceback" not in result.output


def test_the_server_keeps_its_history_in_the_database_it_is_given(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from logistics.web.app import WebConfig, create_app
    from tests.web.conftest import as_planner

    elsewhere = tmp_path / "shared" / "history.sqlite"
    elsewhere.parent.mkdir()
    config = WebConfig(data_dir=tmp_path / "server", database_url=sqlite_url(elsewhere))
    with TestClient(create_app(config)) as client:
        assert as_planner(client).get("/api/history").json() == {"uploads": [], "runs": []}
    with opened(sqlite_url(elsewhere)) as store:
        assert revision(store.engine) == head()
    assert not (tmp_path / "server" / "history.sqlite").exists()


def test_the_history_before_accounts_moves_into_the_default_mission(
    tmp_path: Path, database_url: str | None
) -> None:
    from alembic import command
    from sqlalchemy import text

    from logistics.web.store import connect
    from logistics.web.tables import DEFAULT_MISSION_ID, Mission

    url = database_url or sqlite_url(tmp_path / "history.sqlite")
    engine = connect(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE_MIGRATIONS)
        for statement in PRE_MIGRATION_SCHEMA.split(";"):
            if statement.strip().startswith("INSERT"):
                connection.execute(text(statement))
    engine.dispose()
    with opened(url) as store:
        assert revision(store.engine) == head()
        upload, run = store.upload("u1"), store.run("r1")
        with store.session() as session:
            mission = session.get(Mission, DEFAULT_MISSION_ID)
    assert mission is not None and mission.name == "Default mission"
    assert upload is not None and upload.mission_id == DEFAULT_MISSION_ID
    assert upload.created_by is None
    assert run is not None and run.mission_id == DEFAULT_MISSION_ID and run.status == "done"


def test_several_processes_starting_together_migrate_once(
    tmp_path: Path, database_url: str | None
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    url = database_url or sqlite_url(tmp_path / "history.sqlite")

    def start() -> str | None:
        with opened(url) as store:
            return revision(store.engine)

    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: start(), range(4)))
    assert found == [head()] * 4


def test_start_up_interrupts_only_the_runs_of_server_processes_that_are_gone(
    tmp_path: Path, database_url: str | None
) -> None:
    import datetime as dt
    import subprocess

    from sqlalchemy import update

    from logistics.web.store import LEASE_S, Run, RunStatus, Server, new_id, now
    from logistics.web.tables import DEFAULT_MISSION_ID, Upload

    url = database_url or sqlite_url(tmp_path / "history.sqlite")
    with opened(url) as live, opened(url) as silent, opened(url) as starting:
        live.register_server()
        silent.register_server()
        dead_pid = subprocess.Popen(["true"])
        dead_pid.wait()
        dead = Server(
            id=new_id(), host=socket_host(), pid=dead_pid.pid, started_at=now(), heartbeat_at=now()
        )
        starting.add(dead)
        starting.add(
            Upload(
                id="u",
                mission_id=DEFAULT_MISSION_ID,
                created_at=now(),
                client="t",
                file_name="t.xlsx",
                stored_name="t.xlsx",
                size_bytes=1,
                sha256="0",
                valid=1,
                scenario_name="",
                issues_json="[]",
                ids_json="{}",
            )
        )
        owners = {"live": live.server_id, "silent": silent.server_id, "dead": dead.id, "none": None}
        for name, owner in owners.items():
            starting.add(
                Run(
                    id=name,
                    upload_id="u",
                    mission_id=DEFAULT_MISSION_ID,
                    server_id=owner,
                    kind="solve",
                    created_at=now(),
                    client="t",
                    input_sha256="0",
                    status=RunStatus.running.value,
                )
            )
        with starting.session() as session:
            stale = now() - dt.timedelta(seconds=LEASE_S + 1)
            session.execute(
                update(Server).where(Server.id == silent.server_id).values(heartbeat_at=stale)
            )
        starting.register_server()
        assert starting.mark_interrupted() == 3
        statuses = {name: starting.run(name).status for name in owners}  # type: ignore[union-attr]
    assert statuses == {
        "live": "running",
        "silent": "interrupted",
        "dead": "interrupted",
        "none": "interrupted",
    }


def socket_host() -> str:
    """This host's name, as a server process records it."""
    import socket

    return socket.gethostname()
