"""The plan for GIS tools: GeoJSON (RFC 7946) and KML 2.2, with the same content.

Every base is a point, every route a convoy uses a line (with the tonnes carried, the convoys and
their departure days and dates, the highest threat level and the mode), every threat area a
polygon approximating its circle. Coordinates are (longitude, latitude) in WGS 84 degrees, as
both formats want. The styles of the KML follow the map (``logistics.drawing.plan_map``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from logistics.drawing import style
from logistics.drawing.geo import Ring
from logistics.drawing.view import BaseMark, PlanView, RouteMark, ThreatArea
from logistics.report import palette

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
COORDINATE_DECIMALS = 6
"""About 0.1 m: more would only be noise."""

Properties = dict[str, Any]


def _point(point: tuple[float, float]) -> list[float]:
    """A position as GeoJSON writes it: [longitude, latitude], rounded."""
    return [round(point[0], COORDINATE_DECIMALS), round(point[1], COORDINATE_DECIMALS)]


def _ring(ring: Ring) -> list[list[float]]:
    """A ring's positions, rounded."""
    return [_point((float(lon), float(lat))) for lon, lat in ring]


def base_properties(base: BaseMark) -> Properties:
    """What a base's feature says."""
    return {
        "feature": "base",
        "base_id": base.base_id,
        "name": base.name,
        "kind": base.kind,
        "sector": base.sector,
        "airfield_class": base.airfield_class,
        "allocated_troops": base.allocated_troops,
        "required_troops": base.required_troops,
        "max_threat_level": base.max_threat_level,
    }


def route_properties(route: RouteMark, view: PlanView) -> Properties:
    """What a used route's feature says: what it carries, when, and under which threat."""
    dates = [view.date_of(day) for day in route.departure_days]
    return {
        "feature": "route",
        "route_id": route.route_id,
        "from_base_id": route.from_base_id,
        "to_base_id": route.to_base_id,
        "mode": route.mode,
        "distance_km": route.distance_km,
        "tonnage_t": round(route.tonnage_t, 3),
        "convoy_count": len(route.convoy_ids),
        "convoy_ids": list(route.convoy_ids),
        "convoy_departure_days": list(route.departure_days),
        "convoy_departure_dates": [d.isoformat() for d in dates if d is not None],
        "vehicles": route.vehicles,
        "max_threat_level": route.max_threat_level,
        "min_threat_level": route.min_threat_level,
        "days_closed": route.days_closed,
        "closed_days": route.closed_days,
        "stroke": palette.threat_colour(route.max_threat_level),
    }


def threat_properties(area: ThreatArea, view: PlanView) -> Properties:
    """What a threat area's feature says."""
    first, last = view.date_of(area.first_day), view.date_of(area.last_day)
    return {
        "feature": "threat_area",
        "threat_id": area.threat_id,
        "threat_type": area.threat_type,
        "level": area.level,
        "radius_km": area.radius_km,
        "centre": _point((area.longitude_deg, area.latitude_deg)),
        "first_day": area.first_day,
        "last_day": area.last_day,
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "modes": list(area.modes),
        "description": area.description,
        "fill": palette.threat_colour(area.level),
    }


def plan_geojson(view: PlanView) -> dict[str, Any]:
    """The plan as a GeoJSON FeatureCollection: bases, used routes and threat areas."""
    features: list[dict[str, Any]] = []
    for base in view.bases:
        features.append(_feature({"type": "Point", "coordinates": _point(base.point)},
                                 base_properties(base)))  # fmt: skip
    for route in view.used_routes:
        line = {"type": "LineString", "coordinates": [_point(route.start), _point(route.end)]}
        features.append(_feature(line, route_properties(route, view)))
    for area in view.threat_areas:
        polygon = {"type": "Polygon", "coordinates": [_ring(area.ring)]}
        features.append(_feature(polygon, threat_properties(area, view)))
    return {
        "type": "FeatureCollection",
        "name": view.scenario_name,
        "features": features,
    }


def _feature(geometry: Mapping[str, Any], properties: Properties) -> dict[str, Any]:
    """One GeoJSON Feature."""
    return {"type": "Feature", "geometry": dict(geometry), "properties": properties}


def geojson_text(view: PlanView) -> str:
    """``plan_geojson`` as UTF-8 JSON text."""
    return json.dumps(plan_geojson(view), ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------------------------------
# KML
# --------------------------------------------------------------------------------------------------


def plan_kml(view: PlanView) -> str:
    """The plan as a KML document: a folder each of bases, used routes and threat areas."""
    ET.register_namespace("", KML_NAMESPACE)
    root = ET.Element(_tag("kml"))
    document = ET.SubElement(root, _tag("Document"))
    _text(document, "name", view.scenario_name)
    _styles(document, view)
    bases = _folder(document, "Bases")
    for base in view.bases:
        placemark = _placemark(bases, base.label, f"#base-{base.kind}", base_properties(base))
        _text(ET.SubElement(placemark, _tag("Point")), "coordinates", _kml_points([base.point]))
    routes = _folder(document, "Routes used")
    for route in view.used_routes:
        placemark = _placemark(
            routes, route.route_id, f"#route-{route.route_id}", route_properties(route, view)
        )
        line = ET.SubElement(placemark, _tag("LineString"))
        _text(line, "tessellate", "1")
        _text(line, "coordinates", _kml_points([route.start, route.end]))
    areas = _folder(document, "Threat areas")
    for area in view.threat_areas:
        placemark = _placemark(
            areas, area.threat_id, f"#threat-{area.level}", threat_properties(area, view)
        )
        _time_span(placemark, view, area)
        ring = ET.SubElement(
            ET.SubElement(ET.SubElement(placemark, _tag("Polygon")), _tag("outerBoundaryIs")),
            _tag("LinearRing"),
        )
        _text(ring, "coordinates", _kml_points((float(x), float(y)) for x, y in area.ring))
    ET.indent(root)
    body: str = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _tag(name: str) -> str:
    """A KML element's qualified name."""
    return f"{{{KML_NAMESPACE}}}{name}"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    """A child element holding text."""
    element = ET.SubElement(parent, _tag(name))
    element.text = text
    return element


def _kml_points(points: Iterable[tuple[float, float]]) -> str:
    """KML coordinates: ``lon,lat`` tuples separated by spaces."""
    return " ".join(",".join(f"{v:.{COORDINATE_DECIMALS}f}" for v in point) for point in points)


def _folder(document: ET.Element, name: str) -> ET.Element:
    """A named folder of placemarks."""
    folder = ET.SubElement(document, _tag("Folder"))
    _text(folder, "name", name)
    return folder


def _placemark(folder: ET.Element, name: str, style_url: str, data: Properties) -> ET.Element:
    """A placemark with its style and every property as ExtendedData."""
    placemark = ET.SubElement(folder, _tag("Placemark"))
    _text(placemark, "name", name)
    _text(placemark, "styleUrl", style_url)
    extended = ET.SubElement(placemark, _tag("ExtendedData"))
    for key, value in data.items():
        item = ET.SubElement(extended, _tag("Data"), name=key)
        _text(item, "value", _kml_value(value))
    return placemark


def _kml_value(value: object) -> str:
    """A property as KML text: lists joined by ``; ``, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _time_span(placemark: ET.Element, view: PlanView, area: ThreatArea) -> None:
    """The days a threat is active, as dates, when the plan has dates."""
    first, last = view.date_of(area.first_day), view.date_of(area.last_day)
    if first is None or last is None:
        return
    span = ET.SubElement(placemark, _tag("TimeSpan"))
    _text(span, "begin", first.isoformat())
    _text(span, "end", last.isoformat())


def _styles(document: ET.Element, view: PlanView) -> None:
    """A style per kind of base, per used route (colour by threat, width by tonnes, as on the
    map) and per threat level of the areas."""
    for kind in sorted({base.kind for base in view.bases}):
        element = ET.SubElement(document, _tag("Style"), id=f"base-{kind}")
        icon = ET.SubElement(element, _tag("IconStyle"))
        _text(icon, "color", style.kml_colour(style.BASE_COLOUR))
        _text(icon, "scale", "0.8" if kind != "waypoint" else "0.5")
    most = max((route.tonnage_t for route in view.used_routes), default=0.0)
    for route in view.used_routes:
        element = ET.SubElement(document, _tag("Style"), id=f"route-{route.route_id}")
        line = ET.SubElement(element, _tag("LineStyle"))
        _text(line, "color", style.kml_colour(palette.threat_colour(route.max_threat_level)))
        width = 2.0 + 6.0 * (route.tonnage_t / most) ** 0.5 if most > 0 else 2.0
        _text(line, "width", f"{width:.1f}")
    for level in sorted({area.level for area in view.threat_areas}):
        element = ET.SubElement(document, _tag("Style"), id=f"threat-{level}")
        colour = palette.threat_colour(level)
        _text(ET.SubElement(element, _tag("LineStyle")), "color", style.kml_colour(colour))
        poly = ET.SubElement(element, _tag("PolyStyle"))
        _text(poly, "color", style.kml_colour(colour, 0.12 + 0.05 * level))
