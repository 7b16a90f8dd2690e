"""Realistic synthetic theatres: seeded, deterministic, shaped like the real ones.

``benchmarks.synthetic`` draws missions of any size for scaling runs; this generator draws
theatres that look like South Sudan, eastern DR Congo or Somalia, as ``Theatre`` facts built into
a scenario like them:

* most supplies come from far away: a sea port 1,000-1,500 km off, a commercial corridor to a
  staging town, then one main supply route into the theatre;
* a sparse road network: three or four sector hubs on long spine and branch roads, each sector's
  camps hung on a tree of tracks with one or two cross links, so most camps have one road in;
* seasonal closures: most camp tracks close in the rains, spine roads slow down;
* threats: road threat levels rise with distance from the main hub, a few level-5 episodes close
  roads for days, an area threat and threatened bases;
* scarce escorts: one escort-capable battalion per hub, so lines compete for them (the corridor
  convoys are escorted from the main hub);
* an airlift of C-130, Twin Otter and Mi-8 class aircraft to the strips, light strips and
  helipads, the main hub's airfield handling a limited number of movements a day; a river with
  a barge set on some seeds;
* threats of ied, mines and ambush on roads, and MANPADS near the threatened hub.

The same seed always gives the same theatre (``random.Random(seed)`` only, no global state).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from functools import lru_cache

from benchmarks.missions.build import planning_scenario
from benchmarks.missions.facts import (
    LineFact,
    Link,
    Place,
    Rains,
    Theatre,
    UnitFact,
    air_lines,
)
from benchmarks.missions.vehicles import BARGE, LIGHT_AIRCRAFT, standard_vehicles
from logistics.rules.network import haversine_km
from logistics.rules.schemas import AirfieldClass, BaseKind, Mode, Threat, ThreatType, UnitType

ROAD_FACTOR = 1.3
"""Road km per great-circle km on African tracks [E]."""
ROAD_KM_PER_DAY = 250.0
"""Escorted convoy progress per day on a main road [E]."""
TRACK_KM_PER_DAY = 120.0
"""Escorted convoy progress per day on a camp track [E]."""
MAIN_HUB_SORTIES_PER_DAY = 20
"""Aircraft movements a day the main hub's airfield handles [E]."""
IMPORT_MARGIN = 1.6
"""Imports per day over the mission's consumption: the ports land more than it uses [E]."""
COUNTRIES = (
    "Rwanda",
    "India",
    "Nepal",
    "Bangladesh",
    "Ethiopia",
    "Ghana",
    "Pakistan",
    "Kenya",
    "Uganda",
    "Senegal",
)


@dataclass(frozen=True)
class _Layout:
    """Where things are: the places and the sector of each camp."""

    places: tuple[Place, ...]
    hubs: tuple[str, ...]
    camps_of: dict[str, tuple[str, ...]]


@lru_cache(maxsize=8)
def theatre(seed: int, n_bases: int = 24) -> Theatre:
    """A realistic synthetic theatre of about ``n_bases`` places (at least 12)."""
    if n_bases < 12:
        raise ValueError("a realistic synthetic theatre needs at least 12 places")
    rng = random.Random(seed)
    layout = _layout(rng, n_bases)
    roads, tree_paths = _roads(rng, layout)
    river = _river(rng, layout)
    air = _air(layout)
    units = _units(rng, layout)
    caveats = _caveats(layout, units)
    troops = sum(unit.strength for unit in units)
    main = layout.hubs[0]
    return Theatre(
        key=f"synthetic_s{seed}",
        mission=f"Synthetic theatre, seed {seed}",
        start_date=dt.date(2024, 1, 8),
        places=layout.places,
        links=(*roads, *river, *air),
        units=units,
        caveats=caveats,
        vehicles=(*standard_vehicles(), BARGE, LIGHT_AIRCRAFT),
        fleet=_fleet(layout, bool(river), troops),
        lines=_lines(rng, layout, tree_paths, bool(river)),
        threats=_threats(rng, layout, roads),
        imports_per_day=_imports(troops),
        local_places=frozenset({main}),
        fixed_fuel_kl_per_day=dict.fromkeys(layout.hubs, 3.0),
        main_supply_route=(f"STG-{main}-ROAD",),
        escort_unit_id=f"{main}-ESC",
        rains=Rains(start_date=dt.date(2024, 5, 6), onset_day=8),
        sorties_per_day={main: MAIN_HUB_SORTIES_PER_DAY},
        escort_bases={f"PORT-{main}": main},
    )


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.latitude_deg, a.longitude_deg, b.latitude_deg, b.longitude_deg)


def _nearest(candidates: list[Place], place: Place) -> Place:
    """The candidate closest to ``place``."""
    return min(candidates, key=lambda candidate: _km(candidate, place))


def _offset(
    rng: random.Random, centre: Place, low_km: float, high_km: float
) -> tuple[float, float]:
    """A point ``low_km``-``high_km`` from ``centre`` in a random direction."""
    distance = rng.uniform(low_km, high_km) / 111.0
    angle = rng.uniform(0, 2 * math.pi)
    return (
        round(centre.latitude_deg + distance * math.sin(angle), 3),
        round(centre.longitude_deg + distance * math.cos(angle), 3),
    )


def _layout(rng: random.Random, n_bases: int) -> _Layout:
    """A far port, a staging town, three or four sector hubs on a spine, camps around them."""
    lat0, lon0 = rng.uniform(2, 10), rng.uniform(25, 32)
    port = Place(
        "PORT", "Sea port", BaseKind.port, "EXT", lat0 - 8.0, lon0 + 7.0, local_water_share=0
    )
    staging = Place(
        "STG", "Staging town", BaseKind.waypoint, "EXT", lat0 - 2.5, lon0 + 2.5, local_water_share=0
    )
    n_hubs = 4 if n_bases >= 20 else 3
    hubs = [
        Place("H1", "Main hub", BaseKind.hub, "S1", lat0, lon0, AirfieldClass.paved_runway, 1.2)
    ]
    for i in range(2, n_hubs + 1):
        anchor = hubs[0] if i == n_hubs else hubs[-1]
        lat, lon = _offset(rng, anchor, 250, 450)
        strip = AirfieldClass.paved_runway if rng.random() < 0.5 else AirfieldClass.unpaved_strip
        hubs.append(Place(f"H{i}", f"Sector {i} hub", BaseKind.hub, f"S{i}", lat, lon, strip, 1.0))
    camps_of: dict[str, list[str]] = {hub.place_id: [] for hub in hubs}
    camps: list[Place] = []
    for i in range(n_bases - n_hubs - 2):
        hub = hubs[i % n_hubs]
        lat, lon = _offset(rng, hub, 60, 230)
        kind = BaseKind.team_site if rng.random() < 0.35 else BaseKind.camp
        draw = rng.random()
        airfield = (
            AirfieldClass.unpaved_strip
            if draw < 0.3
            else AirfieldClass.light_strip
            if draw < 0.5
            else AirfieldClass.helipad
            if draw < 0.9
            else AirfieldClass.none
        )
        camp_id = f"C{i + 1:02d}"
        water = round(rng.uniform(0.6, 1.0), 2)
        camps.append(Place(camp_id, f"Camp {i + 1}", kind, hub.sector, lat, lon, airfield, water))
        camps_of[hub.place_id].append(camp_id)
    return _Layout(
        places=(port, staging, *hubs, *camps),
        hubs=tuple(h.place_id for h in hubs),
        camps_of={hub: tuple(ids) for hub, ids in camps_of.items()},
    )


def _road(a: Place, b: Place, level: int, *, track: bool, closes: bool) -> Link:
    km = round(_km(a, b) * ROAD_FACTOR)
    dry = max(0.5, round(km / (TRACK_KM_PER_DAY if track else ROAD_KM_PER_DAY) * 2) / 2)
    wet = None if closes else dry * 2 if track else dry * 1.5
    return Link(a.place_id, b.place_id, Mode.road, km, dry, wet, level)


def _roads(
    rng: random.Random, layout: _Layout
) -> tuple[tuple[Link, ...], dict[str, tuple[str, ...]]]:
    """The corridor, the spine and branch roads, each sector's tree of tracks and a few cross
    links; and the path of tree tracks from its hub to each camp (via places)."""
    at = {p.place_id: p for p in layout.places}
    hubs = [at[h] for h in layout.hubs]
    roads = [
        Link("PORT", "STG", Mode.road, round(_km(at["PORT"], at["STG"]) * 1.2), 4.0, 5.0, 1),
        _road(at["STG"], hubs[0], 2, track=False, closes=False),
    ]
    for i in range(1, len(hubs)):
        anchor = hubs[0] if i == len(hubs) - 1 else hubs[i - 1]
        roads.append(_road(anchor, hubs[i], 3, track=False, closes=False))
    paths: dict[str, tuple[str, ...]] = {}
    for hub in hubs:
        connected = [hub]
        for camp_id in layout.camps_of[hub.place_id]:
            camp = at[camp_id]
            parent = _nearest(connected, camp)
            level = 3 if parent is hub else 4
            roads.append(_road(parent, camp, level, track=True, closes=rng.random() < 0.6))
            paths[camp_id] = (*paths.get(parent.place_id, ()), camp_id)
            connected.append(camp)
    all_camps = [at[c] for cs in layout.camps_of.values() for c in cs]
    for _ in range(2):
        a, b = rng.sample(all_camps, 2)
        if a.sector != b.sector and _km(a, b) < 350:
            roads.append(_road(a, b, 4, track=True, closes=True))
    return tuple(roads), paths


def _river(rng: random.Random, layout: _Layout) -> tuple[Link, ...]:
    """On about half the seeds, a navigable river from the main hub to the second hub."""
    if rng.random() < 0.5:
        return ()
    at = {p.place_id: p for p in layout.places}
    a, b = at[layout.hubs[0]], at[layout.hubs[1]]
    km = round(_km(a, b) * 1.6)
    days = max(1.0, round(km / 100))
    return (Link(a.place_id, b.place_id, Mode.river, km, days, days, 3),)


def _air(layout: _Layout) -> tuple[Link, ...]:
    """Air links from the main hub to every hub, and from each hub to its camps with airfields."""
    at = {p.place_id: p for p in layout.places}
    main = layout.hubs[0]
    links = [Link(main, hub, Mode.air, None, 0.1, 0.1, 1) for hub in layout.hubs[1:]]
    for hub, camps in layout.camps_of.items():
        links += [
            Link(hub, camp, Mode.air, None, 0.1, 0.1, 2)
            for camp in camps
            if at[camp].airfield != AirfieldClass.none
        ]
    return tuple(links)


def _units(rng: random.Random, layout: _Layout) -> tuple[UnitFact, ...]:
    """Per hub an HQ, one escort battalion, an engineer company and police; one unit per camp."""
    units: list[UnitFact] = []
    for n, hub in enumerate(layout.hubs):
        country = COUNTRIES[n % len(COUNTRIES)]
        units += [
            UnitFact(
                f"{hub}-HQ",
                "Sector HQ",
                "Multinational",
                UnitType.headquarters,
                80 if n else 300,
                hub,
                False,
                False,
            ),
            UnitFact(
                f"{hub}-ESC",
                "Infantry battalion",
                country,
                UnitType.infantry,
                rng.choice((650, 750, 850)),
                hub,
                False,
                True,
            ),
            UnitFact(
                f"{hub}-ENG",
                "Engineer company",
                "Bangladesh",
                UnitType.engineer,
                200,
                hub,
                True,
                False,
            ),
            UnitFact(
                f"{hub}-FPU",
                "Formed police unit",
                "Senegal",
                UnitType.formed_police,
                140,
                hub,
                False,
                False,
            ),
        ]
        for camp in layout.camps_of[hub]:
            strength = rng.choice((120, 150, 250, 300, 450, 650))
            units.append(
                UnitFact(f"{camp}-INF", "Infantry company", country, UnitType.infantry, strength, camp, strength <= 300, False)
            )  # fmt: skip
    return tuple(units)


def _caveats(layout: _Layout, units: tuple[UnitFact, ...]) -> dict[str, tuple[str, ...]]:
    """Each country serves in its own sector and the main hub's; engineers and police anywhere."""
    sector = {p.place_id: p.sector for p in layout.places}
    caveats: dict[str, tuple[str, ...]] = {"Multinational": (), "Bangladesh": (), "Senegal": ()}
    for unit in units:
        if unit.country not in caveats:
            caveats[unit.country] = tuple(sorted({sector[unit.base_id], "S1"}))
    return caveats


def _fleet(layout: _Layout, river: bool, troops: int) -> tuple[tuple[str, str, int], ...]:
    """Corridor trucks at the port; escorted fleets and aircraft at the hubs [E]."""
    scale = max(1, round(troops / 3000))
    main = layout.hubs[0]
    fleet = [
        ("PORT", "TRUCK-20T", 8 * scale),
        ("PORT", "TANKER-20KL", 12 * scale),
        (main, "TRUCK-10T", 8 * scale),
        (main, "TANKER-10KL", 5 * scale),
        (main, "WATER-10KL", 6),
        (main, "C-130", 2),
        (main, "MI-8", 2),
        (main, "DHC-6", 2),
    ]
    for hub in layout.hubs[1:]:
        fleet += [
            (hub, "TRUCK-10T", 12),
            (hub, "TANKER-10KL", 6),
            (hub, "WATER-10KL", 4),
            (hub, "MI-8", 1),
        ]
    if river:
        fleet.append((main, "BARGE-SET", 1))
    return tuple(fleet)


def _lines(
    rng: random.Random, layout: _Layout, paths: dict[str, tuple[str, ...]], river: bool
) -> tuple[LineFact, ...]:
    """Corridor daily; main hub to each hub every 3-7 days; each hub to the leaves of its tree
    of tracks weekly; air lines daily."""
    main = layout.hubs[0]
    lines = [LineFact("PORT-H1", "PORT", main, ("STG",), Mode.road, 1, 1, 5, 40)]
    for i, hub in enumerate(layout.hubs[1:], start=2):
        spine: tuple[str, ...] = (layout.hubs[i - 2],) if 2 < i < len(layout.hubs) else ()
        lines.append(
            LineFact(
                f"H1-{hub}",
                main,
                hub,
                spine,
                Mode.road,
                rng.randint(1, 3),
                rng.choice((3, 4, 7)),
                6,
                40,
            )
        )
    if river:
        lines.append(LineFact("H1-H2-RIVER", main, layout.hubs[1], (), Mode.river, 1, 7, 1, 1))
    for hub, camps in layout.camps_of.items():
        served = {c for camp in camps for c in paths[camp][:-1]}
        for camp in camps:
            if camp in served:
                continue
            via = paths[camp][:-1]
            lines.append(
                LineFact(f"{hub}-{camp}", hub, camp, via, Mode.road, rng.randint(1, 7), 7, 2, 20)
            )
    result = tuple(lines) + air_lines(main, ";".join(layout.hubs[1:]))
    at = {p.place_id: p for p in layout.places}
    for hub, camps in layout.camps_of.items():
        strips = [c for c in camps if at[c].airfield != AirfieldClass.none]
        if strips:
            result += air_lines(hub, ";".join(strips))
    return result


def _threats(rng: random.Random, layout: _Layout, roads: tuple[Link, ...]) -> tuple[Threat, ...]:
    """Four level-5 episodes on random theatre roads, an area threat and two threatened bases."""
    inside = [r for r in roads if r.from_id not in ("PORT", "STG")]
    threats = [
        Threat(
            threat_id=f"EPISODE-{n}",
            threat_type=rng.choice((ThreatType.ied, ThreatType.mines, ThreatType.ambush)),
            level=5,
            route_id=road.route_id,
            first_day=(first := rng.randint(3, 35)),
            last_day=first + rng.randint(3, 7),
            description="Synthetic episode: the road closed by attacks.",
        )
        for n, road in enumerate(rng.sample(inside, 4), start=1)
    ]
    at = {p.place_id: p for p in layout.places}
    centre = at[rng.choice(layout.hubs[1:])]
    threats.append(
        Threat(
            threat_id="AREA",
            threat_type=ThreatType.other,
            level=4,
            latitude_deg=centre.latitude_deg,
            longitude_deg=centre.longitude_deg,
            radius_km=120.0,
            description="Synthetic armed-group area around a sector hub.",
        )
    )
    threats.append(
        Threat(
            threat_id="AREA-MANPADS",
            threat_type=ThreatType.manpads,
            level=4,
            latitude_deg=centre.latitude_deg,
            longitude_deg=centre.longitude_deg,
            radius_km=60.0,
            modes=(Mode.air,),
            description="Synthetic: the armed group fires on aircraft near the hub.",
        )
    )
    camps = [c for cs in layout.camps_of.values() for c in cs]
    threats += [
        Threat(
            threat_id=f"BASE-{camp}",
            threat_type=ThreatType.indirect_fire,
            level=4,
            base_id=camp,
            first_day=rng.randint(1, 20),
            description="Synthetic attacks on the camp.",
        )
        for camp in rng.sample(camps, 2)
    ]
    return tuple(threats)


def _imports(troops: int) -> dict[str, dict[str, float]]:
    """The port lands ``IMPORT_MARGIN`` times the mission's consumption; the main hub's market
    a tenth of it [E]."""
    rates = {
        c.supply_id: c.quantity_per_person_day
        for c in planning_scenario().consumption
        if c.base_kind is None
    }
    port = {k: round(IMPORT_MARGIN * troops * rate, 1) for k, rate in rates.items() if k != "WATER"}
    market = {k: round(0.1 * troops * rates[k], 1) for k in ("RATIONS", "FUEL")}
    return {"PORT": port, "H1": market}  # fmt: skip
