"""What a page shows, read from its HTML as a reader meets it: the text of elements by id and
the tables under each heading (Python's own HTML parser; no browser needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"})
HEADINGS = frozenset({"h1", "h2", "h3"})


@dataclass
class Shown:
    """The text of every element with an id, and the rows of every table (cells as text, header
    row first) under the heading just before it."""

    by_id: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)
    """For each table heading, the class of every cell (row by row, joined by ``|``)."""


class _Reader(HTMLParser):
    """Collects ``Shown`` while parsing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown = Shown()
        self._open: list[tuple[str, str | None]] = []
        self._texts: dict[str, list[str]] = {}
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._row_classes: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in HEADINGS:
            self._heading = []
        elif tag == "table":
            title = self.shown.headings[-1] if self.shown.headings else ""
            self.shown.tables[title] = []
            self.shown.classes[title] = []
        elif tag == "tr":
            self._row, self._row_classes = [], []
        elif tag in ("td", "th"):
            self._cell = []
            if self._row_classes is not None:
                self._row_classes.append(found.get("class") or "")
        if tag in VOID:
            return
        element_id = found.get("id")
        if element_id:
            self._texts[element_id] = []
        self._open.append((tag, element_id))

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self._heading is not None:
            self.shown.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            title = self.shown.headings[-1] if self.shown.headings else ""
            self.shown.tables.setdefault(title, []).append(self._row)
            self.shown.classes.setdefault(title, []).append("|".join(self._row_classes or []))
            self._row = None
        while self._open:
            open_tag, element_id = self._open.pop()
            if element_id:
                self.shown.by_id[element_id] = " ".join("".join(self._texts[element_id]).split())
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id:
                self._texts[element_id].append(data)
        for collector in (self._heading, self._cell):
            if collector is not None:
                collector.append(data)


def shown(html: str) -> Shown:
    """What the page ``html`` shows."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.shown
