"""The README stays true: its test command is what CI runs, and it lists every workbook sheet."""

from __future__ import annotations

import re
from pathlib import Path

from logistics.rules.registry import SHEETS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    commands = _commands()
    setup = [c for c in commands if "pip install" in c]
    assert len(setup) == 2
    main_job, test_job = setup
    assert "logistics solve inputs/mali.xlsx" in main_job
    assert "outputs/" in main_job
    assert test_job.endswith("pytest")
    assert test_job in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_walks_through_every_sheet_of_the_workbook() -> None:
    for spec in SHEETS:
        assert f"| `{spec.name}` |" in README, spec.name
