"""Roll a scenario forward to start on a later day of its horizon, keeping the horizon's length.

Day ``report_day`` of the old horizon becomes day 1; every day in the scenario moves back by
``report_day - 1`` (and ``start_date`` forward by as many days). A range that ends before the new
day 1 is over and left out; one that started before it starts on day 1; one that ran to the old
horizon's last day runs to the end of the new one. Convoy lines keep their rhythm: their first
departure becomes the first allowed day on or after the report day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from logistics.rules.schemas import DayValue, Scenario

RowT = TypeVar("RowT", bound=BaseModel)


def rolled_scenario(
    scenario: Scenario,
    report_day: int,
    *,
    unit_bases: Mapping[str, str] | None = None,
    initial_stock: Mapping[tuple[str, str], float] | None = None,
) -> Scenario:
    """``scenario`` seen from ``report_day``: days renumbered from it, units at ``unit_bases``
    (by id; others where they were) and stocks opening at ``initial_stock`` (by base and class;
    others as they were)."""
    shift = report_day - 1
    horizon = scenario.settings.horizon_days
    roll = _Roll(shift, horizon)
    settings = scenario.settings
    start = settings.start_date + dt.timedelta(days=shift) if settings.start_date else None
    bases = unit_bases or {}
    stocks = initial_stock or {}
    return scenario.model_copy(
        update={
            "settings": settings.model_copy(update={"start_date": start}),
            "demands": roll.ranged(scenario.demands, "first_day", "last_day"),
            "route_seasons": roll.ranged(scenario.route_seasons, "first_day", "last_day"),
            "threats": roll.ranged(scenario.threats, "first_day", "last_day"),
            "routes": tuple(roll.route(r) for r in scenario.routes),
            "convoys": tuple(
                line for line in (roll.convoy_line(c) for c in scenario.convoys) if line
            ),
            "units": tuple(
                u.model_copy(
                    update={
                        "current_base_id": bases.get(u.unit_id, u.current_base_id),
                        "move_day": roll.first(u.move_day),
                    }
                )
                for u in scenario.units
            ),
            "stocks": tuple(
                s.model_copy(
                    update={
                        "initial_stock": min(
                            s.capacity, stocks.get((s.base_id, s.supply_id), s.initial_stock)
                        )
                    }
                )
                for s in scenario.stocks
            ),
            "day_values": tuple(
                entry
                for entry in (roll.day_value(v) for v in scenario.day_values)
                if entry is not None
            ),
        }
    )


class _Roll:
    """Day arithmetic of one roll: old day d becomes d - shift."""

    def __init__(self, shift: int, horizon: int) -> None:
        self.shift = shift
        self.horizon = horizon

    def first(self, day: int) -> int:
        """A first day, on day 1 at the earliest."""
        return max(1, day - self.shift)

    def last(self, day: int | None) -> int | None:
        """A last day: None (to the end) when it was the old horizon's last day or later; below
        1 when the range is over."""
        if day is None or day >= self.horizon:
            return None
        return day - self.shift

    def ranged(self, rows: tuple[RowT, ...], first: str, last: str) -> tuple[RowT, ...]:
        """Rows with a day range, rolled; those whose range is over are left out."""
        rolled = []
        for row in rows:
            end = self.last(getattr(row, last))
            if end is not None and end < 1:
                continue
            rolled.append(
                row.model_copy(update={first: self.first(getattr(row, first)), last: end})
            )
        return tuple(rolled)

    def route(self, route: Any) -> Any:
        """A route's open window rolled; a window that is over closes the route."""
        end = self.last(route.open_to_day)
        if end is not None and end < 1:
            return route.model_copy(update={"open_from_day": 1, "open_to_day": None, "open": False})
        return route.model_copy(
            update={"open_from_day": self.first(route.open_from_day), "open_to_day": end}
        )

    def convoy_line(self, line: Any) -> Any | None:
        """A convoy line whose first departure is its first allowed day from day 1 on; None
        when it has no departure left."""
        old_first = line.first_departure_day
        if old_first <= self.shift:
            steps = math.ceil((self.shift + 1 - old_first) / line.every_days)
            old_first += steps * line.every_days
        end = self.last(line.last_departure_day)
        if end is not None and end < old_first - self.shift:
            return None
        return line.model_copy(
            update={"first_departure_day": old_first - self.shift, "last_departure_day": end}
        )

    def day_value(self, entry: DayValue) -> DayValue | None:
        """A what-if value's day range rolled; None when it is over."""
        end = self.last(entry.last_day)
        if end is not None and end < 1:
            return None
        return entry.model_copy(update={"first_day": self.first(entry.first_day), "last_day": end})
