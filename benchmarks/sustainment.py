"""Benchmark: plans a J4 would sign, on Mali and on missions the tool was not tuned on.

    python -m benchmarks.sustainment [--time-limit 120] [--seeds 1 2]

Solves the bundled Mali mission, Mali with its main supply route (Bamako-Sévaré) closed by a
level-5 threat from mid-horizon, and synthetic missions of other sizes and seeds (see
``benchmarks.synthetic``), and prints per mission: status, wall time, the gap of every priority
tier, unmet demand, stock points missing their end-of-horizon target, stock-point-days below
the safety target, threat exposure, and the plan checker's verdict; then, per supply class, the
stock held over all bases at the close of day 1 and of the last day.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.synthetic import synthetic_mission
from logistics.api import compile_scenario, load_scenario, solve, solve_options
from logistics.rules.schemas import Scenario, Threat
from models import Plan
from tests.models.plan_checker import check_plan

ROOT = Path(__file__).resolve().parents[1]


def missions(seeds: list[int]) -> Iterator[tuple[str, Scenario]]:
    """The benchmark's missions, by name."""
    mali = load_scenario(ROOT / "inputs" / "mali.xlsx")
    yield "mali", mali
    middle = mali.settings.horizon_days // 2
    blockade = Threat(
        threat_id="BLOCKADE",
        threat_type="ied",
        level=5,
        route_id="BKO-SEV-ROAD",
        first_day=middle,
        description="main supply route closed from mid-horizon",
    )
    yield "mali-blockade", mali.model_copy(update={"threats": (*mali.threats, blockade)})
    for seed in seeds:
        yield f"synthetic-20-s{seed}", synthetic_mission(20, horizon_days=28, seed=seed)
        yield f"synthetic-40-s{seed}", synthetic_mission(40, horizon_days=28, seed=seed)


def checker_verdict(data: object, plan: Plan) -> str:
    """'pass', or the first problem the plan checker finds."""
    try:
        check_plan(data, plan)  # type: ignore[arg-type]
    except AssertionError as problem:
        return str(problem).splitlines()[1][:80] if "\n" in str(problem) else str(problem)[:80]
    return "pass"


def describe(name: str, data: object, plan: Plan, wall_s: float) -> list[str]:
    """The lines printed for one mission."""
    stock = plan.tables["stock"]
    end = plan.tables["end_stock"]
    below = stock[stock["closing"] < stock["safety_target"] - 1e-6]
    tiers = "  ".join(
        f"{t.name.split(' ')[0]} {t.gap_pct:.2f}%" if t.gap_pct is not None else f"{t.name} -"
        for t in plan.tiers
    )
    lines = [
        f"{name:<20} {plan.status.value:<11} {wall_s:6.1f} s  short {stock['shortfall'].sum():8.1f}"
        f"  end misses {int((end['deficit'] > 0).sum()):3d}/{len(end):3d}"
        f"  below-safety days {len(below):5d}  exposure {plan.raw_terms.get('exposure', 0):12,.0f}"
        f"  checker {checker_verdict(data, plan)}",
        f"{'':<20} tiers: {tiers}",
    ]
    last = int(stock["day"].max())
    for supply, rows in stock.groupby("supply_id"):
        first_day = rows[rows["day"] == 1]["closing"].sum()
        last_day = rows[rows["day"] == last]["closing"].sum()
        lines.append(f"{'':<20} {supply:<13} day 1 {first_day:10.1f}   day {last} {last_day:10.1f}")
    return lines


def main() -> None:
    """Parse arguments, solve every mission, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for name, scenario in missions(args.seeds):
        data = compile_scenario(scenario)
        started = time.perf_counter()
        plan = solve(data, solve_options(scenario.settings, time_limit_s=args.time_limit))
        for line in describe(name, data, plan, time.perf_counter() - started):
            print(line, flush=True)


if __name__ == "__main__":
    main()
