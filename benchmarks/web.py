"""Load benchmark of the web application: simulated planners uploading, validating, polling and
downloading while Mali solves run in the server's worker processes.

Starts ``logistics serve`` on a free port with a fresh data folder (two workers, a queue of two),
submits the Mali solves, lets ``--users`` simulated planners loop through the pages until the
solves end, then prints the page latencies (p50, p95, max), what the queue did with solves
beyond its limit, and whether every accepted solve ended (done, stopped or failed, never lost).

    python -m benchmarks.web [--users 20] [--solves 2] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

MALI = Path("inputs/mali.xlsx")
TINY = Path("inputs/tiny.xlsx")


@dataclass
class Tally:
    """Latencies by kind of request, and the failures seen."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call: object) -> httpx.Response:
        """Make a request, recording its latency and any unexpected status."""
        start = time.perf_counter()
        response: httpx.Response = call()  # type: ignore[operator]
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latencies.setdefault(kind, []).append(elapsed)
            if response.status_code >= 500:
                self.errors.append(f"{kind}: {response.status_code}")
        return response


def free_port() -> int:
    """A free local TCP port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


BENCH_ACCOUNT = ("bench", "a benchmark passphrase")
"""The planner account the simulated planners sign in as."""


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """``logistics serve`` in a child process, once it answers, with the planner account
    ``BENCH_ACCOUNT`` of the default mission."""
    name, password = BENCH_ACCOUNT
    subprocess.run(
        [sys.executable, "-m", "logistics", "users", "add", name, "--role", "planner",
         "--mission", "Default mission", "--password-stdin", "--data-dir", str(data_dir)],
        input=password.encode(), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "logistics", "serve", "--port", str(port), "--data-dir",
         str(data_dir), "--workers", "2", "--queue", "2"],
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


@contextlib.contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    """A client of the server signed in as the benchmark's planner (its changes carry the
    session's CSRF token)."""
    name, password = BENCH_ACCOUNT
    with httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post("/api/login", json={"name": name, "password": password})
        answer.raise_for_status()
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        yield client


def upload(client: httpx.Client, path: Path, tally: Tally) -> dict[str, object]:
    """Upload a workbook through the API."""
    with path.open("rb") as handle:
        content = handle.read()
    response = tally.timed(
        "upload+validate",
        lambda: client.post("/api/uploads", files={"workbook": (path.name, content)}),
    )
    found: dict[str, object] = response.json()
    return found


def planner(base: str, stop: threading.Event, tally: Tally, plan_run: str) -> None:
    """One simulated planner: home page, upload and validate, the upload page, history, poll
    the Mali runs, download a plan workbook; again until ``stop``."""
    with signed_in(base) as client:
        while not stop.is_set():
            tally.timed("page /", lambda: client.get("/"))
            found = upload(client, TINY, tally)
            page = f"/uploads/{found['id']}"
            tally.timed("page upload", lambda page=page: client.get(page))
            tally.timed("page history", lambda: client.get("/history"))
            tally.timed("api poll run", lambda: client.get("/api/runs/" + plan_run))
            tally.timed("page plan", lambda: client.get("/runs/" + plan_run))
            tally.timed(
                "download plan.xlsx", lambda: client.get(f"/runs/{plan_run}/files/plan.xlsx")
            )


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--solves", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = start_server(Path(folder) / "server", port)
        base = f"http://127.0.0.1:{port}"
        try:
            with signed_in(base) as client:
                tiny = upload(client, TINY, tally)
                tiny_run = client.post(f"/api/uploads/{tiny['id']}/solve", json={}).json()["id"]
                while client.get(f"/api/runs/{tiny_run}").json()["status"] in ("queued", "running"):
                    time.sleep(0.5)
                mali = upload(client, MALI, tally)
                limits = {"time_limit_s": args.time_limit}
                accepted, refused = [], []
                for _ in range(args.solves + 3):
                    answer = client.post(f"/api/uploads/{mali['id']}/solve", json=limits)
                    if answer.status_code == 202:
                        accepted.append(answer.json()["id"])
                    else:
                        refused.append(
                            (
                                answer.status_code,
                                answer.headers.get("retry-after"),
                                answer.json()["detail"],
                            )
                        )
                for extra in accepted[args.solves :]:
                    client.post(f"/api/runs/{extra}/stop")
                stop = threading.Event()
                users = [
                    threading.Thread(target=planner, args=(base, stop, tally, tiny_run))
                    for _ in range(args.users)
                ]
                started = time.perf_counter()
                for user in users:
                    user.start()
                ended: dict[str, dict[str, object]] = {}
                while (
                    len(ended) < len(accepted)
                    and time.perf_counter() - started < args.time_limit * 3 + 120
                ):
                    for run_id in accepted:
                        run = client.get(f"/api/runs/{run_id}").json()
                        if run["status"] not in ("queued", "running"):
                            ended[run_id] = run
                    time.sleep(1)
                stop.set()
                for user in users:
                    user.join()
                wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(tally, accepted, refused, ended, wall, args)


def report(
    tally: Tally,
    accepted: list[str],
    refused: list[tuple[int, str | None, str]],
    ended: dict[str, dict[str, object]],
    wall: float,
    args: argparse.Namespace,
) -> None:
    """Print the latencies, the queue's answers and how every accepted solve ended."""
    print(f"{args.users} simulated planners for {wall:.0f} s while {args.solves} Mali solves ran "
          f"(time limit {args.time_limit:.0f} s, 2 workers, queue 2)")  # fmt: skip
    print(f"{'request':22} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    pages: list[float] = []
    for kind, values in sorted(tally.latencies.items()):
        if kind.startswith("page"):
            pages += values
        print(f"{kind:22} {len(values):6d} {1000 * statistics.median(values):8.0f} "
              f"{1000 * percentile(values, 95):8.0f} {1000 * max(values):8.0f}")  # fmt: skip
    print(f"{'all pages':22} {len(pages):6d} {1000 * statistics.median(pages):8.0f} "
          f"{1000 * percentile(pages, 95):8.0f} {1000 * max(pages):8.0f}")  # fmt: skip
    print(f"solves accepted: {len(accepted)}; refused: {len(refused)}")
    for status, retry, detail in refused:
        print(f"  refused {status} (Retry-After {retry}): {detail}")
    for run_id in accepted:
        run = ended.get(run_id)
        state = "LOST (never ended)" if run is None else f"{run['status']}: {run['message']}"
        print(f"  {run_id[:8]} {state}")
    print(f"server errors (5xx): {len(tally.errors)}")
    lost = [r for r in accepted if r not in ended]
    print("every accepted solve ended or was reported" if not lost else f"{len(lost)} solves lost")


if __name__ == "__main__":
    main()
