"""The comparison page colours each delta exactly as the comparison workbook does: by the
objective's priorities (a figure is better only when no higher priority got worse), never the
solver's own figures, and differences within the solver's tolerance are 0."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient

from logistics.report.comparison import ScenarioSummary
from logistics.report.kpis import Kpi
from logistics.web.compare import comparison_view
from tests.web.conftest import wait_for
from tests.web.html import shown

GREEN, RED = "FFC6EFCE", "FFFFC7CE"
"""The fills of better and worse deltas in the comparison workbook."""


def summary(name: str, **values: float) -> ScenarioSummary:
    """A solved scenario's summary with the KPIs given."""
    kpis = tuple(Kpi(kpi, value, "", "") for kpi, value in values.items())
    return ScenarioSummary(name=name, description="", status="optimal", termination="", kpis=kpis)


def verdicts(view: object, scenario: int) -> dict[str, str]:
    """The verdict of each row's delta for the ``scenario``-th what-if (0 first)."""
    return {r["kpi"]: r["deltas"][scenario]["verdict"] for r in view.rows}  # type: ignore[attr-defined]


def test_a_saving_bought_with_exposure_is_not_better_and_solver_figures_are_never_judged() -> None:
    base = summary(
        "base", shortfall_total=10.0, exposure=100.0, cost_usd=5000.0, mip_gap_pct=1.0, convoys=9
    )
    riskier = summary(
        "riskier", shortfall_total=10.0, exposure=140.0, cost_usd=4000.0, mip_gap_pct=3.0, convoys=7
    )
    fuller = summary(
        "fuller", shortfall_total=4.0, exposure=100.0, cost_usd=5200.0, mip_gap_pct=0.5, convoys=12
    )
    view = comparison_view([base, riskier, fuller])
    shown_rows = ("shortfall_total", "exposure", "cost_usd", "mip_gap_pct", "convoys")
    riskier_verdicts = verdicts(view, 0)
    assert {kpi: riskier_verdicts[kpi] for kpi in shown_rows} == {
        "shortfall_total": "",
        "exposure": "worse",
        "cost_usd": "",
        "mip_gap_pct": "",
        "convoys": "",
    }
    judged = verdicts(view, 1)
    assert (judged["shortfall_total"], judged["cost_usd"]) == ("better", "worse")
    assert judged["mip_gap_pct"] == "" and judged["convoys"] == ""


def test_a_difference_within_the_solvers_tolerance_is_zero_and_not_judged() -> None:
    base = summary("base", shortfall_total=10.0, exposure=100.0)
    noise = summary("noise", shortfall_total=10.0 + 1e-7, exposure=100.0 - 1e-8)
    rows = {r["kpi"]: r["deltas"][0] for r in comparison_view([base, noise]).rows}
    assert rows["shortfall_total"] == {"value": 0.0, "verdict": ""}
    assert rows["exposure"] == {"value": 0.0, "verdict": ""}


def workbook_verdicts(content: bytes) -> dict[tuple[str, str], str]:
    """The colour of every delta cell of the comparison workbook, by (KPI, delta column)."""
    ws = openpyxl.load_workbook(io.BytesIO(content))["Comparison"]
    header = next(r for r in ws.iter_rows() if r[0].value == "kpi")
    columns = {c.column: str(c.value) for c in header if str(c.value).startswith("delta_")}
    found = {}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if row[0].value is None:
            break
        for cell in row:
            if cell.column in columns:
                fill = cell.fill.start_color.rgb if cell.fill.fill_type else None
                verdict = {GREEN: "better", RED: "worse"}.get(str(fill), "")
                found[(str(row[0].value), columns[cell.column])] = verdict
    return found


def test_the_comparison_page_colours_deltas_as_the_workbook_does(
    client: TestClient, solved: dict
) -> None:
    asked = client.post(
        f"/api/runs/{solved['id']}/whatif",
        json={
            "scenarios": [
                {"name": "cut", "changes": ["close-route HUB-A:1-6"]},
                {"name": "threat", "changes": ["threat HUB-B=4"]},
            ]
        },
    ).json()
    runs = [wait_for(client, r["id"]) for r in asked["runs"]]
    assert [r["status"] for r in runs] == ["done", "done"]
    page_html = client.get(f"/batches/{asked['batch_id']}").text
    page = shown(page_html)
    assert "better only when no higher priority got worse" in page.by_id["delta-legend"]
    table, classes = page.tables["Figures"], page.classes["Figures"]
    header = table[0]
    deltas = [i for i, h in enumerate(header) if h.startswith("Δ ")]
    on_page = {}
    for row, row_classes in zip(table[1:], classes[1:], strict=True):
        cell_classes = row_classes.split("|")
        for i in deltas:
            verdict = cell_classes[i].removeprefix("num delta").strip()
            on_page[(row[0], "delta_" + header[i].removeprefix("Δ "))] = verdict
            assert row[i].endswith(f"({verdict})") if verdict else "(" not in row[i]
    ids = [solved["id"], *(r["id"] for r in runs)]
    workbook = client.get("/compare.xlsx", params={"runs": ids}).content
    assert on_page == workbook_verdicts(workbook)
    assert any(on_page.values()), "the what-ifs change something the objective judges"
    assert on_page[("mip_gap_pct", "delta_cut")] == ""
