"""Plan and comparison workbooks in French: sheet names, headers and words in the plan's language
(the scenario's Settings ``language``, or the command line's ``--language``), ids, names the
planner typed and numbers as they are, and ``In_`` sheets the reader reads back to the scenario
that was solved, so a French plan re-solves to the same objective.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pyomo.environ as pyo
import pytest
from typer.testing import CliRunner

from logistics import api
from logistics.api import PlanRun
from logistics.cli import app
from logistics.i18n import column_name, sheet_name, use_language
from logistics.io.reader import load
from logistics.io.xlsx import save_atomically
from logistics.report.brief import status_words
from logistics.report.comparison import build_comparison_workbook, failed_summary, summarise
from logistics.report.plan_workbook import build_plan_workbook, write_plan_workbook
from logistics.report.tables import plan_table, worded_reason
from logistics.rules import schemas as s
from logistics.rules.overlays import InputDifference
from logistics.rules.registry import INPUT_ECHO_PREFIX
from models.build import build_model
from models.reasons import ALL_REASONS

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
MALI = ROOT / "inputs" / "mali.xlsx"
RESULT_SHEETS = (
    "Allocation",
    "Garrison",
    "Convoys",
    "ConvoyVehicles",
    "Cargo",
    "Stock",
    "Shortfalls",
    "EndStock",
    "Routes",
)
ENGLISH_PHRASES = (
    "Logistics plan:",
    "The plan is as good as it can be",
    "Days of supply by sector",
    "What cannot be met, and why",
    "Most exposed convoys",
    "Fleet and escorts at their busiest",
    "none: ",
    "How the search for a plan ended",
    "Stock divided by one day's demand",
    "Plan day the convoy leaves.",
)
"""Sentences of the English Brief and Glossary that a French plan must not hold."""
runner = CliRunner()


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> PlanRun:
    """The tiny mission's plan in English, solved to proven optimality."""
    folder = tmp_path_factory.mktemp("english")
    return api.plan_workbook(TINY, folder / "plan.xlsx", mip_gap_pct=0.0, drawings=False)


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny mission (an English workbook) planned in French from the command line."""
    path = tmp_path_factory.mktemp("french") / "plan.xlsx"
    arguments = ["solve", str(TINY), "-o", str(path), "--mip-gap", "0", "--no-drawings"]
    result = runner.invoke(app, [*arguments, "--language", "fr"])
    assert result.exit_code == 0, result.output
    return path


def _workbook(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def _french_sheet(name: str) -> str:
    """The French name of a plan sheet, an ``In_`` sheet named after its input sheet."""
    if name.startswith(INPUT_ECHO_PREFIX):
        return INPUT_ECHO_PREFIX + sheet_name(name.removeprefix(INPUT_ECHO_PREFIX), "fr")
    return sheet_name(name, "fr")


def _headers(workbook: Any) -> dict[str, list[str]]:
    """Every table's headers by table name (table names are the same in both languages)."""
    return {
        table.name: [str(column.name) for column in table.tableColumns]
        for ws in workbook
        for table in ws.tables.values()
    }


def _texts(ws: Any) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def _data_rows(ws: Any) -> list[tuple[object, ...]]:
    """A sheet's rows under its header row."""
    return list(ws.iter_rows(min_row=2, values_only=True))


def _table_rows(ws: Any) -> list[tuple[object, ...]]:
    """The data rows of a sheet's one table."""
    (table,) = ws.tables.values()
    return [tuple(c.value for c in row) for row in ws[table.ref][1:]]


# --------------------------------------------------------------------------------------------------
# The plan workbook
# --------------------------------------------------------------------------------------------------


def test_every_sheet_and_header_of_a_french_plan_is_french(english: PlanRun, french: Path) -> None:
    assert english.output is not None
    en, fr = _workbook(english.output), _workbook(french)
    assert fr.sheetnames == [_french_sheet(name) for name in en.sheetnames]
    renamed = [name for name in en.sheetnames if _french_sheet(name) != name]
    assert len(renamed) >= 20
    assert set(renamed).isdisjoint(fr.sheetnames)
    assert {"Briefing", "Synthèse", "Glossaire", "Exécution", "In_Itinéraires"} <= set(
        fr.sheetnames
    )
    en_headers, fr_headers = _headers(en), _headers(fr)
    assert en_headers.keys() == fr_headers.keys()
    for table, headers in en_headers.items():
        assert fr_headers[table] == [column_name(h, "fr") for h in headers], table
        english_only = {h for h in headers if column_name(h, "fr") != h}
        assert english_only.isdisjoint(fr_headers[table]), table
    assert fr_headers["Convoys"][:3] == ["id_convoi", "parcours", "date_depart"]
    assert fr_headers["ObjectiveTerms"][:2] == ["Terme de l'objectif", "Points pondérés"]
    assert fr_headers["ChartDaysOfSupply"] == ["jour du plan", "CAMP-B", "CAMP-A", "HUB"]


def test_the_brief_summary_and_glossary_of_a_french_plan_speak_french(
    english: PlanRun, french: Path
) -> None:
    fr = _workbook(french)
    brief = fr["Briefing"]
    with use_language("fr"):
        sentence = status_words(english.plan)
    assert sentence == "Le plan est aussi bon que possible (à la précision demandée près)."
    assert brief["A1"].value == "Plan logistique : Tiny hand-checked mission"
    assert brief["A3"].value == sentence
    assert str(brief["A4"].value).startswith("Besoins satisfaits à 93,3 % · manque 10,0 t + kL")
    assert brief["A2"].value == "du 2024-01-01 au 2024-01-06 (6 jours)"
    texts = [*_texts(brief), *_texts(fr["Glossaire"]), *_texts(fr["Synthèse"])]
    for phrase in ENGLISH_PHRASES:
        assert not [text for text in texts if phrase in text], phrase
    glossary = dict(_data_rows(fr["Glossaire"]))
    assert glossary["jours de stock"].startswith("Stock divisé par le besoin d'un jour")
    assert glossary["jour_depart"] == "Jour du plan où le convoi part."
    rows = fr["Synthèse"].iter_rows(min_row=3, max_row=13, values_only=True)
    summary = {row[0]: row[1] for row in rows}
    assert summary["Statut"] == (
        "Plan optimal : prouvé le meilleur possible, à la précision demandée près."
    )
    assert fr["Synthèse"].oddFooter.center.text == "Page &P sur &N"
    assert fr["Synthèse"].oddHeader.right.text.startswith("Plan du ")
    kpis = {row[0]: row for row in _data_rows(fr["Synthèse"]) if row[0] == "troops_required"}
    assert kpis["troops_required"][2:4] == ("soldats", "Σ besoin en garnison sur les bases.")


def test_a_french_plan_holds_the_english_plans_numbers_ids_and_names(
    english: PlanRun, french: Path
) -> None:
    assert english.output is not None
    en, fr = _workbook(english.output), _workbook(french)
    for name in RESULT_SHEETS:
        english_rows = _table_rows(en[name])
        header = [cell.value for cell in en[name][1]]
        if "reason" in header:  # reasons are words: the same reasons, in French
            at = header.index("reason")
            with use_language("fr"):
                english_rows = [
                    (*row[:at], worded_reason(row[at]), *row[at + 1 :]) for row in english_rows
                ]
        assert _table_rows(fr[sheet_name(name, "fr")]) == english_rows, name
    for name in en.sheetnames:
        if name.startswith(INPUT_ECHO_PREFIX) and name != "In_Settings":
            assert _table_rows(fr[_french_sheet(name)]) == _table_rows(en[name]), name
    values = {
        row[0]: row[1] for row in _data_rows(en["Summary"]) if row and row[0] != "total_wall_s"
    }
    shown = {row[0]: row[1] for row in _data_rows(fr["Synthèse"]) if row and row[0] in values}
    assert shown == {kpi: value for kpi, value in values.items() if kpi in shown}
    assert shown["objective"] == pytest.approx(213_343.17)


def test_the_reasons_of_a_french_plans_shortfalls_are_french(
    english: PlanRun, french: Path
) -> None:
    """Tiny falls 10 kL short at CAMP-B on day 2: the reason the model gives is written in the
    plan's language, the same reason in both plans."""
    workbook = _workbook(french)
    shortfalls = workbook[_french_sheet("Shortfalls")]
    header = [cell.value for cell in shortfalls[1]]
    column = header.index(column_name("reason", "fr"))
    reasons = [row[column] for row in _data_rows(shortfalls)]
    english_reasons = list(plan_table(english.plan, "shortfalls")["reason"])
    assert reasons and len(reasons) == len(english_reasons)
    with use_language("fr"):
        expected = [worded_reason(reason) for reason in english_reasons]
    assert reasons == expected
    assert all(reason not in ALL_REASONS for reason in reasons)


def test_the_scenarios_language_decides_and_a_chosen_one_overrides_it(english: PlanRun) -> None:
    settings = english.scenario.settings.model_copy(update={"language": s.Language.fr})
    scenario_fr = english.scenario.model_copy(update={"settings": settings})
    written = build_plan_workbook(scenario_fr, english.plan, english.run)
    assert written.sheetnames[:2] == ["Briefing", "Synthèse"]
    with use_language("en"):
        overridden = build_plan_workbook(scenario_fr, english.plan, english.run)
    assert overridden.sheetnames[:2] == ["Brief", "Summary"]
    echo = {row[0]: row[1] for row in _data_rows(written["In_Paramètres"])}
    assert (echo["langue"], echo["horizon_jours"]) == ("fr", 6)


# --------------------------------------------------------------------------------------------------
# Round trip: the In_ sheets are the scenario that was solved
# --------------------------------------------------------------------------------------------------


def test_the_in_sheets_of_a_french_plan_re_solve_to_the_proven_optimum(
    english: PlanRun, french: Path, tmp_path: Path
) -> None:
    loaded = load(french)
    assert loaded.sheet_prefix == INPUT_ECHO_PREFIX
    assert loaded.names_language == "fr"
    assert loaded.scenario.model_dump() == english.scenario.model_dump()
    again = api.plan_workbook(french, tmp_path / "again.xlsx", mip_gap_pct=0.0, drawings=False)
    assert again.plan.status.value == "optimal"
    assert again.plan.objective == pytest.approx(english.plan.objective, rel=1e-9)


def _objective_of(data: Any, solution: dict[str, float]) -> float:
    """The objective of ``solution`` (variable name -> value, zeros left out) on the model built
    from ``data``."""
    model = build_model(data)
    for var in model.component_data_objects(pyo.Var, descend_into=True):
        var.set_value(solution.get(var.name, 0.0), skip_validation=True)
    return float(pyo.value(model.total_penalty))


@pytest.fixture(scope="module")
def mali_french(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanRun, Path]:
    """The Mali mission solved for 25 s and its plan written in French."""
    run = api.plan_workbook(MALI, None, time_limit_s=25, drawings=False)
    assert run.plan.status.has_plan
    path = tmp_path_factory.mktemp("mali") / "plan.xlsx"
    with use_language("fr"):
        write_plan_workbook(path, run.scenario, run.plan, run.run)
    return run, path


@pytest.mark.slow
def test_a_french_mali_plan_round_trips_to_the_same_model_and_objective(
    mali_french: tuple[PlanRun, Path],
) -> None:
    run, path = mali_french
    assert "In_Itinéraires" in _workbook(path).sheetnames
    loaded = load(path)
    assert loaded.names_language == "fr"
    assert loaded.scenario.model_dump() == run.scenario.model_dump()
    data = api.compile_scenario(loaded.scenario)
    assert data == run.data
    objective = _objective_of(data, dict(run.plan.solution))
    assert objective == pytest.approx(run.plan.objective, rel=1e-6)


# --------------------------------------------------------------------------------------------------
# The comparison workbook
# --------------------------------------------------------------------------------------------------


def test_the_comparison_workbook_in_french_names_its_sheets_headers_and_units_in_french(
    english: PlanRun, tmp_path: Path
) -> None:
    differences = (
        InputDifference("closed", "Routes", "R-A", "distance_km", "120", "200"),
        InputDifference("closed", "Settings", "horizon_days", "value", "6", "7"),
    )
    base = summarise("base", "", english.scenario, english.plan, english.run, (), "plan.xlsx")
    summaries = [
        dataclasses.replace(base, language="fr"),
        failed_summary("closed", "R-A closed", "no route", differences),
    ]
    save_atomically(build_comparison_workbook(summaries, run=english.run), tmp_path / "fr.xlsx")
    wb = _workbook(tmp_path / "fr.xlsx")
    assert wb.sheetnames == ["Comparaison", "Graphiques", "Scenarios", "Exécution"]
    headers = _headers(wb)
    assert headers["Comparison"] == ["indicateur", "unite", "base", "closed", "delta_closed"]
    assert headers["InputDifferences"][:4] == ["scenario", "feuille", "id", "champ"]
    assert headers["Scenarios"][1:4] == ["colonne_comparaison", "description", "statut"]
    assert headers["Run"] == ["section", "element", "valeur", "unite"]
    comparison = wb["Comparaison"]
    assert comparison["A1"].value == "Comparaison de scénarios : tiny.xlsx"
    units = {row[0]: row[1] for row in comparison.iter_rows(min_row=5, values_only=True)}
    assert units["troops_required"] == "soldats"
    assert units["objective_cost"] == "points pondérés"
    rows = [row for row in comparison.iter_rows(values_only=True) if row[0] == "closed"]
    assert [row[1:4] for row in rows] == [
        ("Itinéraires", "R-A", "distance_km"),
        ("Paramètres", "horizon_jours", "valeur"),
    ]
    with use_language("en"):
        english_wb = build_comparison_workbook(summaries, run=english.run)
    assert english_wb.sheetnames == ["Comparison", "Charts", "Scenarios", "Run"]
