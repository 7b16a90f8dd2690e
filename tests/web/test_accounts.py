"""Accounts and sessions: passwords kept as Argon2id hashes, the session cookie's flags, CSRF
tokens on every change, a new session at every sign-in (no fixation), sign-in throttled per
account and per address, sessions that expire, password resets and disabled accounts, and
``logistics users`` on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from logistics.cli import app as cli
from logistics.web import accounts
from logistics.web.access import SESSION_COOKIE
from logistics.web.accounts import AccountError, token_hash
from logistics.web.store import Store, sqlite_url
from logistics.web.tables import LoginSession, Role, User
from tests.web.conftest import PASSWORD, TINY, account, sign_in, store_of


@pytest.fixture
def anonymous(client: TestClient) -> TestClient:
    """A second client of the same application, signed in as no one."""
    return TestClient(client.app)


def test_passwords_are_kept_as_argon2id_hashes(client: TestClient) -> None:
    with store_of(client).session() as session:
        user = session.scalar(select(User).where(User.name == "planner"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_session_cookie_is_httponly_strict_and_its_token_is_kept_hashed(
    anonymous: TestClient,
) -> None:
    response = anonymous.post("/api/login", json={"name": "planner", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie, "plain HTTP here; behind HTTPS the cookie is Secure"
    token = anonymous.cookies[SESSION_COOKIE]
    with store_of(anonymous).session() as session:
        assert session.get(LoginSession, token) is None
        assert session.get(LoginSession, token_hash(token)) is not None


def test_behind_https_the_session_cookie_is_secure(client: TestClient) -> None:
    secure = TestClient(client.app, base_url="https://planner.mission")
    response = secure.post("/api/login", json={"name": "planner", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(
    anonymous: TestClient,
) -> None:
    wrong = anonymous.post("/api/login", json={"name": "planner", "password": "x" * 12})
    unknown = anonymous.post("/api/login", json={"name": "nobody", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong account name or password"}


@pytest.mark.parametrize(
    "token", [None, "forged", "from another session"], ids=["none", "forged", "other"]
)
def test_a_change_without_the_sessions_csrf_token_is_refused(
    client: TestClient, token: str | None
) -> None:
    other = TestClient(client.app)
    other_token = sign_in(other, "planner")["csrf_token"]
    headers = (
        {"X-CSRF-Token": {"forged": "forged", "from another session": other_token}[token]}
        if token
        else {}
    )
    del client.headers["X-CSRF-Token"]
    with TINY.open("rb") as handle:
        response = client.post(
            "/api/uploads", files={"workbook": ("t.xlsx", handle)}, headers=headers
        )
    assert response.status_code == 403
    assert "did not come from this application" in response.json()["detail"]
    form = client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert form.status_code == 403


def test_page_forms_carry_the_token_in_a_field_and_the_upload_form_in_its_address(
    client: TestClient,
) -> None:
    token = client.headers.pop("X-CSRF-Token")
    home = client.get("/").text
    assert f'action="/uploads?csrf_token={token}"' in home
    assert f'name="csrf_token" value="{token}"' in home
    with TINY.open("rb") as handle:
        uploaded = client.post(
            f"/uploads?csrf_token={token}",
            files={"workbook": ("t.xlsx", handle)},
            follow_redirects=False,
        )
    assert uploaded.status_code == 303
    signed_out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert signed_out.status_code == 303
    assert client.get("/api/history").status_code == 401


def test_signing_in_makes_a_new_session_and_ends_the_one_the_browser_had(
    client: TestClient,
) -> None:
    before = client.cookies[SESSION_COOKIE]
    planted = TestClient(client.app)
    response = planted.post(
        "/api/login",
        json={"name": "planner", "password": PASSWORD},
        headers={"Cookie": f"{SESSION_COOKIE}=chosen-by-an-attacker"},
    )
    issued = response.cookies[SESSION_COOKIE]
    assert issued and issued != "chosen-by-an-attacker"
    assert (
        TestClient(client.app, cookies={SESSION_COOKIE: "chosen-by-an-attacker"})
        .get("/api/me")
        .status_code
        == 401
    )
    client.post("/api/login", json={"name": "planner", "password": PASSWORD})
    after = client.cookies[SESSION_COOKIE]
    assert after != before
    stale = TestClient(client.app)
    stale.cookies.set(SESSION_COOKIE, before)
    assert stale.get("/api/me").status_code == 401


def test_sign_in_is_throttled_per_account(anonymous: TestClient) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        wrong = anonymous.post("/api/login", json={"name": "planner", "password": "x" * 12})
        assert wrong.status_code == 401
    right = anonymous.post("/api/login", json={"name": "planner", "password": PASSWORD})
    assert right.status_code == 429
    assert "too many failed sign-ins for this account" in right.json()["detail"]


def test_sign_in_is_throttled_per_address(anonymous: TestClient) -> None:
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        anonymous.post("/api/login", json={"name": f"guess{n}", "password": "x" * 12})
    response = anonymous.post("/api/login", json={"name": "planner", "password": PASSWORD})
    assert response.status_code == 429
    assert "from this address" in response.json()["detail"]


def test_throttling_forgets_failures_older_than_its_window(anonymous: TestClient) -> None:
    from logistics.web.tables import LoginAttempt

    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        anonymous.post("/api/login", json={"name": "planner", "password": "x" * 12})
    with store_of(anonymous).session() as session:
        long_ago = accounts.now() - accounts.THROTTLE_WINDOW - dt.timedelta(seconds=1)
        session.execute(update(LoginAttempt).values(at=long_ago))
    response = anonymous.post("/api/login", json={"name": "planner", "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["idle", "lifetime"])
def test_sessions_expire(client: TestClient, kind: str) -> None:
    moment = accounts.now()
    late = {
        "idle": {"seen_at": moment - accounts.SESSION_IDLE},
        "lifetime": {"expires_at": moment},
    }[kind]
    with store_of(client).session() as session:
        session.execute(update(LoginSession).values(**late))
    assert client.get("/api/me").status_code == 401
    page = client.get("/history", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/history"


def test_a_password_reset_ends_the_sessions_and_only_the_new_password_signs_in(
    client: TestClient,
) -> None:
    admin = TestClient(client.app)
    account(store_of(client), "root", Role.admin, ())
    sign_in(admin, "root")
    user = account(store_of(client), "planner")
    new = "a brand new passphrase"
    response = admin.post(
        f"/admin/users/{user.id}/password", data={"password": new}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/api/me").status_code == 401
    fresh = TestClient(client.app)
    old = fresh.post("/api/login", json={"name": "planner", "password": PASSWORD})
    assert old.status_code == 401
    assert fresh.post("/api/login", json={"name": "planner", "password": new}).status_code == 200


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(client: TestClient) -> None:
    user = account(store_of(client), "planner")
    accounts.disable_user(store_of(client), user.id)
    assert client.get("/api/me").status_code == 401
    again = TestClient(client.app).post(
        "/api/login", json={"name": "planner", "password": PASSWORD}
    )
    assert again.status_code == 403 and "disabled" in again.json()["detail"]


def test_the_sign_in_page_signs_in_and_goes_on_to_the_page_asked_for(
    anonymous: TestClient,
) -> None:
    asked = anonymous.get("/history", follow_redirects=False)
    assert asked.headers["location"] == "/login?next=/history"
    fields = {"name": "planner", "password": PASSWORD, "next": "/history"}
    forged = anonymous.post("/login", data={**fields, "form_token": "x"}, follow_redirects=False)
    assert forged.status_code == 400 and "expired" in forged.text
    form = anonymous.get("/login?next=/history")
    token = form.text.split('name="form_token" value="')[1].split('"')[0]
    done = anonymous.post("/login", data={**fields, "form_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/history"
    assert anonymous.get("/history").status_code == 200
    form = anonymous.get("/login")
    token = form.text.split('name="form_token" value="')[1].split('"')[0]
    away = anonymous.post(
        "/login",
        data={**fields, "form_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/"


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("Planner One", Role.planner, PASSWORD, "cannot be an account name"),
        ("short", Role.admin, "too short", "at least 12 characters"),
        ("lonely", Role.planner, PASSWORD, "needs at least one mission"),
        ("liaison", Role.liaison, PASSWORD, "needs a team"),
    ],
)
def test_accounts_that_cannot_be_made_are_refused_in_words(
    tmp_path: Path, name: str, role: Role, password: str, message: str
) -> None:
    store = Store(sqlite_url(tmp_path / "history.sqlite"))
    try:
        with pytest.raises(AccountError, match=message):
            accounts.add_user(store, name, role, password, ())
    finally:
        store.close()


def run_cli(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    """``logistics users …`` on the data folder ``tmp_path/server``."""
    result = CliRunner().invoke(
        cli, ["users", *args, "--data-dir", str(tmp_path / "server")], input=stdin
    )
    return result.exit_code, result.output


def test_the_first_admin_is_made_on_the_command_line_and_signs_in(tmp_path: Path) -> None:
    from logistics.web.app import WebConfig, create_app

    code, said = run_cli(
        tmp_path, "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 0, said
    assert "Added the account root (admin)" in said
    with TestClient(create_app(WebConfig(data_dir=tmp_path / "server"))) as web:
        assert sign_in(web, "root")["role"] == "admin"
        assert web.get("/", follow_redirects=False).headers["location"] == "/admin"
        trail = web.get("/admin/audit.csv").text
    assert "cli," in trail and "add account" in trail


def test_the_command_line_asks_the_password_twice_without_showing_it(tmp_path: Path) -> None:
    code, said = run_cli(
        tmp_path, "add", "root", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert code == 0 and PASSWORD not in said


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "root", "--role", "king", "--password-stdin"], PASSWORD, "is not a role"),
        (["add", "root", "--password-stdin"], "short", "at least 12 characters"),
        (["add", "x", "--mission", "Nowhere", "--password-stdin"], PASSWORD, "no mission named"),
        (["reset", "nobody", "--password-stdin"], PASSWORD, "no account named 'nobody'"),
        (["disable", "nobody"], "", "no account named 'nobody'"),
    ],
)
def test_command_line_mistakes_exit_1_in_words(
    tmp_path: Path, args: list[str], stdin: str, message: str
) -> None:
    code, said = run_cli(tmp_path, *args, stdin=stdin + "\n")
    assert code == 1
    assert message in " ".join(said.split())
    assert "Traceback" not in said


def test_an_offline_reset_and_disable_work_on_the_command_line(tmp_path: Path) -> None:
    run_cli(tmp_path, "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    new = "another long passphrase"
    assert run_cli(tmp_path, "reset", "root", "--password-stdin", stdin=new)[0] == 0
    store = Store(sqlite_url(tmp_path / "server" / "history.sqlite"))
    try:
        with pytest.raises(accounts.SignInRefusedError):
            accounts.sign_in(store, "root", PASSWORD, "test")
        accounts.sign_in(store, "root", new, "test")
        assert run_cli(tmp_path, "disable", "root")[0] == 0
        with pytest.raises(accounts.SignInRefusedError, match="disabled"):
            accounts.sign_in(store, "root", new, "test")
    finally:
        store.close()


def test_signing_in_forgets_old_attempts_and_expired_sessions(client: TestClient) -> None:
    from sqlalchemy import func

    from logistics.web.tables import LoginAttempt

    store = store_of(client)
    long_ago = accounts.now() - accounts.THROTTLE_WINDOW - dt.timedelta(seconds=1)
    with store.session() as session:
        session.execute(update(LoginAttempt).values(at=long_ago))
        session.execute(update(LoginSession).values(expires_at=accounts.now()))
    sign_in(TestClient(client.app), "planner")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 1
