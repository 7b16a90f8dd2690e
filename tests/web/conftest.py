"""Fixtures of the web tests: an application with its own data folder and database, a client
signed in as a planner of the default mission (every route needs an account), and a solved plan.

The history is SQLite in the data folder unless ``LOGISTICS_TEST_DATABASE_URL`` names a PostgreSQL
database (``.ci/run`` runs the web tests once more with it): each test then gets a database of
its own, created beside that one and dropped when the test ends.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from logistics.web.accounts import add_user
from logistics.web.app import WebConfig, create_app
from logistics.web.store import Store
from logistics.web.tables import DEFAULT_MISSION_ID, Role, User

TINY = Path("inputs/tiny.xlsx")
"""Solves in about a second: every solve of these tests uses it."""
PASSWORD = "correct horse battery staple"
"""Every test account's password."""


def store_of(client: TestClient) -> Store:
    """The history of the application a test client drives."""
    found: Store = client.app.state.service.store  # type: ignore[attr-defined]
    return found


def account(
    store: Store,
    name: str,
    role: Role = Role.planner,
    missions: tuple[str, ...] = (DEFAULT_MISSION_ID,),
    team_id: str | None = None,
) -> User:
    """The account ``name``, made when it does not exist yet (planners of ``missions``)."""
    from sqlalchemy import select

    with store.session() as session:
        found = session.scalar(select(User).where(User.name == name))
    if found is not None:
        return found
    joined = missions if role == Role.planner else ()
    return add_user(store, name, role, PASSWORD, joined, team_id)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> dict:
    """Sign the client in through the API; its changes then carry the session's CSRF token."""
    response = client.post("/api/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    me = response.json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return me


def as_planner(client: TestClient, name: str = "planner") -> TestClient:
    """The client signed in as a planner of the default mission."""
    account(store_of(client), name)
    sign_in(client, name)
    return client


@contextmanager
def new_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database when ``LOGISTICS_TEST_DATABASE_URL`` is set, dropped after
    the block; otherwise ``None`` (the server's default: SQLite in its data folder)."""
    given = os.environ.get("LOGISTICS_TEST_DATABASE_URL")
    if not given:
        yield None
        return
    name = f"logistics_test_{secrets.token_hex(6)}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(given).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url() -> Iterator[str | None]:
    """A database of the test's own (see ``new_database``)."""
    with new_database() as url:
        yield url


@pytest.fixture
def client(tmp_path: Path, database_url: str | None) -> Iterator[TestClient]:
    """The application on a fresh data folder and database, one worker and a queue of two."""
    app = create_app(
        WebConfig(data_dir=tmp_path / "server", workers=1, queue_limit=2, database_url=database_url)
    )
    with TestClient(app) as test_client:
        yield as_planner(test_client)


def upload(client: TestClient, path: Path, name: str = "mission.xlsx") -> dict:
    """Upload a workbook through the API; return its JSON."""
    with path.open("rb") as handle:
        return client.post("/api/uploads", files={"workbook": (name, handle)}).json()


def wait_for(client: TestClient, run_id: str, timeout_s: float = 120) -> dict:
    """Poll a run until it has ended; return its JSON."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not end in {timeout_s} s")


@pytest.fixture
def solved(client: TestClient) -> dict:
    """A solved plan of the tiny mission."""
    found = upload(client, TINY)
    run = client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 20}).json()
    return wait_for(client, run["id"])
