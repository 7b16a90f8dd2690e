"""Numbers as people read them: every value the workbooks store is rounded to its unit's precision.

A solver returns 87.19999999999999 t and -7.9e-10 kL; a planner reads 87.2 t and 0. Values are
rounded once, when a result table or KPI is made for a workbook, so that the sums a reader makes of
the rows are the totals the summary shows, and a value that rounds to zero is a plain 0 (never
``-0``). Two figures are rounded towards the side that does not flatter the plan:

* a share of demand met is cut, not rounded, to 0.1 % while anything is short, so 99.96 % met
  reads 99.9 %, never 100.0 %;
* a distance from the best possible plan (MIP gap) is rounded up, so a plan said to be within
  1.3 % is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from logistics.i18n import message_language

QUANTITY_DECIMALS = 1
"""Tonnes, kilolitres, km, days of supply, exposure: to 0.1."""
MONEY_DECIMALS = 0
"""USD: whole dollars."""
PERCENT_DECIMALS = 1
SECONDS_DECIMALS = 1
WEIGHTED_DECIMALS = 2
"""The weighted objective and its terms (points of the objective, not a physical unit)."""

UNIT_DECIMALS: dict[str, int] = {
    "t": QUANTITY_DECIMALS,
    "kL": QUANTITY_DECIMALS,
    "t + kL": QUANTITY_DECIMALS,
    "unit-days": QUANTITY_DECIMALS,
    "km": QUANTITY_DECIMALS,
    "days": QUANTITY_DECIMALS,
    "risk-weighted vehicle-km": QUANTITY_DECIMALS,
    "%": PERCENT_DECIMALS,
    "USD": MONEY_DECIMALS,
    "s": SECONDS_DECIMALS,
    "weighted points": WEIGHTED_DECIMALS,
}
"""Decimals by unit; units not listed are counts (troops, convoys, units…) and are whole."""
COUNT_DECIMALS = 0


def decimals_for(unit: str) -> int:
    """How many decimals a value in ``unit`` is shown and stored with."""
    return UNIT_DECIMALS.get(unit, COUNT_DECIMALS)


def rounded(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals``, with no negative zero and no float residue."""
    result = round(float(value), decimals)
    return 0.0 if result == 0 else result


def rounded_value(value: object, decimals: int) -> object:
    """A cell value rounded when it is a finite number (flags, text and blanks pass unchanged)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not math.isfinite(value):
        return value
    if isinstance(value, int):
        return value
    number = rounded(value, decimals)
    return int(number) if decimals == 0 else number


def percent_met(met: float, demand: float, shortfall: float) -> float | None:
    """Share of ``demand`` met, in %, to 0.1: cut (not rounded) and at most 99.9 while
    ``shortfall`` is above zero, so a plan that leaves anything unmet never reads 100 %.

    None when there is no demand.
    """
    if demand <= 0:
        return None
    share = met / demand * 100.0
    if rounded(shortfall, QUANTITY_DECIMALS) <= 0:
        return min(rounded(share, PERCENT_DECIMALS), 100.0)
    scale = 10**PERCENT_DECIMALS
    # The tiny addend keeps 87.2 from being cut to 87.1 when it is stored as 87.19999999999999.
    cut = math.floor(share * scale + 1e-9) / scale
    return rounded(min(cut, 100.0 - 1 / scale), PERCENT_DECIMALS)


def gap_up(gap_pct: float | None) -> float | None:
    """A distance from the best possible plan, in %, rounded up to 0.1 (never understated)."""
    if gap_pct is None or not math.isfinite(gap_pct):
        return None
    scale = 10**PERCENT_DECIMALS
    return rounded(math.ceil(gap_pct * scale - 1e-9) / scale, PERCENT_DECIMALS)


def round_frame(frame: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """A copy of ``frame`` with each column named in ``decimals`` rounded to its decimals.

    Whole-number columns become integers (blanks stay blank); other columns are left as they are.
    """
    out = frame.copy()
    for column, places in decimals.items():
        if column not in out.columns:
            continue
        values = [rounded_value(value, places) for value in out[column].tolist()]
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def in_words(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals as a sentence of the message language writes it:
    ``1,234.5`` in English, ``1 234,5`` in French (a narrow no-break space between thousands)."""
    text = f"{value:,.{decimals}f}"
    if message_language() == "fr":
        return text.replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")
    return text
