"""The ``zengzhi`` command line: a thin adapter over the engine and its services."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zengzhi import __version__
from zengzhi.i18n import default_lang, t

if TYPE_CHECKING:
    from zengzhi.compliance import LiveStats

app = typer.Typer(
    name="zengzhi",
    help="zengzhi 增值 — an exact, auditable consumption-appreciation points economy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
example_app = typer.Typer(help="Worked examples computed by the engine.", no_args_is_help=True)
app.add_typer(example_app, name="example")


class Lang(StrEnum):
    en = "en"
    zh = "zh"


LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Output language: en or zh (default: from $LANG)."),
]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang is not None else default_lang()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zengzhi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """zengzhi 增值 — exact points economy engine, replay, examples and compliance lint."""


@app.command()
def replay(
    file: Annotated[str, typer.Argument(help="JSON Lines file of operations, or - for stdin.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON output.")] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr for a file (default: when stderr is a terminal).",
        ),
    ] = None,
) -> None:
    """Replay operations (SPEC 6) and print the final state as JSON.

    Business rejections are listed under "rejected"; a malformed line stops with exit status 2
    and a message naming the line, and prints no state.
    """
    from zengzhi.replay import MalformedLine, replay_lines

    try:
        stream = sys.stdin if file == "-" else Path(file).open(encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        typer.echo(f"zengzhi replay: cannot read {file}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    # stdin has no size to measure progress against
    show = file != "-" and (progress if progress is not None else sys.stderr.isatty())
    try:
        with stream:
            lines = _with_progress(stream, Path(file).stat().st_size) if show else stream
            result = replay_lines(lines)
    except MalformedLine as exc:
        typer.echo(f"zengzhi replay: {file}: line {exc.line}: {exc.message}", err=True)
        raise typer.Exit(2) from None
    except UnicodeDecodeError as exc:
        typer.echo(f"zengzhi replay: {file}: not UTF-8 text ({exc.reason})", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None))


def _with_progress(stream: Iterable[str], total_bytes: int) -> Iterator[str]:
    """Yield the lines of ``stream`` while a bar on stderr follows the bytes read."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        "replay", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("replay", total=total_bytes)
        done = 0
        for number, line in enumerate(stream, start=1):
            done += len(line)  # characters ≈ bytes: the bar is a guide, not a count
            if number % 4096 == 0:
                bar.update(task, completed=done)
            yield line
        bar.update(task, completed=total_bytes)


@example_app.command("seed")
def example_seed(
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """The seed's walk-through: first orders, prices, exit triggers and the sale example."""
    from rich.console import Console
    from rich.table import Table

    from zengzhi.economy.quantity import format_money
    from zengzhi.examples import points_text, rounded, seed_walkthrough

    walk = seed_walkthrough()
    code = _lang(lang)
    if as_json:
        doc = {
            "orders": [
                {
                    "buyer": o.buyer,
                    "amount": format_money(o.amount_fen),
                    "contribution": format_money(o.contribution_fen),
                    "value": format_money(o.value_fen),
                    "price_before": f"{o.price_before:.8f}",
                    "points": points_text(o.points_units),
                    "pool": format_money(o.pool_fen),
                    "total_points": points_text(o.total_points_units),
                    "price_after": f"{o.price_after:.8f}",
                    "break_even_price": f"{o.break_even_price:.8f}",
                    "trigger_2x": f"{o.trigger_2x:.8f}",
                    "trigger_3x": f"{o.trigger_3x:.8f}",
                }
                for o in walk.orders
            ],
            "sale": {
                "price": f"{walk.sale.price:.8f}",
                "points": points_text(walk.sale.points_units),
                "gross": format_money(walk.sale.gross_fen),
                "net": format_money(walk.sale.net_fen),
                "kept_in_pool": format_money(walk.sale.kept_in_pool_fen),
                "price_after": f"{walk.sale.price_after:.8f}",
                "injected": format_money(walk.sale.injected_fen),
            },
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    # Tables are wide; don't squeeze them to 80 columns when piped.
    console = Console(width=None if sys.stdout.isatty() else 160)
    orders = Table(title=t("seed.title", code))
    for key in (
        "buyer",
        "amount",
        "contribution",
        "value",
        "price_before",
        "points",
        "pool",
        "total_points",
        "price_after",
    ):
        orders.add_column(t(f"seed.{key}", code), justify="left" if key == "buyer" else "right")
    for o in walk.orders:
        orders.add_row(
            o.buyer,
            format_money(o.amount_fen),
            format_money(o.contribution_fen),
            format_money(o.value_fen),
            f"{o.price_before:.8f}",
            points_text(o.points_units),
            format_money(o.pool_fen),
            points_text(o.total_points_units),
            f"{o.price_after:.8f}",
        )
    console.print(orders)
    triggers = Table(title=t("seed.triggers.title", code))
    triggers.add_column(t("seed.buyer", code))
    triggers.add_column(t("seed.points", code), justify="right")
    for key in ("break_even", "trigger_2x", "trigger_3x"):
        triggers.add_column(t(f"seed.{key}", code), justify="right")
    for o in walk.orders:
        triggers.add_row(
            o.buyer,
            points_text(o.points_units),
            *(f"{p:.8f} (≈{rounded(p)})" for p in (o.break_even_price, o.trigger_2x, o.trigger_3x)),
        )
    console.print(triggers)
    s = walk.sale
    sale = Table(title=t("seed.sale.title", code, injected=format_money(s.injected_fen)))
    for key in ("price", "points", "gross", "net", "kept", "price_after"):
        sale.add_column(t(f"seed.sale.{key}", code), justify="right")
    sale.add_row(
        f"{s.price:.8f}",
        points_text(s.points_units),
        format_money(s.gross_fen),
        format_money(s.net_fen),
        format_money(s.kept_in_pool_fen),
        f"{s.price_after:.8f}",
    )
    console.print(sale)
    console.print(f"[yellow]{t('seed.warning', code)}[/yellow]")


@app.command()
def lint(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan TOML file.")],
    live: Annotated[
        Path | None,
        typer.Option(
            "--live",
            help="Compare a live network against the criminal thresholds: for now a replay "
            "file (JSON Lines) of the platform's operations.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
    distribution_share: Annotated[
        str, typer.Option(help="The split's distribution share the plan must fit in.")
    ] = "0.30",
    lang: LangOption = None,
) -> None:
    """Check a plan against Chinese law (SPEC 3); exit 1 when an error-level finding exists.

    Findings are advice with their legal source; the operator decides.
    """
    from decimal import Decimal

    from zengzhi.compliance import findings_to_json, has_errors, lint_live, lint_plan, render_text
    from zengzhi.distribution.plan import load_plan
    from zengzhi.economy.errors import DomainError

    try:
        plan = load_plan(plan_file)
        share = Decimal(distribution_share)
        findings = lint_plan(plan, distribution_share=share)
        if live is not None:
            findings += lint_live(plan, _live_stats(live))
    except DomainError as exc:
        typer.echo(f"zengzhi lint: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(findings_to_json(findings), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(findings, _lang(lang)))
    if has_errors(findings):
        raise typer.Exit(1)


@app.command()
def simulate(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario TOML file.")],
    runs: Annotated[
        int | None, typer.Option("--runs", min=1, help="Monte Carlo runs per variant.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Result directory (Parquet tables + manifest.json)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a self-contained HTML report here.")
    ] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also export each chart as PNG into this folder.")
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Also write the tables as CSV.")] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Worker processes (0: one per CPU).")
    ] = 0,
    cluster: Annotated[
        bool, typer.Option("--cluster", help="Run on Dask (a LocalCluster unless --scheduler).")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    lang: LangOption = None,
) -> None:
    """Simulate a scenario with the real engine: Monte Carlo runs, sweeps, tables and a report.

    Results stream to Parquet in --out (default: ./out/<scenario name>); manifest.json is written
    last, so an interrupted run never looks complete.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from zengzhi.economy.errors import DomainError
    from zengzhi.sim.runner import Executor, run_all
    from zengzhi.sim.scenario import load_scenario

    try:
        scenario, variants = load_scenario(scenario_file)
    except DomainError as exc:
        typer.echo(f"zengzhi simulate: {exc.message}", err=True)
        raise typer.Exit(2) from None
    out_dir = out if out is not None else Path("out") / scenario.name
    kind = "dask" if cluster or scheduler else "processes"
    executor = Executor(kind=kind, workers=workers, scheduler=scheduler)
    total_runs = (runs or scenario.runs) * len(variants)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
        transient=False,
    ) as progress:
        task = progress.add_task(f"{scenario.name}: runs", total=total_runs)
        manifest = run_all(
            scenario,
            variants,
            out_dir,
            runs=runs,
            executor=executor,
            csv=csv,
            on_progress=lambda done, _total: progress.update(task, completed=done),
        )
    typer.echo(
        f"{total_runs} runs of {scenario.horizon_days} days in {manifest['elapsed_s']:.1f} s "
        f"→ {out_dir}/"
    )
    if report is not None or png is not None:
        from zengzhi.sim.report import ResultError, write_report
        from zengzhi.sim.report_png import PngExportError

        html = report if report is not None else out_dir / "report.html"
        try:
            write_report(out_dir, html, lang=_lang(lang), png_dir=png)
        except (ResultError, PngExportError) as exc:
            typer.echo(f"zengzhi simulate: report: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"report → {html}" + (f", charts → {png}/" if png else ""))


def _live_stats(path: Path) -> LiveStats:
    """Members, referral depth and settled volume of a network, from a replay of it."""
    from decimal import Decimal

    from zengzhi.compliance import LiveStats
    from zengzhi.economy.errors import InvalidConfig
    from zengzhi.replay import MalformedLine, Replayer

    replayer = Replayer()
    try:
        with path.open(encoding="utf-8") as stream:
            for line_no, text in enumerate(stream, start=1):
                replayer.feed(line_no, text)
    except OSError as exc:
        raise InvalidConfig("unreadable_file", f"{path}: {exc.strerror}") from None
    except MalformedLine as exc:
        raise InvalidConfig("malformed_live", f"{path}: line {exc.line}: {exc.message}") from None
    economy = replayer._engine()
    network = economy.distribution
    depth: dict[str, int] = {}
    for member in network.members():
        chain = []
        node: str | None = member
        while node is not None and node not in depth:
            chain.append(node)
            node = network.sponsor_of(node)
        level = depth[node] if node is not None else 0
        for name in reversed(chain):
            level += 1
            depth[name] = level
    volume_fen = sum(account.ordered_fen for account in economy.members.values())
    return LiveStats(
        members=len(depth),
        max_depth=max(depth.values(), default=0),
        total_amount=Decimal(volume_fen) / 100,
        rewarded_levels=0,
    )


def main() -> None:
    from zengzhi.runtime import tune_gc

    tune_gc()
    app()


if __name__ == "__main__":
    main()
