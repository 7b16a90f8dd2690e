"""The audit trail: every upload, solve, share, download and revocation is a line naming who,
what and when; admins read it and export it as CSV; no route changes it, and the database
refuses to update or delete its lines."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from logistics.web import audit
from logistics.web.access import ROUTES
from logistics.web.accounts import add_team
from logistics.web.tables import DEFAULT_MISSION_ID, AuditEvent, Role
from tests.web.conftest import account, sign_in, store_of


@pytest.fixture
def admin(client: TestClient) -> TestClient:
    """An admin of the same application, signed in."""
    account(store_of(client), "root", Role.admin, ())
    other = TestClient(client.app)
    sign_in(other, "root")
    return other


def trail(admin: TestClient) -> list[dict[str, str]]:
    """The exported trail, oldest first."""
    response = admin.get("/admin/audit.csv")
    assert response.headers["content-type"].startswith("text/csv")
    return list(reversed(list(csv.DictReader(io.StringIO(response.text)))))


def exported(object_id: str) -> str:
    """An id as the CSV export writes it: a random id may start with '-', which the export
    defuses with a quote like any cell a spreadsheet would take for a formula."""
    return "'" + object_id if object_id.startswith(audit.FORMULA_STARTS) else object_id


def test_the_trail_says_who_uploaded_solved_shared_downloaded_and_revoked(
    client: TestClient, solved: dict, admin: TestClient
) -> None:
    team = add_team(store_of(client), DEFAULT_MISSION_ID, "Liaison cell")
    client.post(f"/runs/{solved['id']}/shares", data={"team_id": team.id, "link": "true"})
    client.get(f"/runs/{solved['id']}/files/plan.xlsx")
    share_id = client.get("/api/shares").json()["shares"][0]["id"]
    client.post(f"/shares/{share_id}/revoke")
    lines = [(line["actor"], line["action"], line["object_id"]) for line in trail(admin)]
    assert ("planner", "upload", exported(solved["upload_id"])) in lines
    assert ("planner", "solve", exported(solved["id"])) in lines
    assert ("planner", "share", exported(share_id)) in lines
    assert ("planner", "download", exported(solved["id"])) in lines
    assert ("planner", "revoke", exported(share_id)) in lines
    assert lines[-1][1] == "revoke"
    assert [a for _, a, _ in lines].count("sign-in") >= 2
    page = admin.get("/admin/audit").text
    assert share_id in page and "revoke" in page


def test_a_refused_sign_in_is_in_the_trail(client: TestClient, admin: TestClient) -> None:
    TestClient(client.app).post("/api/login", json={"name": "planner", "password": "x" * 12})
    assert ("planner", "sign-in refused") in {(e["actor"], e["action"]) for e in trail(admin)}


def test_no_route_changes_the_trail() -> None:
    assert all(method == "GET" for method, path in ROUTES if path.startswith("/admin/audit"))


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_the_trail(client: TestClient, change: str) -> None:
    store = store_of(client)
    audit.record(store, "planner", "10.0.0.1", "upload", ("upload", "u1"))
    statement = (
        update(AuditEvent).values(actor="someone else")
        if change == "update"
        else delete(AuditEvent)
    )
    with pytest.raises(DBAPIError, match="append-only"), store.session() as session:
        session.execute(statement)
    assert [e.actor for e in audit.events(store)][-1] == "planner"


def test_the_export_defuses_cells_a_spreadsheet_would_take_for_formulas(
    client: TestClient, admin: TestClient
) -> None:
    audit.record(store_of(client), "=HYPERLINK(1)", "10.0.0.1", "upload", ("upload", "u1"))
    assert trail(admin)[-1]["actor"] == "'=HYPERLINK(1)"
