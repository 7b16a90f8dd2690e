"""Plans shared with teams: a share names the team, may carry a read-only link (a random token,
kept only as its SHA-256), may expire, can be revoked, and may hide sheets of the plan
workbook from the team (its downloads are then a copy without them)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, select, update

from logistics.web.accounts import AccountError, Viewer, token_hash
from logistics.web.store import Store
from logistics.web.tables import Run, Share, Team, new_id, now

MAX_SHARE_DAYS = 366
"""Longest a share may run before it expires."""
ALWAYS_SHOWN = frozenset({"Summary"})
"""Sheets that cannot be hidden: the plan's status and figures are the point of sharing it."""
WHOLE_PLAN_FILES = ("plan.pdf", "plan.geojson", "plan.kml", "map.svg", "timeline.svg")
"""Downloads that show the whole plan (units, escorts, convoys): not offered when sheets are
hidden from the team, as they would show what those sheets hold."""


class ShareError(AccountError):
    """A share that cannot be made as asked, in words for the planner."""


@dataclass(frozen=True)
class SharedPlan:
    """A share with its run and team, as lists show it."""

    share: Share
    run: Run
    team: Team

    @property
    def active(self) -> bool:
        """Whether the share is in force now."""
        return self.share.active_at(now())


def expiry(expires_on: str, today: dt.date | None = None) -> dt.datetime | None:
    """When a share given ``YYYY-MM-DD`` (blank: never) ends: at the end of that day (UTC)."""
    if not expires_on.strip():
        return None
    try:
        day = dt.date.fromisoformat(expires_on.strip())
    except ValueError:
        raise ShareError(f"{expires_on!r} is not a date (YYYY-MM-DD)") from None
    today = today or now().date()
    if day < today:
        raise ShareError("the expiry date has passed: choose today or a later day")
    if (day - today).days > MAX_SHARE_DAYS:
        raise ShareError(f"a share may run at most {MAX_SHARE_DAYS} days")
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def create_share(
    store: Store,
    run: Run,
    viewer: Viewer,
    *,
    team_id: str,
    expires_at: dt.datetime | None,
    hidden: Sequence[str],
    sheets: Sequence[str],
    link: bool,
) -> tuple[Share, str | None]:
    """Share a plan with a team of its mission; return the share and, when a link was asked,
    its token (shown once: only its hash is kept)."""
    unknown = sorted(set(hidden) - set(sheets))
    if unknown:
        raise ShareError(f"the plan has no sheet {', '.join(unknown)}")
    if set(hidden) & ALWAYS_SHOWN:
        raise ShareError("the Summary sheet is always shared")
    with store.session() as session:
        team = session.get(Team, team_id)
    if team is None or team.mission_id != run.mission_id:
        raise ShareError("choose a team of this plan's mission")
    token = secrets.token_urlsafe(32) if link else None
    share = Share(
        id=new_id(),
        run_id=run.id,
        mission_id=run.mission_id,
        team_id=team.id,
        created_by=viewer.user_id,
        created_at=now(),
        expires_at=expires_at,
        revoked_at=None,
        link_hash=token_hash(token) if token else None,
        hidden_sheets_json=json.dumps([s for s in sheets if s in set(hidden)]),
    )
    store.add(share)
    return share, token


def revoke(store: Store, share: Share) -> None:
    """End a share now (its team and its link lose the plan)."""
    with store.session() as session:
        session.execute(
            update(Share)
            .where(Share.id == share.id, Share.revoked_at.is_(None))
            .values(revoked_at=now())
        )


def share_by_id(store: Store, share_id: str, visible: ColumnElement[bool]) -> SharedPlan | None:
    """The share with this id, if ``visible`` selects it."""
    found = shares_for(store, visible, Share.id == share_id)
    return found[0] if found else None


def share_by_link(store: Store, token: str) -> SharedPlan | None:
    """The share in force whose link has this token."""
    found = shares_for(store, Share.link_hash == token_hash(token))
    return found[0] if found and found[0].active else None


def shares_for(store: Store, *conditions: ColumnElement[bool]) -> list[SharedPlan]:
    """The shares ``conditions`` select, newest first."""
    query = (
        select(Share, Run, Team)
        .join(Run, Run.id == Share.run_id)
        .join(Team, Team.id == Share.team_id)
        .where(*conditions)
        .order_by(Share.created_at.desc())
    )
    with store.session() as session:
        return [SharedPlan(*row) for row in session.execute(query).all()]


def plan_sheets(plan: Path) -> list[str]:
    """The sheets of a plan workbook, in order."""
    from openpyxl import load_workbook

    workbook = load_workbook(plan, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def without_sheets(source: Path, target: Path, hidden: Sequence[str]) -> Path:
    """A copy of the plan workbook at ``target`` without the ``hidden`` sheets, nor the charts
    and names that refer to them (made once)."""
    if target.is_file():
        return target
    from openpyxl import load_workbook
    from openpyxl.xml.functions import tostring

    from logistics.io.xlsx import save_atomically

    workbook = load_workbook(source)
    references = tuple(f"{name}!" for name in hidden) + tuple(f"'{name}'!" for name in hidden)
    for name in hidden:
        if name in workbook.sheetnames:
            del workbook[name]
    for sheet in workbook.worksheets:
        sheet._charts = [  # openpyxl keeps a sheet's charts in this list
            chart
            for chart in sheet._charts
            if not any(r in tostring(chart._write()).decode() for r in references)
        ]
    for name in list(workbook.defined_names):
        if any(r in str(workbook.defined_names[name].value) for r in references):
            del workbook.defined_names[name]
    target.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(workbook, target)
    return target
