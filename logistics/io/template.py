"""The input workbook, written from the sheet registry: blank (the template) or filled.

Both share one layout: an ``Instructions`` sheet, a ``Dictionary`` of every column, one sheet per
registry entry with a bold frozen header whose comments explain each column, drop-downs for
enumerations and for ids of other sheets, and a hidden ``Lists`` sheet feeding the drop-downs.
The blank template also shows, in grey rows the reader skips (their first cell starts with
``*``), one worked example per sheet and the default planning factors and threat levels.
Every text cell is written so that Excel can never take it for a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from logistics.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    column_name,
    message_language,
    sheet_name,
    use_language,
)
from logistics.io.xlsx import save_atomically, write_cell
from logistics.rules import schemas as s
from logistics.rules.actuals import ACTUALS_SHEETS
from logistics.rules.fields import Column, Kind, columns_of, display_value
from logistics.rules.registry import SHEET_BY_NAME, SHEETS, SheetSpec
from logistics.rules.schemas import Scenario, Settings

LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
DICTIONARY_SHEET = "Dictionary"
AUXILIARY_SHEETS = (INSTRUCTIONS_SHEET, DICTIONARY_SHEET, LISTS_SHEET)
"""Sheets the template adds for people; the reader ignores them."""

DROPDOWN_ROWS = 2000
"""Rows below the data that still get drop-downs, room for the planner to add records."""

SETTINGS_COMMENT_COLUMNS = ("*unit", "*description")
"""Comment columns beside the settings' key and value (ignored by the reader)."""

YES_NO = ("yes", "no")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=14)
EXAMPLE_FONT = Font(italic=True, color="808080")

COMMENT_MARK = "*"
"""A row whose first cell starts with this is skipped by the reader (an example or a note)."""

NOTE_HEADER = "*note"
"""The template's comment column beside the example rows (ignored by the reader)."""

EXAMPLE_NOTE = N_("example: remove the * in the first cell to use this row, or type over it")
DEFAULT_NOTE = N_(
    "default applied unless you give a row with the same key: remove the * to change it"
)

EXAMPLES: dict[str, tuple[s.Row, ...]] = {
    "Supplies": (
        s.Supply(
            supply_id="WATER",
            name="Drinking water",
            unit=s.SupplyUnit.kL,
            mass_t_per_unit=1.0,
            cargo_type=s.CargoType.water,
            priority=1,
            safety_stock_days=3,
        ),
    ),
    "Bases": (
        s.Base(
            base_id="GAO",
            name="Gao super camp",
            kind=s.BaseKind.hub,
            sector="East",
            latitude_deg=16.27,
            longitude_deg=-0.04,
            accommodation_troops=4000,
            min_garrison_troops=800,
            airfield_class=s.AirfieldClass.paved_runway,
        ),
    ),
    "Stocks": (
        s.Stock(
            base_id="GAO",
            supply_id="WATER",
            capacity=2000,
            initial_stock=900,
            fixed_demand_per_day=5,
        ),
    ),
    "Sources": (s.Source(base_id="GAO", supply_id="WATER", quantity_per_day=400, unit_cost_usd=2),),
    "Demands": (
        s.Demand(
            demand_id="GAO-IDP",
            base_id="GAO",
            supply_id="WATER",
            first_day=5,
            last_day=12,
            quantity_per_day=20,
            description="Water for a displaced-persons site",
        ),
    ),
    "Routes": (
        s.Route(
            route_id="GAO-KID-ROAD",
            from_base_id="GAO",
            to_base_id="KIDAL",
            mode=s.Mode.road,
            distance_km=352,
            transit_days=2,
            max_convoys_per_day=1,
            threat_level=4,
        ),
    ),
    "RouteSeasons": (
        s.RouteSeason(route_id="GAO-KID-ROAD", first_day=15, last_day=21, transit_days=4),
    ),
    "Vehicles": (
        s.Vehicle(
            vehicle_type_id="WATER-TANKER",
            name="Water tanker 20 kL",
            mode=s.Mode.road,
            cargo_types=("water",),
            payload_t=20,
            cost_usd_per_km=2.5,
            speed_kmh=40,
            crew=2,
        ),
    ),
    "Fleet": (s.FleetEntry(base_id="GAO", vehicle_type_id="WATER-TANKER", count=12),),
    "Convoys": (
        s.ConvoyLine(
            line_id="GAO-KIDAL",
            origin_base_id="GAO",
            destination_base_id="KIDAL",
            first_departure_day=2,
            every_days=7,
            min_vehicles=4,
            max_vehicles=30,
        ),
    ),
    "Threats": (
        s.Threat(
            threat_id="IED-ANEFIS",
            threat_type=s.ThreatType.ied,
            level=5,
            route_id="GAO-KID-ROAD",
            first_day=8,
            last_day=14,
            description="IED campaign reported on the Anefis stretch",
        ),
    ),
    "ThreatLevels": s.DEFAULT_THREAT_LEVELS,
    "Consumption": s.DEFAULT_CONSUMPTION,
    "Units": (
        s.Unit(
            unit_id="BATT-1",
            name="1st Infantry Battalion",
            country="Exampleland",
            unit_type=s.UnitType.infantry,
            strength=650,
            current_base_id="GAO",
            allowed_sectors=("East", "North"),
            escort_capable=True,
        ),
    ),
}
"""Grey rows of the blank template: one worked example per sheet, and for the sheets with
defaults (Consumption, ThreatLevels) the defaults themselves, which the planner sees applied."""


def write_template(path: Path, language: str = DEFAULT_LANGUAGE) -> None:
    """Write the blank input template to ``path`` (atomically), in ``language``: its sheet
    names, headers, instructions, dictionary and drop-down help, and its Settings ``language``."""
    workbook = build_workbook(None, language)
    save_atomically(workbook, Path(path))


ACTUALS_INSTRUCTIONS: tuple[str, ...] = (
    "Actuals: what is known on the report day, to re-plan a published plan",
    "",
    "How to fill it in",
    "Give the report day on the one row of Report: a day of the published plan (its number, or "
    "its date when the plan has a start date). Every other day here is counted the same way.",
    "Fill only what differs from the plan: a stock point, convoy or unit not listed is as the "
    "plan said it would be on the report day.",
    "Ids are those of the plan workbook: convoy_id as in its Convoys sheet, base, supply class, "
    "unit, vehicle type and route ids as in its In_ sheets.",
    "",
    "Sheets",
    *(f"{spec.name}: {spec.description}" for spec in ACTUALS_SHEETS),
    "",
    "Then: logistics replan PLAN.xlsx ACTUALS.xlsx --output NEW-PLAN.xlsx",
)
"""The Instructions sheet of the actuals template (English)."""


def write_actuals_template(path: Path) -> None:
    """Write the blank actuals workbook (``logistics.rules.actuals``) to ``path`` atomically:
    instructions, the field dictionary, and each sheet with its headers and their notes."""
    with use_language(DEFAULT_LANGUAGE, DEFAULT_LANGUAGE):
        workbook = Workbook()
        workbook.remove(workbook.active)
        workbook.properties.creator = "logistics"
        _add_instructions(workbook, ACTUALS_INSTRUCTIONS)
        _add_dictionary(workbook, ACTUALS_SHEETS)
        for spec in ACTUALS_SHEETS:
            _fill_table(workbook.create_sheet(spec.name), spec, ())
        workbook.active = 0
    save_atomically(workbook, Path(path))


def write_input_workbook(scenario: Scenario, path: Path, language: str = DEFAULT_LANGUAGE) -> None:
    """Write ``scenario`` as a filled input workbook in the template's layout (atomically), its
    sheets and columns named in ``language``.

    Reading the file back gives an equal scenario, except that an optional sheet written with no
    rows reads back as its defaults, as any workbook would.
    """
    workbook = build_workbook(scenario, language)
    save_atomically(workbook, Path(path))


def input_value(value: Any) -> Any:
    """A field value as a planner would type it: yes/no, choices and id lists as text."""
    if isinstance(value, bool | Enum | tuple):
        return display_value(value)
    return value


def _write_row(sheet: Worksheet, number: int, values: Sequence[Any]) -> None:
    """Write ``values`` into row ``number`` through the safe cell writer."""
    for index, value in enumerate(values, start=1):
        write_cell(sheet, number, index, input_value(value))


def build_workbook(scenario: Scenario | None, language: str = DEFAULT_LANGUAGE) -> Workbook:
    """The input workbook in memory: blank when ``scenario`` is None, else filled with it; its
    names and texts in ``language``."""
    with use_language(language, language):
        return _build_workbook(scenario)


def _build_workbook(scenario: Scenario | None) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "logistics"
    _add_instructions(workbook)
    _add_dictionary(workbook)
    lists = workbook.create_sheet(sheet_name(LISTS_SHEET))
    list_names = _add_choice_lists(workbook, lists)
    _add_id_names(workbook, scenario)
    for spec in SHEETS:
        sheet = workbook.create_sheet(sheet_name(spec.name))
        if spec.layout == "key_value":
            _fill_settings(sheet, spec, scenario)
        else:
            rows = getattr(scenario, spec.attribute) if scenario is not None else ()
            _fill_table(sheet, spec, rows)
            if scenario is None:
                _add_example_rows(sheet, spec)
            _add_dropdowns(sheet, spec, list_names, len(rows))
    workbook.move_sheet(lists, offset=len(workbook.sheetnames) - 1 - workbook.index(lists))
    lists.sheet_state = "hidden"
    workbook.active = 0
    return workbook


# --------------------------------------------------------------------------------------------------
# Instructions and dictionary
# --------------------------------------------------------------------------------------------------


HOW_TO_HEADING = N_("How to fill it in")
SHEETS_HEADING = N_("Sheets")
WHAT_IF_HEADING = N_("What-if scenarios")


def _names() -> dict[str, str]:
    """The sheet and column names the instructions mention, as the workbook names them."""
    sheets = ("Dictionary", "Settings", "Supplies", "Threats", "Consumption", "ThreatLevels")
    columns = (
        "distance_km",
        "payload_t",
        "transit_days",
        "horizon_days",
        "start_date",
        "modes",
        "first_day",
        "last_day",
        "open_from_day",
        "mip_gap_pct",
    )
    return {
        **{sheet.casefold(): sheet_name(sheet) for sheet in sheets},
        **{column: column_name(column) for column in columns},
        "convoys": sheet_name("Convoys"),
    }


def _instruction_lines() -> list[str]:
    """The text of the Instructions sheet, one paragraph per line, in the message language."""
    paragraphs = [
        _("Mission logistics input workbook"),
        "",
        _(
            "This workbook describes one peacekeeping mission for the logistics planner: its "
            "bases, routes, vehicles, troop units, stocks, supply needs and threats. The planner "
            "reads it, checks it and computes a plan of troop allocation, supply flows and "
            "escorted convoys."
        ),
        "",
        _(HOW_TO_HEADING),
        _(
            "• One sheet per kind of record, one record per row, under the single header row. "
            "Do not rename sheets or headers; you may reorder the columns."
        ),
        _(
            "• The first column of a record sheet is its id (letters, digits, '_', '.' or '-', "
            "no spaces). Other sheets refer to records by these ids; drop-downs offer the ids "
            "already entered."
        ),
        _(
            "• The unit of a number is the suffix of its header: {distance_km} in km, "
            "{payload_t} in tonnes, {transit_days} in days. Quantities of a supply class are in "
            "that class's unit (t or kL, see {supplies})."
        ),
        _(
            "• Days are numbered 1 to the horizon ({settings}: {horizon_days}); day 1 is "
            "{start_date}."
        ),
        _(
            "• Yes/no columns accept yes or no. Lists of ids are separated by ';' (e.g. GAO; "
            "KIDAL), and so are lists of choices ({threats} {modes}: road; river)."
        ),
        _(
            "• A blank cell takes the default shown in the {dictionary} sheet; a required "
            "column must be filled on every row."
        ),
        _(
            "• Columns whose header starts with * and a column named notes are yours: they are "
            "ignored. So are rows whose first cell starts with *: the grey rows under each "
            "header are a worked example (remove the * to use one, or type over it)."
        ),
        _(
            "• Sheets whose name starts with _ are yours too: the reader skips them. Any other "
            "sheet not listed below is refused, so that a renamed sheet is never silently "
            "ignored."
        ),
        _(
            "• A day column ({first_day}, {last_day}, {open_from_day}…) takes a day number from "
            "1 to the horizon or, when {settings} has {start_date}, a date."
        ),
        _(
            "• A column in % ({mip_gap_pct}) takes 1 or a cell formatted as a percentage "
            "showing 1 %."
        ),
        _(
            "• Type values, not formulas. If a cell holds a formula, save the workbook in Excel "
            "or LibreOffice so that its value is stored."
        ),
        _(
            "• Optional sheets may be left empty or deleted. {consumption} and {threatlevels} "
            "take their defaults (the grey rows of those sheets) record by record: a row you "
            "give replaces the default with the same key only (for {consumption}: supply class "
            "and base kind). No {convoys} rows means lines are generated from the routes."
        ),
        _(
            "• Check the workbook with: logistics validate <file>. Every problem is reported "
            "with its sheet and cell; warnings point at values that are valid but look wrong "
            "(days after the horizon, classes nothing consumes, vehicles no route serves…). "
            "logistics validate --strict treats warnings as errors."
        ),
        "",
        _(SHEETS_HEADING),
    ]
    lines = [line.format(**_names()) for line in paragraphs]
    lines.extend(
        (
            _("• {sheet} (required): {description}")
            if spec.required
            else _("• {sheet} (optional): {description}")
        ).format(sheet=sheet_name(spec.name), description=_(spec.description))
        for spec in SHEETS
    )
    lines.append(
        _("• {dictionary}: every column with its type, unit, default and meaning.").format(
            dictionary=sheet_name(DICTIONARY_SHEET)
        )
    )
    lines += [
        "",
        _(WHAT_IF_HEADING),
        _(
            "• Add a sheet named Scenarios with the columns scenario, sheet, id, field, value, "
            "first_day, last_day. Each row changes one field of one record for the named "
            "scenario (a composite id is written GAO/FUEL); first_day and last_day limit the "
            "change to those days; field * with value remove removes the record."
        ),
        _("• Solve them all and compare: logistics whatif <file> --output-dir <folder>."),
    ]
    return lines


def _add_instructions(workbook: Workbook, lines: Sequence[str] | None = None) -> None:
    sheet = workbook.create_sheet(sheet_name(INSTRUCTIONS_SHEET))
    sheet.column_dimensions["A"].width = 120
    for number, line in enumerate(_instruction_lines() if lines is None else lines, start=1):
        cell = write_cell(sheet, number, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = TITLE_FONT
    headings = {_(HOW_TO_HEADING), _(SHEETS_HEADING)}
    for cell in sheet["A"]:
        if cell.value in headings:
            cell.font = Font(bold=True)


DICTIONARY_HEADERS = (
    "sheet",
    "column",
    "type",
    "unit",
    "required",
    "default",
    "allowed values",
    "description",
)


def dictionary_rows(specs: Sequence[SheetSpec] = SHEETS) -> list[tuple[str, ...]]:
    """One row per column of every sheet of ``specs`` (per key of Settings), as in the
    Dictionary sheet, in the message language."""
    rows: list[tuple[str, ...]] = []
    for spec in specs:
        for column in columns_of(spec.model).values():
            rows.append(
                (
                    sheet_name(spec.name),
                    column_name(column.name),
                    _(column.kind.value),
                    _(column.unit) if column.unit else "",
                    _("yes") if column.required else _("no"),
                    column.default_text,
                    _allowed(column),
                    _(column.description),
                )
            )
    return rows


def _allowed(column: Column) -> str:
    """The Dictionary's allowed values: the choices, or the range of a number (its bounds are
    where the solver's numerics still hold)."""
    if column.kind in (Kind.number, Kind.whole_number):
        return column.expectation()
    return ", ".join(column.choices or (YES_NO if column.kind is Kind.yes_no else ()))


def _add_dictionary(workbook: Workbook, specs: Sequence[SheetSpec] = SHEETS) -> None:
    sheet = workbook.create_sheet(sheet_name(DICTIONARY_SHEET))
    _write_header(sheet, [column_name(header) for header in DICTIONARY_HEADERS], comments=None)
    for number, row in enumerate(dictionary_rows(specs), start=2):
        _write_row(sheet, number, row)
    for letter, width in zip("ABCDEFGH", (14, 32, 14, 20, 10, 16, 40, 90), strict=True):
        sheet.column_dimensions[letter].width = width


# --------------------------------------------------------------------------------------------------
# Sheets of records
# --------------------------------------------------------------------------------------------------


def _header_comment(column: Column) -> str:
    """The note on a header cell: meaning, unit, what is allowed and whether it may be blank."""
    parts = [_(column.description)]
    if column.unit:
        parts.append(_("Unit: {unit}.").format(unit=_(column.unit)))
    parts.append(_("Expected: {expected}.").format(expected=column.expectation()))
    if column.required:
        parts.append(_("Required."))
    elif column.default_text:
        parts.append(_("Blank = {default}.").format(default=column.default_text))
    return "\n".join(parts)


def _write_header(sheet: Worksheet, headers: Sequence[str], comments: Sequence[str] | None) -> None:
    """Bold, filled, frozen header row; each header with its note if given."""
    for index, header in enumerate(headers, start=1):
        cell = write_cell(sheet, 1, index, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        if comments is not None and comments[index - 1]:
            note = Comment(comments[index - 1], "logistics")
            note.width, note.height = 320, 160
            cell.comment = note
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"


def _fill_table(sheet: Worksheet, spec: SheetSpec, rows: Iterable[BaseModel]) -> None:
    columns = columns_of(spec.model)
    _write_header(
        sheet,
        [column_name(name) for name in spec.columns],
        [_header_comment(columns[name]) for name in spec.columns],
    )
    for number, row in enumerate(rows, start=2):
        _write_row(sheet, number, [getattr(row, name) for name in spec.columns])


def _add_example_rows(sheet: Worksheet, spec: SheetSpec) -> None:
    """The sheet's grey example (or default) rows under the header, commented out with ``*``.

    The note column says what they are; the defaults of Consumption and ThreatLevels are the
    ones the reader applies to every key the sheet does not give.
    """
    note = _(DEFAULT_NOTE) if spec.defaults else _(EXAMPLE_NOTE)
    note_column = len(spec.columns) + 1
    write_cell(sheet, 1, note_column, column_name(NOTE_HEADER)).font = Font(bold=True)
    sheet.column_dimensions[get_column_letter(note_column)].width = 60
    for number, row in enumerate(EXAMPLES.get(spec.name, ()), start=2):
        values = [input_value(getattr(row, name)) for name in spec.columns]
        values[0] = f"{COMMENT_MARK}{display_value(values[0])}"
        _write_row(sheet, number, [*values, note])
        for cell in sheet[number]:
            cell.font = EXAMPLE_FONT


def _fill_settings(sheet: Worksheet, spec: SheetSpec, scenario: Scenario | None) -> None:
    """Every settings key with its value (the scenario's, else the default; the blank
    template's ``language`` is its own), unit and meaning."""
    headers = [column_name(header) for header in (*spec.columns, *SETTINGS_COMMENT_COLUMNS)]
    _write_header(sheet, headers, comments=None)
    settings = scenario.settings if scenario is not None else Settings(language=message_language())
    for number, column in enumerate(columns_of(spec.model).values(), start=2):
        _write_row(
            sheet,
            number,
            [
                column_name(column.name),
                getattr(settings, column.name),
                _(column.unit) if column.unit else "",
                _("{description} Expected: {expected}.").format(
                    description=_(column.description), expected=column.expectation()
                ),
            ],
        )
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["D"].width = 100


# --------------------------------------------------------------------------------------------------
# Drop-downs
# --------------------------------------------------------------------------------------------------


def _choices_of(column: Column) -> tuple[str, ...]:
    return column.choices or (YES_NO if column.kind is Kind.yes_no else ())


def _add_choice_lists(workbook: Workbook, lists: Worksheet) -> dict[tuple[str, ...], str]:
    """Write every distinct list of choices to the Lists sheet, each under a defined name.

    Drop-downs refer to these names rather than to literal lists, which Excel caps at 255
    characters.
    """
    names: dict[tuple[str, ...], str] = {}
    for spec in SHEETS:
        for column in columns_of(spec.model).values():
            choices = _choices_of(column)
            if not choices or choices in names:
                continue
            name = "choices_yes_no" if column.kind is Kind.yes_no else f"choices_{column.name}"
            index = len(names) + 1
            letter = get_column_letter(index)
            write_cell(lists, 1, index, name).font = Font(bold=True)
            for offset, choice in enumerate(choices, start=2):
                write_cell(lists, offset, index, choice)
            lists_sheet = quote_sheetname(sheet_name(LISTS_SHEET))
            reference = f"{lists_sheet}!${letter}$2:${letter}${len(choices) + 1}"
            workbook.defined_names[name] = DefinedName(name, attr_text=reference)
            names[choices] = name
    return names


def ids_name(sheet_name: str) -> str:
    """Defined name of the id column of a sheet, the source of id drop-downs elsewhere."""
    return f"ids_{sheet_name}"


def _add_id_names(workbook: Workbook, scenario: Scenario | None) -> None:
    """A defined name over the id column of every sheet that other sheets refer to."""
    targets = sorted({target for spec in SHEETS for _, target in spec.references})
    for target_name in targets:
        target = SHEET_BY_NAME[target_name]
        rows = len(getattr(scenario, target.attribute)) if scenario is not None else 0
        letter = get_column_letter(target.columns.index(target.key[0]) + 1)
        reference = (
            f"{quote_sheetname(sheet_name(target.name))}!${letter}$2:${letter}"
            f"${rows + DROPDOWN_ROWS + 1}"
        )
        name = ids_name(target.name)
        workbook.defined_names[name] = DefinedName(name, attr_text=reference)


def _add_dropdowns(
    sheet: Worksheet,
    spec: SheetSpec,
    list_names: dict[tuple[str, ...], str],
    row_count: int,
) -> None:
    """A list drop-down on every enumeration, yes/no and id-reference column of a record sheet."""
    last_row = row_count + DROPDOWN_ROWS + 1
    references = dict(spec.references)
    for index, name in enumerate(spec.columns, start=1):
        column = columns_of(spec.model)[name]
        if name in references:
            source = ids_name(references[name])
            prompt = _("An id from the {sheet} sheet.").format(sheet=sheet_name(references[name]))
        elif _choices_of(column) and column.kind is not Kind.choice_list:
            source = list_names[_choices_of(column)]
            prompt = _("One of: {choices}.").format(choices=", ".join(_choices_of(column)))
        else:
            continue
        header = column_name(name)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle=_("Not in the list")[:32],
            error=_("{column}: choose a value from the list. {prompt}").format(
                column=header, prompt=prompt
            )[:255],
            promptTitle=header[:32],
            prompt=f"{_(column.description)} {prompt}"[:255],
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
