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

from logistics.xlsx import write_table

TERMS: dict[str, str] = {
    # Words of the Brief and the Summary
    "status": "How the search for a plan ended: optimal (as good as it can be, within the "
    "precision asked for), feasible (usable, but the time ran out before it was proven best), "
    "no_solution (no plan found in the time allowed), infeasible, error.",
    "termination": "Why the search stopped, in words.",
    "objective (weighted)": "The single figure the plan minimises: unmet demand, garrison "
    "shortfall, stock below targets, threat exposure and cost, each times its weight from "
    "Settings. Lower is better; it is in weighted points, not in money.",
    "weighted points": "Unit of the objective and its terms once multiplied by their weights.",
    "distance from best possible plan": "How much lower the objective of the best possible plan "
    "could at most be, in % of this plan's (the MIP gap), rounded up.",
    "best possible (bound)": "The lowest objective any plan could have, as far as the search "
    "proved.",
    "priorities": "With objective = priorities the plan minimises unmet demand first, then "
    "garrison shortfall, then stock below targets, then exposure and cost: no lower priority "
    "ever buys a higher one.",
    "days of supply": "Stock divided by one day's demand at the same place: how many days the "
    "stock lasts with no resupply.",
    "scarcest class": "The supply class with the fewest days of supply at a base or in a sector.",
    "safety target": "Stock a base should hold of a class: its safety stock days (Supplies) "
    "times its daily demand.",
    "end-of-horizon target": "Stock a base must still hold at the close of the last day, so "
    "sustainment does not stop at the end of the plan (end_stock in Settings).",
    "stock point": "One supply class at one base.",
    "shortfall": "Demand that cannot be met from stock on that day; the reason says what ran out.",
    "exposure": "Threat exposure: vehicles × km travelled × the risk weight of each route's threat "
    "level (ThreatLevels), summed over convoys and unit moves.",
    "risk-weighted vehicle-km": "Unit of exposure (see exposure).",
    "convoy line": "A standing convoy service between bases (Convoys sheet of the inputs); each "
    "convoy is one departure of a line.",
    "sortie": "One aircraft's round trip.",
    "escort base": "The base whose escort-capable units escort a convoy line (its origin unless "
    "the line names another).",
    "t + kL": "Tonnes and kilolitres added together, each class counted in its own unit.",
    "classification": "The security marking of the plan (classification in Settings), printed on "
    "every page.",
    "plan date": "When the plan was made (top right of every printed page).",
    # Headers of the result sheets
    "unit_id": "Troop unit (Units).",
    "unit_name": "Readable name of the unit.",
    "country": "Contributing country of the unit.",
    "unit_type": "Type of unit (infantry, convoy escort…).",
    "strength": "Troops in the unit.",
    "escort_capable": "yes when the unit may escort convoys.",
    "from_base_id": "Base the unit is at before the plan.",
    "from_base_name": "Name of that base.",
    "to_base_id": "Base the plan puts the unit at.",
    "to_base_name": "Name of that base.",
    "moved_km": "Road km of the unit's move (0 when it stays).",
    "relocation_cost_usd": "Cost of the move, USD.",
    "move_day": "Plan day the unit leaves (day 1 is the start date).",
    "move_date": "Date the unit leaves.",
    "arrival_day": "Plan day of arrival.",
    "arrival_date": "Date of arrival.",
    "transit_days": "Days on the road.",
    "move_exposure": "Threat exposure of the unit's move.",
    "base_id": "Base (Bases).",
    "base_name": "Name of the base.",
    "kind": "Kind of base (port, hub, camp, team site, waypoint).",
    "sector": "Sector of the base.",
    "required_troops": "Garrison the base needs: its minimum plus the uplift for threats on it.",
    "allocated_troops": "Troops the plan puts at the base.",
    "shortfall_troops": "Garrison troops missing (required − allocated, when positive).",
    "shortfall_troop_days": "Missing troops × the days they are missing.",
    "max_threat_level": "Highest threat level (1-5) met, on the route, path or base.",
    "min_threat_level": "Lowest threat level on the route over the plan.",
    "accommodation_troops": "Troops the base can house.",
    "convoy_id": "One convoy: its line and departure day.",
    "line_id": "The convoy line it runs on.",
    "mode": "road, river or air.",
    "origin_id": "Base the convoy leaves from and returns to.",
    "origin_name": "Name of that base.",
    "path": "Bases on the way, joined by >.",
    "depart_day": "Plan day the convoy leaves.",
    "depart_date": "Date the convoy leaves.",
    "return_day": "Plan day the convoy is home again.",
    "return_date": "Date the convoy is home again.",
    "vehicles": "Vehicles (or aircraft) in the convoy.",
    "vehicles_by_type": "Vehicles by type, type × count.",
    "escort_troops": "Escort troops the threat on the path requires (busy for the round trip).",
    "escort_unit_ids": "Escort-capable units at the escort base.",
    "round_trip_km": "Km out and back.",
    "vehicle_km": "Vehicles × round-trip km.",
    "cost_usd": "Transport (or supply and relocation) cost, USD.",
    "cargo_t": "Cargo carried, tonnes.",
    "vehicle_type_id": "Vehicle or aircraft type (Vehicles).",
    "vehicle_name": "Name of the type.",
    "count": "How many of that type.",
    "supply_id": "Supply class (Supplies).",
    "unit": "Unit of the class's quantities: t or kL.",
    "quantity": "Amount, in the class's unit.",
    "day": "Plan day (day 1 is the start date).",
    "date": "Calendar date of the plan day.",
    "opening": "Stock at the start of the day.",
    "arrivals": "Delivered by convoys that day.",
    "source_supply": "Drawn from a source at the base (port, depot, borehole…).",
    "departures": "Loaded onto convoys or issued to moving units.",
    "demand": "What the base needs that day.",
    "met": "Demand met from stock.",
    "closing": "Stock at the close of the day.",
    "capacity": "Storage capacity.",
    "reason": "Why the demand or target could not be met.",
    "target": "End-of-horizon stock target.",
    "deficit": "Stock missing from the target on the last day.",
    "safety_target": "Safety target of the stock point (see safety target).",
    "days_of_supply": "Closing stock / daily demand (see days of supply).",
    "escort_base_id": "Base whose escort-capable units escort the convoy.",
    "daily_demand": "Demand of an ordinary day, for days of supply and the safety target.",
    "days_of_supply_start": "Days of supply at the opening of day 1.",
    "days_of_supply_end": "Days of supply at the close of the last day.",
    "route_id": "Route (Routes).",
    "distance_km": "Length of the route.",
    "days_open": "Days the route is open.",
    "days_closed": "Days it is closed (season or threat).",
    "closed_days": "Which days it is closed.",
    "convoys": "Convoys (and air sorties) that use it, or in the plan.",
    # KPI names of the Summary
    "kpi": "Name of a key figure.",
    "value": "Its value, rounded to its unit.",
    "description": "What it counts.",
    "mip_gap_pct": "Distance from the best possible plan, % (rounded up).",
    "objective": "Objective (weighted), lower is better.",
    "best_bound": "Best possible objective (bound).",
    "total_wall_s": "Seconds the whole run took.",
    "troops_required": "Σ garrison required over bases.",
    "troops_allocated": "Σ troops allocated.",
    "garrison_shortfall": "Σ garrison shortfall, troops.",
    "units_moved": "Units the plan moves.",
    "demand_met_pct": "Share of all demand met, %; below 100 % whenever anything is short.",
    "shortfall_total": "Σ unmet demand, t + kL.",
    "shortfall_<class>": "Unmet demand of one class, in its unit.",
    "air_sorties": "Aircraft round trips.",
    "routes_used": "Routes at least one convoy uses.",
    "transport_cost_usd": "Σ convoy cost, USD.",
    "stock_points_below_safety": "Stock points below their safety target on some day.",
    "stock_point_days_below_safety": "Σ days a stock point closes below its safety target.",
    "worst_days_of_supply": "Fewest days of supply any stock point closes a day with.",
    "end_stock_misses": "Stock points below their end-of-horizon target on the last day.",
    "end_stock_deficit": "Σ stock missing from those targets.",
    "days_of_supply_start_<class>": "Mission-wide days of supply of a class on day 1.",
    "days_of_supply_end_<class>": "Mission-wide days of supply of a class on the last day.",
}
"""Every term, header and KPI name of the plan workbook with its meaning."""

CLASS_PATTERNS: tuple[str, ...] = ("shortfall_", "days_of_supply_start_", "days_of_supply_end_")
"""Prefixes of names made for each supply class, explained as ``<prefix><class>``."""


def glossary_key(name: str, supply_ids: frozenset[str]) -> str:
    """The glossary entry that explains ``name`` (a class-specific name maps to its pattern)."""
    for prefix in CLASS_PATTERNS:
        if name.startswith(prefix) and name.removeprefix(prefix) in supply_ids:
            return f"{prefix}<class>"
    return name


def glossary_frame(extra: Mapping[str, str]) -> pd.DataFrame:
    """The glossary as a two-column table (``Term``, ``Meaning``): ``TERMS``, then ``extra``
    (terms whose meaning lives with the code that makes them, e.g. the objective terms)."""
    rows = [*TERMS.items(), *extra.items()]
    return pd.DataFrame(rows, columns=["Term", "Meaning"], dtype=object)


MEANING_WIDTH = 112.0


def write_glossary(ws: Any, extra: Mapping[str, str]) -> None:
    """Write the glossary table (``glossary_frame``), its meanings wrapped to one column."""
    table = write_table(ws, glossary_frame(extra), "Glossary")
    letter = table.column_letter("Meaning")
    ws.column_dimensions[letter].width = MEANING_WIDTH
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in range(table.first_row, table.last_row + 1):
        ws[f"{letter}{row}"].alignment = wrap
