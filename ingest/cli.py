"""`ikc ingest`: ingest the corpus into the index, with a progress bar and a one-line summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ikc.clikit import DataDir, console, make_settings
from ikc.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # nothing was written: a fatal error (the previous index keeps answering)
EXIT_SOME_SKIPPED = 2  # some files could not be read; the rest is indexed

_STAGES = {"read": "Reading files", "embed": "Embedding chunks", "write": "Writing index"}


def run_ingest(settings: Settings, *, rebuild: bool = False, as_json: bool = False) -> int:
    """Ingest with a progress bar on stderr, print the report, and return the exit code.

    `ikc ingest` and `ikc ui` (which ingests first when there is no usable index) both call this.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.pipeline import ingest_corpus

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = ingest_corpus(settings, rebuild=rebuild, progress=progress)
        except Exception as exc:  # a fatal error: say it plainly, no traceback
            console.print(f"[red]Ingest failed:[/red] {exc}")
            return EXIT_FAILED
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        if report.message:
            console.print(f"[yellow]{report.message}[/yellow]")
        console.print(
            f"{report.documents} documents, {report.pages} pages, {report.chunks} chunks "
            f"(added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
            f"removed {len(report.removed)}) in {report.seconds:.1f} s"
        )
        for failure in report.failed:
            console.print(f"[red]skipped[/red] {failure['file']}: {failure['reason']}")
        for dup in report.duplicates:
            console.print(f"[yellow]not indexed[/yellow] {dup['file']}: duplicate of {dup['of']}")
    return EXIT_SOME_SKIPPED if report.failed else EXIT_OK


def ingest_command(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Corpus folder (default: ./corpus).")] = None,
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-read and re-index every file.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
) -> None:
    """Ingest PDF/TXT/MD files into the index (incremental; atomic)."""
    settings = make_settings(data_dir, corpus_dir=corpus)
    raise typer.Exit(run_ingest(settings, rebuild=rebuild, as_json=as_json))
