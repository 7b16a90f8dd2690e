"""Re-planning the tiny mission from the reports of day 3: hand-solved cases and bad actuals.

The tiny mission (``scripts/build_examples.py: build_tiny``): one hub with a water source of 30 kL
a day and one 20 kL tanker, two camps 60 and 90 km away each drawing 10 kL a day (200 troops at
0.05 kL) and holding at most 20 kL, over six days (from 2024-01-01); a tanker leaves on day t, drops
on day t + 1 and is home the same evening, so it can leave every day. Its optimal plan sends
L-A on days 1, 3 and 5 and L-B on days 2 and 4; each camp opens every odd or even day empty and
receives 20 kL the day it is empty.

Every re-plan here is made from day 3 (new day 1 = old day 3 = 2024-01-03, horizon six days to
old day 8): on the plan's figures, camp A opens with 10 kL and camp B with 0 kL, and the tanker
of L-B-d02 is on its way to camp B, due on day 3 (new day 1). Every solved re-plan is checked by
the plan checker, which knows the pipeline arrivals and the vehicles still away.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from benchmarks.replan import write_actuals
from logistics.api import plan_workbook
from logistics.cli import app
from logistics.errors import InputError
from logistics.io.template import write_actuals_template
from logistics.replan import ReplanRun, replan
from logistics.rolling import rolled_scenario
from logistics.rules.schemas import ConvoyLine, Demand, Threat, ThreatType
from tests.models.plan_checker import check_plan

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "inputs" / "tiny.xlsx"


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published plan of the tiny mission (solved once for the module)."""
    path = tmp_path_factory.mktemp("published") / "tiny-plan.xlsx"
    plan_workbook(TINY, path, drawings=False)
    return path


def actuals(folder: Path, report_day: object = 3, **sheets: Sequence[Sequence[Any]]) -> Path:
    """An actuals workbook made from the blank template: the report day and rows per sheet."""
    return write_actuals(folder / "actuals.xlsx", report_day, **sheets)


def replanned(plan: Path, folder: Path, **sheets: Sequence[Sequence[Any]]) -> ReplanRun:
    """The re-plan from day 3 with the given actuals, checked by the plan checker."""
    result = replan(plan, actuals(folder, 3, **sheets), None, drawings=False)
    check_plan(result.run.data, result.run.plan)
    return result


def shortfall_by_base(result: ReplanRun) -> dict[str, float]:
    shortfalls = result.run.plan.tables["shortfalls"]
    return {
        str(b): round(float(q), 6)
        for b, q in shortfalls.groupby("base_id")["quantity"].sum().items()
    }


def departures(result: ReplanRun) -> list[tuple[str, int]]:
    convoys = result.run.plan.tables["convoys"]
    return sorted(zip(convoys["line_id"], convoys["depart_day"].astype(int), strict=True))


def changes(result: ReplanRun) -> list[tuple[object, ...]]:
    frame = result.changes.frame
    return [
        (r["change"], r["item"], r["old_day"], r["cause"], r["reported_at"])
        for r in frame.to_dict("records")
        if r["change"] != "cargo delivered"
    ]


def stock_of(result: ReplanRun, base: str) -> pd.DataFrame:
    stock = result.run.plan.tables["stock"]
    return stock[stock["base_id"] == base].set_index("day")


def test_the_actuals_template_has_every_sheet_with_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "actuals.xlsx"
    write_actuals_template(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "Instructions",
        "Dictionary",
        "Report",
        "StockOnHand",
        "ConvoyReports",
        "CargoLoaded",
        "UnitPositions",
        "VehiclesOut",
        "Threats",
        "Closures",
    ]
    assert [c.value for c in workbook["ConvoyReports"][1]] == [
        "convoy_id",
        "status",
        "delay_days",
        "description",
    ]
    assert workbook["Report"]["A1"].comment is not None


def test_actuals_equal_to_the_plan_keep_every_published_departure(
    tiny_plan: Path, tmp_path: Path
) -> None:
    """Nothing reported but the day: the re-plan keeps L-A-d03, L-B-d04 and L-A-d05 (new days
    1, 2 and 3), the tanker of L-B-d02 drops its 20 kL at camp B on new day 1, nothing is short,
    and no departure or unit changes (plan_changes = 0). The new horizon's last days (old days 7
    and 8) add convoys the published plan could not have had (their cargo arrives after its last
    day): they are not changes. Keeping the published plan met every need, so nothing else was
    searched and the plan's distance from the best of all plans is unknown, as the Run sheet
    says."""
    result = replanned(tiny_plan, tmp_path)
    plan = result.run.plan
    assert plan.start.startswith("published plan, repaired to fit")
    kept = [t for t in plan.tiers if t.termination.endswith("keeping it met every need)")]
    assert [t.name for t in kept][-1] == "exposure + cost + stability"
    assert all(t.gap_pct is None for t in kept)
    assert plan.mip_gap_pct is None
    assert result.run.plan.raw_terms["plan_changes"] == 0
    assert shortfall_by_base(result) == {}
    assert ("L-A", 1) in departures(result)
    assert {("L-A", 1), ("L-B", 2), ("L-A", 3)} <= set(departures(result))
    assert changes(result) == []
    assert stock_of(result, "CAMP-B").loc[1, "arrivals"] == pytest.approx(20.0)
    assert result.run.scenario.settings.start_date is not None
    assert result.run.scenario.settings.start_date.isoformat() == "2024-01-03"


def test_a_delayed_convoy_arrives_late_and_the_camp_follows(
    tiny_plan: Path, tmp_path: Path
) -> None:
    """L-B-d02 delayed 2 days: its 20 kL reach camp B on old day 5 = new day 3, and the tanker
    is home on new day 3, so it is away on new days 1 and 2: the frozen L-A-d03 and L-B-d04 cannot
    run (forced, caused by the report at ConvoyReports!B2). Camp B: 0 kL, short 10 on days 1 and
    2, then the 20 kL on day 3 (met 10, closing 10). Camp A: 10 kL meet day 1; the first convoy
    leaves day 3 and arrives day 4, so A is short 10 on days 2 and 3. From day 3 one trip a day
    (A on 3, B on 4, A on 5) meets every demand: shortfall 20 + 20 = 40 kL."""
    result = replanned(tiny_plan, tmp_path, ConvoyReports=[("L-B-d02", "delayed", 2)])
    assert shortfall_by_base(result) == {"CAMP-A": 20.0, "CAMP-B": 20.0}
    camp_b = stock_of(result, "CAMP-B")
    assert list(camp_b.loc[1:3, "arrivals"]) == [0.0, 0.0, 20.0]
    assert list(camp_b.loc[1:3, "shortfall"]) == [10.0, 10.0, 0.0]
    assert camp_b.loc[3, "closing"] == pytest.approx(10.0)
    assert departures(result)[0] == ("L-A", 3)
    assert changes(result)[:2] == [
        ("convoy cancelled", "L-A-d03", 1, "convoy L-B-d02 reported delayed", "ConvoyReports!B2"),
        ("convoy cancelled", "L-B-d04", 2, "convoy L-B-d02 reported delayed", "ConvoyReports!B2"),
    ]
    reasons = set(result.run.plan.tables["shortfalls"]["reason"])
    assert "fleet exhausted" in " ".join(reasons)


def test_a_lost_convoy_never_delivers_and_its_vehicles_never_return(
    tiny_plan: Path, tmp_path: Path
) -> None:
    """L-B-d02 lost with the only tanker: no convoy can run, camp A uses its 10 kL on day 1 and
    is short 10 a day after (50 kL), camp B is short 10 every day (60 kL): 110 kL. Every
    published departure is a forced cancellation."""
    result = replanned(tiny_plan, tmp_path, ConvoyReports=[("L-B-d02", "lost")])
    assert departures(result) == []
    assert shortfall_by_base(result) == {"CAMP-A": 50.0, "CAMP-B": 60.0}
    assert stock_of(result, "CAMP-B")["arrivals"].sum() == 0.0
    assert [c[:3] for c in changes(result) if c[0] == "convoy cancelled"] == [
        ("convoy cancelled", "L-A-d03", 1),
        ("convoy cancelled", "L-B-d04", 2),
        ("convoy cancelled", "L-A-d05", 3),
    ]
    assert result.run.plan.raw_terms["plan_changes"] == 0


def test_a_closure_after_departure_leaves_the_convoy_on_its_route(
    tiny_plan: Path, tmp_path: Path
) -> None:
    """HUB-B closed from day 3 (an IED) after L-B-d02 left: its 20 kL still reach camp B on new
    day 1 (met 10, 10 left for day 2); no convoy reaches B afterwards, so B is short 10 on days
    3-6 (40 kL); L-B-d04 is a forced cancellation caused by Closures!A2."""
    result = replanned(tiny_plan, tmp_path, Closures=[("HUB-B", 3, None, "IED")])
    camp_b = stock_of(result, "CAMP-B")
    assert camp_b.loc[1, "arrivals"] == pytest.approx(20.0)
    assert shortfall_by_base(result) == {"CAMP-B": 40.0}
    assert list(camp_b["shortfall"]) == [0.0, 0.0, 10.0, 10.0, 10.0, 10.0]
    assert ("convoy cancelled", "L-B-d04", 2, "route HUB-B closed: IED", "Closures!A2") in changes(
        result
    )
    assert all(line == "L-A" for line, _ in departures(result))


def test_reported_stock_opens_the_camp(tiny_plan: Path, tmp_path: Path) -> None:
    """Camp A counted at 20 kL instead of 10: it lasts days 1 and 2 with no convoy, and the
    re-plan is not short anywhere."""
    result = replanned(tiny_plan, tmp_path, StockOnHand=[("CAMP-A", "WATER", 20)])
    assert stock_of(result, "CAMP-A").loc[1, "opening"] == pytest.approx(20.0)
    assert shortfall_by_base(result) == {}


def test_the_new_plan_workbook_has_a_changes_sheet_and_a_brief_block(
    tiny_plan: Path, tmp_path: Path
) -> None:
    output = tmp_path / "new-plan.xlsx"
    path = actuals(tmp_path, 3, ConvoyReports=[("L-B-d02", "delayed", 2)])
    replan(tiny_plan, path, output, drawings=False)
    workbook = openpyxl.load_workbook(output)
    assert "Changes" in workbook.sheetnames
    header = [c.value for c in workbook["Changes"][1]]
    assert header[:3] == ["change", "item", "line_id"]
    brief = [c.value for row in workbook["Brief"].iter_rows() for c in row if c.value]
    assert "What changed" in brief
    run_sheet = [c.value for row in workbook["Run"].iter_rows() for c in row if c.value]
    assert any("re-planned from day 3" in str(v) for v in run_sheet)


def test_a_date_gives_the_report_day(tiny_plan: Path, tmp_path: Path) -> None:
    """The plan starts on 2024-01-01, so 2024-01-03 is day 3."""
    import datetime as dt

    result = replan(tiny_plan, actuals(tmp_path, dt.date(2024, 1, 3)), None, drawings=False)
    assert result.replanning.actuals.report_day == 3


def test_bad_actuals_are_reported_at_their_cells_all_at_once(
    tiny_plan: Path, tmp_path: Path
) -> None:
    """Rows that cannot be read and ids the plan does not know, every one at its cell."""
    path = actuals(
        tmp_path,
        3,
        ConvoyReports=[
            ("L-B-d09", "delayed", 1),
            ("L-A-d05", "delayed", 1),
            ("L-A-d01", "delayed"),
        ],
        StockOnHand=[("CAMP-C", "WATER", 5), ("CAMP-A", "WATER", 25)],
        UnitPositions=[("B-BN", "hub")],
        Closures=[("HUB-Z", 4)],
    )
    with pytest.raises(InputError) as raised:
        replan(tiny_plan, path, None, drawings=False)
    found = [(i.location, i.header, i.shown_value, i.message) for i in raised.value.issues]
    assert found == [
        ("ConvoyReports!C4", "delay_days", "blank", "a delayed convoy needs delay_days"),
        (
            "StockOnHand!A2",
            "base_id",
            "'CAMP-C'",
            "no base_id 'CAMP-C' in the Bases sheet (did you mean CAMP-B?)",
        ),
        (
            "StockOnHand!C3",
            "on_hand",
            "25",
            "more than the storage capacity of CAMP-A (Stocks sheet): expected at most 20",
        ),
        (
            "ConvoyReports!A2",
            "convoy_id",
            "'L-B-d09'",
            "no convoy_id 'L-B-d09' in the plan's Convoys sheet (did you mean L-B-d04?)",
        ),
        (
            "ConvoyReports!B3",
            "status",
            "'delayed'",
            "this convoy leaves on day 5, not before the report day 3: only cancelled applies to it",
        ),
        (
            "UnitPositions!B2",
            "base_id",
            "'hub'",
            "no base_id 'hub' in the Bases sheet (did you mean HUB?)",
        ),
        (
            "Closures!A2",
            "route_id",
            "'HUB-Z'",
            "no route_id 'HUB-Z' in the Routes sheet (did you mean HUB-B?)",
        ),
    ]


def test_the_command_line_re_plans_and_refuses_to_overwrite_an_input(
    tiny_plan: Path, tmp_path: Path
) -> None:
    path = actuals(tmp_path, 3)
    runner = CliRunner()
    refused = runner.invoke(app, ["replan", str(tiny_plan), str(path), "--output", str(tiny_plan)])
    assert refused.exit_code == 2
    assert "is the input workbook" in " ".join(refused.output.split())
    output = tmp_path / "re.xlsx"
    done = runner.invoke(
        app, ["replan", str(tiny_plan), str(path), "--output", str(output), "--no-drawings"]
    )
    assert done.exit_code == 0, done.output
    assert "were kept" in _termination(output)
    free = tmp_path / "free.xlsx"
    args = ["replan", str(tiny_plan), str(path), "--output", str(free), "--no-drawings"]
    done = runner.invoke(app, [*args, "--stability", "0"])
    assert done.exit_code == 0, done.output
    assert "were kept" not in _termination(free)
    bad = actuals(tmp_path, 9)
    failed = runner.invoke(
        app, ["replan", str(tiny_plan), str(bad), "--output", str(tmp_path / "x.xlsx")]
    )
    assert failed.exit_code == 1
    assert "Traceback" not in failed.output
    assert "1 problem in actuals.xlsx" in failed.output
    assert "Report!A2" in failed.output


def _termination(plan: Path) -> str:
    """The solver's termination words on a plan workbook's Run sheet."""
    rows = openpyxl.load_workbook(plan, read_only=True)["Run"].iter_rows(values_only=True)
    return next(str(r[2]) for r in rows if r[:2] == ("solver", "termination"))


def test_rolling_renumbers_the_days_and_keeps_the_horizon() -> None:
    """From day 5 of 28: a demand of days 3-10 becomes 1-6, one of days 2-4 is over, a threat
    to day 28 runs to the end, a line every 3 days from day 1 (1, 4, 7…) first leaves on day 7 =
    new day 3."""
    from logistics.io.reader import load_scenario

    scenario = load_scenario(TINY)
    base = scenario.model_copy(
        update={
            "settings": scenario.settings.model_copy(update={"horizon_days": 28}),
            "demands": (
                Demand(
                    demand_id="D1",
                    base_id="HUB",
                    supply_id="WATER",
                    first_day=3,
                    last_day=10,
                    quantity_per_day=1,
                ),
                Demand(
                    demand_id="D2",
                    base_id="HUB",
                    supply_id="WATER",
                    first_day=2,
                    last_day=4,
                    quantity_per_day=1,
                ),
            ),
            "threats": (
                Threat(
                    threat_id="T",
                    threat_type=ThreatType.ied,
                    level=3,
                    route_id="HUB-A",
                    first_day=6,
                    last_day=28,
                ),
            ),
            "convoys": (
                ConvoyLine(
                    line_id="L", origin_base_id="HUB", destination_base_id="CAMP-A", every_days=3
                ),
            ),
        }
    )
    rolled = rolled_scenario(base, 5)
    assert rolled.settings.horizon_days == 28
    assert [(d.demand_id, d.first_day, d.last_day) for d in rolled.demands] == [("D1", 1, 6)]
    assert (rolled.threats[0].first_day, rolled.threats[0].last_day) == (2, None)
    assert rolled.convoys[0].first_departure_day == 3
    assert rolled.settings.start_date is not None
    assert rolled.settings.start_date.isoformat() == "2024-01-05"


def test_a_french_plan_is_re_planned_from_its_french_sheets(tmp_path: Path) -> None:
    """A plan written in French (``Convois``, ``jour_depart``…) is read back the same way: the
    delayed convoy of the English case gives the same shortfall."""
    from logistics.i18n import use_language

    plan = tmp_path / "plan-fr.xlsx"
    with use_language("fr"):
        plan_workbook(TINY, plan, drawings=False)
    assert "Convois" in openpyxl.load_workbook(plan, read_only=True).sheetnames
    result = replanned(plan, tmp_path, ConvoyReports=[("L-B-d02", "delayed", 2)])
    assert shortfall_by_base(result) == {"CAMP-A": 20.0, "CAMP-B": 20.0}
