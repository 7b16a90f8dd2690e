"""Stop a solve that is already running: the worker's solver ends at once and the plan found so
far is kept (figures, plan workbook), with local worker processes and on a Dask cluster; a tiny
solve on the cluster reports its progress and completes."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from logistics.web.app import WebConfig, create_app
from tests.web.conftest import TINY, as_planner, upload, wait_for

STOPPED_WITHIN_S = 15.0
"""From Stop to the run's end: the solver stops at its next tick, then the plan is written."""
TIME_LIMIT_S = 120.0
"""Far longer than the test waits: only Stop can end the solve this soon."""


@pytest.fixture(scope="module")
def long_mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic mission of 20 bases over 30 days: its first plan comes in seconds, its search
    runs past a minute."""
    from benchmarks.synthetic import synthetic_mission
    from logistics.io.template import write_input_workbook

    path = tmp_path_factory.mktemp("long") / "synthetic-20.xlsx"
    write_input_workbook(synthetic_mission(20, horizon_days=30), path)
    return path


def solving_with_a_plan(client: TestClient, run_id: str, timeout_s: float = 120) -> dict:
    """Poll the run until its solver reports a plan found; return that progress."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        assert run["status"] in ("queued", "running"), run
        progress = run["progress"]
        if str(progress.get("stage", "")).startswith("solving") and progress.get("incumbent"):
            return dict(progress)
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} found no plan in {timeout_s} s")


def stop_while_solving(client: TestClient, path: Path) -> tuple[dict, float]:
    """Solve ``path``, press Stop once a plan is found; the ended run and the seconds it took
    to end after Stop."""
    found = upload(client, path)
    run = client.post(
        f"/api/uploads/{found['id']}/solve", json={"time_limit_s": TIME_LIMIT_S}
    ).json()
    solving_with_a_plan(client, run["id"])
    pressed = time.monotonic()
    assert client.post(f"/api/runs/{run['id']}/stop").json() == {"stopping": True}
    ended = wait_for(client, run["id"], timeout_s=60)
    return ended, time.monotonic() - pressed


def assert_kept_a_plan(client: TestClient, ended: dict, waited_s: float) -> None:
    """The run ended as stopped, soon after Stop, with the plan found kept."""
    assert ended["status"] == "stopped", ended
    assert waited_s < STOPPED_WITHIN_S, waited_s
    assert "best plan found is kept" in ended["message"]
    assert ended["figures"]["status"] == "feasible"
    assert ended["figures"]["demand_met_pct"] > 0
    workbook = client.get(f"/api/runs/{ended['id']}/files/plan.xlsx")
    assert workbook.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True).sheetnames
    assert "Brief" in sheets
    page = client.get(f"/runs/{ended['id']}").text
    assert "stopped by the planner; the best plan found is kept" in page
    assert "The plan is usable, but the search ran out of time" in page


def test_stop_ends_a_running_solve_and_keeps_its_plan(
    client: TestClient, long_mission: Path
) -> None:
    ended, waited_s = stop_while_solving(client, long_mission)
    assert_kept_a_plan(client, ended, waited_s)


def test_stop_pressed_on_another_server_process_reaches_the_solve(
    client: TestClient, long_mission: Path, tmp_path: Path, database_url: str | None
) -> None:
    """Two server processes share the data folder and the database (a deployment behind a
    proxy): Stop pressed on the one that does not follow the run still stops it."""
    found = upload(client, long_mission)
    run = client.post(
        f"/api/uploads/{found['id']}/solve", json={"time_limit_s": TIME_LIMIT_S}
    ).json()
    solving_with_a_plan(client, run["id"])
    config = WebConfig(data_dir=tmp_path / "server", database_url=database_url)
    with TestClient(create_app(config)) as other:
        as_planner(other)
        pressed = time.monotonic()
        assert other.post(f"/api/runs/{run['id']}/stop").json() == {"stopping": True}
        assert other.get(f"/api/runs/{run['id']}").json()["status"] == "running"
    ended = wait_for(client, run["id"], timeout_s=60)
    assert_kept_a_plan(client, ended, time.monotonic() - pressed)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A one-worker Dask cluster in this process, reached by TCP as ``--scheduler`` is."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield str(local.scheduler_address)


@pytest.fixture
def dask_client(tmp_path: Path, cluster: str, database_url: str | None) -> Iterator[TestClient]:
    """The application solving on ``cluster``."""
    app = create_app(
        WebConfig(data_dir=tmp_path / "server", scheduler=cluster, database_url=database_url)
    )
    with TestClient(app) as test_client:
        yield as_planner(test_client)


def test_a_tiny_solve_on_dask_reports_its_progress_and_completes(
    dask_client: TestClient,
) -> None:
    from distributed import Client, Variable

    service = dask_client.app.state.service  # type: ignore[attr-defined]
    found = upload(dask_client, TINY)
    run = dask_client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 20}).json()
    ended = wait_for(dask_client, run["id"])
    assert ended["status"] == "done"
    assert ended["figures"]["status"] == "optimal"
    assert ended["started_at"], "the run is marked running when its progress reaches the server"
    client: Client = service.jobs._client
    reported = Variable(f"progress-{run['id']}", client=client).get(timeout=5)
    assert reported["stage"] and reported["elapsed_s"] > 0
    assert not (service.folder.run(run["id"]) / "progress.json").exists()
    assert dask_client.get(f"/api/runs/{run['id']}/files/plan.xlsx").status_code == 200


def test_stop_reaches_a_solve_on_dask(dask_client: TestClient, long_mission: Path) -> None:
    service = dask_client.app.state.service  # type: ignore[attr-defined]
    ended, waited_s = stop_while_solving(dask_client, long_mission)
    assert_kept_a_plan(dask_client, ended, waited_s)
    assert not (service.folder.run(ended["id"]) / "stop").exists(), "Stop went through Dask"
