"""Sharing a plan with a team: the team sees it (and only it), read-only; hidden sheets are left
out of the view and of the downloaded workbook, and the downloads that would show the whole
plan are refused; read-only links work signed out until they expire or are revoked, and their
token is kept only as a hash."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from logistics.web.accounts import add_mission, add_team, token_hash
from logistics.web.sharing import ShareError, expiry, without_sheets
from logistics.web.store import Store
from logistics.web.tables import DEFAULT_MISSION_ID, Role, Share, Team, now
from tests.web.conftest import account, sign_in, store_of
from tests.web.html import shown

HIDDEN = ["Allocation", "In_Units"]
"""Where the plan says which unit goes where: what a partner must not see here."""


@pytest.fixture
def team(client: TestClient) -> Team:
    """A liaison cell of the default mission."""
    return add_team(store_of(client), DEFAULT_MISSION_ID, "Liaison cell")


@pytest.fixture
def liaison(client: TestClient, team: Team) -> TestClient:
    """A member of the liaison cell, signed in."""
    account(store_of(client), "liaison", Role.liaison, team_id=team.id)
    other = TestClient(client.app)
    sign_in(other, "liaison")
    return other


def share(
    client: TestClient,
    run_id: str,
    team_id: str,
    *,
    hidden: list[str] = (),
    link: bool = True,
    expires_on: str = "",
) -> tuple[int, str | None]:
    """Share through the planner's form; return the status and the link shown (if any)."""
    fields: dict[str, object] = {
        "team_id": team_id,
        "expires_on": expires_on,
        "hidden": list(hidden),
    }
    if link:
        fields["link"] = "true"
    response = client.post(f"/runs/{run_id}/shares", data=fields)
    page = shown(response.text)
    link_box = response.text.split('id="new-link" class="link-box" value="')
    url = link_box[1].split('"')[0] if len(link_box) > 1 else None
    return response.status_code, url if url else page.by_id.get("new-link")


def only_share(client: TestClient) -> Share:
    """The one share made."""
    from sqlalchemy import select

    with store_of(client).session() as session:
        (found,) = session.scalars(select(Share)).all()
    return found


def test_a_liaison_team_sees_the_shared_plan_without_its_hidden_sheets(
    client: TestClient, solved: dict, team: Team, liaison: TestClient
) -> None:
    status, _ = share(client, solved["id"], team.id, hidden=HIDDEN)
    assert status == 201
    made = only_share(client)
    assert made.hidden_sheets == HIDDEN
    listed = liaison.get("/api/shares").json()["shares"]
    assert [s["id"] for s in listed] == [made.id]
    page = liaison.get(f"/shares/{made.id}")
    assert page.status_code == 200
    sheets = shown(page.text).by_id["shared-sheets"]
    assert "Summary" in sheets and "Convoys" in sheets
    assert not any(hidden in sheets.split() for hidden in HIDDEN)
    assert "not offered" in shown(page.text).by_id["hidden-note"]
    download = liaison.get(f"/shares/{made.id}/files/plan.xlsx")
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(download.content))
    original = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/runs/{solved['id']}/files/plan.xlsx").content)
    )
    assert workbook.sheetnames == [s for s in original.sheetnames if s not in HIDDEN]
    for name in ("plan.geojson", "plan.kml", "map.svg", "plan.pdf"):
        refused = liaison.get(f"/shares/{made.id}/files/{name}")
        assert refused.status_code == 403 and "hidden from your team" in refused.text


def test_hiding_a_sheet_that_a_chart_draws_from_drops_that_chart(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Summary"
    secret = workbook.create_sheet("Allocation")
    for row in (("unit", "troops"), ("U1", 600), ("U2", 150)):
        secret.append(row)
        summary.append(row)
    for source in (summary, secret):
        chart = BarChart()
        chart.add_data(Reference(source, min_col=2, min_row=1, max_row=3), titles_from_data=True)
        summary.add_chart(chart, "D2" if source is summary else "D20")
    workbook.save(tmp_path / "plan.xlsx")
    made = without_sheets(tmp_path / "plan.xlsx", tmp_path / "shared.xlsx", ["Allocation"])
    kept = openpyxl.load_workbook(made)
    assert kept.sheetnames == ["Summary"]
    assert len(kept["Summary"]._charts) == 1, "the chart of Summary's own figures stays"


def test_a_share_with_nothing_hidden_offers_the_maps(
    client: TestClient, solved: dict, team: Team, liaison: TestClient
) -> None:
    share(client, solved["id"], team.id, link=False)
    made = only_share(client)
    page = liaison.get(f"/shares/{made.id}").text
    assert f"/shares/{made.id}/files/plan.geojson" in page
    assert (
        liaison.get(f"/shares/{made.id}/files/plan.geojson").json()["type"] == "FeatureCollection"
    )
    assert made.link_hash is None


def test_a_read_only_link_works_signed_out_until_it_is_revoked(
    client: TestClient, solved: dict, team: Team, liaison: TestClient
) -> None:
    _, url = share(client, solved["id"], team.id, hidden=HIDDEN)
    assert url is not None and "/links/" in url
    made = only_share(client)
    token = url.rsplit("/", 1)[1]
    assert made.link_hash == token_hash(token)
    stranger = TestClient(client.app)
    assert stranger.get(f"/links/{token}").status_code == 200
    workbook = stranger.get(f"/links/{token}/files/plan.xlsx")
    assert "Allocation" not in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert stranger.get(f"/links/{token}/files/plan.kml").status_code == 403
    revoked = client.post(f"/shares/{made.id}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    gone = stranger.get(f"/links/{token}")
    assert gone.status_code == 404 and "expired or revoked" in gone.text
    assert stranger.get(f"/links/{token}/files/plan.xlsx").status_code == 404
    assert liaison.get(f"/shares/{made.id}").status_code == 404
    assert liaison.get("/api/shares").json()["shares"] == []
    assert stranger.get(f"/links/{token[:-1]}x").status_code == 404


def test_an_expired_share_stops_working(
    client: TestClient, solved: dict, team: Team, liaison: TestClient
) -> None:
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    _, url = share(client, solved["id"], team.id, expires_on=tomorrow)
    made = only_share(client)
    assert url is not None
    token = url.rsplit("/", 1)[1]
    assert liaison.get(f"/shares/{made.id}").status_code == 200
    with store_of(client).session() as session:
        session.execute(update(Share).values(expires_at=now() - dt.timedelta(seconds=1)))
    assert liaison.get(f"/shares/{made.id}").status_code == 404
    assert TestClient(client.app).get(f"/links/{token}").status_code == 404


def test_shares_that_cannot_be_made_are_refused_in_words(
    client: TestClient, solved: dict, team: Team
) -> None:
    store: Store = store_of(client)
    elsewhere = add_team(store, add_mission(store, "Mission B").id, "Their cell")
    cases = [
        ({"team_id": elsewhere.id}, "choose a team of this plan's mission"),
        ({"team_id": team.id, "expires_on": "2001-01-01"}, "the expiry date has passed"),
        ({"team_id": team.id, "expires_on": "soon"}, "is not a date"),
        ({"team_id": team.id, "hidden": ["Summary"]}, "the Summary sheet is always shared"),
        ({"team_id": team.id, "hidden": ["Secrets"]}, "the plan has no sheet Secrets"),
    ]
    for fields, message in cases:
        response = client.post(f"/runs/{solved['id']}/shares", data=fields)
        assert response.status_code == 422, fields
        assert message in html.unescape(response.text), fields


def test_a_share_runs_to_the_end_of_its_last_day() -> None:
    today = dt.date(2026, 12, 2)
    assert expiry("2026-12-31", today) == dt.datetime(2027, 1, 1)
    assert expiry("", today) is None
    with pytest.raises(ShareError, match="at most 366 days"):
        expiry("2028-12-31", today)
