"""The ``Glossary`` sheet: every word and column header of the plan workbook, in plain words.

Column headers are the contract names liaison teams filter and join on (``depart_day``,
``days_of_supply``); the glossary says what each holds, so the tables can keep them. A header
made for each supply class (``shortfall_WATER``) is explained once by its pattern
(``shortfall_<class>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment

from logistics.i18n import N_, _, column_name, column_names
from logistics.io.xlsx import write_table

WORDS: dict[str, str] = {
    N_("status"): N_(
        "How the search for a plan ended: optimal (as good as it can be, within the precision "
        "asked for), feasible (usable, but the time ran out before it was proven best), "
        "no_solution (no plan found in the time allowed), infeasible, error."
    ),
    N_("termination"): N_("Why the search stopped, in words."),
    N_("objective (weighted)"): N_(
        "The single figure the plan minimises: unmet demand, garrison shortfall, stock below "
        "targets, threat exposure and cost, each times its weight from Settings. Lower is "
        "better; it is in weighted points, not in money."
    ),
    N_("weighted points"): N_(
        "Unit of the objective and its terms once multiplied by their weights."
    ),
    N_("distance from best possible plan"): N_(
        "How much lower the objective of the best possible plan could at most be, in percent of "
        "this plan's (the MIP gap), rounded up."
    ),
    N_("best possible (bound)"): N_(
        "The lowest objective any plan could have, as far as the search proved."
    ),
    N_("priorities"): N_(
        "With objective = priorities the plan minimises unmet demand first, then garrison "
        "shortfall, then stock below targets, then exposure and cost: no lower priority ever "
        "buys a higher one."
    ),
    N_("days of supply"): N_(
        "Stock divided by one day's demand at the same place: how many days the stock lasts "
        "with no resupply."
    ),
    N_("scarcest class"): N_(
        "The supply class with the fewest days of supply at a base or in a sector."
    ),
    N_("safety target"): N_(
        "Stock a base should hold of a class: its safety stock days (Supplies) times its daily "
        "demand."
    ),
    N_("end-of-horizon target"): N_(
        "Stock a base must still hold at the close of the last day, so sustainment does not "
        "stop at the end of the plan (end_stock in Settings)."
    ),
    N_("stock point"): N_("One supply class at one base."),
    N_("shortfall"): N_(
        "Demand that cannot be met from stock on that day; the reason says what ran out."
    ),
    N_("exposure"): N_(
        "Threat exposure: vehicles × km travelled × the risk weight of each route's threat "
        "level (ThreatLevels), summed over convoys and unit moves."
    ),
    N_("risk-weighted vehicle-km"): N_("Unit of exposure (see exposure)."),
    N_("convoy line"): N_(
        "A standing convoy service between bases (Convoys sheet of the inputs); each convoy is "
        "one departure of a line."
    ),
    N_("sortie"): N_("One aircraft's round trip."),
    N_("escort base"): N_(
        "The base whose escort-capable units escort a convoy line (its origin unless the line "
        "names another)."
    ),
    N_("t + kL"): N_("Tonnes and kilolitres added together, each class counted in its own unit."),
    N_("classification"): N_(
        "The security marking of the plan (classification in Settings), printed on every page."
    ),
    N_("plan date"): N_("When the plan was made (top right of every printed page)."),
}
"""Words of the Brief and the Summary with their meanings, in English (the glossary shows
them in the message language)."""

HEADERS: dict[str, str] = {
    "unit_id": N_("Troop unit (Units)."),
    "unit_name": N_("Readable name of the unit."),
    "country": N_("Contributing country of the unit."),
    "unit_type": N_("Type of unit (infantry, convoy escort…)."),
    "strength": N_("Troops in the unit."),
    "escort_capable": N_("yes when the unit may escort convoys."),
    "from_base_id": N_("Base the unit is at before the plan."),
    "from_base_name": N_("Name of that base."),
    "to_base_id": N_("Base the plan puts the unit at."),
    "to_base_name": N_("Name of that base."),
    "moved_km": N_("Road km of the unit's move (0 when it stays)."),
    "relocation_cost_usd": N_("Cost of the move, USD."),
    "move_day": N_("Plan day the unit leaves (day 1 is the start date)."),
    "move_date": N_("Date the unit leaves."),
    "arrival_day": N_("Plan day of arrival."),
    "arrival_date": N_("Date of arrival."),
    "transit_days": N_("Days on the road."),
    "move_exposure": N_("Threat exposure of the unit's move."),
    "base_id": N_("Base (Bases)."),
    "base_name": N_("Name of the base."),
    "kind": N_("Kind of base (port, hub, camp, team site, waypoint)."),
    "sector": N_("Sector of the base."),
    "required_troops": N_(
        "Garrison the base needs: its minimum plus the uplift for threats on it."
    ),
    "allocated_troops": N_("Troops the plan puts at the base."),
    "shortfall_troops": N_("Garrison troops missing (required − allocated, when positive)."),
    "shortfall_troop_days": N_("Missing troops × the days they are missing."),
    "max_threat_level": N_("Highest threat level (1-5) met, on the route, path or base."),
    "min_threat_level": N_("Lowest threat level on the route over the plan."),
    "accommodation_troops": N_("Troops the base can house."),
    "convoy_id": N_("One convoy: its line and departure day."),
    "line_id": N_("The convoy line it runs on."),
    "mode": N_("road, river or air."),
    "origin_id": N_("Base the convoy leaves from and returns to."),
    "origin_name": N_("Name of that base."),
    "path": N_("Bases on the way, joined by >."),
    "depart_day": N_("Plan day the convoy leaves."),
    "depart_date": N_("Date the convoy leaves."),
    "return_day": N_("Plan day the convoy is home again."),
    "return_date": N_("Date the convoy is home again."),
    "vehicles": N_("Vehicles (or aircraft) in the convoy."),
    "vehicles_by_type": N_("Vehicles by type, type × count."),
    "escort_troops": N_("Escort troops the threat on the path requires (busy for the round trip)."),
    "escort_unit_ids": N_("Escort-capable units at the escort base."),
    "round_trip_km": N_("Km out and back."),
    "vehicle_km": N_("Vehicles × round-trip km."),
    "cost_usd": N_("Transport (or supply and relocation) cost, USD."),
    "cargo_t": N_("Cargo carried, tonnes."),
    "vehicle_type_id": N_("Vehicle or aircraft type (Vehicles)."),
    "vehicle_name": N_("Name of the type."),
    "count": N_("How many of that type."),
    "supply_id": N_("Supply class (Supplies)."),
    "unit": N_("Unit of the class's quantities: t or kL."),
    "quantity": N_("Amount, in the class's unit."),
    "day": N_("Plan day (day 1 is the start date)."),
    "date": N_("Calendar date of the plan day."),
    "opening": N_("Stock at the start of the day."),
    "arrivals": N_("Delivered by convoys that day."),
    "source_supply": N_("Drawn from a source at the base (port, depot, borehole…)."),
    "departures": N_("Loaded onto convoys or issued to moving units."),
    "demand": N_("What the base needs that day."),
    "met": N_("Demand met from stock."),
    "closing": N_("Stock at the close of the day."),
    "capacity": N_("Storage capacity."),
    "reason": N_("Why the demand or target could not be met."),
    "target": N_("End-of-horizon stock target."),
    "deficit": N_("Stock missing from the target on the last day."),
    "safety_target": N_("Safety target of the stock point (see safety target)."),
    "days_of_supply": N_("Closing stock / daily demand (see days of supply)."),
    "escort_base_id": N_("Base whose escort-capable units escort the convoy."),
    "daily_demand": N_("Demand of an ordinary day, for days of supply and the safety target."),
    "days_of_supply_start": N_("Days of supply at the opening of day 1."),
    "days_of_supply_end": N_("Days of supply at the close of the last day."),
    "route_id": N_("Route (Routes)."),
    "distance_km": N_("Length of the route."),
    "days_open": N_("Days the route is open."),
    "days_closed": N_("Days it is closed (season or threat)."),
    "closed_days": N_("Which days it is closed."),
    "convoys": N_("Convoys (and air sorties) that use it, or in the plan."),
    "kpi": N_("Name of a key figure."),
    "value": N_("Its value, rounded to its unit."),
    "description": N_("What it counts."),
    "change": N_(
        "Changes sheet of a re-plan: what changed in the published plan (convoy added, "
        "cancelled or moved, cargo delivered, unit re-tasked, new shortfall)."
    ),
    "item": N_("The convoy, base and class (BASE/CLASS) or unit that changed."),
    "old_day": N_("Day in the published plan, counted from the report day (day 1)."),
    "new_day": N_("Day in the re-plan (day 1 = the report day)."),
    "old_value": N_("The published plan's figure: cargo delivered, base or shortfall."),
    "new_value": N_("The re-plan's figure."),
    "cause": N_("What forced or explains the change: the report, closure or shortage."),
    "reported_at": N_("The cell of the actuals workbook that reported the cause."),
}
"""Headers of the result sheets and the Summary's KPI table with their meanings (the glossary
names each header as the tables do, ``i18n.column_name``)."""

KPI_NAMES: dict[str, str] = {
    "mip_gap_pct": N_("Distance from the best possible plan, % (rounded up)."),
    "objective": N_("Objective (weighted), lower is better."),
    "best_bound": N_("Best possible objective (bound)."),
    "total_wall_s": N_("Seconds the whole run took."),
    "troops_required": N_("Σ garrison required over bases."),
    "troops_allocated": N_("Σ troops allocated."),
    "garrison_shortfall": N_("Σ garrison shortfall, troops."),
    "units_moved": N_("Units the plan moves."),
    "demand_met_pct": N_("Share of all demand met, %; below 100 % whenever anything is short."),
    "shortfall_total": N_("Σ unmet demand, t + kL."),
    "shortfall_<class>": N_("Unmet demand of one class, in its unit."),
    "air_sorties": N_("Aircraft round trips."),
    "routes_used": N_("Routes at least one convoy uses."),
    "transport_cost_usd": N_("Σ convoy cost, USD."),
    "stock_points_below_safety": N_("Stock points below their safety target on some day."),
    "stock_point_days_below_safety": N_("Σ days a stock point closes below its safety target."),
    "worst_days_of_supply": N_("Fewest days of supply any stock point closes a day with."),
    "end_stock_misses": N_("Stock points below their end-of-horizon target on the last day."),
    "end_stock_deficit": N_("Σ stock missing from those targets."),
    "days_of_supply_start_<class>": N_("Mission-wide days of supply of a class on day 1."),
    "days_of_supply_end_<class>": N_("Mission-wide days of supply of a class on the last day."),
}
"""KPI names of the Summary with their meanings (names, shown as they are)."""

TERMS: dict[str, str] = {**WORDS, **HEADERS, **KPI_NAMES}
"""Every term, header and KPI name of the plan workbook with its meaning, in English."""

CLASS_PATTERNS: tuple[str, ...] = ("shortfall_", "days_of_supply_start_", "days_of_supply_end_")
"""Prefixes of names made for each supply class, explained as ``<prefix><class>``."""


def glossary_key(name: str, supply_ids: frozenset[str]) -> str:
    """The glossary entry that explains ``name`` (a class-specific name maps to its pattern)."""
    for prefix in CLASS_PATTERNS:
        if name.startswith(prefix) and name.removeprefix(prefix) in supply_ids:
            return f"{prefix}<class>"
    return name


def shown_term(term: str) -> str:
    """A term of ``TERMS`` as the plan names it: a word in the message language, a header in
    the names language, a KPI name as it is."""
    if term in WORDS:
        return _(term)
    if term in HEADERS:
        return column_name(term)
    return term


def glossary_frame(extra: Mapping[str, str]) -> pd.DataFrame:
    """The glossary as a two-column table (``Term``, ``Meaning``): ``TERMS``, then ``extra``
    (terms whose meaning lives with the code that makes them, e.g. the objective terms, already
    in the message language); terms and meanings as the plan shows them."""
    rows = [*((shown_term(t), _(meaning)) for t, meaning in TERMS.items()), *extra.items()]
    return pd.DataFrame(rows, columns=["Term", "Meaning"], dtype=object)


MEANING_WIDTH = 112.0


def write_glossary(ws: Any, extra: Mapping[str, str]) -> None:
    """Write the glossary table (``glossary_frame``), its meanings wrapped to one column."""
    frame = glossary_frame(extra)
    table = write_table(ws, frame, "Glossary", headers=column_names(frame.columns))
    letter = table.column_letter("Meaning")
    ws.column_dimensions[letter].width = MEANING_WIDTH
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in range(table.first_row, table.last_row + 1):
        ws[f"{letter}{row}"].alignment = wrap
