"""South Sudan: an UNMISS-style mission in the dry season of 2019, supplied from Mombasa.

Sources (public; the figures they give are marked in the comments, everything else is [E]):

* UNMISS fact sheet and the UN Geospatial "UNMISS deployment" maps (2018-2020): field offices and
  bases at Juba, Malakal, Bor, Bentiu, Wau, Rumbek, Yambio, Torit, Aweil, Kuajok, Renk, Pibor,
  Akobo, Nasir, Leer, Yei, Melut and Kodok; protection-of-civilians (PoC) sites at Juba, Malakal,
  Bor, Bentiu and Wau; about 13,000-14,000 troops of an authorised 17,000; the contributing
  countries (Rwanda, India, Nepal, China, Ethiopia, Mongolia, Ghana, Bangladesh, Korea's engineers
  at Bor, Sri Lanka's hospital at Bentiu, Bangladesh's riverine unit at Malakal). Which unit sits
  where and its strength are our estimates [E] in the spirit of those maps.
* Logistics Cluster, South Sudan logistics infrastructure (DLCA): Juba-Nimule is the only sealed
  corridor to Uganda; four asphalt runways (Juba, Paloich, Wau, Malakal); the Nile carries cargo
  all year in push sets of four barges, 1,200 t a set (one vehicle of the fleet); fewer
  fixed-wing strips in the rains; the grass strips of Akobo, Nasir and Leer take light aircraft
  only [E: class], served by Twin Otter class aircraft [E].
* Logistics Cluster concept of operations, August 2020 (citing OCHA 2019): about 60 % of the
  road network becomes inaccessible in the long rainy season (May-October), Jonglei, Unity and
  Upper Nile worst; the western corridor closes almost completely in the rains (inter-agency
  convoy report, December 2017); road assessment of July 2013: Rumbek-Bentiu and
  Mayom-Abiemnhom severely damaged and closed to all traffic in the rains.
* UNICEF South Sudan, "Rain, roads and checkpoints" (2018): Juba-Wau takes under a week in the
  dry season and over two weeks in the rains.
* Logistics Cluster river movement strategy 2021: barges ex-Bor, Malakal and Renk along the White
  Nile, boats on the Sobat; the WFP cross-border corridor brought cargo up the White Nile from
  Kosti (Sudan) through Renk (2017-2019); Bangladesh's riverine unit at Malakal escorts the
  barges, also those of the Sudan corridor (``escort_bases``) [E].
* UN News, 21 December 2012: an UNMISS Mi-8 shot down near Likuangole, Jonglei, four crew
  killed: the MANPADS/anti-aircraft threat over the Pibor area [E: level]. UNMAS South Sudan:
  anti-tank mines laid on Central Equatoria roads in the 2016-2018 fighting (Yei area), roads
  closed for clearance after incidents [E: days].
* Estimates [E]: Juba airport's apron and handling take about 24 UN movements a day beside
  commercial traffic; the Nimule road convoys from Entebbe are escorted from Juba; fixed wing
  serving Melut land at the Paloich strip, so the Malakal-Melut air link is flown by helicopter.

Distances are road or river km from the maps, rounded [E] unless marked; transit days are for an
escorted convoy [E]. Coordinates are the towns', about 5 km [E].
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from benchmarks.missions.facts import (
    Rains,
    Theatre,
    air_lines,
    lines,
    links,
    places,
    units,
)
from benchmarks.missions.vehicles import (
    BARGE,
    HEAVY_LIFT,
    LIGHT_AIRCRAFT,
    RIVER_BOAT,
    standard_vehicles,
)
from logistics.rules.schemas import AirfieldClass as A
from logistics.rules.schemas import BaseKind as K
from logistics.rules.schemas import Demand, Mode, Threat, ThreatType
from logistics.rules.schemas import UnitType as U

ROAD, RIVER, AIR = Mode.road, Mode.river, Mode.air

# fmt: off
PLACES = places((
    # (id, name, kind, sector, lat, lon, airfield, local water share, note)
    ("MBA", "Port of Mombasa",              K.port,      "EXT",   -4.04, 39.67, A.none,          0.0, "Northern Corridor sea port"),
    ("ENT", "Entebbe regional service centre", K.hub,    "EXT",    0.05, 32.44, A.paved_runway,  0.0, "UN RSCE; Kampala contractors"),
    ("KOS", "Kosti river port (Sudan)",     K.port,      "EXT",   13.17, 32.67, A.none,          0.0, "WFP cross-border barge corridor"),
    ("NML", "Nimule border post",           K.waypoint,  "South",  3.60, 32.06, A.none,          0.0, ""),
    ("JUB", "Juba, UN House and Tomping",   K.hub,       "South",  4.82, 31.55, A.paved_runway,  1.2, "Mission HQ, PoC site; Nile water plant"),
    ("TOR", "Torit",                        K.camp,      "South",  4.41, 32.57, A.unpaved_strip, 0.9, ""),
    ("KAP", "Kapoeta",                      K.team_site, "South",  4.77, 33.59, A.helipad,       0.6, "semi-arid: little ground water [E]"),
    ("YEI", "Yei",                          K.team_site, "South",  4.09, 30.68, A.unpaved_strip, 0.9, ""),
    ("MUN", "Mundri",                       K.waypoint,  "West",   5.35, 30.32, A.none,          0.0, "junction of the western corridor"),
    ("BOR", "Bor",                          K.camp,      "East",   6.21, 31.56, A.unpaved_strip, 1.2, "Nile river port, PoC site"),
    ("PIB", "Pibor",                        K.camp,      "East",   6.80, 33.13, A.unpaved_strip, 0.7, ""),
    ("AKO", "Akobo",                        K.team_site, "East",   7.78, 33.00, A.light_strip,   0.8, "grass strip [E]"),
    ("MAK", "Malakal",                      K.hub,       "North",  9.53, 31.66, A.paved_runway,  1.3, "PoC site of about 30,000; Nile river port"),
    ("KOD", "Kodok",                        K.team_site, "North",  9.88, 32.11, A.helipad,       1.0, ""),
    ("MEL", "Melut",                        K.team_site, "North", 10.44, 32.20, A.unpaved_strip, 1.0, "near the Paloich asphalt strip"),
    ("REN", "Renk",                         K.camp,      "North", 11.75, 32.80, A.unpaved_strip, 1.0, "Nile river port"),
    ("NAS", "Nasir",                        K.team_site, "North",  8.60, 33.07, A.light_strip,   0.9, "on the Sobat; grass strip [E]"),
    ("BEN", "Bentiu (Rubkona)",             K.hub,       "Unity",  9.27, 29.79, A.unpaved_strip, 1.2, "PoC site of over 100,000 (2017)"),
    ("LEE", "Leer",                         K.team_site, "Unity",  8.30, 30.14, A.light_strip,   0.8, "grass strip [E]"),
    ("WAU", "Wau",                          K.hub,       "West",   7.70, 28.00, A.paved_runway,  1.1, "PoC adjacent area"),
    ("KUA", "Kuajok",                       K.team_site, "West",   8.31, 27.98, A.helipad,       0.9, ""),
    ("AWE", "Aweil",                        K.camp,      "West",   8.77, 27.40, A.unpaved_strip, 0.9, ""),
    ("RUM", "Rumbek",                       K.camp,      "West",   6.81, 29.68, A.unpaved_strip, 0.9, ""),
    ("YAM", "Yambio",                       K.camp,      "West",   4.57, 28.40, A.unpaved_strip, 1.0, "Western Equatoria, wetter south-west"),
))

LINKS = links((
    # (from, to, mode, km, dry days, wet days (None = closed in the rains), threat, note)
    ("MBA", "ENT", ROAD,  1170, 4.0, 5.0,  1, "Northern Corridor Mombasa-Nairobi-Malaba-Kampala [E]"),
    ("ENT", "NML", ROAD,   480, 2.0, 2.5,  2, "Kampala-Gulu-Elegu [E]"),
    ("NML", "JUB", ROAD,   192, 1.0, 1.0,  2, "the only sealed road (DLCA); ambushes 2016-17 [E]"),
    ("JUB", "TOR", ROAD,   135, 1.0, 1.5,  3, ""),
    ("TOR", "KAP", ROAD,   125, 1.0, None, 3, ""),
    ("JUB", "YEI", ROAD,   160, 1.0, 2.0,  4, "Yei River ambushes 2016-18 [E]"),
    ("JUB", "BOR", ROAD,   195, 1.0, 3.0,  3, "murram, cut at Mangala in peak rains [E]"),
    ("BOR", "PIB", ROAD,   200, 2.0, None, 4, "black cotton soil, closed May-Oct [E]"),
    ("PIB", "AKO", ROAD,   150, 2.0, None, 4, ""),
    ("JUB", "MUN", ROAD,   200, 1.5, 3.0,  4, "Juba-Jambo-Mundri"),
    ("MUN", "RUM", ROAD,   210, 1.5, 3.0,  3, "Mundri-Mvolo-Rumbek"),
    ("MUN", "YAM", ROAD,   250, 2.0, 4.0,  4, "Mundri-Maridi-Yambio"),
    ("RUM", "WAU", ROAD,   250, 2.0, None, 3, "western corridor: closes almost completely in the rains"),
    ("WAU", "KUA", ROAD,    60, 0.5, 1.0,  2, ""),
    ("WAU", "AWE", ROAD,   160, 1.0, 2.0,  2, ""),
    ("RUM", "BEN", ROAD,   300, 3.0, None, 4, "Rumbek-Mayendit-Bentiu: closed to all traffic in the rains (2013)"),
    ("KUA", "BEN", ROAD,   240, 3.0, None, 4, "Mayom-Abiemnhom: closed in the rains (2013)"),
    ("BEN", "LEE", ROAD,   110, 1.0, None, 4, ""),
    ("MAK", "MEL", ROAD,   140, 1.0, None, 3, ""),
    ("MEL", "REN", ROAD,   200, 1.5, 3.0,  3, "partly paved via Paloich [E]"),
    ("MAK", "NAS", ROAD,   190, 2.0, None, 4, ""),
    # The White Nile (Bahr el Jebel) and the Sobat: barges all year (DLCA).
    ("JUB", "BOR", RIVER,  210, 2.0, 2.0,  3, ""),
    ("BOR", "MAK", RIVER,  780, 8.0, 8.0,  4, "through the Sudd; barges attacked 2014-15 [E]"),
    ("MAK", "KOD", RIVER,   60, 0.5, 0.5,  3, ""),
    ("MAK", "MEL", RIVER,  150, 1.5, 1.5,  3, ""),
    ("MEL", "REN", RIVER,  200, 2.0, 2.0,  3, ""),
    ("REN", "KOS", RIVER,  190, 2.0, 2.0,  2, "Sudan corridor"),
    ("MAK", "NAS", RIVER,  280, 3.0, 3.0,  4, "Sobat boats"),
    # Air, great circle.
    ("ENT", "JUB", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "MAK", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "WAU", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "BEN", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "BOR", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "RUM", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "YAM", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "TOR", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "YEI", AIR, None, 0.1, 0.1, 1, ""),
    ("JUB", "KAP", AIR, None, 0.1, 0.1, 2, ""),
    ("MAK", "NAS", AIR, None, 0.1, 0.1, 2, ""),
    ("MAK", "KOD", AIR, None, 0.1, 0.1, 1, ""),
    ("MAK", "REN", AIR, None, 0.1, 0.1, 1, ""),
    ("MAK", "MEL", AIR, None, 0.1, 0.1, 1, ""),
    ("BOR", "PIB", AIR, None, 0.1, 0.1, 2, ""),
    ("BOR", "AKO", AIR, None, 0.1, 0.1, 2, ""),
    ("BEN", "LEE", AIR, None, 0.1, 0.1, 2, ""),
    ("WAU", "KUA", AIR, None, 0.1, 0.1, 1, ""),
    ("WAU", "AWE", AIR, None, 0.1, 0.1, 1, ""),
))

UNITS = units((
    # (id, name, country, type, strength, base, may move, escort capable); strengths [E].
    ("FHQ-STAFF",   "Force HQ staff and signals",            "Multinational", U.headquarters,   300, "JUB", False, False),
    ("JUB-RWA-BN",  "Infantry battalion",                    "Rwanda",        U.infantry,       850, "JUB", False, True),
    ("JUB-NPL-BN",  "Infantry battalion",                    "Nepal",         U.infantry,       850, "JUB", False, True),
    ("JUB-CHN-BN",  "Infantry battalion",                    "China",         U.infantry,       700, "JUB", False, True),
    ("JUB-ETH-QRC", "Quick reaction company",                "Ethiopia",      U.quick_reaction, 200, "JUB", True,  True),
    ("JUB-BGD-ENG", "Engineer company",                      "Bangladesh",    U.engineer,       250, "JUB", True,  False),
    ("JUB-BGD-AVN", "Utility helicopter unit (Mi-8)",        "Bangladesh",    U.aviation,       120, "JUB", False, False),
    ("JUB-NPL-FPU", "Formed police unit, Juba PoC",          "Nepal",         U.formed_police,  160, "JUB", False, False),
    ("TOR-RWA-COY", "Infantry company, Torit",               "Rwanda",        U.infantry,       250, "TOR", True,  False),
    ("KAP-NPL-PL",  "Infantry platoon (+), Kapoeta",         "Nepal",         U.infantry,       100, "KAP", True,  False),
    ("YEI-NPL-COY", "Infantry company, Yei",                 "Nepal",         U.infantry,       150, "YEI", True,  False),
    ("SEC-EAST-HQ", "Sector East HQ",                        "Multinational", U.headquarters,    60, "BOR", False, False),
    ("BOR-IND-BN",  "Infantry battalion",                    "India",         U.infantry,       700, "BOR", False, True),
    ("BOR-KOR-ENG", "Engineer company (Hanbit)",             "Korea",         U.engineer,       280, "BOR", True,  False),
    ("PIB-IND-COY", "Infantry company, Pibor",               "India",         U.infantry,       250, "PIB", True,  False),
    ("AKO-IND-PL",  "Infantry platoon (+), Akobo",           "India",         U.infantry,       120, "AKO", True,  False),
    ("SEC-N-HQ",    "Sector North HQ",                       "Multinational", U.headquarters,    80, "MAK", False, False),
    ("MAK-IND-BN",  "Infantry battalion",                    "India",         U.infantry,       800, "MAK", False, True),
    ("MAK-ETH-BN",  "Infantry battalion",                    "Ethiopia",      U.infantry,       800, "MAK", False, True),
    ("MAK-BGD-RIV", "Riverine unit (boat escorts)",          "Bangladesh",    U.convoy_escort,  150, "MAK", False, True),
    ("MAK-BGD-ENG", "Engineer company",                      "Bangladesh",    U.engineer,       200, "MAK", True,  False),
    ("MAK-RWA-FPU", "Formed police unit, Malakal PoC",       "Rwanda",        U.formed_police,  160, "MAK", False, False),
    ("KOD-ETH-PL",  "Infantry platoon (+), Kodok",           "Ethiopia",      U.infantry,       100, "KOD", True,  False),
    ("MEL-IND-COY", "Infantry company (-), Melut",           "India",         U.infantry,       150, "MEL", True,  False),
    ("REN-ETH-COY", "Infantry company, Renk",                "Ethiopia",      U.infantry,       250, "REN", True,  False),
    ("NAS-IND-COY", "Infantry company (-), Nasir",           "India",         U.infantry,       150, "NAS", True,  False),
    ("SEC-UNI-HQ",  "Sector Unity HQ",                       "Multinational", U.headquarters,    80, "BEN", False, False),
    ("BEN-MNG-BN",  "Infantry battalion",                    "Mongolia",      U.infantry,       850, "BEN", False, True),
    ("BEN-GHA-BN",  "Infantry battalion (-)",                "Ghana",         U.infantry,       700, "BEN", False, True),
    ("BEN-LKA-MED", "Level-II hospital",                     "Sri Lanka",     U.medical,         70, "BEN", False, False),
    ("BEN-BGD-ENG", "Engineer company (-)",                  "Bangladesh",    U.engineer,       180, "BEN", True,  False),
    ("BEN-GHA-FPU", "Formed police unit, Bentiu PoC",        "Ghana",         U.formed_police,  160, "BEN", False, False),
    ("LEE-MNG-COY", "Infantry company (-), Leer",            "Mongolia",      U.infantry,       150, "LEE", True,  False),
    ("SEC-W-HQ",    "Sector West HQ",                        "Multinational", U.headquarters,    80, "WAU", False, False),
    ("WAU-GHA-BN",  "Infantry battalion (-)",                "Ghana",         U.infantry,       650, "WAU", False, True),
    ("WAU-CHN-ENG", "Engineer company",                      "China",         U.engineer,       270, "WAU", True,  False),
    ("WAU-CHN-MED", "Level-II hospital",                     "China",         U.medical,         60, "WAU", False, False),
    ("KUA-GHA-COY", "Infantry company (-), Kuajok",          "Ghana",         U.infantry,       150, "KUA", True,  False),
    ("AWE-GHA-COY", "Infantry company, Aweil",               "Ghana",         U.infantry,       250, "AWE", True,  False),
    ("RUM-NPL-BN",  "Infantry battalion (-), Rumbek",        "Nepal",         U.infantry,       500, "RUM", False, True),
    ("YAM-RWA-COY", "Infantry company (+), Yambio",          "Rwanda",        U.infantry,       300, "YAM", True,  False),
))

CAVEATS: dict[str, tuple[str, ...]] = {
    # Sectors each country serves in [E], after the deployment maps: blank = anywhere.
    "Multinational": (), "Bangladesh": (), "Rwanda": ("South", "North", "West"),
    "Nepal": ("South", "West"), "China": ("South", "West"), "Ethiopia": ("South", "North"),
    "India": ("North", "East"), "Korea": ("East",), "Mongolia": ("Unity",),
    "Ghana": ("West", "Unity"), "Sri Lanka": ("Unity",),
}

FLEET: tuple[tuple[str, str, int], ...] = (
    # (home, type, count), all [E]. Contracted Northern Corridor fleets at Mombasa and Entebbe;
    # mission and contracted fleets at the sector hubs; two barge sets at Juba, one at Malakal,
    # one on the Sudan corridor, Sobat boats at Malakal; C-130 class at Juba, a chartered Il-76
    # at Entebbe; Mi-8s; Twin Otters for the grass strips.
    ("MBA", "TRUCK-20T", 40), ("MBA", "TANKER-20KL", 50),
    ("ENT", "TRUCK-20T", 30), ("ENT", "TANKER-20KL", 30), ("ENT", "IL-76", 1),
    ("JUB", "TRUCK-10T", 50), ("JUB", "TANKER-10KL", 30), ("JUB", "WATER-10KL", 8),
    ("JUB", "BARGE-SET", 2), ("JUB", "C-130", 2), ("JUB", "MI-8", 3),
    ("BOR", "TRUCK-10T", 12), ("BOR", "TANKER-10KL", 6), ("BOR", "WATER-10KL", 4), ("BOR", "MI-8", 1),
    ("BOR", "DHC-6", 1),
    ("MAK", "TRUCK-10T", 20), ("MAK", "TANKER-10KL", 10), ("MAK", "WATER-10KL", 6),
    ("MAK", "BARGE-SET", 1), ("MAK", "BOAT-200T", 3), ("MAK", "MI-8", 2), ("MAK", "DHC-6", 1),
    ("KOS", "BARGE-SET", 1),
    ("BEN", "TRUCK-10T", 12), ("BEN", "TANKER-10KL", 6), ("BEN", "WATER-10KL", 4), ("BEN", "MI-8", 1),
    ("BEN", "DHC-6", 1),
    ("WAU", "TRUCK-10T", 20), ("WAU", "TANKER-10KL", 8), ("WAU", "WATER-10KL", 4), ("WAU", "MI-8", 1),
)

LINES = lines((
    # (id, origin, destination, via, mode, first day, every N days, min, max vehicles)
    ("MBA-ENT",      "MBA", "ENT", "",        ROAD,  1, 1, 5, 40),
    ("ENT-JUB",      "ENT", "JUB", "NML",     ROAD,  1, 1, 5, 40),
    ("JUB-TOR-KAP",  "JUB", "KAP", "TOR",     ROAD,  2, 7, 4, 20),
    ("JUB-YEI",      "JUB", "YEI", "",        ROAD,  3, 7, 2, 10),
    ("JUB-BOR-ROAD", "JUB", "BOR", "",        ROAD,  1, 3, 4, 30),
    ("JUB-RUM-WAU",  "JUB", "WAU", "MUN;RUM", ROAD,  1, 7, 8, 50),
    ("JUB-YAM",      "JUB", "YAM", "MUN",     ROAD,  4, 7, 4, 20),
    ("WAU-KUA-BEN",  "WAU", "BEN", "KUA",     ROAD,  2, 7, 6, 30),
    ("WAU-AWE",      "WAU", "AWE", "",        ROAD,  1, 3, 2, 12),
    ("BEN-LEE",      "BEN", "LEE", "",        ROAD,  3, 7, 2, 10),
    ("BOR-PIB-AKO",  "BOR", "AKO", "PIB",     ROAD,  2, 7, 4, 20),
    ("MAK-MEL-REN",  "MAK", "REN", "MEL",     ROAD,  3, 7, 4, 20),
    ("MAK-NAS-ROAD", "MAK", "NAS", "",        ROAD,  5, 7, 2, 10),
    ("JUB-BOR-RIVER", "JUB", "BOR", "",       RIVER, 1, 3, 1, 1),
    ("JUB-MAK-BARGE", "JUB", "MAK", "BOR",    RIVER, 1, 7, 1, 2),
    ("KOS-MAK-BARGE", "KOS", "MAK", "REN;MEL", RIVER, 2, 7, 1, 1),
    ("MAK-KOD-RIVER", "MAK", "KOD", "",       RIVER, 1, 3, 1, 3),
    ("MAK-NAS-RIVER", "MAK", "NAS", "",       RIVER, 2, 7, 1, 3),
)) + air_lines("ENT", "JUB") + air_lines("JUB", "MAK;WAU;BEN;BOR;RUM;YAM;TOR;YEI;KAP") + air_lines(
    "MAK", "NAS;KOD;REN;MEL"
) + air_lines("BOR", "PIB;AKO") + air_lines("BEN", "LEE") + air_lines("WAU", "KUA;AWE")
# fmt: on

THREATS = (
    Threat(
        threat_id="YEI-ROAD-AMBUSH",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="JUB-YEI-ROAD",
        first_day=6,
        last_day=12,
        description="Ambushes on the Juba-Yei road, as in 2016-2018 [E: days].",
    ),
    Threat(
        threat_id="JUB-MUN-AMBUSH",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="JUB-MUN-ROAD",
        first_day=10,
        last_day=15,
        description="Armed group activity on the Juba-Mundri road [E].",
    ),
    Threat(
        threat_id="JONGLEI-RAIDS",
        threat_type=ThreatType.other,
        level=5,
        route_id="BOR-PIB-ROAD",
        first_day=15,
        last_day=21,
        description="Inter-communal raids between Jonglei and Pibor, as in 2020 [E: days].",
    ),
    Threat(
        threat_id="SUDD-RIVER",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="BOR-MAK-RIVER",
        first_day=22,
        last_day=30,
        description="Attacks on river traffic in the Sudd [E].",
    ),
    Threat(
        threat_id="LEER-AREA",
        threat_type=ThreatType.other,
        level=4,
        latitude_deg=8.30,
        longitude_deg=30.14,
        radius_km=80.0,
        description="Southern Unity (Leer, Mayendit): armed clashes [E].",
    ),
    Threat(
        threat_id="MAK-PoC",
        threat_type=ThreatType.unrest,
        level=3,
        base_id="MAK",
        description="Tension at the Malakal PoC site (attack of February 2016) [E: level].",
    ),
    Threat(
        threat_id="NML-JUB-BANDITRY",
        threat_type=ThreatType.ambush,
        level=4,
        route_id="NML-JUB-ROAD",
        first_day=33,
        last_day=36,
        description="Ambushes of commercial trucks on the Nimule road, as in 2017 [E: days].",
    ),
    Threat(
        threat_id="JONGLEI-MANPADS",
        threat_type=ThreatType.manpads,
        level=4,
        latitude_deg=7.10,
        longitude_deg=32.90,
        radius_km=120.0,
        modes=(AIR,),
        description="Anti-aircraft fire over Likuangole and Pibor (UNMISS Mi-8 shot down, "
        "December 2012) [E: level, radius].",
    ),
    Threat(
        threat_id="YEI-ROAD-MINES",
        threat_type=ThreatType.mines,
        level=5,
        route_id="JUB-YEI-ROAD",
        first_day=20,
        last_day=24,
        modes=(ROAD,),
        description="Anti-tank mine found on the Juba-Yei road: closed for clearance (UNMAS, "
        "Central Equatoria 2017-2018) [E: days].",
    ),
)

DEMANDS = (
    Demand(
        demand_id="MAK-PoC-WATER",
        base_id="MAK",
        supply_id="WATER",
        quantity_per_day=50.0,
        description="Emergency water for the Malakal PoC site when partners' supply fails [E].",
    ),
    Demand(
        demand_id="BEN-PoC-WATER",
        base_id="BEN",
        supply_id="WATER",
        quantity_per_day=30.0,
        description="Emergency water for the Bentiu PoC site [E].",
    ),
    Demand(
        demand_id="BOR-FP-STORES",
        base_id="BOR",
        supply_id="CONSTRUCTION",
        first_day=5,
        quantity_per_day=1.5,
        description="Flood dykes of the Bor camp before the rains [E].",
    ),
)


@lru_cache(maxsize=1)
def theatre() -> Theatre:
    """The South Sudan theatre (its vehicle types are read from the Mali workbook, once)."""
    return Theatre(
        key="south_sudan",
        mission="UNMISS-style sustainment, dry season (February 2019)",
        start_date=dt.date(2019, 2, 1),
        places=PLACES,
        links=LINKS,
        units=UNITS,
        caveats=CAVEATS,
        vehicles=(*standard_vehicles(), BARGE, RIVER_BOAT, HEAVY_LIFT, LIGHT_AIRCRAFT),
        fleet=FLEET,
        lines=LINES,
        threats=THREATS,
        imports_per_day={
            # [E] Mombasa lands most of it; Kampala contractors at Entebbe, Juba traders and the
            # Sudan corridor add some.
            "MBA": {"RATIONS": 40, "FUEL": 200, "AMMO": 6, "CONSTRUCTION": 20, "MEDICAL": 3},
            "ENT": {"RATIONS": 15, "FUEL": 60, "AMMO": 2, "CONSTRUCTION": 6, "MEDICAL": 1},
            "KOS": {"RATIONS": 8, "FUEL": 40},
            "JUB": {"RATIONS": 3, "FUEL": 15, "CONSTRUCTION": 3},
        },
        local_places=frozenset({"ENT", "JUB"}),
        fixed_fuel_kl_per_day={"JUB": 6.0, "MAK": 4.0, "BEN": 3.0, "WAU": 3.0, "BOR": 2.0},
        main_supply_route=("NML-JUB-ROAD",),
        escort_unit_id="JUB-RWA-BN",
        rains=Rains(start_date=dt.date(2019, 5, 1), onset_day=8),
        demands=DEMANDS,
        helicopter_routes=frozenset({"MAK-MEL-AIR"}),
        sorties_per_day={"JUB": 24},
        escort_bases={"ENT-JUB": "JUB", "KOS-MAK-BARGE": "MAK"},
    )
