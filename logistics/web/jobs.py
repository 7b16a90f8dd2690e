"""Solves run in worker processes, never in a request: a bounded first-come queue in front of
a pool of local processes, or the workers of a Dask cluster (``--scheduler``).

The pool takes ``workers`` solves at a time; ``queue_limit`` more may wait. Beyond that a new
solve is refused with how many are ahead (the page says so; the API answers 429 with
Retry-After). Each run's outcome is written to its folder and to the history as soon as the
worker answers; a worker that dies is reported as a failed run, and the pool is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from logistics.web.files import DataFolder, Validation, validate_workbook
from logistics.web.store import HEARTBEAT_S, RunStatus, Store, now
from logistics.web.worker import (
    NOT_STARTED,
    PROGRESS_FILE,
    STOP_FILE,
    Channel,
    DaskChannel,
    FileChannel,
    Outcome,
    Task,
    execute,
    solver_started,
    worker_started,
)

RUN_FILES = frozenset(
    {
        "plan.xlsx",
        "view.json",
        "summary.pickle",
        "solution.pickle",
        "plan.geojson",
        "plan.kml",
        "outlines.geojson",
        "map.svg",
        "timeline.svg",
    }
)
"""The files a worker may hand back (anything else is ignored)."""
MONITOR_INTERVAL_S = 0.5
RETRY_AFTER_S = 30


class BusyError(Exception):
    """The queue is full; ``ahead`` solves are running or waiting."""

    def __init__(self, ahead: int) -> None:
        super().__init__(f"busy: {ahead} solves ahead of you")
        self.ahead = ahead


@dataclass
class _Job:
    """A submitted run and its future."""

    run_id: str
    future: Any
    started: bool = False


class JobManager:
    """Queues runs, hands them to workers, follows their progress and records their outcome."""

    def __init__(
        self,
        store: Store,
        folder: DataFolder,
        *,
        workers: int = 1,
        queue_limit: int = 4,
        scheduler: str | None = None,
    ) -> None:
        self.store = store
        self.folder = folder
        self.workers = workers
        self.queue_limit = queue_limit
        self.scheduler = scheduler
        self._jobs: dict[str, _Job] = {}
        self._order: list[str] = []
        self._lock = threading.Lock()
        self._stack = ExitStack()
        self._pool: ProcessPoolExecutor | None = None
        self._checker: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._stopping = threading.Event()
        self._monitor = threading.Thread(target=self._follow, name="run-monitor", daemon=True)

    # ---------------------------------------------------------------------------------- life

    def start(self) -> None:
        """Connect to the Dask cluster (if given) and start following runs."""
        if self.scheduler is not None:
            from logistics.whatif import _dask_client

            self._client = self._stack.enter_context(_dask_client(self.scheduler))
        self._monitor.start()

    def shutdown(self) -> None:
        """Stop the workers (their runs stay queued/running in the history: at the next start
        they are marked interrupted) and disconnect."""
        self._stopping.set()
        from logistics.whatif import _end_workers

        for pool in (self._pool, self._checker):
            if pool is not None:
                _end_workers(pool)
        self._stack.close()

    # ------------------------------------------------------------------------------- submit

    def ahead(self) -> int:
        """How many runs are solving or waiting now."""
        with self._lock:
            return len(self._order)

    def position(self, run_id: str) -> int | None:
        """How many runs are ahead of this one (None when it is not waiting or solving)."""
        with self._lock:
            if run_id not in self._order:
                return None
            return self._order.index(run_id)

    def submit(self, task: Task) -> None:
        """Queue a run; raise ``BusyError`` when the queue is full."""
        with self._lock:
            if len(self._order) >= self.workers + self.queue_limit:
                raise BusyError(len(self._order))
            folder = self.folder.run(task.run_id)
            folder.mkdir(parents=True, exist_ok=True)
            future = self._submit(task)
            self._jobs[task.run_id] = _Job(task.run_id, future)
            self._order.append(task.run_id)
        future.add_done_callback(self._finisher(task.run_id))

    def _submit(self, task: Task) -> Any:
        """Hand the task to the cluster or the local pool (replacing a broken pool)."""
        if self._client is not None:
            channel: Channel = DaskChannel(task.run_id)
            return self._client.submit(
                execute, task, channel, pure=False, key=f"solve-{task.run_id}"
            )
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=get_context("spawn"),
                initializer=solver_started,
            )
        try:
            return self._pool.submit(execute, task, FileChannel(self.folder.run(task.run_id)))
        except BrokenProcessPool:
            self._pool = None
            return self._submit(task)

    async def check(self, path: Path, display_name: str) -> Validation:
        """Validate a stored workbook in the checking process, not in the server's: reading a
        workbook is seconds of Python that would hold up every page meanwhile."""
        with self._lock:
            if self._checker is None:
                self._checker = ProcessPoolExecutor(
                    max_workers=1, mp_context=get_context("spawn"), initializer=worker_started
                )
            checker = self._checker
        try:
            return await asyncio.get_running_loop().run_in_executor(
                checker, validate_workbook, path, display_name
            )
        except BrokenProcessPool:
            with self._lock:
                self._checker = None
            raise

    # --------------------------------------------------------------------------------- stop

    def stop(self, run_id: str) -> bool:
        """Ask a run to stop: a waiting run is cancelled, a solving one keeps its best plan.
        Returns whether the run was waiting or solving."""
        with self._lock:
            job = self._jobs.get(run_id)
        if job is None:
            # Another server process may follow the run: its worker reads the same stop signal.
            run = self.store.run(run_id)
            if run is None or not run.run_status.active:
                return False
            self._signal_stop(run_id)
            return True
        self._signal_stop(run_id)
        if not job.started and not self.progress(run_id):
            # Only a run still waiting is cancelled: cancelling a Dask future that runs would
            # drop its task, and the plan found so far with it.
            job.future.cancel()
        return True

    def _signal_stop(self, run_id: str) -> None:
        """Tell the run's worker to stop (a file in the run's folder, or a Dask event)."""
        if self._client is not None:
            from distributed import Event

            Event(f"stop-{run_id}", client=self._client).set()  # type: ignore[no-untyped-call]
        else:
            (self.folder.run(run_id) / STOP_FILE).touch()

    # ----------------------------------------------------------------------------- progress

    def progress(self, run_id: str) -> dict[str, Any]:
        """The latest progress a run's worker reported (empty before it started)."""
        if self._client is not None:
            from distributed import Variable

            with contextlib.suppress(Exception):
                found = Variable(f"progress-{run_id}", client=self._client).get(timeout=0)  # type: ignore[no-untyped-call]
                return dict(found)
            return {}
        with contextlib.suppress(OSError, ValueError):
            found = json.loads((self.folder.run(run_id) / PROGRESS_FILE).read_text("utf-8"))
            return dict(found)
        return {}

    def _follow(self) -> None:
        """Mark runs as running when their worker first reports; say this server is alive
        and interrupt the runs of server processes that are gone, every ``HEARTBEAT_S``."""
        beaten = time.monotonic()
        while not self._stopping.wait(MONITOR_INTERVAL_S):
            if time.monotonic() - beaten >= HEARTBEAT_S:
                beaten = time.monotonic()
                self.store.heartbeat()
                self.store.mark_interrupted()
            with self._lock:
                waiting = [job for job in self._jobs.values() if not job.started]
            for job in waiting:
                if self.progress(job.run_id):
                    job.started = True
                    self.store.set_run(job.run_id, status=RunStatus.running.value, started_at=now())

    # ------------------------------------------------------------------------------- finish

    def _finisher(self, run_id: str) -> Callable[[Any], None]:
        """The callback recording a run's outcome when its future ends."""

        def finish(future: Future[Outcome]) -> None:
            if self._stopping.is_set():
                return
            try:
                outcome = self._outcome(future)
                self._record(run_id, outcome)
            finally:
                with self._lock:
                    self._jobs.pop(run_id, None)
                    with contextlib.suppress(ValueError):
                        self._order.remove(run_id)

        return finish

    def _outcome(self, future: Future[Outcome]) -> Outcome:
        """What the worker answered, or what went wrong with it."""
        try:
            return future.result()
        except CancelledError:
            return Outcome("stopped", NOT_STARTED)
        except BrokenProcessPool:
            self._pool = None
            return Outcome("failed", "the worker process ended unexpectedly (out of memory?)")
        except Exception as error:  # a cluster's worker lost, a pickling failure…
            return Outcome("failed", f"the worker could not finish: {type(error).__name__}")

    def _record(self, run_id: str, outcome: Outcome) -> None:
        """Write the outcome's files into the run's folder and its status into the history."""
        folder = self.folder.run(run_id)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in outcome.files.items():
            if name in RUN_FILES:
                temporary = folder / f".{name}.tmp"
                temporary.write_bytes(data)
                temporary.replace(folder / name)
        self.store.set_run(
            run_id,
            status=RunStatus(outcome.status).value,
            message=outcome.message,
            figures_json=json.dumps(outcome.figures),
            finished_at=now(),
        )

    def active(self) -> Iterator[str]:
        """Ids of the runs waiting or solving, in order."""
        with self._lock:
            yield from list(self._order)


def read_pickle(path: Any) -> Any:
    """A pickle this server wrote itself (a plan's summary or solution), or None."""
    import pickle

    try:
        with Path(path).open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
