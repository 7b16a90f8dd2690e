"""Geography for the drawings: country outlines, map extents, distances and circles on the Earth.

The outlines are Natural Earth's countries at 1:50 million, shipped with the package as TopoJSON
(``logistics/data/geo/``, see ``VENDORED.json`` there and ``scripts/vendor_geodata.py``), so a
map draws with no network. TopoJSON stores shared borders once as *arcs*: integer positions,
each relative to the one before (delta encoding), scaled back to degrees by the topology's
``transform``; a ring lists the arcs it follows, ``~i`` meaning arc ``i`` backwards.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

Ring = npt.NDArray[np.float64]
"""A closed ring of (longitude, latitude) rows in degrees, the last row equal to the first."""

EARTH_RADIUS_KM = 6371.0088
"""Mean radius of the Earth (IUGG)."""
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
"""Length of one degree of latitude (and of longitude at the equator)."""

OUTLINES_PACKAGE = "logistics"
OUTLINES_PATH = ("data", "geo", "countries-50m.json")
OUTLINES_OBJECT = "countries"
OUTLINES_ATTRIBUTION = "Country outlines: Natural Earth"


@dataclass(frozen=True)
class Country:
    """A country's outline: its name and the rings of its polygons (outer rings and holes)."""

    name: str
    rings: tuple[Ring, ...]


def decode_arcs(topology: Mapping[str, Any]) -> list[Ring]:
    """The topology's arcs in degrees: delta-decoded and scaled when it has a ``transform``."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=np.float64).reshape(-1, 2)
        if transform is not None:
            scale = np.asarray(transform["scale"], dtype=np.float64)
            translate = np.asarray(transform["translate"], dtype=np.float64)
            points = np.cumsum(points, axis=0) * scale + translate
        arcs.append(points)
    return arcs


def stitch_ring(indices: Sequence[int], arcs: Sequence[Ring]) -> Ring:
    """One ring from the arcs it follows (``~i`` = arc ``i`` reversed); consecutive arcs share
    their joining point, which is kept once."""
    parts = []
    for position, index in enumerate(indices):
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(points if position == 0 else points[1:])
    return np.concatenate(parts)


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    """A geometry's polygons as lists of rings of arc indices (none for other types)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def decode_topojson(topology: Mapping[str, Any], object_name: str) -> list[Country]:
    """The polygons of one object of a TopoJSON topology, one ``Country`` per geometry."""
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"][object_name]["geometries"]:
        rings = tuple(
            stitch_ring(ring, arcs) for polygon in _polygons(geometry) for ring in polygon
        )
        name = str((geometry.get("properties") or {}).get("name", geometry.get("id", "")))
        if rings:
            countries.append(Country(name, rings))
    return countries


@functools.cache
def country_outlines() -> tuple[Country, ...]:
    """Every country's outline, read once from the package's data (never from the network)."""
    source = resources.files(OUTLINES_PACKAGE).joinpath(*OUTLINES_PATH)
    topology = json.loads(source.read_text(encoding="utf-8"))
    return tuple(decode_topojson(topology, OUTLINES_OBJECT))


@dataclass(frozen=True)
class Extent:
    """A longitude-latitude box, in degrees."""

    west: float
    east: float
    south: float
    north: float

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]]) -> Extent:
        """The smallest box holding every (longitude, latitude) point."""
        lons, lats = zip(*points, strict=True)
        return cls(min(lons), max(lons), min(lats), max(lats))

    @property
    def mid_latitude(self) -> float:
        """Latitude of the box's middle."""
        return (self.south + self.north) / 2.0

    @property
    def x_scale(self) -> float:
        """Length of a degree of longitude relative to one of latitude at the middle latitude."""
        return max(math.cos(math.radians(self.mid_latitude)), 0.05)

    @property
    def width_km(self) -> float:
        """East-west size at the middle latitude."""
        return (self.east - self.west) * KM_PER_DEGREE * self.x_scale

    @property
    def height_km(self) -> float:
        """North-south size."""
        return (self.north - self.south) * KM_PER_DEGREE

    def padded(self, fraction: float, least_km: float) -> Extent:
        """The box grown on every side by ``fraction`` of its size, and by at least ``least_km``."""
        pad_y = max((self.north - self.south) * fraction, least_km / KM_PER_DEGREE)
        pad_x = max((self.east - self.west) * fraction, least_km / KM_PER_DEGREE / self.x_scale)
        return Extent(
            self.west - pad_x,
            self.east + pad_x,
            max(self.south - pad_y, -89.0),
            min(self.north + pad_y, 89.0),
        )

    def fitted(self, aspect: float) -> Extent:
        """The box grown in one direction until width_km / height_km equals ``aspect``, so that
        it fills a frame of that shape with distances true at the middle latitude."""
        if self.width_km / self.height_km < aspect:
            half = (aspect * self.height_km / (KM_PER_DEGREE * self.x_scale)) / 2.0
            middle = (self.west + self.east) / 2.0
            return Extent(middle - half, middle + half, self.south, self.north)
        half = (self.width_km / aspect / KM_PER_DEGREE) / 2.0
        middle = (self.south + self.north) / 2.0
        return Extent(self.west, self.east, middle - half, middle + half)

    def overlaps(self, ring: Ring) -> bool:
        """Whether the box around ``ring`` meets this box."""
        west, south = ring.min(axis=0)
        east, north = ring.max(axis=0)
        return bool(
            west <= self.east and east >= self.west and south <= self.north and north >= self.south
        )


def clip_ring(ring: Ring, extent: Extent) -> Ring | None:
    """The part of a polygon ring inside ``extent`` (Sutherland-Hodgman against each side), or
    None when nothing is left. Parts outside become edges along the box's sides, so a filled
    polygon stays filled."""
    points = ring[:-1] if len(ring) > 1 and np.array_equal(ring[0], ring[-1]) else ring
    sides: tuple[tuple[int, float, bool], ...] = (
        (0, extent.west, True),
        (0, extent.east, False),
        (1, extent.south, True),
        (1, extent.north, False),
    )
    for axis, limit, keep_above in sides:
        if len(points) == 0:
            return None
        points = _clip_side(points, axis, limit, keep_above)
    if len(points) < 3:
        return None
    return np.vstack([points, points[:1]])


def _clip_side(points: Ring, axis: int, limit: float, keep_above: bool) -> Ring:
    """Clip an open ring against one axis-parallel line, keeping one side of it."""
    inside = points[:, axis] >= limit if keep_above else points[:, axis] <= limit
    previous = np.roll(points, 1, axis=0)
    previous_inside = np.roll(inside, 1)
    out: list[npt.NDArray[np.float64]] = []
    for point, before, now_in, before_in in zip(
        points, previous, inside, previous_inside, strict=True
    ):
        if now_in != before_in:
            t = (limit - before[axis]) / (point[axis] - before[axis])
            out.append(before + t * (point - before))
        if now_in:
            out.append(point)
    return np.asarray(out, dtype=np.float64).reshape(-1, 2)


def outlines_within(extent: Extent) -> list[tuple[str, list[Ring]]]:
    """Every country meeting ``extent``, with its rings clipped to it."""
    found = []
    for country in country_outlines():
        rings = [clip_ring(ring, extent) for ring in country.rings if extent.overlaps(ring)]
        kept = [ring for ring in rings if ring is not None]
        if kept:
            found.append((country.name, kept))
    return found


def circle(latitude_deg: float, longitude_deg: float, radius_km: float, points: int = 72) -> Ring:
    """The circle of ``radius_km`` around a point on the sphere, as a closed ring of (longitude,
    latitude) running counter-clockwise (RFC 7946's rule for outer rings)."""
    lat = math.radians(latitude_deg)
    lon = math.radians(longitude_deg)
    angle = radius_km / EARTH_RADIUS_KM
    bearings = -np.linspace(0.0, 2.0 * math.pi, points, endpoint=False)
    lats = np.arcsin(
        math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * np.cos(bearings)
    )
    lons = lon + np.arctan2(
        np.sin(bearings) * math.sin(angle) * math.cos(lat),
        math.cos(angle) - math.sin(lat) * np.sin(lats),
    )
    ring = np.column_stack([np.degrees(lons), np.degrees(lats)])
    return np.vstack([ring, ring[:1]])


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (longitude, latitude) points (haversine)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
