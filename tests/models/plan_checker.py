"""Check a solved plan against SPEC §3 from its output tables alone.

``check_plan(data, plan)`` recomputes every rule a plan must respect from ``ModelData`` and the
plan's tables (never from the model's variables), and raises ``AssertionError`` listing every
violation. Other test suites import it to check the example missions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations

import pandas as pd

from models.data import LineData, ModelData
from models.results import TABLE_COLUMNS, Plan

TOLERANCE = 1e-5


def check_plan(data: ModelData, plan: Plan) -> None:
    """Raise ``AssertionError`` listing every way ``plan`` breaks the rules of SPEC §3."""
    assert plan.status.has_plan, f"no plan to check: {plan.status} ({plan.termination})"
    problems = [
        *_columns(plan),
        *_allocation(data, plan),
        *_stock(data, plan),
        *_convoys(data, plan),
        *_cargo(data, plan),
        *_routes(data, plan),
        *_fleet(data, plan),
        *_escorts(data, plan),
    ]
    assert not problems, "plan breaks the rules:\n" + "\n".join(problems[:50])


def days_certainly_on_leg(line: LineData, departure_day: int, leg: int) -> list[int]:
    """Days a convoy leaving on ``departure_day`` is certainly on leg ``leg``, outbound and back.

    With whole-day offsets o_i (o_0 = 0) and round trip R, the convoy is on leg i outbound on days
    t + o_i .. t + o_{i+1} - 1 (and on day t for the first leg) and back on days
    t + R - o_{i+1} .. t + R - 1 - o_i. Whatever the fractional transit times behind the offsets,
    these days are on the leg, so a closure on any of them must have removed the departure.
    """
    offsets = [0, *(line.drop_offset_days[b] for b in line.path[1:])]
    t, rt = departure_day, line.round_trip_days
    outbound = range(t + offsets[leg], t + offsets[leg + 1])
    back = range(t + rt - offsets[leg + 1], t + rt - offsets[leg])
    first = [t] if leg == 0 else []
    return sorted({*first, *outbound, *back})


def _columns(plan: Plan) -> Iterator[str]:
    for name, columns in TABLE_COLUMNS.items():
        if tuple(plan.tables[name].columns) != columns:
            yield f"table {name} has columns {list(plan.tables[name].columns)}"


def _allocation(data: ModelData, plan: Plan) -> Iterator[str]:
    allocation = plan.tables["allocation"]
    if sorted(allocation["unit_id"]) != sorted(data.UNITS):
        yield "allocation does not list every unit exactly once"
    troops: dict[str, int] = defaultdict(int)
    for row in allocation.itertuples():
        if row.to_base_id not in data.unit_candidate_bases[row.unit_id]:
            yield f"unit {row.unit_id} at {row.to_base_id}, not a candidate base"
        troops[row.to_base_id] += int(row.strength)
    for b, n in troops.items():
        if n > data.accommodation_troops.get(b, 0):
            yield f"{n} troops at {b} exceed accommodation {data.accommodation_troops.get(b, 0)}"


def _troops_at(plan: Plan) -> dict[str, int]:
    troops: dict[str, int] = defaultdict(int)
    for row in plan.tables["allocation"].itertuples():
        troops[row.to_base_id] += int(row.strength)
    return troops


def _stock(data: ModelData, plan: Plan) -> Iterator[str]:
    stock = plan.tables["stock"].set_index(["base_id", "supply_id", "day"])
    troops = _troops_at(plan)
    arrivals = _cargo_by(plan, "base_id", "arrival_day")
    departures = _cargo_departures(data, plan)
    for b, k in data.STOCK_POINTS:
        closing_before = data.initial_stock.get((b, k), 0.0)
        for t in data.DAYS:
            row = stock.loc[(b, k, t)]
            demand = data.consumption_per_troop_day.get((b, k), 0.0) * troops[
                b
            ] + data.fixed_demand.get((b, k, t), 0.0)
            where = f"stock {b}/{k} day {t}"
            if not _close(row.opening, closing_before):
                yield f"{where}: opening {row.opening} is not the previous closing {closing_before}"
            if not _close(row.arrivals, arrivals.get((b, k, t), 0.0)):
                yield f"{where}: arrivals {row.arrivals} differ from the cargo table"
            if not _close(row.departures, departures.get((b, k, t), 0.0)):
                yield f"{where}: departures {row.departures} differ from the cargo table"
            balance = row.opening + row.arrivals + row.source_supply - row.departures - row.met
            if not _close(balance, row.closing):
                yield f"{where}: balance {balance} != closing {row.closing}"
            if row.closing < -TOLERANCE or row.closing > data.capacity.get((b, k), 0.0) + TOLERANCE:
                yield f"{where}: closing {row.closing} outside [0, capacity]"
            if not _close(row.demand, demand) or not _close(row.met + row.shortfall, demand):
                yield f"{where}: met {row.met} + shortfall {row.shortfall} != demand {demand}"
            if min(row.met, row.shortfall, row.source_supply) < -TOLERANCE:
                yield f"{where}: negative flow"
            closing_before = row.closing
    yield from _sources(data, stock)


def _sources(data: ModelData, stock: pd.DataFrame) -> Iterator[str]:
    supplied = stock["source_supply"]
    for (b, k, t), quantity in supplied.items():
        per_day = data.source_per_day.get((b, k, t))
        if quantity > TOLERANCE and (b, k) not in data.SOURCES:
            yield f"supply drawn at {b}/{k} day {t} without a source"
        if per_day is not None and quantity > per_day + TOLERANCE:
            yield f"source {b}/{k} gives {quantity} > {per_day} on day {t}"
    for b, k in data.SOURCES:
        total = data.source_total.get((b, k))
        drawn = supplied.xs((b, k), level=("base_id", "supply_id")).sum()
        if total is not None and drawn > total + TOLERANCE:
            yield f"source {b}/{k} gives {drawn} > total {total}"


def _cargo_by(plan: Plan, *keys: str) -> dict[tuple[object, ...], float]:
    cargo = plan.tables["cargo"]
    grouped = cargo.groupby([keys[0], "supply_id", keys[1]])["quantity"].sum()
    return {key: float(q) for key, q in grouped.items()}


def _cargo_departures(data: ModelData, plan: Plan) -> dict[tuple[object, ...], float]:
    convoys = plan.tables["convoys"].set_index("convoy_id")
    out: dict[tuple[object, ...], float] = defaultdict(float)
    for row in plan.tables["cargo"].itertuples():
        convoy = convoys.loc[row.convoy_id]
        out[convoy.origin_id, row.supply_id, int(convoy.depart_day)] += row.quantity
    return out


def _convoys(data: ModelData, plan: Plan) -> Iterator[str]:
    counts = plan.tables["convoy_vehicles"].groupby("convoy_id")["count"].sum()
    for row in plan.tables["convoys"].itertuples():
        line = data.lines[row.line_id]
        if row.convoy_id != f"{row.line_id}-d{row.depart_day:02d}":
            yield f"convoy id {row.convoy_id} does not name its line and day"
        if row.depart_day not in line.departure_days:
            yield f"{row.convoy_id} departs on a day the line does not allow"
        if row.path != " > ".join(line.path) or row.origin_id != line.origin:
            yield f"{row.convoy_id} path {row.path} is not its line's"
        if row.return_day != row.depart_day + line.round_trip_days:
            yield f"{row.convoy_id} returns on day {row.return_day}"
        if (
            row.vehicles != counts.get(row.convoy_id, 0)
            or not line.min_vehicles <= row.vehicles <= line.max_vehicles
            or row.vehicles < 1
        ):
            yield f"{row.convoy_id} has {row.vehicles} vehicles, outside {line.min_vehicles}..{line.max_vehicles}"
    for row in plan.tables["convoy_vehicles"].itertuples():
        if row.count != round(row.count) or row.count < 1:
            yield f"{row.convoy_id} uses a non-whole number {row.count} of {row.vehicle_type_id}"
        if row.vehicle_type_id not in data.lines[row.convoy_id.rsplit("-d", 1)[0]].vehicle_types:
            yield f"{row.convoy_id} uses {row.vehicle_type_id}, not a vehicle of its line"


def _cargo(data: ModelData, plan: Plan) -> Iterator[str]:
    """Cargo fits by cargo type: for every set S of types, mass of S ≤ payload of vehicles carrying S."""
    convoys = plan.tables["convoys"].set_index("convoy_id")
    vehicles = plan.tables["convoy_vehicles"]
    cargo = plan.tables["cargo"]
    for convoy_id, loads in cargo.groupby("convoy_id"):
        if convoy_id not in convoys.index:
            yield f"cargo on {convoy_id}, which does not run"
            continue
        convoy = convoys.loc[convoy_id]
        line = data.lines[convoy.line_id]
        for row in loads.itertuples():
            if (
                row.base_id not in line.path[1:]
                or row.arrival_day != convoy.depart_day + line.drop_offset_days[row.base_id]
            ):
                yield f"{convoy_id} drops at {row.base_id} on day {row.arrival_day}, off its path or timetable"
            if row.quantity < -TOLERANCE:
                yield f"{convoy_id} carries a negative quantity"
        mass: dict[str, float] = defaultdict(float)
        for row in loads.itertuples():
            mass[data.cargo_type[row.supply_id]] += (
                data.mass_t_per_unit[row.supply_id] * row.quantity
            )
        fleet = vehicles[vehicles["convoy_id"] == convoy_id]
        for size in range(1, len(mass) + 1):
            for subset in combinations(sorted(mass), size):
                payload = sum(
                    data.payload_t[r.vehicle_type_id] * r.count
                    for r in fleet.itertuples()
                    if data.vehicle_cargo_types[r.vehicle_type_id] & set(subset)
                )
                loaded = sum(mass[c] for c in subset)
                if loaded > payload + TOLERANCE * max(1.0, payload):
                    yield f"{convoy_id} carries {loaded} t of {subset} on {payload} t of fitting payload"


def _routes(data: ModelData, plan: Plan) -> Iterator[str]:
    entering: dict[tuple[str, int], int] = defaultdict(int)
    for row in plan.tables["convoys"].itertuples():
        line = data.lines[row.line_id]
        for leg, route_id in enumerate(line.legs):
            for day in days_certainly_on_leg(line, row.depart_day, leg):
                if day <= data.horizon_days and not data.route_open[route_id, day]:
                    yield f"{row.convoy_id} is on closed route {route_id} on day {day}"
        for (route_id, day), departures in data.route_entries.items():
            if (row.line_id, row.depart_day) in departures:
                entering[route_id, day] += 1
    for (route_id, day), n in entering.items():
        limit = data.route_max_convoys_per_day[route_id, day]
        if n > limit:
            yield f"{n} convoys enter {route_id} on day {day}, limit {limit}"


def _fleet(data: ModelData, plan: Plan) -> Iterator[str]:
    convoys = plan.tables["convoys"].set_index("convoy_id")
    away: dict[tuple[str, str, int], int] = defaultdict(int)
    for row in plan.tables["convoy_vehicles"].itertuples():
        convoy = convoys.loc[row.convoy_id]
        for day in range(int(convoy.depart_day), int(convoy.return_day)):
            away[convoy.origin_id, row.vehicle_type_id, day] += int(row.count)
    for (h, v, day), n in away.items():
        available = data.fleet.get((h, v), 0) * data.trips_per_day.get(v, 1)
        if n > available:
            yield f"{n} {v} away from {h} on day {day}, fleet {available}"


def _escorts(data: ModelData, plan: Plan) -> Iterator[str]:
    allocation = plan.tables["allocation"]
    pool: dict[str, int] = defaultdict(int)
    for row in allocation.itertuples():
        if data.unit_escort_capable.get(row.unit_id, False):
            pool[row.to_base_id] += int(row.strength)
    away: dict[tuple[str, int], int] = defaultdict(int)
    for row in plan.tables["convoys"].itertuples():
        key = (row.line_id, row.depart_day)
        group = data.vehicles_per_escort_group.get(key, 0)
        groups = (
            math.ceil(row.vehicles / group)
            if group and data.escort_troops_per_group.get(key, 0)
            else 0
        )
        needed = (
            data.escort_troops_per_convoy.get(key, 0)
            + data.escort_troops_per_group.get(key, 0) * groups
        )
        if row.escort_troops < needed:
            yield f"{row.convoy_id} has {row.escort_troops} escort troops, needs {needed}"
        for day in range(int(row.depart_day), int(row.return_day)):
            away[row.origin_id, day] += int(row.escort_troops)
    for (h, day), n in away.items():
        if n > pool[h]:
            yield f"{n} escort troops away from {h} on day {day}, {pool[h]} escort-capable there"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))
