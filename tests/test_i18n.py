"""Workbooks and messages in French: names read in either language, messages in the workbook's.

A French workbook names its sheets and columns in French (``Itinéraires``, ``distance_km``,
``id_base_depart``) and, with ``langue`` = ``fr`` in its ``Paramètres``, is told about its
problems in French, at the same cells and with the same exit codes as in English. The catalogue
(``logistics/locale``) must hold a French translation of every message the code and the
workbooks use, with the same placeholders, and its compiled ``.mo`` must match it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from logistics import api
from logistics.cli import app
from logistics.errors import InputError
from logistics.i18n import (
    COLUMN_CONTEXT,
    LOCALE_DIR,
    SHEET_CONTEXT,
    column_name,
    fold,
    sheet_name,
    use_language,
)
from logistics.io.reader import load, load_scenario
from logistics.io.sheets import KNOWN_SHEETS
from logistics.io.template import write_input_workbook, write_template
from logistics.rules import schemas as s
from logistics.rules.fields import shown_number
from logistics.rules.registry import INPUT_ECHO_PREFIX, SCENARIOS_SHEET, SHEETS

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"
PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "logistics.po"
MO_FILE = PO_FILE.with_suffix(".mo")
runner = CliRunner()


def in_french(scenario: s.Scenario) -> s.Scenario:
    """The scenario with its Settings asking for French messages."""
    settings = scenario.settings.model_copy(update={"language": s.Language.fr})
    return scenario.model_copy(update={"settings": settings})


def catalogue() -> dict[tuple[str | None, str], object]:
    """The French catalogue's translations by (context, English msgid)."""
    with PO_FILE.open("rb") as file:
        return translations(read_po(file))


def translations(entries: Iterable[Message]) -> dict[tuple[str | None, str], object]:
    """Each message's translation (a tuple of forms for a plural) by (context, msgid, or the
    singular of a plural)."""
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): (
            m.string if isinstance(m.string, str) else tuple(m.string)
        )
        for m in entries
        if m.id
    }


# --------------------------------------------------------------------------------------------------
# Reading French workbooks
# --------------------------------------------------------------------------------------------------


def test_a_french_workbook_of_every_sheet_reads_back_to_its_scenario(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    french = in_french(scenario)
    path = tmp_path / "mission-fr.xlsx"
    write_input_workbook(french, path, "fr")
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert "Itinéraires" in names and "Routes" not in names
    loaded = load(path)
    assert loaded.scenario == french
    assert (loaded.language, loaded.names_language) == ("fr", "fr")


def _filled_template(path: Path, language: str) -> Path:
    """A blank template in ``language`` with the same records typed under its headers."""
    write_template(path, language)
    workbook = openpyxl.load_workbook(path)
    workbook[sheet_name("Supplies", language)].append(["WATER", "Water", "kL", 1, "water", 1, 2])
    bases = workbook[sheet_name("Bases", language)]
    bases.append(["GAO", "Gao", "hub", "East", 16.27, -0.04, 2000, 500, "paved_runway"])
    bases.append(["KIDAL", "", "Camp", "North", 18.44, 1.41, 900])
    workbook[sheet_name("Sources", language)].append(["GAO", "WATER", 100])
    workbook.save(path)
    return path


def test_the_french_template_filled_in_reads_to_the_same_scenario_as_the_english(
    tmp_path: Path,
) -> None:
    english = load_scenario(_filled_template(tmp_path / "en.xlsx", "en"))
    french = load_scenario(_filled_template(tmp_path / "fr.xlsx", "fr"))
    assert english.settings.language == s.Language.en
    assert french == in_french(english)


def test_the_french_template_is_french_throughout(tmp_path: Path) -> None:
    path = tmp_path / "modele.xlsx"
    result = runner.invoke(app, ["template", str(path), "--language", "fr"])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "Instructions",
        "Dictionnaire",
        *(sheet_name(spec.name, "fr") for spec in SHEETS),
        "Listes",
    ]
    routes = workbook["Itinéraires"]
    assert [cell.value for cell in routes[1]][:3] == [
        "id_itineraire",
        "id_base_depart",
        "id_base_arrivee",
    ]
    assert routes["E1"].comment.text == (
        "Longueur en km.\nUnité : km.\n"
        "Attendu : un nombre en km supérieur à 0 et au plus 20\N{NARROW NO-BREAK SPACE}000.\n"
        "Obligatoire."
    )
    validations = workbook["Bases"].data_validations.dataValidation
    kind = next(v for v in validations if v.promptTitle == "type")
    assert kind.prompt.startswith("port, hub (plateforme logistique)")
    assert kind.prompt.endswith("Parmi : port, hub, camp, team_site, waypoint.")
    settings = {
        row[0]: row[1] for row in workbook["Paramètres"].iter_rows(min_row=2, values_only=True)
    }
    assert settings["langue"] == "fr"
    dictionary = list(workbook["Dictionnaire"].iter_rows(values_only=True))
    assert dictionary[0] == (
        "feuille",
        "colonne",
        "type",
        "unite",
        "obligatoire",
        "defaut",
        "valeurs admises",
        "description",
    )
    assert dictionary[[row[:2] for row in dictionary].index(("Itinéraires", "distance_km"))][
        :5
    ] == ("Itinéraires", "distance_km", "nombre", "km", "oui")
    text = "\n".join(str(c.value) for c in workbook["Instructions"]["A"] if c.value)
    assert "• Itinéraires (facultative) : Liaisons routières, fluviales et aériennes" in text
    assert "distance_km en km, charge_utile_t en tonnes, transit_jours en jours" in text


def _bad_french_workbook(tmp_path: Path, scenario: s.Scenario) -> Path:
    """The mission in French with a distance typed as text and a route from an unknown base."""
    path = tmp_path / "mission-fr.xlsx"
    write_input_workbook(in_french(scenario), path, "fr")
    workbook = openpyxl.load_workbook(path)
    routes = workbook["Itinéraires"]
    routes["E2"] = "210 km"
    routes["B3"] = "hub"
    workbook.save(path)
    return path


def test_a_bad_cell_of_a_french_workbook_is_told_in_french_at_its_french_name(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    path = _bad_french_workbook(tmp_path, scenario)
    with pytest.raises(InputError) as raised:
        load(path)
    assert [str(issue) for issue in raised.value.issues] == [
        "Itinéraires!E2 [distance_km] = '210 km': attendu un nombre en km supérieur à 0 et au "
        "plus 20\N{NARROW NO-BREAK SPACE}000",
        "Itinéraires!B3 [id_base_depart] = 'hub': aucun id_base 'hub' dans la feuille Bases "
        "(vouliez-vous dire HUB ?)",
    ]
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "2 problèmes dans mission-fr.xlsx" in result.output


def test_the_same_bad_cells_in_english_keep_their_english_messages(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    path = tmp_path / "mission.xlsx"
    write_input_workbook(scenario, path)
    workbook = openpyxl.load_workbook(path)
    workbook["Routes"]["E2"] = "210 km"
    workbook["Routes"]["B3"] = "hub"
    workbook.save(path)
    with pytest.raises(InputError) as raised:
        load(path)
    assert [str(issue) for issue in raised.value.issues] == [
        "Routes!E2 [distance_km] = '210 km': expected a number of km greater than 0 and at most "
        "20,000",
        "Routes!B3 [from_base_id] = 'hub': no base_id 'hub' in the Bases sheet (did you mean HUB?)",
    ]


def test_the_command_line_language_overrides_the_workbooks(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    """The names stay the workbook's; only the words change."""
    path = _bad_french_workbook(tmp_path, scenario)
    result = runner.invoke(app, ["validate", str(path), "--language", "en"])
    assert result.exit_code == 1
    flat = " ".join(result.output.replace("│", " ").split())
    assert "2 problems in mission-fr.xlsx" in flat
    assert "no id_base 'hub' in the Bases sheet" in flat
    assert runner.invoke(app, ["validate", str(path), "--language", "de"]).exit_code == 2


def test_a_sheet_named_in_the_other_language_is_refused_by_name(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    path = tmp_path / "mission.xlsx"
    write_input_workbook(scenario, path)
    workbook = openpyxl.load_workbook(path)
    workbook["Threats"].title = "Menaces"
    workbook.save(path)
    with pytest.raises(InputError) as raised:
        load(path)
    assert str(raised.value.issues[0]) == (
        "Menaces: this sheet is named in another language than the workbook's other sheets, so it "
        "is not read: a workbook names all its sheets and columns in one language; rename it to "
        "'Threats'"
    )


def test_a_column_named_in_the_other_language_is_refused_by_name(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    path = tmp_path / "mission-fr.xlsx"
    write_input_workbook(in_french(scenario), path, "fr")
    workbook = openpyxl.load_workbook(path)
    workbook["Itinéraires"]["F1"] = "transit_days"
    workbook.save(path)
    with pytest.raises(InputError) as raised:
        load(path)
    assert str(raised.value.issues[0]) == (
        "Itinéraires!F1 = 'transit_days': ce nom est dans une autre langue que les feuilles du "
        "classeur : un classeur nomme toutes ses feuilles et colonnes dans une seule langue ; "
        "renommez-le en transit_jours"
    )


def test_french_headers_are_read_in_any_case_and_without_accents(
    tmp_path: Path, scenario: s.Scenario
) -> None:
    path = tmp_path / "mission-fr.xlsx"
    write_input_workbook(in_french(scenario), path, "fr")
    workbook = openpyxl.load_workbook(path)
    workbook["Itinéraires"]["A1"] = "ID_Itinéraire"
    workbook.save(path)
    assert load_scenario(path) == in_french(scenario)


# --------------------------------------------------------------------------------------------------
# Solving French workbooks and French plans
# --------------------------------------------------------------------------------------------------


def _objective(path: Path, tmp_path: Path) -> float:
    run = api.plan_workbook(path, tmp_path / f"{path.stem}-plan.xlsx")
    assert run.plan.status.has_plan
    return float(run.plan.objective)


def test_the_tiny_mission_in_french_solves_to_the_same_objective(tmp_path: Path) -> None:
    french = tmp_path / "tiny-fr.xlsx"
    write_input_workbook(in_french(load_scenario(TINY)), french, "fr")
    assert _objective(french, tmp_path) == pytest.approx(_objective(TINY, tmp_path), rel=1e-9)


def _as_french_plan(plan: Path) -> None:
    """Name a plan workbook's input sheets, headers and settings keys in French and ask for
    French messages, as the plan writer does for a French plan."""
    workbook = openpyxl.load_workbook(plan)
    for spec in SHEETS:
        sheet = workbook[INPUT_ECHO_PREFIX + spec.name]
        sheet.title = INPUT_ECHO_PREFIX + sheet_name(spec.name, "fr")
        for cell in sheet[1]:
            cell.value = column_name(str(cell.value), "fr")
        if spec.layout == "key_value":
            for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
                if cell.value == "language":
                    sheet.cell(cell.row, 2).value = "fr"
                cell.value = column_name(str(cell.value), "fr")
    workbook.save(plan)


def test_the_input_sheets_of_a_french_plan_re_solve_to_the_same_objective(tmp_path: Path) -> None:
    run = api.plan_workbook(TINY, tmp_path / "plan.xlsx")
    _as_french_plan(tmp_path / "plan.xlsx")
    loaded = load(tmp_path / "plan.xlsx")
    assert loaded.sheet_prefix == INPUT_ECHO_PREFIX
    assert (loaded.language, loaded.names_language) == ("fr", "fr")
    assert loaded.scenario == in_french(run.scenario)
    assert _objective(tmp_path / "plan.xlsx", tmp_path) == pytest.approx(
        run.plan.objective, rel=1e-9
    )


# --------------------------------------------------------------------------------------------------
# The names
# --------------------------------------------------------------------------------------------------


def test_french_names_are_distinct_and_machine_friendly() -> None:
    """Within a sheet no two columns share a French name; a French sheet name is no other
    sheet's English name; headers are lower_snake ASCII with the unit suffix kept."""
    french_sheets = [sheet_name(name, "fr") for name in KNOWN_SHEETS]
    assert len({fold(name) for name in french_sheets}) == len(KNOWN_SHEETS)
    for known, french in zip(KNOWN_SHEETS, french_sheets, strict=True):
        assert french == known or french not in KNOWN_SHEETS, known
        assert len(INPUT_ECHO_PREFIX + french) <= 31
    for spec in (*SHEETS, SCENARIOS_SHEET):
        names = [column_name(c, "fr") for c in (*spec.columns, *spec.model.model_fields)]
        assert len({fold(n) for n in names}) == len(set(names)), spec.name
        for english, french in zip((*spec.columns, *spec.model.model_fields), names, strict=True):
            assert re.fullmatch(r"[a-z][a-z0-9_]*", french), french
            unit = english.rsplit("_", 1)[-1]
            if unit in ("km", "t", "deg", "pct", "usd", "kmh", "s"):
                assert french.endswith(f"_{unit}"), (english, french)


def test_numbers_in_french_messages_are_written_the_french_way() -> None:
    with use_language("fr"):
        assert shown_number(20000) == "20\N{NARROW NO-BREAK SPACE}000"
        assert shown_number(0.84) == "0,84"
    assert shown_number(20000) == "20,000"


# --------------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_message_has_a_french_translation_with_the_same_placeholders() -> None:
    for (context, msgid), translation in catalogue().items():
        forms = translation if isinstance(translation, tuple) else (translation,)
        for form in forms:
            assert form, (context, msgid)
            assert _fields(form) == _fields(msgid), (context, msgid, form)


def test_the_catalogue_holds_exactly_the_messages_extracted_from_the_code_and_workbooks() -> None:
    """Fails when a message is added to the code (or a sheet, header or field description to the
    registry, or a sheet or header to the plan) without a translation, or one is left over:
    run the commands of ``logistics/locale/README.md``."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    extracted = {
        (context, message if isinstance(message, str) else message[0])
        for _, _, message, _, context in extract_from_dir(str(ROOT), method_map, options_map)
    }
    assert extracted == set(catalogue())


def test_the_compiled_catalogue_matches_its_source() -> None:
    with MO_FILE.open("rb") as file:
        compiled = read_mo(file)
    assert translations(compiled) == catalogue()


def test_every_sheet_and_header_of_a_plan_has_its_french_name(tmp_path: Path) -> None:
    """The plan writer names its sheets with ``sheet_name`` and its columns with
    ``column_name``: each has a catalogue entry, and the French sheet names differ."""
    api.plan_workbook(TINY, tmp_path / "plan.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    entries = catalogue()
    sheets = [name for name in workbook.sheetnames if not name.startswith(INPUT_ECHO_PREFIX)]
    assert all((SHEET_CONTEXT, name) in entries for name in sheets)
    assert len({sheet_name(name, "fr") for name in sheets}) == len(sheets)
    headers = {c.name for ws in workbook for t in ws.tables.values() for c in t.tableColumns}
    base_ids = {"HUB", "CAMP-A", "CAMP-B"}
    assert all((COLUMN_CONTEXT, header) in entries for header in headers - base_ids)
    assert (sheet_name("Summary", "fr"), column_name("depart_day", "fr")) == (
        "Synthèse",
        "jour_depart",
    )
