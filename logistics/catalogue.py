"""What the workbooks name and explain, as messages of the translation catalogue.

Sheet names, column headers, settings keys, units, kinds of cell and field descriptions are not
literals in the code: they are the registry's and the schemas'. The plan workbook's sheet names
and table headers are those ``logistics.report.plan_workbook`` writes, taken from a plan of the
bundled tiny mission; the comparison workbook's are its module's constants. ``extract`` is a Babel
extraction method (see ``babel.cfg``) that adds all of them to the messages Babel finds in the
code, so that ``pybabel extract`` gives the whole catalogue and a test can tell when a name or a
text has no translation.

Names are messages of their own context (``i18n.SHEET_CONTEXT``, ``i18n.COLUMN_CONTEXT``): the
English name is the msgid, and its translation is the name in that language.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from logistics.i18n import COLUMN_CONTEXT, SHEET_CONTEXT
from logistics.io.template import (
    AUXILIARY_SHEETS,
    DICTIONARY_HEADERS,
    NOTE_HEADER,
    SETTINGS_COMMENT_COLUMNS,
)
from logistics.rules.fields import Kind, columns_of
from logistics.rules.registry import (
    INPUT_ECHO_PREFIX,
    SCENARIO_VALUE_COLUMN,
    SCENARIOS_SHEET,
    SHEETS,
)

Message = tuple[str | None, str]
"""A catalogue entry: (message context or None, English msgid)."""

EXAMPLE_MISSION = Path(__file__).resolve().parents[1] / "inputs" / "tiny.xlsx"
"""The mission whose plan shows every sheet and header of a plan workbook (in a clone of the
repository, where the catalogue is extracted)."""


def input_messages() -> list[Message]:
    """The names and texts of the input workbook and its template: every sheet name, column
    header and settings key, and every sheet's and column's description, unit and kind."""
    specs = (*SHEETS, SCENARIOS_SHEET)
    sheets = [spec.name for spec in specs] + list(AUXILIARY_SHEETS)
    columns = [
        *(name for spec in specs for name in (*spec.columns, *spec.model.model_fields)),
        SCENARIO_VALUE_COLUMN,
        *DICTIONARY_HEADERS,
        *SETTINGS_COMMENT_COLUMNS,
        NOTE_HEADER,
    ]
    described = [column for spec in specs for column in columns_of(spec.model).values()]
    texts = [
        *(spec.description for spec in specs),
        *(column.description for column in described),
        *(column.unit for column in described),
        *(kind.value for kind in Kind),
    ]
    return [
        *((SHEET_CONTEXT, name) for name in sheets),
        *((COLUMN_CONTEXT, name) for name in columns),
        *((None, text) for text in texts if text),
    ]


def plan_messages(mission: Path = EXAMPLE_MISSION) -> list[Message]:
    """The sheet names and table headers of the plan workbook of ``mission`` (its input sheets,
    ``In_`` and an input sheet's name, are named by the input sheets' entries).

    Headers that are ids of the mission (a chart's column per base) are data, not names.
    """
    import openpyxl

    from logistics.api import plan_workbook

    with tempfile.TemporaryDirectory() as folder:
        run = plan_workbook(mission, Path(folder) / "plan.xlsx")
        workbook = openpyxl.load_workbook(Path(folder) / "plan.xlsx")
    ids = _ids(run.scenario)
    sheets = [name for name in workbook.sheetnames if not name.startswith(INPUT_ECHO_PREFIX)]
    headers = [
        column.name
        for name in sheets
        for table in workbook[name].tables.values()
        for column in table.tableColumns
        if column.name not in ids
    ]
    return [
        *((SHEET_CONTEXT, name) for name in sheets),
        *((COLUMN_CONTEXT, name) for name in headers),
    ]


def _ids(scenario: Any) -> set[str]:
    """Every id of every record of a scenario."""
    return {
        str(getattr(row, spec.key[0]))
        for spec in SHEETS
        if spec.layout == "table"
        for row in getattr(scenario, spec.attribute)
    }


def comparison_messages() -> list[Message]:
    """The sheet names and table headers of the comparison workbook (its scenario and
    ``delta_`` columns are named after the scenarios)."""
    from logistics.report.comparison import (
        COMPARISON_SHEETS,
        DIFFERENCE_COLUMNS,
        KPI_COLUMNS,
        RUN_COLUMNS,
        SCENARIO_COLUMNS,
    )

    headers = [*KPI_COLUMNS, *DIFFERENCE_COLUMNS, *SCENARIO_COLUMNS, *RUN_COLUMNS]
    return [
        *((SHEET_CONTEXT, name) for name in COMPARISON_SHEETS),
        *((COLUMN_CONTEXT, name) for name in headers),
    ]


def replan_messages() -> list[Message]:
    """The sheet name and headers a re-plan adds to its plan workbook."""
    from logistics.report.changes import CHANGE_COLUMNS, CHANGES_SHEET

    return [(SHEET_CONTEXT, CHANGES_SHEET), *((COLUMN_CONTEXT, name) for name in CHANGE_COLUMNS)]


def reason_messages() -> list[Message]:
    """Why a demand or an end-stock target is not met, as the model words it."""
    from models.reasons import ALL_REASONS

    return [(None, reason) for reason in ALL_REASONS]


def workbook_messages() -> list[Message]:
    """Every name and text of the input, plan and comparison workbooks, each once, in a stable
    order."""
    return list(
        dict.fromkeys(
            [
                *input_messages(),
                *plan_messages(),
                *comparison_messages(),
                *replan_messages(),
                *reason_messages(),
            ]
        )
    )


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel extraction method: the messages of the Python file it is given, then
    ``workbook_messages()``, as (line, function, message, comments)."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for context, text in workbook_messages():
        if context is None:
            yield 0, "gettext", text, []
        else:
            yield 0, "pgettext", (context, text), []
