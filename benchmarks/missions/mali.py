"""Mali: the bundled MINUSMA-style mission (``inputs/mali.xlsx``) as a member of the suite.

The workbook is read as planners get it; only the stress variants need facts it does not hold,
given here from the Mali mission data (``scripts/data/mali/``, FACTS.md of the data set):

* main supply route: Bamako-Sévaré (RN6), the road every northern convoy line starts from, as in
  ``benchmarks.sustainment``;
* rains (FACTS §6: June/July to September/October): the workbook's November start becomes
  15 July; Douentza-Timbuktu takes twice as long (links.csv "x2 in rains": 3 days), Timbuktu-Ber
  2.1 days (August 2023 convoy, [S] 57, 83); the remote Timbuktu-Gao north-bank track, the degraded
  Ansongo-Ménaka road and the Sévaré-Ogossagou track at the edge of the Inner Delta (villages
  reachable only by boat in the rains, [S] 90) close from day 8 [E]; the Dakar corridor slows
  from 5 to 7 days (transporters avoid it in the rains, [S] 63) [E]; the Timbuktu-Gao reach of
  the Niger is navigable only from August (day 18) with the rising water; these are the
  rainy member's ``RouteSeasons`` rows;
* escort unit withdrawn: the Egyptian combat convoy battalion at Gao (over 460 troops left in
  July 2023, [S] 21), the largest escort unit of the main hub.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.missions.build import planning_scenario
from benchmarks.missions.variants import RainEffects
from logistics.rules.schemas import Scenario

MAIN_SUPPLY_ROUTE = ("BKO-SEV-ROAD",)
ESCORT_UNIT_ID = "GAO-EGY-CCB"
RAINS = RainEffects(
    start_date=dt.date(2021, 7, 15),
    onset_day=8,
    closed=("TBU-GAO-ROAD", "ANS-MEN-ROAD", "SEV-OGO-ROAD"),
    wet_transit_days={"DOU-TBU-ROAD": 3.0, "TBU-BER-ROAD": 2.1, "DKR-BKO-ROAD": 7.0},
    opens_on_day={"TBU-GAO-RIVER": 18},
)


def mali() -> Scenario:
    """The bundled Mali mission, as read from ``inputs/mali.xlsx``."""
    return planning_scenario()
