"""The audit trail: who uploaded, solved, shared, downloaded, revoked what and when, and from
where. Lines are only ever added (the database's triggers refuse updates and deletes); admins
read them on a page and export them as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select

from logistics.web.store import Store
from logistics.web.tables import AuditEvent, now

CSV_COLUMNS = (
    "at",
    "actor",
    "address",
    "action",
    "mission_id",
    "object_kind",
    "object_id",
    "detail",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is a formula to a spreadsheet: it is quoted first."""


def record(
    store: Store,
    actor: str,
    address: str,
    action: str,
    target: tuple[str, str],
    *,
    mission_id: str | None = None,
    detail: str = "",
) -> None:
    """Add a line: ``actor`` did ``action`` to ``target`` (its kind and id)."""
    kind, object_id = target
    store.add(
        AuditEvent(
            at=now(),
            actor=actor[:64],
            address=address[:64],
            action=action[:32],
            mission_id=mission_id,
            object_kind=kind[:16],
            object_id=object_id[:64],
            detail=detail,
        )
    )


def events(store: Store, limit: int | None = None) -> Sequence[AuditEvent]:
    """Lines of the trail, newest first (all of them unless ``limit``)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with store.session() as session:
        return session.scalars(query).all()


def as_csv(found: Sequence[AuditEvent]) -> str:
    """The lines as CSV (a header row, then one row per line, times in UTC ISO form), with
    cells that a spreadsheet would take for formulas made plain text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in found:
        row = [getattr(event, column) for column in CSV_COLUMNS]
        writer.writerow([_plain(value) for value in row])
    return out.getvalue()


def _plain(value: object) -> str:
    """A CSV cell's text: ISO times, empty for None, formulas defused with a quote."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
