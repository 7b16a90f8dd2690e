"""The pages in a real browser (Playwright driving Debian's Chromium, no browser download):
broken workbook → its problems → annotated copy → fixed workbook → solve with progress → plan
with its map → what-if → comparison → downloads, with keyboard-only upload and what-if forms,
every form control labelled, the map's bases and routes also as tables, and no request leaving
the server. Screenshots of each page are saved in pytest's temporary folder."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from logistics.web.tables import Role
from tests.web.conftest import PASSWORD, TINY, account

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[str]:
    """The application served by uvicorn on a free local port, in a thread, with a planner
    account ``planner`` of the default mission."""
    import uvicorn

    from logistics.web.app import WebConfig, create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(WebConfig(data_dir=tmp_path / "server", database_url=database_url))
    account(app.state.service.store, "planner", Role.planner)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(server: str) -> Iterator[object]:
    """A Chromium page that refuses (and records) every request outside the server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        outside: list[str] = []

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(server) or url.startswith(("data:", "blob:")):
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(url)
                route.abort()  # type: ignore[attr-defined]

        context.route("**/*", guard)
        tab = context.new_page()
        tab.outside = outside  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()
        assert outside == [], f"the pages asked for outside resources: {outside}"


def sign_in(p: object, server: str, name: str) -> None:
    """Sign in on the sign-in page, as a person does."""
    p.goto(server + "/login")  # type: ignore[attr-defined]
    p.get_by_label("Account").fill(name)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    p.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    p.wait_for_selector("#signed-in-as")  # type: ignore[attr-defined]


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.innerText.trim()))
  .map(e => e.outerHTML.slice(0, 80))"""
"""Every form control of the page with no label a screen reader could read out."""


def assert_every_control_is_labelled(p: object) -> None:
    """Each input, select, text area and button of the page has a label (or is a worded button)."""
    assert p.evaluate(UNLABELLED) == [], p.url  # type: ignore[attr-defined]


def tab_to(p: object, element_id: str, most: int = 120) -> None:
    """Press Tab until the element ``element_id`` has the focus (the keyboard's way there)."""
    for _ in range(most):
        if p.evaluate("document.activeElement.id") == element_id:  # type: ignore[attr-defined]
            return
        p.keyboard.press("Tab")  # type: ignore[attr-defined]
    raise AssertionError(f"Tab never reaches #{element_id}")


def broken_copy(tmp_path: Path) -> Path:
    """The tiny mission with a route's distance typed as text."""
    workbook = openpyxl.load_workbook(TINY)
    workbook["Routes"]["E2"] = "far"
    path = tmp_path / "broken.xlsx"
    workbook.save(path)
    return path


def test_a_planner_goes_from_a_broken_workbook_to_a_compared_what_if(
    page: object, server: str, tmp_path: Path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    p = page  # a playwright Page

    # Upload the broken workbook with the keyboard only.
    sign_in(p, server, "planner")
    p.goto(server + "/")  # type: ignore[attr-defined]
    p.screenshot(path=shots / "1-upload.png")  # type: ignore[attr-defined]
    assert p.get_by_label("Mission workbook (.xlsx)").count() == 1  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    tab_to(p, "workbook", most=10)
    p.set_input_files("#workbook", str(broken_copy(tmp_path)))  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**/uploads/*")  # type: ignore[attr-defined]
    p.screenshot(path=shots / "2-problems.png", full_page=True)  # type: ignore[attr-defined]
    assert "1 problem" in p.inner_text("[role=alert]")  # type: ignore[attr-defined]
    row = p.locator("table.issues tr", has_text="Routes!E2")  # type: ignore[attr-defined]
    assert "distance_km" in row.inner_text() and "'far'" in row.inner_text()

    # Download the annotated copy and find the comment on the cell.
    with p.expect_download() as download:  # type: ignore[attr-defined]
        p.get_by_text("Download your workbook with the problems marked").click()  # type: ignore[attr-defined]
    annotated = tmp_path / "annotated.xlsx"
    download.value.save_as(annotated)
    assert "number of km" in openpyxl.load_workbook(annotated)["Routes"]["E2"].comment.text

    # Upload the fixed workbook and solve it, watching the progress.
    p.goto(server + "/")  # type: ignore[attr-defined]
    p.set_input_files("#workbook", str(TINY))  # type: ignore[attr-defined]
    p.get_by_role("button", name="Upload and check").click()  # type: ignore[attr-defined]
    p.wait_for_url("**/uploads/*")  # type: ignore[attr-defined]
    assert "The workbook is valid" in p.inner_text("main")  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    p.get_by_label("Time limit (seconds, blank: the workbook's)").fill("20")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Solve", exact=True).click()  # type: ignore[attr-defined]
    p.wait_for_url("**/runs/*")  # type: ignore[attr-defined]
    p.screenshot(path=shots / "3-progress.png")  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    p.wait_for_selector("#status-words", timeout=120_000)  # type: ignore[attr-defined]

    # The plan page: status, figures, the map with its bases and routes, the timeline.
    p.wait_for_selector("#map[data-ready=yes]", timeout=20_000)  # type: ignore[attr-defined]
    p.screenshot(path=shots / "4-plan.png", full_page=True)  # type: ignore[attr-defined]
    assert "as good as it can be" in p.inner_text("#status-words")  # type: ignore[attr-defined]
    assert "Demand met 93.3 %" in p.inner_text("#headline")  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)

    # The map's text alternative: the same bases and routes as tables, opened by keyboard.
    assert p.get_attribute("#map", "aria-describedby") == "map-help"  # type: ignore[attr-defined]
    assert "tables below the map" in p.inner_text("#map-help")  # type: ignore[attr-defined]
    p.focus("#map-tables summary")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    bases = p.locator("table.map-bases")  # type: ignore[attr-defined]
    assert bases.is_visible()
    assert "Logistics hub" in bases.locator("tr", has_text="HUB").first.inner_text()
    routes = p.locator("table.map-routes tbody tr")  # type: ignore[attr-defined]
    assert routes.count() == p.evaluate(  # type: ignore[attr-defined]
        "fetch(document.querySelector('#map').dataset.view).then(r => r.json())"
        ".then(v => Object.keys(v.routes).length)"
    )
    assert "HUB – CAMP-A" in routes.filter(has_text="HUB-A").inner_text()
    assert p.locator(".leaflet-tooltip", has_text="Logistics hub").count() == 1  # type: ignore[attr-defined]
    assert p.locator("path.leaflet-interactive").count() >= 3  # type: ignore[attr-defined]
    p.locator('path.leaflet-interactive[fill="#f2b01e"]').first.click()  # type: ignore[attr-defined]
    assert "Garrison" in p.inner_text("#map-details")  # type: ignore[attr-defined]
    p.locator('path.leaflet-interactive[stroke="#1f5fa8"]').first.click(force=True)  # type: ignore[attr-defined]
    assert "convoys listed" in p.inner_text("#map-details")  # type: ignore[attr-defined]
    assert p.locator("img.timeline").evaluate("i => i.naturalWidth") > 0  # type: ignore[attr-defined]
    with p.expect_download() as plan_download:  # type: ignore[attr-defined]
        p.get_by_text("Plan workbook (.xlsx)").click()  # type: ignore[attr-defined]
    plan_path = tmp_path / "plan.xlsx"
    plan_download.value.save_as(plan_path)
    assert "Summary" in openpyxl.load_workbook(plan_path).sheetnames

    # A what-if, filled with the keyboard only through labelled controls, then its comparison.
    p.get_by_text("Ask a what-if of this plan").click()  # type: ignore[attr-defined]
    p.wait_for_url("**/whatif")  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    assert p.get_by_label("Close route").count() == 3  # type: ignore[attr-defined]
    tab_to(p, "s1_name")
    p.keyboard.type("road cut")  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.id") == "s1_close_route"  # type: ignore[attr-defined]
    p.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    assert p.input_value("#s1_close_route") == "HUB-A"  # type: ignore[attr-defined]
    p.screenshot(path=shots / "5-whatif.png", full_page=True)  # type: ignore[attr-defined]
    tab_to(p, "whatif-submit")
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**/batches/*")  # type: ignore[attr-defined]
    p.wait_for_selector("table.compare th:has-text('road cut')", timeout=120_000)  # type: ignore[attr-defined]
    p.screenshot(path=shots / "6-comparison.png", full_page=True)  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    header = p.inner_text("table.compare thead")  # type: ignore[attr-defined]
    assert "base" in header and "road cut" in header
    assert p.locator("figure.chart").count() >= 1  # type: ignore[attr-defined]
    with p.expect_download() as comparison:  # type: ignore[attr-defined]
        p.get_by_text("Download the comparison workbook").click()  # type: ignore[attr-defined]
    assert comparison.value.suggested_filename == "comparison.xlsx"
    assert len(list(shots.iterdir())) == 6


def test_a_plan_shared_with_a_liaison_team_reaches_it_until_it_is_revoked(
    page: object, server: str, tmp_path: Path, database_url: str | None
) -> None:
    from logistics.web.accounts import add_team
    from logistics.web.store import Store, sqlite_url
    from logistics.web.tables import DEFAULT_MISSION_ID

    store = Store(database_url or sqlite_url(tmp_path / "server" / "history.sqlite"))
    try:
        team = add_team(store, DEFAULT_MISSION_ID, "Liaison cell Gao")
        account(store, "liaison", Role.liaison, team_id=team.id)
    finally:
        store.close()
    p = page

    # The planner solves the tiny mission and shares it with the cell, hiding the allocation.
    sign_in(p, server, "planner")
    p.set_input_files("#workbook", str(TINY))  # type: ignore[attr-defined]
    p.get_by_role("button", name="Upload and check").click()  # type: ignore[attr-defined]
    p.wait_for_url("**/uploads/*")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Solve", exact=True).click()  # type: ignore[attr-defined]
    p.wait_for_selector("#status-words", timeout=120_000)  # type: ignore[attr-defined]
    p.get_by_text("Share this plan with a team").click()  # type: ignore[attr-defined]
    assert_every_control_is_labelled(p)
    p.get_by_label("Team").select_option(label="Liaison cell Gao")  # type: ignore[attr-defined]
    p.get_by_label("Also make a read-only link").check()  # type: ignore[attr-defined]
    p.get_by_label("Allocation", exact=True).check()  # type: ignore[attr-defined]
    p.get_by_role("button", name="Share", exact=True).click()  # type: ignore[attr-defined]
    link = p.input_value("#new-link")  # type: ignore[attr-defined]
    assert "/links/" in link
    share_page = p.url  # type: ignore[attr-defined]

    # The liaison signs in, sees only that plan, and downloads it without the hidden sheet.
    browser = p.context.browser  # type: ignore[attr-defined]
    liaison_context = browser.new_context(accept_downloads=True)
    q = liaison_context.new_page()
    sign_in(q, server, "liaison")
    rows = q.locator("#shared-plans tbody tr")
    assert rows.count() == 1
    assert "Liaison cell Gao" in rows.inner_text()
    q.locator("#shared-plans a").click()
    assert "Read-only" in q.inner_text("main")
    assert q.get_by_text("History").count() == 0
    with q.expect_download() as download:
        q.get_by_text("Plan workbook (.xlsx)").click()
    received = tmp_path / "shared-plan.xlsx"
    download.value.save_as(received)
    sheets = openpyxl.load_workbook(received).sheetnames
    assert "Summary" in sheets and "Allocation" not in sheets
    assert "not shared with this team" in q.inner_text("#hidden-note")
    shared_url = q.url
    assert q.goto(link).status == 200

    # The planner revokes the share: the team's page and the link stop working.
    p.goto(share_page.replace("/shares", "/share"))  # type: ignore[attr-defined]
    p.get_by_role("button", name="Revoke").click()  # type: ignore[attr-defined]
    assert "revoked" in p.inner_text("#shares")  # type: ignore[attr-defined]
    assert q.goto(shared_url).status == 404
    assert q.goto(link).status == 404
    assert "expired or revoked" in q.inner_text("main")
    q.goto(server + "/")
    assert q.locator("#shared-plans").count() == 0
    liaison_context.close()
