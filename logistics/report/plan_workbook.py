"""Write the plan workbook that liaison teams brief from (SPEC §4).

The workbook is in the plan's language (``plan_language``: the one chosen on the command line,
else the scenario's Settings ``language``): its sheet names and table headers are the catalogue's
(``i18n.sheet_name``, ``i18n.column_name``) and its words the catalogue's translations. Ids, the
names the planner typed and enum values stay as they are, and the frames, KPIs and tables these
modules make public keep their English column names and units: only what is written is named in
the plan's language.

The workbook is written fresh, values only: a ``Summary`` (title block, KPI table, objective terms,
charts), one sheet per result table with the planner's names joined onto the ids, a ``Run`` sheet
with provenance, and the inputs exactly as solved in ``In_<Sheet>`` sheets generated from
``registry.SHEETS``. Every KPI is computed from the result tables, so the numbers on the summary
are the sums of the rows a reader can filter.

The sheets are made by the modules beside this one: the plan's tables (``tables.plan_frames``),
the KPIs and objective terms (``kpis.compute_kpis``), the result sheets and the input echo
(``result_sheets``), the ``Run`` sheet (``run_sheet``) and the ``Summary`` (``summary``). Their
frames and KPIs are public so a comparison workbook can reuse them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook

from logistics.i18n import (
    _,
    chosen_language,
    sheet_name,
    use_language,
)
from logistics.io.xlsx import (
    add_sheet,
    save_atomically,
)
from logistics.report.brief import Block, PlanImages, write_brief
from logistics.report.glossary import write_glossary
from logistics.report.grids import DAY_GRIDS, pages_wide, write_days_of_supply, write_timeline
from logistics.report.kpis import Kpi, compute_kpis, objective_term_meanings, plan_terms
from logistics.report.numbers import (
    in_words,
)
from logistics.report.printing import (
    PrintContext,
    exclude_from_print,
    set_page,
)
from logistics.report.result_sheets import add_input_sheets, write_result_sheet
from logistics.report.run_sheet import RunInfo, set_properties, write_run_sheet
from logistics.report.summary import write_summary
from logistics.report.tables import plan_frames
from logistics.rules import registry
from logistics.rules.schemas import Scenario
from models.results import Plan

if TYPE_CHECKING:
    from pathlib import Path


NOT_PRINTED: tuple[str, ...] = ("ConvoyVehicles", "Cargo", "Stock", "EndStock", "Run")
"""Sheets left out of the printed pack (the input echo ``In_`` sheets are too): the Brief, the
DaysOfSupply heat map and the Convoys sheet say on a few pages what the detail sheets hold, and
the page headers carry the plan's date; every one stays in the workbook."""


@dataclass(frozen=True)
class PlanAnnex:
    """What a plan carries beyond every plan's sheets: a re-plan's ``Changes`` sheet and the
    Brief's block that says what changed."""

    sheets: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    """Result sheets by English name, written after the plan's own."""
    brief: tuple[Block, ...] = ()
    """Blocks at the top of the Brief's left half."""


def write_plan_workbook(
    path: Path,
    scenario: Scenario,
    plan: Plan,
    run: RunInfo,
    images: PlanImages | None = None,
    annex: PlanAnnex | None = None,
) -> None:
    """Write the plan workbook for ``plan`` (solved from ``scenario``) to ``path`` atomically."""
    save_atomically(build_plan_workbook(scenario, plan, run, images, annex), path)


def plan_language(scenario: Scenario) -> str:
    """The language a plan of ``scenario`` is written in: the one chosen with
    ``i18n.use_language`` (the command line's ``--language``), else the Settings' ``language``."""
    return chosen_language() or scenario.settings.language.value


def build_plan_workbook(
    scenario: Scenario,
    plan: Plan,
    run: RunInfo,
    images: PlanImages | None = None,
    annex: PlanAnnex | None = None,
) -> Any:
    """Compose the plan workbook in memory (see the module docstring for its sheets), in the
    plan's language (``plan_language``).

    ``images`` holds the pictures drawn elsewhere (a map for the Brief, a convoy timeline); the
    workbook is complete without them.
    """
    language = plan_language(scenario)
    with use_language(language, language):
        return _compose_plan_workbook(scenario, plan, run, images, annex or PlanAnnex())


def add_named_sheet(wb: Any, name: str) -> Any:
    """Add the sheet whose English name is ``name``, named in the names language."""
    return add_sheet(wb, sheet_name(name))


def _compose_plan_workbook(
    scenario: Scenario, plan: Plan, run: RunInfo, images: PlanImages | None, annex: PlanAnnex
) -> Any:
    """The plan workbook, its names and words in the languages in effect."""
    started = time.perf_counter()
    pictures = images or PlanImages()
    wb = Workbook()
    wb.remove(wb.active)
    frames = plan_frames(scenario, plan)
    brief, summary = add_named_sheet(wb, "Brief"), add_named_sheet(wb, "Summary")
    write_days_of_supply(add_named_sheet(wb, "DaysOfSupply"), scenario, frames)
    write_timeline(add_named_sheet(wb, "Timeline"), scenario, frames)
    for name, frame in {**frames, **annex.sheets}.items():
        write_result_sheet(add_named_sheet(wb, name), name, frame)
    write_glossary(add_named_sheet(wb, "Glossary"), objective_term_meanings(plan_terms(plan)))
    run_sheet = add_named_sheet(wb, "Run")
    add_input_sheets(wb, scenario)

    timings = dict(run.timings_s)
    timings.setdefault("write", time.perf_counter() - started)
    kpis = compute_kpis(scenario, plan, frames, sum(timings.values()))
    write_run_sheet(run_sheet, scenario, plan, run, timings)
    write_summary(summary, scenario, plan, run, kpis, frames)
    write_brief(brief, scenario, plan, frames, headline(kpis), pictures, annex.brief)
    _set_pages(wb, scenario, run)
    wb.active = 0
    wb.active.sheet_view.tabSelected = True
    set_properties(wb, scenario, plan, run)
    return wb


def print_context(scenario: Scenario, run: RunInfo) -> PrintContext:
    """What every printed page of the plan says: scenario, plan date and classification."""
    settings = scenario.settings
    return PrintContext(
        title=settings.scenario_name,
        dated=_("Plan of {when}").format(when=f"{run.started_at:%Y-%m-%d %H:%M}"),
        classification=settings.classification,
    )


def _set_pages(wb: Any, scenario: Scenario, run: RunInfo) -> None:
    """Page set-up of every sheet; the Brief on one page, the detail sheets not printed."""
    context = print_context(scenario, run)
    grids = {sheet_name(name) for name in DAY_GRIDS}
    not_printed = {sheet_name(name) for name in NOT_PRINTED}
    for ws in wb.worksheets:
        wide = pages_wide(scenario.settings.horizon_days) if ws.title in grids else 1
        set_page(ws, context, one_page=ws.title == sheet_name("Brief"), pages_wide=wide)
        if ws.title in not_printed or ws.title.startswith(registry.INPUT_ECHO_PREFIX):
            exclude_from_print(ws)


def headline(kpis: Sequence[Kpi]) -> list[str]:
    """The Brief's line of headline figures, in words."""
    value = {k.kpi: k.value for k in kpis}
    parts: list[str] = []
    if value.get("demand_met_pct") is not None:
        parts.append(_("Demand met {pct} %").format(pct=_worded(value["demand_met_pct"], 1)))
    if value.get("shortfall_total"):
        parts.append(_("short {amount} t + kL").format(amount=_worded(value["shortfall_total"], 1)))
    if value.get("convoys") is not None:
        parts.append(_("{count} convoys and sorties").format(count=_worded(value["convoys"], 0)))
    if value.get("garrison_shortfall"):
        troops = _worded(value["garrison_shortfall"], 0)
        parts.append(_("garrisons short {troops} troops").format(troops=troops))
    if value.get("mip_gap_pct") is not None:
        gap = f"{_worded(value['mip_gap_pct'], 1)} %"
        parts.append(_("at most {gap} from the best possible plan").format(gap=gap))
    return parts


def _worded(value: float | str | None, decimals: int) -> str:
    """A KPI's value in a sentence, as the message language writes numbers."""
    return in_words(float(value), decimals) if isinstance(value, int | float) else str(value)
