"""The one registry that maps workbook sheets to schemas.

Reading, the blank template, the field dictionary and the ``Inputs`` echo of the plan workbook all
iterate over ``SHEETS``; adding a field to a schema in ``schemas.py`` is the only change a new column
needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from logistics.rules import schemas as s
from logistics.rules.fields import display_value

SheetLayout = Literal["table", "key_value"]


@dataclass(frozen=True)
class SheetSpec:
    """How one sheet of the workbook maps onto the scenario.

    ``attribute`` is the ``Scenario`` field the rows go to; ``key`` the columns that identify a row
    (unique within the sheet); ``references`` maps a column to the sheet whose id it must name;
    ``defaults`` are the rows an optional sheet takes when it is absent or has no rows (only those
    whose references name declared ids, e.g. consumption of the declared supply classes).
    """

    name: str
    model: type[BaseModel]
    attribute: str
    layout: SheetLayout
    required: bool
    key: tuple[str, ...]
    references: tuple[tuple[str, str], ...]
    description: str
    defaults: tuple[BaseModel, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Machine headers of the sheet, in the template's order."""
        if self.layout == "key_value":
            return ("key", "value")
        return tuple(self.model.model_fields)

    def field(self, name: str) -> FieldInfo:
        """The pydantic field behind a column (or a settings key)."""
        return self.model.model_fields[name]

    def key_of(self, row: BaseModel) -> tuple[Any, ...]:
        """The values that identify a row within the sheet."""
        return tuple(getattr(row, column) for column in self.key)

    def record_id(self, row: BaseModel) -> str:
        """A row's id as text: its key values joined by ``/``, blanks left out (``GAO/FUEL``)."""
        values = (getattr(row, column) for column in self.key)
        return "/".join(display_value(value) for value in values if value is not None)


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Settings",
        s.Settings,
        "settings",
        "key_value",
        False,
        ("key",),
        (),
        "Scenario-wide settings: one key and its value per row; absent keys take their defaults.",
    ),
    SheetSpec(
        "Supplies",
        s.Supply,
        "supplies",
        "table",
        True,
        ("supply_id",),
        (),
        "Supply classes: unit, mass, cargo type, priority and safety-stock target.",
    ),
    SheetSpec(
        "Consumption",
        s.Consumption,
        "consumption",
        "table",
        False,
        ("supply_id", "base_kind"),
        (("supply_id", "Supplies"),),
        "Consumption per person per day; absent = planning-factor defaults for the declared classes.",
        defaults=s.DEFAULT_CONSUMPTION,
    ),
    SheetSpec(
        "Bases",
        s.Base,
        "bases",
        "table",
        True,
        ("base_id",),
        (),
        "Locations: ports, hubs, camps, team sites and waypoints.",
    ),
    SheetSpec(
        "Stocks",
        s.Stock,
        "stocks",
        "table",
        False,
        ("base_id", "supply_id"),
        (("base_id", "Bases"), ("supply_id", "Supplies")),
        "Storage capacity, initial stock and fixed daily demand per base and supply class.",
    ),
    SheetSpec(
        "Sources",
        s.Source,
        "sources",
        "table",
        False,
        ("base_id", "supply_id"),
        (("base_id", "Bases"), ("supply_id", "Supplies")),
        "Where supplies enter the mission: ports, depots, contractors, local production.",
    ),
    SheetSpec(
        "Demands",
        s.Demand,
        "demands",
        "table",
        False,
        ("demand_id",),
        (("base_id", "Bases"), ("supply_id", "Supplies")),
        "Extra requirements on top of troop consumption, over a range of days.",
    ),
    SheetSpec(
        "Routes",
        s.Route,
        "routes",
        "table",
        False,
        ("route_id",),
        (("from_base_id", "Bases"), ("to_base_id", "Bases")),
        "Road, river and air links with distance, transit time, season window and threat level.",
    ),
    SheetSpec(
        "RouteSeasons",
        s.RouteSeason,
        "route_seasons",
        "table",
        False,
        ("route_id", "first_day"),
        (("route_id", "Routes"),),
        "Seasons of a route: open or closed, and its transit time, over a range of days; rows of one route must not overlap.",
    ),
    SheetSpec(
        "Vehicles",
        s.Vehicle,
        "vehicles",
        "table",
        False,
        ("vehicle_type_id",),
        (),
        "Vehicle and aircraft types: mode, cargo, payload and cost.",
    ),
    SheetSpec(
        "Fleet",
        s.FleetEntry,
        "fleet",
        "table",
        False,
        ("base_id", "vehicle_type_id"),
        (("base_id", "Bases"), ("vehicle_type_id", "Vehicles")),
        "Vehicles available per home base and type.",
    ),
    SheetSpec(
        "Convoys",
        s.ConvoyLine,
        "convoys",
        "table",
        False,
        ("line_id",),
        (
            ("origin_base_id", "Bases"),
            ("destination_base_id", "Bases"),
            ("escort_base_id", "Bases"),
        ),
        "Standing convoy lines; empty = one line per route direction from bases with vehicles.",
    ),
    SheetSpec(
        "Threats",
        s.Threat,
        "threats",
        "table",
        False,
        ("threat_id",),
        (("route_id", "Routes"), ("base_id", "Bases")),
        "Active threats on a route, a base or an area, over a range of days.",
    ),
    SheetSpec(
        "ThreatLevels",
        s.ThreatLevelRule,
        "threat_levels",
        "table",
        False,
        ("threat_level",),
        (),
        "Escorts, risk weight and garrison uplift per threat level; absent = defaults.",
        defaults=s.DEFAULT_THREAT_LEVELS,
    ),
    SheetSpec(
        "Units",
        s.Unit,
        "units",
        "table",
        False,
        ("unit_id",),
        (("current_base_id", "Bases"),),
        "Troop units: country, type, strength, base, mobility and national caveats.",
    ),
)

INPUT_ECHO_PREFIX = "In_"
"""A plan workbook holds the inputs it was solved from on sheets named ``In_<Sheet>``; the reader
reads those when a workbook has them instead of the sheets themselves, so a plan can be re-solved."""

SHEET_BY_NAME: dict[str, SheetSpec] = {spec.name: spec for spec in SHEETS}

SCENARIOS_SHEET = SheetSpec(
    "Scenarios",
    s.ScenarioChange,
    "",
    "table",
    False,
    ("scenario",),
    (),
    "What-if changes: one field of one record per row (column value holds the new value), "
    "optionally for a range of days; field * with value remove removes the record.",
)
"""The what-if sheet, in a base workbook or a workbook of its own; not part of a ``Scenario``.

Its ``value`` column is read with the type of the column a row changes, so it is not a field of
``ScenarioChange`` and is named in ``SCENARIO_VALUE_COLUMN`` instead.
"""

SCENARIO_VALUE_COLUMN = "value"
"""The column of the ``Scenarios`` sheet that holds the new value."""

DAY_VARYING_FIELDS: tuple[tuple[str, str], ...] = (
    ("Routes", "open"),
    ("Routes", "threat_level"),
    ("Routes", "max_convoys_per_day"),
    ("Bases", "min_garrison_troops"),
    ("Threats", "level"),
    ("Stocks", "fixed_demand_per_day"),
    ("Demands", "quantity_per_day"),
    ("Sources", "quantity_per_day"),
)
"""(sheet, column) of the fields with a per-day meaning: the only ones a what-if may change for a
range of days (``Scenario.day_values``); every other field holds one value for the horizon."""


def enum_choices(field: FieldInfo) -> tuple[str, ...]:
    """The allowed values of an enumeration field (for drop-downs and messages), else ()."""
    for candidate in _annotation_members(field.annotation):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return tuple(str(member.value) for member in candidate)
    return ()


def _annotation_members(annotation: Any) -> tuple[Any, ...]:
    args = getattr(annotation, "__args__", None)
    return (annotation, *args) if args else (annotation,)
