"""Pydantic schemas for every sheet of the mission workbook.

Each model is one row of one sheet; its field names are the sheet's machine headers (``lower_snake``
with the unit as suffix) and its field descriptions are the field dictionary a planner reads. The
``Scenario`` aggregate holds one validated, frozen copy of a whole workbook.

Every model is frozen and forbids unknown fields: a renamed or misspelt column is an error, never a
silently ignored value.
"""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from logistics.i18n import _, column_name, sheet_name

# --------------------------------------------------------------------------------------------------
# Enumerations (drop-downs in the template)
# --------------------------------------------------------------------------------------------------


class SupplyUnit(StrEnum):
    """Unit a supply class is counted in."""

    t = "t"
    kL = "kL"


class CargoType(StrEnum):
    """What kind of load a supply class is and a vehicle can carry."""

    dry = "dry"
    fuel = "fuel"
    water = "water"


class BaseKind(StrEnum):
    """Role of a location in the mission's network."""

    port = "port"
    hub = "hub"
    camp = "camp"
    team_site = "team_site"
    waypoint = "waypoint"


class AirfieldClass(StrEnum):
    """Airfield at a base, from none to paved runway; an aircraft needs at least its class."""

    none = "none"
    helipad = "helipad"
    light_strip = "light_strip"
    unpaved_strip = "unpaved_strip"
    paved_runway = "paved_runway"


AIRFIELD_RANK: dict[AirfieldClass, int] = {
    AirfieldClass.none: 0,
    AirfieldClass.helipad: 1,
    AirfieldClass.light_strip: 2,
    AirfieldClass.unpaved_strip: 3,
    AirfieldClass.paved_runway: 4,
}
"""Order of the airfield classes: a base admits an aircraft whose least class ranks at most its own."""


class Aircraft(StrEnum):
    """Kind of aircraft: an air route may admit only one kind."""

    fixed_wing = "fixed_wing"
    helicopter = "helicopter"


class Language(StrEnum):
    """Language of the messages and of the plan workbook (``logistics.i18n.LANGUAGES``)."""

    en = "en"
    fr = "fr"


class ObjectivePolicy(StrEnum):
    """How the objective terms are traded (``models.data.ObjectivePolicy``)."""

    priorities = "priorities"
    weights = "weights"


class EndStockPolicy(StrEnum):
    """What each stock point must hold at the close of the last day (``models.data``)."""

    safety = "safety"
    opening = "opening"
    none = "none"


class Mode(StrEnum):
    """Transport mode of a route, vehicle or convoy line."""

    road = "road"
    river = "river"
    air = "air"


class ThreatType(StrEnum):
    """Kind of threat."""

    ied = "ied"
    mines = "mines"
    ambush = "ambush"
    manpads = "manpads"
    indirect_fire = "indirect_fire"
    smuggling = "smuggling"
    trafficking = "trafficking"
    unrest = "unrest"
    other = "other"


THREAT_DEFAULT_MODES: dict[ThreatType, frozenset[Mode]] = {
    ThreatType.ied: frozenset({Mode.road, Mode.river}),
    ThreatType.mines: frozenset({Mode.road, Mode.river}),
    ThreatType.ambush: frozenset({Mode.road, Mode.river}),
    ThreatType.manpads: frozenset({Mode.air}),
    ThreatType.indirect_fire: frozenset(Mode),
    ThreatType.unrest: frozenset(Mode),
    ThreatType.smuggling: frozenset(Mode),
    ThreatType.trafficking: frozenset(Mode),
    ThreatType.other: frozenset(Mode),
}
"""Modes a threat of each type endangers when its ``modes`` cell is blank: a mine belt or an
ambush threatens convoys on roads and rivers, not aircraft overhead; a MANPADS threatens aircraft
only; the other types threaten every mode."""


class UnitType(StrEnum):
    """Kind of troop unit."""

    infantry = "infantry"
    mechanised = "mechanised"
    quick_reaction = "quick_reaction"
    convoy_escort = "convoy_escort"
    engineer = "engineer"
    medical = "medical"
    aviation = "aviation"
    formed_police = "formed_police"
    logistics = "logistics"
    headquarters = "headquarters"


# --------------------------------------------------------------------------------------------------
# Value parsers shared by several sheets
# --------------------------------------------------------------------------------------------------

_TRUE = {"yes", "y", "true", "1", "x", "oui"}
_FALSE = {"no", "n", "false", "0", "", "non"}


def _columns(message: str, **values: str) -> str:
    """A row check's translated ``message`` with its ``{column}`` fields filled with the
    columns' names as the workbook names them, and its other fields with ``values``."""
    fields = {field for _text, field, _spec, _conversion in string.Formatter().parse(message)}
    names = {name: column_name(name) for name in fields if name and name not in values}
    return message.format(**names, **values)


def _parse_yes_no(value: Any) -> Any:
    """Accept yes/no, true/false, 1/0 (any case); anything else is left for pydantic to reject."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


def _parse_id_list(value: Any) -> Any:
    """Split ``"A; B, C"`` into ``("A", "B", "C")``; blank gives an empty tuple."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(",", ";").split(";")]
        return tuple(p for p in parts if p)
    return value


SECTOR_SEPARATORS = (",", ";")
"""What separates ids in a list cell, so what a sector's name cannot hold."""


def _parse_choice_list(value: Any) -> Any:
    """Split ``"Road; AIR"`` into ``("road", "air")``, like an id list but in any case."""
    parsed = _parse_id_list(value)
    if isinstance(parsed, tuple):
        return tuple(p.lower() if isinstance(p, str) else p for p in parsed)
    return parsed


YesNo = Annotated[bool, BeforeValidator(_parse_yes_no)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_parse_id_list)]
ModeList = Annotated[tuple[Mode, ...], BeforeValidator(_parse_choice_list)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Day = Annotated[int, Field(ge=1, le=3660)]
ThreatLevel = Annotated[int, Field(ge=1, le=5)]


def _nfc(value: Any) -> Any:
    """Text in Unicode's composed form (NFC), inside lists too; anything else as it is.

    "Sévaré" typed on a Mac (decomposed, NFD) and on Windows (composed) must be one id.
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, tuple | list):
        return type(value)(_nfc(item) for item in value)
    return value


class Row(BaseModel):
    """Base of every sheet row: frozen, strict about columns, whitespace stripped, text NFC."""

    # NaN and infinity slip through bounds such as ``ge=0`` alone; no cell means either.
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        use_enum_values=False,
        allow_inf_nan=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _composed_text(cls, data: Any) -> Any:
        return {k: _nfc(v) for k, v in data.items()} if isinstance(data, dict) else data


# --------------------------------------------------------------------------------------------------
# Settings (a key/value sheet)
# --------------------------------------------------------------------------------------------------


MAX_WEIGHT = 1e6
"""Largest objective weight: beyond about 1e9 the solver's tolerances swamp the smaller terms and
plans come back wrong (negative costs) or not at all; defaults are 0.001 to 1,000."""


class Settings(Row):
    """Scenario-wide settings, one key per row of the ``Settings`` sheet (columns ``key``, ``value``)."""

    scenario_name: str = Field(
        "Unnamed mission", max_length=120, description="Name shown on every output."
    )
    start_date: dt.date | None = Field(None, description="Calendar date of day 1 (optional).")
    horizon_days: int = Field(28, ge=1, le=366, description="Number of planned days, 1..H.")
    route_closure_threat_level: int = Field(
        5,
        ge=1,
        le=6,
        description="A route closes on days its threat level is at or above this (6 = never).",
    )
    weight_shortfall: float = Field(
        1000.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Objective weight per unit of supply shortfall, times the class priority factor.",
    )
    weight_garrison: float = Field(
        100.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Objective weight per troop-day of garrison shortfall.",
    )
    weight_safety_stock: float = Field(
        1.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Objective weight per unit-day of stock below the safety target.",
    )
    weight_end_stock: float = Field(
        10.0,
        ge=0,
        description="Objective weight per unit below the end-of-horizon stock target, times the class priority factor.",
    )
    weight_exposure: float = Field(
        0.01,
        ge=0,
        le=MAX_WEIGHT,
        description="Objective weight per vehicle-km times the risk weight of the route's threat level.",
    )
    weight_cost: float = Field(
        0.001,
        ge=0,
        le=MAX_WEIGHT,
        description="Objective weight per USD of transport, supply and relocation cost.",
    )
    weight_stability: float = Field(
        100.0,
        ge=0,
        le=MAX_WEIGHT,
        description="Re-plans only: objective weight per departure moved, added or cancelled and per unit re-tasked against the published plan, traded with exposure and cost; 0 = no plan stability.",
    )
    relocation_cost_usd_per_troop_km: float = Field(
        0.5,
        ge=0,
        le=10_000,
        description="Cost of moving one soldier one km when a unit is relocated.",
    )
    objective: ObjectivePolicy = Field(
        ObjectivePolicy.priorities,
        description="priorities: unmet demand first (by class priority), then garrison, then safety and end stock, then exposure, then cost, no lower priority ever buying a higher one (the weights only scale terms of one priority); weights: one weighted sum, traded at the weights above.",
    )
    end_stock: EndStockPolicy = Field(
        EndStockPolicy.safety,
        description="What each stock point must hold at the close of the last day: safety = the lesser of its safety target and its opening stock; opening = its opening stock; none = nothing (the stores may be emptied). A miss is reported with its reason.",
    )
    rationing: YesNo = Field(
        False,
        description="yes to let the plan ration: the end-of-horizon stock then comes before daily demand, which may go unmet while the store holds stock; no (default): demand is met from the store first.",
    )
    unit_move_speed_km_per_day: float = Field(
        300.0,
        gt=0,
        le=2000,
        description="How far a relocating unit travels by road in a day; its move takes ceil(km / speed) days.",
    )
    troops_per_move_vehicle: int = Field(
        10,
        ge=1,
        le=200,
        description="Troops per vehicle of a relocating unit, for the threat exposure of its move.",
    )
    time_limit_s: float = Field(60.0, gt=0, le=86400, description="Solver time limit in seconds.")
    mip_gap_pct: float = Field(
        1.0, ge=0, le=100, description="Relative MIP gap at which the solver stops, in %."
    )
    language: Language = Field(
        Language.en,
        description="Language of the messages and of the plan workbook: en (English) or fr (French).",
    )
    classification: str = Field(
        "UNCLASSIFIED",
        min_length=1,
        max_length=60,
        description="Security classification marked on every printed page of the plan (e.g. UNCLASSIFIED, MISSION RESTRICTED).",
    )


# --------------------------------------------------------------------------------------------------
# Entity sheets
# --------------------------------------------------------------------------------------------------


class Supply(Row):
    """A supply class (``Supplies`` sheet)."""

    supply_id: Id = Field(description="Supply class id, e.g. WATER, RATIONS, FUEL.")
    name: str = Field("", max_length=120, description="Readable name.")
    unit: SupplyUnit = Field(
        description="Unit every quantity of this class is counted in: t or kL."
    )
    mass_t_per_unit: float = Field(
        gt=0,
        le=10,
        description="Mass of one unit in tonnes (1 for t; about 1.0 for kL of water, 0.84 for diesel).",
    )
    cargo_type: CargoType = Field(
        description="Kind of load: dry, fuel or water; decides which vehicles may carry it."
    )
    priority: int = Field(
        3,
        ge=1,
        le=5,
        description="1 = most critical (water, medical) .. 5 = least; the shortfall penalty doubles per step up.",
    )
    safety_stock_days: float = Field(
        0.0, ge=0, le=365, description="Target stock at each base in days of its demand."
    )


class Consumption(Row):
    """Consumption rate of a supply class (``Consumption`` sheet), optionally for one kind of base."""

    supply_id: Id = Field(description="Supply class consumed.")
    base_kind: BaseKind | None = Field(
        None, description="Kind of base the rate applies to; blank = every kind."
    )
    quantity_per_person_day: float = Field(
        ge=0, le=10, description="Consumption per person per day, in the supply class's unit."
    )


class Base(Row):
    """A location (``Bases`` sheet)."""

    base_id: Id = Field(description="Base id, e.g. GAO.")
    name: str = Field("", max_length=120, description="Readable name.")
    kind: BaseKind = Field(description="port, hub, camp, team_site or waypoint.")
    sector: str = Field(
        min_length=1,
        max_length=40,
        description="Mission sector the base is in (national caveats refer to it); no ',' or ';'.",
    )
    latitude_deg: float = Field(ge=-90, le=90, description="Latitude in decimal degrees.")
    longitude_deg: float = Field(ge=-180, le=180, description="Longitude in decimal degrees.")
    accommodation_troops: int = Field(
        0, ge=0, le=100_000, description="Most troops the base can house."
    )
    min_garrison_troops: int = Field(
        0, ge=0, le=100_000, description="Troops the base needs at the lowest threat."
    )
    airfield_class: AirfieldClass = Field(
        AirfieldClass.none,
        description="none, helipad, light_strip, unpaved_strip or paved_runway (in rising order: a base admits aircraft needing its class or a lower one).",
    )
    max_sorties_per_day: int | None = Field(
        None,
        ge=0,
        le=10_000,
        description="Most aircraft movements per day at the base's airfield: each aircraft taking off from it, or landing there (with the take-off that follows), counts once; blank = no limit.",
    )

    @model_validator(mode="after")
    def _sector_without_separators(self) -> Base:
        if any(mark in self.sector for mark in SECTOR_SEPARATORS):
            raise ValueError(
                _(
                    "a sector must not contain ',' or ';': they separate the sectors in the "
                    "{units} sheet's {allowed_sectors}, so this sector could never be allowed"
                ).format(units=sheet_name("Units"), allowed_sectors=column_name("allowed_sectors"))
            )
        return self


class Stock(Row):
    """Storage of one supply class at one base (``Stocks`` sheet)."""

    base_id: Id = Field(description="Base holding the stock.")
    supply_id: Id = Field(description="Supply class stored.")
    capacity: float = Field(ge=0, le=1e9, description="Storage capacity, in the class's unit.")
    initial_stock: float = Field(
        0.0, ge=0, le=1e9, description="Stock at the start of day 1, in the class's unit."
    )
    fixed_demand_per_day: float = Field(
        0.0,
        ge=0,
        le=1e7,
        description="Daily demand independent of troops (generators, humanitarian), in the class's unit.",
    )

    @model_validator(mode="after")
    def _initial_within_capacity(self) -> Stock:
        if self.initial_stock > self.capacity:
            raise ValueError(_columns(_("{initial_stock} must not exceed {capacity}")))
        return self


class Source(Row):
    """Where a supply class enters the mission (``Sources`` sheet)."""

    base_id: Id = Field(description="Base where the supply becomes available.")
    supply_id: Id = Field(description="Supply class supplied.")
    quantity_per_day: float | None = Field(
        None, ge=0, le=1e9, description="Most that can be drawn per day; blank = no daily limit."
    )
    total_quantity: float | None = Field(
        None,
        ge=0,
        le=1e12,
        description="Most that can be drawn over the horizon; blank = no total limit.",
    )
    unit_cost_usd: float = Field(0.0, ge=0, le=1e7, description="Cost per unit drawn, in USD.")

    @model_validator(mode="after")
    def _some_limit(self) -> Source:
        if self.quantity_per_day is None and self.total_quantity is None:
            raise ValueError(_columns(_("give {quantity_per_day} or {total_quantity} (or both)")))
        return self


class Demand(Row):
    """An extra requirement on top of troop consumption (``Demands`` sheet)."""

    demand_id: Id = Field(description="Demand id.")
    base_id: Id = Field(description="Base where it is needed.")
    supply_id: Id = Field(description="Supply class needed.")
    first_day: Day = Field(1, description="First day of the requirement.")
    last_day: Day | None = Field(None, description="Last day (inclusive); blank = end of horizon.")
    quantity_per_day: float = Field(
        ge=0, le=1e7, description="Quantity per day, in the class's unit."
    )
    description: str = Field("", max_length=500, description="What it is for.")

    @model_validator(mode="after")
    def _ordered_days(self) -> Demand:
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError(_columns(_("{last_day} must not be before {first_day}")))
        return self


class Route(Row):
    """A link between two bases (``Routes`` sheet)."""

    route_id: Id = Field(description="Route id.")
    from_base_id: Id = Field(description="One end.")
    to_base_id: Id = Field(description="Other end.")
    mode: Mode = Field(description="road, river or air.")
    distance_km: float = Field(gt=0, le=20_000, description="Length in km.")
    transit_days: float = Field(
        gt=0, le=60, description="Days a convoy (or aircraft) takes one way."
    )
    two_way: YesNo = Field(True, description="yes if usable in both directions.")
    open_from_day: Day = Field(
        1, description="First day the route is usable (season); RouteSeasons rows override it."
    )
    open_to_day: Day | None = Field(
        None,
        description="Last day the route is usable; blank = open to the end; RouteSeasons rows override it.",
    )
    open: YesNo = Field(
        True,
        description="no = closed, except on days a RouteSeasons row opens it; in a what-if with a day range: closed on those days, seasons or not.",
    )
    max_convoys_per_day: int | None = Field(
        None,
        ge=0,
        le=1000,
        description="Most convoys (or sorties) entering per day and direction; blank = no limit.",
    )
    threat_level: ThreatLevel = Field(
        1, description="Base threat level 1..5 before any active threat."
    )
    aircraft: Aircraft | None = Field(
        None,
        description="Air routes only: fixed_wing or helicopter to admit only that kind of aircraft; blank = any aircraft.",
    )

    @model_validator(mode="after")
    def _ordered_window(self) -> Route:
        if self.open_to_day is not None and self.open_to_day < self.open_from_day:
            raise ValueError(_columns(_("{open_to_day} must not be before {open_from_day}")))
        if self.aircraft is not None and self.mode != Mode.air:
            raise ValueError(
                _columns(
                    _(
                        "{aircraft} restricts air routes only: clear it or make the {mode} air "
                        "({mode} is {value})"
                    ),
                    value=self.mode.value,
                )
            )
        return self


class RouteSeason(Row):
    """The state of a route over a range of days (``RouteSeasons`` sheet): a rainy season that
    closes a road or slows it, a river navigable only at high water."""

    route_id: Id = Field(description="Route the season applies to.")
    first_day: Day = Field(description="First day of the season.")
    last_day: Day | None = Field(None, description="Last day of the season; blank = to the end.")
    open: YesNo = Field(
        True,
        description="yes = open on these days, no = closed; replaces the route's open_from_day, open_to_day and open on these days.",
    )
    transit_days: float | None = Field(
        None,
        gt=0,
        le=60,
        description="Days a convoy entering the route on one of these days takes one way; blank = the route's transit_days.",
    )

    @model_validator(mode="after")
    def _ordered_days(self) -> RouteSeason:
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError(_columns(_("{last_day} must not be before {first_day}")))
        return self

    def covers(self, day: int) -> bool:
        """Whether the season includes ``day``."""
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


class Vehicle(Row):
    """A vehicle or aircraft type (``Vehicles`` sheet)."""

    vehicle_type_id: Id = Field(description="Vehicle type id.")
    name: str = Field("", max_length=120, description="Readable name.")
    mode: Mode = Field(description="road, river or air.")
    cargo_types: IdList = Field(
        description="Cargo types it carries: dry, fuel, water; several separated by ';'."
    )
    payload_t: float = Field(
        gt=0,
        le=5000,
        description="Payload per trip, in tonnes (river barges carry 300 to 1,000 t).",
    )
    cost_usd_per_km: float = Field(
        0.0, ge=0, le=1e5, description="Running cost per km (surface modes)."
    )
    cost_usd_per_flight_hour: float = Field(
        0.0, ge=0, le=1e6, description="Cost per flight hour (aircraft)."
    )
    speed_kmh: float = Field(
        60.0, gt=0, le=1000, description="Cruise speed, used for flight hours."
    )
    sorties_per_day: int = Field(
        1,
        ge=1,
        le=10,
        description="Round trips one aircraft can fly per day (1 for surface vehicles).",
    )
    min_airfield_class: AirfieldClass = Field(
        AirfieldClass.none, description="Least airfield class it can use (aircraft)."
    )
    aircraft: Aircraft | None = Field(
        None,
        description="Air vehicles only: fixed_wing or helicopter; blank = helicopter if min_airfield_class is helipad, else fixed_wing. Leave blank for surface vehicles.",
    )
    crew: int = Field(1, ge=0, le=100, description="Crew per vehicle.")
    range_km: float | None = Field(
        None,
        gt=0,
        le=20_000,
        description="Longest leg an aircraft flies without refuelling, in km; blank = no limit.",
    )

    @model_validator(mode="after")
    def _known_cargo(self) -> Vehicle:
        allowed = {c.value for c in CargoType}
        unknown = [c for c in self.cargo_types if c not in allowed]
        if unknown or not self.cargo_types:
            raise ValueError(
                _columns(
                    _("{cargo_types} must list dry, fuel and/or water (got {value})"),
                    value=";".join(self.cargo_types) or _("nothing"),
                )
            )
        if self.aircraft is not None and self.mode != Mode.air:
            raise ValueError(
                _columns(
                    _(
                        "{aircraft} is for air vehicles only: clear it or make the {mode} air "
                        "({mode} is {value})"
                    ),
                    value=self.mode.value,
                )
            )
        return self

    @property
    def aircraft_kind(self) -> Aircraft | None:
        """Fixed-wing or helicopter for an air vehicle (given, else inferred from the least
        airfield class it needs); None for a surface vehicle."""
        if self.mode != Mode.air:
            return None
        if self.aircraft is not None:
            return self.aircraft
        helicopter = self.min_airfield_class == AirfieldClass.helipad
        return Aircraft.helicopter if helicopter else Aircraft.fixed_wing


class FleetEntry(Row):
    """Vehicles of one type at their home base (``Fleet`` sheet)."""

    base_id: Id = Field(description="Home base.")
    vehicle_type_id: Id = Field(description="Vehicle type.")
    count: int = Field(ge=0, le=10_000, description="Number available.")


class ConvoyLine(Row):
    """A standing convoy service (``Convoys`` sheet)."""

    line_id: Id = Field(description="Convoy line id.")
    origin_base_id: Id = Field(description="Where convoys load and their vehicles are based.")
    destination_base_id: Id = Field(description="Last base of the outbound path.")
    via_base_ids: IdList = Field(
        (),
        description="Bases between origin and destination, in order, separated by ';'; blank = the tool picks the least-exposure path.",
    )
    mode: Mode = Field(Mode.road, description="road, river or air.")
    first_departure_day: Day = Field(1, description="First allowed departure day.")
    every_days: int = Field(
        1, ge=1, le=366, description="Departures allowed every N days from the first."
    )
    last_departure_day: Day | None = Field(
        None, description="Last allowed departure day; blank = end of horizon."
    )
    min_vehicles: int = Field(1, ge=1, le=1000, description="Fewest vehicles in one convoy.")
    max_vehicles: int = Field(50, ge=1, le=1000, description="Most vehicles in one convoy.")
    escort_base_id: Id | None = Field(
        None,
        description="Base whose escort-capable units escort the line's convoys (busy for the whole round trip); blank = the origin.",
    )

    @model_validator(mode="after")
    def _sizes(self) -> ConvoyLine:
        if self.max_vehicles < self.min_vehicles:
            raise ValueError(_columns(_("{max_vehicles} must not be below {min_vehicles}")))
        return self


class Threat(Row):
    """An active threat on a route, a base or an area (``Threats`` sheet)."""

    threat_id: Id = Field(description="Threat id.")
    threat_type: ThreatType = Field(
        description="ied, mines, ambush, manpads, indirect_fire, smuggling, trafficking, unrest or other."
    )
    level: ThreatLevel = Field(description="Threat level 1..5 while active.")
    route_id: Id | None = Field(None, description="Route affected (or give base_id, or an area).")
    base_id: Id | None = Field(None, description="Base affected.")
    latitude_deg: float | None = Field(
        None, ge=-90, le=90, description="Centre of the affected area."
    )
    longitude_deg: float | None = Field(
        None, ge=-180, le=180, description="Centre of the affected area."
    )
    radius_km: float | None = Field(None, gt=0, le=2000, description="Radius of the affected area.")
    first_day: Day = Field(1, description="First active day.")
    last_day: Day | None = Field(None, description="Last active day; blank = to the end.")
    modes: ModeList = Field(
        (),
        description="Modes it endangers, separated by ';' (road, river, air): it raises the level of and closes only routes of these modes (a threat on a base raises its garrison whatever the modes); blank = the type's: road and river for ied, mines and ambush, air for manpads, every mode for the others.",
    )
    description: str = Field("", max_length=500, description="What is known.")

    @property
    def affected_modes(self) -> frozenset[Mode]:
        """The modes the threat endangers: its ``modes``, else its type's default."""
        return frozenset(self.modes) if self.modes else THREAT_DEFAULT_MODES[self.threat_type]

    @model_validator(mode="after")
    def _one_target(self) -> Threat:
        area = (self.latitude_deg, self.longitude_deg, self.radius_km)
        has_area = any(v is not None for v in area)
        if has_area and not all(v is not None for v in area):
            raise ValueError(
                _columns(_("an area needs {latitude_deg}, {longitude_deg} and {radius_km}"))
            )
        targets = sum([self.route_id is not None, self.base_id is not None, has_area])
        if targets != 1:
            raise ValueError(_columns(_("give exactly one of {route_id}, {base_id} or an area")))
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError(_columns(_("{last_day} must not be before {first_day}")))
        return self


class ThreatLevelRule(Row):
    """What a threat level demands (``ThreatLevels`` sheet)."""

    threat_level: ThreatLevel = Field(description="Level 1..5.")
    escort_troops_per_convoy: int = Field(
        ge=0, le=10_000, description="Escort troops every convoy needs at this level."
    )
    escort_troops_per_group: int = Field(
        0, ge=0, le=10_000, description="Extra escort troops per group of vehicles."
    )
    vehicles_per_escort_group: int = Field(
        10, ge=1, le=1000, description="Vehicles in one escort group (N)."
    )
    risk_weight: float = Field(
        ge=0, le=1e6, description="Exposure weight per vehicle-km at this level."
    )
    garrison_uplift_troops: int = Field(
        0,
        ge=0,
        le=100_000,
        description="Extra garrison a base needs while threatened at this level.",
    )


class Unit(Row):
    """A troop unit (``Units`` sheet)."""

    unit_id: Id = Field(description="Unit id.")
    name: str = Field("", max_length=120, description="Readable name.")
    country: str = Field(min_length=1, max_length=60, description="Contributing country.")
    unit_type: UnitType = Field(
        description="infantry, mechanised, quick_reaction, convoy_escort, engineer, medical, aviation, formed_police, logistics or headquarters."
    )
    strength: int = Field(ge=1, le=10_000, description="Troops in the unit.")
    current_base_id: Id = Field(description="Where the unit is now.")
    may_move: YesNo = Field(True, description="no if the unit must stay where it is.")
    allowed_sectors: IdList = Field(
        (), description="Sectors its country allows, separated by ';'; blank = any sector."
    )
    escort_capable: YesNo = Field(False, description="yes if the unit can escort convoys.")
    move_day: Day = Field(
        1,
        description="Day the unit leaves its base if the plan relocates it; it counts at neither base while it travels.",
    )


# --------------------------------------------------------------------------------------------------
# What-if changes (a ``Scenarios`` sheet, read by ``logistics.rules.overlay_sources``)
# --------------------------------------------------------------------------------------------------


class ScenarioChange(Row):
    """One row of a ``Scenarios`` sheet: a what-if change of one field of one record.

    The new value sits in the row's ``value`` column, which is read with the type of the column it
    changes (so it is not a field here).
    """

    scenario: str = Field(
        min_length=1,
        max_length=31,
        description="Name of the what-if scenario the change belongs to (letters, digits, spaces, '_', '-', '.').",
    )
    sheet: str = Field(
        min_length=1, max_length=31, description="Sheet of the record changed, e.g. Routes."
    )
    id: str = Field(
        min_length=1,
        max_length=200,
        description="Id of the record; composite keys joined by '/' (GAO/FUEL); for Settings the setting's key.",
    )
    field: str = Field(
        min_length=1,
        max_length=64,
        description="Column changed (value for Settings), or * with value remove to remove the record.",
    )
    first_day: Day | None = Field(
        None, description="First day the change applies; blank = from day 1."
    )
    last_day: Day | None = Field(
        None, description="Last day the change applies; blank = to the end of the horizon."
    )
    description: str = Field("", max_length=500, description="Why: the what-if in words.")


# --------------------------------------------------------------------------------------------------
# Defaults for optional sheets
# --------------------------------------------------------------------------------------------------

DEFAULT_THREAT_LEVELS: tuple[ThreatLevelRule, ...] = (
    ThreatLevelRule(
        threat_level=1,
        escort_troops_per_convoy=0,
        escort_troops_per_group=0,
        vehicles_per_escort_group=12,
        risk_weight=1.0,
        garrison_uplift_troops=0,
    ),
    ThreatLevelRule(
        threat_level=2,
        escort_troops_per_convoy=8,
        escort_troops_per_group=0,
        vehicles_per_escort_group=12,
        risk_weight=2.0,
        garrison_uplift_troops=0,
    ),
    ThreatLevelRule(
        threat_level=3,
        escort_troops_per_convoy=16,
        escort_troops_per_group=4,
        vehicles_per_escort_group=12,
        risk_weight=4.0,
        garrison_uplift_troops=25,
    ),
    ThreatLevelRule(
        threat_level=4,
        escort_troops_per_convoy=24,
        escort_troops_per_group=8,
        vehicles_per_escort_group=12,
        risk_weight=8.0,
        garrison_uplift_troops=75,
    ),
    ThreatLevelRule(
        threat_level=5,
        escort_troops_per_convoy=32,
        escort_troops_per_group=8,
        vehicles_per_escort_group=8,
        risk_weight=16.0,
        garrison_uplift_troops=150,
    ),
)
"""Escort rule of thumb from the 2023 Gao–Tessalit convoy (19 APCs for 228 trucks, about 1:12),
tightened at the highest level; risk weights double per level."""

# Consumption per person per day from ../shared/data/mali/planning_factors.csv, in the class's unit
# (water and fuel in kL, everything else in t). Keys are supply ids; a default applies only to the
# classes a workbook declares.
DEFAULT_CONSUMPTION: tuple[Consumption, ...] = (
    Consumption(supply_id="WATER", base_kind=None, quantity_per_person_day=0.084),
    Consumption(supply_id="WATER", base_kind=BaseKind.team_site, quantity_per_person_day=0.030),
    Consumption(supply_id="RATIONS", base_kind=None, quantity_per_person_day=0.0030),
    Consumption(supply_id="FUEL", base_kind=None, quantity_per_person_day=0.010),
    Consumption(supply_id="FUEL", base_kind=BaseKind.hub, quantity_per_person_day=0.020),
    Consumption(supply_id="AMMO", base_kind=None, quantity_per_person_day=0.0003),
    Consumption(supply_id="MEDICAL", base_kind=None, quantity_per_person_day=0.0002),
    Consumption(supply_id="CONSTRUCTION", base_kind=None, quantity_per_person_day=0.0005),
    Consumption(supply_id="GENERAL", base_kind=None, quantity_per_person_day=0.0007),
)


# --------------------------------------------------------------------------------------------------
# The whole scenario
# --------------------------------------------------------------------------------------------------


DayValueType = bool | int | float | None
"""Types a field that varies by day can take (yes/no, threat level, count or quantity)."""

DayValueT = TypeVar("DayValueT")


class DayValue(BaseModel):
    """A what-if value of one field of one record on a range of days (both days inclusive).

    The record itself keeps its base value; on the days of the range this value replaces it.
    ``record_id`` is the record's id, composite keys joined by ``/`` (``GAO/FUEL``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sheet: str = Field(description="Sheet of the record, e.g. Routes.")
    record_id: str = Field(description="Id of the record; composite keys joined by '/'.")
    field: str = Field(description="Column whose value varies.")
    value: DayValueType = Field(description="Value on the days of the range.")
    first_day: Day = Field(1, description="First day of the range.")
    last_day: Day | None = Field(None, description="Last day of the range; None = to the end.")

    def covers(self, day: int) -> bool:
        """Whether ``day`` lies in the range."""
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


class Scenario(BaseModel):
    """One validated mission workbook: settings plus every sheet's rows, frozen.

    Optional sheets that were absent hold their documented defaults (``DEFAULT_THREAT_LEVELS``,
    the ``DEFAULT_CONSUMPTION`` rows for the declared supply classes, no convoy lines = generated
    from the routes).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    settings: Settings = Field(default_factory=Settings)
    supplies: tuple[Supply, ...]
    consumption: tuple[Consumption, ...] = ()
    bases: tuple[Base, ...]
    stocks: tuple[Stock, ...] = ()
    sources: tuple[Source, ...] = ()
    demands: tuple[Demand, ...] = ()
    routes: tuple[Route, ...] = ()
    route_seasons: tuple[RouteSeason, ...] = ()
    vehicles: tuple[Vehicle, ...] = ()
    fleet: tuple[FleetEntry, ...] = ()
    convoys: tuple[ConvoyLine, ...] = ()
    threats: tuple[Threat, ...] = ()
    threat_levels: tuple[ThreatLevelRule, ...] = DEFAULT_THREAT_LEVELS
    units: tuple[Unit, ...] = ()
    day_values: tuple[DayValue, ...] = Field(
        (),
        description="What-if values limited to a range of days, in the order given (later wins).",
    )


DayIndex = dict[tuple[str, str, str], tuple[DayValue, ...]]

_DAY_INDEX_ATTRIBUTE = "_day_value_index"


def _day_index(scenario: Scenario) -> DayIndex:
    """The scenario's day values by (sheet, record id, field), latest first; built once.

    The index is kept in the instance's ``__dict__`` beside the fields (pydantic's equality, hash and
    dumps look at fields only) together with the tuple it was built from, so that a copy made with
    other day values rebuilds it.
    """
    cached = scenario.__dict__.get(_DAY_INDEX_ATTRIBUTE)
    if cached is None or cached[0] is not scenario.day_values:
        index: dict[tuple[str, str, str], list[DayValue]] = {}
        for entry in reversed(scenario.day_values):
            index.setdefault((entry.sheet, entry.record_id, entry.field), []).append(entry)
        cached = (scenario.day_values, {key: tuple(found) for key, found in index.items()})
        scenario.__dict__[_DAY_INDEX_ATTRIBUTE] = cached
    built: DayIndex = cached[1]
    return built


def value_on(
    scenario: Scenario, sheet: str, record_id: str, field: str, day: int, default: DayValueT
) -> DayValueT:
    """The value of a record's field on ``day``: a day value covering it, else ``default``.

    ``default`` is the record's own value of the field; when two day values cover the day, the one
    given last wins. A day value was validated against the same field, so it has its type.
    """
    for entry in _day_index(scenario).get((sheet, record_id, field), ()):
        if entry.covers(day):
            return cast(DayValueT, entry.value)
    return default
