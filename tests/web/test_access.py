"""The authorization matrix, generated from ``access.ROUTES``: every route of the application has
a row; every role is admitted where its row says and refused (403) elsewhere; signed-out
visitors are sent to sign in; and a user of mission A, guessing the ids of mission B's uploads,
runs, what-ifs and shares, finds nothing (404) and sees none of them in any list.

Two missions are set up once for the module: each with a planner, an officer and a liaison
account (the last two in a team the mission's plan is shared with), a solved plan, a what-if
batch and a read-only link; and an admin."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response

from logistics.web.access import ROUTES
from logistics.web.accounts import add_mission, add_team
from logistics.web.app import WebConfig, create_app, routers
from logistics.web.pages import NOT_FOUND
from logistics.web.sharing import create_share, plan_sheets
from logistics.web.store import Run, RunStatus, Store, new_id, now
from logistics.web.tables import DEFAULT_MISSION_ID, Role
from tests.web.conftest import PASSWORD, TINY, account, new_database, sign_in, upload, wait_for

ROLES = ("planner", "officer", "liaison", "admin")


@dataclass
class Mission:
    """One mission's objects: what its path parameters are filled with."""

    upload_id: str
    run_id: str
    batch_id: str
    share_id: str
    token: str
    team_id: str

    def ids(self) -> set[str]:
        """Every id a list must not show to another mission."""
        return {self.upload_id, self.run_id, self.batch_id, self.share_id}


@dataclass
class World:
    """The application, a signed-in client per (mission, role), and both missions."""

    app: object
    clients: dict[tuple[str, str], TestClient]
    missions: dict[str, Mission]
    fresh_share: Callable[[str], str]
    fresh_client: Callable[[str, str], TestClient]
    spare_user_id: str


def _mission(client: TestClient, store: Store, mission_id: str, team_id: str) -> Mission:
    """Upload and solve the tiny mission as this client's planner; add a what-if batch (not
    solved) and share the plan with the team, with a link."""
    found = upload(client, TINY)
    run = client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 20}).json()
    wait_for(client, run["id"])
    batch = new_id()
    store.add(
        Run(
            id=new_id(),
            upload_id=found["id"],
            mission_id=mission_id,
            kind="whatif",
            name="road cut",
            parent_id=run["id"],
            batch_id=batch,
            created_at=now(),
            client="test",
            input_sha256=found["sha256"],
            status=RunStatus.failed.value,
        )
    )
    share_id, token = _share(client, store, run["id"], team_id)
    return Mission(found["id"], run["id"], batch, share_id, token, team_id)


def _share(client: TestClient, store: Store, run_id: str, team_id: str) -> tuple[str, str]:
    """Share a run with a team, with a link; return the share's id and the link's token."""
    service = client.app.state.service  # type: ignore[attr-defined]
    run = store.run(run_id)
    assert run is not None
    creator = account(store, "planner-a")
    viewer = type("V", (), {"user_id": creator.id})()
    made, token = create_share(
        store,
        run,
        viewer,  # type: ignore[arg-type]
        team_id=team_id,
        expires_at=None,
        hidden=[],
        sheets=plan_sheets(service.run_file(run, "plan.xlsx")),
        link=True,
    )
    assert token is not None
    return made.id, token


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Two missions, each with its planner, officer and liaison, and an admin."""
    with new_database() as url:
        data = tmp_path_factory.mktemp("access") / "server"
        app = create_app(WebConfig(data_dir=data, workers=1, queue_limit=2, database_url=url))
        store: Store = app.state.service.store
        other = add_mission(store, "Mission B")
        mission_ids = {"a": DEFAULT_MISSION_ID, "b": other.id}
        teams = {key: add_team(store, mid, f"Liaison {key}").id for key, mid in mission_ids.items()}
        for key, mission_id in mission_ids.items():
            account(store, f"planner-{key}", Role.planner, (mission_id,))
            account(store, f"officer-{key}", Role.officer, team_id=teams[key])
            account(store, f"liaison-{key}", Role.liaison, team_id=teams[key])
        account(store, "admin-a", Role.admin, ())
        account(store, "admin-b", Role.admin, ())
        spare = account(store, "spare", Role.admin, ())
        with TestClient(app) as base:
            clients: dict[tuple[str, str], TestClient] = {}

            def fresh_client(key: str, role: str) -> TestClient:
                client = TestClient(app)
                sign_in(client, f"{role}-{key}")
                return client

            for key in mission_ids:
                for role in ROLES:
                    clients[key, role] = fresh_client(key, role)
            missions = {
                key: _mission(clients[key, "planner"], store, mission_ids[key], teams[key])
                for key in mission_ids
            }

            def fresh_share(key: str) -> str:
                return _share(base, store, missions[key].run_id, teams[key])[0]

            yield World(app, clients, missions, fresh_share, fresh_client, spare.id)


def _path(world: World, template: str, key: str) -> str:
    """The route's path with its parameters filled from mission ``key``'s objects (a new share
    to revoke, and a spare account to disable, so that no call spoils the next)."""
    mission = world.missions[key]
    values = {
        "upload_id": mission.upload_id,
        "run_id": mission.run_id,
        "batch_id": mission.batch_id,
        "share_id": mission.share_id,
        "token": mission.token,
        "name": "plan.xlsx",
        "user_id": world.spare_user_id,
    }
    if template == "/shares/{share_id}/revoke":
        values["share_id"] = world.fresh_share(key)
    path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
    if template in ("/compare", "/compare.xlsx", "/api/compare"):
        path += f"?runs={mission.run_id}"
    return path


BODIES = {
    "/api/runs/{run_id}/whatif": {
        "scenarios": [{"name": "road cut", "changes": ["close-route HUB-A:2-5"]}]
    },
}
"""JSON bodies for the routes whose body is checked before their handler runs."""
FORMS = {"/runs/{run_id}/shares": {"team_id": "no-such-team"}}
"""Form fields for the routes whose form is checked before their handler runs."""


def _send(
    client: TestClient, method: str, path: str, template: str, body: object = None
) -> Response:
    """The request, with the body or form its route checks before its handler."""
    return client.request(
        method,
        path,
        json=body if body is not None else BODIES.get(template),
        data=FORMS.get(template),
        follow_redirects=False,
    )


def _call(world: World, key: str, role: str, method: str, template: str) -> Response:
    """Call the route as mission ``key``'s ``role`` on mission ``key``'s own objects (signing
    out is done by a client of its own, so the others stay signed in)."""
    client = world.clients[key, role]
    body = BODIES.get(template)
    if template.endswith(("/logout", "/login")):
        client = world.fresh_client(key, role)
    if template == "/api/login":
        body = {"name": f"{role}-{key}", "password": PASSWORD}
    return _send(client, method, _path(world, template, key), template, body)


def _hidden(response: Response) -> bool:
    """Whether the answer is the 404 of an object the viewer may not see."""
    return response.status_code == 404 and NOT_FOUND in response.text


def test_every_route_has_a_row_and_every_row_a_route(world: World) -> None:
    routes = [r for router in routers() for r in router.routes] + list(world.app.routes)  # type: ignore[attr-defined]
    served = {
        (method, route.path)
        for route in routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert served - set(ROUTES) == set(), "routes without a row in access.ROUTES"
    assert set(ROUTES) - served == set(), "rows of access.ROUTES without a route"


MATRIX = [(method, path, role) for (method, path) in ROUTES for role in ROLES]


@pytest.mark.parametrize(("method", "template", "role"), MATRIX)
def test_each_role_is_admitted_exactly_where_its_row_says(
    world: World, method: str, template: str, role: str
) -> None:
    rule = ROUTES[method, template]
    response = _call(world, "a", role, method, template)
    if rule.public or Role(role) in rule.roles:
        assert response.status_code not in (401, 403), response.text
        assert not _hidden(response), response.text
    else:
        assert response.status_code == 403, response.text


@pytest.mark.parametrize(("method", "template"), [k for k, r in ROUTES.items() if not r.public])
def test_signed_out_visitors_are_sent_to_sign_in(world: World, method: str, template: str) -> None:
    anonymous = TestClient(world.app)  # type: ignore[arg-type]
    path = _path(world, template, "a")
    response = _send(anonymous, method, path, template)
    if template.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


OWNED = [
    (method, path, role)
    for (method, path), rule in ROUTES.items()
    if re.search(r"\{(upload_id|run_id|batch_id|share_id)\}", path)
    for role in sorted(rule.roles)
]


@pytest.mark.parametrize(("method", "template", "role"), OWNED)
def test_ids_of_another_mission_answer_not_found(
    world: World, method: str, template: str, role: Role
) -> None:
    client = world.clients["a", role.value]
    path = _path(world, template, "b")
    response = _send(client, method, path, template)
    assert _hidden(response), (path, response.status_code, response.text[:200])


LISTS = [
    ("GET", "/"),
    ("GET", "/history"),
    ("GET", "/api/history"),
    ("GET", "/api/shares"),
    ("GET", "/compare?runs={run_id}"),
    ("GET", "/api/compare?runs={run_id}"),
]


@pytest.mark.parametrize(("method", "template"), LISTS)
@pytest.mark.parametrize("role", ["planner", "officer", "liaison"])
def test_lists_never_show_another_missions_objects(
    world: World, method: str, template: str, role: str
) -> None:
    other = world.missions["b"]
    client = world.clients["a", role]
    response = client.request(method, template.format(run_id=other.run_id))
    assert not any(i in response.text for i in other.ids()), template


def test_an_officer_sees_the_plans_shared_with_the_team_and_a_liaison_only_the_shared_view(
    world: World,
) -> None:
    own = world.missions["a"]
    officer, liaison = world.clients["a", "officer"], world.clients["a", "liaison"]
    assert officer.get(f"/runs/{own.run_id}").status_code == 200
    assert officer.get(f"/batches/{own.batch_id}").status_code == 200
    assert liaison.get(f"/runs/{own.run_id}").status_code == 403
    assert liaison.get(f"/shares/{own.share_id}").status_code == 200
    assert liaison.get(f"/shares/{own.share_id}/files/plan.xlsx").status_code == 200
    listed = liaison.get("/api/shares").json()["shares"]
    assert {s["run_id"] for s in listed} == {own.run_id}


def test_a_share_for_another_team_of_the_same_mission_is_not_seen(
    world: World, tmp_path: Path
) -> None:
    store: Store = world.app.state.service.store  # type: ignore[attr-defined]
    elsewhere = add_team(store, DEFAULT_MISSION_ID, f"Partner {new_id()[:6]}")
    share_id, _ = _share(
        world.clients["a", "planner"], store, world.missions["a"].run_id, elsewhere.id
    )
    response = world.clients["a", "liaison"].get(f"/shares/{share_id}")
    assert _hidden(response)
    assert world.clients["a", "planner"].get(f"/shares/{share_id}").status_code == 200


def test_the_table_keeps_liaison_teams_to_shared_plans_and_admins_away_from_plans() -> None:
    """What the table must say whatever routes are added: liaison accounts reach plans only
    through shares, admins reach no plan, and only planners upload, solve and share."""
    liaison = {path for (_, path), rule in ROUTES.items() if Role.liaison in rule.roles}
    assert all(
        path.startswith(("/shares/", "/api/shares", "/logout", "/api/logout", "/api/me"))
        or path in ("/", "/docs", "/openapi.json")
        for path in liaison
    ), liaison
    admin = {path for (_, path), rule in ROUTES.items() if Role.admin in rule.roles}
    assert not any(re.search(r"\{(upload_id|run_id|batch_id|share_id)\}", p) for p in admin)
    for (method, path), rule in ROUTES.items():
        if method == "POST" and re.search(r"^(/api)?/uploads|/shares?\b|/rerun|/stop", path):
            assert rule.roles == {Role.planner}, path
