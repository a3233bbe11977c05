"""`ikc ingest`: ingest the corpus into the index, with a progress bar and a one-line summary."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from ikc.clikit import DataDir, console, make_settings, say
from ikc.settings import Settings

log = logging.getLogger(__name__)
EXIT_OK = 0
EXIT_FAILED = 1  # nothing was written: a fatal error (the previous index keeps answering)
EXIT_SOME_SKIPPED = 2  # some files could not be read; the rest is indexed

_STAGES = {"read": "Reading files", "embed": "Embedding chunks", "write": "Writing index"}


def run_ingest(settings: Settings, *, rebuild: bool = False, as_json: bool = False, prune_all: bool = False) -> int:
    """Ingest with a progress bar on stderr, print the report, and return the exit code.

    `ikc ingest` and `ikc ui` (which ingests first when there is no usable index) both call this.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ikc.index import IndexBusyError
    from ingest.pdf import BadInputError
    from ingest.pipeline import IngestRefusedError, ingest_corpus

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = ingest_corpus(settings, rebuild=rebuild, progress=progress, prune_all=prune_all)
        except (IngestRefusedError, BadInputError) as exc:  # bad input (corpus.yaml, an empty corpus)
            say("Not ingested:", exc)
            return EXIT_SOME_SKIPPED
        except IndexBusyError as exc:  # another writer holds the data dir
            say("Not ingested:", exc)
            return EXIT_FAILED
        except Exception as exc:  # a fatal error: say it plainly, no traceback
            log.debug("ingest failed", exc_info=True)
            say("Ingest failed:", exc)
            return EXIT_FAILED
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        if report.message:
            say("note:", report.message, "yellow")
        console.print(
            f"{report.documents} documents, {report.pages} pages, {report.chunks} chunks "
            f"(added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
            f"removed {len(report.removed)}) in {report.seconds:.1f} s", soft_wrap=True
        )
        for failure in report.failed:
            say("skipped", f"{failure['file']}: {failure['reason']}")
        for dup in report.duplicates:
            say("not indexed", f"{dup['file']}: duplicate of {dup['of']}", "yellow")
        for gone in report.removed:
            say("removed", f"{gone}: no longer in the corpus folder", "yellow")
    return EXIT_SOME_SKIPPED if report.failed else EXIT_OK


def ingest_command(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Corpus folder (default: ./corpus).")] = None,
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-read and re-index every file.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    prune_all: Annotated[bool, typer.Option("--prune-all", help="Allow an empty corpus folder to empty the index.")] = False,
) -> None:
    """Ingest PDF/TXT/MD files into the index (incremental; atomic; one ingest per data dir at a time)."""
    settings = make_settings(data_dir, corpus_dir=corpus)
    raise typer.Exit(run_ingest(settings, rebuild=rebuild, as_json=as_json, prune_all=prune_all))
