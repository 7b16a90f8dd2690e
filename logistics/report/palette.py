"""Colours that mean the same on every output: the map, the timeline picture and the workbook."""

from __future__ import annotations

THREAT_COLOURS: dict[int, str] = {
    1: "#1a7f37",
    2: "#7cb342",
    3: "#e0a000",
    4: "#e06000",
    5: "#b3161b",
}
"""Colour of each threat level 1-5."""
NO_THREAT_COLOUR = "#6b6b6b"


def threat_colour(level: int | None) -> str:
    """The colour of a threat level (grey for none)."""
    return THREAT_COLOURS.get(level or 0, NO_THREAT_COLOUR)
