"""Building workbooks for the tests: the valid three-base mission and raw edits of zip parts.

The scenario is built in code (not read from ``inputs/``) so that the reader's tests do not depend
on the example workbooks and every bad-input test can start from a known-good file.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # only for files the tests themselves wrote
import zipfile
from pathlib import Path

from logistics.rules import schemas as s


def three_base_scenario() -> s.Scenario:
    """A port, a hub and a northern camp, linked by road and air, with every sheet filled."""
    return s.Scenario(
        settings=s.Settings(
            scenario_name="Three-base test mission",
            start_date=dt.date(2024, 1, 1),
            horizon_days=14,
            time_limit_s=30.0,
        ),
        supplies=(
            s.Supply(
                supply_id="WATER",
                name="Drinking water",
                unit="kL",
                mass_t_per_unit=1.0,
                cargo_type="water",
                priority=1,
                safety_stock_days=3,
            ),
            s.Supply(
                supply_id="RATIONS",
                name="Rations",
                unit="t",
                mass_t_per_unit=1.0,
                cargo_type="dry",
                priority=2,
            ),
            s.Supply(
                supply_id="FUEL",
                name="Diesel",
                unit="kL",
                mass_t_per_unit=0.84,
                cargo_type="fuel",
                priority=2,
                safety_stock_days=5,
            ),
        ),
        consumption=(
            s.Consumption(supply_id="WATER", quantity_per_person_day=0.084),
            s.Consumption(supply_id="WATER", base_kind="team_site", quantity_per_person_day=0.03),
            s.Consumption(supply_id="RATIONS", quantity_per_person_day=0.003),
            s.Consumption(supply_id="FUEL", quantity_per_person_day=0.01),
            s.Consumption(supply_id="FUEL", base_kind="hub", quantity_per_person_day=0.02),
        ),
        bases=(
            s.Base(
                base_id="PORT",
                name="Port of entry",
                kind="port",
                sector="South",
                latitude_deg=12.6,
                longitude_deg=-8.0,
                accommodation_troops=300,
                airfield_class="paved_runway",
            ),
            s.Base(
                base_id="HUB",
                name="=Central hub",
                kind="hub",
                sector="Centre",
                latitude_deg=14.5,
                longitude_deg=-4.2,
                accommodation_troops=1000,
                min_garrison_troops=100,
                airfield_class="paved_runway",
            ),
            s.Base(
                base_id="CAMP",
                name="Northern camp",
                kind="camp",
                sector="North",
                latitude_deg=16.3,
                longitude_deg=-3.0,
                accommodation_troops=600,
                min_garrison_troops=200,
                airfield_class="helipad",
            ),
        ),
        stocks=(
            s.Stock(base_id="PORT", supply_id="RATIONS", capacity=500, initial_stock=200),
            s.Stock(base_id="PORT", supply_id="FUEL", capacity=800, initial_stock=400),
            s.Stock(base_id="HUB", supply_id="WATER", capacity=300, initial_stock=150),
            s.Stock(
                base_id="HUB",
                supply_id="FUEL",
                capacity=400,
                initial_stock=100,
                fixed_demand_per_day=2.5,
            ),
            s.Stock(base_id="CAMP", supply_id="WATER", capacity=200, initial_stock=80),
            s.Stock(base_id="CAMP", supply_id="RATIONS", capacity=60, initial_stock=20),
        ),
        sources=(
            s.Source(base_id="PORT", supply_id="RATIONS", quantity_per_day=50, unit_cost_usd=900),
            s.Source(
                base_id="PORT",
                supply_id="FUEL",
                quantity_per_day=80,
                total_quantity=900,
                unit_cost_usd=1100,
            ),
            s.Source(base_id="HUB", supply_id="WATER", quantity_per_day=120, unit_cost_usd=2.5),
            s.Source(base_id="CAMP", supply_id="WATER", total_quantity=300),
        ),
        demands=(
            s.Demand(
                demand_id="D1",
                base_id="CAMP",
                supply_id="WATER",
                first_day=3,
                last_day=5,
                quantity_per_day=10,
                description="Field hospital",
            ),
        ),
        routes=(
            s.Route(
                route_id="R1",
                from_base_id="PORT",
                to_base_id="HUB",
                mode="road",
                distance_km=600,
                transit_days=2,
                max_convoys_per_day=3,
            ),
            s.Route(
                route_id="R2",
                from_base_id="HUB",
                to_base_id="CAMP",
                mode="road",
                distance_km=350,
                transit_days=1.5,
                open_to_day=10,
                threat_level=3,
            ),
            s.Route(
                route_id="R3",
                from_base_id="HUB",
                to_base_id="CAMP",
                mode="air",
                distance_km=330,
                transit_days=0.2,
            ),
            s.Route(
                route_id="R4",
                from_base_id="PORT",
                to_base_id="CAMP",
                mode="air",
                distance_km=950,
                transit_days=0.5,
                two_way=False,
                open_from_day=2,
            ),
        ),
        vehicles=(
            s.Vehicle(
                vehicle_type_id="TRUCK",
                name="Cargo truck",
                mode="road",
                cargo_types=("dry", "water"),
                payload_t=20,
                cost_usd_per_km=2.5,
            ),
            s.Vehicle(
                vehicle_type_id="TANKER",
                name="Fuel tanker",
                mode="road",
                cargo_types=("fuel",),
                payload_t=25,
                cost_usd_per_km=3.0,
                crew=2,
            ),
            s.Vehicle(
                vehicle_type_id="HELO",
                name="Mi-8",
                mode="air",
                cargo_types=("dry", "water"),
                payload_t=4,
                cost_usd_per_flight_hour=5000,
                speed_kmh=200,
                sorties_per_day=2,
                min_airfield_class="helipad",
                crew=3,
            ),
        ),
        fleet=(
            s.FleetEntry(base_id="PORT", vehicle_type_id="TRUCK", count=20),
            s.FleetEntry(base_id="PORT", vehicle_type_id="TANKER", count=10),
            s.FleetEntry(base_id="PORT", vehicle_type_id="HELO", count=1),
            s.FleetEntry(base_id="HUB", vehicle_type_id="TRUCK", count=10),
            s.FleetEntry(base_id="HUB", vehicle_type_id="HELO", count=2),
        ),
        convoys=(
            s.ConvoyLine(
                line_id="L1",
                origin_base_id="PORT",
                destination_base_id="CAMP",
                via_base_ids=("HUB",),
                mode="road",
                first_departure_day=1,
                every_days=3,
                min_vehicles=4,
                max_vehicles=30,
            ),
            s.ConvoyLine(
                line_id="L2",
                origin_base_id="HUB",
                destination_base_id="CAMP",
                mode="air",
                last_departure_day=12,
                max_vehicles=2,
            ),
        ),
        threats=(
            s.Threat(
                threat_id="T1",
                threat_type="ied",
                level=4,
                route_id="R2",
                first_day=5,
                last_day=9,
                description="IED belt north of the hub",
            ),
            s.Threat(
                threat_id="T2",
                threat_type="ambush",
                level=3,
                latitude_deg=16.0,
                longitude_deg=-3.2,
                radius_km=60,
            ),
            s.Threat(
                threat_id="T3", threat_type="indirect_fire", level=2, base_id="CAMP", first_day=2
            ),
        ),
        threat_levels=s.DEFAULT_THREAT_LEVELS,
        units=(
            s.Unit(
                unit_id="U1",
                name="North battalion",
                country="Atlantis",
                unit_type="infantry",
                strength=600,
                current_base_id="CAMP",
                may_move=False,
                allowed_sectors=("North",),
            ),
            s.Unit(
                unit_id="U2",
                name="Mechanised company",
                country="Borduria",
                unit_type="mechanised",
                strength=400,
                current_base_id="HUB",
                allowed_sectors=("Centre", "North"),
                escort_capable=True,
            ),
            s.Unit(
                unit_id="U3",
                name="Logistics company",
                country="Carpania",
                unit_type="logistics",
                strength=150,
                current_base_id="PORT",
            ),
        ),
    )


def sheet_part(path: Path, title: str) -> str:
    """The zip part name of the worksheet called ``title`` (e.g. ``xl/worksheets/sheet10.xml``)."""
    namespaces = {
        "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    with zipfile.ZipFile(path) as archive:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    sheet = next(
        s for s in workbook.iterfind("main:sheets/main:sheet", namespaces) if s.get("name") == title
    )
    relation_id = sheet.get(f"{{{namespaces['rel']}}}id")
    target = next(
        r.get("Target")
        for r in relations.iterfind("pkg:Relationship", namespaces)
        if r.get("Id") == relation_id
    )
    assert target is not None
    return target.lstrip("/") if target.startswith("/xl/") else f"xl/{target}"


def rewrite_parts(source: Path, target: Path, changes: dict[str, bytes | None]) -> Path:
    """Copy a workbook's zip archive, replacing (bytes), adding, or dropping (None) parts."""
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            if info.filename not in changes:
                copy.writestr(info, original.read(info.filename))
        for name, content in changes.items():
            if content is not None:
                copy.writestr(name, content)
    return target


# Offsets of fields in a zip entry's local header and in its central directory record.
ZIP_FLAGS = (6, 8)
ZIP_METHOD = (8, 10)
ZIP_UNCOMPRESSED_SIZE = (22, 24)


def patch_zip_entry(data: bytearray, name: bytes, field: tuple[int, int], value: bytes) -> None:
    """Overwrite one header field (``ZIP_FLAGS``…) of the entry ``name`` in both of its headers:
    a crafted archive that zipfile itself would never write."""
    local_offset, central_offset = field
    for signature, name_length_at, name_at, offset in (
        (b"PK\x03\x04", 26, 30, local_offset),
        (b"PK\x01\x02", 28, 46, central_offset),
    ):
        start = data.find(signature)
        while start != -1:
            length = int.from_bytes(
                data[start + name_length_at : start + name_length_at + 2], "little"
            )
            if data[start + name_at : start + name_at + length] == name:
                data[start + offset : start + offset + len(value)] = value
            start = data.find(signature, start + 4)
