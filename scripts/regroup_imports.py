"""Rewrite the names of the modules of ``logistics`` after they were grouped by stage.

``logistics/`` was one flat folder of modules; it is now grouped into ``io/`` (workbooks and
files), ``rules/`` (schemas and checks), ``compile/`` and ``report/`` (the plan and comparison
workbooks), and its three longest modules were split by what they do. This script rewrites every
mention of an old module in the repository's ``.py``, ``.cfg``, ``.toml`` and ``.md`` files:

- ``from logistics.X import a, b`` (one line or in parentheses, at any indentation), a split
  module's names going to the module that now holds each of them;
- ``from logistics import X`` and ``import logistics.X``;
- ``logistics.X`` and ``logistics.X.name`` anywhere else (strings such as ``monkeypatch`` targets,
  docstrings, Markdown) and the paths ``logistics/X.py``.

It can be run again at any time (say after merging a branch that still names the old modules): a
mention already rewritten is left alone. It then sorts and formats the Python files it changed
with ruff. From the repository's root::

    .venv/bin/python scripts/regroup_imports.py [--check]

``--check`` only lists the files that would change and exits with 1 if there is any.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".py", ".cfg", ".toml", ".md")
SKIPPED_DIRS = {".venv", ".git", "node_modules", "__pycache__", "build", "dist"}

MOVED: dict[str, str] = {
    # io: workbooks and files
    "atomic": "io.atomic",
    "security": "io.security",
    "xlsx": "io.xlsx",
    "template": "io.template",
    # rules: schemas and checks
    "schemas": "rules.schemas",
    "fields": "rules.fields",
    "registry": "rules.registry",
    "validation": "rules.validation",
    "warnings": "rules.warnings",
    "locations": "rules.locations",
    "network": "rules.network",
    # report: the plan and comparison workbooks
    "brief": "report.brief",
    "grids": "report.grids",
    "glossary": "report.glossary",
    "printing": "report.printing",
    "numbers": "report.numbers",
    "palette": "report.palette",
    "comparison": "report.comparison",
}
"""Old module (under ``logistics``) -> new module (under ``logistics``). ``logistics.compile``
became a package that re-exports ``compile_scenario``, so its name needs no rewriting."""

SPLIT_NAMES: dict[str, dict[str, str]] = {
    "overlays": {
        "rules.overlays": (
            "value_on BASE_SCENARIO REMOVE WHOLE_RECORD COMMAND_LINE COMMAND_LINE_ORIGIN "
            "SCENARIO_COLUMN SETTINGS_FIELD Change Addition InputDifference Overlay "
            "scenario_name_problem select_overlays apply_overlay checked_overlay "
            "scenario_differences"
        ),
        "rules.overlay_sources": (
            "read_overlays read_overlays_by_scenario SHORTCUT_FORMS parse_shortcut shortcut_overlay"
        ),
    },
    "reader": {
        "io.reader": (
            "LoadedScenario load_scenario load read_workbook read_with_locations "
            "percent_warnings missing_defaults"
        ),
        "io.sheets": (
            "NOTES_HEADER COMMENT_PREFIX formula_without_value IGNORED_SHEETS "
            "KNOWN_SHEETS Layout sheet_layout Tables read_all_sheets read_sheets "
            "USER_SHEET_PREFIXES is_filled UNKNOWN_NAMES unknown_name_message"
        ),
        "io.cells": (
            "ReadCell ReadRow Header ReadContext CachedValues ISO_DATE normalise "
            "build_row build_record"
        ),
    },
    "export": {
        "report.plan_workbook": (
            "NOT_PRINTED write_plan_workbook plan_language build_plan_workbook "
            "add_named_sheet print_context headline"
        ),
        "report.tables": (
            "PATH_SEPARATOR plan_table DATE_COLUMNS day_date plan_frames leg_index path_routes"
        ),
        "report.kpis": (
            "Kpi WEIGHTED_UNIT EXPOSURE_UNIT compute_kpis kpi_frame TERM_WORDS "
            "TERM_PRIORITY OBJECTIVE_TERM_COLUMNS objective_term_meanings "
            "objective_terms_frame"
        ),
        "report.formats": (
            "COLUMN_FORMATS COLUMN_DECIMALS RED_FILL AMBER_FILL RED_FONT WRAP NOTE_FONT input_value"
        ),
        "report.result_sheets": (
            "EMPTY_SHEET_NOTES PRINTED_COLUMNS printed_first write_result_sheet "
            "scenario_sheet_frame add_input_sheets"
        ),
        "report.run_sheet": (
            "TOOL_NAME STAGES SolverOption RunInfo RUN_DECIMALS run_frame write_run_sheet "
            "set_properties STATUS_WORDS"
        ),
        "report.summary": (
            "STOCK_CHART_BASES ROUTE_CHART_ROUTES write_summary ChartPlace "
            "DECIMAL_FORMATS threatened_bases CHART_DAY_HEADER stock_chart_frame "
            "route_chart_frame CHART_TEXT_PT finish_chart"
        ),
    },
}
"""Old module split in several -> {new module -> the public names it now holds, space-separated}.
A bare mention of the old module (no name after it) stands for the first new module of its table,
which holds what the old module was named for."""

SPLIT: dict[str, dict[str, str]] = {
    old: {name: module for module, names in table.items() for name in names.split()}
    for old, table in SPLIT_NAMES.items()
}
SPLIT_HOME: dict[str, str] = {old: next(iter(table)) for old, table in SPLIT_NAMES.items()}


def new_module(old: str, name: str | None = None) -> str:
    """The new module (under ``logistics``) of ``name`` of old module ``old``."""
    if old in SPLIT:
        if name is None:
            return SPLIT_HOME[old]
        if name not in SPLIT[old]:
            raise KeyError(
                f"logistics.{old}.{name}: not in the table of scripts/regroup_imports.py"
            )
        return SPLIT[old][name]
    return MOVED[old]


OLD = "|".join(sorted({*MOVED, *SPLIT}, key=len, reverse=True))
FROM_MODULE = re.compile(
    rf"^(?P<indent>[ \t]*)from logistics\.(?P<old>{OLD}) import "
    r"(?P<names>\([^)]*\)|[^\n]*)",
    re.MULTILINE,
)
FROM_PACKAGE = re.compile(
    r"^(?P<indent>[ \t]*)from logistics import (?P<names>\([^)]*\)|[^\n]*)", re.MULTILINE
)
IMPORT_MODULE = re.compile(rf"^(?P<indent>[ \t]*)import logistics\.(?P<old>{OLD})\b", re.MULTILINE)
DOTTED = re.compile(rf"(?<![\w.])logistics\.(?P<old>{OLD})(?:\.(?P<name>\w+))?(?!\w)")
PATH = re.compile(rf"(?<![\w./])logistics/(?P<old>{OLD})\.py\b")


def _parse_names(text: str) -> tuple[list[tuple[str, str]], str]:
    """The (name, ``as`` clause) pairs of an import's names, and its trailing comment."""
    comment = ""
    lines = []
    for line in text.strip().strip("()").splitlines():
        code, _, note = line.partition("#")
        if note and not comment:
            comment = "  #" + note.rstrip()
        lines.append(code)
    names = []
    for part in " ".join(lines).split(","):
        words = part.split()
        if words:
            names.append((words[0], " ".join(words[1:])))
    return names, comment


def _imports(indent: str, grouped: dict[str, list[tuple[str, str]]], comment: str) -> str:
    statements = []
    for module, names in grouped.items():
        listed = ", ".join(f"{n} {alias}".strip() for n, alias in names)
        statements.append(f"{indent}from {module} import {listed}")
    statements[0] += comment
    return "\n".join(statements)


def _from_module(match: re.Match[str]) -> str:
    old = match["old"]
    names, comment = _parse_names(match["names"])
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name, alias in names:
        grouped.setdefault(f"logistics.{new_module(old, name)}", []).append((name, alias))
    return _imports(match["indent"], grouped, comment)


def _from_package(match: re.Match[str]) -> str:
    names, comment = _parse_names(match["names"])
    if not any(name in MOVED or name in SPLIT for name, _ in names):
        return match[0]
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name, alias in names:
        if name in MOVED or name in SPLIT:
            package, _, module = new_module(name).rpartition(".")
            grouped.setdefault(f"logistics.{package}", []).append((module, alias))
            if name in SPLIT:
                print(f"check the uses of {name} (split; imported as {package}.{module})")
        else:
            grouped.setdefault("logistics", []).append((name, alias))
    return _imports(match["indent"], grouped, comment)


def _dotted(match: re.Match[str]) -> str:
    old, name = match["old"], match["name"]
    if name is not None and old in SPLIT and name in SPLIT[old]:
        return f"logistics.{SPLIT[old][name]}.{name}"
    module = f"logistics.{new_module(old)}"
    return f"{module}.{name}" if name is not None else module


def rewrite(text: str, suffix: str) -> str:
    """``text`` with every mention of an old module rewritten."""
    if suffix == ".py":
        text = FROM_MODULE.sub(_from_module, text)
        text = FROM_PACKAGE.sub(_from_package, text)
        text = IMPORT_MODULE.sub(
            lambda m: f"{m['indent']}import logistics.{new_module(m['old'])}", text
        )
    text = DOTTED.sub(_dotted, text)
    return PATH.sub(lambda m: f"logistics/{new_module(m['old']).replace('.', '/')}.py", text)


def files(root: Path) -> list[Path]:
    """Every file of the repository that may name a module, outside environments and caches."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix in SUFFIXES and path.is_file() and not SKIPPED_DIRS & set(relative.parts):
            found.append(path)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="list what would change; change nothing"
    )
    args = parser.parse_args()
    changed = []
    for path in files(ROOT):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, path.suffix)
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path.relative_to(ROOT))
    if args.check:
        return 1 if changed else 0
    python = [str(p) for p in changed if p.suffix == ".py"]
    if python:
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "--select", "I", "--fix", "--quiet", *python], check=False)
        subprocess.run([*ruff, "format", "--quiet", *python], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
