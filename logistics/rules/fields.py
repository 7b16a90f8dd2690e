"""What each column of the workbook expects, derived from the pydantic field behind it.

One description serves the reader's error messages ("expected a number of km greater than 0") and
the template's field dictionary and drop-downs, so both always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from logistics.i18n import _, message_language, settings_names


class Kind(StrEnum):
    """How a cell is read."""

    text = "text"
    id = "id"
    id_list = "list of ids"
    whole_number = "whole number"
    number = "number"
    yes_no = "yes/no"
    date = "date"
    choice = "choice"
    choice_list = "list of choices"


# Unit words for the last token of a header before any "_per_" (``distance_km`` → km).
_UNIT_WORDS: dict[str, str] = {
    "km": "km",
    "kmh": "km/h",
    "t": "t",
    "usd": "USD",
    "days": "days",
    "day": "day",
    "troops": "troops",
    "deg": "degrees",
    "pct": "%",
    "s": "seconds",
}


def unit_of(column: str) -> str:
    """The unit a header's suffix names: ``cost_usd_per_km`` → ``"USD per km"``; ``""`` if none."""
    head, *per_parts = column.split("_per_")
    head_tokens = head.split("_")
    words = (
        [_UNIT_WORDS[head_tokens[-1]]]
        if len(head_tokens) > 1 and head_tokens[-1] in _UNIT_WORDS
        else []
    )
    for part in per_parts:
        tokens = part.split("_")
        if len(tokens) > 1 and tokens[-1] == "day":
            words.append(f"per {' '.join(tokens[:-1])} per day")
        else:
            words.append(f"per {' '.join(tokens)}")
    return " ".join(words)


def format_number(value: float) -> str:
    """A bound as a planner writes it: ``20000`` → ``"20,000"``, ``0.5`` → ``"0.5"``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def shown_number(value: float) -> str:
    """A number in a message, as the message language writes it: ``20,000`` and ``0.5`` in
    English, ``20 000`` and ``0,5`` in French (a narrow no-break space between thousands)."""
    text = format_number(value)
    if message_language() == "fr":
        return text.replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")
    return text


@dataclass(frozen=True)
class Column:
    """Everything the reader and the template need to know about one column (or settings key)."""

    name: str
    kind: Kind
    optional: bool
    required: bool
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    max_length: int | None = None

    @property
    def unit(self) -> str:
        """Unit named by the header's suffix."""
        return unit_of(self.name)

    @property
    def is_day(self) -> bool:
        """Whether the column holds a day of the plan (``first_day``, ``open_to_day``…)."""
        return self.unit == "day" and self.kind is Kind.whole_number

    @property
    def default_text(self) -> str:
        """The default as a planner would type it; ``""`` when there is none or it is blank."""
        if self.required or self.default is None:
            return ""
        return display_value(self.default)

    def expectation(self) -> str:
        """What a valid cell holds, e.g. ``"a number of km greater than 0 and at most 20,000"``,
        in the message language."""
        if self.kind is Kind.choice:
            return _("one of: {choices}").format(choices=", ".join(self.choices))
        if self.kind is Kind.choice_list:
            return _("one or more of {choices}, separated by ';'").format(
                choices=", ".join(self.choices)
            )
        if self.is_day:
            return _(
                "a day number from 1 to the horizon ({horizon_days}), or a date when "
                "{settings} has {start_date}"
            ).format(**settings_names("horizon_days", "start_date"))
        if self.kind in (Kind.number, Kind.whole_number):
            return self._numeric_expectation()
        return _PLAIN_EXPECTATIONS[self.kind](self)

    def _numeric_expectation(self) -> str:
        unit = self.unit
        noun = _("a whole number") if self.kind is Kind.whole_number else _("a number")
        if unit == "day":
            noun = _("a day number")
        elif unit.startswith("per "):
            noun = f"{noun} {_(unit)}"
        elif unit:
            noun = _("{noun} of {unit}").format(noun=noun, unit=_(unit))
        low = None if self.lower is None else shown_number(self.lower)
        high = None if self.upper is None else shown_number(self.upper)
        if low is not None and high is not None and self.lower_inclusive:
            return _("{noun} from {low} to {high}").format(noun=noun, low=low, high=high)
        if low is not None and high is not None:
            return _("{noun} greater than {low} and at most {high}").format(
                noun=noun, low=low, high=high
            )
        if low is not None and self.lower_inclusive:
            return _("{noun} ≥ {low}").format(noun=noun, low=low)
        if low is not None:
            return _("{noun} greater than {low}").format(noun=noun, low=low)
        if high is not None:
            return _("{noun} of at most {high}").format(noun=noun, high=high)
        return noun


def _text_expectation(column: Column) -> str:
    if column.max_length:
        return _("text of at most {count} characters").format(count=column.max_length)
    return _("text")


_PLAIN_EXPECTATIONS: dict[Kind, typing.Callable[[Column], str]] = {
    Kind.text: _text_expectation,
    Kind.id: lambda c: _(
        "an id of letters, digits, '_', '.' or '-' (no spaces, at most {count} characters)"
    ).format(count=c.max_length),
    Kind.id_list: lambda c: _("ids separated by ';' (e.g. A; B)"),
    Kind.yes_no: lambda c: _("yes or no"),
    Kind.date: lambda c: _("a date (a date cell, or text like 2024-03-31)"),
}


def display_value(value: Any) -> str:
    """A value as text in a planner's notation: enums by value, yes/no, lists joined by ``;``."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return "; ".join(display_value(item) for item in value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe(name: str, field: FieldInfo) -> Column:
    """The ``Column`` for a pydantic field."""
    base, metadata, optional = _unwrap(field.annotation, list(field.metadata))
    choices: tuple[str, ...] = ()
    member_type = _list_member(base)
    if isinstance(member_type, type) and issubclass(member_type, Enum):
        choices = tuple(str(member.value) for member in member_type)
    lower, lower_inclusive, upper, max_length, has_pattern = _constraints(metadata)
    return Column(
        name=name,
        kind=_kind(base, has_pattern, bool(choices)),
        optional=optional,
        required=field.is_required(),
        default=None
        if field.is_required() or field.default is PydanticUndefined
        else field.default,
        description=field.description or "",
        choices=choices,
        lower=lower,
        lower_inclusive=lower_inclusive,
        upper=upper,
        max_length=max_length,
    )


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    """Strip ``Optional`` and ``Annotated`` layers: (base type, constraints, None allowed)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extras = typing.get_args(annotation)
            for extra in extras:
                metadata.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
            annotation = base
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = True
            annotation = members[0]
        else:
            return annotation, metadata, optional


def _constraints(
    metadata: list[Any],
) -> tuple[float | None, bool, float | None, int | None, bool]:
    """(lower bound, lower inclusive, upper bound, max length, has pattern) from field metadata."""
    lower: float | None = None
    lower_inclusive = True
    upper: float | None = None
    max_length: int | None = None
    has_pattern = False
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            lower, lower_inclusive = float(typing.cast(float, item.ge)), True
        elif isinstance(item, annotated_types.Gt):
            lower, lower_inclusive = float(typing.cast(float, item.gt)), False
        elif isinstance(item, annotated_types.Le):
            upper = float(typing.cast(float, item.le))
        elif isinstance(item, annotated_types.MaxLen):
            max_length = item.max_length
        elif getattr(item, "pattern", None):
            has_pattern = True
    return lower, lower_inclusive, upper, max_length, has_pattern


def _list_member(base: Any) -> Any:
    """The type of a list's items (``tuple[Mode, ...]`` → ``Mode``), else ``base`` itself."""
    if typing.get_origin(base) is tuple:
        return typing.get_args(base)[0]
    return base


def _kind(base: Any, has_pattern: bool, has_choices: bool) -> Kind:
    if has_choices:
        return Kind.choice_list if typing.get_origin(base) is tuple else Kind.choice
    if base is bool:
        return Kind.yes_no
    if base is int:
        return Kind.whole_number
    if base is float:
        return Kind.number
    if base is dt.date:
        return Kind.date
    if typing.get_origin(base) is tuple:
        return Kind.id_list
    return Kind.id if has_pattern else Kind.text


@functools.cache
def columns_of(model: type[BaseModel]) -> Mapping[str, Column]:
    """Every field of a sheet's row model (or of ``Settings``) as a ``Column``, in field order."""
    return types.MappingProxyType(
        {name: describe(name, field) for name, field in model.model_fields.items()}
    )
