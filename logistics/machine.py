"""What this machine gives a solve by default (kept free of heavy imports: the command line
reads it before it loads the solver)."""

from __future__ import annotations

import os

DEFAULT_THREADS = min(2, os.cpu_count() or 1)
"""Threads of one solve by default: a HiGHS search and, on a second core, the improver that
re-optimises the best plan neighbourhood by neighbourhood (``models.race``)."""
