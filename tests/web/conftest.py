"""Fixtures of the web tests: an application with its own data folder, and a solved plan."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from logistics.web.app import WebConfig, create_app

TINY = Path("inputs/tiny.xlsx")
"""Solves in about a second: every solve of these tests uses it."""


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The application on a fresh data folder, one worker and a queue of two."""
    app = create_app(WebConfig(data_dir=tmp_path / "server", workers=1, queue_limit=2))
    with TestClient(app) as test_client:
        yield test_client


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
