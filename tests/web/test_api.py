"""The JSON API and the pages, driven with FastAPI's test client: uploads good and bad (every
bad workbook of the test corpus), solves, stop, what-ifs, comparison, history, security."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from logistics.web import files
from tests.test_bad_inputs import CASES
from tests.web.conftest import TINY, as_planner, upload, wait_for


def test_a_valid_workbook_is_accepted_with_its_name_and_no_problems(client: TestClient) -> None:
    found = upload(client, TINY, "tiny.xlsx")
    assert found["valid"] is True
    assert found["file_name"] == "tiny.xlsx"
    assert [i for i in found["issues"] if i["severity"] == "error"] == []
    page = client.get(f"/uploads/{found['id']}")
    assert "The workbook is valid" in page.text
    assert 'action="/uploads/' in page.text


def described(issue: dict) -> str:
    """An issue of the API as ``Issue.describe`` words it (what the corpus's words are in)."""
    header = f" [{issue['header']}]" if issue["header"] else ""
    value = f" = {issue['value']}" if issue["value"] else ""
    prefix = "warning: " if issue["severity"] == "warning" else ""
    return f"{prefix}{issue['location']}{header}{value}: {issue['message']}"


@pytest.mark.parametrize("name", list(CASES))
def test_every_bad_workbook_is_refused_at_its_cell(
    client: TestClient, edited_workbook: Callable[..., Path], name: str
) -> None:
    case = CASES[name]
    path = edited_workbook(case.edit)
    with path.open("rb") as handle:
        response = client.post("/api/uploads", files={"workbook": ("bad.xlsx", handle)})
    assert response.status_code == 422
    issues = response.json()["issues"]
    assert any(
        i["location"] == case.location and all(word in described(i) for word in case.words)
        for i in issues
    ), issues
    page = client.get(f"/uploads/{response.json()['id']}")
    assert case.location in page.text


def test_the_annotated_workbook_marks_the_problem_cells_and_nothing_else(
    client: TestClient, edited_workbook: Callable[..., Path]
) -> None:
    case = next(c for c in CASES.values() if "!" in c.location)
    path = edited_workbook(case.edit)
    with path.open("rb") as handle:
        found = client.post("/api/uploads", files={"workbook": ("bad.xlsx", handle)}).json()
    response = client.get(f"/uploads/{found['id']}/annotated.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    marked = openpyxl.load_workbook(io.BytesIO(response.content))
    original = openpyxl.load_workbook(path)
    sheet, cell = case.location.split("!")
    assert marked[sheet][cell].comment is not None
    assert marked[sheet][cell].fill.start_color.rgb == files.ERROR_FILL
    for ws in original:
        for row in ws.iter_rows():
            for c in row:
                assert marked[ws.title][c.coordinate].value == c.value


def test_hostile_and_non_workbook_files_are_refused_by_the_pre_flight(
    client: TestClient, tmp_path: Path
) -> None:
    cases = {
        "text.xlsx": b"not a workbook at all",
        "old.xls": bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600,
        "empty.xlsx": b"",
        "garbage.xlsx": b"PK\x03\x04" + b"\xff" * 200,
    }
    for name, content in cases.items():
        response = client.post("/api/uploads", files={"workbook": (name, content)})
        assert response.status_code == 422, name
        issues = response.json()["issues"]
        assert issues and all(i["sheet"] == name for i in issues), issues
        assert str(tmp_path) not in response.text


def test_the_client_file_name_never_becomes_a_path(client: TestClient, tmp_path: Path) -> None:
    with TINY.open("rb") as handle:
        found = client.post(
            "/api/uploads", files={"workbook": ("../../../etc/evil.xlsx", handle)}
        ).json()
    assert found["file_name"] == "evil.xlsx"
    stored = list((tmp_path / "server" / "uploads").iterdir())
    assert len(stored) == 1 and "evil" not in stored[0].name
    assert not (tmp_path / "etc").exists()


def test_an_upload_past_the_cap_is_refused_with_413(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1000)
    response = client.post("/api/uploads", files={"workbook": ("big.xlsx", b"PK" * 2000)})
    assert response.status_code == 413
    declared = client.post(
        "/api/uploads", content=b"x", headers={"content-length": str(200 * 2**20)}
    )
    assert declared.status_code == 413


def test_a_request_without_a_file_is_a_clear_400(client: TestClient) -> None:
    response = client.post("/api/uploads", data={"other": "x"})
    assert response.status_code == 400
    assert "workbook" in response.json()["detail"]


def test_a_solve_gives_a_plan_with_figures_and_files(client: TestClient, solved: dict) -> None:
    assert solved["status"] == "done"
    assert solved["figures"]["status"] == "optimal"
    assert solved["figures"]["demand_met_pct"] > 0
    names = {f.rsplit("/", 1)[1] for f in solved["files"]}
    assert {"plan.xlsx", "plan.geojson", "plan.kml", "timeline.svg", "map.svg"} <= names
    workbook = client.get(f"/api/runs/{solved['id']}/files/plan.xlsx")
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "Summary" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    geojson = client.get(f"/api/runs/{solved['id']}/files/plan.geojson").json()
    assert {f["properties"]["feature"] for f in geojson["features"]} >= {"base", "route"}
    plan = client.get(f"/api/runs/{solved['id']}/plan").json()
    assert plan["days_of_supply"] and plan["bases"]
    page = client.get(f"/runs/{solved['id']}")
    assert "Key figures" in page.text and "Days of supply" in page.text


def test_unknown_ids_and_files_are_404_without_details(client: TestClient, solved: dict) -> None:
    assert client.get("/api/runs/nope").status_code == 404
    assert client.get("/api/uploads/nope").status_code == 404
    assert client.get(f"/api/runs/{solved['id']}/files/summary.pickle").status_code == 404
    assert client.get(f"/api/runs/{solved['id']}/files/..%2Fhistory.sqlite").status_code == 404
    assert client.get("/runs/nope").status_code == 404


def test_run_ids_are_unguessable(solved: dict) -> None:
    assert len(solved["id"]) >= 20


def test_a_full_queue_answers_429_with_retry_after(client: TestClient) -> None:
    found = upload(client, TINY)
    answers = [
        client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 30})
        for _ in range(5)
    ]
    codes = [a.status_code for a in answers]
    assert codes[:3] == [202, 202, 202]
    busy = answers[3]
    assert busy.status_code == 429
    assert int(busy.headers["retry-after"]) > 0
    assert "ahead of you" in busy.json()["detail"]
    for answer in answers[:3]:
        assert wait_for(client, answer.json()["id"])["status"] in ("done", "stopped")


def test_stop_cancels_a_waiting_run(client: TestClient) -> None:
    found = upload(client, TINY)
    first = client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 30}).json()
    second = client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 30}).json()
    assert client.post(f"/api/runs/{second['id']}/stop").json() == {"stopping": True}
    ended = wait_for(client, second["id"])
    assert ended["status"] == "stopped"
    assert ended["message"] == "stopped before it started: nothing was solved"
    assert ended["files"] == [] and ended["started_at"] is None
    assert wait_for(client, first["id"])["status"] == "done"


def test_what_ifs_use_the_command_line_semantics_and_are_compared(
    client: TestClient, solved: dict
) -> None:
    bad = client.post(
        f"/api/runs/{solved['id']}/whatif",
        json={"scenarios": [{"name": "closed", "changes": ["close-route NOPE:2-5"]}]},
    )
    assert bad.status_code == 422
    assert "no route_id 'NOPE'" in bad.json()["issues"][0]["message"]
    good = client.post(
        f"/api/runs/{solved['id']}/whatif",
        json={
            "scenarios": [
                {"name": "closed", "changes": ["close-route HUB-A:1-4"]},
                {"name": "threat", "changes": ["threat HUB-B=4"]},
            ]
        },
    )
    assert good.status_code == 202
    runs = [wait_for(client, r["id"]) for r in good.json()["runs"]]
    assert [r["status"] for r in runs] == ["done", "done"]
    ids = [solved["id"], *(r["id"] for r in runs)]
    comparison = client.get("/api/compare", params={"runs": ids}).json()
    assert comparison["scenarios"][0] == "base"
    assert {d["scenario"] for d in comparison["differences"]} == {"closed", "threat"}
    page = client.get(f"/batches/{good.json()['batch_id']}")
    assert "Download the comparison workbook" in page.text
    workbook = client.get("/compare.xlsx", params={"runs": ids})
    assert workbook.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames


def test_the_what_if_form_writes_command_line_changes(client: TestClient, solved: dict) -> None:
    form = client.get(f"/runs/{solved['id']}/whatif")
    assert 'for="s1_close_route"' in form.text
    response = client.post(
        f"/runs/{solved['id']}/whatif",
        data={
            "s1_name": "closed",
            "s1_close_route": "HUB-A",
            "s1_close_first": "2",
            "s1_close_last": "5",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    batch = response.headers["location"].rsplit("/", 1)[1]
    (run,) = [r for r in client.get("/api/history").json()["runs"] if r["batch_id"] == batch]
    assert run["settings"]["changes"] == ["close-route HUB-A:2-5"]
    assert wait_for(client, run["id"])["status"] == "done"


def test_history_survives_a_restart_and_interrupted_runs_can_be_rerun(
    tmp_path: Path, database_url: str | None
) -> None:
    from logistics.web.app import WebConfig, create_app
    from logistics.web.store import Run, RunStatus, Store, now, sqlite_url
    from logistics.web.tables import DEFAULT_MISSION_ID

    config = WebConfig(data_dir=tmp_path / "server", database_url=database_url)
    with TestClient(create_app(config)) as first:
        found = upload(as_planner(first), TINY)
    store = Store(database_url or sqlite_url(tmp_path / "server" / "history.sqlite"))
    store.add(
        Run(
            id="left-running-by-a-crash",
            upload_id=found["id"],
            mission_id=DEFAULT_MISSION_ID,
            kind="solve",
            name="base",
            created_at=now(),
            client="test",
            input_sha256=found["sha256"],
            status=RunStatus.running.value,
        )
    )
    store.close()
    with TestClient(create_app(config)) as second:
        as_planner(second)
        run = second.get("/api/runs/left-running-by-a-crash").json()
        assert run["status"] == "interrupted"
        assert second.get(f"/api/uploads/{found['id']}").json()["valid"] is True
        again = second.post("/api/runs/left-running-by-a-crash/rerun")
        assert again.status_code == 202
        assert wait_for(second, again.json()["id"])["status"] == "done"


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/history", "/docs", "/api/history", "/static/app.js", "/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_hold_no_inline_script_and_load_nothing_from_elsewhere(
    client: TestClient, solved: dict
) -> None:
    import re

    for path in ("/", "/history", "/docs", f"/runs/{solved['id']}", f"/runs/{solved['id']}/whatif"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), path


def test_the_api_is_described_by_openapi_with_local_swagger_ui(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/uploads" in spec["paths"] and "/api/runs/{run_id}/whatif" in spec["paths"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert client.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_the_vendored_files_match_their_record() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "scripts/vendor_web_assets.py", "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_an_unexpected_error_shows_no_traceback(
    client: TestClient, solved: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logistics.web.service import Service

    def broken(self: Service, run: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Service, "view", broken)
    local = TestClient(client.app, raise_server_exceptions=False)
    local.cookies = client.cookies
    response = local.get(f"/api/runs/{solved['id']}/plan")
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
