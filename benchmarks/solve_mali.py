"""Benchmark: solve an example mission end to end and print the time of every stage.

    python -m benchmarks.solve_mali [inputs/mali.xlsx] [--repeat 3] [--time-limit 60] [--mip-gap 1]

Prints, per run: status, objective, MIP gap, wall time per stage (read, compile, build, transfer,
solve, extract, write) and the share of model building, transfer and extraction in the total.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from logistics.api import PlanRun, plan_workbook

STAGES = ("read", "compile", "build", "transfer", "solve", "extract", "write")
MODEL_OVERHEAD = ("build", "transfer", "extract")


def run_once(path: Path, time_limit_s: float, mip_gap_pct: float) -> PlanRun:
    """One full run, writing the workbook to a temporary directory."""
    with tempfile.TemporaryDirectory() as folder:
        return plan_workbook(
            path, Path(folder) / "plan.xlsx", time_limit_s=time_limit_s, mip_gap_pct=mip_gap_pct
        )


def describe(run: PlanRun) -> str:
    """One line of figures for a run."""
    timings = run.run.timings_s
    total = run.total_wall_s
    overhead = sum(timings.get(s, 0.0) for s in MODEL_OVERHEAD)
    stages = "  ".join(f"{s} {timings.get(s, 0.0):6.2f}" for s in STAGES)
    gap = run.plan.mip_gap_pct
    return (
        f"{run.plan.status.value:<9} objective {run.plan.objective or 0:14,.1f}  gap {gap if gap is not None else float('nan'):5.2f} %  "
        f"total {total:6.2f} s  |  {stages}  |  build+transfer+extract {overhead:5.2f} s = {100 * overhead / total:4.1f} %"
    )


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workbook", nargs="?", default="inputs/mali.xlsx", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--mip-gap", type=float, default=1.0, help="relative MIP gap in %%")
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        run = run_once(args.workbook, args.time_limit, args.mip_gap)
        runs.append(run)
        print(describe(run), flush=True)
    size = runs[0].plan.model_size
    print(
        f"model: {size.get('variables', 0):,} variables ({size.get('integer_variables', 0):,} integer), {size.get('constraints', 0):,} constraints, {size.get('nonzeros', 0):,} non-zeros"
    )
    print(
        f"median total wall time over {len(runs)} runs: {statistics.median(r.total_wall_s for r in runs):.2f} s"
    )


if __name__ == "__main__":
    main()
