"""Somalia: an ATMIS-style mission supported by UNSOS, in the dry Jilaal season (January 2022).

Sources (public; the figures they give are marked in the comments, everything else is [E]):

* ATMIS and UNSOS fact sheets and the AU/UN sector maps (2021-2022): sectors 1 (Banadir and Lower
  Shabelle, Uganda), 2 (Lower and Middle Juba, Kenya), 3 (Bay, Bakool, Gedo, Ethiopia), 4 (Hiraan
  and Galgaduud, Djibouti and Ethiopia), 5 (Middle Shabelle, Burundi) and Kismayo; UNSOS supports
  the force from Mogadishu with a support base in Mombasa, by sea and by air; the UN Guard Unit
  (Uganda) protects UN compounds. Troop figures per base are our estimates [E] in the spirit of
  those maps (about 15,000 of ATMIS's 19,600 authorised in 2022).
* Daily Monitor / Radio Dalsan, May 2018: Baraawe, the farthest Ugandan base, 240 km from
  Mogadishu, "one to two weeks by convoy", two or three vehicles lost a trip; floods make the
  Lower Shabelle tracks impassable; supplies to Baraawe switched to the sea, and a runway was
  built there.
* ATMIS statements (2022-2023): a command-wire IED on a joint logistics convoy on the
  Mogadishu-Buufow-Baraawe route; Burundian troops clearing the main supply route from Jowhar
  airfield to Jowhar town; 16 IEDs cleared on the Beledweyne-Jalalaqsi road (AMISOM 2019);
  al-Shabaab attacked the Burundian base at Leego in June 2015.
* 23 March 2007: a chartered Il-76 shot down by a surface-to-air missile after take-off from
  Mogadishu (press reports): the MANPADS threat around Aden Adde [E: level, radius]. Kenyan
  (KDF) vehicles repeatedly struck landmines on the Afmadow-Dhobley road (press reports
  2012-2021) [E: days].
* Estimates [E]: Aden Adde airport's apron, shared with commercial and AU traffic, handles about
  30 UN movements a day; Hudur is supplied by helicopter only (its strip within reach of the
  besiegers); the Djiboutian and Ethiopian battalions at Beledweyne escort the Hiraan corridor
  convoys from Mogadishu; coasters of about 1,500 t on the Mombasa runs, 200 t boats from
  Mogadishu along the coast.
* Rains: Gu (April-June) and Deyr (October-December); the Shabelle and Juba floods close the
  valley tracks (FAO SWALIM flood bulletins) [E: which roads].

Distances are road km from the maps, or sea km for the coastal shipping (modelled as the
workbook's river mode: a water route with boats), rounded [E] unless marked; transit days are
for an escorted convoy [E]. Coordinates are the towns', about 5 km [E].
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from benchmarks.missions.facts import Rains, Theatre, air_lines, lines, links, places, units
from benchmarks.missions.vehicles import COASTER, HEAVY_LIFT, RIVER_BOAT, standard_vehicles
from logistics.rules.schemas import AirfieldClass as A
from logistics.rules.schemas import BaseKind as K
from logistics.rules.schemas import Demand, Mode, Threat, ThreatType
from logistics.rules.schemas import UnitType as U

ROAD, SEA, AIR = Mode.road, Mode.river, Mode.air

# fmt: off
PLACES = places((
    # (id, name, kind, sector, lat, lon, airfield, local water share, note)
    ("MBA", "Mombasa (UNSOS support base, port)", K.port,   "EXT",      -4.04, 39.67, A.paved_runway,  0.0, ""),
    ("MOG", "Mogadishu (port, Aden Adde airport, UNSOS)", K.hub, "S1",   2.01, 45.30, A.paved_runway,  1.1, "boreholes and desalination"),
    ("AFG", "Afgooye",                  K.camp,      "S1",        2.14, 45.12, A.helipad,       0.9, "Shabelle river"),
    ("MER", "Marka",                    K.camp,      "S1",        1.71, 44.77, A.helipad,       0.9, ""),
    ("QOR", "Qoryoley",                 K.camp,      "S1",        1.79, 44.53, A.helipad,       0.9, ""),
    ("BAR", "Baraawe",                  K.camp,      "S1",        1.11, 44.03, A.unpaved_strip, 0.8, "runway built 2018"),
    ("WAN", "Wanlaweyn",                K.camp,      "S1",        2.62, 44.89, A.helipad,       0.8, ""),
    ("LEG", "Leego",                    K.camp,      "S1",        2.77, 44.45, A.helipad,       0.7, "attacked June 2015"),
    ("BAL", "Balad",                    K.camp,      "S5",        2.36, 45.38, A.helipad,       0.9, ""),
    ("JOW", "Jowhar",                   K.hub,       "S5",        2.78, 45.50, A.unpaved_strip, 0.9, "Jowhar airfield"),
    ("BUR", "Burhakaba",                K.camp,      "S3",        2.80, 44.08, A.helipad,       0.7, ""),
    ("BAI", "Baidoa",                   K.hub,       "S3",        3.12, 43.65, A.unpaved_strip, 0.8, ""),
    ("HUD", "Hudur",                    K.camp,      "S3",        4.12, 43.89, A.unpaved_strip, 0.6, "besieged town, supplied by air"),
    ("WAJ", "Wajid",                    K.camp,      "S3",        3.81, 43.25, A.unpaved_strip, 0.6, ""),
    ("BEL", "Beledweyne",               K.hub,       "S4",        4.74, 45.20, A.unpaved_strip, 0.9, "Shabelle river"),
    ("BUL", "Bulo Burte",               K.camp,      "S4",        3.85, 45.57, A.unpaved_strip, 0.8, ""),
    ("JAL", "Jalalaqsi",                K.camp,      "S4",        3.40, 45.60, A.helipad,       0.8, ""),
    ("DHU", "Dhusamareb",               K.team_site, "S4",        5.54, 46.39, A.unpaved_strip, 0.6, ""),
    ("KIS", "Kismayo (port and airport)", K.hub,     "S2",       -0.36, 42.54, A.paved_runway,  1.0, ""),
    ("AFM", "Afmadow",                  K.camp,      "S2",        0.51, 42.07, A.helipad,       0.8, ""),
    ("DHO", "Dhobley",                  K.camp,      "S2",        0.41, 41.01, A.unpaved_strip, 0.7, ""),
    ("GAL", "Galkayo (UN compound)",    K.team_site, "Puntland",  6.77, 47.43, A.paved_runway,  0.7, ""),
    ("GAR", "Garowe (UN compound)",     K.team_site, "Puntland",  8.41, 48.48, A.paved_runway,  0.8, ""),
))

LINKS = links((
    # (from, to, mode, km, dry days, wet days (None = closed in the rains), threat, note)
    ("MBA", "MOG", SEA,  1000, 4.0, 4.0,  2, "UNSOS sea lift [E]"),
    ("MBA", "KIS", SEA,   540, 2.5, 2.5,  1, ""),
    ("MOG", "KIS", SEA,   500, 2.0, 2.0,  2, ""),
    ("MOG", "BAR", SEA,   230, 1.0, 1.0,  2, "sea resupply of Baraawe from 2018"),
    ("MOG", "AFG", ROAD,   30, 0.5, 1.0,  4, "Afgooye corridor, the MSR to Baidoa"),
    ("AFG", "WAN", ROAD,   65, 1.0, 1.5,  4, ""),
    ("WAN", "LEG", ROAD,   50, 1.0, 2.0,  4, ""),
    ("LEG", "BUR", ROAD,   45, 1.0, 2.0,  4, ""),
    ("BUR", "BAI", ROAD,   60, 1.0, 1.5,  4, ""),
    ("AFG", "MER", ROAD,   70, 1.0, None, 4, "Lower Shabelle: floods"),
    ("MER", "QOR", ROAD,   40, 1.0, None, 4, ""),
    ("QOR", "BAR", ROAD,  120, 3.0, None, 4, "Mogadishu-Baraawe 1-2 weeks by convoy (2018)"),
    ("MOG", "BAL", ROAD,   30, 0.5, 1.0,  4, ""),
    ("BAL", "JOW", ROAD,   60, 1.0, 1.5,  4, ""),
    ("JOW", "JAL", ROAD,  110, 1.5, 2.5,  4, ""),
    ("JAL", "BUL", ROAD,   50, 1.0, 1.5,  4, "16 IEDs cleared in 2019"),
    ("BUL", "BEL", ROAD,  115, 1.5, 2.0,  4, ""),
    ("BEL", "DHU", ROAD,  230, 2.0, None, 3, ""),
    ("DHU", "GAL", ROAD,  250, 2.0, 3.0,  3, ""),
    ("GAL", "GAR", ROAD,  220, 1.5, 2.0,  2, "Puntland"),
    ("BAI", "HUD", ROAD,  110, 1.5, None, 4, "blockaded by al-Shabaab for years"),
    ("BAI", "WAJ", ROAD,   95, 1.5, None, 4, ""),
    ("KIS", "AFM", ROAD,  110, 1.5, None, 4, "Juba valley"),
    ("AFM", "DHO", ROAD,  120, 1.5, None, 4, ""),
    # Air, great circle: UNSOS's fixed-wing and helicopter fleet.
    ("MBA", "MOG", AIR, None, 0.1, 0.1, 1, ""),
    ("MBA", "KIS", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "KIS", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "BAI", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "BEL", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "JOW", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "GAL", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "GAR", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "DHU", AIR, None, 0.1, 0.1, 1, ""),
    ("MOG", "BAR", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "HUD", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "WAJ", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "BUL", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "MER", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "QOR", AIR, None, 0.1, 0.1, 2, ""),
    ("MOG", "LEG", AIR, None, 0.1, 0.1, 2, ""),
    ("BAI", "HUD", AIR, None, 0.1, 0.1, 2, ""),
    ("BAI", "WAJ", AIR, None, 0.1, 0.1, 2, ""),
    ("BAI", "BUR", AIR, None, 0.1, 0.1, 2, ""),
    ("BEL", "BUL", AIR, None, 0.1, 0.1, 2, ""),
    ("BEL", "JAL", AIR, None, 0.1, 0.1, 2, ""),
    ("KIS", "AFM", AIR, None, 0.1, 0.1, 2, ""),
    ("KIS", "DHO", AIR, None, 0.1, 0.1, 2, ""),
))

UNITS = units((
    # (id, name, country, type, strength, base, may move, escort capable); strengths [E].
    ("FHQ-STAFF",   "Force HQ staff and signals",            "Multinational", U.headquarters,   300, "MOG", False, False),
    ("MOG-UGA-BG",  "Battle group (convoy security)",        "Uganda",        U.infantry,      1200, "MOG", False, True),
    ("MOG-UGA-GRD", "UN Guard Unit",                         "Uganda",        U.infantry,       530, "MOG", False, False),
    ("MOG-BDI-BN",  "Infantry battalion",                    "Burundi",       U.infantry,       850, "MOG", False, True),
    ("MOG-UGA-LOG", "Logistics battalion (-)",               "Uganda",        U.logistics,      200, "MOG", False, False),
    ("MOG-NGA-FPU", "Formed police unit, Mogadishu",         "Nigeria",       U.formed_police,  160, "MOG", False, False),
    ("AFG-UGA-BN",  "Infantry battalion",                    "Uganda",        U.infantry,       850, "AFG", False, True),
    ("MER-UGA-BN",  "Infantry battalion (-)",                "Uganda",        U.infantry,       700, "MER", False, False),
    ("QOR-UGA-COY", "Infantry company (+)",                  "Uganda",        U.infantry,       300, "QOR", True,  False),
    ("BAR-UGA-BN",  "Infantry battalion (-)",                "Uganda",        U.infantry,       600, "BAR", False, False),
    ("WAN-UGA-COY", "Infantry company (+)",                  "Uganda",        U.infantry,       400, "WAN", True,  True),
    ("LEG-BDI-COY", "Infantry company",                      "Burundi",       U.infantry,       250, "LEG", True,  False),
    ("BAL-BDI-COY", "Infantry company (+)",                  "Burundi",       U.infantry,       300, "BAL", True,  False),
    ("SEC5-HQ",     "Sector 5 HQ",                           "Multinational", U.headquarters,    60, "JOW", False, False),
    ("JOW-BDI-BN",  "Infantry battalion",                    "Burundi",       U.infantry,       850, "JOW", False, True),
    ("BUR-ETH-COY", "Infantry company (+)",                  "Ethiopia",      U.infantry,       300, "BUR", True,  False),
    ("SEC3-HQ",     "Sector 3 HQ",                           "Multinational", U.headquarters,    60, "BAI", False, False),
    ("BAI-ETH-BN1", "Infantry battalion",                    "Ethiopia",      U.infantry,       850, "BAI", False, True),
    ("BAI-ETH-BN2", "Infantry battalion (-)",                "Ethiopia",      U.infantry,       800, "BAI", False, True),
    ("HUD-ETH-COY", "Infantry company (+)",                  "Ethiopia",      U.infantry,       350, "HUD", True,  False),
    ("WAJ-ETH-COY", "Infantry company (+)",                  "Ethiopia",      U.infantry,       300, "WAJ", True,  False),
    ("SEC4-HQ",     "Sector 4 HQ",                           "Multinational", U.headquarters,    60, "BEL", False, False),
    ("BEL-DJI-BN",  "Infantry battalion",                    "Djibouti",      U.infantry,       850, "BEL", False, True),
    ("BEL-ETH-BN",  "Infantry battalion (-)",                "Ethiopia",      U.infantry,       600, "BEL", False, True),
    ("BUL-DJI-COY", "Infantry company (+)",                  "Djibouti",      U.infantry,       300, "BUL", True,  False),
    ("JAL-DJI-COY", "Infantry company",                      "Djibouti",      U.infantry,       250, "JAL", True,  False),
    ("DHU-DJI-COY", "Infantry company (-)",                  "Djibouti",      U.infantry,       200, "DHU", True,  False),
    ("SEC2-HQ",     "Sector 2 and Kismayo HQ",               "Multinational", U.headquarters,    60, "KIS", False, False),
    ("KIS-KEN-BN",  "Infantry battalion",                    "Kenya",         U.infantry,       850, "KIS", False, True),
    ("KIS-KEN-QRC", "Quick reaction company",                "Kenya",         U.quick_reaction, 250, "KIS", True,  True),
    ("KIS-KEN-AVN", "Helicopter unit (Mi-17)",               "Kenya",         U.aviation,       120, "KIS", False, False),
    ("KIS-KEN-ENG", "Engineer company",                      "Kenya",         U.engineer,       200, "KIS", True,  False),
    ("AFM-KEN-BN",  "Infantry battalion (-)",                "Kenya",         U.infantry,       600, "AFM", False, False),
    ("DHO-KEN-BN",  "Infantry battalion (-)",                "Kenya",         U.infantry,       600, "DHO", False, False),
    ("GAL-UGA-GRD", "UN Guard Unit detachment",              "Uganda",        U.infantry,       100, "GAL", False, False),
    ("GAR-UGA-GRD", "UN Guard Unit detachment",              "Uganda",        U.infantry,       100, "GAR", False, False),
))

CAVEATS: dict[str, tuple[str, ...]] = {
    # Each troop contributor holds its own sector (ATMIS sector maps); blank = anywhere.
    "Multinational": (), "Uganda": ("S1", "Puntland"), "Burundi": ("S5", "S1"),
    "Ethiopia": ("S3", "S4"), "Djibouti": ("S4",), "Kenya": ("S2",), "Nigeria": ("S1",),
}

FLEET: tuple[tuple[str, str, int], ...] = (
    # (home, type, count), all [E]: chartered coasters from the Mombasa support base, a chartered
    # Il-76 and UNSOS's C-130 class and helicopters, escorted road fleets at the sector hubs.
    ("MBA", "COASTER-1500T", 2), ("MBA", "IL-76", 1),
    ("MOG", "BOAT-200T", 2), ("MOG", "TRUCK-10T", 40), ("MOG", "TANKER-10KL", 20),
    ("MOG", "WATER-10KL", 10), ("MOG", "C-130", 2), ("MOG", "MI-8", 4),
    ("BAI", "TRUCK-10T", 10), ("BAI", "TANKER-10KL", 6), ("BAI", "WATER-10KL", 4), ("BAI", "MI-8", 2),
    ("BEL", "TRUCK-10T", 10), ("BEL", "TANKER-10KL", 6), ("BEL", "WATER-10KL", 4), ("BEL", "MI-8", 1),
    ("KIS", "TRUCK-10T", 12), ("KIS", "TANKER-10KL", 6), ("KIS", "WATER-10KL", 4), ("KIS", "MI-8", 2),
)

LINES = lines((
    # (id, origin, destination, via, mode, first day, every N days, min, max vehicles)
    ("MBA-MOG-SEA",  "MBA", "MOG", "",                SEA,  1, 2, 1, 1),
    ("MBA-KIS-SEA",  "MBA", "KIS", "",                SEA,  2, 4, 1, 1),
    ("MOG-KIS-SEA",  "MOG", "KIS", "",                SEA,  3, 7, 1, 2),
    ("MOG-BAR-SEA",  "MOG", "BAR", "",                SEA,  1, 7, 1, 2),
    ("MOG-MSR-BAI",  "MOG", "BAI", "AFG;WAN;LEG;BUR", ROAD, 1, 3, 6, 40),
    ("MOG-MER",      "MOG", "MER", "AFG",             ROAD, 2, 3, 4, 20),
    ("MOG-BAR-ROAD", "MOG", "BAR", "AFG;MER;QOR",     ROAD, 3, 7, 6, 30),
    ("MOG-JOW",      "MOG", "JOW", "BAL",             ROAD, 1, 3, 4, 25),
    ("MOG-BEL",      "MOG", "BEL", "BAL;JOW;JAL;BUL", ROAD, 2, 7, 8, 40),
    ("BEL-DHU-GAL",  "BEL", "GAL", "DHU",             ROAD, 3, 7, 4, 20),
    ("BAI-HUD",      "BAI", "HUD", "",                ROAD, 2, 7, 4, 15),
    ("BAI-WAJ",      "BAI", "WAJ", "",                ROAD, 4, 7, 4, 15),
    ("KIS-AFM-DHO",  "KIS", "DHO", "AFM",             ROAD, 1, 7, 6, 30),
)) + air_lines("MBA", "MOG;KIS") + air_lines(
    "MOG", "KIS;BAI;BEL;JOW;GAL;GAR;DHU;BAR;HUD;WAJ;BUL;MER;QOR;LEG"
) + air_lines("BAI", "HUD;WAJ;BUR") + air_lines("BEL", "BUL;JAL") + air_lines("KIS", "AFM;DHO")
# fmt: on

THREATS = (
    Threat(
        threat_id="MSR-IED-AFG-WAN",
        threat_type=ThreatType.ied,
        level=5,
        route_id="AFG-WAN-ROAD",
        first_day=6,
        last_day=10,
        description="IED campaign on the Mogadishu-Baidoa MSR [E: days].",
    ),
    Threat(
        threat_id="LOWER-SHABELLE",
        threat_type=ThreatType.ambush,
        level=4,
        latitude_deg=1.79,
        longitude_deg=44.53,
        radius_km=60.0,
        description="Al-Shabaab ambushes and command-wire IEDs on the Baraawe road (2022-23).",
    ),
    Threat(
        threat_id="MOG-INDIRECT-FIRE",
        threat_type=ThreatType.indirect_fire,
        level=4,
        base_id="MOG",
        description="Mortar fire on the Aden Adde airport compound [E: level].",
    ),
    Threat(
        threat_id="JOW-JAL-AMBUSH",
        threat_type=ThreatType.ambush,
        level=5,
        route_id="JOW-JAL-ROAD",
        first_day=15,
        last_day=19,
        description="Ambushes on the Jowhar-Jalalaqsi road [E: days].",
    ),
    Threat(
        threat_id="LEEGO-ATTACK",
        threat_type=ThreatType.other,
        level=5,
        base_id="LEG",
        first_day=12,
        last_day=14,
        description="Complex attack on the Leego base, as in June 2015 [E: days].",
    ),
    Threat(
        threat_id="JUBA-VALLEY-IED",
        threat_type=ThreatType.ied,
        level=5,
        route_id="KIS-AFM-ROAD",
        first_day=20,
        last_day=25,
        description="IEDs on the Kismayo-Afmadow road [E: days].",
    ),
    Threat(
        threat_id="HUDUR-SIEGE",
        threat_type=ThreatType.other,
        level=4,
        base_id="HUD",
        description="Hudur besieged: the town is supplied by air [E: level].",
    ),
    Threat(
        threat_id="MOG-MANPADS",
        threat_type=ThreatType.manpads,
        level=3,
        latitude_deg=2.01,
        longitude_deg=45.30,
        radius_km=20.0,
        modes=(AIR,),
        description="Surface-to-air missiles around Aden Adde (an Il-76 shot down in 2007) "
        "[E: level].",
    ),
    Threat(
        threat_id="DHOBLEY-MINES",
        threat_type=ThreatType.mines,
        level=5,
        route_id="AFM-DHO-ROAD",
        first_day=6,
        last_day=10,
        modes=(ROAD,),
        description="Landmines on the Afmadow-Dhobley road, as struck by KDF vehicles [E: days].",
    ),
)

DEMANDS = (
    Demand(
        demand_id="BAI-IDP-WATER",
        base_id="BAI",
        supply_id="WATER",
        quantity_per_day=20.0,
        description="Drought: water trucked to displaced families near Baidoa (2022) [E].",
    ),
    Demand(
        demand_id="BEL-FLOOD-STORES",
        base_id="BEL",
        supply_id="CONSTRUCTION",
        first_day=10,
        quantity_per_day=1.0,
        description="Flood defences of the Beledweyne camp before the Gu rains [E].",
    ),
)


@lru_cache(maxsize=1)
def theatre() -> Theatre:
    """The Somalia theatre (its vehicle types are read from the Mali workbook, once)."""
    return Theatre(
        key="somalia",
        mission="ATMIS-style sustainment with UNSOS, Jilaal dry season (January 2022)",
        start_date=dt.date(2022, 1, 15),
        places=PLACES,
        links=LINKS,
        units=UNITS,
        caveats=CAVEATS,
        vehicles=(*standard_vehicles(), COASTER, RIVER_BOAT, HEAVY_LIFT),
        fleet=FLEET,
        lines=LINES,
        threats=THREATS,
        imports_per_day={
            # [E] Nearly everything comes through the Mombasa support base; Mogadishu and
            # Kismayo markets add fuel and fresh food.
            "MBA": {"RATIONS": 45, "FUEL": 200, "AMMO": 6, "CONSTRUCTION": 20, "MEDICAL": 3},
            "MOG": {"RATIONS": 6, "FUEL": 30, "CONSTRUCTION": 4},
            "KIS": {"RATIONS": 2, "FUEL": 10},
        },
        local_places=frozenset({"MOG", "KIS"}),
        fixed_fuel_kl_per_day={"MOG": 8.0, "BAI": 3.0, "BEL": 3.0, "KIS": 3.0, "JOW": 2.0},
        main_supply_route=("MOG-AFG-ROAD",),
        escort_unit_id="MOG-UGA-BG",
        rains=Rains(start_date=dt.date(2022, 4, 15), onset_day=8),
        helicopter_routes=frozenset({"MOG-HUD-AIR", "BAI-HUD-AIR"}),
        sorties_per_day={"MOG": 30},
        escort_bases={"MOG-BEL": "BEL"},
        demands=DEMANDS,
    )
