"""Accounts and sign-in: users with a role and an Argon2id password, the missions they belong
to, sessions that expire, and sign-in throttled per account and per address. Used by the web
application and by ``logistics users`` on the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from logistics.web.store import Store
from logistics.web.tables import (
    LoginAttempt,
    LoginSession,
    Membership,
    Mission,
    Role,
    Team,
    User,
    new_id,
    now,
)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
SESSION_IDLE = dt.timedelta(hours=2)
"""A session unused this long ends."""
SESSION_LIFETIME = dt.timedelta(hours=12)
"""A session ends this long after sign-in, used or not."""
SEEN_EVERY = dt.timedelta(minutes=1)
"""How often a session's last use is written (not on every request)."""
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
HASHER = PasswordHasher()
"""Argon2id with argon2-cffi's recommended parameters (RFC 9106, low-memory profile)."""
_NOBODY = HASHER.hash(secrets.token_urlsafe(16))
"""Verified against when the account does not exist, so both cases take as long."""


class AccountError(Exception):
    """A request about accounts that cannot be done, in words for the person asking."""


class SignInRefusedError(Exception):
    """Sign-in refused; ``status`` is 401 (wrong name or password) or 429 (throttled)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """Who makes a request: the account, its role, its missions and its team."""

    user_id: str
    name: str
    role: Role
    missions: frozenset[str]
    team_id: str | None
    csrf_token: str = ""


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a session or link token is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_name(name: str) -> str:
    """An account name: 1–64 lower-case letters, digits, dots, dashes and underscores."""
    if not 1 <= len(name) <= 64 or not set(name) <= NAME_CHARACTERS:
        raise AccountError(
            f"{name!r} cannot be an account name: use 1 to 64 lower-case letters, digits, "
            "'.', '-' or '_'"
        )
    return name


def check_password(password: str) -> str:
    """A password long enough to resist guessing (and short enough to hash)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    return password


# ---------------------------------------------------------------------- accounts, missions


def add_mission(store: Store, name: str) -> Mission:
    """A new mission named ``name``."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise AccountError("a mission's name has 1 to 100 characters")
    with store.session() as session:
        if session.scalar(select(Mission).where(Mission.name == name)) is not None:
            raise AccountError(f"there is already a mission named {name!r}")
        mission = Mission(id=new_id(), name=name, created_at=now())
        session.add(mission)
    return mission


def add_team(store: Store, mission_id: str, name: str) -> Team:
    """A new team of a mission."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise AccountError("a team's name has 1 to 100 characters")
    with store.session() as session:
        if session.get(Mission, mission_id) is None:
            raise AccountError("there is no such mission")
        taken = select(Team).where(Team.mission_id == mission_id, Team.name == name)
        if session.scalar(taken) is not None:
            raise AccountError(f"the mission already has a team named {name!r}")
        team = Team(id=new_id(), mission_id=mission_id, name=name, created_at=now())
        session.add(team)
    return team


def mission_by_name(store: Store, name: str) -> Mission:
    """The mission named ``name``, or ``AccountError`` listing those there are."""
    with store.session() as session:
        found = session.scalar(select(Mission).where(Mission.name == name))
        if found is None:
            names = ", ".join(repr(m) for m in session.scalars(select(Mission.name)))
            raise AccountError(f"there is no mission named {name!r} (there are: {names})")
        return found


def team_by_name(store: Store, mission_id: str, name: str) -> Team:
    """The team of a mission named ``name``, or ``AccountError``."""
    with store.session() as session:
        query = select(Team).where(Team.mission_id == mission_id, Team.name == name)
        found = session.scalar(query)
        if found is None:
            raise AccountError(f"the mission has no team named {name!r}")
        return found


def add_user(
    store: Store,
    name: str,
    role: Role,
    password: str,
    missions: Sequence[str] = (),
    team_id: str | None = None,
) -> User:
    """A new account. Officers and liaison need a team (and belong to its mission); planners
    belong to ``missions`` (mission ids); admins need neither."""
    check_name(name)
    check_password(password)
    moment = now()
    with store.session() as session:
        if session.scalar(select(User).where(User.name == name)) is not None:
            raise AccountError(f"there is already an account named {name!r}")
        team = session.get(Team, team_id) if team_id else None
        if team_id and team is None:
            raise AccountError("there is no such team")
        if role in (Role.officer, Role.liaison) and team is None:
            raise AccountError(f"an account of role {role.value} needs a team")
        joined = set(missions) | ({team.mission_id} if team else set())
        if role == Role.planner and not joined:
            raise AccountError("a planner needs at least one mission")
        unknown = joined - set(session.scalars(select(Mission.id).where(Mission.id.in_(joined))))
        if unknown:
            raise AccountError("there is no such mission")
        user = User(
            id=new_id(),
            name=name,
            role=role.value,
            password_hash=HASHER.hash(password),
            disabled=0,
            team_id=team.id if team else None,
            created_at=moment,
            password_changed_at=moment,
        )
        session.add(user)
        session.flush()
        session.add_all(Membership(user_id=user.id, mission_id=m) for m in sorted(joined))
    return user


def user_by_name(store: Store, name: str) -> User:
    """The account named ``name``, or ``AccountError``."""
    with store.session() as session:
        found = session.scalar(select(User).where(User.name == name))
    if found is None:
        raise AccountError(f"there is no account named {name!r}")
    return found


def reset_password(store: Store, user_id: str, password: str) -> None:
    """Give an account a new password (and enable it); its sessions end."""
    check_password(password)
    with store.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError("there is no such account")
        user.password_hash = HASHER.hash(password)
        user.password_changed_at = now()
        user.disabled = 0
        session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))


def disable_user(store: Store, user_id: str) -> None:
    """Disable an account: it cannot sign in, and its sessions end."""
    with store.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError("there is no such account")
        user.disabled = 1
        session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))


# ------------------------------------------------------------------------------ sign-in


def sign_in(store: Store, name: str, password: str, address: str) -> tuple[str, Viewer]:
    """A new session for the account (its cookie token and who it is), or
    ``SignInRefusedError``: wrong name or password (the same words for both), disabled, or too
    many failures lately from this account or this address."""
    name = name.strip().lower()[:64]
    address = address[:64]
    _throttle(store, name, address)
    with store.session() as session:
        user = session.scalar(select(User).where(User.name == name))
    if not _password_matches(user, password):
        _attempt(store, name, address, succeeded=False)
        raise SignInRefusedError(401, "wrong account name or password")
    assert user is not None
    if user.disabled:
        _attempt(store, name, address, succeeded=False)
        raise SignInRefusedError(403, "this account is disabled: ask an administrator")
    _attempt(store, name, address, succeeded=True)
    _forget_the_past(store)
    token = secrets.token_urlsafe(32)
    moment = now()
    record = LoginSession(
        id=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=moment,
        seen_at=moment,
        expires_at=moment + SESSION_LIFETIME,
    )
    store.add(record)
    return token, _viewer(store, user, record.csrf_token)


def _password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is the account's (as slow when there is no such account)."""
    try:
        return HASHER.verify(user.password_hash if user else _NOBODY, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def _throttle(store: Store, account: str, address: str) -> None:
    """Refuse (429) while the account or the address failed too often in the window."""
    since = now() - THROTTLE_WINDOW
    failed = (LoginAttempt.at >= since) & (LoginAttempt.succeeded == 0)
    with store.session() as session:
        by_account = session.scalar(
            select(func.count()).where(failed, LoginAttempt.account == account)
        )
        by_address = session.scalar(
            select(func.count()).where(failed, LoginAttempt.address == address)
        )
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    if (by_account or 0) >= MAX_FAILURES_PER_ACCOUNT:
        raise SignInRefusedError(
            429, f"too many failed sign-ins for this account: try again in {minutes} minutes"
        )
    if (by_address or 0) >= MAX_FAILURES_PER_ADDRESS:
        raise SignInRefusedError(
            429, f"too many failed sign-ins from this address: try again in {minutes} minutes"
        )


def _forget_the_past(store: Store) -> None:
    """Remove the attempts older than the throttling window and the sessions that have
    expired: neither counts any more, and the tables stay small."""
    moment = now()
    with store.session() as session:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < moment - THROTTLE_WINDOW))
        session.execute(
            delete(LoginSession).where(
                (LoginSession.expires_at <= moment)
                | (LoginSession.seen_at <= moment - SESSION_IDLE)
            )
        )


def _attempt(store: Store, account: str, address: str, *, succeeded: bool) -> None:
    """Record a sign-in attempt."""
    store.add(LoginAttempt(at=now(), account=account, address=address, succeeded=int(succeeded)))


def signed_in(store: Store, token: str) -> Viewer | None:
    """Who the session of this cookie token is, or ``None`` when there is no such session, it
    has expired (idle or too old) or its account is disabled."""
    moment = now()
    with store.session() as session:
        record = session.get(LoginSession, token_hash(token))
        if record is None:
            return None
        user = session.get(User, record.user_id)
        if (
            user is None
            or user.disabled
            or record.expires_at <= moment
            or record.seen_at + SESSION_IDLE <= moment
        ):
            session.delete(record)
            return None
        if moment - record.seen_at >= SEEN_EVERY:
            record.seen_at = moment
        csrf = record.csrf_token
    return _viewer(store, user, csrf)


def sign_out(store: Store, token: str) -> None:
    """End the session of this cookie token."""
    with store.session() as session:
        session.execute(delete(LoginSession).where(LoginSession.id == token_hash(token)))


def _viewer(store: Store, user: User, csrf_token: str) -> Viewer:
    """The account as a request's viewer, with its missions."""
    with store.session() as session:
        missions = frozenset(
            session.scalars(select(Membership.mission_id).where(Membership.user_id == user.id))
        )
    return Viewer(user.id, user.name, Role(user.role), missions, user.team_id, csrf_token)
