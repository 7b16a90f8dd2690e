"""The ``logistics`` command line: the edge where errors are rendered for people.

Commands raise ``InputError`` and friends; ``user_errors`` turns them into a table and an exit code,
so no planner ever sees a traceback for a problem in their file. A command implemented in another
module is a plain function registered on ``app`` in the section at the end of this file, and wraps
its work in ``user_errors()`` like the commands here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from logistics import __version__
from logistics.errors import (
    ClusterError,
    InputError,
    Interrupted,
    Issue,
    OutputError,
    PlanNotWrittenError,
    SolveError,
    UnreadableFileError,
    count_title,
)
from logistics.i18n import _, use_language
from logistics.io.atomic import signals_end_the_run
from logistics.io.reader import LoadedScenario, load
from logistics.io.template import write_actuals_template, write_template
from logistics.machine import DEFAULT_THREADS
from logistics.rules.registry import SHEETS
from logistics.rules.schemas import Language

# The optimisation (Pyomo, HiGHS, pandas' export, Dask) is imported by the commands that solve,
# so that --help and validate start at once.
if TYPE_CHECKING:
    from logistics.api import PlanRun
    from logistics.report.comparison import ScenarioSummary
    from logistics.web.store import Store

app = typer.Typer(
    name="logistics",
    help="Plan troop allocation and escorted supply convoys for a peacekeeping mission.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Rich drops colour and styling by itself when the output is not a terminal or NO_COLOR is set.
console = Console(highlight=False)

EXIT_INPUT_ERROR = 1
EXIT_SYSTEM_ERROR = 2
EXIT_INTERRUPTED = 128
"""Plus the signal's number, as shells do: 130 for Ctrl-C (SIGINT), 143 for SIGTERM, 129 for SIGHUP."""


MAX_SHOWN_ISSUES = 1000
"""Most problems printed; a workbook with more has one mistake repeated down a sheet."""


STRICT_HELP = "Treat warnings (suspicious but usable values) as errors: exit 1 if there are any."

LANGUAGE_HELP = "Language of the messages (default: the workbook's Settings language)."
ThreadsOption = Annotated[
    int,
    typer.Option(
        "--threads",
        min=1,
        max=16,
        help=(
            "Threads of the solve (default: 2 on a machine with two cores or more): a search, "
            "and beside it one that improves its best plan part by part; more threads race "
            "more searches."
        ),
    ),
]


def error_table(error: InputError, source: str) -> Table:
    """Every issue of an ``InputError`` as a table: location, column, value, problem, titled
    in the language of its messages."""
    with use_language(error.language):
        return issue_table(error.issues, source)


def issue_table(issues: Iterable[Issue], source: str) -> Table:
    """Problems and warnings as a table: location, column, value, problem (warnings marked)."""
    found = tuple(issues)
    table = Table(
        title=count_title(found, _("in {source}").format(source=source)), title_justify="left"
    )
    table.add_column("location", no_wrap=True, style="bold")
    table.add_column("column")
    table.add_column("value")
    table.add_column("problem", overflow="fold")
    for issue in found[:MAX_SHOWN_ISSUES]:
        message = Text(issue.message)
        if issue.is_warning:
            message = Text.assemble(("warning: ", "yellow"), message)
        table.add_row(issue.location, issue.header or "", issue.shown_value, message)
    if len(found) > MAX_SHOWN_ISSUES:
        table.add_row("…", "", "", f"and {len(found) - MAX_SHOWN_ISSUES:,} more problems")
    return table


def require_readable(path: Path) -> None:
    """Raise ``OSError`` (exit 2) when the input file is missing, a folder or unreadable.

    The file is not opened here (a pipe would block): what it holds is the pre-flight's business.
    """
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "this is a folder, not a workbook", str(path))
    if not os.access(path, os.R_OK):
        raise PermissionError(errno.EACCES, "the file cannot be read", str(path))


@contextlib.contextmanager
def user_errors(source: str) -> Iterator[None]:
    """Render the errors a person can fix (bad input, unreadable files, failed solves) and exit.

    ``source`` names what was being worked on (the input file) in the message. Signals that end
    the run (Ctrl-C, ``SIGTERM``, ``SIGHUP``) unwind it, removing temporary files and worker
    processes, and exit with 128 + the signal's number.
    """
    try:
        with signals_end_the_run():
            yield
    except UnreadableFileError as error:
        console.print(error_table(error, source))
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    except InputError as error:
        console.print(error_table(error, source))
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except OutputError as error:
        console.print(f"[red]Nothing was solved:[/red] {error}")
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    except ClusterError as error:
        console.print(f"[red]Could not use the Dask cluster:[/red] {error}")
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    except PlanNotWrittenError as error:
        _show_unwritten_plan(error)
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    except Interrupted as error:
        name = signal.Signals(error.signum).name
        console.print(f"[red]Interrupted ({name}):[/red] stopped; no half-written file is left")
        raise typer.Exit(EXIT_INTERRUPTED + error.signum) from None
    except SolveError as error:
        console.print(f"[red]Could not solve {source}:[/red] {error}")
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    except OSError as error:
        console.print(
            f"[red]Could not use {error.filename or source}:[/red] {error.strerror or error}"
        )
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None


def _show_unwritten_plan(error: PlanNotWrittenError) -> None:
    """The key figures of a plan whose workbook could not be written, and why it was not."""
    from logistics.api import PlanRun

    if isinstance(error.run, PlanRun):
        with contextlib.suppress(Exception):  # the figures are a courtesy; the message is not
            console.print(kpi_table(error.run))
    console.print(f"[red]The plan was not saved:[/red] {error}")


def _version(show: bool) -> None:
    if show:
        console.print(f"logistics {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Plan troop allocation and escorted supply convoys for a peacekeeping mission."""


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the blank workbook (.xlsx).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
    language: Annotated[
        Language, typer.Option("--language", help="Language of the workbook.")
    ] = Language.en,
    actuals: Annotated[
        bool,
        typer.Option(
            "--actuals", help="Write the blank actuals workbook of `logistics replan` instead."
        ),
    ] = False,
) -> None:
    """Write the blank input workbook, with instructions, a field dictionary and drop-downs
    (or, with --actuals, the blank actuals workbook a re-plan reads)."""
    if path.exists() and not force:
        console.print(f"[red]{path} already exists[/red]: choose another name or pass --force")
        raise typer.Exit(EXIT_INPUT_ERROR)
    with user_errors(str(path)):
        if actuals:
            write_actuals_template(path)
        else:
            write_template(path, language.value)
    console.print(f"Template written to {path}")


def summary_table(loaded: LoadedScenario) -> Table:
    """Rows read per sheet, and which sheets took their defaults."""
    table = Table(
        title=f"{loaded.locations.file}: {loaded.scenario.settings.scenario_name}",
        title_justify="left",
    )
    table.add_column("sheet", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("from")
    for spec in SHEETS:
        defaulted = spec.name in loaded.locations.defaulted
        if spec.layout == "key_value":
            given = sum(1 for key in loaded.locations.cells if key[0] == spec.name)
            table.add_row(spec.name, str(given), "defaults" if defaulted else "workbook")
            continue
        rows = len(getattr(loaded.scenario, spec.attribute))
        from_defaults = sum(1 for i in range(rows) if (spec.name, i) not in loaded.locations.rows)
        origin = "workbook"
        if from_defaults:
            plural = "s" if from_defaults != 1 else ""
            origin = (
                "defaults"
                if from_defaults == rows
                else f"workbook + {from_defaults} default{plural}"
            )
        table.add_row(spec.name, str(rows), origin)
    return table


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="The input workbook (.xlsx) to check.")],
    strict: Annotated[bool, typer.Option("--strict", help=STRICT_HELP)] = False,
    language: Annotated[Language | None, typer.Option("--language", help=LANGUAGE_HELP)] = None,
) -> None:
    """Check a workbook: print what was read and any warnings, or every problem with its cell."""
    with user_errors(path.name):
        require_readable(path)
        with use_language(language and language.value):
            loaded = load(path, strict=strict)
    console.print(summary_table(loaded))
    if loaded.warnings:
        with use_language(loaded.language):
            console.print(issue_table(loaded.warnings, path.name))
    console.print(f"[green]{path.name} is valid.[/green]")


EXIT_NO_PLAN = 3
SUMMARY_KPIS = (
    "status",
    "mip_gap_pct",
    "objective",
    "total_wall_s",
    "demand_met_pct",
    "shortfall_total",
    "convoys",
    "air_sorties",
    "vehicle_km",
    "exposure",
    "troops_allocated",
    "garrison_shortfall",
    "cost_usd",
)


def kpi_table(run: PlanRun) -> Table:
    """The headline KPIs of a solved plan, as in the workbook's Summary."""
    from logistics.report.kpis import compute_kpis
    from logistics.report.tables import plan_frames

    frames = plan_frames(run.scenario, run.plan)
    kpis = {k.kpi: k for k in compute_kpis(run.scenario, run.plan, frames, run.total_wall_s)}
    table = Table(
        title=f"{run.scenario.settings.scenario_name}: {run.plan.termination}", title_justify="left"
    )
    table.add_column("kpi", no_wrap=True)
    table.add_column("value", justify="right")
    table.add_column("unit")
    for name in SUMMARY_KPIS:
        if name in kpis:
            kpi = kpis[name]
            table.add_row(name, _shown(kpi.value), kpi.unit)
    return table


def _shown(value: float | int | str | None) -> str:
    """A KPI value for the terminal: counts without decimals, measures with two."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


@app.command()
def solve(
    path: Annotated[Path, typer.Argument(help="The input workbook (.xlsx) to solve.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Plan workbook to write (default: outputs/<name>-plan.xlsx)."
        ),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", min=0.1, help="Solver time limit in seconds (default: the workbook's)."
        ),
    ] = None,
    mip_gap: Annotated[
        float | None,
        typer.Option(
            "--mip-gap", min=0.0, max=100.0, help="Relative MIP gap in % (default: the workbook's)."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help=STRICT_HELP)] = False,
    threads: ThreadsOption = DEFAULT_THREADS,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, help="Random seed of the search (another equally valid search)."
        ),
    ] = 0,
    drawings: Annotated[
        bool,
        typer.Option(
            "--drawings/--no-drawings",
            help="Also write the map (PNG, SVG), convoy timeline (PNG), GeoJSON and KML beside the plan.",
        ),
    ] = True,
    language: Annotated[Language | None, typer.Option("--language", help=LANGUAGE_HELP)] = None,
) -> None:
    """Solve a workbook and write the plan workbook, showing progress and the key figures."""
    from logistics.api import default_output_path, plan_workbook
    from logistics.progress import ProgressView

    target = output if output is not None else default_output_path(path)
    chosen = language and language.value
    with user_errors(path.name), use_language(chosen), ProgressView(console) as view:
        require_readable(path)
        run = plan_workbook(
            path,
            target,
            time_limit_s=time_limit,
            mip_gap_pct=mip_gap,
            threads=threads,
            random_seed=seed,
            progress=view.solver,
            on_stage=view.stage,
            strict=strict,
            drawings=drawings,
        )
    if run.warnings:
        with use_language(chosen or run.scenario.settings.language.value):
            console.print(issue_table(run.warnings, path.name))
    console.print(kpi_table(run))
    console.print(f"Plan written to {target}")
    for drawing in run.drawings:
        console.print(f"  and {drawing}")
    if not run.plan.status.has_plan:
        console.print(f"[red]No plan was found:[/red] {run.plan.termination}")
        raise typer.Exit(EXIT_NO_PLAN)


@app.command()
def replan(
    plan: Annotated[Path, typer.Argument(help="The published plan workbook (.xlsx).")],
    actuals: Annotated[
        Path, typer.Argument(help="The actuals of the report day (logistics template --actuals).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="New plan workbook to write.")],
    freeze: Annotated[
        int,
        typer.Option(
            "--freeze",
            min=0,
            max=366,
            help="Days from the report day whose published departures are kept unless impossible.",
        ),
    ] = 2,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.1, help="Solver time limit in seconds."),
    ] = None,
    mip_gap: Annotated[
        float | None, typer.Option("--mip-gap", min=0.0, max=100.0, help="Relative MIP gap in %.")
    ] = None,
    drawings: Annotated[
        bool,
        typer.Option(
            "--drawings/--no-drawings", help="Also write the map, timeline, GeoJSON, KML."
        ),
    ] = True,
    threads: ThreadsOption = DEFAULT_THREADS,
    stability: Annotated[
        float | None,
        typer.Option(
            "--stability",
            min=0.0,
            help="Weight of a change to the published plan (Settings weight_stability; "
            "0: search every plan, as after a threat rose without closing a road).",
        ),
    ] = None,
) -> None:
    """Re-plan from the report day: keep what is moving, change as little as needed, list the changes."""
    from logistics.progress import ProgressView
    from logistics.replan import replan as run_replan

    with user_errors(actuals.name), ProgressView(console) as view:
        require_readable(plan)
        require_readable(actuals)
        result = run_replan(
            plan,
            actuals,
            output,
            freeze_days=freeze,
            time_limit_s=time_limit,
            mip_gap_pct=mip_gap,
            drawings=drawings,
            progress=view.solver,
            threads=threads,
            weight_stability=stability,
        )
    console.print(kpi_table(result.run))
    counts = ", ".join(f"{kind}: {n}" for kind, n in result.changes.counts.items() if n)
    console.print(f"Changes: {counts or 'none'}")
    console.print(f"Plan written to {output}")
    if not result.run.plan.status.has_plan:
        console.print(f"[red]No plan was found:[/red] {result.run.plan.termination}")
        raise typer.Exit(EXIT_NO_PLAN)


@app.command()
def whatif(
    base: Annotated[Path, typer.Argument(help="The base workbook (.xlsx).")],
    scenarios: Annotated[
        Path | None,
        typer.Argument(help="A workbook of what-if scenarios (Scenarios sheet, added rows)."),
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Folder for the plans and comparison.xlsx.")
    ] = Path("outputs/whatif"),
    only: Annotated[
        list[str] | None, typer.Option("--scenario", help="Solve only this scenario (repeatable).")
    ] = None,
    close_route: Annotated[
        list[str] | None,
        typer.Option(
            "--close-route", help="ROUTE[:FIRST-LAST]: a command-line scenario closes a route."
        ),
    ] = None,
    threat: Annotated[
        list[str] | None,
        typer.Option("--threat", help="ROUTE=LEVEL[:FIRST-LAST]: raise a route's threat level."),
    ] = None,
    remove_unit: Annotated[
        list[str] | None, typer.Option("--remove-unit", help="UNIT: the unit leaves the mission.")
    ] = None,
    set_value: Annotated[
        list[str] | None,
        typer.Option("--set", help="SHEET.ID.FIELD=VALUE[:FIRST-LAST]: change any field."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Worker processes (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Run on this Dask cluster instead, e.g. tcp://10.0.0.5:8786."
        ),
    ] = None,
    warm: Annotated[
        bool, typer.Option("--warm/--cold", help="Start each scenario from the base plan.")
    ] = True,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.1, help="Solver time limit per scenario, s."),
    ] = None,
    mip_gap: Annotated[
        float | None, typer.Option("--mip-gap", min=0.0, max=100.0, help="Relative MIP gap in %.")
    ] = None,
) -> None:
    """Solve the base case and every what-if scenario, and compare them side by side."""
    from logistics.whatif import run_whatif

    shortcuts = [
        *(f"close-route {v}" for v in close_route or ()),
        *(f"threat {v}" for v in threat or ()),
        *(f"remove-unit {v}" for v in remove_unit or ()),
        *(f"set {v}" for v in set_value or ()),
    ]
    tally = _BatchTally()
    with user_errors(base.name):
        require_readable(base)
        result = run_whatif(
            base,
            scenarios,
            output_dir,
            names=only or (),
            shortcuts=shortcuts,
            workers=workers,
            scheduler=scheduler,
            warm=warm,
            time_limit_s=time_limit,
            mip_gap_pct=mip_gap,
            on_event=tally.event,
        )
    for name, issues in result.input_problems.items():
        console.print(error_table(InputError(issues), f"scenario {name}"))
    console.print(
        f"{len(result.summaries)} plans and {result.comparison} written in {result.wall_s:.1f} s"
    )
    if result.failed:
        console.print(f"[red]Failed:[/red] {', '.join(result.failed)}")
        raise typer.Exit(EXIT_INPUT_ERROR)


class _BatchTally:
    """Prints scenarios done / running / failed as a batch goes."""

    def __init__(self) -> None:
        self.done = 0
        self.failed = 0
        self.total = 0

    def event(self, kind: str, summary: ScenarioSummary | None) -> None:
        if summary is None:
            return
        if kind == "failed":
            self.failed += 1
            first_line = (summary.error or "").splitlines()[0] if summary.error else ""
            console.print(f"[red]failed[/red]  {summary.name}: {first_line}")
        else:
            self.done += 1
            met = summary.value("demand_met_pct")
            met = met if isinstance(met, float | int) else None
            console.print(
                f"done    {summary.name}: {summary.termination}; demand met {_shown(met)} %"
                f"  ({self.done} done, {self.failed} failed)"
            )


DataDirOption = Annotated[
    Path, typer.Option("--data-dir", help="Folder for the history, uploads and plans.")
]
DEFAULT_DATA_DIR = Path("outputs/server")
DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="LOGISTICS_DATABASE_URL",
        show_envvar=True,
        help="Keep the history in this database, e.g. postgresql+psycopg://user@host/logistics "
        "(default: SQLite in --data-dir).",
    ),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    data_dir: DataDirOption = DEFAULT_DATA_DIR,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Solves at the same time (worker processes).")
    ] = 1,
    queue: Annotated[
        int, typer.Option("--queue", min=0, help="Solves that may wait beyond those solving.")
    ] = 4,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Solve on this Dask cluster, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Start the planning web application (history in SQLite under --data-dir, or --database-url)."""
    import uvicorn

    from logistics.web.app import WebConfig, create_app
    from logistics.web.store import StoreError

    config = WebConfig(
        data_dir=data_dir,
        workers=workers,
        queue_limit=queue,
        scheduler=scheduler,
        database_url=database_url,
    )
    with user_errors(str(data_dir)):
        try:
            application = create_app(config)
        except StoreError as error:
            console.print(f"[red]Could not open the history:[/red] {error}")
            raise typer.Exit(EXIT_SYSTEM_ERROR) from None
        console.print(f"Serving on http://{host}:{port}/ (data in {data_dir})")
        uvicorn.run(application, host=host, port=port, log_level="warning")


users = typer.Typer(
    help="Accounts of the web application: the first admin, and resets when no admin can sign in.",
    no_args_is_help=True,
)
app.add_typer(users, name="users")
PasswordStdinOption = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


@contextlib.contextmanager
def account_store(data_dir: Path, database_url: str | None) -> Iterator[Store]:
    """The web application's history (migrated), with account problems said in words (exit 1)
    and a database that cannot be used said in words (exit 2)."""
    from logistics.web.accounts import AccountError
    from logistics.web.store import Store, StoreError, sqlite_url

    try:
        if database_url is None:
            data_dir.mkdir(parents=True, exist_ok=True)
        store = Store(database_url or sqlite_url(data_dir / "history.sqlite"))
    except (StoreError, OSError) as error:
        console.print(f"[red]Could not open the history:[/red] {error}")
        raise typer.Exit(EXIT_SYSTEM_ERROR) from None
    try:
        yield store
    except AccountError as error:
        console.print(f"[red]Nothing was changed:[/red] {error}")
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    finally:
        store.close()


def new_password(from_stdin: bool) -> str:
    """The password typed twice at a prompt (never echoed), or the first line of stdin."""
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def audit_cli(store: Store, action: str, user_id: str, detail: str = "") -> None:
    """Add the command line's change to the audit trail."""
    import socket

    from logistics.web import audit

    audit.record(store, "cli", socket.gethostname(), action, ("account", user_id), detail=detail)


@users.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The account's name (lower-case, e.g. j4.planner).")],
    role: Annotated[
        str, typer.Option("--role", help="planner, officer, liaison or admin.")
    ] = "planner",
    mission: Annotated[
        list[str] | None,
        typer.Option("--mission", help="A mission the account belongs to, by name (repeatable)."),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="The team (officers and liaison), of the one --mission given."),
    ] = None,
    password_stdin: PasswordStdinOption = False,
    data_dir: DataDirOption = DEFAULT_DATA_DIR,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Add an account (the first one: --role admin). The password is asked twice, or read from
    stdin with --password-stdin."""
    from logistics.web.accounts import (
        AccountError,
        add_user,
        check_name,
        mission_by_name,
        team_by_name,
    )
    from logistics.web.tables import Role

    with account_store(data_dir, database_url) as store:
        if role not in {r.value for r in Role}:
            raise AccountError(f"{role!r} is not a role: use planner, officer, liaison or admin")
        check_name(name)
        missions = [mission_by_name(store, m).id for m in mission or []]
        team_id = None
        if team is not None:
            if len(missions) != 1:
                raise AccountError("give the team's mission with exactly one --mission")
            team_id = team_by_name(store, missions[0], team).id
        user = add_user(store, name, Role(role), new_password(password_stdin), missions, team_id)
        audit_cli(store, "add account", user.id, f"{user.name} ({user.role})")
        console.print(f"Added the account {name} ({role}).")


@users.command("reset")
def users_reset(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    password_stdin: PasswordStdinOption = False,
    data_dir: DataDirOption = DEFAULT_DATA_DIR,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Give an account a new password and enable it; its sessions end."""
    from logistics.web.accounts import reset_password, user_by_name

    with account_store(data_dir, database_url) as store:
        user = user_by_name(store, name)
        reset_password(store, user.id, new_password(password_stdin))
        audit_cli(store, "reset password", user.id)
        console.print(f"The password of {name} was reset; its sessions ended.")


@users.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    data_dir: DataDirOption = DEFAULT_DATA_DIR,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Disable an account: it can no longer sign in, and its sessions end."""
    from logistics.web.accounts import disable_user, user_by_name

    with account_store(data_dir, database_url) as store:
        user = user_by_name(store, name)
        disable_user(store, user.id)
        audit_cli(store, "disable account", user.id)
        console.print(f"Disabled the account {name}; its sessions ended.")
