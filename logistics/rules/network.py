"""The route network: adjacency, least-cost paths and reachability.

Used both to validate a workbook (do via-bases form a path, can supplies reach a base) and to compile
convoy lines (the least-exposure path when no via-bases are given), so both agree on what a path is.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from logistics.rules.schemas import AIRFIELD_RANK, Base, Mode, Route, Vehicle

RouteCost = Callable[[Route], tuple[float, float]]
"""Lexicographic cost of using a route: compared on the first element, ties broken by the second."""

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def by_distance(route: Route) -> tuple[float, float]:
    """Default route cost: its length."""
    return (route.distance_km, 0.0)


@dataclass(frozen=True)
class Arc:
    """A route used in one direction."""

    route: Route
    tail: str
    head: str


@dataclass(frozen=True)
class Path:
    """A path through the network: the bases visited and the routes between them."""

    bases: tuple[str, ...]
    arcs: tuple[Arc, ...]

    @property
    def route_ids(self) -> tuple[str, ...]:
        """Ids of the routes along the path, in travel order."""
        return tuple(arc.route.route_id for arc in self.arcs)

    @property
    def distance_km(self) -> float:
        """Length of the path."""
        return sum(arc.route.distance_km for arc in self.arcs)


class Network:
    """Directed view of the routes: a two-way route gives an arc in each direction."""

    def __init__(self, arcs: Iterable[Arc]) -> None:
        self._out: dict[str, list[Arc]] = defaultdict(list)
        for arc in arcs:
            self._out[arc.tail].append(arc)

    @classmethod
    def from_routes(cls, routes: Sequence[Route]) -> Network:
        """Build the network of all routes."""
        arcs: list[Arc] = []
        for route in routes:
            arcs.append(Arc(route, route.from_base_id, route.to_base_id))
            if route.two_way:
                arcs.append(Arc(route, route.to_base_id, route.from_base_id))
        return cls(arcs)

    def arcs_from(self, base: str, mode: Mode | None = None) -> list[Arc]:
        """Arcs leaving a base, optionally of one mode."""
        return [a for a in self._out.get(base, []) if mode is None or a.route.mode == mode]

    def reachable(self, sources: Iterable[str], mode: Mode | None = None) -> set[str]:
        """Bases reachable from any of ``sources`` (themselves included) along arcs of ``mode``."""
        seen = set(sources)
        frontier = list(seen)
        while frontier:
            base = frontier.pop()
            for arc in self.arcs_from(base, mode):
                if arc.head not in seen:
                    seen.add(arc.head)
                    frontier.append(arc.head)
        return seen

    def path(
        self,
        origin: str,
        destination: str,
        mode: Mode,
        via: Sequence[str] = (),
        cost: RouteCost = by_distance,
    ) -> Path | None:
        """The path origin → via… → destination using routes of ``mode``, or None if there is none.

        With via-bases, consecutive stops must be joined directly by a route (the planner wrote the
        path; among parallel routes the cheapest is taken). Without, the least-cost path is found.
        """
        if via:
            return self._direct_chain((origin, *via, destination), mode, cost)
        return self._least_cost(origin, destination, mode, cost)

    def _direct_chain(self, stops: Sequence[str], mode: Mode, cost: RouteCost) -> Path | None:
        arcs: list[Arc] = []
        for tail, head in pairwise(stops):
            candidates = [a for a in self.arcs_from(tail, mode) if a.head == head]
            if not candidates:
                return None
            arcs.append(min(candidates, key=lambda a: (cost(a.route), a.route.route_id)))
        return Path(tuple(stops), tuple(arcs))

    def _least_cost(
        self, origin: str, destination: str, mode: Mode, cost: RouteCost
    ) -> Path | None:
        if origin == destination:
            return None
        _, came_by = self._dijkstra(origin, mode, cost, stop_at=destination)
        if destination not in came_by:
            return None
        arcs: list[Arc] = []
        base = destination
        while base != origin:
            arc = came_by[base]
            arcs.append(arc)
            base = arc.tail
        arcs.reverse()
        return Path((origin, *(a.head for a in arcs)), tuple(arcs))

    def distances_from(
        self, origin: str, mode: Mode, cost: RouteCost = by_distance
    ) -> dict[str, float]:
        """Least cost (first element of ``cost``) from ``origin`` to every base it reaches."""
        best, _ = self._dijkstra(origin, mode, cost, stop_at=None)
        return {base: value[0] for base, value in best.items()}

    def _dijkstra(
        self, origin: str, mode: Mode, cost: RouteCost, stop_at: str | None
    ) -> tuple[dict[str, tuple[float, float]], dict[str, Arc]]:
        """Settled lexicographic costs and the arc each base was reached by.

        Arcs are scanned in route-id order so equal-cost ties always resolve the same way.
        """
        best: dict[str, tuple[float, float]] = {origin: (0.0, 0.0)}
        came_by: dict[str, Arc] = {}
        queue: list[tuple[float, float, str]] = [(0.0, 0.0, origin)]
        done: set[str] = set()
        while queue:
            primary, secondary, base = heapq.heappop(queue)
            if base in done:
                continue
            done.add(base)
            if base == stop_at:
                break
            for arc in sorted(self.arcs_from(base, mode), key=lambda a: a.route.route_id):
                step = cost(arc.route)
                candidate = (primary + step[0], secondary + step[1])
                if arc.head not in best or candidate < best[arc.head]:
                    best[arc.head] = candidate
                    came_by[arc.head] = arc
                    heapq.heappush(queue, (*candidate, arc.head))
        return {b: best[b] for b in done}, came_by


def point_in_area(lat: float, lon: float, area: tuple[float, float, float]) -> bool:
    """True when the point lies within ``area`` = (latitude, longitude, radius_km)."""
    centre_lat, centre_lon, radius_km = area
    return haversine_km(lat, lon, centre_lat, centre_lon) <= radius_km


def route_in_area(
    start: tuple[float, float], end: tuple[float, float], area: tuple[float, float, float]
) -> bool:
    """True when a route between two points runs through ``area``.

    A route counts as inside when either end or its midpoint lies within the radius: cheap, and
    right for areas of tens to hundreds of km around towns and road sections.
    """
    midpoint = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    return any(point_in_area(lat, lon, area) for lat, lon in (start, end, midpoint))


def flies_path(vehicle: Vehicle, path: Path, bases: Mapping[str, Base]) -> bool:
    """True when the aircraft can use every airfield of the path, every route of the path admits
    its kind (fixed-wing or helicopter) and it flies each leg within range."""
    lowest_airfield = min(AIRFIELD_RANK[bases[b].airfield_class] for b in path.bases)
    longest_leg = max((arc.route.distance_km for arc in path.arcs), default=0.0)
    kind = vehicle.aircraft_kind
    return (
        AIRFIELD_RANK[vehicle.min_airfield_class] <= lowest_airfield
        and all(arc.route.aircraft in (None, kind) for arc in path.arcs)
        and (vehicle.range_km is None or longest_leg <= vehicle.range_km)
    )
