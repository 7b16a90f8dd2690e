"""Benchmark suite of missions: measure the search on theatres it was not tuned on.

    python -m benchmarks.missions [--members PATTERN ...] [--seeds 1 2 3] [--time-limit 300]
                                  [--gap 1] [--threads 2] [--quick]
    python -m benchmarks.missions --write outputs/missions/ [--members PATTERN ...] [--quick]

Members are ``<theatre>-<horizon>d-<variant>``: theatres mali, south_sudan, drc, somalia,
synthetic_s1, synthetic_s2; horizons 28 and 42 days; variants base, blockade (main supply route
closed from mid-horizon), rains (rainy-season closures and slower roads) and escort (an escort
unit withdrawn).
``--members`` takes shell-style patterns (``'drc-*'``, ``'*-42d-rains'``). ``--quick`` is a smoke
run: the 28-day base members, one seed, 60 s. Members are solved one after the other, each with
``--threads`` threads; one table is printed, a row per member as it finishes.

``--write DIR`` writes each selected member as an input workbook (``logistics validate`` reads
it) instead of solving.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.missions.runner import (
    footer,
    header,
    print_flush,
    row,
    run_member,
)
from benchmarks.missions.suite import QUICK_PATTERN, Member, select
from logistics.io.template import write_input_workbook

QUICK_TIME_LIMIT_S = 60.0


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.missions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--members", nargs="+", metavar="PATTERN", help="members to run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per solve")
    parser.add_argument("--gap", type=float, default=1.0, help="requested MIP gap in %%")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="28-day base members, 1 seed, 60 s")
    parser.add_argument("--write", type=Path, metavar="DIR", help="write workbooks, do not solve")
    return parser.parse_args(argv)


def write_workbooks(members: tuple[Member, ...], folder: Path) -> None:
    """Each member as ``<folder>/<name>.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    for member in members:
        path = folder / f"{member.name}.xlsx"
        write_input_workbook(member.build(), path)
        print_flush(f"wrote {path}")


def run(
    members: tuple[Member, ...], seeds: list[int], time_limit_s: float, gap: float, threads: int
) -> None:
    """Solve every member with every seed, one after the other, and print the table."""
    print_flush(
        f"{len(members)} members x {len(seeds)} seeds, {time_limit_s:.0f} s, gap {gap} %, "
        f"{threads} threads"
    )
    print_flush(header())
    for member in members:
        runs = [run_member(member, seed, time_limit_s, gap, threads) for seed in seeds]
        print_flush(row(member.name, runs))
    print_flush(footer())


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, then write the workbooks or run the benchmark."""
    args = parse_arguments(argv)
    patterns = args.members or ([QUICK_PATTERN] if args.quick else None)
    members = select(patterns)
    if not members:
        raise SystemExit(f"no member matches {' '.join(patterns or [])}")
    if args.write is not None:
        write_workbooks(members, args.write)
        return
    seeds = [args.seeds[0]] if args.quick else args.seeds
    time_limit = QUICK_TIME_LIMIT_S if args.quick else args.time_limit
    run(members, seeds, time_limit, args.gap, args.threads)


if __name__ == "__main__":
    main()
