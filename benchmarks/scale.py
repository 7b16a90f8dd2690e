"""Benchmark: how the model grows with the mission, on synthetic missions of increasing size.

    python -m benchmarks.scale [--sizes 50 150 400] [--days 90] [--time-limit 600] [--mip-gap 1]

Each size runs in a fresh process so its peak memory (max RSS) is its own. Prints variables,
integer variables, constraints, non-zeros, time per stage, status, gap and peak memory per size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from benchmarks.synthetic import synthetic_mission
from logistics.compile import compile_scenario
from models import SolveOptions, solve


def measure(n_bases: int, days: int, time_limit_s: float, mip_gap_pct: float) -> dict[str, object]:
    """Generate, compile and solve one synthetic mission; return its figures."""
    start = time.perf_counter()
    scenario = synthetic_mission(n_bases, horizon_days=days)
    generated = time.perf_counter()
    data = compile_scenario(scenario)
    compiled = time.perf_counter()
    plan = solve(data, SolveOptions(time_limit_s=time_limit_s, mip_gap=mip_gap_pct / 100))
    return {
        "bases": n_bases,
        "days": days,
        "lines": len(data.LINES),
        **plan.model_size,
        "generate_s": generated - start,
        "compile_s": compiled - generated,
        **{f"{k}_s": v for k, v in plan.timings_s.items()},
        "total_s": time.perf_counter() - start,
        "status": plan.status.value,
        "gap_pct": plan.mip_gap_pct,
        "objective": plan.objective,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    """Run each size in its own process and print a table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 150, 400])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--mip-gap", type=float, default=1.0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.days, args.time_limit, args.mip_gap)))
        return
    columns = (
        "bases",
        "lines",
        "variables",
        "integer_variables",
        "constraints",
        "nonzeros",
        "compile_s",
        "build_s",
        "transfer_s",
        "solve_s",
        "extract_s",
        "total_s",
        "status",
        "gap_pct",
        "peak_rss_mib",
    )
    print("  ".join(f"{c:>12}" for c in columns), flush=True)
    for size in args.sizes:
        child = [
            sys.executable,
            "-m",
            "benchmarks.scale",
            "--one",
            str(size),
            "--days",
            str(args.days),
            "--time-limit",
            str(args.time_limit),
            "--mip-gap",
            str(args.mip_gap),
        ]
        figures = json.loads(
            subprocess.run(child, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        print("  ".join(_cell(figures.get(c)) for c in columns), flush=True)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:>12.2f}"
    if isinstance(value, int):
        return f"{value:>12,}"
    return f"{value!s:>12}"


if __name__ == "__main__":
    main()
