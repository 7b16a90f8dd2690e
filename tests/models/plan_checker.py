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
    assert plan.status.has_plan or not plan.tables["stock"].empty, (
        f"no plan to check: {plan.status} ({plan.termination})"
    )
    problems = [
        *_columns(plan),
        *_allocation(data, plan),
        *_relocation(data, plan),
        *_stock(data, plan),
        *_store_first(data, plan),
        *_end_stock(data, plan),
        *_reasons(data, plan),
        *_air_range(data, plan),
        *_aircraft(data, plan),
        *_airfield_sorties(data, plan),
        *_convoys(data, plan),
        *_cargo(data, plan),
        *_routes(data, plan),
        *_fleet(data, plan),
        *_escorts(data, plan),
        *_frozen(data, plan),
    ]
    assert not problems, "plan breaks the rules:\n" + "\n".join(problems[:50])


def days_certainly_on_leg(line: LineData, departure_day: int, leg: int) -> list[int]:
    """Days a convoy leaving on ``departure_day`` is certainly on leg ``leg``, outbound and back.

    With the departure's (entered, reached) whole-day offsets of each leg of the round trip
    (``LineData.leg_offsets``), the convoy is on a leg on days t + entered .. t + reached - 1 (and
    on day t for the first leg). Without a seasonal timetable these mirror the outbound journey:
    with offsets o_i (o_0 = 0) and round trip R, leg i outbound on days t + o_i .. t + o_{i+1} - 1
    and back on days t + R - o_{i+1} .. t + R - 1 - o_i. Whatever the fractional transit times
    behind the offsets, these days are on the leg, so a closure on any of them must have removed
    the departure.
    """
    t = departure_day
    offsets = line.leg_offsets(t)
    on_leg = (offsets[leg], offsets[2 * len(line.legs) - 1 - leg])
    days = {t + day for entered, reached in on_leg for day in range(entered, reached)}
    return sorted(days | ({t} if leg == 0 else set()))


def _columns(plan: Plan) -> Iterator[str]:
    for name, columns in TABLE_COLUMNS.items():
        if tuple(plan.tables[name].columns) != columns:
            yield f"table {name} has columns {list(plan.tables[name].columns)}"


def _allocation(data: ModelData, plan: Plan) -> Iterator[str]:
    allocation = plan.tables["allocation"]
    if sorted(allocation["unit_id"]) != sorted(data.UNITS):
        yield "allocation does not list every unit exactly once"
    for row in allocation.itertuples():
        if row.to_base_id not in data.unit_candidate_bases[row.unit_id]:
            yield f"unit {row.unit_id} at {row.to_base_id}, not a candidate base"
    for (b, t), n in _troops_at(data, plan).items():
        if n > data.accommodation_troops.get(b, 0):
            yield f"{n} troops at {b} on day {t} exceed accommodation {data.accommodation_troops.get(b, 0)}"


def _relocation(data: ModelData, plan: Plan) -> Iterator[str]:
    """A moving unit leaves on its move day and arrives after ceil-days of travel, as data says."""
    for row in plan.tables["allocation"].itertuples():
        if row.from_base_id == row.to_base_id:
            continue
        days = data.relocation_days.get((row.unit_id, row.to_base_id), 0)
        expected = (data.move_day(row.unit_id), data.move_day(row.unit_id) + days, days)
        if (row.move_day, row.arrival_day, row.transit_days) != expected:
            yield f"unit {row.unit_id} moves on {row.move_day}, arrives {row.arrival_day}, expected {expected}"


def _stays(row: object) -> bool:
    return bool(row.from_base_id == row.to_base_id)  # type: ignore[attr-defined]


def _troops_at(data: ModelData, plan: Plan, *, escorts: bool = False) -> dict[tuple[str, int], int]:
    """Persons counting at each base and day, read from the allocation table alone: a unit that
    moves is at its old base before its move day and at its new one from its arrival day."""
    troops: dict[tuple[str, int], int] = defaultdict(int)
    for row in plan.tables["allocation"].itertuples():
        if escorts and not data.unit_escort_capable.get(row.unit_id, False):
            continue
        for t in data.DAYS:
            if _stays(row) or t < row.move_day:
                troops[row.from_base_id, t] += int(row.strength)
            elif t >= row.arrival_day:
                troops[row.to_base_id, t] += int(row.strength)
    return troops


def _journey_issues(data: ModelData, plan: Plan) -> dict[tuple[str, str, int], float]:
    """Supplies issued at a moving unit's old base on its move day for its days on the road."""
    issued: dict[tuple[str, str, int], float] = defaultdict(float)
    for row in plan.tables["allocation"].itertuples():
        if _stays(row) or row.move_day > data.horizon_days:
            continue
        for k in data.SUPPLIES:
            rate = data.consumption_per_troop_day.get((row.from_base_id, k), 0.0)
            issued[row.from_base_id, k, int(row.move_day)] += rate * row.strength * row.transit_days
    return issued


def _stock(data: ModelData, plan: Plan) -> Iterator[str]:
    stock = plan.tables["stock"].set_index(["base_id", "supply_id", "day"])
    troops = _troops_at(data, plan)
    issued = _journey_issues(data, plan)
    arrivals = _cargo_by(plan, "base_id", "arrival_day")
    for key, quantity in data.commitments.pipeline_arrivals.items():
        arrivals[key] = arrivals.get(key, 0.0) + quantity
    departures = _cargo_departures(data, plan)
    for b, k in data.STOCK_POINTS:
        closing_before = data.initial_stock.get((b, k), 0.0)
        for t in data.DAYS:
            row = stock.loc[(b, k, t)]
            daily = data.consumption_per_troop_day.get((b, k), 0.0) * troops[
                b, t
            ] + data.fixed_demand.get((b, k, t), 0.0)
            demand = daily + issued.get((b, k, t), 0.0)
            where = f"stock {b}/{k} day {t}"
            if not _close(row.opening, closing_before):
                yield f"{where}: opening {row.opening} is not the previous closing {closing_before}"
            if not _close(row.arrivals, arrivals.get((b, k, t), 0.0)):
                yield f"{where}: arrivals {row.arrivals} differ from the cargo table and pipeline"
            if not _close(row.departures, departures.get((b, k, t), 0.0)):
                yield f"{where}: departures {row.departures} differ from the cargo table"
            balance = row.opening + row.arrivals + row.source_supply - row.departures - row.met
            if not _close(balance, row.closing):
                yield f"{where}: balance {balance} != closing {row.closing}"
            if row.closing < -TOLERANCE or row.closing > data.capacity.get((b, k), 0.0) + TOLERANCE:
                yield f"{where}: closing {row.closing} outside [0, capacity]"
            if not _close(row.demand, demand) or not _close(row.met + row.shortfall, demand):
                yield f"{where}: met {row.met} + shortfall {row.shortfall} != demand {demand}"
            if not _close(row.daily_demand, daily):
                yield f"{where}: daily demand {row.daily_demand} != {daily}"
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
        if row.return_day != row.depart_day + line.round_trip(row.depart_day):
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
            if row.base_id not in line.path[
                1:
            ] or row.arrival_day != convoy.depart_day + line.drop_offset(
                row.base_id, int(convoy.depart_day)
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
        available -= data.commitments.vehicles_away.get((h, v, day), 0)
        if n > available:
            yield f"{n} {v} away from {h} on day {day}, fleet {available}"


def _escorts(data: ModelData, plan: Plan) -> Iterator[str]:
    pool = _troops_at(data, plan, escorts=True)
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
        escort_base = data.lines[row.line_id].escort_origin
        for day in range(int(row.depart_day), int(row.return_day)):
            away[escort_base, day] += int(row.escort_troops)
    for (h, day), n in away.items():
        pool_left = pool[h, day] - data.commitments.escort_troops_away.get((h, day), 0)
        if day <= data.horizon_days and n > pool_left:
            yield f"{n} escort troops away from {h} on day {day}, {pool_left} escort-capable there"


def _frozen(data: ModelData, plan: Plan) -> Iterator[str]:
    """Every frozen departure that can run, runs (a re-plan keeps the frozen days)."""
    convoys = plan.tables["convoys"]
    ran = set(zip(convoys["line_id"], convoys["depart_day"].astype(int), strict=True))
    for line_id, day in sorted(data.commitments.fixed_departures):
        if day in data.lines[line_id].departure_days and (line_id, day) not in ran:
            yield f"frozen departure of {line_id} on day {day} does not run"


STOCK_NOISE = 1e-4
"""Quantities below this (t or kL) are solver noise for the sustainment rules."""


def _store_first(data: ModelData, plan: Plan) -> Iterator[str]:
    """No shortfall on a day its base closes with stock of the class, unless rationing."""
    if data.rationing:
        return
    stock = plan.tables["stock"]
    both = stock[(stock["shortfall"] > STOCK_NOISE) & (stock["closing"] > STOCK_NOISE)]
    for row in both.itertuples():
        yield (
            f"{row.base_id}/{row.supply_id} is {row.shortfall:.4g} short on day {row.day} "
            f"while closing the day with {row.closing:.4g} in store"
        )


def _end_stock(data: ModelData, plan: Plan) -> Iterator[str]:
    """Each stock point closes the last day at its end-stock target, or the miss is reported
    with a reason; the target follows the policy, recomputed here from the tables."""
    last = data.horizon_days
    stock = plan.tables["stock"].set_index(["base_id", "supply_id", "day"])
    table = plan.tables["end_stock"].set_index(["base_id", "supply_id"])
    for b, k in data.STOCK_POINTS:
        opening = data.initial_stock.get((b, k), 0.0)
        daily = float(stock.loc[(b, k, last), "daily_demand"])
        safety = data.safety_stock_days.get(k, 0.0) * daily
        target = {"opening": opening, "safety": min(opening, safety), "none": 0.0}[
            data.end_stock_policy
        ]
        closing = float(stock.loc[(b, k, last), "closing"])
        if target <= STOCK_NOISE:
            continue
        if (b, k) not in table.index:
            yield f"{b}/{k} has an end-stock target of {target:.4g} but no EndStock row"
            continue
        row = table.loc[(b, k)]
        if not _close(float(row["target"]), target) or not _close(float(row["closing"]), closing):
            yield f"{b}/{k} EndStock says target {row['target']}, closing {row['closing']}"
        missing = max(0.0, target - closing)
        if (
            not _close(float(row["deficit"]), missing)
            and abs(row["deficit"] - missing) > STOCK_NOISE
        ):
            yield f"{b}/{k} closes {missing:.4g} below its end target, EndStock says {row['deficit']}"
        if missing > STOCK_NOISE and not row["reason"]:
            yield f"{b}/{k} misses its end-stock target with no reason"


def _reasons(data: ModelData, plan: Plan) -> Iterator[str]:
    """Reasons that can be checked from the tables alone are true of them."""
    stock = plan.tables["stock"].set_index(["base_id", "supply_id", "day"])
    for row in plan.tables["shortfalls"].itertuples():
        deliveries = _possible_deliveries(data, row.base_id, row.supply_id, row.day)
        local = (row.base_id, row.supply_id) in data.SOURCES
        where = f"shortfall {row.base_id}/{row.supply_id} day {row.day}"
        if "no open path" in row.reason and (deliveries or local):
            yield f"{where} says no open path, but {len(deliveries)} departures or a source could serve it"
        if not deliveries and not local and "no open path" not in row.reason:
            yield f"{where} has no open path but says {row.reason!r}"
        if "source exhausted" in row.reason and not _some_source_exhausted(
            data, stock, row.base_id, row.supply_id, row.day, deliveries
        ):
            yield f"{where} says source exhausted, but no source that could feed it is at its limit"


def _possible_deliveries(data: ModelData, b: str, k: str, t: int) -> list[tuple[str, int]]:
    """(line, departure day) of every departure that could bring k to b by day t."""
    found = []
    for line_id, line in data.lines.items():
        carried = set().union(*(data.vehicle_cargo_types[v] for v in line.vehicle_types))
        if b not in line.path[1:] or data.cargo_type[k] not in carried:
            continue
        if (line.origin, k) not in data.STOCK_POINTS:
            continue
        found += [(line_id, d) for d in line.departure_days if d + line.drop_offset(b, d) <= t]
    return found


def _some_source_exhausted(
    data: ModelData,
    stock: pd.DataFrame,
    b: str,
    k: str,
    t: int,
    deliveries: list[tuple[str, int]],
) -> bool:
    """A source that could have fed (b, k) by day t gave all it could: the local one at its total
    or its daily limit, or an origin that shipped to b ran dry on a departure day."""

    def at_limit(base: str, day: int) -> bool:
        if (base, k) not in data.SOURCES:
            return True
        drawn = stock.xs((base, k), level=("base_id", "supply_id"))["source_supply"]
        total = data.source_total.get((base, k))
        per_day = data.source_per_day.get((base, k, day))
        return (total is not None and drawn.sum() >= total - TOLERANCE * max(1.0, total)) or (
            per_day is not None and drawn.loc[day] >= per_day - TOLERANCE * max(1.0, per_day)
        )

    if (b, k) in data.SOURCES and any(at_limit(b, day) for day in range(1, t + 1)):
        return True
    for line_id, d in deliveries:
        origin = data.lines[line_id].origin
        if stock.loc[(origin, k, d), "closing"] <= STOCK_NOISE and at_limit(origin, d):
            return True
    return False


def _air_range(data: ModelData, plan: Plan) -> Iterator[str]:
    """Aircraft fly only lines whose every leg is within their range."""
    convoys = plan.tables["convoys"].set_index("convoy_id")
    for row in plan.tables["convoy_vehicles"].itertuples():
        line = data.lines[convoys.loc[row.convoy_id, "line_id"]]
        reach = data.vehicle_range_km.get(row.vehicle_type_id)
        if reach is not None and max(line.leg_km, default=0.0) > reach + TOLERANCE:
            yield f"{row.convoy_id} flies {row.vehicle_type_id} on a {max(line.leg_km)} km leg, range {reach}"


def _aircraft(data: ModelData, plan: Plan) -> Iterator[str]:
    """Aircraft land only where the airfield class admits them, and fly only routes that admit
    their kind (fixed-wing or helicopter)."""
    convoys = plan.tables["convoys"].set_index("convoy_id")
    for row in plan.tables["convoy_vehicles"].itertuples():
        v = row.vehicle_type_id
        if v not in data.vehicle_aircraft:
            continue
        line = data.lines[convoys.loc[row.convoy_id, "line_id"]]
        needed = data.vehicle_min_airfield_rank.get(v, 0)
        for b in line.path:
            if data.airfield_rank.get(b, 0) < needed:
                yield f"{row.convoy_id} lands {v} at {b}, whose airfield does not admit it"
        for route_id in line.legs:
            admitted = data.route_aircraft.get(route_id, data.vehicle_aircraft[v])
            if admitted != data.vehicle_aircraft[v]:
                yield f"{row.convoy_id} flies {v} on {route_id}, open to {admitted} only"


def _airfield_sorties(data: ModelData, plan: Plan) -> Iterator[str]:
    """Aircraft movements at a limited airfield (a take-off from the origin on the departure
    day, a landing with its take-off on the day the round trip reaches a base, home included)
    stay within its sorties per day."""
    movements: dict[tuple[str, int], int] = defaultdict(int)
    for row in plan.tables["convoys"].itertuples():
        line = data.lines[row.line_id]
        if line.mode != "air":
            continue
        t = int(row.depart_day)
        reached = [t + end for _, end in line.leg_offsets(t)]
        stops = (*line.path[1:], *reversed(line.path[:-1]))
        for b, day in [(line.origin, t), *zip(stops, reached, strict=True)]:
            movements[b, day] += int(row.vehicles)
    for (b, day), n in movements.items():
        limit = data.max_sorties_per_day.get(b)
        if limit is not None and day <= data.horizon_days and n > limit:
            yield f"{n} aircraft movements at {b} on day {day}, limit {limit}"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))
