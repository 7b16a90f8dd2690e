"""Warnings: inputs that are valid but probably not what the planner meant.

A warning does not stop the solve. ``logistics validate`` and ``logistics solve`` show them, the
plan's ``Run`` sheet lists them, and ``--strict`` turns them into errors. Each rule is one small
function from (scenario, source map) to the warnings it finds, at the cell that should change,
like the rules of ``logistics.rules.validation``; the reader adds its own (numbers shown as
percentages in columns that are not in %).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from logistics.errors import Issue
from logistics.i18n import _, column_name, settings_names, sheet_name
from logistics.rules.fields import columns_of, display_value, shown_number
from logistics.rules.locations import SourceMap
from logistics.rules.network import Network, haversine_km, point_in_area, route_in_area
from logistics.rules.registry import SHEETS, SheetSpec
from logistics.rules.schemas import AIRFIELD_RANK, Base, Mode, Scenario, Vehicle
from logistics.rules.validation import Rule, consumes, rows_of

FAR_KM = 1500.0
"""A base farther than this from every other base (and than three times the usual spacing of
the mission's bases) is taken to have mistyped coordinates."""

SWAPPED_KM = 300.0
"""A base farther than this from every other base (and than three times their usual spacing)
whose latitude and longitude, swapped, put it three times nearer to them looks swapped."""

# --------------------------------------------------------------------------------------------------
# Days and threats
# --------------------------------------------------------------------------------------------------


def days_beyond_horizon(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Days after the last planned day: a range that starts there never applies, one that ends
    there is cut at the horizon."""
    horizon = scenario.settings.horizon_days
    issues = []
    for spec in SHEETS:
        day_columns = [c.name for c in columns_of(spec.model).values() if c.is_day]
        if spec.layout != "table" or not day_columns:
            continue
        for index, row in enumerate(rows_of(scenario, spec.name)):
            issues.extend(_late_days(locations, spec, index, row, day_columns, horizon))
    return issues


def _is_range_start(column: str) -> bool:
    """Day columns that open a range (first_day, open_from_day…), as opposed to those closing one."""
    return "last" not in column and "_to_" not in column


def _late_days(
    locations: SourceMap,
    spec: SheetSpec,
    index: int,
    row: BaseModel,
    columns: Sequence[str],
    horizon: int,
) -> list[Issue]:
    issues = []
    for column in columns:
        day = getattr(row, column)
        if day is None or day <= horizon:
            continue
        effect = (
            _("this record never applies in the plan")
            if _is_range_start(column)
            else _("the days after {horizon} are not planned").format(horizon=horizon)
        )
        message = _(
            "day {day} is after the last planned day ({horizon}, {horizon_days} in {settings}): "
            "{effect}"
        ).format(day=day, horizon=horizon, effect=effect, **settings_names("horizon_days"))
        issues.append(locations.warning(spec.name, index, column, day, message))
    return issues


def threat_areas_touching_nothing(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Threat areas that contain no base and touch no route (a route's ends or midpoint)."""
    position = {base.base_id: (base.latitude_deg, base.longitude_deg) for base in scenario.bases}
    segments = [
        (position[route.from_base_id], position[route.to_base_id])
        for route in scenario.routes
        if route.from_base_id in position and route.to_base_id in position
    ]
    issues = []
    for index, threat in enumerate(scenario.threats):
        if threat.latitude_deg is None or threat.longitude_deg is None or threat.radius_km is None:
            continue
        area = (threat.latitude_deg, threat.longitude_deg, threat.radius_km)
        touches_base = any(point_in_area(lat, lon, area) for lat, lon in position.values())
        if touches_base or any(route_in_area(start, end, area) for start, end in segments):
            continue
        message = _(
            "the area of {radius} km around ({latitude}, {longitude}) contains no base and "
            "touches no route, so the threat changes nothing: check the coordinates and radius"
        ).format(
            radius=display_value(threat.radius_km),
            latitude=display_value(threat.latitude_deg),
            longitude=display_value(threat.longitude_deg),
        )
        issues.append(
            locations.warning("Threats", index, "latitude_deg", threat.latitude_deg, message)
        )
    return issues


# --------------------------------------------------------------------------------------------------
# Supply
# --------------------------------------------------------------------------------------------------


def classes_without_demand(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Supply classes nothing ever consumes: no consumption rate, no fixed demand, no Demands row."""
    consumed = {row.supply_id for row in scenario.consumption if row.quantity_per_person_day > 0}
    consumed |= {row.supply_id for row in scenario.stocks if row.fixed_demand_per_day > 0}
    consumed |= {row.supply_id for row in scenario.demands}
    return [
        locations.warning(
            "Supplies",
            index,
            "supply_id",
            supply.supply_id,
            _(
                "nothing consumes {supply}: it has no rate in the {consumption} sheet (and no "
                "planning-factor default), no {fixed_demand_per_day} in {stocks} and no "
                "{demands} row, so the plan moves none of it; add a {consumption} row for {supply}"
            ).format(
                supply=supply.supply_id,
                consumption=sheet_name("Consumption"),
                fixed_demand_per_day=column_name("fixed_demand_per_day"),
                stocks=sheet_name("Stocks"),
                demands=sheet_name("Demands"),
            ),
        )
        for index, supply in enumerate(scenario.supplies)
        if supply.supply_id not in consumed
    ]


def _potential_demand(scenario: Scenario) -> dict[str, set[str]]:
    """Per supply class, the bases that could ever need it: a fixed or extra demand there, or
    room for troops who consume it."""
    needed: dict[str, set[str]] = defaultdict(set)
    for stock in scenario.stocks:
        if stock.fixed_demand_per_day > 0:
            needed[stock.supply_id].add(stock.base_id)
    for demand in scenario.demands:
        needed[demand.supply_id].add(demand.base_id)
    for base in scenario.bases:
        if base.accommodation_troops > 0:
            for supply in scenario.supplies:
                if consumes(scenario, supply.supply_id, base.kind):
                    needed[supply.supply_id].add(base.base_id)
    return needed


def _reachable_from(scenario: Scenario) -> Callable[[str], set[str]]:
    """The bases the routes lead to from a base (itself included), each base's computed once."""
    network = Network.from_routes(scenario.routes)
    found: dict[str, set[str]] = {}

    def reachable(base_id: str) -> set[str]:
        if base_id not in found:
            found[base_id] = network.reachable([base_id])
        return found[base_id]

    return reachable


def sources_never_reachable(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Sources from which no route leads to any base that could need their supply class."""
    reachable = _reachable_from(scenario)
    needed = _potential_demand(scenario)
    issues = []
    for index, source in enumerate(scenario.sources):
        if reachable(source.base_id) & needed.get(source.supply_id, set()):
            continue
        message = _(
            "no base that needs {supply} can be reached from {base} by the routes, so this "
            "source is never used: check the routes and the base"
        ).format(supply=source.supply_id, base=source.base_id)
        issues.append(locations.warning("Sources", index, "base_id", source.base_id, message))
    return issues


def safety_stock_above_capacity(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Stock points whose safety stock, on the demand certain to be there, exceeds the capacity.

    The certain demand is the fixed daily demand plus what units that may not move consume; the
    target can then never be met and the plan is penalised for it every day.
    """
    supplies = {supply.supply_id: supply for supply in scenario.supplies}
    kinds = {base.base_id: base.kind for base in scenario.bases}
    rates = {
        (row.supply_id, row.base_kind): row.quantity_per_person_day for row in scenario.consumption
    }
    staying: dict[str, int] = defaultdict(int)
    for unit in scenario.units:
        if not unit.may_move:
            staying[unit.current_base_id] += unit.strength
    issues = []
    for index, stock in enumerate(scenario.stocks):
        supply = supplies.get(stock.supply_id)
        if supply is None or stock.base_id not in kinds:
            continue
        kind = kinds[stock.base_id]
        rate = rates.get((stock.supply_id, kind), rates.get((stock.supply_id, None), 0.0))
        daily = stock.fixed_demand_per_day + rate * staying[stock.base_id]
        target = supply.safety_stock_days * daily
        if target <= stock.capacity:
            continue
        message = _(
            "the safety stock of {supply} at {base} ({days} days × {daily} per day = {target}) "
            "is above the capacity, so the target can never be met: raise {capacity} or lower "
            "{safety_stock_days} in {supplies}"
        ).format(
            supply=stock.supply_id,
            base=stock.base_id,
            days=shown_number(supply.safety_stock_days),
            daily=shown_number(round(daily, 3)),
            target=shown_number(round(target, 3)),
            capacity=column_name("capacity"),
            safety_stock_days=column_name("safety_stock_days"),
            supplies=sheet_name("Supplies"),
        )
        issues.append(locations.warning("Stocks", index, "capacity", stock.capacity, message))
    return issues


# --------------------------------------------------------------------------------------------------
# Vehicles and units
# --------------------------------------------------------------------------------------------------


def _can_leave(vehicle: Vehicle, base_id: str, scenario: Scenario, bases: dict[str, Base]) -> bool:
    """Whether a route of the vehicle's mode leaves ``base_id`` (between airfields that admit
    it and open to its kind, for aircraft)."""
    for route in scenario.routes:
        ends = (route.from_base_id, route.to_base_id)
        if (
            route.mode != vehicle.mode
            or route.aircraft not in (None, vehicle.aircraft_kind)
            or not (
                route.from_base_id == base_id or (route.two_way and route.to_base_id == base_id)
            )
        ):
            continue
        if vehicle.mode != Mode.air or all(
            end in bases
            and AIRFIELD_RANK[bases[end].airfield_class]
            >= AIRFIELD_RANK[vehicle.min_airfield_class]
            for end in ends
        ):
            return True
    return False


def vehicles_never_used(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Fleet entries whose home base no route of their mode leaves."""
    vehicles = {vehicle.vehicle_type_id: vehicle for vehicle in scenario.vehicles}
    bases = {base.base_id: base for base in scenario.bases}
    issues = []
    for index, entry in enumerate(scenario.fleet):
        vehicle = vehicles.get(entry.vehicle_type_id)
        if entry.count == 0 or vehicle is None or entry.base_id not in bases:
            continue
        if _can_leave(vehicle, entry.base_id, scenario, bases):
            continue
        template = (
            _(
                "no {mode} route between airfields that admit it leaves {base} ({routes} "
                "sheet), so its {count} {vehicle} can never be used"
            )
            if vehicle.mode == Mode.air
            else _(
                "no {mode} route leaves {base} ({routes} sheet), so its {count} {vehicle} can "
                "never be used"
            )
        )
        message = template.format(
            mode=vehicle.mode.value,
            base=entry.base_id,
            routes=sheet_name("Routes"),
            count=entry.count,
            vehicle=entry.vehicle_type_id,
        )
        issues.append(
            locations.warning("Fleet", index, "vehicle_type_id", entry.vehicle_type_id, message)
        )
    return issues


def units_without_reachable_base(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Units that may move but have no other base they may serve at, or no route to one."""
    reachable = _reachable_from(scenario)
    issues = []
    for index, unit in enumerate(scenario.units):
        if not unit.may_move:
            continue
        allowed = {
            base.base_id
            for base in scenario.bases
            if base.accommodation_troops > 0
            and base.base_id != unit.current_base_id
            and (not unit.allowed_sectors or base.sector in unit.allowed_sectors)
        }
        sectors = display_value(unit.allowed_sectors) or _("any")
        if not allowed:
            message = _(
                "no other base with accommodation lies in its allowed sectors ({sectors}), so it "
                "can only stay at {base}"
            ).format(sectors=sectors, base=unit.current_base_id)
        elif not reachable(unit.current_base_id) & allowed:
            message = _(
                "no route leads from {base} to any other base it may serve at (sectors: "
                "{sectors}): check the routes or the unit's {allowed_sectors}"
            ).format(
                base=unit.current_base_id,
                sectors=sectors,
                allowed_sectors=column_name("allowed_sectors"),
            )
        else:
            continue
        issues.append(
            locations.warning("Units", index, "current_base_id", unit.current_base_id, message)
        )
    return issues


# --------------------------------------------------------------------------------------------------
# Ids and coordinates
# --------------------------------------------------------------------------------------------------


def ids_differing_in_case(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Ids of one sheet that differ only in case (``CAMP-A`` and ``camp-a``): two records."""
    issues = []
    for spec in SHEETS:
        if spec.layout != "table" or len(spec.key) != 1:
            continue
        first: dict[str, str] = {}
        for index, row in enumerate(rows_of(scenario, spec.name)):
            value = str(getattr(row, spec.key[0]))
            earlier = first.setdefault(value.casefold(), value)
            if earlier == value:
                continue
            message = _(
                "{value} and {earlier} differ only in case: ids are case-sensitive, so they are "
                "two different records; use one spelling"
            ).format(value=value, earlier=earlier)
            issues.append(locations.warning(spec.name, index, spec.key[0], value, message))
    return issues


def _nearest_km(lat: float, lon: float, others: Sequence[Base]) -> tuple[float, str]:
    """Distance to the nearest of ``others`` and its id."""
    return min((haversine_km(lat, lon, b.latitude_deg, b.longitude_deg), b.base_id) for b in others)


def coordinates_outside_area(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Bases far from every other base: latitude and longitude swapped, or mistyped.

    With ``m`` the median distance from a base to its nearest neighbour, a base looks swapped
    when its nearest neighbour is more than ``max(SWAPPED_KM, 3 m)`` away and the swapped point is
    three times nearer to the others; it looks mistyped when its nearest neighbour is more than
    ``max(FAR_KM, 3 m)`` away.
    """
    bases = scenario.bases
    if len(bases) < 3:
        return []
    others = [[o for o in bases if o is not b] for b in bases]
    nearest = [
        _nearest_km(b.latitude_deg, b.longitude_deg, rest)
        for b, rest in zip(bases, others, strict=True)
    ]
    usual = 3 * statistics.median(km for km, _ in nearest)
    issues = []
    for index, base in enumerate(bases):
        km, neighbour = nearest[index]
        if km <= max(SWAPPED_KM, usual):
            continue
        swapped_km = (
            _nearest_km(base.longitude_deg, base.latitude_deg, others[index])[0]
            if abs(base.longitude_deg) <= 90
            else km
        )
        if swapped_km * 3 < km:
            hint = _("latitude and longitude look swapped")
        elif km > max(FAR_KM, usual):
            hint = _(
                "check {latitude_deg} and {longitude_deg} (decimal degrees, south and west "
                "negative)"
            ).format(
                latitude_deg=column_name("latitude_deg"), longitude_deg=column_name("longitude_deg")
            )
        else:
            continue
        message = _(
            "{base} lies {km} km from the nearest other base ({neighbour}), far outside the "
            "mission's area: {hint}"
        ).format(base=base.base_id, km=shown_number(round(km)), neighbour=neighbour, hint=hint)
        issues.append(locations.warning("Bases", index, "latitude_deg", base.latitude_deg, message))
    return issues


WARNING_RULES: tuple[Rule, ...] = (
    ids_differing_in_case,
    coordinates_outside_area,
    days_beyond_horizon,
    threat_areas_touching_nothing,
    classes_without_demand,
    vehicles_never_used,
    units_without_reachable_base,
    sources_never_reachable,
    safety_stock_above_capacity,
)
"""Every warning rule, in the order its warnings are reported."""

PARTIAL_WARNING_RULES: tuple[Rule, ...] = (ids_differing_in_case, days_beyond_horizon)
"""Warning rules that stay right when some rows could not be read (they look at one row or at
ids only), reported beside the errors."""
