"""The plan page shows the Brief's figures (the very blocks of the plan workbook's ``Brief``
sheet), in the plan's language; its PDF download is the printed plan, Brief first."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from logistics.i18n import sheet_name
from tests.web.conftest import TINY, upload, wait_for
from tests.web.html import Shown, shown

BLOCK_COLUMNS = 6
"""Columns a Brief block spans on the sheet."""


def solve(client: TestClient, path: Path) -> dict:
    """Upload and solve ``path``; the ended run's JSON."""
    found = upload(client, path)
    run = client.post(f"/api/uploads/{found['id']}/solve", json={"time_limit_s": 20}).json()
    return wait_for(client, run["id"])


def french_tiny(tmp_path: Path) -> Path:
    """The tiny mission with ``language`` set to ``fr`` in its Settings."""
    workbook = openpyxl.load_workbook(TINY)
    for key, value in workbook["Settings"].iter_rows(max_col=2):
        if key.value == "language":
            value.value = "fr"
    path = tmp_path / "tiny-fr.xlsx"
    workbook.save(path)
    return path


def sheet_block(ws: object, heading: str) -> list[tuple[object, ...]]:
    """The rows under ``heading`` on the Brief sheet (headers first), to the blank row after."""
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.value == heading:
                rows = []
                for r in range(cell.row + 1, ws.max_row + 1):  # type: ignore[attr-defined]
                    values = tuple(
                        ws.cell(row=r, column=c).value  # type: ignore[attr-defined]
                        for c in range(cell.column, cell.column + BLOCK_COLUMNS)
                    )
                    if values[0] is None:
                        return rows
                    rows.append(values)
                return rows
    raise AssertionError(f"the Brief sheet has no block {heading!r}")


def reads_as(text: str, value: object, language: str) -> bool:
    """Whether the page's ``text`` shows the sheet's cell ``value`` (numbers to the decimals the
    page shows, in the language's way of writing them; dates as ISO dates)."""
    if value is None:
        return text == ""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return text == day.isoformat()
    if isinstance(value, int | float):
        number = text.removesuffix(" d").removesuffix(" %").replace("\N{NARROW NO-BREAK SPACE}", "")
        number = number.replace(",", ".") if language == "fr" else number.replace(",", "")
        decimals = len(number.split(".")[1]) if "." in number else 0
        return abs(float(number) - float(value)) <= 0.5 * 10**-decimals + 1e-9
    return text == str(value)


def assert_shows_the_workbook_brief(page: Shown, workbook: bytes, language: str) -> None:
    """Every line and block of the plan workbook's Brief sheet is on the page, as it reads there."""
    ws = openpyxl.load_workbook(io.BytesIO(workbook))[sheet_name("Brief", language)]
    title, days, status, headline = (ws.cell(row=r, column=1).value for r in range(1, 5))
    assert title in page.headings
    assert page.by_id["status-words"] == status
    assert page.by_id["headline"] == headline
    assert days in page.by_id["brief"]
    blocks = [h for h in page.headings if h in page.by_id["brief"]][1:]
    assert len(blocks) == 6, blocks
    for heading in blocks:
        rows = sheet_block(ws, heading)
        if heading not in page.tables:  # an empty block says so, as the sheet does
            assert rows[1][0] in page.by_id["brief"], heading
            continue
        table = page.tables[heading]
        assert len(table) == len(rows), heading
        for shown_row, sheet_row in zip(table, rows, strict=True):
            for text, value in zip(shown_row, sheet_row, strict=False):
                assert reads_as(text, value, language), (heading, text, value)


def test_the_plan_page_shows_the_briefs_figures(client: TestClient, solved: dict) -> None:
    page = shown(client.get(f"/runs/{solved['id']}").text)
    workbook = client.get(f"/runs/{solved['id']}/files/plan.xlsx").content
    assert_shows_the_workbook_brief(page, workbook, "en")
    assert page.by_id["status-words"] == (
        "The plan is as good as it can be (within the precision asked for)."
    )
    assert page.by_id["headline"].startswith("Demand met 93.3 % · short 10.0 t + kL")
    sustainment = page.tables["Days of supply by sector (scarcest class)"]
    assert sustainment[0] == [
        "Sector",
        "Bases",
        "Day 1",
        "Day 6",
        "Scarcest",
        "Below safety target",
    ]
    unmet = page.tables["What cannot be met, and why"]
    assert unmet[1] == [
        "CAMP-B",
        "WATER (kL)",
        "2024-01-02",
        "2024-01-02",
        "10.0",
        "fleet exhausted",
    ]
    assert "none: every unit stays where it is" in page.by_id["brief"]
    assert page.tables["Fleet and escorts at their busiest"][1][0] == "Water tanker 20 kL"
    assert 1 <= len(page.tables["Most exposed convoys"]) - 1 <= 5
    assert len(page.tables["Most exposed routes"]) - 1 >= 1


def test_a_french_workbook_gets_a_french_plan_page(client: TestClient, tmp_path: Path) -> None:
    run = solve(client, french_tiny(tmp_path))
    assert run["status"] == "done"
    html = client.get(f"/runs/{run['id']}").text
    page = shown(html)
    workbook = client.get(f"/runs/{run['id']}/files/plan.xlsx").content
    assert_shows_the_workbook_brief(page, workbook, "fr")
    assert 'id="brief" lang="fr"' in html
    assert "Plan logistique : Tiny hand-checked mission" in page.headings
    assert page.by_id["status-words"].startswith("Le plan est aussi bon que possible")
    unmet = page.tables["Ce qui ne peut être satisfait, et pourquoi"]
    assert unmet[0] == ["Base", "Classe", "De", "À", "Manque", "Motif"]
    assert unmet[1][4] == "10,0"
    assert "Besoins satisfaits à 93,3 %" in page.by_id["headline"]
    kpis = page.tables["Key figures"]
    assert ["demand_met_pct", "93.30", "%"] in kpis


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_plan_pdf_downloads_with_the_brief_on_its_first_page(
    client: TestClient, solved: dict, tmp_path: Path
) -> None:
    from tests.pdf_pages import read_pages

    page = shown(client.get(f"/runs/{solved['id']}").text)
    assert "Plan brief (PDF)" in page.by_id["downloads"]
    response = client.get(f"/runs/{solved['id']}/plan.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert ".pdf" in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)
    first = read_pages(pdf)[0].text
    assert "Logistics plan: Tiny hand-checked mission" in first
    assert "What cannot be met, and why" in first
    assert page.by_id["status-words"] in " ".join(first.split())


def test_without_libreoffice_the_pdf_is_said_to_be_unavailable(
    client: TestClient, solved: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logistics.web import service

    monkeypatch.setattr(service.shutil, "which", lambda name: None)
    page = shown(client.get(f"/runs/{solved['id']}").text)
    assert "Plan brief (PDF): unavailable, LibreOffice is not installed" in page.by_id["downloads"]
    assert "/plan.pdf" not in client.get(f"/runs/{solved['id']}").text
    response = client.get(f"/runs/{solved['id']}/plan.pdf")
    assert response.status_code == 404
    assert "LibreOffice" in response.text
