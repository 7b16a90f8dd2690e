"""Eastern DR Congo: a MONUSCO-style mission in North Kivu, South Kivu and Ituri (mid-2022).

Sources (public; the figures they give are marked in the comments, everything else is [E]):

* MONUSCO fact sheet and the UN Geospatial "MONUSCO deployment" maps (2019-2022): most of the
  mission's 12,000-14,000 troops in the east; the Force Intervention Brigade (South Africa,
  Tanzania, Malawi) around Beni and Goma; an Indian brigade in North Kivu, Pakistan in South
  Kivu, Bangladesh and Nepal in Ituri, Uruguay in the Kivus, Chinese engineers and hospital at
  Bukavu, Indonesian engineers at Beni (MONUSCO news, February 2020). Which unit sits where and
  its strength are our estimates [E] in the spirit of those maps.
* MONUSCO news, January 2022: peacekeepers escort civilian convoys on the Komanda-Bwanasura-Luna
  section of national road 4 (RN4) three times a week, against ADF ambushes (about thirty
  vehicles burnt in 2021).
* RN2 (Goma-Rutshuru-Butembo): M23 advances cut it at Rutshuru and Kiwanja in 2022 and
  threatened Sake in 2024 (MONUSCO statements, February 2024): the main supply route the
  blockade variant closes.
* IRIN, 2007 and 2009: trucks stuck in mud on the Masisi mountain road; convoys from Bukavu to
  Mwenga, 150 km south-west, take three to four weeks with securing. AFP, March 2024: the
  Bukavu-Uvira road, about 100 km, impassable after a bridge over the Shange washed away.
* Supply corridors: the Northern Corridor from Mombasa through Kampala (UN Regional Service
  Centre at Entebbe) to Kasindi and Beni, and to Goma through Kigali; the Central Corridor from
  Dar es Salaam through Kigali; Lake Kivu boats between Goma and Bukavu.
* UN statements, 29 March 2022: a MONUSCO Puma helicopter shot down near Tshanzu, Rutshuru
  territory, in the M23 offensive, eight peacekeepers killed: the MANPADS threat over Rutshuru
  [E: level, days, radius].
* Estimates [E]: Goma airport, its runway shortened by the 2002 Nyiragongo lava and shared with
  humanitarian and commercial traffic, handles about 20 UN movements a day; Shabunda's strip is
  short, for light aircraft (Twin Otter class at Bukavu) and helicopters; the Northern Corridor
  convoys from Entebbe are escorted from Kasindi by the Beni units.

Distances are road km from the maps, rounded [E] unless marked; transit days are for an escorted
convoy [E]. Coordinates are the towns', about 5 km [E] (Eringeti about 15 km).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from benchmarks.missions.facts import Rains, Theatre, air_lines, lines, links, places, units
from benchmarks.missions.vehicles import HEAVY_LIFT, LAKE_BOAT, LIGHT_AIRCRAFT, standard_vehicles
from logistics.rules.schemas import AirfieldClass as A
from logistics.rules.schemas import BaseKind as K
from logistics.rules.schemas import Demand, Mode, Threat, ThreatType
from logistics.rules.schemas import UnitType as U

ROAD, RIVER, AIR = Mode.road, Mode.river, Mode.air

# fmt: off
PLACES = places((
    # (id, name, kind, sector, lat, lon, airfield, local water share, note)
    ("MBA", "Port of Mombasa",                 K.port,      "EXT",        -4.04, 39.67, A.none,          0.0, "Northern Corridor"),
    ("DAR", "Port of Dar es Salaam",           K.port,      "EXT",        -6.82, 39.29, A.none,          0.0, "Central Corridor"),
    ("ENT", "Entebbe regional service centre", K.hub,       "EXT",         0.05, 32.44, A.paved_runway,  0.0, "UN RSCE; Kampala contractors"),
    ("KGL", "Kigali (transit)",                K.waypoint,  "EXT",        -1.95, 30.06, A.none,          0.0, ""),
    ("KAS", "Kasindi border post",             K.waypoint,  "NorthKivu",   0.03, 29.71, A.none,          0.0, ""),
    ("GOM", "Goma",                            K.hub,       "NorthKivu",  -1.68, 29.23, A.paved_runway,  1.3, "Lake Kivu water plant"),
    ("SAK", "Sake",                            K.camp,      "NorthKivu",  -1.57, 29.04, A.helipad,       1.0, ""),
    ("MAS", "Masisi",                          K.team_site, "NorthKivu",  -1.40, 28.82, A.helipad,       0.9, ""),
    ("RUT", "Rutshuru (Kiwanja)",              K.camp,      "NorthKivu",  -1.18, 29.45, A.helipad,       0.9, ""),
    ("KAN", "Kanyabayonga",                    K.camp,      "NorthKivu",  -0.70, 29.18, A.helipad,       0.9, ""),
    ("LUB", "Lubero",                          K.team_site, "NorthKivu",  -0.16, 29.24, A.helipad,       0.9, ""),
    ("BUT", "Butembo",                         K.camp,      "NorthKivu",   0.14, 29.29, A.unpaved_strip, 1.0, ""),
    ("BNI", "Beni (Mavivi)",                   K.hub,       "NorthKivu",   0.49, 29.47, A.unpaved_strip, 1.0, "Force Intervention Brigade"),
    ("OIC", "Oicha",                           K.camp,      "NorthKivu",   0.70, 29.52, A.helipad,       0.9, ""),
    ("ERI", "Eringeti",                        K.camp,      "NorthKivu",   0.93, 29.64, A.helipad,       0.9, "coordinates about 15 km"),
    ("KOM", "Komanda",                         K.team_site, "Ituri",       1.37, 29.77, A.helipad,       0.9, "RN4 escort point"),
    ("BUN", "Bunia",                           K.hub,       "Ituri",       1.56, 30.25, A.unpaved_strip, 1.0, ""),
    ("DJU", "Djugu (Fataki)",                  K.team_site, "Ituri",       1.92, 30.50, A.helipad,       0.8, ""),
    ("MHG", "Mahagi",                          K.camp,      "Ituri",       2.31, 30.99, A.helipad,       0.8, ""),
    ("BKV", "Bukavu",                          K.hub,       "SouthKivu",  -2.49, 28.86, A.paved_runway,  1.3, "Kavumu airport; Lake Kivu water"),
    ("KAM", "Kamanyola",                       K.waypoint,  "SouthKivu",  -2.75, 29.00, A.none,          0.0, ""),
    ("UVI", "Uvira",                           K.camp,      "SouthKivu",  -3.37, 29.14, A.helipad,       1.1, "Lake Tanganyika"),
    ("MWE", "Mwenga",                          K.team_site, "SouthKivu",  -3.04, 28.43, A.helipad,       0.9, ""),
    ("SHA", "Shabunda",                        K.team_site, "SouthKivu",  -2.69, 27.34, A.light_strip,   0.9, "supplied by air in practice; short strip [E]"),
))

LINKS = links((
    # (from, to, mode, km, dry days, wet days (None = closed in the rains), threat, note)
    ("MBA", "ENT", ROAD, 1170, 4.0, 5.0,  1, "Northern Corridor [E]"),
    ("DAR", "KGL", ROAD, 1450, 5.0, 6.0,  1, "Central Corridor via Rusumo [E]"),
    ("ENT", "KGL", ROAD,  520, 2.0, 2.0,  1, "Kampala-Kigali [E]"),
    ("ENT", "KAS", ROAD,  420, 2.0, 2.5,  1, "Kampala-Fort Portal-Kasese-Mpondwe [E]"),
    ("KAS", "BNI", ROAD,   80, 1.0, 1.5,  2, "FARDC-escorted commercial traffic"),
    ("KGL", "GOM", ROAD,  160, 1.0, 1.0,  1, "via Gisenyi"),
    ("KGL", "BKV", ROAD,  280, 1.0, 1.5,  1, "via Nyungwe and Rusizi"),
    ("GOM", "SAK", ROAD,   25, 0.5, 0.5,  3, ""),
    ("SAK", "MAS", ROAD,   45, 1.0, None, 4, "mountain road, trucks stuck in mud (IRIN 2007)"),
    ("GOM", "RUT", ROAD,   75, 0.5, 1.0,  3, "RN2"),
    ("RUT", "KAN", ROAD,   90, 1.0, 1.5,  4, "RN2"),
    ("KAN", "LUB", ROAD,   75, 1.0, 1.5,  3, "RN2"),
    ("LUB", "BUT", ROAD,   55, 0.5, 1.0,  3, "RN2"),
    ("BUT", "BNI", ROAD,   55, 0.5, 1.0,  3, "RN4"),
    ("BNI", "OIC", ROAD,   30, 0.5, 0.5,  4, "RN4, ADF"),
    ("OIC", "ERI", ROAD,   30, 0.5, 1.0,  4, "RN4, ADF"),
    ("ERI", "KOM", ROAD,   75, 1.0, 1.5,  4, "RN4 via Luna: escorted three times a week (MONUSCO 2022)"),
    ("KOM", "BUN", ROAD,   75, 1.0, 1.0,  3, "RN27"),
    ("BUN", "DJU", ROAD,   60, 1.0, None, 4, "CODECO area"),
    ("DJU", "MHG", ROAD,  130, 1.5, None, 4, ""),
    ("GOM", "BKV", ROAD,  200, 2.0, None, 4, "west shore via Minova and Kalehe"),
    ("BKV", "KAM", ROAD,   50, 0.5, 1.0,  3, ""),
    ("KAM", "UVI", ROAD,   75, 1.0, 3.0,  3, "Shange bridge washed away (AFP 2024)"),
    ("BKV", "MWE", ROAD,  150, 2.0, None, 4, "3-4 weeks with securing (IRIN)"),
    ("BKV", "SHA", ROAD,  330, 6.0, None, 4, "barely passable track"),
    # Lake Kivu boats.
    ("GOM", "BKV", RIVER, 110, 1.0, 1.0,  2, "Lake Kivu"),
    # Air, great circle.
    ("ENT", "GOM", AIR, None, 0.1, 0.1, 1, ""),
    ("ENT", "BNI", AIR, None, 0.1, 0.1, 1, ""),
    ("ENT", "BUN", AIR, None, 0.1, 0.1, 1, ""),
    ("ENT", "BKV", AIR, None, 0.1, 0.1, 1, ""),
    ("GOM", "BNI", AIR, None, 0.1, 0.1, 1, ""),
    ("GOM", "BUN", AIR, None, 0.1, 0.1, 1, ""),
    ("GOM", "BKV", AIR, None, 0.1, 0.1, 1, ""),
    ("GOM", "MAS", AIR, None, 0.1, 0.1, 2, ""),
    ("GOM", "RUT", AIR, None, 0.1, 0.1, 2, ""),
    ("GOM", "KAN", AIR, None, 0.1, 0.1, 2, ""),
    ("BNI", "LUB", AIR, None, 0.1, 0.1, 2, ""),
    ("BNI", "ERI", AIR, None, 0.1, 0.1, 2, ""),
    ("BNI", "OIC", AIR, None, 0.1, 0.1, 2, ""),
    ("BUN", "DJU", AIR, None, 0.1, 0.1, 2, ""),
    ("BUN", "MHG", AIR, None, 0.1, 0.1, 2, ""),
    ("BUN", "KOM", AIR, None, 0.1, 0.1, 2, ""),
    ("BKV", "UVI", AIR, None, 0.1, 0.1, 1, ""),
    ("BKV", "MWE", AIR, None, 0.1, 0.1, 2, ""),
    ("BKV", "SHA", AIR, None, 0.1, 0.1, 2, ""),
))

UNITS = units((
    # (id, name, country, type, strength, base, may move, escort capable); strengths [E].
    ("FHQ-EAST",    "Force HQ (forward), signals",           "Multinational", U.headquarters,   300, "GOM", False, False),
    ("GOM-IND-BN",  "Infantry battalion",                    "India",         U.infantry,       850, "GOM", False, True),
    ("GOM-URY-LAK", "Lake boat unit",                        "Uruguay",       U.convoy_escort,  150, "GOM", False, True),
    ("GOM-ZAF-AVN", "Helicopter unit (Oryx, Rooivalk)",      "South Africa",  U.aviation,       200, "GOM", False, False),
    ("GOM-ZAF-BN",  "FIB infantry battalion",                "South Africa",  U.infantry,       850, "GOM", False, True),
    ("GOM-SEN-FPU", "Formed police unit, Goma",              "Senegal",       U.formed_police,  140, "GOM", False, False),
    ("SAK-IND-COY", "Infantry company, Sake",                "India",         U.infantry,       250, "SAK", True,  False),
    ("SAK-MWI-COY", "FIB infantry company, Sake",            "Malawi",        U.infantry,       250, "SAK", True,  True),
    ("MAS-IND-COY", "Infantry company (-), Masisi",          "India",         U.infantry,       150, "MAS", True,  False),
    ("RUT-IND-BN",  "Infantry battalion (-), Kiwanja",       "India",         U.infantry,       500, "RUT", False, False),
    ("KAN-IND-COY", "Infantry company, Kanyabayonga",        "India",         U.infantry,       250, "KAN", True,  False),
    ("LUB-URY-COY", "Infantry company (-), Lubero",          "Uruguay",       U.infantry,       150, "LUB", True,  False),
    ("BUT-URY-BN",  "Infantry battalion (-), Butembo",       "Uruguay",       U.infantry,       400, "BUT", False, True),
    ("SEC-FIB-HQ",  "Force Intervention Brigade HQ",         "Multinational", U.headquarters,    80, "BNI", False, False),
    ("BNI-TZA-BN",  "FIB infantry battalion",                "Tanzania",      U.infantry,       850, "BNI", False, True),
    ("BNI-MWI-BN",  "FIB infantry battalion (-)",            "Malawi",        U.infantry,       700, "BNI", False, True),
    ("BNI-IDN-ENG", "Engineer company",                      "Indonesia",     U.engineer,       175, "BNI", True,  False),
    ("BNI-IND-FPU", "Formed police unit, Beni",              "India",         U.formed_police,  140, "BNI", False, False),
    ("BNI-KEN-QRC", "Quick reaction company",                "Kenya",         U.quick_reaction, 250, "BNI", True,  True),
    ("OIC-MWI-COY", "FIB infantry company, Oicha",           "Malawi",        U.infantry,       250, "OIC", True,  False),
    ("ERI-TZA-COY", "FIB infantry company, Eringeti",        "Tanzania",      U.infantry,       250, "ERI", True,  False),
    ("KOM-NPL-COY", "Infantry company (-), Komanda",         "Nepal",         U.infantry,       150, "KOM", True,  True),
    ("SEC-ITU-HQ",  "Sector Ituri HQ",                       "Multinational", U.headquarters,    80, "BUN", False, False),
    ("BUN-BGD-BN",  "Infantry battalion",                    "Bangladesh",    U.infantry,       850, "BUN", False, True),
    ("BUN-NPL-BN",  "Infantry battalion (-)",                "Nepal",         U.infantry,       700, "BUN", False, True),
    ("BUN-BGD-AVN", "Utility helicopter unit (Mi-17)",       "Bangladesh",    U.aviation,       100, "BUN", False, False),
    ("BUN-EGY-FPU", "Formed police unit, Bunia",             "Egypt",         U.formed_police,  140, "BUN", False, False),
    ("BUN-BGD-ENG", "Engineer company",                      "Bangladesh",    U.engineer,       180, "BUN", True,  False),
    ("DJU-BGD-COY", "Infantry company, Djugu",               "Bangladesh",    U.infantry,       250, "DJU", True,  False),
    ("MHG-NPL-COY", "Infantry company (-), Mahagi",          "Nepal",         U.infantry,       150, "MHG", True,  False),
    ("SEC-SK-HQ",   "Sector South Kivu HQ",                  "Multinational", U.headquarters,    80, "BKV", False, False),
    ("BKV-PAK-BN",  "Infantry battalion",                    "Pakistan",      U.infantry,       850, "BKV", False, True),
    ("BKV-CHN-ENG", "Engineer company",                      "China",         U.engineer,       220, "BKV", True,  False),
    ("BKV-CHN-MED", "Level-II hospital",                     "China",         U.medical,         60, "BKV", False, False),
    ("BKV-PAK-QRC", "Quick reaction company",                "Pakistan",      U.quick_reaction, 200, "BKV", True,  True),
    ("BKV-BGD-FPU", "Formed police unit, Bukavu",            "Bangladesh",    U.formed_police,  140, "BKV", False, False),
    ("UVI-PAK-BN",  "Infantry battalion (-), Uvira",         "Pakistan",      U.infantry,       650, "UVI", False, False),
    ("MWE-PAK-COY", "Infantry company (-), Mwenga",          "Pakistan",      U.infantry,       150, "MWE", True,  False),
    ("SHA-PAK-COY", "Infantry company (-), Shabunda",        "Pakistan",      U.infantry,       150, "SHA", True,  False),
))

CAVEATS: dict[str, tuple[str, ...]] = {
    # Sectors each country serves in [E]: blank = anywhere.
    "Multinational": (), "Bangladesh": (), "India": ("NorthKivu",),
    "South Africa": ("NorthKivu",), "Tanzania": ("NorthKivu",), "Malawi": ("NorthKivu",),
    "Uruguay": ("NorthKivu", "SouthKivu"), "Indonesia": ("NorthKivu", "Ituri"),
    "Kenya": ("NorthKivu", "Ituri"), "Nepal": ("Ituri", "NorthKivu"), "Pakistan": ("SouthKivu",),
    "China": ("SouthKivu",), "Senegal": ("NorthKivu",), "Egypt": ("Ituri",),
}

FLEET: tuple[tuple[str, str, int], ...] = (
    # (home, type, count), all [E]: contracted corridor fleets at the ports and Entebbe, mission
    # and contracted fleets at the sector hubs, Lake Kivu boats, C-130 class and Mi-8s.
    ("MBA", "TRUCK-20T", 25), ("MBA", "TANKER-20KL", 35),
    ("DAR", "TRUCK-20T", 20), ("DAR", "TANKER-20KL", 25),
    ("ENT", "TRUCK-20T", 25), ("ENT", "TANKER-20KL", 25), ("ENT", "IL-76", 1), ("ENT", "C-130", 1),
    ("GOM", "TRUCK-10T", 30), ("GOM", "TANKER-10KL", 15), ("GOM", "WATER-10KL", 6),
    ("GOM", "BOAT-40T", 4), ("GOM", "C-130", 1), ("GOM", "MI-8", 4),
    ("BNI", "TRUCK-10T", 20), ("BNI", "TANKER-10KL", 10), ("BNI", "WATER-10KL", 4), ("BNI", "MI-8", 2),
    ("BUN", "TRUCK-10T", 16), ("BUN", "TANKER-10KL", 8), ("BUN", "WATER-10KL", 4), ("BUN", "MI-8", 2),
    ("BKV", "TRUCK-10T", 16), ("BKV", "TANKER-10KL", 8), ("BKV", "WATER-10KL", 4),
    ("BKV", "BOAT-40T", 2), ("BKV", "MI-8", 2), ("BKV", "DHC-6", 1),
)

LINES = lines((
    # (id, origin, destination, via, mode, first day, every N days, min, max vehicles)
    ("MBA-ENT",      "MBA", "ENT", "",            ROAD,  1, 1, 5, 40),
    ("DAR-GOM",      "DAR", "GOM", "KGL",         ROAD,  1, 1, 5, 30),
    ("DAR-BKV",      "DAR", "BKV", "KGL",         ROAD,  2, 2, 5, 20),
    ("ENT-GOM",      "ENT", "GOM", "KGL",         ROAD,  1, 1, 5, 30),
    ("ENT-BNI",      "ENT", "BNI", "KAS",         ROAD,  1, 1, 5, 30),
    ("GOM-MAS",      "GOM", "MAS", "SAK",         ROAD,  1, 3, 2, 12),
    ("GOM-RN2-BUT",  "GOM", "BUT", "RUT;KAN;LUB", ROAD,  2, 3, 6, 40),
    ("BNI-RN4-BUN",  "BNI", "BUN", "OIC;ERI;KOM", ROAD,  1, 3, 6, 40),
    ("BNI-BUT",      "BNI", "BUT", "",            ROAD,  3, 7, 2, 15),
    ("BUN-DJU-MHG",  "BUN", "MHG", "DJU",         ROAD,  2, 7, 4, 20),
    ("BUN-KOM",      "BUN", "KOM", "",            ROAD,  3, 3, 2, 10),
    ("BKV-UVI",      "BKV", "UVI", "KAM",         ROAD,  1, 3, 4, 25),
    ("BKV-MWE",      "BKV", "MWE", "",            ROAD,  4, 7, 2, 10),
    ("BKV-SHA",      "BKV", "SHA", "",            ROAD,  2, 14, 4, 15),
    ("GOM-BKV-ROAD", "GOM", "BKV", "",            ROAD,  5, 7, 4, 20),
    ("GOM-BKV-LAKE", "GOM", "BKV", "",            RIVER, 1, 1, 1, 4),
    ("BKV-GOM-LAKE", "BKV", "GOM", "",            RIVER, 2, 2, 1, 2),
)) + air_lines("ENT", "GOM;BNI;BUN;BKV") + air_lines("GOM", "BNI;BUN;BKV;MAS;RUT;KAN") + air_lines(
    "BNI", "LUB;ERI;OIC"
) + air_lines("BUN", "DJU;MHG;KOM") + air_lines("BKV", "UVI;MWE;SHA")
# fmt: on

THREATS = (
    Threat(
        threat_id="M23-RUTSHURU",
        threat_type=ThreatType.ambush,
        level=4,
        latitude_deg=-1.18,
        longitude_deg=29.45,
        radius_km=40.0,
        description="M23 operations around Rutshuru and Kiwanja, as in 2022 [E: radius].",
    ),
    Threat(
        threat_id="ADF-RN4",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="OIC-ERI-ROAD",
        first_day=9,
        last_day=14,
        description="ADF ambushes on RN4 north of Oicha (vehicles burnt in 2021) [E: days].",
    ),
    Threat(
        threat_id="CODECO-DJUGU",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="BUN-DJU-ROAD",
        first_day=17,
        last_day=24,
        description="CODECO attacks in Djugu territory [E: days].",
    ),
    Threat(
        threat_id="BENI-PROTESTS",
        threat_type=ThreatType.unrest,
        level=4,
        base_id="BNI",
        first_day=5,
        last_day=8,
        description="Protests against the mission at Beni, as in November 2019 [E: days].",
    ),
    Threat(
        threat_id="GOMA-PROTESTS",
        threat_type=ThreatType.unrest,
        level=4,
        base_id="GOM",
        first_day=20,
        last_day=24,
        description="Protests against the mission at Goma and Butembo, as in July 2022 [E: days].",
    ),
    Threat(
        threat_id="SHABUNDA-MILITIA",
        threat_type=ThreatType.ambush,
        level=4,
        latitude_deg=-2.69,
        longitude_deg=27.34,
        radius_km=60.0,
        description="Raia Mutomboki militias around Shabunda [E].",
    ),
    Threat(
        threat_id="M23-MANPADS",
        threat_type=ThreatType.manpads,
        level=5,
        latitude_deg=-1.26,
        longitude_deg=29.57,
        radius_km=30.0,
        first_day=12,
        last_day=16,
        modes=(AIR,),
        description="Anti-aircraft fire around Tshanzu and Rutshuru (MONUSCO Puma shot down, "
        "March 2022): helicopter flights suspended [E: days, radius].",
    ),
)

DEMANDS = (
    Demand(
        demand_id="BNI-IDP-WATER",
        base_id="BNI",
        supply_id="WATER",
        quantity_per_day=25.0,
        description="Water for displaced families sheltering by the Beni base [E].",
    ),
    Demand(
        demand_id="BUN-FP-STORES",
        base_id="BUN",
        supply_id="CONSTRUCTION",
        first_day=4,
        quantity_per_day=1.2,
        description="Defences of the Djugu and Bunia sites after CODECO attacks [E].",
    ),
)


@lru_cache(maxsize=1)
def theatre() -> Theatre:
    """The eastern DR Congo theatre (its vehicle types are read from the Mali workbook, once)."""
    return Theatre(
        key="drc",
        mission="MONUSCO-style sustainment, eastern DR Congo, dry season (June 2022)",
        start_date=dt.date(2022, 6, 1),
        places=PLACES,
        links=LINKS,
        units=UNITS,
        caveats=CAVEATS,
        vehicles=(*standard_vehicles(), LAKE_BOAT, HEAVY_LIFT, LIGHT_AIRCRAFT),
        fleet=FLEET,
        lines=LINES,
        threats=THREATS,
        imports_per_day={
            # [E] Mombasa and Dar es Salaam land most of it; Kampala contractors and the Goma
            # and Bukavu markets add some.
            "MBA": {"RATIONS": 30, "FUEL": 150, "AMMO": 5, "CONSTRUCTION": 15, "MEDICAL": 2},
            "DAR": {"RATIONS": 20, "FUEL": 100, "AMMO": 2, "CONSTRUCTION": 10, "MEDICAL": 1},
            "ENT": {"RATIONS": 10, "FUEL": 40, "AMMO": 1, "CONSTRUCTION": 4, "MEDICAL": 1},
            "GOM": {"RATIONS": 4, "FUEL": 10, "CONSTRUCTION": 3},
            "BKV": {"RATIONS": 2, "FUEL": 5},
        },
        local_places=frozenset({"ENT", "GOM", "BKV"}),
        fixed_fuel_kl_per_day={"GOM": 5.0, "BNI": 3.0, "BUN": 3.0, "BKV": 3.0},
        main_supply_route=("GOM-RUT-ROAD",),
        escort_unit_id="GOM-IND-BN",
        rains=Rains(start_date=dt.date(2022, 9, 1), onset_day=8),
        demands=DEMANDS,
        sorties_per_day={"GOM": 20},
        escort_bases={"ENT-BNI": "BNI"},
    )
