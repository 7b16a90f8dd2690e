"""Benchmark: re-planning the Mali mission from the day's reports.

    python -m benchmarks.replan [--time-limit 60] [--weeks 8] [--seed 1] [--skip-stability]

Prints two tables (every plan is solved with ``--time-limit`` seconds and the default threads,
two on a machine with two cores):

1. **Stability, five cases.** From the published Mali plan (solved first), a re-plan from day 8
   with: the plan's own figures; one convoy on the road delayed 2 days; camp stock of water
   reported at half the plan's; a road closed for 4 days; half of a tanker company out of
   service for 5 days. For each: the departures the reports force to change (cancelled because
   they cannot run), the departures changed with plan stability (the Settings default) and
   without it (``weight_stability`` 0), split into published departures cancelled or moved /
   departures added / units re-tasked, and the shortfall and gap of each (nan: unknown, the
   published plan was kept and plans that change it were not searched).
2. **Rolling simulation.** Eight weekly re-plans (report day 8 of the previous plan each time),
   each week a few convoys on the road delayed 1-3 days and one road closed for 2-5 days, drawn
   with ``--seed``: (a) re-planned with stability and the first 2 days frozen, (b) re-solved
   from scratch each week (no stability, nothing frozen; what is on the road is the same). Per
   week: shortfall (t + kL), exposure, departures changed against the previous plan of the same
   chain.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from logistics.api import plan_workbook
from logistics.io.template import write_actuals_template
from logistics.replan import ReplanRun, replan
from logistics.report.changes import ADDED, CANCELLED, MOVED, RETASKED

MALI = Path("inputs/mali.xlsx")
REPORT_DAY = 8
"""Weekly re-plans: day 8 of a plan is day 1 of the next."""
CLOSABLE_ROADS = (
    "BKO-SEV-ROAD",
    "SEV-DOU-ROAD",
    "DOU-GOS-ROAD",
    "GOS-GAO-ROAD",
    "GAO-BOU-ROAD",
    "TBU-GDM-ROAD",
    "SEV-OGO-ROAD",
    "ANS-GAO-ROAD",
)


def write_actuals(path: Path, report_day: object, **sheets: Sequence[Sequence[Any]]) -> Path:
    """An actuals workbook from the blank template, with the report day (a day or a date) and
    rows per sheet."""
    write_actuals_template(path)
    workbook = openpyxl.load_workbook(path)
    workbook["Report"]["A2"] = report_day
    for name, rows in sheets.items():
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                workbook[name].cell(number, column, value)
    workbook.save(path)
    return path


@dataclass(frozen=True)
class Published:
    """What the benchmark needs of a plan: its convoys (id, origin, depart, return day)."""

    convoys: tuple[tuple[str, str, int, int], ...]


def published(path: Path) -> Published:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = workbook["Convoys"].iter_rows(values_only=True)
    header = list(next(rows))
    at = {
        name: header.index(name) for name in ("convoy_id", "origin_id", "depart_day", "return_day")
    }
    convoys = tuple(
        (
            str(r[at["convoy_id"]]),
            str(r[at["origin_id"]]),
            int(r[at["depart_day"]]),
            int(r[at["return_day"]]),
        )
        for r in rows
        if isinstance(r[at["depart_day"]], int | float)
    )
    return Published(convoys)


def on_the_road(plan: Published, report_day: int) -> list[str]:
    """Convoys that left before the report day and are not home yet."""
    return [c for c, _, depart, back in plan.convoys if depart < report_day <= back]


def figures(result: ReplanRun) -> tuple[float, float, int, int, float]:
    """Shortfall, exposure, departures changed, departures forced, gap (%)."""
    plan = result.run.plan
    return (
        plan.raw_terms.get("shortfall_units", 0.0),
        plan.raw_terms.get("exposure", 0.0),
        result.changes.departures_changed,
        len(result.changes.forced),
        plan.mip_gap_pct if plan.mip_gap_pct is not None else float("nan"),
    )


def changed_split(result: ReplanRun) -> str:
    """Published departures cancelled or moved / departures added / units re-tasked."""
    counts = result.changes.counts
    published = counts.get(CANCELLED, 0) + counts.get(MOVED, 0)
    return f"{published}/{counts.get(ADDED, 0)}/{counts.get(RETASKED, 0)}"


def stability_cases(plan: Path, folder: Path, time_limit: float) -> None:
    """Table 1: five re-plans from day 8, with and without plan stability."""
    convoys = published(plan)
    moving = on_the_road(convoys, REPORT_DAY)
    cases: dict[str, dict[str, Sequence[Sequence[Any]]]] = {
        "plan's own figures": {},
        f"convoy {moving[0]} delayed 2 days": {"ConvoyReports": [(moving[0], "delayed", 2)]},
        "water at KID at half the plan's": {
            "StockOnHand": [("KID", "WATER", half_stock(plan, "KID", "WATER"))]
        },
        "SEV-DOU-ROAD closed days 9-12": {"Closures": [("SEV-DOU-ROAD", 9, 12, "IED")]},
        "10 tankers out at GAO days 8-12": {
            "VehiclesOut": [("GAO", "TANKER-10KL", 10, 12, "maintenance")]
        },
    }
    print("\n1. Stability: re-plans of Mali from day 8 (departures changed vs the published plan)")
    print(
        f"{'case':40} {'forced':>6} {'stable':>7} {'scratch':>8} {'short st.':>10}"
        f" {'short sc.':>10} {'gap st.':>8} {'gap sc.':>8} {'s':>5}"
        f" {'st. c+m/add/units':>17} {'sc. c+m/add/units':>17}"
    )
    for number, (name, sheets) in enumerate(cases.items()):
        path = write_actuals(folder / f"case{number}.xlsx", REPORT_DAY, **sheets)
        started = time.perf_counter()
        stable = replan(plan, path, None, time_limit_s=time_limit, drawings=False)
        scratch = replan(
            plan,
            path,
            None,
            time_limit_s=time_limit,
            drawings=False,
            freeze_days=0,
            weight_stability=0,
            warm=False,
        )
        s_short, _, s_changed, forced, s_gap = figures(stable)
        c_short, _, c_changed, _, c_gap = figures(scratch)
        print(
            f"{name:40} {forced:6d} {s_changed:7d} {c_changed:8d} {s_short:10.1f} {c_short:10.1f}"
            f" {s_gap:8.1f} {c_gap:8.1f} {time.perf_counter() - started:5.0f}"
            f" {changed_split(stable):>17} {changed_split(scratch):>17}"
        )


def half_stock(plan: Path, base: str, supply: str) -> float:
    """Half the plan's opening stock of a stock point on the report day."""
    workbook = openpyxl.load_workbook(plan, read_only=True)
    rows = workbook["Stock"].iter_rows(values_only=True)
    header = list(next(rows))
    b, k, d, o = (header.index(c) for c in ("base_id", "supply_id", "day", "opening"))
    for r in rows:
        if r[b] == base and r[k] == supply and r[d] == REPORT_DAY:
            return round(float(r[o]) / 2, 1)
    return 0.0


def week_reports(plan: Path, rng: random.Random) -> dict[str, Sequence[Sequence[Any]]]:
    """A week's random reports: up to three convoys on the road delayed 1-3 days, one road
    closed for 2-5 days from a day of the coming week."""
    moving = on_the_road(published(plan), REPORT_DAY)
    delayed = rng.sample(moving, min(3, len(moving)))
    first = REPORT_DAY + rng.randint(0, 6)
    road = rng.choice(CLOSABLE_ROADS)
    return {
        "ConvoyReports": [(c, "delayed", rng.randint(1, 3)) for c in delayed],
        "Closures": [(road, first, first + rng.randint(1, 4), "IED")],
    }


def rolling(plan: Path, folder: Path, time_limit: float, weeks: int, seed: int) -> None:
    """Table 2: weekly re-plans with stability against re-solving from scratch."""
    rng = random.Random(seed)
    chains = {"stable": plan, "scratch": plan}
    print(f"\n2. Rolling: {weeks} weekly re-plans of Mali (seed {seed}, {time_limit:.0f} s each)")
    head = f"{'short':>7} {'exposure':>9} {'changed':>7} {'gap %':>5}"
    print(f"{'week':>4} {'reports':40} | {head} | {head}")
    totals = {name: [0.0, 0.0, 0] for name in chains}
    for week in range(1, weeks + 1):
        reports = week_reports(chains["stable"], rng)
        shown = ", ".join(f"{c} +{d}" for c, _, d in reports["ConvoyReports"])
        road, first, last, _ = reports["Closures"][0]
        shown = f"{shown}; {road} {first}-{last}"
        cells = []
        for name in chains:
            scratch = name == "scratch"
            convoy_ids = {c for c, *_ in published(chains[name]).convoys}
            own = {
                "ConvoyReports": [r for r in reports["ConvoyReports"] if r[0] in convoy_ids],
                "Closures": reports["Closures"],
            }
            actuals = write_actuals(folder / f"{name}-week{week}-actuals.xlsx", REPORT_DAY, **own)
            output = folder / f"{name}-week{week}.xlsx"
            result = replan(
                chains[name],
                actuals,
                output,
                time_limit_s=time_limit,
                drawings=False,
                freeze_days=0 if scratch else 2,
                weight_stability=0 if scratch else None,
                warm=not scratch,
            )
            short, exposure, changed, _, gap = figures(result)
            totals[name][0] += short
            totals[name][1] += exposure
            totals[name][2] += changed
            cells.append(f"{short:7.1f} {exposure:9.0f} {changed:7d} {gap:5.1f}")
            chains[name] = output
        print(f"{week:4d} {shown[:40]:40} | {cells[0]} | {cells[1]}")
    line = " | ".join(f"{t[0]:7.1f} {t[1]:9.0f} {t[2]:7d} {'':5}" for t in totals.values())
    print(f"{'all':>4} {'':40} | {line}")
    print("(left: re-plan with stability, 2 days frozen; right: re-solved from scratch)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-stability", action="store_true")
    parser.add_argument("--skip-rolling", action="store_true")
    parser.add_argument("--plan", type=Path, help="A published Mali plan to start from.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        plan = args.plan
        if plan is None:
            plan = folder / "mali-plan.xlsx"
            started = time.perf_counter()
            plan_workbook(MALI, plan, time_limit_s=args.time_limit, drawings=False)
            print(f"published Mali plan solved in {time.perf_counter() - started:.0f} s")
        if not args.skip_stability:
            stability_cases(plan, folder, args.time_limit)
        if not args.skip_rolling:
            rolling(plan, folder, args.time_limit, args.weeks, args.seed)


if __name__ == "__main__":
    main()
