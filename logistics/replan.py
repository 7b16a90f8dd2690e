"""Re-plan from the day's reports: a new plan from the report day that keeps what is moving.

The published plan workbook is the input: its ``In_`` sheets give the mission as it was solved
and its result sheets what was decided. ``replan`` rolls the mission forward to start on the
report day (``logistics.rolling``), opens each stock point with what was reported (else what the
plan expected, less what did not arrive), puts units where they are, and applies the reported
threats and closures as what-if changes (``logistics.rules.overlays``), each located at its cell
of the actuals workbook. What is on the road becomes data (``models.Commitments``): the cargo of
convoys in transit arrives on its (possibly delayed) days, their vehicles and escorts come back
when they will (lost ones never do), vehicles out of service stay out until their day. The
published departures of the first ``freeze_days`` days run unless they cannot any more, and the
changes beyond them are penalised (Settings ``weight_stability``), so that a small report makes
a small change. What changed, and why, is the plan workbook's ``Changes`` sheet and a block of
its Brief (``logistics.report.changes``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from logistics.api import (
    InputProvenance,
    PlanRun,
    StageCallback,
    check_outputs,
    plan_outputs,
    solve_and_write,
    solve_options,
)
from logistics.errors import InputError, Issue
from logistics.i18n import _
from logistics.io.actuals import read_actuals
from logistics.io.reader import LoadedScenario, load
from logistics.machine import DEFAULT_THREADS
from logistics.published import PublishedPlan, read_published_plan
from logistics.report.changes import (
    Cause,
    ChangeReport,
    ForcedChange,
    ReportCauses,
    change_report,
)
from logistics.report.plan_workbook import PlanAnnex
from logistics.rolling import rolled_scenario
from logistics.rules.actuals import (
    Actuals,
    ConvoyReport,
    ConvoyStatus,
    Located,
    PublishedConvoy,
    VehiclesOut,
)
from logistics.rules.overlays import Addition, Change, Overlay, apply_overlay
from models import Commitments, ModelData, Plan
from models.results import ProgressCallback
from models.sets import escort_group_size, escort_troops_required, index_model_data

__all__ = ["ReplanRun", "Replanning", "prepare_replan", "replan"]

DEFAULT_FREEZE_DAYS = 2
"""Days from the report day whose published departures are kept unless they cannot run."""


@dataclass(frozen=True)
class Replanning:
    """Everything a re-plan is solved from: the mission from the report day, validated, what is
    already committed, and the published plan in the new day numbers."""

    loaded: LoadedScenario
    actuals: Actuals
    published: PublishedPlan
    shift: int
    """Days the horizon rolled forward: old day d is new day d - shift."""
    freeze_days: int
    pipeline: Mapping[tuple[str, str, int], float]
    vehicles_away: Mapping[tuple[str, str, int], int]
    escort_troops_away: Mapping[tuple[str, int], int]
    published_departures: Mapping[tuple[str, int], str]
    """(line, new day) of each published departure from the report day on → its convoy id."""
    cancelled: Mapping[str, Located[ConvoyReport]] = field(default_factory=dict)
    """Published departures from the report day on that the actuals cancel, by convoy id."""

    @property
    def published_days(self) -> int:
        """Days of the new horizon the published plan covers."""
        return self.loaded.scenario.settings.horizon_days - self.shift

    def model_data(self, data: ModelData) -> tuple[ModelData, tuple[ForcedChange, ...]]:
        """``data`` (compiled from ``loaded``) with the commitments, and the published
        departures that can no longer run, each with its cause."""
        possible = set(index_model_data(data).DEPARTURES)
        forced = [self._cancelled_change(c, day) for c, day in self._cancelled_days()]
        keep: dict[tuple[str, int], str] = {}
        for departure, convoy_id in self.published_departures.items():
            if convoy_id in self.cancelled:
                continue
            if departure in possible:
                keep[departure] = convoy_id
            else:
                forced.append(self._impossible(data, departure, convoy_id))
        fixed, dropped = self._frozen(data, keep)
        forced += dropped
        for change in dropped:
            keep.pop((change.line_id, change.day))
        commitments = Commitments(
            pipeline_arrivals=dict(self.pipeline),
            vehicles_away=dict(self.vehicles_away),
            escort_troops_away=dict(self.escort_troops_away),
            published_days=self.published_days,
            published_departures=frozenset(keep),
            fixed_departures=frozenset(fixed),
            published_bases=self._published_bases(data),
        )
        return replace(data, commitments=commitments), tuple(forced)

    def _cancelled_days(self) -> list[tuple[Located[ConvoyReport], int]]:
        by_id = {convoy_id: d for d, convoy_id in self.published_departures.items()}
        return [
            (c, by_id[convoy_id][1])
            for convoy_id, c in self.cancelled.items()
            if convoy_id in by_id
        ]

    def _cancelled_change(self, report: Located[ConvoyReport], day: int) -> ForcedChange:
        convoy = self.published.convoys[report.row.convoy_id]
        cause = Cause(_("reported cancelled"), report.at("status"), report.row.description)
        return ForcedChange(convoy.convoy_id, convoy.line_id, day, cause)

    def _impossible(
        self, data: ModelData, departure: tuple[str, int], convoy_id: str
    ) -> ForcedChange:
        """Why a published departure cannot run: a reported closure of a route of its path, a
        route closed by a threat or a season, a report on its vehicles; else its vehicles or
        escorts are gone."""
        line_id, day = departure
        causes = ReportCauses(self, data)
        cause = causes.closure(line_id) or _closed_route(data, departure) or causes.fleet(line_id)
        if cause is None:
            cause = Cause(_("its vehicles or escorts are no longer available"), None)
        return ForcedChange(convoy_id, line_id, day, cause)

    def _frozen(
        self, data: ModelData, keep: Mapping[tuple[str, int], str]
    ) -> tuple[list[tuple[str, int]], list[ForcedChange]]:
        """The published departures of the frozen days that still fit, in day order, with the
        vehicles and escorts still away; the others, and later ones that cannot fit even alone,
        are forced changes."""
        room = _Room(self, data)
        fixed: list[tuple[str, int]] = []
        dropped: list[ForcedChange] = []
        for departure in sorted(keep, key=lambda d: (d[1], d[0])):
            counts = self.published.vehicles.get(keep[departure], {})
            if not room.fits(departure, counts):
                dropped.append(self._impossible(data, departure, keep[departure]))
            elif departure[1] <= self.freeze_days:
                room.take(departure, counts)
                fixed.append(departure)
        return fixed, dropped

    def published_start(self, data: ModelData) -> dict[str, float]:
        """The published plan's remaining decisions as a starting plan (``SolveOptions.
        warm_start``): its departures from the report day on with their vehicles and escort
        groups, and its units' bases. The solve repairs what no longer fits."""
        start: dict[str, float] = {}
        for (line_id, day), convoy_id in self.published_departures.items():
            if convoy_id in self.cancelled or line_id not in data.lines:
                continue
            counts = self.published.vehicles.get(convoy_id, {})
            start[_name("Depart", line_id, day)] = 1.0
            for v, n in counts.items():
                start[_name("Vehicles", line_id, day, v)] = float(n)
            group = escort_group_size(data, (line_id, day))
            if group:
                start[_name("EscortGroups", line_id, day)] = float(
                    math.ceil(sum(counts.values()) / group)
                )
        for unit, base in self._published_bases(data).items():
            start[_name("Assign", unit, base)] = 1.0
        return start

    def _published_bases(self, data: ModelData) -> dict[str, str]:
        return {
            unit: to_base
            for unit, (_from, to_base, _day) in self.published.allocation.items()
            if unit in data.unit_strength
        }


def _name(component: str, *index: object) -> str:
    """A model variable's name as ``Plan.solution`` keys it: ``Vehicles[L1,3,TRUCK]``."""
    return f"{component}[{','.join(str(i) for i in index)}]"


def _closed_route(data: ModelData, departure: tuple[str, int]) -> Cause | None:
    """The first route of the departure's round trip closed while the convoy would be on it."""
    line_id, day = departure
    line = data.lines.get(line_id)
    if line is None:
        return None
    legs = (*line.legs, *reversed(line.legs))
    for leg, (entered, reached) in zip(legs, line.leg_offsets(day), strict=True):
        for on in range(day + entered, min(day + reached, data.horizon_days) + 1):
            if not data.route_open.get((leg, on), True):
                text = _("route {route} closed on day {day}").format(route=leg, day=on)
                return Cause(text, None)
    return None


class _Room:
    """Vehicles and escort troops left at each base and day, for the published departures: the
    fleet less what is still away, escorts of the units where they are (none moving) less those
    still away, less what the departures kept so far take."""

    def __init__(self, replanning: Replanning, data: ModelData) -> None:
        self.data = data
        self.vehicles: dict[tuple[str, str, int], int] = defaultdict(int)
        for (h, v, t), n in replanning.vehicles_away.items():
            self.vehicles[h, v, t] -= n
        self.escorts: dict[tuple[str, int], int] = defaultdict(int)
        for unit in replanning.loaded.scenario.units:
            if unit.escort_capable:
                for t in data.DAYS:
                    self.escorts[unit.current_base_id, t] += unit.strength
        for (h, t), n in replanning.escort_troops_away.items():
            self.escorts[h, t] -= n

    def _days(self, departure: tuple[str, int]) -> range:
        line_id, day = departure
        last = day + self.data.lines[line_id].round_trip(day)
        return range(day, min(last, self.data.horizon_days + 1))

    def _fleet(self, base: str, vehicle: str) -> int:
        return self.data.fleet.get((base, vehicle), 0) * self.data.trips_per_day.get(vehicle, 1)

    def fits(self, departure: tuple[str, int], counts: Mapping[str, int]) -> bool:
        """Whether the departure's published vehicles and its escort are there on its days."""
        line = self.data.lines[departure[0]]
        escort = escort_troops_required(self.data, departure, sum(counts.values()))
        return all(
            self._fleet(line.origin, v) + self.vehicles[line.origin, v, t] >= n
            for v, n in counts.items()
            for t in self._days(departure)
        ) and all(self.escorts[line.escort_origin, t] >= escort for t in self._days(departure))

    def take(self, departure: tuple[str, int], counts: Mapping[str, int]) -> None:
        """Keep the departure's vehicles and escort for its round trip."""
        line = self.data.lines[departure[0]]
        escort = escort_troops_required(self.data, departure, sum(counts.values()))
        for t in self._days(departure):
            self.escorts[line.escort_origin, t] -= escort
            for v, n in counts.items():
                self.vehicles[line.origin, v, t] -= n


def prepare_replan(plan_loaded: LoadedScenario, actuals_path: Path, freeze_days: int) -> Replanning:
    """The re-planning of the plan read as ``plan_loaded`` from the actuals at ``actuals_path``.

    Raises ``InputError`` with every problem of the actuals, at their cells.
    """
    if plan_loaded.source is None:
        raise InputError(
            [Issue(str(actuals_path), None, None, None, _("the plan workbook could not be read"))]
        )
    published = read_published_plan(plan_loaded.source)
    actuals = read_actuals(actuals_path, plan_loaded.scenario, published.convoys)
    report_day = actuals.report_day
    shift = report_day - 1
    horizon = plan_loaded.scenario.settings.horizon_days
    reports = {c.row.convoy_id: c for c in actuals.convoys}
    transit = _InTransit(published, actuals, reports, shift, horizon)
    for convoy in published.convoys.values():
        if convoy.depart_day < report_day:
            transit.add(convoy)
    rolled = rolled_scenario(
        plan_loaded.scenario,
        report_day,
        unit_bases=_unit_bases(published, report_day),
        initial_stock=transit.expected_stock(),
    )
    overlay = actuals_overlay(actuals, shift)
    loaded = apply_overlay(replace(plan_loaded, scenario=rolled), overlay)
    departures = {
        (c.line_id, c.depart_day - shift): c.convoy_id
        for c in published.convoys.values()
        if c.depart_day >= report_day
    }
    cancelled = {
        convoy_id: report
        for convoy_id, report in reports.items()
        if report.row.status is ConvoyStatus.cancelled and convoy_id in departures.values()
    }
    return Replanning(
        loaded=loaded,
        actuals=actuals,
        published=published,
        shift=shift,
        freeze_days=freeze_days,
        pipeline=dict(transit.pipeline),
        vehicles_away=transit.vehicles_away_with(actuals.vehicles_out, horizon),
        escort_troops_away=dict(transit.escorts_away),
        published_departures=departures,
        cancelled=cancelled,
    )


def _unit_bases(published: PublishedPlan, report_day: int) -> dict[str, str]:
    """Where the published plan has each unit on the report day: at its new base once its move
    has started (a unit on the road is taken to be there), else where it was."""
    return {
        unit: to_base if move_day is not None and move_day < report_day else from_base
        for unit, (from_base, to_base, move_day) in published.allocation.items()
    }


class _InTransit:
    """The convoys that left before the report day, as the actuals say they are."""

    def __init__(
        self,
        published: PublishedPlan,
        actuals: Actuals,
        reports: Mapping[str, Located[ConvoyReport]],
        shift: int,
        horizon: int,
    ) -> None:
        self.published = published
        self.reports = reports
        self.shift = shift
        self.horizon = horizon
        self.loaded = {
            (c.row.convoy_id, c.row.base_id, c.row.supply_id): c.row.quantity for c in actuals.cargo
        }
        self.pipeline: dict[tuple[str, str, int], float] = defaultdict(float)
        self.vehicles_away: dict[tuple[str, str, int], int] = defaultdict(int)
        self.escorts_away: dict[tuple[str, int], int] = defaultdict(int)
        self.missing: dict[tuple[str, str], float] = defaultdict(float)
        """Planned arrivals before the report day that did not happen (and cargo back home)."""

    def add(self, convoy: PublishedConvoy) -> None:
        """Account for one convoy that left before the report day."""
        report = self.reports.get(convoy.convoy_id)
        status = report.row.status if report else ConvoyStatus.on_schedule
        delay = (report.row.delay_days or 0) if report else 0
        drops = [d for d in self.published.drops if d.convoy_id == convoy.convoy_id]
        report_day = self.shift + 1
        for drop in drops:
            quantity = self.loaded.get(
                (drop.convoy_id, drop.base_id, drop.supply_id), drop.quantity
            )
            arrives = drop.arrival_day + delay
            delivered_before = drop.arrival_day < report_day
            if status in (ConvoyStatus.on_schedule, ConvoyStatus.delayed):
                if delivered_before and arrives >= report_day:
                    self.missing[drop.base_id, drop.supply_id] += drop.quantity
                if arrives >= report_day and arrives - self.shift <= self.horizon:
                    self.pipeline[drop.base_id, drop.supply_id, arrives - self.shift] += quantity
            elif delivered_before and status is not ConvoyStatus.lost:
                self.missing[drop.base_id, drop.supply_id] += drop.quantity
            if status in (ConvoyStatus.returned, ConvoyStatus.cancelled):
                self.missing[convoy.origin_id, drop.supply_id] -= drop.quantity
        if status in (ConvoyStatus.returned, ConvoyStatus.cancelled):
            return
        back = (
            self.horizon + 1
            if status is ConvoyStatus.lost
            else convoy.return_day + delay - self.shift
        )
        for t in range(1, min(back, self.horizon + 1)):
            for v, n in self.published.vehicles.get(convoy.convoy_id, {}).items():
                self.vehicles_away[convoy.origin_id, v, t] += n
            if convoy.escort_troops:
                self.escorts_away[convoy.escort_base_id, t] += convoy.escort_troops

    def expected_stock(self) -> dict[tuple[str, str], float]:
        """Opening stock of each stock point on the report day as the plan expected it, less
        what did not arrive and plus what came back."""
        report_day = self.shift + 1
        return {
            (b, k): max(0.0, opening - self.missing.get((b, k), 0.0))
            for (b, k, day), opening in self.published.opening.items()
            if day == report_day
        }

    def vehicles_away_with(
        self, out: Iterable[Located[VehiclesOut]], horizon: int
    ) -> dict[tuple[str, str, int], int]:
        """Vehicles away with convoys, and out of service as reported."""
        away = defaultdict(int, self.vehicles_away)
        for located in out:
            row = located.row
            last = horizon if row.until_day is None else min(row.until_day - self.shift, horizon)
            for t in range(1, last + 1):
                away[row.base_id, row.vehicle_type_id, t] += row.count
        return dict(away)


def actuals_overlay(actuals: Actuals, shift: int) -> Overlay:
    """The reported stock, unit positions, threats and closures as what-if changes on the
    rolled mission (days already in its numbering), each located at its cell."""
    changes: list[Change] = []
    for located in actuals.stocks:
        row = located.row
        changes.append(
            _change(
                located,
                "Stocks",
                f"{row.base_id}/{row.supply_id}",
                "initial_stock",
                row.on_hand,
                "on_hand",
            )
        )
    for position in actuals.units:
        unit = position.row
        changes.append(
            _change(position, "Units", unit.unit_id, "current_base_id", unit.base_id, "base_id")
        )
    for closed in actuals.closures:
        closure = closed.row
        last = None if closure.last_day is None else closure.last_day - shift
        if last is not None and last < 1:
            continue
        changes.append(
            replace(
                _change(closed, "Routes", closure.route_id, "open", "no", "route_id"),
                first_day=max(1, closure.first_day - shift),
                last_day=last,
                description=closure.description,
            )
        )
    additions = []
    for reported in actuals.threats:
        threat = reported.row
        end = None if threat.last_day is None else threat.last_day - shift
        if end is not None and end < 1:
            continue
        rolled = threat.model_copy(
            update={"first_day": max(1, threat.first_day - shift), "last_day": end}
        )
        additions.append(
            Addition("Threats", rolled, dict(reported.cells), reported.at("threat_id"))
        )
    return Overlay("actuals", tuple(changes), tuple(additions))


def _change(
    located: Located[Any],
    sheet: str,
    record_id: str,
    field_name: str,
    value: object,
    column: str,
) -> Change:
    """A change of one field, every part located at the actuals cell of ``column``."""
    cell = located.at(column)
    return Change(sheet, record_id, field_name, value, origin=cell, cells={"value": cell})


@dataclass(frozen=True)
class ReplanRun:
    """What a re-plan produced: the run (data, plan, workbook) and what changed."""

    run: PlanRun
    changes: ChangeReport
    replanning: Replanning


def replan(
    plan_path: Path | str,
    actuals_path: Path | str,
    output: Path | str | None,
    *,
    freeze_days: int = DEFAULT_FREEZE_DAYS,
    time_limit_s: float | None = None,
    mip_gap_pct: float | None = None,
    drawings: bool = True,
    progress: ProgressCallback | None = None,
    weight_stability: float | None = None,
    warm: bool = True,
    on_stage: StageCallback | None = None,
    stop: Callable[[], bool] | None = None,
    threads: int = DEFAULT_THREADS,
) -> ReplanRun:
    """Re-plan the plan workbook at ``plan_path`` from the actuals at ``actuals_path`` and (with
    ``output``) write the new plan workbook with its ``Changes`` sheet.

    Raises ``InputError`` for problems in either workbook (nothing is written) and
    ``OutputError`` before solving when ``output`` would overwrite an input or cannot be written.
    ``weight_stability`` replaces the Settings' (0 re-solves with no regard for the published
    plan beyond what is already on the road and the frozen days). With ``warm`` the solve starts
    from the published plan's remaining decisions, repaired to fit. ``on_stage``, ``progress``
    and ``stop`` are those of ``logistics.api.solve_and_write`` and ``solve_options``;
    ``threads`` that of ``logistics.api.plan_workbook``.
    """
    plan_file, actuals_file = Path(plan_path), Path(actuals_path)
    target = None if output is None else Path(output)
    if target is not None:
        check_outputs(plan_outputs(target, drawings), [plan_file, actuals_file])
    started = time.perf_counter()
    plan_loaded = load(plan_file)
    replanning = prepare_replan(plan_loaded, actuals_file, freeze_days)
    timings = {"read": time.perf_counter() - started}
    scenario = replanning.loaded.scenario
    if weight_stability is not None:
        settings = scenario.settings.model_copy(update={"weight_stability": weight_stability})
        scenario = scenario.model_copy(update={"settings": settings})
    options = solve_options(
        scenario.settings,
        time_limit_s=time_limit_s,
        mip_gap_pct=mip_gap_pct,
        threads=threads,
        progress=progress,
        stop=stop,
    )
    report = _ReportOnce(replanning, warm)
    note = _("re-planned from day {day} of {plan} with {actuals}").format(
        day=replanning.actuals.report_day, plan=plan_file.name, actuals=actuals_file.name
    )
    provenance = InputProvenance.of(plan_loaded, overrides=(note,))
    run = solve_and_write(
        scenario,
        options,
        target,
        provenance,
        timings,
        on_stage,
        drawings=drawings,
        prepare=report.prepare,
        annex=report.annex,
        warm_start=report.start,
    )
    return ReplanRun(run, report.report(run.data, run.plan), replanning)


class _ReportOnce:
    """Adds the commitments to the compiled data and makes the change report once."""

    def __init__(self, replanning: Replanning, warm: bool) -> None:
        self.replanning = replanning
        self.warm = warm
        self.forced: tuple[ForcedChange, ...] = ()
        self.made: ChangeReport | None = None

    def prepare(self, data: ModelData) -> ModelData:
        """The compiled data with the commitments (the forced changes kept for the report)."""
        committed, self.forced = self.replanning.model_data(data)
        return committed

    def start(self, data: ModelData) -> dict[str, float] | None:
        """The published plan as the solve's starting plan, if asked for."""
        return self.replanning.published_start(data) if self.warm else None

    def report(self, data: ModelData, plan: Plan) -> ChangeReport:
        """The changes of ``plan``, made once."""
        if self.made is None:
            self.made = change_report(self.replanning, data, plan, self.forced)
        return self.made

    def annex(self, data: ModelData, plan: Plan) -> PlanAnnex:
        """The Changes sheet and the Brief's "What changed" block."""
        return self.report(data, plan).annex()
