"""Cross-sheet checks of a scenario: what no single row can tell is wrong.

Each rule is one small function from (scenario, source map) to the issues it finds, each issue at
the cell that should change. ``check`` runs every rule (or the ones asked for) and returns all
issues at once. The source map, not the workbook, gives the cells, so an overlaid what-if scenario
is checked the same way. Values that are valid but look wrong are ``logistics.rules.warnings``'
rules.
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from logistics.errors import Issue, listed
from logistics.i18n import _, column_name, sheet_name
from logistics.rules.fields import display_value, shown_number
from logistics.rules.locations import SourceMap
from logistics.rules.network import Network, flies_path
from logistics.rules.registry import SHEET_BY_NAME, SHEETS
from logistics.rules.schemas import Mode, Scenario, Vehicle

Rule = Callable[[Scenario, SourceMap], list[Issue]]

LIST_REFERENCES: tuple[tuple[str, str, str], ...] = (("Convoys", "via_base_ids", "Bases"),)
"""(sheet, column, referenced sheet) for columns that hold several ids separated by ';'."""


def check(
    scenario: Scenario, locations: SourceMap, rules: Sequence[Rule] | None = None
) -> list[Issue]:
    """The problems ``rules`` (default: every rule) find in ``scenario``, rule by rule."""
    return [
        issue for rule in (RULES if rules is None else rules) for issue in rule(scenario, locations)
    ]


def rows_of(scenario: Scenario, sheet: str) -> tuple[Any, ...]:
    """The rows of a sheet in ``scenario``."""
    rows: tuple[Any, ...] = getattr(scenario, SHEET_BY_NAME[sheet].attribute)
    return rows


def ids_of(scenario: Scenario, sheet: str) -> set[str]:
    """The ids (first key column) of a sheet's rows."""
    key = SHEET_BY_NAME[sheet].key[0]
    return {getattr(row, key) for row in rows_of(scenario, sheet)}


def _suggestion(value: str, known: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the known id closest to ``value``, the same id in another case
    first (``camp-a`` for ``CAMP-A``); ``""`` when none is close."""
    candidates = sorted(known)
    same = [k for k in candidates if k.casefold() == value.casefold()]
    close = same or difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return _(" (did you mean {id}?)").format(id=close[0]) if close else ""


# --------------------------------------------------------------------------------------------------
# Identity and references
# --------------------------------------------------------------------------------------------------


def duplicate_keys(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Ids (or composite keys such as base × supply class) given twice in a sheet."""
    issues = []
    for spec in SHEETS:
        if spec.layout != "table":
            continue
        first_index: dict[tuple[Any, ...], int] = {}
        for index, row in enumerate(rows_of(scenario, spec.name)):
            key = tuple(getattr(row, column) for column in spec.key)
            if key not in first_index:
                first_index[key] = index
                continue
            earlier = locations.locate(spec.name, first_index[key], spec.key[0])
            shown = ", ".join(
                f"{column_name(c)} {display_value(v) or _('(blank)')}"
                for c, v in zip(spec.key, key, strict=True)
            )
            message = (
                _("duplicate: {key} is already used at {cell}").format(
                    key=shown, cell=f"{sheet_name(earlier.sheet)}!{earlier.cell}"
                )
                if earlier.cell
                else _("duplicate: {key} is given twice").format(key=shown)
            )
            issues.append(
                locations.issue(spec.name, index, spec.key[0], getattr(row, spec.key[0]), message)
            )
    return issues


def _reference_issue(
    locations: SourceMap,
    sheet: str,
    index: int,
    column: str,
    value: str,
    target: str,
    known: set[str],
) -> Issue:
    return locations.issue(
        sheet,
        index,
        column,
        value,
        _("no {column} {value} in the {sheet} sheet{suggestion}").format(
            column=column_name(SHEET_BY_NAME[target].key[0]),
            value=repr(value),
            sheet=sheet_name(target),
            suggestion=_suggestion(value, known),
        ),
    )


def unknown_references(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Ids that name no record of the sheet they refer to (a route to an unknown base…)."""
    references = [
        (spec.name, column, target) for spec in SHEETS for column, target in spec.references
    ]
    issues = []
    for sheet, column, target in [*references, *LIST_REFERENCES]:
        known = ids_of(scenario, target) | locations.unread_ids.get(target, frozenset())
        for index, row in enumerate(rows_of(scenario, sheet)):
            value = getattr(row, column)
            values = value if isinstance(value, tuple) else (value,)
            for item in values:
                if item is not None and item not in known:
                    issues.append(
                        _reference_issue(locations, sheet, index, column, item, target, known)
                    )
    return issues


def unknown_sectors(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """National caveats naming a sector that no base is in."""
    sectors = {base.sector for base in scenario.bases}
    issues = []
    for index, unit in enumerate(scenario.units):
        unknown = [s for s in unit.allowed_sectors if s not in sectors]
        if unknown:
            issues.append(
                locations.issue(
                    "Units",
                    index,
                    "allowed_sectors",
                    display_value(unit.allowed_sectors),
                    _("no base is in sector {unknown}; sectors of the bases: {sectors}").format(
                        unknown=listed(unknown), sectors=listed(sorted(sectors))
                    ),
                )
            )
    return issues


def undefined_threat_levels(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Routes and threats at a level the ThreatLevels sheet does not define."""
    defined = {rule.threat_level for rule in scenario.threat_levels}
    shown = ", ".join(str(level) for level in sorted(defined)) or _("none")
    issues = []
    for sheet, column in (("Routes", "threat_level"), ("Threats", "level")):
        for index, row in enumerate(rows_of(scenario, sheet)):
            level = getattr(row, column)
            if level not in defined:
                issues.append(
                    locations.issue(
                        sheet,
                        index,
                        column,
                        level,
                        _(
                            "threat level {level} is not defined in the {sheet} sheet "
                            "(defined: {defined})"
                        ).format(level=level, sheet=sheet_name("ThreatLevels"), defined=shown),
                    )
                )
    return issues


# --------------------------------------------------------------------------------------------------
# Routes and convoys
# --------------------------------------------------------------------------------------------------


def _days_text(first: int, last: int | None) -> str:
    if last is None:
        return _("days {first} to the end").format(first=first)
    return _("days {first}–{last}").format(first=first, last=last)


def overlapping_seasons(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Seasons of one route whose days overlap: which state holds on the shared days is unclear."""
    issues = []
    seen: dict[str, list[int]] = defaultdict(list)
    for index, season in enumerate(scenario.route_seasons):
        for earlier in seen[season.route_id]:
            other = scenario.route_seasons[earlier]
            if other.first_day <= (season.last_day or math.inf) and season.first_day <= (
                other.last_day or math.inf
            ):
                where = locations.locate("RouteSeasons", earlier, "first_day")
                shown = (
                    f"{sheet_name('RouteSeasons')}!{where.cell}"
                    if where.cell
                    else _("an earlier row")
                )
                issues.append(
                    locations.issue(
                        "RouteSeasons",
                        index,
                        "first_day",
                        season.first_day,
                        _(
                            "the season of route {route} on {days} overlaps its season at "
                            "{where} ({other_days}): seasons of one route must not overlap"
                        ).format(
                            route=season.route_id,
                            days=_days_text(season.first_day, season.last_day),
                            where=shown,
                            other_days=_days_text(other.first_day, other.last_day),
                        ),
                    )
                )
                break
        seen[season.route_id].append(index)
    return issues


def threats_on_other_modes(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Threats on a route whose mode they do not endanger: they would never apply."""
    modes = {route.route_id: route.mode for route in scenario.routes}
    issues = []
    for index, threat in enumerate(scenario.threats):
        mode = modes.get(threat.route_id or "")
        if mode is None or mode in threat.affected_modes:
            continue
        endangered = ", ".join(m.value for m in Mode if m in threat.affected_modes)
        column, value = (
            ("modes", display_value(threat.modes))
            if threat.modes
            else ("threat_type", threat.threat_type.value)
        )
        issues.append(
            locations.issue(
                "Threats",
                index,
                column,
                value,
                _(
                    "route {route} is a {mode} route but the threat endangers only {endangered}, "
                    "so it would never apply: give {modes} that include {mode}"
                ).format(
                    route=threat.route_id,
                    mode=mode.value,
                    endangered=endangered,
                    modes=column_name("modes"),
                ),
            )
        )
    return issues


def identical_route_ends(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Routes that start and end at the same base."""
    return [
        locations.issue(
            "Routes",
            index,
            "to_base_id",
            route.to_base_id,
            _("the route starts and ends at {base}: the two ends must differ").format(
                base=route.to_base_id
            ),
        )
        for index, route in enumerate(scenario.routes)
        if route.from_base_id == route.to_base_id
    ]


def convoy_paths(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Convoy lines whose via-bases are not a chain of routes of their mode, or with no path at all."""
    bases = ids_of(scenario, "Bases")
    network = Network.from_routes(scenario.routes)
    issues = []
    for index, line in enumerate(scenario.convoys):
        stops = (line.origin_base_id, *line.via_base_ids, line.destination_base_id)
        if any(stop not in bases for stop in stops):
            continue  # reported as an unknown reference
        if line.origin_base_id == line.destination_base_id and not line.via_base_ids:
            message = _("the origin and the destination are the same base")
            issues.append(
                locations.issue(
                    "Convoys", index, "destination_base_id", line.destination_base_id, message
                )
            )
        elif (
            network.path(
                line.origin_base_id, line.destination_base_id, line.mode, line.via_base_ids
            )
            is None
        ):
            issues.append(
                _no_path_issue(locations, index, stops, line.mode.value, bool(line.via_base_ids))
            )
    return issues


def _no_path_issue(
    locations: SourceMap, index: int, stops: Sequence[str], mode: str, has_via: bool
) -> Issue:
    if has_via:
        return locations.issue(
            "Convoys",
            index,
            "via_base_ids",
            "; ".join(stops[1:-1]),
            _(
                "{path} is not a chain of {mode} routes: each base must be joined to the next by "
                "a {mode} route in the {routes} sheet"
            ).format(path=" > ".join(stops), mode=mode, routes=sheet_name("Routes")),
        )
    return locations.issue(
        "Convoys",
        index,
        "destination_base_id",
        stops[-1],
        _("no {mode} route path leads from {origin} to {destination} in the {routes} sheet").format(
            mode=mode, origin=stops[0], destination=stops[-1], routes=sheet_name("Routes")
        ),
    )


def convoy_fleet(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Convoy lines whose origin has no vehicles of the line's mode."""
    vehicle_modes = {vehicle.vehicle_type_id: vehicle.mode for vehicle in scenario.vehicles}
    modes_at: dict[str, set[str]] = defaultdict(set)
    for entry in scenario.fleet:
        if entry.count > 0 and entry.vehicle_type_id in vehicle_modes:
            modes_at[entry.base_id].add(vehicle_modes[entry.vehicle_type_id])
    return [
        locations.issue(
            "Convoys",
            index,
            "origin_base_id",
            line.origin_base_id,
            _(
                "no {mode} vehicles are based at {base} ({fleet} sheet), so this convoy line can "
                "never run"
            ).format(mode=line.mode.value, base=line.origin_base_id, fleet=sheet_name("Fleet")),
        )
        for index, line in enumerate(scenario.convoys)
        if line.mode not in modes_at[line.origin_base_id]
    ]


def convoy_aircraft(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Air convoy lines whose aircraft (those based at the origin that every airfield of the path
    admits) all have a shorter range than the line's longest leg. Aircraft that no airfield of
    the path admits are a warning of their own (``logistics.rules.warnings``)."""
    network = Network.from_routes(scenario.routes)
    bases = {base.base_id: base for base in scenario.bases}
    vehicles = {vehicle.vehicle_type_id: vehicle for vehicle in scenario.vehicles}
    issues = []
    for index, line in enumerate(scenario.convoys):
        if line.mode != Mode.air or line.origin_base_id not in bases:
            continue
        path = network.path(
            line.origin_base_id, line.destination_base_id, line.mode, line.via_base_ids
        )
        if path is None or any(b not in bases for b in path.bases):
            continue  # no path and unknown bases are reported by their own rules
        admitted = [
            vehicles[v]
            for v in sorted(_aircraft_at(scenario, line.origin_base_id, vehicles))
            if flies_path(vehicles[v].model_copy(update={"range_km": None}), path, bases)
        ]
        if not admitted or any(flies_path(vehicle, path, bases) for vehicle in admitted):
            continue
        longest = max(path.arcs, key=lambda arc: arc.route.distance_km)
        ranges = "; ".join(
            _("{vehicle} flies at most {range} km").format(
                vehicle=vehicle.vehicle_type_id, range=shown_number(round(vehicle.range_km or 0))
            )
            for vehicle in admitted
        )
        issues.append(
            locations.issue(
                "Convoys",
                index,
                "line_id",
                line.line_id,
                _(
                    "no aircraft based at {base} can fly this line: its longest leg, {tail} > "
                    "{head}, is {distance} km and {ranges} ({vehicles} {range_km})"
                ).format(
                    base=line.origin_base_id,
                    tail=longest.tail,
                    head=longest.head,
                    distance=shown_number(round(longest.route.distance_km)),
                    ranges=ranges,
                    vehicles=sheet_name("Vehicles"),
                    range_km=column_name("range_km"),
                ),
            )
        )
    return issues


def _aircraft_at(scenario: Scenario, base: str, vehicles: dict[str, Vehicle]) -> set[str]:
    """Aircraft types with at least one aircraft based at ``base``."""
    return {
        entry.vehicle_type_id
        for entry in scenario.fleet
        if entry.base_id == base
        and entry.count > 0
        and entry.vehicle_type_id in vehicles
        and vehicles[entry.vehicle_type_id].mode == Mode.air
    }


# --------------------------------------------------------------------------------------------------
# Supply
# --------------------------------------------------------------------------------------------------


def _troop_consumers(scenario: Scenario) -> dict[str, tuple[str, int | None, str, str]]:
    """Bases certain to hold troops: (sheet, row, column, why) of the first cell that says so."""
    consumers: dict[str, tuple[str, int | None, str, str]] = {}
    for index, unit in enumerate(scenario.units):
        if not unit.may_move:
            consumers.setdefault(
                unit.current_base_id,
                (
                    "Units",
                    index,
                    "current_base_id",
                    _("unit {unit} stays there").format(unit=unit.unit_id),
                ),
            )
    for index, base in enumerate(scenario.bases):
        if base.min_garrison_troops > 0:
            consumers.setdefault(
                base.base_id, ("Bases", index, "min_garrison_troops", _("it needs a garrison"))
            )
    return consumers


def consumes(scenario: Scenario, supply_id: str, base_kind: Any) -> bool:
    """Whether troops at a base of ``base_kind`` consume the supply class (kind-specific rate first)."""
    rates = {
        row.base_kind: row.quantity_per_person_day
        for row in scenario.consumption
        if row.supply_id == supply_id
    }
    rate = rates.get(base_kind, rates.get(None, 0.0))
    return rate > 0


def demand_cells(scenario: Scenario) -> dict[tuple[str, str], tuple[str, int | None, str, str]]:
    """(base, supply class) with a demand, and the first cell that creates it."""
    demands: dict[tuple[str, str], tuple[str, int | None, str, str]] = {}
    for index, demand in enumerate(scenario.demands):
        demands.setdefault(
            (demand.base_id, demand.supply_id),
            ("Demands", index, "supply_id", _("demand {demand}").format(demand=demand.demand_id)),
        )
    for index, stock in enumerate(scenario.stocks):
        if stock.fixed_demand_per_day > 0:
            demands.setdefault(
                (stock.base_id, stock.supply_id),
                ("Stocks", index, "fixed_demand_per_day", _("a fixed daily demand")),
            )
    kinds = {base.base_id: base.kind for base in scenario.bases}
    for base_id, origin in _troop_consumers(scenario).items():
        for supply in scenario.supplies:
            if base_id in kinds and consumes(scenario, supply.supply_id, kinds[base_id]):
                demands.setdefault((base_id, supply.supply_id), origin)
    return demands


def unreachable_demand(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Demand at a base that no route links to any base with a source of that supply class."""
    network = Network.from_routes(scenario.routes)
    sources: dict[str, set[str]] = defaultdict(set)
    for source in scenario.sources:
        sources[source.supply_id].add(source.base_id)
    reachable = {supply_id: network.reachable(bases) for supply_id, bases in sources.items()}
    bases, supplies = ids_of(scenario, "Bases"), ids_of(scenario, "Supplies")
    issues = []
    for (base_id, supply_id), (sheet, index, column, why) in demand_cells(scenario).items():
        if (
            base_id not in bases
            or supply_id not in supplies
            or base_id in reachable.get(supply_id, set())
        ):
            continue
        cause = (
            _("no route links it to a base with a {supply} source").format(supply=supply_id)
            if supply_id in sources
            else _("no base has a {supply} source in the {sources} sheet").format(
                supply=supply_id, sources=sheet_name("Sources")
            )
        )
        value = getattr(rows_of(scenario, sheet)[index], column) if index is not None else None
        issues.append(
            locations.issue(
                sheet,
                index,
                column,
                value,
                _("{supply} is needed at {base} ({why}) but {cause}").format(
                    supply=supply_id, base=base_id, why=why, cause=cause
                ),
            )
        )
    return issues


# --------------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------------


def units_outside_caveats(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Units whose current base lies outside the sectors their country allows."""
    sector_of = {base.base_id: base.sector for base in scenario.bases}
    issues = []
    for index, unit in enumerate(scenario.units):
        sector = sector_of.get(unit.current_base_id)
        if unit.allowed_sectors and sector is not None and sector not in unit.allowed_sectors:
            issues.append(
                locations.issue(
                    "Units",
                    index,
                    "current_base_id",
                    unit.current_base_id,
                    _(
                        "{base} is in sector {sector}, outside the sectors the unit may serve in "
                        "({allowed})"
                    ).format(
                        base=unit.current_base_id,
                        sector=sector,
                        allowed=display_value(unit.allowed_sectors),
                    ),
                )
            )
    return issues


def units_without_room(scenario: Scenario, locations: SourceMap) -> list[Issue]:
    """Units at a base that houses nobody, and units that may not move filling a base past capacity."""
    by_id = {base.base_id: (index, base) for index, base in enumerate(scenario.bases)}
    issues = []
    staying: dict[str, list[Any]] = defaultdict(list)
    for index, unit in enumerate(scenario.units):
        if unit.current_base_id not in by_id:
            continue
        base = by_id[unit.current_base_id][1]
        if base.accommodation_troops == 0:
            message = _(
                "{base} has no accommodation ({accommodation_troops} is 0 in the {bases} sheet)"
            ).format(
                base=base.base_id,
                accommodation_troops=column_name("accommodation_troops"),
                bases=sheet_name("Bases"),
            )
            issues.append(
                locations.issue("Units", index, "current_base_id", unit.current_base_id, message)
            )
        elif not unit.may_move:
            staying[base.base_id].append(unit)
    for base_id, units in staying.items():
        index, base = by_id[base_id]
        troops = sum(unit.strength for unit in units)
        if troops > base.accommodation_troops:
            names = listed(unit.unit_id for unit in units)
            message = _(
                "units that may not move ({units}) total {troops} troops, more than the base can "
                "house"
            ).format(units=names, troops=troops)
            issues.append(
                locations.issue(
                    "Bases", index, "accommodation_troops", base.accommodation_troops, message
                )
            )
    return issues


RULES: tuple[Rule, ...] = (
    duplicate_keys,
    unknown_references,
    unknown_sectors,
    undefined_threat_levels,
    identical_route_ends,
    overlapping_seasons,
    threats_on_other_modes,
    convoy_paths,
    convoy_fleet,
    convoy_aircraft,
    unreachable_demand,
    units_outside_caveats,
    units_without_room,
)
"""Every cross-sheet rule, in the order its issues are reported."""

PARTIAL_SCENARIO_RULES: tuple[Rule, ...] = (
    duplicate_keys,
    unknown_references,
    identical_route_ends,
)
"""Rules that stay right when some rows could not be read (they look at one row or at ids only)."""
