"""Vehicle and aircraft types the theatres share.

Trucks, tankers, water bowsers, the C-130 and the Mi-8/Mi-17 are the bundled Mali mission's types
(``inputs/mali.xlsx``: payloads and costs from its planning factors, FACTS §3d and §5), so every
theatre is costed alike. River and coastal craft are added here.
"""

from __future__ import annotations

from benchmarks.missions.build import planning_scenario
from benchmarks.missions.facts import VehicleFact
from logistics.schemas import AirfieldClass, Mode, Vehicle

BARGE_SET_T = 1200.0
"""A Nile push set of four barges carries 1,200 t (Logistics Cluster, South Sudan Logistics
Infrastructure assessment, DLCA 2.x); Logistics Cluster boats carry at most 200 t (South Sudan
River Movement Strategy 2021)."""

WORKBOOK_MAX_PAYLOAD_T = 200.0
"""Largest payload the Vehicles sheet takes today: a barge set is modelled as
``BARGE_SET_T / WORKBOOK_MAX_PAYLOAD_T`` barge units of 200 t each in the Fleet."""

BARGE_UNITS_PER_SET = int(BARGE_SET_T // WORKBOOK_MAX_PAYLOAD_T)


AIRCRAFT_KIND = {"C-130": "fixed_wing", "MI-8": "helicopter", "MI-17": "helicopter"}


def mali_vehicle(vehicle_type_id: str) -> VehicleFact:
    """One of the Mali mission's vehicle types."""
    found = {v.vehicle_type_id: v for v in planning_scenario().vehicles}
    return VehicleFact(found[vehicle_type_id], aircraft=AIRCRAFT_KIND.get(vehicle_type_id))


BARGE = VehicleFact(
    Vehicle(
        vehicle_type_id="BARGE-200T",
        name="River barge (one 200 t unit of a 1,200 t push set)",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=WORKBOOK_MAX_PAYLOAD_T,
        cost_usd_per_km=10.0,  # [E] 0.05 USD/t-km, half the corridor road rate (Mali factor)
        crew=3,
    ),
    real_payload_t=BARGE_SET_T,
)

LAKE_BOAT = VehicleFact(
    Vehicle(
        vehicle_type_id="BOAT-40T",
        name="Lake or coastal cargo boat",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=40.0,  # [E] as the Mali pinasse
        cost_usd_per_km=2.0,  # [E] 0.05 USD/t-km
        crew=4,
    )
)

COASTER = VehicleFact(
    Vehicle(
        vehicle_type_id="COASTER-200T",
        name="Coastal freighter (one 200 t share of a chartered coaster)",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=WORKBOOK_MAX_PAYLOAD_T,
        cost_usd_per_km=12.0,  # [E]
        crew=8,
    ),
    real_payload_t=1500.0,  # [E] a small chartered coaster of the Mogadishu–Kismayo run
)

HEAVY_LIFT = VehicleFact(
    Vehicle(
        vehicle_type_id="IL-76",
        name="Il-76 class strategic airlifter (fixed wing)",
        mode=Mode.air,
        cargo_types=("dry", "water", "fuel"),
        payload_t=40.0,  # [E] about 40 t planning payload of a chartered Il-76
        cost_usd_per_flight_hour=12000.0,  # [E]
        speed_kmh=700.0,
        sorties_per_day=2,
        min_airfield_class=AirfieldClass.paved_runway,
        crew=6,
        range_km=4000.0,  # [E]
    ),
    aircraft="fixed_wing",
)


def standard_vehicles() -> tuple[VehicleFact, ...]:
    """Road vehicles and aircraft every theatre has: the Mali types."""
    return tuple(
        mali_vehicle(v)
        for v in (
            "TRUCK-20T",
            "TRUCK-10T",
            "TANKER-20KL",
            "TANKER-10KL",
            "WATER-10KL",
            "C-130",
            "MI-8",
        )
    )
