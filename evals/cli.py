"""`ikc eval`: run a question set, write results/metrics/report, optionally gate on a baseline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ikc.clikit import DataDir, console, make_settings

EXIT_REGRESSION = 1
EXIT_BAD_SET = 2


def eval_command(
    set_path: Annotated[Path, typer.Option("--set", help="Question set (JSONL), e.g. evals/sets/dev.jsonl.",
                                           exists=True, dir_okay=False)],
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: evals/out/<set name>).")] = None,
    data_dir: DataDir = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="Earlier results.jsonl or metrics.json to compare with.", dir_okay=False)] = None,
    fail_on_regression: Annotated[bool, typer.Option(
        "--fail-on-regression",
        help="Exit 1 when a measure drops beyond the tolerance or a question flips to failing.")] = False,
    tolerance: Annotated[float, typer.Option(
        "--tolerance", help="Allowed drop of a measure (0.01 = one percentage point).")] = 0.01,
) -> None:
    """Run a question set through the assistant and score the answers (no LLM judge)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from evals.runner import run_eval
    from evals.sets import SetError, load_set
    from ikc.index import read_manifest

    try:
        items = load_set(set_path)
    except SetError as exc:
        console.print("[red]Cannot run this set.[/red]")
        console.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_SET) from exc
    if baseline is not None and not baseline.exists():
        console.print(f"[red]Baseline not found:[/red] {baseline}")
        raise typer.Exit(EXIT_BAD_SET)
    settings = make_settings(data_dir)
    if read_manifest(settings.data_dir) is None:
        _ingest(settings, console)
    out = out or Path("evals/out") / set_path.stem
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(f"Evaluating {set_path.name}", total=len(items))

        def progress(done: int, total: int, item_id: str) -> None:
            bar.update(task, completed=done, total=total)

        run = run_eval(items, settings, progress=progress, set_name=set_path.name, baseline=baseline,
                       tolerance=tolerance)
    paths = run.write(out)
    _print_summary(run, console)
    console.print(f"Wrote {paths['results']}, {paths['metrics'].name} and {paths['report'].name}")
    if fail_on_regression and run.comparison is not None and run.comparison.regressed:
        raise typer.Exit(EXIT_REGRESSION)


def _ingest(settings, console) -> None:
    from ingest.pipeline import ingest_corpus

    console.print(f"No index in {settings.data_dir}: ingesting {settings.corpus_dir} first.")
    report = ingest_corpus(settings)
    if report.failed or not report.documents:
        for failure in report.failed:
            console.print(f"skipped {failure['file']}: {failure['reason']}", markup=False, style="red")
        if not report.documents:
            console.print("[red]Nothing could be ingested; cannot evaluate.[/red]")
            raise typer.Exit(EXIT_BAD_SET)


def _print_summary(run, console) -> None:
    from rich.table import Table

    from evals.display import format_delta, format_value
    from evals.metrics import METRICS

    counts = run.summary["counts"]
    table = Table(title=f"{run.set_name}: {counts['passed']}/{counts['scored']} questions pass")
    table.add_column("Measure")
    table.add_column("Result", justify="right")
    deltas = {d.name: d for d in run.comparison.deltas} if run.comparison else {}
    if deltas:
        table.add_column("Change", justify="right")
    for name, metric in METRICS.items():
        if run.metrics.get(name) is None:
            continue
        row = [metric.label, format_value(name, run.metrics[name], counts)]
        if deltas:
            d = deltas.get(name)
            text = format_delta(name, d.delta if d else None)
            row.append(f"[red]{text}[/red]" if d and d.regressed else text)
        table.add_row(*row)
    console.print(table)
    comp = run.comparison
    if comp is None:
        return
    if comp.to_pass:
        console.print("Now passing: " + ", ".join(f.id for f in comp.to_pass), markup=False, style="green")
    if not comp.regressed:
        console.print("No regression against the baseline.")
        return
    console.print("Regression against the baseline:", style="red")
    for reason in comp.regressions:
        console.print(f"  - {reason}", markup=False)
