"""Build the example mission workbooks in ``inputs/`` from the data they are made of.

Run ``python scripts/build_examples.py`` from the repository root to (re)write:

* ``inputs/mali.xlsx``: a realistic MINUSMA-style mission (Mali, 2013–2023) built from the mission
  data in ``scripts/data/mali/`` (locations, links and planning factors; sources in FACTS.md of the
  mission data set, see ``scripts/data/mali/README.md``) plus the hand-authored tables below (units,
  convoy lines, fleet, threats), each estimate commented with where it comes from;
* ``inputs/tiny.xlsx``: one hub, two camps and one water tanker over six days, small enough that its
  optimal plan is derived by hand in the docstring of ``build_tiny``;
* ``inputs/template.xlsx``: the blank input template;
* ``inputs/mali-scenarios.xlsx``: what-if scenarios on the Mali mission (road closures, a threat
  surge, a battalion leaving, flights refused, more water in the North, a tanker company lost, the
  Niamey corridor closed), each row saying what it models in its ``description``.

References in comments: "FACTS §n" is a section of FACTS.md, "[S] n" its numbered source list,
"factor x" a row of ``planning_factors.csv``; "[E]" marks an estimate of ours where no public figure
was found.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a file from a clone: make the repository's packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from logistics.io.template import HEADER_FILL, HEADER_FONT, write_input_workbook, write_template
from logistics.io.xlsx import save_atomically, write_cell
from logistics.rules.overlays import REMOVE, SCENARIO_COLUMN, WHOLE_RECORD
from logistics.rules.registry import SCENARIO_VALUE_COLUMN, SCENARIOS_SHEET, SHEET_BY_NAME
from logistics.rules.schemas import (
    AirfieldClass,
    Base,
    BaseKind,
    CargoType,
    Consumption,
    ConvoyLine,
    Demand,
    FleetEntry,
    Mode,
    Route,
    Scenario,
    Settings,
    Source,
    Stock,
    Supply,
    SupplyUnit,
    Threat,
    ThreatLevelRule,
    ThreatType,
    Unit,
    UnitType,
    Vehicle,
)

SCRIPTS_DIR = Path(__file__).resolve().parent
REPO_DIR = SCRIPTS_DIR.parent
MALI_DATA_DIR = SCRIPTS_DIR / "data" / "mali"
INPUTS_DIR = REPO_DIR / "inputs"

# ==================================================================================================
# Mission data files
# ==================================================================================================


@dataclass(frozen=True)
class Location:
    """One row of ``locations.csv``."""

    location_id: str
    name: str
    type: str
    sector: str
    latitude_deg: float
    longitude_deg: float
    troops: int
    airfield: str


@dataclass(frozen=True)
class Link:
    """One row of ``links.csv``."""

    from_id: str
    to_id: str
    mode: str
    km: float
    days: float
    threat: int
    season_note: str


@dataclass(frozen=True)
class MissionData:
    """The three tables of the mission data set."""

    locations: tuple[Location, ...]
    links: tuple[Link, ...]
    factors: Mapping[str, float]

    def location(self, location_id: str) -> Location:
        """The location with this id."""
        return next(loc for loc in self.locations if loc.location_id == location_id)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_mission_data(directory: Path = MALI_DATA_DIR) -> MissionData:
    """Read ``locations.csv``, ``links.csv`` and ``planning_factors.csv`` from ``directory``."""
    locations = tuple(
        Location(
            location_id=row["id"],
            name=row["name"],
            type=row["type"],
            sector=row["sector"],
            latitude_deg=float(row["lat"]),
            longitude_deg=float(row["lon"]),
            troops=int(row["troops"]),
            airfield=row["airfield"],
        )
        for row in _rows(directory / "locations.csv")
    )
    links = tuple(
        Link(
            from_id=row["from"],
            to_id=row["to"],
            mode=row["mode"],
            km=float(row["km"]),
            days=float(row["days"]),
            threat=int(row["threat"]),
            season_note=row["season_note"],
        )
        for row in _rows(directory / "links.csv")
    )
    factors = {
        row["factor"]: float(row["value"]) for row in _rows(directory / "planning_factors.csv")
    }
    return MissionData(locations, links, factors)


# ==================================================================================================
# Mali: settings and mappings from the data set's vocabulary to the workbook's
# ==================================================================================================

MALI_START = dt.date(2021, 11, 1)
"""Day 1. November is dry season (rains roughly June/July to September/October, FACTS §6), so the
dry-season transit days of links.csv apply, and the Niger is still in high water: Mopti–Timbuktu
boats run July to December (FACTS §3c), so the river line is open for the whole horizon. In 2021
Sector Centre existed (from June 2019) and the Egyptian convoy units were still active (FACTS §4)."""

MALI_HORIZON_DAYS = 28
CLOSURE_LEVEL = 5
"""Routes close at threat level 5 ("very high", FACTS §3 threat scale)."""

KIND_OF_TYPE: dict[str, BaseKind] = {
    "PORT": BaseKind.port,
    "HQ": BaseKind.hub,
    "SHQ": BaseKind.hub,
    "CAMP": BaseKind.camp,
    "TOB": BaseKind.team_site,
    "WP": BaseKind.waypoint,
    # Niamey: a staging hub in Niger where fuel from the Cotonou/Lomé corridors is taken over and
    # escorted on to Gao (FACTS Table 1, [S] 62), not a port.
    "EXT": BaseKind.hub,
}

AIRFIELD_OF: dict[str, AirfieldClass] = {
    "STRAT": AirfieldClass.paved_runway,
    "C130-P": AirfieldClass.paved_runway,
    "C130-U": AirfieldClass.unpaved_strip,
    "HLS": AirfieldClass.helipad,
    "NONE": AirfieldClass.none,
}

MODE_OF: dict[str, Mode] = {
    "road": Mode.road,
    "river": Mode.river,
    "air_fw": Mode.air,
    "air_rw": Mode.air,
}

ACCOMMODATION_HEADROOM = 1.15
"""Accommodation = troops housed x 1.15, rounded up to 50 [E]: room for a reinforcing company."""

RELOCATION_USD_PER_TROOP_KM = 1.6
"""A unit moves with about one vehicle per 5 troops [E] at the escorted road rate (factor
``road_cost_escorted``, 4 USD/vehicle-km), the vehicles returning: 4 x 0.2 x 2 = 1.6 USD/troop-km."""

MIN_GARRISON_SHARE = 0.7
"""Minimum garrison = 70 % of the typical troops of locations.csv [E], rounded to 10."""

# ==================================================================================================
# Mali: supply classes, consumption, stocks, sources and extra demands
# ==================================================================================================

SAFETY_STOCK_DAYS_WATER = 3.0
"""Water is produced on site every day; 3 days of bladder storage as the reserve [E]."""
SAFETY_STOCK_DAYS_CONSTRUCTION = 7.0
"""Construction stores are not a reserve item; one week of work in hand [E]."""


def mali_supplies(data: MissionData) -> tuple[Supply, ...]:
    """The six supply classes; 14 safety-stock days is factor ``safety_stock_hub`` (FACTS §5)."""
    reserve = data.factors["safety_stock_hub"]
    # (id, name, unit, t per unit, cargo, priority, safety days); diesel 0.84 t/kL.
    table = (
        ("WATER", "Water", SupplyUnit.kL, 1.0, CargoType.water, 1, SAFETY_STOCK_DAYS_WATER),
        ("MEDICAL", "Medical supplies", SupplyUnit.t, 1.0, CargoType.dry, 1, reserve),
        ("RATIONS", "Rations (fresh, frozen, dry)", SupplyUnit.t, 1.0, CargoType.dry, 2, reserve),
        ("FUEL", "Diesel and jet fuel", SupplyUnit.kL, 0.84, CargoType.fuel, 2, reserve),
        ("AMMO", "Ammunition", SupplyUnit.t, 1.0, CargoType.dry, 3, reserve),
        (
            "CONSTRUCTION",
            "Construction and defence stores",
            SupplyUnit.t,
            1.0,
            CargoType.dry,
            4,
            SAFETY_STOCK_DAYS_CONSTRUCTION,
        ),
    )
    return tuple(
        Supply(
            supply_id=supply_id,
            name=name,
            unit=unit,
            mass_t_per_unit=mass,
            cargo_type=cargo,
            priority=priority,
            safety_stock_days=days,
        )
        for supply_id, name, unit, mass, cargo, priority, days in table
    )


CONSUMPTION_FACTORS: tuple[tuple[str, BaseKind | None, str], ...] = (
    ("WATER", None, "water_per_person_camp"),
    ("WATER", BaseKind.team_site, "water_per_person_outpost"),
    ("RATIONS", None, "rations_fresh_group"),
    ("FUEL", None, "fuel_outpost"),
    ("FUEL", BaseKind.hub, "fuel_hub_with_aviation"),
    ("MEDICAL", None, "medical"),
    ("AMMO", None, "ammunition_routine"),
    ("CONSTRUCTION", None, "construction_defence_steady"),
)
"""Consumption rows: (class, base kind or every kind, planning factor in L or kg per person-day)."""


def mali_consumption(data: MissionData) -> tuple[Consumption, ...]:
    """Consumption per person-day from the planning factors, converted from L or kg to kL or t."""
    return tuple(
        Consumption(
            supply_id=supply_id,
            base_kind=kind,
            quantity_per_person_day=round(data.factors[factor] / 1000, 6),
        )
        for supply_id, kind, factor in CONSUMPTION_FACTORS
    )


STOCK_DAYS: dict[BaseKind, tuple[float, float]] = {
    BaseKind.hub: (45.0, 20.0),
    BaseKind.camp: (40.0, 16.0),
    BaseKind.team_site: (30.0, 14.0),
}
"""(capacity, initial stock) in days of the base's own demand, dry cargo and fuel [E]: camps start
just above the 14-day safety target (FACTS §5 days-of-supply row: hubs 14 d, remote camps 30 d,
resupply about monthly), so without resupply they fall below it within days."""

WATER_STOCK_DAYS = (7.0, 4.0)
"""Water tanks and bladders: a week's capacity, four days in hand [E]."""

DEPOT_DAYS = (20.0, 3.0)
"""A base that dispatches convoy lines also holds (capacity, initial) days of the demand of the
bases its lines deliver to [E]: the forward depot its convoys load from."""

DEPOT_DAYS_WATER = (2.0, 1.0)
"""Water for onward trucking is mostly drawn from daily production, little is stored [E]."""

PORT_STORAGE_DAYS = 7.0
"""Port warehouses hold a week of the daily quantity the port supplies [E]; they start empty."""

FIXED_FUEL_KL_PER_DAY: dict[str, float] = {
    # Generators for airfields, hospitals and water plants, independent of troop numbers [E];
    # modest against the 40-70 m3/day of the Gao platform (factor fuel_hub_with_aviation, FACTS §5).
    "BKO": 3.0,
    "GAO": 5.0,
    "SEV": 2.0,
    "TBU": 2.0,
    "KID": 2.0,
}

LOCAL_WATER_SHARE: dict[str, float] = {
    # Share of the base's own water need that boreholes and purification plants produce each day [E].
    # Local production covers most water in reality; the hubs on the Niger produce a surplus that
    # water tankers carry north and east, the desert camps fall short and must be resupplied.
    "BKO": 1.0,
    "GAO": 1.3,
    "SEV": 1.1,
    "TBU": 1.05,
    "KID": 0.85,
    "TES": 0.8,
    "AGU": 0.75,
    "MEN": 0.8,
    "ANS": 1.0,
    "DOU": 0.8,
    "GDM": 0.85,
    "BER": 0.75,
    "OGO": 0.7,
    "NIM": 1.0,
}
WATER_COST_USD_PER_KL = 2.0
"""Pumping and purification cost of local water [E]."""

IMPORT_COST_USD: dict[str, float] = {
    # Unit cost (USD per t) of dry cargo landed at the ports [E]; fuel: FUEL_COST_USD_PER_KL.
    "RATIONS": 2000.0,
    "MEDICAL": 20000.0,
    "AMMO": 8000.0,
    "CONSTRUCTION": 400.0,
}
LOCAL_PREMIUM = 1.2
"""Bamako and Niamey contractors charge 20 % above port prices for dry cargo [E]."""

SOURCES_PER_DAY: dict[str, dict[str, float]] = {
    # Quantity per day (t or kL) where supplies enter the mission [E]. Dakar carries about three
    # times Abidjan's share of Mali's imports (~80 % vs ~25 %, FACTS §3a, [S] 63, 64); Bamako's
    # contractors and the mission depot add a small local supply, so most of what the mission uses
    # beyond its initial stocks comes up the corridors; Niamey's contractors sell fuel
    # brought up the Cotonou corridor (FACTS Table 1, [S] 62) and feed the escort detachment there.
    "DKR": {"RATIONS": 60, "FUEL": 300, "AMMO": 10, "CONSTRUCTION": 30, "MEDICAL": 4},
    "ABJ": {"RATIONS": 20, "FUEL": 100, "AMMO": 3, "CONSTRUCTION": 10, "MEDICAL": 1.5},
    "BKO": {"RATIONS": 5, "FUEL": 20, "AMMO": 0.5, "CONSTRUCTION": 3, "MEDICAL": 0.5},
    "NIM": {"RATIONS": 1, "FUEL": 150, "AMMO": 0.1, "CONSTRUCTION": 1, "MEDICAL": 0.1},
}
FUEL_COST_USD_PER_KL: dict[str, float] = {
    "DKR": 1190.0,  # UN budgets, low end (FACTS §5)
    "ABJ": 1190.0,
    "BKO": 1360.0,  # UN budgets, high end (FACTS §5): inland contractor price
}
"""Fuel prices where they differ from the import price; Niamey uses factor ``fuel_price``."""


def kidal_force_protection_t_per_day(data: MissionData) -> float:
    """Construction stores for Kidal's force-protection upgrade: build-up minus steady rate."""
    extra_kg = (
        data.factors["construction_defence_buildup"] - data.factors["construction_defence_steady"]
    )
    return round(extra_kg * data.location("KID").troops / 1000, 2)


def mali_demands(data: MissionData) -> tuple[Demand, ...]:
    """Extra requirements on top of troop consumption."""
    return (
        Demand(
            demand_id="MEN-HUM-WATER",
            base_id="MEN",
            supply_id="WATER",
            first_day=1,
            last_day=MALI_HORIZON_DAYS,
            # 500 displaced people at the 20 L/day camp minimum (FACTS §5, [S] 96) [E: headcount].
            quantity_per_day=10.0,
            description="Water distribution to displaced families beside the Ménaka camp.",
        ),
        Demand(
            demand_id="KID-FP-UPGRADE",
            base_id="KID",
            supply_id="CONSTRUCTION",
            first_day=3,
            last_day=MALI_HORIZON_DAYS,
            quantity_per_day=kidal_force_protection_t_per_day(data),
            description=(
                "Force-protection upgrade after rocket attacks on the camp ([S] 14): build-up rate "
                "of Class IV (1.8 kg/person-day) less the steady rate already consumed (0.5)."
            ),
        ),
        Demand(
            demand_id="AGU-AMMO-REPLEN",
            base_id="AGU",
            supply_id="AMMO",
            first_day=4,
            last_day=6,
            quantity_per_day=2.0,  # [E] about a company basic load over three days
            description="Ammunition replenishment after a complex attack on the camp (cf. 2019, 2021).",
        ),
        Demand(
            demand_id="GAO-MED-SURGE",
            base_id="GAO",
            supply_id="MEDICAL",
            first_day=9,
            last_day=15,
            quantity_per_day=0.3,  # [E] casualty surge at the level-II hospital
            description="Casualties of the Tilemsi IED campaign treated at the Gao level-II hospital.",
        ),
    )


# ==================================================================================================
# Mali: routes and threats
# ==================================================================================================

SORTIES_PER_ROUTE_DAY = 4
"""Most flights per day and direction on an air route [E]: apron and air-traffic limits."""
RIVER_CONVOYS_PER_DAY = 2
"""Most boat convoys per day and direction on the river [E]."""


def max_convoys_per_day(mode: Mode, level: int) -> int | None:
    """Traffic limit of a route: escorted roads take one convoy a day, commercial corridors any [E].

    Corridors at threat 1-2 carry 400-700 trucks a day (FACTS §3a, [S] 69); roads at threat 3
    take two convoys a day and escorted roads at threat 4 one (one escort package per axis).
    """
    if mode == Mode.air:
        return SORTIES_PER_ROUTE_DAY
    if mode == Mode.river:
        return RIVER_CONVOYS_PER_DAY
    if level <= 2:
        return None
    return 2 if level == 3 else 1


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def season_window(note: str, start: dt.date) -> tuple[int, int | None]:
    """Open days (first, last) of a link from a season note such as ``"Jul-Dec only"``.

    Days count from ``start`` (day 1); the window is the season running at ``start`` or the next
    one. A note without a month range means open all year: ``(1, None)``.
    """
    words = note.replace("only", "").strip().split("-")
    if len(words) != 2 or not all(w.strip() in MONTHS for w in words):
        return (1, None)
    first_month, last_month = (MONTHS.index(w.strip()) + 1 for w in words)
    for year in (start.year - 1, start.year, start.year + 1):
        opens = dt.date(year, first_month, 1)
        end_year = year if last_month >= first_month else year + 1
        closes = dt.date(end_year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)
        if closes >= start:
            return (max(1, (opens - start).days + 1), (closes - start).days + 1)
    raise ValueError(f"no season window after {start} in {note!r}")


def route_id(link: Link) -> str:
    """Readable route id: both ends and the mode, e.g. ``ANE-KID-ROAD``, ``GAO-KID-AIR``."""
    return f"{link.from_id}-{link.to_id}-{MODE_OF[link.mode].value.upper()}"


def mali_routes(data: MissionData) -> tuple[Route, ...]:
    """Every link of links.csv; the base threat is capped below the closure level.

    The facts' level 5 marks the deadliest axes (FACTS §3); at level 5 a route would be closed all
    month, so the base level is at most 4 and the worst periods are ``Threats`` records.
    """
    routes = []
    for link in data.links:
        mode = MODE_OF[link.mode]
        level = min(link.threat, CLOSURE_LEVEL - 1)
        open_from, season_end = season_window(link.season_note, MALI_START)
        # A season running past the horizon is open to its end: blank, not a day nobody plans.
        open_to = season_end if season_end is not None and season_end <= MALI_HORIZON_DAYS else None
        routes.append(
            Route(
                route_id=route_id(link),
                from_base_id=link.from_id,
                to_base_id=link.to_id,
                mode=mode,
                distance_km=link.km,
                transit_days=link.days,
                two_way=True,
                open_from_day=open_from,
                open_to_day=open_to,
                max_convoys_per_day=max_convoys_per_day(mode, level),
                threat_level=level,
            )
        )
    return tuple(routes)


def mali_threats(data: MissionData) -> tuple[Threat, ...]:
    """The threats active over the horizon, from the incidents of FACTS §3-4."""
    douentza, hombori = data.location("DOU"), data.location("HOM")
    return (
        Threat(
            threat_id="TILEMSI-IED-BOU-ANE",
            threat_type=ThreatType.ied,
            level=5,
            route_id="BOU-ANE-ROAD",
            first_day=8,
            last_day=14,
            description="IED campaign on the Tilemsi axis: mine strikes within 100 km of Gao and near Anefis ([S] 85, 86).",
        ),
        Threat(
            threat_id="TILEMSI-IED-ANE-KID",
            threat_type=ThreatType.ied,
            level=5,
            route_id="ANE-KID-ROAD",
            first_day=8,
            last_day=14,
            description="IED campaign on the Anefis–Kidal road ([S] 13, 14).",
        ),
        Threat(
            threat_id="AGU-TES-IED",
            threat_type=ThreatType.ied,
            level=5,
            route_id="AGU-TES-ROAD",
            first_day=18,
            last_day=22,
            description="IEDs between Aguelhok and Tessalit, as in Oct 2017 and Oct 2022 ([S] 15, 18b).",
        ),
        Threat(
            threat_id="CENTRE-RN16",
            threat_type=ThreatType.ied,
            level=4,
            # Centred between Douentza and Hombori, on the Boni stretch of RN16 ([S] 61).
            latitude_deg=round((douentza.latitude_deg + hombori.latitude_deg) / 2, 3),
            longitude_deg=round((douentza.longitude_deg + hombori.longitude_deg) / 2, 3),
            radius_km=90.0,
            first_day=1,
            last_day=MALI_HORIZON_DAYS,
            description="Central Mali: Boni blockade, IEDs around Douentza and the VBIED threat to its camp ([S] 16, 41, 61, 77).",
        ),
        Threat(
            threat_id="ANS-MEN-AMBUSH",
            threat_type=ThreatType.ambush,
            level=5,
            route_id="ANS-MEN-ROAD",
            first_day=19,
            last_day=23,
            description="IS-Sahel ambushes on the degraded Ansongo–Ménaka road ([S] 40b, 74, 88).",
        ),
        Threat(
            threat_id="KID-INDIRECT-FIRE",
            threat_type=ThreatType.indirect_fire,
            level=4,
            base_id="KID",
            first_day=1,
            last_day=MALI_HORIZON_DAYS,
            description="Rocket and mortar fire on the Kidal camp ([S] 14).",
        ),
        Threat(
            threat_id="AGU-CAMP-ATTACK",
            threat_type=ThreatType.other,
            level=4,
            base_id="AGU",
            first_day=4,
            last_day=10,
            description="Complex attack on the Aguelhok camp, as in Jan 2019 and Apr 2021 ([S] 51-53).",
        ),
        Threat(
            threat_id="TBU-INDIRECT-FIRE",
            threat_type=ThreatType.indirect_fire,
            level=3,
            base_id="TBU",
            first_day=1,
            last_day=MALI_HORIZON_DAYS,
            description="Attacks on the Timbuktu camp and its surroundings ([S] 16, 57).",
        ),
        Threat(
            threat_id="TBU-GDM-AMBUSH",
            threat_type=ThreatType.ambush,
            level=4,
            route_id="TBU-GDM-ROAD",
            first_day=10,
            last_day=20,
            description="Contractor vehicles attacked on the road near Goundam, as in Dec 2021 ([S] 77).",
        ),
    )


def mali_threat_levels() -> tuple[ThreatLevelRule, ...]:
    """Escort rules calibrated on the Aug 2023 Gao–Tessalit convoy (FACTS §4, [S] 42).

    228 trucks went with 19 APCs and 159 personnel: one armoured vehicle per 12 trucks (factor
    ``escort_ratio``) and about 8 troops per vehicle group. At level 4 a 228-truck convoy needs
    16 + 8 x 19 = 168 troops, close to the 159 observed. Commercial corridors at levels 1-2 ran
    unescorted in 2013–2022 (FACTS §3a). Risk weights double per level; garrison uplift as default.
    """
    rows = (
        (1, 0, 0, 1.0, 0),
        (2, 0, 0, 2.0, 0),
        (3, 8, 4, 4.0, 25),
        (4, 16, 8, 8.0, 75),
        (5, 24, 8, 16.0, 150),
    )
    return tuple(
        ThreatLevelRule(
            threat_level=level,
            escort_troops_per_convoy=per_convoy,
            escort_troops_per_group=per_group,
            vehicles_per_escort_group=12,
            risk_weight=risk,
            garrison_uplift_troops=uplift,
        )
        for level, per_convoy, per_group, risk, uplift in rows
    )


# ==================================================================================================
# Mali: vehicles, fleet and convoy lines
# ==================================================================================================


def mali_vehicles(data: MissionData) -> tuple[Vehicle, ...]:
    """Vehicle and aircraft types from the planning factors (payloads, costs; FACTS §3d, §5)."""
    f = data.factors
    diesel = 0.84  # t per kL
    corridor_usd_per_t_km = f["road_cost_corridor"]
    escorted_usd_per_km = f["road_cost_escorted"]
    corridor_truck_t = f["cargo_truck_payload_corridor"]
    corridor_tanker_t = round(f["tanker_civilian_corridor"] / 1000 * diesel, 2)
    military_tanker_t = round(f["tanker_military_north"] / 1000 * diesel, 2)
    return (
        Vehicle(
            vehicle_type_id="TRUCK-20T",
            name="Contracted cargo truck, corridor",
            mode=Mode.road,
            cargo_types=("dry", "water"),
            payload_t=corridor_truck_t,
            cost_usd_per_km=round(corridor_usd_per_t_km * corridor_truck_t, 2),
            crew=1,
        ),
        Vehicle(
            vehicle_type_id="TRUCK-10T",
            name="Cargo truck, northern tracks",
            mode=Mode.road,
            cargo_types=("dry", "water"),
            payload_t=f["cargo_truck_payload_north"],
            cost_usd_per_km=escorted_usd_per_km,
            crew=2,
        ),
        Vehicle(
            vehicle_type_id="TANKER-20KL",
            name="Contracted fuel tanker 20 kL, corridor",
            mode=Mode.road,
            cargo_types=("fuel",),
            payload_t=corridor_tanker_t,
            cost_usd_per_km=round(corridor_usd_per_t_km * corridor_tanker_t, 2),
            crew=1,
        ),
        Vehicle(
            vehicle_type_id="TANKER-10KL",
            name="Military fuel tanker 10 kL",
            mode=Mode.road,
            cargo_types=("fuel",),
            payload_t=military_tanker_t,
            cost_usd_per_km=escorted_usd_per_km,
            crew=2,
        ),
        Vehicle(
            vehicle_type_id="WATER-10KL",
            name="Water tanker 10 kL",
            mode=Mode.road,
            cargo_types=("water",),
            payload_t=10.0,  # [E] same tank as the military fuel tanker, water 1 t/kL
            cost_usd_per_km=escorted_usd_per_km,
            crew=2,
        ),
        Vehicle(
            vehicle_type_id="PINASSE",
            name="River pinasse / barge",
            mode=Mode.river,
            cargo_types=("dry", "fuel"),
            payload_t=40.0,  # [E] motorised pinasse; COMANAV boats run in high water (FACTS §3c)
            cost_usd_per_km=round(corridor_usd_per_t_km / 2 * 40.0, 2),  # [E] half the road rate
            crew=4,
        ),
        Vehicle(
            vehicle_type_id="C-130",
            name="C-130 Hercules",
            mode=Mode.air,
            cargo_types=("dry", "water", "fuel"),
            payload_t=f["c130_payload_planning"],
            cost_usd_per_flight_hour=f["c130_cost"],
            speed_kmh=450.0,  # FACTS §3d
            sorties_per_day=2,  # [E]
            min_airfield_class=AirfieldClass.unpaved_strip,
            crew=5,
            range_km=3800.0,  # FACTS §5 (C-130H range about 3,800 km)
        ),
        Vehicle(
            vehicle_type_id="MI-17",
            name="Mi-17 utility helicopter",
            mode=Mode.air,
            cargo_types=("dry", "water"),
            payload_t=f["mi17_payload"],
            cost_usd_per_flight_hour=f["mi8_cost"],
            speed_kmh=220.0,  # FACTS §3d
            sorties_per_day=3,  # [E]
            min_airfield_class=AirfieldClass.helipad,
            crew=3,
            range_km=465.0,  # FACTS §3d: Mi-8 transport radius with reserves, [S] 91
        ),
        Vehicle(
            vehicle_type_id="MI-8",
            name="Mi-8 utility helicopter",
            mode=Mode.air,
            cargo_types=("dry", "water"),
            payload_t=f["mi8_payload"],
            cost_usd_per_flight_hour=f["mi8_cost"],
            speed_kmh=220.0,  # FACTS §3d
            sorties_per_day=3,  # [E]
            min_airfield_class=AirfieldClass.helipad,
            crew=3,
            range_km=465.0,  # FACTS §3d: Mi-8 transport radius with reserves, [S] 91
        ),
    )


MALI_FLEET: tuple[tuple[str, str, int], ...] = (
    # (home base, vehicle type, count), all [E]. Contracted corridor fleets at the ports and Bamako
    # (400-700 trucks a day use the Dakar corridor, FACTS §3a); combat-convoy and contracted
    # northern fleets at Sévaré, Gao and Timbuktu (the Sri Lankan CCC alone has 18 trucks, and a
    # Gao–Tessalit convoy escorted 228 contractor trucks, FACTS §4); escorted tankers at Niamey.
    ("DKR", "TRUCK-20T", 30),
    ("DKR", "TANKER-20KL", 50),
    ("ABJ", "TRUCK-20T", 10),
    ("ABJ", "TANKER-20KL", 20),
    ("BKO", "TRUCK-20T", 30),
    ("BKO", "TANKER-20KL", 40),
    ("SEV", "TRUCK-10T", 40),
    ("SEV", "TANKER-10KL", 30),
    ("SEV", "WATER-10KL", 6),
    ("SEV", "PINASSE", 8),
    ("GAO", "TRUCK-10T", 60),
    ("GAO", "TANKER-10KL", 30),
    ("GAO", "WATER-10KL", 12),
    ("TBU", "TRUCK-10T", 12),
    ("TBU", "TANKER-10KL", 6),
    ("TBU", "WATER-10KL", 4),
    ("NIM", "TANKER-20KL", 20),
    # Aircraft: 16 military helicopters in mid-2016, 8-12 available a day (FACTS §1, §5), of which
    # six are cargo helicopters here; Kidal keeps two (helicopter-only supply for three years,
    # [S] 46); the 2022 plan put a helicopter unit at Mopti ([S] 8). One C-130 each at Bamako and
    # Gao: the mission's own fixed-wing lift, strategic charters left out.
    ("BKO", "C-130", 1),
    ("GAO", "C-130", 1),
    ("GAO", "MI-17", 2),
    ("SEV", "MI-8", 1),
    ("TBU", "MI-8", 1),
    ("KID", "MI-8", 2),
)

MALI_LINES: tuple[tuple[str, str, str, str, Mode, int, int, int, int], ...] = (
    # (line, origin, destination, via bases, mode, first day, every N days, min, max vehicles)
    # Commercial corridors into Bamako: daily departures (FACTS §3a).
    ("DKR-BKO", "DKR", "BKO", "", Mode.road, 1, 1, 5, 40),
    ("ABJ-BKO", "ABJ", "BKO", "", Mode.road, 1, 1, 5, 20),
    ("BKO-SEV", "BKO", "SEV", "", Mode.road, 1, 2, 5, 40),
    # Escorted lines: northern camps were resupplied about monthly (factor
    # remote_camp_resupply_interval); over a 28-day horizon a weekly slot lets the plan choose.
    ("SEV-GAO-RN16", "SEV", "GAO", "DOU;GOS", Mode.road, 2, 7, 10, 60),
    ("SEV-OGO", "SEV", "OGO", "", Mode.road, 3, 7, 2, 15),
    ("SEV-TBU-ROAD", "SEV", "TBU", "DOU", Mode.road, 5, 7, 5, 30),
    ("GAO-KID", "GAO", "KID", "BOU;ANE", Mode.road, 2, 7, 10, 60),
    ("GAO-TES", "GAO", "TES", "BOU;ANE;KID;AGU", Mode.road, 1, 7, 10, 80),
    ("GAO-MEN", "GAO", "MEN", "ANS", Mode.road, 3, 7, 10, 50),  # ~50 vehicles ([S] 12)
    ("NIM-GAO-FUEL", "NIM", "GAO", "ANS", Mode.road, 1, 2, 5, 20),
    ("TBU-GDM", "TBU", "GDM", "", Mode.road, 2, 7, 2, 15),
    ("TBU-BER", "TBU", "BER", "", Mode.road, 4, 7, 2, 15),
    # Niger river, high-water season: pinasses Mopti–Timbuktu in 3 days (FACTS §3c, [S] 89).
    ("SEV-TBU-RIVER", "SEV", "TBU", "", Mode.river, 1, 3, 1, 8),
    # Air: a sortie is one vehicle; the most per day is the origin's aircraft x sorties a day.
    ("AIR-BKO-GAO", "BKO", "GAO", "", Mode.air, 1, 1, 1, 4),
    ("AIR-BKO-TBU", "BKO", "TBU", "", Mode.air, 1, 1, 1, 4),
    ("AIR-BKO-SEV", "BKO", "SEV", "", Mode.air, 1, 1, 1, 4),
    ("AIR-GAO-KID", "GAO", "KID", "", Mode.air, 1, 1, 1, 4),
    ("AIR-GAO-TES", "GAO", "TES", "", Mode.air, 1, 1, 1, 4),
    ("AIR-GAO-MEN", "GAO", "MEN", "", Mode.air, 1, 1, 1, 4),
    ("AIR-GAO-ANS", "GAO", "ANS", "", Mode.air, 1, 1, 1, 4),
    ("AIR-KID-AGU", "KID", "AGU", "", Mode.air, 1, 1, 1, 4),
    ("AIR-KID-TES", "KID", "TES", "", Mode.air, 1, 1, 1, 4),
    ("AIR-TBU-BER", "TBU", "BER", "", Mode.air, 1, 1, 1, 4),
    ("AIR-TBU-GDM", "TBU", "GDM", "", Mode.air, 1, 1, 1, 4),
    ("AIR-SEV-DOU", "SEV", "DOU", "", Mode.air, 1, 1, 1, 4),
    ("AIR-SEV-OGO", "SEV", "OGO", "", Mode.air, 1, 1, 1, 4),
)


def mali_convoys() -> tuple[ConvoyLine, ...]:
    """The standing convoy and air lines of ``MALI_LINES``."""
    return tuple(
        ConvoyLine(
            line_id=line_id,
            origin_base_id=origin,
            destination_base_id=destination,
            via_base_ids=tuple(v for v in via.split(";") if v),
            mode=mode,
            first_departure_day=first,
            every_days=every,
            min_vehicles=low,
            max_vehicles=high,
        )
        for line_id, origin, destination, via, mode, first, every, low, high in MALI_LINES
    )


def line_served_bases(lines: Iterable[ConvoyLine]) -> dict[str, set[str]]:
    """For each line origin, the bases its lines deliver to (via bases and destination)."""
    served: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        served[line.origin_base_id].update((*line.via_base_ids, line.destination_base_id))
    return served


# ==================================================================================================
# Mali: troop units
# ==================================================================================================

# National caveats (allowed sectors) per contributing country [E]; blank = any sector. Chad served
# in the North, Burkina Faso in the Timbuktu region, Niger in the East (FACTS §1, §4); the convoy
# units of Egypt and Sri Lanka ran Mopti–Gao–Tessalit (FACTS §4).
CAVEATS: dict[str, str] = {
    "Multinational": "",
    "Bangladesh": "",
    "Nepal": "",
    "Burkina Faso": "West",
    "Chad": "North",
    "China": "East",
    "Côte d'Ivoire": "West",
    "Egypt": "Centre;East;North",
    "El Salvador": "West",
    "Germany": "East",
    "Guinea": "North",
    "Niger": "East;EXT",
    "Norway": "HQ",
    "Senegal": "Centre;HQ",
    "Sri Lanka": "Centre;East;North",
    "Togo": "Centre",
}

# fmt: off
MALI_UNITS: tuple[tuple[str, str, str, UnitType, int, str, bool, bool], ...] = (
    # (unit, name, country, type, strength, base, may move, escort capable). Strengths [E] unless a
    # source is given; per base they add up to the typical troops of locations.csv (FACTS Table 1).
    # The battalion holding a camp stays for the month, as do HQs, police, aviation and logistics
    # units; companies, quick-reaction, convoy and engineer units are the ones the plan may move.
    # Bamako (1,000): Force HQ (421 staff officers mission-wide, FACTS §1) and its support.
    ("FHQ-STAFF",      "Force HQ staff, signals and military police",       "Multinational",  UnitType.headquarters,     370,   "BKO",  False,  False),
    ("BKO-NPL-SEC",    "Force HQ security company",                         "Nepal",          UnitType.infantry,         200,   "BKO",  True,   True),
    ("BKO-BGD-TPT",    "Transport company",                                 "Bangladesh",     UnitType.logistics,        220,   "BKO",  False,  False),
    ("BKO-SEN-FPU",    "Formed police unit, Bamako",                        "Senegal",        UnitType.formed_police,    140,   "BKO",  False,  False),
    ("BKO-NOR-AVN",    "C-130 detachment (rotation)",                       "Norway",         UnitType.aviation,         70,    "BKO",  False,  False),
    # Gao (4,000): Sector East HQ and the main logistics hub.
    ("SEC-EAST-HQ",    "Sector East HQ",                                    "Multinational",  UnitType.headquarters,     120,   "GAO",  False,  False),
    ("GAO-EGY-CCB",    "Combat convoy battalion",                           "Egypt",          UnitType.convoy_escort,    460,   "GAO",  True,   True),  # >460 left in 2023 ([S] 21)
    ("GAO-LKA-CCC",    "Combat convoy company",                             "Sri Lanka",      UnitType.convoy_escort,    243,   "GAO",  True,   True),  # [S] 40
    ("GAO-DEU-ISR",    "ISR task force (UAV and reconnaissance)",           "Germany",        UnitType.aviation,         900,   "GAO",  False,  False),  # Camp Castor ([S] 10)
    ("GAO-BGD-AVN",    "Utility helicopter unit (Mi-17)",                   "Bangladesh",     UnitType.aviation,         140,   "GAO",  False,  False),
    ("GAO-BGD-BN",     "Mechanised infantry battalion",                     "Bangladesh",     UnitType.mechanised,       850,   "GAO",  False,   False),
    ("GAO-BGD-QRC",    "Quick reaction company (mine-protected vehicles)",  "Bangladesh",     UnitType.quick_reaction,   250,   "GAO",  True,   True),  # 250 per company ([S] 8)
    ("GAO-BGD-ENG",    "Engineer company",                                  "Bangladesh",     UnitType.engineer,         180,   "GAO",  True,   False),
    ("GAO-BGD-LOG",    "Transport and supply company",                      "Bangladesh",     UnitType.logistics,        170,   "GAO",  False,  False),
    ("GAO-CHN-ENG",    "Engineer company",                                  "China",          UnitType.engineer,         155,   "GAO",  True,   False),
    ("GAO-CHN-GRD",    "Force protection company",                          "China",          UnitType.infantry,         170,   "GAO",  False,  False),
    ("GAO-CHN-MED",    "Level-II hospital",                                 "China",          UnitType.medical,          70,    "GAO",  False,  False),
    ("GAO-EGY-FPU",    "Formed police unit, Gao",                           "Egypt",          UnitType.formed_police,    140,   "GAO",  False,  False),  # 144 police ([S] 21)
    # Sévaré / Mopti (1,500): Sector Centre HQ.
    ("SEC-CENTRE-HQ",  "Sector Centre HQ",                                  "Multinational",  UnitType.headquarters,     100,   "SEV",  False,  False),
    ("SEV-SEN-BN",     "Infantry battalion",                                "Senegal",        UnitType.infantry,         650,   "SEV",  False,   False),  # [S] 39
    ("SEV-SEN-QRC",    "Quick reaction company",                            "Senegal",        UnitType.quick_reaction,   250,   "SEV",  True,   True),
    ("SEV-EGY-CCC",    "Combat convoy company",                             "Egypt",          UnitType.convoy_escort,    110,   "SEV",  True,   True),  # [S] 22
    ("SEV-BGD-ENG",    "Engineer company",                                  "Bangladesh",     UnitType.engineer,         150,   "SEV",  True,   False),  # [S] 25
    ("SEV-BGD-AVN",    "Utility helicopter detachment (Mi-8)",              "Bangladesh",     UnitType.aviation,         100,   "SEV",  False,  False),
    ("SEV-TGO-FPU",    "Formed police unit, Mopti",                         "Togo",           UnitType.formed_police,    140,   "SEV",  False,  False),
    ("OGO-SEN-COY",    "Infantry company, Ogossagou",                       "Senegal",        UnitType.infantry,         150,   "OGO",  True,   False),  # [S] 58
    ("DOU-TGO-BN",     "Infantry battalion",                                "Togo",           UnitType.infantry,         650,   "DOU",  False,   False),  # [S] 1c
    # Timbuktu (1,600): Sector West HQ; Burkina Faso 1,723 in the region in 2018 ([S] 28).
    ("SEC-WEST-HQ",    "Sector West HQ",                                    "Multinational",  UnitType.headquarters,     80,    "TBU",  False,  False),
    ("TBU-BFA-BN",     "Infantry battalion",                                "Burkina Faso",   UnitType.infantry,         850,   "TBU",  False,   True),  # convoy security ([S] 28)
    ("TBU-BFA-QRC",    "Quick reaction company",                            "Burkina Faso",   UnitType.quick_reaction,   250,   "TBU",  True,   True),
    ("TBU-BFA-LOG",    "Logistics company",                                 "Burkina Faso",   UnitType.logistics,        150,   "TBU",  False,  False),
    ("TBU-SLV-AVN",    "Helicopter unit (MD500)",                           "El Salvador",    UnitType.aviation,         90,    "TBU",  False,  False),  # [S] 36b
    ("TBU-BGD-FPU",    "Formed police unit, Timbuktu",                      "Bangladesh",     UnitType.formed_police,    140,   "TBU",  False,  False),
    ("GDM-CIV-COY",    "Infantry company, Goundam",                         "Côte d'Ivoire",  UnitType.infantry,         160,   "GDM",  True,   False),  # [S] 57
    ("GDM-BGD-FPU",    "Formed police unit, Goundam",                       "Bangladesh",     UnitType.formed_police,    140,   "GDM",  False,  False),  # [S] 57
    ("BER-BFA-COY",    "Infantry company, Ber",                             "Burkina Faso",   UnitType.infantry,         200,   "BER",  True,   False),  # [S] 57
    # Kidal (1,300): Sector North HQ; Chad 1,456 at Kidal, Tessalit and Aguelhok ([S] 19).
    ("SEC-NORTH-HQ",   "Sector North HQ",                                   "Multinational",  UnitType.headquarters,     80,    "KID",  False,  False),
    ("KID-CHD-BN",     "Infantry battalion (-)",                            "Chad",           UnitType.infantry,         500,   "KID",  False,   True),  # escorts on the Tilemsi axis ([S] 18b)
    ("KID-GIN-BN",     "Infantry battalion",                                "Guinea",         UnitType.infantry,         450,   "KID",  False,   False),  # [S] 43
    ("KID-NPL-COY",    "Infantry company",                                  "Nepal",          UnitType.infantry,         170,   "KID",  True,   False),  # [S] 43
    ("KID-BGD-ENG",    "Engineer company (-), runway maintenance",          "Bangladesh",     UnitType.engineer,         100,   "KID",  True,   False),
    ("TES-CHD-BN",     "Infantry battalion",                                "Chad",           UnitType.infantry,         700,   "TES",  False,   True),  # [S] 1c
    ("AGU-CHD-COY",    "Infantry company",                                  "Chad",           UnitType.infantry,         200,   "AGU",  True,   True),  # [S] 52
    ("AGU-BGD-ENG",    "Engineer platoon",                                  "Bangladesh",     UnitType.engineer,         50,    "AGU",  True,   False),  # [S] 52
    # East: Niger escorted Gao–Ansongo–Ménaka ([S] 12) and the Niamey fuel convoys ([S] 62).
    ("MEN-NER-BN",     "Infantry battalion, Ménaka",                        "Niger",          UnitType.infantry,         650,   "MEN",  False,   True),
    ("ANS-NER-BN",     "Infantry battalion (-), Ansongo",                   "Niger",          UnitType.infantry,         450,   "ANS",  False,   True),
    ("NIM-NER-ESC",    "Convoy escort detachment, Niamey staging",          "Niger",          UnitType.convoy_escort,    120,   "NIM",  False,  True),
)
# fmt: on


def mali_units() -> tuple[Unit, ...]:
    """The troop units of ``MALI_UNITS`` with their country's caveats."""
    return tuple(
        Unit(
            unit_id=unit_id,
            name=name,
            country=country,
            unit_type=unit_type,
            strength=strength,
            current_base_id=base,
            may_move=may_move,
            allowed_sectors=tuple(s for s in CAVEATS[country].split(";") if s),
            escort_capable=escort,
        )
        for unit_id, name, country, unit_type, strength, base, may_move, escort in MALI_UNITS
    )


# ==================================================================================================
# Mali: bases, stocks and sources (derived from the tables above)
# ==================================================================================================


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step - 1e-9) * step)


def mali_bases(data: MissionData, units: Iterable[Unit]) -> tuple[Base, ...]:
    """Every location a link touches (Hombori, on no link, only centres a threat area)."""
    linked = {link.from_id for link in data.links} | {link.to_id for link in data.links}
    housed = troops_by_base(units)
    bases = []
    for loc in data.locations:
        if loc.location_id not in linked:
            continue
        kind = KIND_OF_TYPE[loc.type]
        troops = max(loc.troops, housed.get(loc.location_id, 0))
        lives_there = kind not in (BaseKind.port, BaseKind.waypoint) and troops > 0
        bases.append(
            Base(
                base_id=loc.location_id,
                name=loc.name,
                kind=kind,
                sector=loc.sector,
                latitude_deg=loc.latitude_deg,
                longitude_deg=loc.longitude_deg,
                accommodation_troops=(
                    _round_up(troops * ACCOMMODATION_HEADROOM, 50) if lives_there else 0
                ),
                min_garrison_troops=round(loc.troops * MIN_GARRISON_SHARE, -1)
                if lives_there
                else 0,
                airfield_class=AIRFIELD_OF[loc.airfield],
            )
        )
    return tuple(bases)


def troops_by_base(units: Iterable[Unit]) -> dict[str, int]:
    """Troops stationed at each base."""
    troops: dict[str, int] = defaultdict(int)
    for unit in units:
        troops[unit.current_base_id] += unit.strength
    return dict(troops)


def daily_demand(
    base: Base, supply_id: str, troops: int, consumption: Iterable[Consumption]
) -> float:
    """Demand of a base for a class per day: troops x the rate for its kind, plus fixed demand."""
    rates = {(c.supply_id, c.base_kind): c.quantity_per_person_day for c in consumption}
    rate = rates.get((supply_id, base.kind), rates.get((supply_id, None), 0.0))
    fixed = FIXED_FUEL_KL_PER_DAY.get(base.base_id, 0.0) if supply_id == "FUEL" else 0.0
    return troops * rate + fixed


def mali_stocks(
    bases: Iterable[Base],
    supplies: Iterable[Supply],
    consumption: tuple[Consumption, ...],
    troops: Mapping[str, int],
    served: Mapping[str, set[str]],
) -> tuple[Stock, ...]:
    """Stocks at every base with troops (own days plus depot days) and at the supplying ports."""
    by_id = {b.base_id: b for b in bases}
    stocks = []
    for base in by_id.values():
        for supply in supplies:
            k = supply.supply_id
            if base.kind == BaseKind.port:
                per_day = SOURCES_PER_DAY.get(base.base_id, {}).get(k)
                if per_day is not None:
                    stocks.append(
                        Stock(
                            base_id=base.base_id, supply_id=k, capacity=PORT_STORAGE_DAYS * per_day
                        )
                    )
                continue
            own = daily_demand(base, k, troops.get(base.base_id, 0), consumption)
            if own <= 0:
                continue
            customers = sum(
                daily_demand(by_id[c], k, troops.get(c, 0), consumption)
                for c in served.get(base.base_id, ())
            )
            own_days, depot_days = (
                (WATER_STOCK_DAYS, DEPOT_DAYS_WATER)
                if k == "WATER"
                else (STOCK_DAYS[base.kind], DEPOT_DAYS)
            )
            stocks.append(
                Stock(
                    base_id=base.base_id,
                    supply_id=k,
                    capacity=round(own_days[0] * own + depot_days[0] * customers, 1),
                    initial_stock=round(own_days[1] * own + depot_days[1] * customers, 1),
                    fixed_demand_per_day=FIXED_FUEL_KL_PER_DAY.get(base.base_id, 0.0)
                    if k == "FUEL"
                    else 0.0,
                )
            )
    return tuple(stocks)


def mali_sources(
    data: MissionData,
    bases: Iterable[Base],
    consumption: tuple[Consumption, ...],
    troops: Mapping[str, int],
) -> tuple[Source, ...]:
    """Imports at the ports, Bamako and Niamey contractors, and local water at every camp."""
    sources = []
    for base_id, quantities in SOURCES_PER_DAY.items():
        local = base_id in ("BKO", "NIM")
        for k, per_day in quantities.items():
            if k == "FUEL":
                cost = FUEL_COST_USD_PER_KL.get(base_id, data.factors["fuel_price"] * 1000)
            else:
                cost = IMPORT_COST_USD[k] * (LOCAL_PREMIUM if local else 1.0)
            sources.append(
                Source(base_id=base_id, supply_id=k, quantity_per_day=per_day, unit_cost_usd=cost)
            )
    for base in bases:
        share = LOCAL_WATER_SHARE.get(base.base_id)
        if share is None:
            continue
        need = daily_demand(base, "WATER", troops.get(base.base_id, 0), consumption)
        sources.append(
            Source(
                base_id=base.base_id,
                supply_id="WATER",
                quantity_per_day=round(share * need, 1),
                unit_cost_usd=WATER_COST_USD_PER_KL,
            )
        )
    return tuple(sources)


def build_mali(data_dir: Path = MALI_DATA_DIR) -> Scenario:
    """The MINUSMA-style mission: 28 days of sustainment from 1 November 2021 (dry season)."""
    data = read_mission_data(data_dir)
    units = mali_units()
    supplies = mali_supplies(data)
    consumption = mali_consumption(data)
    bases = mali_bases(data, units)
    convoys = mali_convoys()
    troops = troops_by_base(units)
    return Scenario(
        settings=Settings(
            scenario_name="MINUSMA sustainment, dry season (November 2021)",
            start_date=MALI_START,
            horizon_days=MALI_HORIZON_DAYS,
            route_closure_threat_level=CLOSURE_LEVEL,
            relocation_cost_usd_per_troop_km=RELOCATION_USD_PER_TROOP_KM,
            time_limit_s=300.0,
            mip_gap_pct=1.0,
        ),
        supplies=supplies,
        consumption=consumption,
        bases=bases,
        stocks=mali_stocks(bases, supplies, consumption, troops, line_served_bases(convoys)),
        sources=mali_sources(data, bases, consumption, troops),
        demands=mali_demands(data),
        routes=mali_routes(data),
        vehicles=mali_vehicles(data),
        fleet=tuple(FleetEntry(base_id=b, vehicle_type_id=v, count=n) for b, v, n in MALI_FLEET),
        convoys=convoys,
        threats=mali_threats(data),
        threat_levels=mali_threat_levels(),
        units=units,
    )


# ==================================================================================================
# Tiny: a mission whose optimum is worked out by hand
# ==================================================================================================


def build_tiny() -> Scenario:
    """One hub, two camps and one water tanker over six days; the optimal plan by hand.

    **Data.** Water (kL, 1 t/kL, priority 1, so a kL short costs 1000 x 2**(5-1) = 16,000; no
    safety stock). Every person drinks 0.05 kL a day. HUB houses 100 troops, CAMP-A 200 (two
    units) and CAMP-B 200; nobody may move and each base's minimum garrison is what it has, so
    the garrison term is 0. Demand: HUB 5 kL/day, each camp 10 kL/day. The hub's borehole gives
    up to 30 kL/day at 10 USD/kL; the hub starts empty. Each camp stores 20 kL and starts with 10.
    One 20 kL tanker (payload 20 t, 2 USD/km) lives at the hub. Roads HUB–CAMP-A 60 km and
    HUB–CAMP-B 90 km, 0.5 days each way, threat level 1 (risk weight 1, no escort). Lines L-A
    and L-B may depart any day: a convoy leaving on day t unloads on day t+1 (ceil 0.5) and the
    tanker is home again on day t+1 (ceil 2 x 0.5 = 1), so it makes one trip a day, to one camp.
    Departures on day 6 would arrive after the horizon, so trips leave on days 1..5.

    **Shortfall.** Each camp's initial 10 kL covers its day 1. On day 2 both camps need 10 kL but
    only the day-1 trip arrives, at one camp: 10 kL short at the other, whatever the plan. Days
    2-6 need 2 x 50 = 100 kL; with 10 short, 90 kL must arrive, so at least 5 trips of at most
    20 kL: all five days 1..5. Storage (20 kL, of which 10 are drunk on arrival day) lets a 20 kL
    delivery cover exactly its arrival day and the next, so after day 2 the tanker must alternate.

    **Which camp first.** Serving CAMP-A first (B short on day 2) gives A trips on days 1, 3, 5
    and B trips on days 2, 4; serving B first gives three trips of 180 km instead of 120. A first
    is cheaper, so the unique optimum is:

    =====  ======  ============  ============  ===========================
    depart  line   arrives       cargo (kL)    camp stock after the day
    =====  ======  ============  ============  ===========================
    1      L-A     A, day 2      20            A 10
    2      L-B     B, day 3      20            B 10 (B short 10 on day 2)
    3      L-A     A, day 4      20            A 10
    4      L-B     B, day 5      20            B 10
    5      L-A     A, day 6      10            A 0, B 0
    =====  ======  ============  ============  ===========================

    Under the default ``priorities`` objective the shortfall comes first, and it is the same
    10 kL on day 2 in every plan; exposure comes next and decides A first (720 km against 900).

    **Objective** with the default weights (a shortfall on day t of 6 weighs
    1 + (6 - t) / 12, so 4/3 on day 2):

    * shortfall: 10 kL x 16 x 1000 x 4/3 = 213,333.33;
    * garrison and safety stock: 0;
    * exposure: 0.01 x (3 x 120 km + 2 x 180 km) x risk 1 = 0.01 x 720 = 7.2;
    * cost: 0.001 x (tanker 720 km x 2 USD = 1,440 USD + water drawn 90 kL carried + 30 kL drunk
      at the hub = 120 kL x 10 USD = 1,200 USD) = 0.001 x 2,640 = 2.64;

    total 213,343.17 (B first would cost 213,343.89). The days on which the hub draws its water
    are free (it may store up to 40 kL), only the total of 120 kL is fixed. The MIP gap is set to 0
    so that the solver proves this optimum rather than stopping near it.
    """
    water = Supply(
        supply_id="WATER",
        name="Water",
        unit=SupplyUnit.kL,
        mass_t_per_unit=1.0,
        cargo_type=CargoType.water,
        priority=1,
        safety_stock_days=0.0,
    )
    bases = (
        # Coordinates about 60 km east and 90 km north of the hub, matching the road lengths.
        ("HUB", "Logistics hub", BaseKind.hub, 14.0, -4.0, 150, 100),
        ("CAMP-A", "Camp Alpha", BaseKind.camp, 14.0, -3.444, 250, 200),
        ("CAMP-B", "Camp Bravo", BaseKind.camp, 14.81, -4.0, 250, 200),
    )
    roads = (("HUB-A", "CAMP-A", 60.0), ("HUB-B", "CAMP-B", 90.0))
    units = (
        ("HQ-COY", "Hub headquarters company", "HUB", 100),
        ("A-COY-1", "Infantry company 1", "CAMP-A", 120),
        ("A-COY-2", "Infantry company 2", "CAMP-A", 80),
        ("B-BN", "Infantry battalion (-)", "CAMP-B", 200),
    )
    return Scenario(
        settings=Settings(
            scenario_name="Tiny hand-checked mission",
            start_date=dt.date(2024, 1, 1),
            horizon_days=6,
            time_limit_s=30.0,
            mip_gap_pct=0.0,
        ),
        supplies=(water,),
        consumption=(Consumption(supply_id="WATER", quantity_per_person_day=0.05),),
        bases=tuple(
            Base(
                base_id=base_id,
                name=name,
                kind=kind,
                sector="Centre",
                latitude_deg=lat,
                longitude_deg=lon,
                accommodation_troops=accommodation,
                min_garrison_troops=garrison,
                airfield_class=AirfieldClass.none,
            )
            for base_id, name, kind, lat, lon, accommodation, garrison in bases
        ),
        stocks=(
            Stock(base_id="HUB", supply_id="WATER", capacity=40.0, initial_stock=0.0),
            Stock(base_id="CAMP-A", supply_id="WATER", capacity=20.0, initial_stock=10.0),
            Stock(base_id="CAMP-B", supply_id="WATER", capacity=20.0, initial_stock=10.0),
        ),
        sources=(
            Source(base_id="HUB", supply_id="WATER", quantity_per_day=30.0, unit_cost_usd=10.0),
        ),
        routes=tuple(
            Route(
                route_id=rid,
                from_base_id="HUB",
                to_base_id=camp,
                mode=Mode.road,
                distance_km=km,
                transit_days=0.5,
                threat_level=1,
            )
            for rid, camp, km in roads
        ),
        vehicles=(
            Vehicle(
                vehicle_type_id="TANKER",
                name="Water tanker 20 kL",
                mode=Mode.road,
                cargo_types=("water",),
                payload_t=20.0,
                cost_usd_per_km=2.0,
                crew=2,
            ),
        ),
        fleet=(FleetEntry(base_id="HUB", vehicle_type_id="TANKER", count=1),),
        convoys=tuple(
            ConvoyLine(
                line_id=line_id,
                origin_base_id="HUB",
                destination_base_id=camp,
                mode=Mode.road,
                min_vehicles=1,
                max_vehicles=1,
            )
            for line_id, camp in (("L-A", "CAMP-A"), ("L-B", "CAMP-B"))
        ),
        units=tuple(
            Unit(
                unit_id=unit_id,
                name=name,
                country="Testland",
                unit_type=UnitType.infantry,
                strength=strength,
                current_base_id=base,
                may_move=False,
            )
            for unit_id, name, base, strength in units
        ),
    )


# ==================================================================================================
# Mali: what-if scenarios
# ==================================================================================================

ScenarioRow = tuple[str, str, str, str, Any, int | None, int | None, str]
"""(scenario, sheet, id, field, value, first_day, last_day, description): one Scenarios row."""

SCENARIO_SHEET_COLUMNS = (
    SCENARIO_COLUMN,
    "sheet",
    "id",
    "field",
    SCENARIO_VALUE_COLUMN,
    "first_day",
    "last_day",
    "description",
)

GAO_KIDAL_AXIS = ("GAO-BOU-ROAD", "BOU-ANE-ROAD", "ANE-KID-ROAD")
"""The Tilemsi road from Gao to Kidal via Bourem and Anéfis (FACTS §3: 352 km, a week in 2023)."""
NIAMEY_CORRIDOR = ("NIM-ANS-ROAD", "NIM-GAO-AIR")
"""Fuel from Niamey by road through Ansongo, and the Niamey–Gao air bridge (FACTS §4, [S] 62)."""
NORTH_WATER_UPLIFT = 0.3
"""Extra water in Sector North in the heat scenario, as a share of the troops' consumption [E]."""
LOST_TANKERS = 20
"""Tankers in one transport company [E]; Gao keeps the rest of its 10 kL tankers."""


def mali_scenario_rows(mali: Scenario) -> list[ScenarioRow]:
    """The changes of the Mali what-ifs, one Scenarios row each."""
    horizon = mali.settings.horizon_days
    closure = mali.settings.route_closure_threat_level
    gao_tankers = next(
        entry.count
        for entry in mali.fleet
        if (entry.base_id, entry.vehicle_type_id) == ("GAO", "TANKER-10KL")
    )
    air_routes = [route.route_id for route in mali.routes if route.mode is Mode.air]
    rows: list[ScenarioRow] = [
        (
            "rains-dou-tbu",
            "Routes",
            "DOU-TBU-ROAD",
            "open",
            "no",
            10,
            horizon,
            "Out-of-season rains wash out the sandy Douentza–Timbuktu track: closed from day 10 to the end.",
        ),
        *(
            (
                "gao-kidal-level5",
                "Routes",
                route_id,
                "threat_level",
                closure,
                5,
                18,
                "IED campaign on the Tilemsi axis: Gao–Kidal road at the closure level on days 5–18.",
            )
            for route_id in GAO_KIDAL_AXIS
        ),
        (
            "chad-leaves-tessalit",
            "Units",
            "TES-CHD-BN",
            WHOLE_RECORD,
            REMOVE,
            None,
            None,
            "The Chadian battalion at Tessalit is withdrawn: the camp's garrison must come from elsewhere.",
        ),
        *(
            (
                "no-flights",
                "Routes",
                route_id,
                "open",
                "no",
                None,
                None,
                "The host nation refuses flight clearances (as in 2022): every air route closed.",
            )
            for route_id in air_routes
        ),
        (
            "gao-tanker-coy-lost",
            "Fleet",
            "GAO/TANKER-10KL",
            "count",
            gao_tankers - LOST_TANKERS,
            None,
            None,
            f"A fuel tanker company ({LOST_TANKERS} tankers) is lost at Gao: ambush losses and repatriation.",
        ),
        *(
            (
                "niamey-corridor-closed",
                "Routes",
                route_id,
                "open",
                "no",
                None,
                None,
                "Niger closes the border: no fuel by road from Niamey and no Niamey–Gao flights.",
            )
            for route_id in NIAMEY_CORRIDOR
        ),
    ]
    return rows


def mali_scenario_demands(mali: Scenario) -> list[tuple[str, Demand]]:
    """(scenario, demand) added by the North water what-if: 30 % more water at each North camp."""
    troops = troops_by_base(mali.units)
    rates = {
        c.base_kind: c.quantity_per_person_day for c in mali.consumption if c.supply_id == "WATER"
    }
    demands = []
    for base in mali.bases:
        if base.sector != "North" or not troops.get(base.base_id):
            continue
        rate = rates.get(base.kind, rates[None])
        demands.append(
            (
                "north-water-plus30",
                Demand(
                    demand_id=f"{base.base_id}-WATER-HEAT",
                    base_id=base.base_id,
                    supply_id="WATER",
                    quantity_per_day=round(NORTH_WATER_UPLIFT * troops[base.base_id] * rate, 1),
                    description=(
                        "Heat and water shared with displaced people: 30 % above the troops' "
                        f"{rate * 1000:.0f} L per person per day in Sector North."
                    ),
                ),
            )
        )
    return demands


def _write_sheet(sheet: Worksheet, headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """A header row in the template's style, frozen, and the rows under it."""
    for column, header in enumerate(headers, start=1):
        cell = write_cell(sheet, 1, column, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = max(14, len(header) + 4)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            write_cell(sheet, number, column, value)
    sheet.freeze_panes = "A2"


def build_mali_scenarios(mali: Scenario | None = None) -> Workbook:
    """The what-if workbook of the Mali mission: a Scenarios sheet and the Demands it adds."""
    mali = mali or build_mali()
    workbook = Workbook()
    workbook.remove(workbook.active)
    scenarios = workbook.create_sheet(SCENARIOS_SHEET.name)
    _write_sheet(scenarios, SCENARIO_SHEET_COLUMNS, mali_scenario_rows(mali))
    scenarios.column_dimensions["H"].width = 100
    demands = workbook.create_sheet("Demands")
    columns = SHEET_BY_NAME["Demands"].columns
    _write_sheet(
        demands,
        (SCENARIO_COLUMN, *columns),
        (
            (name, *(getattr(demand, column) for column in columns))
            for name, demand in mali_scenario_demands(mali)
        ),
    )
    return workbook


# ==================================================================================================
# Writing
# ==================================================================================================


def main() -> None:
    """Write the mission, what-if and template workbooks of ``inputs/``."""
    INPUTS_DIR.mkdir(exist_ok=True)
    mali = build_mali()
    write_input_workbook(mali, INPUTS_DIR / "mali.xlsx")
    save_atomically(build_mali_scenarios(mali), INPUTS_DIR / "mali-scenarios.xlsx")
    write_input_workbook(build_tiny(), INPUTS_DIR / "tiny.xlsx")
    write_template(INPUTS_DIR / "template.xlsx")
    for name in ("mali.xlsx", "mali-scenarios.xlsx", "tiny.xlsx", "template.xlsx"):
        print(f"wrote {INPUTS_DIR / name}")


if __name__ == "__main__":
    main()
