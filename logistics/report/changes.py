"""What a re-plan changed in the published plan: the ``Changes`` sheet and the Brief's block.

Compared over the days both plans cover (the published plan's days from the report day on,
numbered from the report day; a departure whose convoy reaches its first base after them could
not be in the published plan and is no change): convoys added, cancelled and moved (a cancelled and an added
departure of one line become one move, nearest days first), cargo delivered per base and class,
units re-tasked, and shortfalls the re-plan has that the published plan did not. A change the
reports forced (a convoy reported cancelled, a route closed, vehicles gone) carries that cause
and the cell of the actuals that reported it; a change the solver chose carries the reports that
bear on it (closures and convoys of its line, stock reported at the bases of its path), or says
it was re-optimised from the reported figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from logistics.i18n import N_, _
from logistics.io.xlsx import FMT_INTEGER
from logistics.report.brief import TOP_ROWS, Block
from logistics.report.plan_workbook import PlanAnnex
from logistics.rules.locations import CellLocation
from models import ModelData, Plan
from models.constraints.replan import comparable

if TYPE_CHECKING:
    from logistics.replan import Replanning

CHANGES_SHEET = "Changes"
CHANGE_COLUMNS: tuple[str, ...] = (
    "change",
    "item",
    "line_id",
    "base_id",
    "supply_id",
    "old_day",
    "new_day",
    "old_value",
    "new_value",
    "cause",
    "reported_at",
)
"""Columns of the ``Changes`` sheet; days are the re-plan's (day 1 = the report day)."""

ADDED, CANCELLED, MOVED = N_("convoy added"), N_("convoy cancelled"), N_("convoy moved")
CARGO, RETASKED, SHORTFALL = N_("cargo delivered"), N_("unit re-tasked"), N_("new shortfall")
KINDS: tuple[str, ...] = (CANCELLED, MOVED, ADDED, CARGO, RETASKED, SHORTFALL)
"""Kinds of change, in the order the sheet lists them."""
CARGO_NOISE = 0.05
"""Differences in cargo or shortfall below this (t or kL) are rounding, not changes."""


@dataclass(frozen=True)
class Cause:
    """Why a change was made: in words, and the actuals cell that reported it (if any)."""

    text: str
    cell: CellLocation | None
    description: str = ""

    def words(self) -> str:
        """The cause with the reporter's description."""
        return f"{self.text}: {self.description}" if self.description else self.text

    def where(self) -> str:
        """The cell that reported it (``Closures!A2``), or blank."""
        if self.cell is None:
            return ""
        return f"{self.cell.sheet}!{self.cell.cell}" if self.cell.cell else self.cell.sheet


@dataclass(frozen=True)
class ForcedChange:
    """A published departure that cannot run any more, and why."""

    convoy_id: str
    line_id: str
    day: int
    cause: Cause


@dataclass(frozen=True)
class ChangeReport:
    """The changes of a re-plan, as the ``Changes`` sheet lists them."""

    frame: pd.DataFrame
    forced: tuple[ForcedChange, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def departures_changed(self) -> int:
        """Departures added, cancelled or moved (a move counts once)."""
        return sum(self.counts.get(kind, 0) for kind in (ADDED, CANCELLED, MOVED))

    def annex(self) -> PlanAnnex:
        """The ``Changes`` sheet and the Brief's block, for the plan workbook."""
        return PlanAnnex({CHANGES_SHEET: self.frame}, (self.brief_block(),))

    def brief_block(self) -> Block:
        """The Brief's "What changed" block: the count of each kind, then the first changes."""
        summary = ", ".join(
            f"{_(kind)} × {self.counts[kind]}" for kind in KINDS if self.counts.get(kind)
        )
        rows: list[tuple[object, ...]] = [
            (_(r["change"]), r["item"], r["old_day"], r["new_day"], r["cause"])
            for r in _records(self.frame.head(TOP_ROWS))
        ]
        more = (
            _("{summary}; all {count} in the Changes sheet").format(
                summary=summary, count=len(self.frame)
            )
            if len(self.frame) > len(rows)
            else summary
        )
        return Block(
            heading=_("What changed"),
            headers=(_("Change"), _("Item"), _("Was day"), _("Now day"), _("Cause")),
            rows=rows,
            formats=(None, None, FMT_INTEGER, FMT_INTEGER, None),
            empty=_("nothing: the re-plan keeps the published plan"),
            more=more,
        )


def change_report(
    replanning: Replanning, data: ModelData, plan: Plan, forced: Sequence[ForcedChange]
) -> ChangeReport:
    """The changes ``plan`` (solved from ``data``) makes to the published plan of
    ``replanning``; ``forced`` are the published departures that could not run."""
    causes = ReportCauses(replanning, data)
    convoys = plan.tables["convoys"]
    new = {
        (str(r["line_id"]), int(r["depart_day"]))
        for r in _records(convoys)
        if comparable(data, (str(r["line_id"]), int(r["depart_day"])))
    }
    forced_by_departure = {(f.line_id, f.day): f for f in forced}
    old = {d for d in replanning.published_departures if d not in forced_by_departure}
    rows = [
        _row(CANCELLED, f.convoy_id, line_id=f.line_id, old_day=f.day, cause=f.cause)
        for f in forced
    ]
    rows += _departure_rows(old - new, new - old, replanning.published_departures, causes)
    rows += _cargo_rows(replanning, data, plan)
    rows += _unit_rows(replanning, plan, causes)
    rows += _shortfall_rows(replanning, plan)
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS), dtype=object)
    counts = {kind: int((frame["change"] == kind).sum()) for kind in KINDS}
    return ChangeReport(frame, tuple(forced), counts)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a result table as dicts by column."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _row(kind: str, item: str, **values: object) -> dict[str, object]:
    cause = values.pop("cause", None)
    row: dict[str, object] = dict.fromkeys(CHANGE_COLUMNS)
    row.update(change=kind, item=item, **values)
    if isinstance(cause, Cause):
        row.update(cause=cause.words(), reported_at=cause.where() or None)
    return row


def _departure_rows(
    cancelled: set[tuple[str, int]],
    added: set[tuple[str, int]],
    published: Mapping[tuple[str, int], str],
    causes: ReportCauses,
) -> list[dict[str, object]]:
    """Moves (a cancelled and an added departure of one line, nearest days paired first), then
    what is left cancelled or added."""
    rows = []
    left_added = set(added)
    for line_id, day in sorted(cancelled, key=lambda d: (d[1], d[0])):
        candidates = sorted((abs(t - day), t) for (lid, t) in left_added if lid == line_id)
        cause = causes.of_line(line_id)
        convoy_id = published[line_id, day]
        if candidates:
            new_day = candidates[0][1]
            left_added.discard((line_id, new_day))
            rows.append(
                _row(MOVED, convoy_id, line_id=line_id, old_day=day, new_day=new_day, cause=cause)
            )
        else:
            rows.append(_row(CANCELLED, convoy_id, line_id=line_id, old_day=day, cause=cause))
    for line_id, day in sorted(left_added, key=lambda d: (d[1], d[0])):
        rows.append(
            _row(
                ADDED,
                f"{line_id}-d{day:02d}",
                line_id=line_id,
                new_day=day,
                cause=causes.of_line(line_id),
            )
        )
    return rows


def _cargo_rows(replanning: Replanning, data: ModelData, plan: Plan) -> list[dict[str, object]]:
    """Per base and class: cargo the published plan delivered over the shared days, and the
    re-plan's (convoys in transit included)."""
    window, shift = replanning.published_days, replanning.shift
    old: dict[tuple[str, str], float] = defaultdict(float)
    for drop in replanning.published.drops:
        if 1 <= drop.arrival_day - shift <= window:
            old[drop.base_id, drop.supply_id] += drop.quantity
    new: dict[tuple[str, str], float] = defaultdict(float)
    for r in _records(plan.tables["cargo"]):
        if int(r["arrival_day"]) <= window:
            new[str(r["base_id"]), str(r["supply_id"])] += float(r["quantity"])
    for (b, k, t), quantity in data.commitments.pipeline_arrivals.items():
        if t <= window:
            new[b, k] += quantity
    return [
        _row(
            CARGO,
            f"{b}/{k}",
            base_id=b,
            supply_id=k,
            old_value=round(old.get((b, k), 0.0), 1),
            new_value=round(new.get((b, k), 0.0), 1),
        )
        for b, k in sorted(set(old) | set(new))
        if abs(old.get((b, k), 0.0) - new.get((b, k), 0.0)) > CARGO_NOISE
    ]


def _unit_rows(replanning: Replanning, plan: Plan, causes: ReportCauses) -> list[dict[str, object]]:
    allocation = plan.tables["allocation"]
    rows = []
    for r in _records(allocation):
        published = replanning.published.allocation.get(str(r["unit_id"]))
        if published is not None and published[1] != r["to_base_id"]:
            cause = causes.of_unit(str(r["unit_id"]))
            rows.append(
                _row(
                    RETASKED,
                    str(r["unit_id"]),
                    old_value=published[1],
                    new_value=r["to_base_id"],
                    cause=cause,
                )
            )
    return rows


def _shortfall_rows(replanning: Replanning, plan: Plan) -> list[dict[str, object]]:
    """Stock points short more over the shared days than the published plan was, with the
    re-plan's reason on its first short day."""
    window, shift = replanning.published_days, replanning.shift
    old: dict[tuple[str, str], float] = defaultdict(float)
    for (b, k, day), quantity in replanning.published.shortfall.items():
        if 1 <= day - shift <= window:
            old[b, k] += quantity
    shortfalls = plan.tables["shortfalls"]
    new: dict[tuple[str, str], float] = defaultdict(float)
    first: dict[tuple[str, str], tuple[int, str]] = {}
    for r in _records(shortfalls.sort_values("day")):
        if int(r["day"]) <= window:
            key = (str(r["base_id"]), str(r["supply_id"]))
            new[key] += float(r["quantity"])
            first.setdefault(key, (int(r["day"]), str(r["reason"])))
    return [
        _row(
            SHORTFALL,
            f"{b}/{k}",
            base_id=b,
            supply_id=k,
            new_day=first[b, k][0],
            old_value=round(old.get((b, k), 0.0), 1),
            new_value=round(quantity, 1),
            cause=Cause(first[b, k][1], None),
        )
        for (b, k), quantity in sorted(new.items())
        if quantity - old.get((b, k), 0.0) > CARGO_NOISE
    ]


class ReportCauses:
    """The reports that bear on a line or a unit."""

    def __init__(self, replanning: Replanning, data: ModelData) -> None:
        self.replanning = replanning
        self.data = data

    def closure(self, line_id: str) -> Cause | None:
        """A reported closure of a route of the line."""
        line = self.data.lines.get(line_id)
        for closure in self.replanning.actuals.closures:
            if line is not None and closure.row.route_id in line.legs:
                text = _("route {route} closed").format(route=closure.row.route_id)
                return Cause(text, closure.at("route_id"), closure.row.description)
        return None

    def fleet(self, line_id: str) -> Cause | None:
        """A report on a convoy of the line or from its origin, or vehicles out at its origin."""
        line = self.data.lines.get(line_id)
        origin = line.origin if line else None
        actuals = self.replanning.actuals
        convoys = self.replanning.published.convoys
        for report in actuals.convoys:
            convoy = convoys.get(report.row.convoy_id)
            if convoy is not None and (convoy.line_id == line_id or convoy.origin_id == origin):
                text = _("convoy {convoy} reported {status}").format(
                    convoy=convoy.convoy_id, status=report.row.status.value
                )
                return Cause(text, report.at("status"), report.row.description)
        for out in actuals.vehicles_out:
            if out.row.base_id == origin:
                text = _("{count} {vehicle} out of service at {base}").format(
                    count=out.row.count, vehicle=out.row.vehicle_type_id, base=origin
                )
                return Cause(text, out.at("count"), out.row.description)
        return None

    def of_line(self, line_id: str) -> Cause:
        """The first report on the line: a closure of one of its routes, a report of one of its
        convoys or vehicles at its origin, stock reported on its path; else re-optimisation."""
        found = self.closure(line_id) or self.fleet(line_id)
        if found is not None:
            return found
        line = self.data.lines.get(line_id)
        path = set(line.path) if line else set()
        for stock in self.replanning.actuals.stocks:
            if stock.row.base_id in path:
                text = _("stock of {supply} at {base} reported").format(
                    supply=stock.row.supply_id, base=stock.row.base_id
                )
                return Cause(text, stock.at("on_hand"))
        return Cause(_("re-optimised from the reported figures"), None)

    def of_unit(self, unit_id: str) -> Cause:
        """The report of the unit's position, else re-optimisation."""
        for position in self.replanning.actuals.units:
            if position.row.unit_id == unit_id:
                text = _("reported at {base}").format(base=position.row.base_id)
                return Cause(text, position.at("base_id"))
        return Cause(_("re-optimised from the reported figures"), None)
