"""The actuals workbook: what is known on the report day, against the plan it re-plans.

A planner reports, for one day of a published plan (``Report``), the stock on hand at the start
of that day (``StockOnHand``), what became of the convoys that left before it and the ones
cancelled (``ConvoyReports``, with the cargo actually loaded in ``CargoLoaded`` where it differs
from the plan), where units actually are (``UnitPositions``), vehicles out of service
(``VehiclesOut``), new threats (``Threats``, the input sheet's columns) and road closures
(``Closures``). Days are the published plan's day numbers, or dates when its Settings have
``start_date``.

``logistics.io.actuals.read_actuals`` reads the workbook like any input; ``actuals_issues`` checks
it against the plan: every problem at its cell, all at once, including ids the plan does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, model_validator

from logistics.errors import Issue
from logistics.i18n import _
from logistics.rules.fields import shown_number
from logistics.rules.locations import CellLocation
from logistics.rules.registry import SheetSpec
from logistics.rules.schemas import Day, Id, Row, Scenario, Threat, _columns
from logistics.rules.validation import _suggestion


class ConvoyStatus(StrEnum):
    """What became of a convoy of the published plan."""

    on_schedule = "on_schedule"
    delayed = "delayed"
    returned = "returned"
    lost = "lost"
    cancelled = "cancelled"


class ReportDay(Row):
    """The day the actuals describe (``Report`` sheet, one row)."""

    report_day: Day = Field(
        description="Day of the published plan the actuals describe (its number, or its date); the re-plan starts on it."
    )
    description: str = Field("", max_length=500, description="What the report is.")


class StockOnHand(Row):
    """Stock counted at a base (``StockOnHand`` sheet)."""

    base_id: Id = Field(description="Base holding the stock.")
    supply_id: Id = Field(description="Supply class.")
    on_hand: float = Field(
        ge=0, le=1e9, description="Stock at the start of the report day, in the class's unit."
    )


class ConvoyReport(Row):
    """What became of a convoy of the published plan (``ConvoyReports`` sheet)."""

    convoy_id: Id = Field(description="Convoy id as in the plan's Convoys sheet.")
    status: ConvoyStatus = Field(
        description="on_schedule, delayed (give delay_days), returned (back home, cargo not delivered), lost (cargo and vehicles), or cancelled (did not or will not leave)."
    )
    delay_days: int | None = Field(
        None, ge=1, le=60, description="Days late at every base still ahead (delayed only)."
    )
    description: str = Field("", max_length=500, description="What happened.")

    @model_validator(mode="after")
    def _delay_with_delayed(self) -> ConvoyReport:
        delayed = self.status is ConvoyStatus.delayed
        if delayed and self.delay_days is None:
            raise ValueError(_columns(_("a delayed convoy needs {delay_days}")))
        if not delayed and self.delay_days is not None:
            raise ValueError(_columns(_("{delay_days} is only for a delayed convoy")))
        return self


class CargoLoaded(Row):
    """Cargo a convoy on the road actually carries for one base (``CargoLoaded`` sheet)."""

    convoy_id: Id = Field(description="Convoy id as in the plan's Convoys sheet.")
    base_id: Id = Field(description="Base of its path the cargo is for.")
    supply_id: Id = Field(description="Supply class.")
    quantity: float = Field(
        ge=0,
        le=1e9,
        description="Quantity loaded for that base, in the class's unit; replaces the plan's.",
    )


class UnitPosition(Row):
    """Where a unit actually is (``UnitPositions`` sheet)."""

    unit_id: Id = Field(description="Unit id.")
    base_id: Id = Field(description="Base the unit is at on the report day.")


class VehiclesOut(Row):
    """Vehicles out of service (``VehiclesOut`` sheet)."""

    base_id: Id = Field(description="Home base of the vehicles.")
    vehicle_type_id: Id = Field(description="Vehicle type.")
    count: int = Field(ge=1, le=10_000, description="Vehicles out of service.")
    until_day: Day | None = Field(
        None, description="Last day they are out of service; blank = the whole re-plan."
    )
    description: str = Field("", max_length=500, description="Why (breakdown, grounded...).")


class Closure(Row):
    """A route closed by an event (``Closures`` sheet)."""

    route_id: Id = Field(description="Route closed.")
    first_day: Day = Field(description="First day closed.")
    last_day: Day | None = Field(None, description="Last day closed; blank = to the end.")
    description: str = Field("", max_length=500, description="Cause (IED, bridge down...).")

    @model_validator(mode="after")
    def _ordered_days(self) -> Closure:
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError(_columns(_("{last_day} must not be before {first_day}")))
        return self


def _spec(name: str, model: type[BaseModel], key: tuple[str, ...], description: str) -> SheetSpec:
    return SheetSpec(name, model, "", "table", name == "Report", key, (), description)


ACTUALS_SHEETS: tuple[SheetSpec, ...] = (
    _spec("Report", ReportDay, ("report_day",), "The day the actuals describe: one row."),
    _spec(
        "StockOnHand",
        StockOnHand,
        ("base_id", "supply_id"),
        "Stock on hand at the start of the report day; a stock point not listed is as the plan said.",
    ),
    _spec(
        "ConvoyReports",
        ConvoyReport,
        ("convoy_id",),
        "Convoys of the plan that left before the report day, and convoys cancelled; a convoy not listed ran as planned.",
    ),
    _spec(
        "CargoLoaded",
        CargoLoaded,
        ("convoy_id", "base_id", "supply_id"),
        "Cargo a convoy on the road actually carries, where it differs from the plan.",
    ),
    _spec(
        "UnitPositions",
        UnitPosition,
        ("unit_id",),
        "Where units are on the report day; a unit not listed is where the plan put it.",
    ),
    _spec(
        "VehiclesOut",
        VehiclesOut,
        ("base_id", "vehicle_type_id"),
        "Vehicles out of service (broken down, grounded) until a day.",
    ),
    _spec(
        "Threats", Threat, ("threat_id",), "New threats, with the input Threats sheet's columns."
    ),
    _spec(
        "Closures", Closure, ("route_id", "first_day"), "Routes closed by events, for some days."
    ),
)
"""The sheets of the actuals workbook, in the template's order."""


RowT = TypeVar("RowT", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[RowT]):
    """A row of the actuals and the cell of each of its fields."""

    row: RowT
    cells: Mapping[str, CellLocation]

    def at(self, column: str) -> CellLocation:
        """Where the row's ``column`` was read."""
        return self.cells[column]


@dataclass(frozen=True)
class PublishedConvoy:
    """A convoy of the published plan as its plan workbook lists it (``logistics.replan``)."""

    convoy_id: str
    line_id: str
    origin_id: str
    path: tuple[str, ...]
    depart_day: int
    return_day: int
    escort_troops: int
    escort_base_id: str


@dataclass(frozen=True)
class Actuals:
    """The actuals workbook, read and checked (days in the published plan's numbering)."""

    file_name: str
    report: Located[ReportDay]
    stocks: tuple[Located[StockOnHand], ...] = ()
    convoys: tuple[Located[ConvoyReport], ...] = ()
    cargo: tuple[Located[CargoLoaded], ...] = ()
    units: tuple[Located[UnitPosition], ...] = ()
    vehicles_out: tuple[Located[VehiclesOut], ...] = ()
    threats: tuple[Located[Threat], ...] = ()
    closures: tuple[Located[Closure], ...] = ()

    @property
    def report_day(self) -> int:
        """The day of the published plan the re-plan starts on."""
        return self.report.row.report_day


Check = Callable[[Actuals, Scenario, Mapping[str, PublishedConvoy]], Iterable[Issue]]


def actuals_issues(
    actuals: Actuals, scenario: Scenario, convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    """Every problem of readable actuals against the published plan."""
    checks: tuple[Check, ...] = (
        _report_day_issues,
        _stock_issues,
        _convoy_issues,
        _cargo_issues,
        _unit_issues,
        _vehicle_issues,
        _route_issues,
    )
    return [issue for check in checks for issue in check(actuals, scenario, convoys)]


def _unknown(
    located: Located[Any], column: str, known: Iterable[str], sheet: str, *, plan: bool = False
) -> list[Issue]:
    """The problem of an id that names nothing in ``sheet`` (of the plan's inputs, or of the
    plan itself with ``plan``), or nothing."""
    value = getattr(located.row, column)
    known_ids = set(known)
    if value is None or value in known_ids:
        return []
    template = (
        _("no {column} {value} in the plan's {sheet} sheet{suggestion}")
        if plan
        else _("no {column} {value} in the {sheet} sheet{suggestion}")
    )
    message = template.format(
        column=column, value=repr(value), sheet=sheet, suggestion=_suggestion(value, known_ids)
    )
    return [located.at(column).issue(value, message)]


def _unknown_at_base(
    located: Located[Any], scenario: Scenario, column: str, known: Iterable[str], sheet: str
) -> list[Issue]:
    """The problems of a row's ``base_id`` and of its other id ``column`` (of ``sheet``)."""
    bases = (b.base_id for b in scenario.bases)
    return [*_unknown(located, "base_id", bases, "Bases"), *_unknown(located, column, known, sheet)]


def _report_day_issues(
    actuals: Actuals, scenario: Scenario, _convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    horizon = scenario.settings.horizon_days
    day = actuals.report_day
    if day <= horizon:
        return []
    message = _("the report day must be a day of the published plan: 1 to {horizon}").format(
        horizon=horizon
    )
    return [actuals.report.at("report_day").issue(day, message)]


def _stock_issues(
    actuals: Actuals, scenario: Scenario, _convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    capacity = {(s.base_id, s.supply_id): s.capacity for s in scenario.stocks}
    issues: list[Issue] = []
    for located in actuals.stocks:
        row = located.row
        unknown = _unknown_at_base(
            located, scenario, "supply_id", (k.supply_id for k in scenario.supplies), "Supplies"
        )
        issues += unknown
        if unknown:
            continue
        room = capacity.get((row.base_id, row.supply_id))
        if room is None:
            message = _(
                "{base} keeps no stock of {supply}: it has no row in the Stocks sheet"
            ).format(base=row.base_id, supply=row.supply_id)
            issues.append(located.at("base_id").issue(row.base_id, message))
        elif row.on_hand > room:
            message = _(
                "more than the storage capacity of {base} (Stocks sheet): expected at most {capacity}"
            ).format(base=row.base_id, capacity=shown_number(room))
            issues.append(located.at("on_hand").issue(row.on_hand, message))
    return issues


def _convoy_issues(
    actuals: Actuals, _scenario: Scenario, convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    issues: list[Issue] = []
    for located in actuals.convoys:
        unknown = _unknown(located, "convoy_id", convoys, "Convoys", plan=True)
        issues += unknown
        if unknown:
            continue
        convoy = convoys[located.row.convoy_id]
        future = convoy.depart_day >= actuals.report_day
        if future and located.row.status is not ConvoyStatus.cancelled:
            message = _(
                "this convoy leaves on day {day}, not before the report day {report}: only "
                "cancelled applies to it"
            ).format(day=convoy.depart_day, report=actuals.report_day)
            issues.append(located.at("status").issue(located.row.status.value, message))
    return issues


def _cargo_issues(
    actuals: Actuals, scenario: Scenario, convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    issues: list[Issue] = []
    for located in actuals.cargo:
        row = located.row
        unknown = _unknown(located, "convoy_id", convoys, "Convoys", plan=True)
        unknown += _unknown(
            located, "supply_id", (k.supply_id for k in scenario.supplies), "Supplies"
        )
        issues += unknown
        if unknown:
            continue
        convoy = convoys[row.convoy_id]
        if convoy.depart_day >= actuals.report_day:
            message = _(
                "this convoy leaves on day {day}, not before the report day {report}"
            ).format(day=convoy.depart_day, report=actuals.report_day)
            issues.append(located.at("convoy_id").issue(row.convoy_id, message))
        elif row.base_id not in convoy.path[1:]:
            message = _("not a base this convoy reaches: its path is {path}").format(
                path=" > ".join(convoy.path)
            )
            issues.append(located.at("base_id").issue(row.base_id, message))
    return issues


def _unit_issues(
    actuals: Actuals, scenario: Scenario, _convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    units = [u.unit_id for u in scenario.units]
    bases = [b.base_id for b in scenario.bases]
    return [
        issue
        for located in actuals.units
        for issue in (
            *_unknown(located, "unit_id", units, "Units"),
            *_unknown(located, "base_id", bases, "Bases"),
        )
    ]


def _vehicle_issues(
    actuals: Actuals, scenario: Scenario, _convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    fleet = {(f.base_id, f.vehicle_type_id): f.count for f in scenario.fleet}
    issues: list[Issue] = []
    for located in actuals.vehicles_out:
        row = located.row
        unknown = _unknown_at_base(
            located,
            scenario,
            "vehicle_type_id",
            (v.vehicle_type_id for v in scenario.vehicles),
            "Vehicles",
        )
        issues += unknown
        if unknown:
            continue
        count = fleet.get((row.base_id, row.vehicle_type_id), 0)
        if row.count > count:
            message = _("more than the {count} of this type based at {base} (Fleet sheet)").format(
                count=count, base=row.base_id
            )
            issues.append(located.at("count").issue(row.count, message))
        if row.until_day is not None and row.until_day < actuals.report_day:
            message = _("before the report day {report}: these vehicles are back").format(
                report=actuals.report_day
            )
            issues.append(located.at("until_day").issue(row.until_day, message))
    return issues


def _route_issues(
    actuals: Actuals, scenario: Scenario, _convoys: Mapping[str, PublishedConvoy]
) -> list[Issue]:
    routes = [r.route_id for r in scenario.routes]
    issues = [
        issue
        for located in actuals.closures
        for issue in _unknown(located, "route_id", routes, "Routes")
    ]
    for located in actuals.threats:
        issues += _unknown(located, "route_id", routes, "Routes")
        issues += _unknown(located, "base_id", (b.base_id for b in scenario.bases), "Bases")
    return issues
