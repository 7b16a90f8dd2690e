"""Why each shortfall could not be met, read from which capacities the solved plan exhausts.

For a shortfall of class k at base b on day t the channels that could have supplied it are the
local source and every departure of a line that could carry k to b and arrives by day t. A channel
is blocked by what is exhausted in the solved plan:

- no channel at all: *no open path in the window*;
- the local source, or an origin whose stock ran dry, at its daily limit on every day since
  storage was last full (or at its total limit): *source exhausted*;
- a departure whose convoy has no room left for k's cargo type and could not grow because every
  vehicle type able to carry k is all away on some day of its trip: *fleet exhausted*; because the
  escort it would need exceeds the escort troops left at its escort base: *escort exhausted*;
  because a limited route it enters is full that day: *route capacity*; because an airfield it
  takes off from or lands at has used all its sorties that day: *airfield sorties*; because it
  already has the line's largest size: *convoy size*;
- the base's storage full on some day before t, so it could not be stocked ahead: *storage full*.

When nothing is exhausted in a plan proven optimal under the ``weights`` policy, the plan chose
the shortfall: *cheaper to fall short than to deliver under the objective weights*. Under the
``priorities`` policy nothing lower can buy a shortfall, so a plan proven optimal may only be
within its gap of a better one: *nothing binds: within the requested gap, a better plan may
exist*; in a plan stopped by a limit, the search may simply not have found better: *nothing
binds: a better plan may exist than the one found within the time limit*.

An end-of-horizon deficit (the last day's stock below its end-stock target) gets its reason by
the same rules, as if it were a shortfall on the last day.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from models.data import BaseId, Day, LineId, ModelData, SupplyId
from models.expressions import troops_present_value
from models.sets import ModelIndex, airfield_visits, days_away, escort_troops_required
from models.values import SolvedValues

NO_PATH = "no open path in the window"
SOURCE = "source exhausted"
FLEET = "fleet exhausted"
ESCORT = "escort exhausted"
ROUTE = "route capacity"
AIRFIELD = "airfield sorties"
CONVOY_SIZE = "convoy size"
STORAGE = "storage full"
CHEAPER = "cheaper to fall short than to deliver under the objective weights"
NOT_FOUND = "nothing binds: a better plan may exist than the one found within the time limit"
WITHIN_GAP = "nothing binds: within the requested gap, a better plan may exist"
REASON_ORDER = (NO_PATH, SOURCE, FLEET, ESCORT, ROUTE, AIRFIELD, CONVOY_SIZE, STORAGE)
REASON_SEPARATOR = "; "
"""Joins the reasons of one shortfall, in ``REASON_ORDER``."""
ALL_REASONS = (*REASON_ORDER, CHEAPER, NOT_FOUND, WITHIN_GAP)
"""Every reason a shortfall or end-stock miss can give, so that the words can be translated."""

TOLERANCE = 1e-6


def fallback_reason(data: ModelData, *, proven_optimal: bool) -> str:
    """The reason of a shortfall when nothing binds (see the module docstring)."""
    if not proven_optimal:
        return NOT_FOUND
    return CHEAPER if data.objective_policy == "weights" else WITHIN_GAP


def end_stock_reason(
    data: ModelData,
    index: ModelIndex,
    values: SolvedValues,
    b: BaseId,
    k: SupplyId,
    *,
    proven_optimal: bool,
) -> str:
    """Why the stock of k at b closes the last day below its end-stock target."""
    usage = _Usage(data, index, values)
    deficit = values.end_deficit.get((b, k), 0.0)
    ((_, _, reasons),) = _reasons_by_day(usage, b, k, [(data.horizon_days, deficit)])
    return _describe(reasons, fallback_reason(data, proven_optimal=proven_optimal))


def shortfall_reasons(
    data: ModelData, index: ModelIndex, values: SolvedValues, *, proven_optimal: bool
) -> list[tuple[BaseId, SupplyId, Day, float, str]]:
    """Rows ``(base_id, supply_id, day, quantity, reason)`` of every shortfall in the plan.

    When nothing binds, the shortfall is a choice of the objective in a plan proven optimal, and
    possibly a gap of the search in a plan found before a limit stopped the solver.
    """
    fallback = fallback_reason(data, proven_optimal=proven_optimal)
    usage = _Usage(data, index, values)
    short_days: dict[tuple[BaseId, SupplyId], list[tuple[Day, float]]] = defaultdict(list)
    for (b, k, t), quantity in values.shortfall.items():
        if quantity > TOLERANCE:
            short_days[b, k].append((t, quantity))
    rows = []
    for (b, k), days in short_days.items():
        for t, quantity, reasons in _reasons_by_day(usage, b, k, sorted(days)):
            rows.append((b, k, t, quantity, _describe(reasons, fallback)))
    rows.sort(key=lambda row: (row[2], row[0], row[1]))
    return rows


def _describe(reasons: set[str], fallback: str) -> str:
    if not reasons:
        return fallback
    return REASON_SEPARATOR.join(reason for reason in REASON_ORDER if reason in reasons)


def _reasons_by_day(
    usage: _Usage, b: BaseId, k: SupplyId, days: list[tuple[Day, float]]
) -> Iterator[tuple[Day, float, set[str]]]:
    """Reasons of each shortfall day, accumulating the departures that arrive by that day."""
    arrivals = usage.deliveries_to(b, k)
    position = 0
    blocked: set[str] = set()
    for t, quantity in days:
        while position < len(arrivals) and arrivals[position][0] <= t:
            _, line_id, departure_day = arrivals[position]
            blocked |= usage.departure_limits(line_id, departure_day, k)
            position += 1
        reasons = set(blocked)
        has_source = (b, k) in usage.sources
        if position == 0 and not has_source:
            reasons.add(NO_PATH)
        if has_source and usage.source_exhausted(b, k, t):
            reasons.add(SOURCE)
        if usage.storage_full_before(b, k, t):
            reasons.add(STORAGE)
        yield t, quantity, reasons


@dataclass
class _Usage:
    """What the solved plan uses of each capacity, with lookups by the reasons above."""

    data: ModelData
    index: ModelIndex
    values: SolvedValues
    _first_blocking_full_day: dict[tuple[BaseId, SupplyId], float] = field(default_factory=dict)

    @cached_property
    def sources(self) -> set[tuple[BaseId, SupplyId]]:
        return {(b, k) for (b, k, _) in self.index.SOURCE_DAYS}

    @cached_property
    def fleet_away(self) -> dict[tuple[BaseId, str, Day], int]:
        """Vehicles away on each day: the plan's convoys and, re-planning, those still on the
        road, lost or out of service (``Commitments.vehicles_away``)."""
        away: dict[tuple[BaseId, str, Day], int] = defaultdict(
            int, self.data.commitments.vehicles_away
        )
        for line_id, t in self.values.convoys():
            origin = self.data.lines[line_id].origin
            for v, n in self.values.vehicles_of(line_id, t).items():
                for day in days_away(self.data, (line_id, t)):
                    away[origin, v, day] += n
        return away

    @cached_property
    def escorts_away(self) -> dict[tuple[BaseId, Day], int]:
        """Escort troops away on each day, those of convoys still on the road included."""
        away: dict[tuple[BaseId, Day], int] = defaultdict(
            int, self.data.commitments.escort_troops_away
        )
        for line_id, t in self.values.convoys():
            troops = escort_troops_required(self.data, (line_id, t), self._size(line_id, t))
            for day in days_away(self.data, (line_id, t)):
                away[self.data.lines[line_id].escort_origin, day] += troops
        return away

    @cached_property
    def airfield_movements(self) -> dict[tuple[BaseId, Day], int]:
        """Aircraft movements at each limited airfield and day."""
        movements: dict[tuple[BaseId, Day], int] = defaultdict(int)
        for line_id, t in self.values.convoys():
            for b, day in airfield_visits(self.data, (line_id, t)):
                if b in self.data.max_sorties_per_day:
                    movements[b, day] += self._size(line_id, t)
        return movements

    def escort_pool(self, h: BaseId, day: Day) -> float:
        """Escort-capable troops counting at h on the day."""
        units = self.index.escort_units_at_base.get(h, ())
        return troops_present_value(self.data, self.values.assign, units, h, day)

    @cached_property
    def cargo_by_departure(self) -> dict[tuple[LineId, Day], dict[SupplyId, float]]:
        loaded: dict[tuple[LineId, Day], dict[SupplyId, float]] = defaultdict(dict)
        for (line_id, t, _, k), quantity in self.values.cargo.items():
            if quantity > 0:
                loaded[line_id, t][k] = loaded[line_id, t].get(k, 0.0) + quantity
        return loaded

    @cached_property
    def full_days(self) -> dict[tuple[BaseId, SupplyId], list[Day]]:
        """Days on which the stock of each stock point was at capacity, in order."""
        full: dict[tuple[BaseId, SupplyId], list[Day]] = defaultdict(list)
        for (b, k, day), stock in self.values.stock.items():
            capacity = self.data.capacity.get((b, k), 0.0)
            if stock >= capacity - TOLERANCE * max(1.0, capacity):
                full[b, k].append(day)
        return {key: sorted(days) for key, days in full.items()}

    @cached_property
    def drawn(self) -> dict[tuple[BaseId, SupplyId], list[float]]:
        """Quantity drawn from each source on days 1..H."""
        return {
            (b, k): [self.values.source.get((b, k, day), 0.0) for day in self.data.DAYS]
            for (b, k) in self.sources
        }

    @cached_property
    def routes_entered(self) -> dict[tuple[LineId, Day], list[tuple[str, Day]]]:
        entered: dict[tuple[LineId, Day], list[tuple[str, Day]]] = defaultdict(list)
        for (route_id, day), departures in self.data.route_entries.items():
            for departure in departures:
                entered[departure].append((route_id, day))
        return entered

    @cached_property
    def _deliveries(self) -> dict[tuple[BaseId, SupplyId], list[tuple[Day, LineId, Day]]]:
        stock_points = set(self.data.STOCK_POINTS)
        found: dict[tuple[BaseId, SupplyId], list[tuple[Day, LineId, Day]]] = defaultdict(list)
        for line_id in self.data.LINES:
            line = self.data.lines[line_id]
            carried = frozenset().union(
                *(self.data.vehicle_cargo_types[v] for v in line.vehicle_types)
            )
            for b in dict.fromkeys(line.path[1:]):
                for k in self.data.SUPPLIES:
                    if b == line.origin or self.data.cargo_type[k] not in carried:
                        continue
                    if (b, k) not in stock_points or (line.origin, k) not in stock_points:
                        continue
                    for t in line.departure_days:
                        arrival = t + line.drop_offset(b, t)
                        if t >= 1 and arrival <= self.data.horizon_days:
                            found[b, k].append((arrival, line_id, t))
        return {key: sorted(deliveries) for key, deliveries in found.items()}

    def deliveries_to(self, b: BaseId, k: SupplyId) -> list[tuple[Day, LineId, Day]]:
        """(arrival day, line, departure day) of every departure that could bring k to b."""
        return self._deliveries.get((b, k), [])

    def _size(self, line_id: LineId, t: Day) -> int:
        return sum(self.values.vehicles_of(line_id, t).values())

    def departure_limits(self, line_id: LineId, t: Day, k: SupplyId) -> set[str]:
        """What kept the departure from bringing more of k."""
        reasons = set() if self._has_room(line_id, t, k) else self._growth_limits(line_id, t, k)
        origin = self.data.lines[line_id].origin
        if self.values.stock.get((origin, k, t), 0.0) <= TOLERANCE and (
            (origin, k) not in self.sources or self.source_exhausted(origin, k, t)
        ):
            reasons.add(SOURCE)
        return reasons

    def _has_room(self, line_id: LineId, t: Day, k: SupplyId) -> bool:
        """True when the convoy runs and every Hall condition covering k's cargo type has slack."""
        if not self.values.departs(line_id, t):
            return False
        vehicles = self.values.vehicles_of(line_id, t)
        cargo = self.cargo_by_departure.get((line_id, t), {})
        for group in self.index.cargo_groups[line_id]:
            if self.data.cargo_type[k] not in group.cargo_types:
                continue
            loaded = sum(
                self.data.mass_t_per_unit[s] * q for s, q in cargo.items() if s in group.supplies
            )
            capacity = sum(self.data.payload_t[v] * vehicles.get(v, 0) for v in group.vehicle_types)
            if capacity - loaded <= TOLERANCE * max(1.0, capacity):
                return False
        return any(
            self.data.cargo_type[k] in g.cargo_types for g in self.index.cargo_groups[line_id]
        )

    def _growth_limits(self, line_id: LineId, t: Day, k: SupplyId) -> set[str]:
        """What kept the convoy from running or from taking one more vehicle able to carry k."""
        data = self.data
        line = data.lines[line_id]
        departs = self.values.departs(line_id, t)
        size = self._size(line_id, t)
        reasons: set[str] = set()
        carriers = [
            v for v in line.vehicle_types if data.cargo_type[k] in data.vehicle_cargo_types[v]
        ]
        if all(self._spare_vehicles(line_id, t, v) < 1 for v in carriers):
            reasons.add(FLEET)
        next_size = size + 1 if departs else max(line.min_vehicles, 1)
        extra_escort = escort_troops_required(
            data, (line_id, t), next_size
        ) - escort_troops_required(data, (line_id, t), size)
        if extra_escort > 0 and self._spare_escorts(line_id, t) < extra_escort:
            reasons.add(ESCORT)
        if departs and size >= line.max_vehicles:
            reasons.add(CONVOY_SIZE)
        if not departs and any(
            self._convoys_entering(route_id, day)
            >= data.route_max_convoys_per_day.get((route_id, day), 0)
            for route_id, day in self.routes_entered.get((line_id, t), [])
        ):
            reasons.add(ROUTE)
        if any(
            self.airfield_movements.get((b, day), 0) >= data.max_sorties_per_day[b]
            for b, day in airfield_visits(data, (line_id, t))
            if b in data.max_sorties_per_day
        ):
            reasons.add(AIRFIELD)
        return reasons

    def _spare_vehicles(self, line_id: LineId, t: Day, v: str) -> float:
        origin = self.data.lines[line_id].origin
        fleet = self.data.fleet.get((origin, v), 0) * self.data.trips_per_day.get(v, 1)
        return min(
            (
                fleet - self.fleet_away.get((origin, v, day), 0)
                for day in days_away(self.data, (line_id, t))
            ),
            default=fleet,
        )

    def _spare_escorts(self, line_id: LineId, t: Day) -> float:
        origin = self.data.lines[line_id].escort_origin
        return min(
            (
                self.escort_pool(origin, day) - self.escorts_away.get((origin, day), 0)
                for day in days_away(self.data, (line_id, t))
            ),
            default=self.escort_pool(origin, t),
        )

    def _convoys_entering(self, route_id: str, day: Day) -> int:
        return sum(
            self.values.departs(*d) for d in self.data.route_entries.get((route_id, day), ())
        )

    def _last_full_day_before(self, b: BaseId, k: SupplyId, t: Day) -> Day:
        days = self.full_days.get((b, k), [])
        position = bisect_left(days, t)
        return days[position - 1] if position > 0 else 0

    def storage_full_before(self, b: BaseId, k: SupplyId, t: Day) -> bool:
        """True when the stock of k at b was at capacity on a day before t, after a day on which
        more was on offer (spare source or a possible delivery) that could have been kept."""
        return self._first_blocking_full_day_of(b, k) < t

    def _first_blocking_full_day_of(self, b: BaseId, k: SupplyId) -> float:
        key = (b, k)
        if key not in self._first_blocking_full_day:
            offered = [arrival for arrival, _, _ in self.deliveries_to(b, k)]
            offered += [d for d in self.data.DAYS if self._source_has_spare(b, k, d)]
            first_offer = min(offered, default=math.inf)
            self._first_blocking_full_day[key] = min(
                (d for d in self.full_days.get(key, []) if d >= first_offer), default=math.inf
            )
        return self._first_blocking_full_day[key]

    def _source_has_spare(self, b: BaseId, k: SupplyId, day: Day) -> bool:
        if (b, k) not in self.sources or self._total_exhausted(b, k):
            return False
        return not self._drew_daily_limit(b, k, day)

    def _total_exhausted(self, b: BaseId, k: SupplyId) -> bool:
        total = self.data.source_total.get((b, k))
        return total is not None and sum(self.drawn[b, k]) >= total - TOLERANCE * max(1.0, total)

    def source_exhausted(self, b: BaseId, k: SupplyId, t: Day) -> bool:
        """True when the source of k at b gave all it could that could still be in stock on day t.

        That is its total limit, or its daily limit on every day since the stock was last full.
        """
        if (b, k) not in self.sources:
            return True
        if self._total_exhausted(b, k):
            return True
        first = self._last_full_day_before(b, k, t) + 1
        return all(self._drew_daily_limit(b, k, day) for day in range(first, t + 1))

    def _drew_daily_limit(self, b: BaseId, k: SupplyId, day: Day) -> bool:
        """True when the source drew its whole daily limit that day (False with no limit)."""
        per_day = self.data.source_per_day.get((b, k, day))
        return per_day is not None and self.drawn[b, k][day - 1] >= per_day - TOLERANCE * max(
            1.0, per_day
        )
