"""The re-plan form of a plan page: actuals uploaded against a solved plan of the tiny mission
are checked like ``logistics replan`` (problems listed with their cells), then re-planned as a
run of its own whose plan workbook has the Changes sheet."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from logistics.io.template import write_actuals_template
from tests.web.conftest import wait_for


def _actuals(tmp_path: Path, report_day: int, reports: list[tuple[object, ...]]) -> bytes:
    path = tmp_path / "actuals.xlsx"
    write_actuals_template(path)
    workbook = openpyxl.load_workbook(path)
    workbook["Report"]["A2"] = report_day
    for number, row in enumerate(reports, start=2):
        for column, value in enumerate(row, start=1):
            workbook["ConvoyReports"].cell(number, column, value)
    workbook.save(path)
    return path.read_bytes()


def test_the_plan_page_links_to_the_replan_form(client: TestClient, solved: dict) -> None:
    page = client.get(f"/runs/{solved['id']}").text
    assert f'href="/runs/{solved["id"]}/replan"' in page
    form = client.get(f"/runs/{solved['id']}/replan")
    assert form.status_code == 200
    assert 'name="actuals"' in form.text
    template = client.get("/replan/actuals-template.xlsx")
    assert "Report" in openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames


def test_bad_actuals_are_listed_with_their_cells(
    client: TestClient, solved: dict, tmp_path: Path
) -> None:
    content = _actuals(tmp_path, 3, [("L-B-d09", "lost")])
    answer = client.post(
        f"/runs/{solved['id']}/replan",
        files={"actuals": ("actuals.xlsx", content)},
        data={"freeze_days": "2"},
    )
    assert answer.status_code == 422
    assert "ConvoyReports!A2" in answer.text
    assert "no convoy_id &#39;L-B-d09&#39; in the plan&#39;s Convoys sheet" in answer.text


def test_actuals_are_re_planned_as_a_run_of_their_own(
    client: TestClient, solved: dict, tmp_path: Path
) -> None:
    content = _actuals(tmp_path, 3, [("L-B-d02", "delayed", 2)])
    answer = client.post(
        f"/runs/{solved['id']}/replan",
        files={"actuals": ("actuals.xlsx", content)},
        data={"freeze_days": "2", "time_limit_s": "20"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    run_id = answer.headers["location"].rsplit("/", 1)[-1]
    run = wait_for(client, run_id)
    assert run["status"] == "done", run
    plan = client.get(f"/runs/{run_id}/files/plan.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(plan.content))
    changes = list(workbook["Changes"].iter_rows(values_only=True))
    assert ("convoy cancelled", "L-A-d03") in [row[:2] for row in changes]
