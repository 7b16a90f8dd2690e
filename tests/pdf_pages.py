"""What a printed workbook looks like: the pages of its PDF, the size of every character, the
numbers it shows, and a real PNG to embed."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from PIL import Image

MIN_PRINTED_PT = 8.0
LONG_DECIMALS = re.compile(r"(?<![\d.])\d[\d,]*\.\d{3,}(?![\d.])")
"""A number printed with more than two decimals."""


@dataclass(frozen=True)
class PrintedPage:
    """One page of a PDF: its text and the smallest character on it."""

    text: str
    smallest_pt: float
    images: int


def character_pt(char: dict[str, object]) -> float | None:
    """The font size of one character: its size when upright, its width when turned a quarter
    (pdfplumber measures a turned character's size along the line); None at other angles."""
    if char["upright"]:
        return float(char["size"])  # type: ignore[arg-type]
    a, b, *_ = char["matrix"]  # type: ignore[misc]
    return float(char["width"]) if abs(a) < 1e-6 and abs(abs(b) - 1) < 1e-6 else None  # type: ignore[arg-type]


def read_pages(pdf: Path) -> list[PrintedPage]:
    """The pages of ``pdf`` with their text and smallest character."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            sizes = [
                size
                for char in page.chars
                if str(char["text"]).strip() and (size := character_pt(char)) is not None
            ]
            pages.append(
                PrintedPage(page.extract_text() or "", min(sizes, default=99.0), len(page.images))
            )
    return pages


def png(width: int, height: int) -> bytes:
    """A real PNG of ``width`` × ``height`` pixels (two colours, so it is not blank)."""
    picture = Image.new("RGB", (width, height), (200, 220, 240))
    picture.paste((30, 60, 120), (width // 4, height // 4, width // 2, height // 2))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
