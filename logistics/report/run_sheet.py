"""Provenance of a run: ``RunInfo``, the ``Run`` sheet (versions, input, timings, searches, tiers,
warnings) and the workbook's document properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from typing import Any

import pandas as pd
from openpyxl.packaging.custom import StringProperty

from logistics.i18n import (
    N_,
    _,
    column_names,
)
from logistics.io.xlsx import (
    plain_text,
    write_table,
)
from logistics.report.brief import plan_title
from logistics.report.kpis import WEIGHTED_UNIT
from logistics.report.numbers import (
    gap_up,
    rounded_value,
)
from logistics.report.printing import (
    wrap_long_text,
)
from logistics.rules.schemas import Scenario
from models.results import Plan, SolveStatus

TOOL_NAME = "peacekeeping-logistics"
STAGES: tuple[str, ...] = ("read", "compile", "build", "transfer", "solve", "extract", "write")
"""Stages of a run, in order, whose wall time the ``Run`` sheet reports."""


SolverOption = str | int | float | bool


@dataclass(frozen=True)
class RunInfo:
    """Provenance of one run, shown on the ``Run`` sheet and in the document properties."""

    tool_version: str
    input_file: str
    """Name of the input workbook; any directory part is dropped before it is written."""
    input_sha256: str
    solver: str
    solver_version: str
    started_at: dt.datetime
    solver_options: Mapping[str, SolverOption] = field(default_factory=dict)
    timings_s: Mapping[str, float] = field(default_factory=dict)
    """Wall time per stage in ``STAGES``. Without ``write``, the time spent composing this
    workbook (before the file is saved) is reported as the write stage."""
    overrides: tuple[str, ...] = ()
    """Scenario overrides applied to the input workbook, one readable row each."""
    warnings: tuple[str, ...] = ()
    """Warnings the input's validation gave (suspicious but usable values), one line each."""

    @property
    def input_name(self) -> str:
        """The input file name without any directory (Windows or POSIX), so no path leaks."""
        return PureWindowsPath(self.input_file).name


def _search_rows(plan: Plan) -> list[tuple[str, str, object, str]]:
    """Time to a usable plan and to proof, the searches raced, and whether the plan is
    reproducible (``models.SearchRecord``)."""
    search = plan.search
    never = _("not reached")
    section = _("search")
    return [
        (section, _("plan within 5 % after"), search.within_5pct_s or never, "s"),
        (section, _("plan within 1 % after"), search.within_1pct_s or never, "s"),
        (section, _("gap after the root node"), search.root_gap_pct, "%"),
        (section, _("searches raced"), search.racers, ""),
        (section, _("random seed"), search.seed, ""),
        (
            section,
            _("reproducible"),
            _reproducible_words(plan),
            "",
        ),
    ]


def _tier_rows(plan: Plan) -> list[tuple[str, str, object, str]]:
    """Status, termination, value, distance from best possible and time of each priority
    searched in turn."""
    rows: list[tuple[str, str, object, str]] = []
    section = _("priority")
    for position, tier in enumerate(plan.tiers, start=1):
        name = f"{position} {tier.name}"
        rows += [
            (section, _("{tier}: status").format(tier=name), tier.status.value, ""),
            (section, _("{tier}: termination").format(tier=name), tier.termination, ""),
            (section, _("{tier}: value").format(tier=name), tier.value, _(WEIGHTED_UNIT)),
            (
                section,
                _("{tier}: distance from best possible").format(tier=name),
                gap_up(tier.gap_pct),
                "%",
            ),
            (section, _("{tier}: time").format(tier=name), tier.seconds, "s"),
        ]
    return rows


def _numbered_rows(section: str, texts: Sequence[str]) -> list[tuple[str, str, object, str]]:
    """One row per text, numbered from 1; one row saying "none" when there is none."""
    shown = texts or (_("none"),)
    return [(section, str(i), text, "") for i, text in enumerate(shown, start=1)]


RUN_DECIMALS = 2
"""Decimals of the Run sheet's figures (seconds, weighted values, solver options)."""


def _reproducible_words(plan: Plan) -> str:
    """Whether this input gives this plan again, and why, in words."""
    if plan.search.reproducible:
        return _("yes: every search ended by its gap, so this input gives this plan on any machine")
    if "stopped on request" in plan.termination:
        return _("no: the search was stopped on request before it ended by its gap")
    return _(
        "no: the time limit stopped a search, so a faster or less loaded machine may "
        "give a better plan"
    )


def run_frame(
    scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> pd.DataFrame:
    """Provenance rows (``section``, ``item``, ``value``, ``unit``) for the ``Run`` sheet, its
    words in the message language (solver option keys, stages and model sizes are names)."""
    tool, source, solver = _("tool"), _("input"), _("solver")
    rows: list[tuple[str, str, object, str]] = [
        (tool, _("name"), TOOL_NAME, ""),
        (tool, _("version"), run.tool_version, ""),
        (source, _("file"), run.input_name, ""),
        (source, "sha256", run.input_sha256, ""),
        (source, _("scenario name"), scenario.settings.scenario_name, ""),
        (source, _("classification"), scenario.settings.classification, ""),
        (_("run"), _("started at"), run.started_at.isoformat(timespec="seconds"), "ISO 8601"),
        (solver, _("name"), run.solver, ""),
        (solver, _("version"), run.solver_version, ""),
        (solver, _("status"), plan.status.value, ""),
        (solver, _("termination"), plan.termination, ""),
    ]
    option = _("solver option")
    rows += [(option, key, value, "") for key, value in sorted(run.solver_options.items())]
    rows += _tier_rows(plan)
    rows += _search_rows(plan)
    stages = [*STAGES, *sorted(set(timings_s) - set(STAGES))]
    timing = _("timing")
    rows += [(timing, stage, timings_s.get(stage), "s") for stage in stages]
    rows.append((timing, _("total"), sum(timings_s.values()), "s"))
    rows += [(_("model size"), key, value, "") for key, value in plan.model_size.items()]
    rows += _numbered_rows(_("override"), run.overrides)
    rows += _numbered_rows(_("warning"), run.warnings)
    shown = [
        (section, item, rounded_value(value, RUN_DECIMALS), unit)
        for section, item, value, unit in rows
    ]
    return pd.DataFrame(shown, columns=["section", "item", "value", "unit"], dtype=object)


def write_run_sheet(
    ws: Any, scenario: Scenario, plan: Plan, run: RunInfo, timings_s: Mapping[str, float]
) -> None:
    """The ``Run`` sheet: one provenance table."""
    frame = run_frame(scenario, plan, run, timings_s)
    table = write_table(ws, frame, "Run", headers=column_names(frame.columns))
    wrap_long_text(ws, table, frame)


def set_properties(wb: Any, scenario: Scenario, plan: Plan, run: RunInfo) -> None:
    """Document properties that identify the plan without opening it (no paths, no library name)."""
    author = plain_text(f"{TOOL_NAME} {run.tool_version}")
    props = wb.properties
    props.creator = author
    props.lastModifiedBy = author
    props.title = plain_text(plan_title(scenario))
    props.subject = _("Peacekeeping mission logistics plan")
    props.description = plain_text(_(STATUS_WORDS[plan.status]))
    props.keywords = _("logistics; allocation; convoys; supply")
    started = run.started_at
    props.created = started.astimezone(dt.UTC).replace(tzinfo=None) if started.tzinfo else started
    for name, value in (
        ("scenario", scenario.settings.scenario_name),
        ("input_file", run.input_name),
        ("input_sha256", run.input_sha256),
        ("status", plan.status.value),
        ("solver", f"{run.solver} {run.solver_version}"),
    ):
        wb.custom_doc_props.append(StringProperty(name=name, value=plain_text(value)))


STATUS_WORDS: dict[SolveStatus, str] = {
    SolveStatus.optimal: N_(
        "Optimal plan: proven the best possible, within the precision asked for."
    ),
    SolveStatus.feasible: N_(
        "Feasible plan: the time ran out before the plan was proven the best possible."
    ),
    SolveStatus.no_solution: N_(
        "No plan found within the time limit: the workbook shows what the mission would look "
        "like with no deliveries."
    ),
    SolveStatus.infeasible: N_("No plan exists that meets the hard constraints."),
    SolveStatus.error: N_("No plan: the solver failed."),
}
"""Each status in plain words (English; ``_`` gives them in the message language)."""
