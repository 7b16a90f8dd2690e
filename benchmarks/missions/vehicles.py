"""Vehicle and aircraft types the theatres share.

Trucks, tankers, water bowsers, the C-130 and the Mi-8/Mi-17 are the bundled Mali mission's types
(``inputs/mali.xlsx``: payloads and costs from its planning factors, FACTS §3d and §5), so every
theatre is costed alike; the aircraft are said fixed wing or helicopter. River and coastal craft
at their real payloads, a heavy airlifter and a light aircraft for short strips are added here.
"""

from __future__ import annotations

from benchmarks.missions.build import planning_scenario
from benchmarks.missions.facts import VehicleFact
from logistics.rules.schemas import Aircraft, AirfieldClass, Mode, Vehicle

AIRCRAFT_KIND = {"C-130": Aircraft.fixed_wing, "MI-8": Aircraft.helicopter}


def mali_vehicle(vehicle_type_id: str) -> VehicleFact:
    """One of the Mali mission's vehicle types, aircraft said fixed wing or helicopter."""
    found = {v.vehicle_type_id: v for v in planning_scenario().vehicles}[vehicle_type_id]
    kind = AIRCRAFT_KIND.get(vehicle_type_id)
    return VehicleFact(found.model_copy(update={"aircraft": kind}) if kind else found)


BARGE = VehicleFact(
    Vehicle(
        vehicle_type_id="BARGE-SET",
        name="Nile push set of four barges",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=1200.0,  # Logistics Cluster, South Sudan Logistics Infrastructure (DLCA 2.x)
        cost_usd_per_km=60.0,  # [E] 0.05 USD/t-km, half the corridor road rate (Mali factor)
        crew=12,  # [E] pusher crew and barge hands
    )
)

RIVER_BOAT = VehicleFact(
    Vehicle(
        vehicle_type_id="BOAT-200T",
        name="River or coastal cargo boat",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=200.0,  # Logistics Cluster boats carry at most 200 t (River Movement Strategy)
        cost_usd_per_km=10.0,  # [E] 0.05 USD/t-km
        crew=5,
    )
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
        vehicle_type_id="COASTER-1500T",
        name="Chartered coastal freighter",
        mode=Mode.river,
        cargo_types=("dry", "fuel", "water"),
        payload_t=1500.0,  # [E] a small chartered coaster of the Mombasa-Mogadishu run
        cost_usd_per_km=90.0,  # [E] 0.06 USD/t-km
        crew=12,
    )
)

HEAVY_LIFT = VehicleFact(
    Vehicle(
        vehicle_type_id="IL-76",
        name="Il-76 class strategic airlifter",
        mode=Mode.air,
        cargo_types=("dry", "water", "fuel"),
        payload_t=40.0,  # [E] about 40 t planning payload of a chartered Il-76
        cost_usd_per_flight_hour=12000.0,  # [E]
        speed_kmh=700.0,
        sorties_per_day=2,
        min_airfield_class=AirfieldClass.paved_runway,
        crew=6,
        range_km=4000.0,  # [E]
        aircraft=Aircraft.fixed_wing,
    )
)

LIGHT_AIRCRAFT = VehicleFact(
    Vehicle(
        vehicle_type_id="DHC-6",
        name="Twin Otter class light transport",
        mode=Mode.air,
        cargo_types=("dry", "water", "fuel"),
        payload_t=1.4,  # [E] planning payload on short strips
        cost_usd_per_flight_hour=1800.0,  # [E]
        speed_kmh=280.0,
        sorties_per_day=3,
        min_airfield_class=AirfieldClass.light_strip,
        crew=2,
        range_km=1200.0,  # [E]
        aircraft=Aircraft.fixed_wing,
    )
)
"""Light fixed wing for the short grass and murram strips the C-130 cannot use [E]."""


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
