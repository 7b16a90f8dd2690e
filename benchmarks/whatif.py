"""Benchmark: a batch of 20 what-ifs on the Mali mission.

    python -m benchmarks.whatif [--workers 2] [--skip-dask]

The 20 scenarios are the 7 of ``inputs/mali-scenarios.xlsx`` and 13 more written into a copy of
the base workbook's own ``Scenarios`` sheet (roads closed for days 8-21, threats raised). Prints:

1. each scenario solved cold, one after another (the reference), and their sum;
2. the same batch on local worker processes, warm-started from the base plan: total wall time,
   its ratio to the sum of (1), each scenario's times, gaps and starting plan, and the median ratio
   warm / cold solve time per scenario;
3. the batch on a local Dask cluster (scheduler and two workers started here): whether its KPIs
   are identical to (2), and every scenario and KPI that differs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from logistics.report.comparison import ScenarioSummary
from logistics.whatif import BASE, WhatIfResult, run_whatif

BASE_WORKBOOK = Path("inputs/mali.xlsx")
SCENARIOS = Path("inputs/mali-scenarios.xlsx")
CLOSED_ROADS = (
    "BKO-SEV-ROAD",
    "SEV-DOU-ROAD",
    "DOU-GOS-ROAD",
    "GOS-GAO-ROAD",
    "GAO-BOU-ROAD",
    "TBU-GDM-ROAD",
    "TBU-BER-ROAD",
    "SEV-OGO-ROAD",
    "ANS-GAO-ROAD",
    "ABJ-BKO-ROAD",
)
RAISED_THREATS = (("SEV-DOU-ROAD", 4), ("TBU-GAO-ROAD", 4), ("GAO-BOU-ROAD", 4))
COMPARED_KPIS = ("objective", "demand_met_pct", "shortfall_total", "convoys")


def extra_scenarios(folder: Path) -> Path:
    """A copy of the base workbook whose own Scenarios sheet holds the 13 extra what-ifs."""
    workbook = openpyxl.load_workbook(BASE_WORKBOOK)
    sheet = workbook.create_sheet("Scenarios")
    sheet.append(["scenario", "sheet", "id", "field", "value", "first_day", "last_day"])
    for route in CLOSED_ROADS:
        sheet.append([f"closed-{route.lower()}", "Routes", route, "open", "no", 8, 21])
    for route, level in RAISED_THREATS:
        sheet.append(
            [f"threat{level}-{route.lower()}", "Routes", route, "threat_level", level, None, None]
        )
    path = folder / BASE_WORKBOOK.name
    workbook.save(path)
    return path


def by_name(result: WhatIfResult) -> dict[str, ScenarioSummary]:
    """The batch's summaries keyed by scenario."""
    return {s.name: s for s in result.summaries}


def kpi_differences(
    local: dict[str, ScenarioSummary], dask: dict[str, ScenarioSummary]
) -> list[str]:
    """Each scenario and KPI of ``COMPARED_KPIS`` whose values differ between the two batches."""
    differing = []
    for name, ours in local.items():
        theirs = dask.get(name)
        if theirs is None:
            differing.append(f"{name}: missing from the Dask batch")
            continue
        differing.extend(
            f"{name} {kpi}: local {ours.value(kpi)!r}, Dask {theirs.value(kpi)!r}"
            for kpi in COMPARED_KPIS
            if ours.value(kpi) != theirs.value(kpi)
        )
    return differing


def _pct(summary: ScenarioSummary) -> str:
    gap = summary.value("mip_gap_pct")
    return f"{gap:5.2f} %" if isinstance(gap, float) else f"{gap!s:>7}"


def _start_kind(summary: ScenarioSummary) -> str:
    """The scenario's starting plan in a word or two (``Plan.start`` is a sentence)."""
    start = summary.starting_plan or ""
    if "re-optimised" in start:
        return "repaired and re-optimised"
    if start.startswith("previous plan, repaired"):
        return "repaired"
    if start.startswith("previous plan not used"):
        return "none, re-optimising " + start.rsplit("re-optimising ", 1)[-1]
    return start


def main() -> None:
    """Run the three measurements and print their figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        base = extra_scenarios(folder)

        start = time.perf_counter()
        cold = by_name(run_whatif(base, SCENARIOS, folder / "cold", workers=1, warm=False))
        sequential_s = time.perf_counter() - start
        solve_sum = sum(s.solve_s or 0.0 for s in cold.values())
        print(f"scenarios: {len(cold) - 1} what-ifs + base")
        print(
            f"1. one after another, cold: {sequential_s:.1f} s wall; sum of solve stages {solve_sum:.1f} s",
            flush=True,
        )

        batch = run_whatif(base, SCENARIOS, folder / "warm", workers=args.workers, warm=True)
        warm = by_name(batch)
        print(
            f"2. batch on {args.workers} processes, warm: {batch.wall_s:.1f} s = {batch.wall_s / sequential_s:.2f} x the sequential run"
        )
        ratios = []
        for name, summary in warm.items():
            if name == BASE or summary.solve_s is None or cold[name].solve_s is None:
                continue
            ratio = summary.solve_s / (cold[name].solve_s or 1.0)
            ratios.append(ratio)
            print(
                f"   {name:30s} cold {cold[name].solve_s:6.1f} s gap {_pct(cold[name])}"
                f" | warm {summary.solve_s:6.1f} s gap {_pct(summary)} | ratio {ratio:.2f}"
                f" | start: {_start_kind(summary)}",
                flush=True,
            )
        print(f"   median warm / cold solve time: {statistics.median(ratios):.2f}")

        if not args.skip_dask:
            from distributed import LocalCluster

            with LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                start = time.perf_counter()
                dask = by_name(
                    run_whatif(
                        base, SCENARIOS, folder / "dask", scheduler=cluster.scheduler_address
                    )
                )
                dask_s = time.perf_counter() - start
            differing = kpi_differences(warm, dask)
            print(
                f"3. batch on a local Dask cluster (2 workers): {dask_s:.1f} s; "
                f"KPIs identical to (2): {not differing}"
            )
            for line in differing:
                print(f"   differs: {line}")


if __name__ == "__main__":
    main()
