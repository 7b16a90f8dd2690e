"""Atomic file output: a crash or an error never leaves a half-written file behind.

A file is written to a hidden temporary file beside its target (``.NAME-PID-XXXX.xlsx``) and
renamed into place. Errors and signals remove the temporary file on the way out; a process killed
outright (``SIGKILL``, power loss) cannot, so the next write into the folder removes the
temporary files of processes that no longer run, which it knows by the process id in the name.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from logistics.errors import Interrupted

ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Signals that end a run: each raises ``Interrupted``, so every ``finally`` and every temporary
file's cleanup runs on the way out."""


_LIVE_TEMPORARIES: set[Path] = set()
"""Temporary files this process is writing now, for ``exit_on_signals`` to remove."""


def exit_on_signals() -> None:
    """Make ending signals remove this process's temporary files and exit at once.

    For worker processes: their pool catches every exception a task raises and waits for the
    next task, so a worker told to end (by its parent's death, or ``SIGTERM``) must exit itself.
    """
    for number in ENDING_SIGNALS:
        signal.signal(number, _remove_temporaries_and_exit)


def _remove_temporaries_and_exit(signum: int, _frame: FrameType | None) -> None:
    for temporary in list(_LIVE_TEMPORARIES):
        with contextlib.suppress(OSError):
            temporary.unlink()
    os._exit(128 + signum)


def interrupt_on_signals() -> None:
    """Make ``SIGINT``, ``SIGTERM`` and ``SIGHUP`` raise ``Interrupted`` in the main thread.

    By default ``SIGTERM`` and ``SIGHUP`` end the process on the spot, leaving temporary files
    and worker processes behind.
    """
    for number in ENDING_SIGNALS:
        signal.signal(number, _raise_interrupted)


@contextlib.contextmanager
def signals_end_the_run() -> Iterator[None]:
    """While the block runs, ending signals raise ``Interrupted``; the previous handlers are put
    back afterwards (the command line runs inside a test's process too)."""
    previous = {number: signal.getsignal(number) for number in ENDING_SIGNALS}
    interrupt_on_signals()
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    """Raise ``Interrupted`` once; later signals are ignored so that the cleanup can finish."""
    for number in ENDING_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signum)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it into place in one step.

    The temporary file lives in the same folder so that the final move is a rename on one file
    system; if ``write`` fails (or a signal ends the run), the temporary file is removed and
    ``path`` is left as it was. An ``OSError`` from creating the temporary file names ``path``,
    not the hidden file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    temporary = _new_temporary(path)
    _LIVE_TEMPORARIES.add(temporary)
    # mkstemp creates the file private (0600); a shared plan should get the usual permissions.
    try:
        temporary.chmod(0o666 & ~_current_umask())
        write(temporary)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    finally:
        _LIVE_TEMPORARIES.discard(temporary)


def check_writable(path: Path) -> None:
    """Raise ``OSError`` naming ``path`` unless a file can be written there atomically.

    Creates (and removes) the temporary file a write would use, so that a read-only or missing
    folder is found before hours of work rather than when the result is saved.
    """
    folder = path.parent
    if not folder.exists():
        folder = next((p for p in folder.parents if p.exists()), Path())
    _new_temporary(path, folder).unlink()


def _new_temporary(path: Path, folder: Path | None = None) -> Path:
    """A new, empty temporary file for ``path`` (in ``folder``, default ``path``'s folder)."""
    try:
        handle, name = tempfile.mkstemp(
            dir=folder or path.parent, prefix=f".{path.stem}-{os.getpid()}-", suffix=path.suffix
        )
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    os.close(handle)
    return Path(name)


_TEMPORARY = re.compile(r"^\..+-(\d+)-[A-Za-z0-9_]{8}\.[A-Za-z0-9]+$")
"""A temporary file of ``write_atomically``: ``.NAME-PID-XXXXXXXX.EXT`` (mkstemp's 8 characters)."""


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files in ``folder`` left by processes that no longer run."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = _TEMPORARY.match(entry.name)
            if match and not _running(int(match.group(1))) and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id runs (on this machine; another's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _current_umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
