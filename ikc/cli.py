"""`ikc`: the command line. Thin: every command calls the library and formats its result."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

import ikc  # noqa: F401  (sets offline env vars before any model library loads)
from ikc.settings import Settings

app = typer.Typer(help="IKC-wijzer: answers from municipal IKC policy notes, with sources.", no_args_is_help=True)
console = Console(stderr=True)

DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="Index folder (default: $IKC_DATA_DIR or ./data).")]


def make_settings(data_dir: Path | None = None, **overrides) -> Settings:
    """Settings from the environment with CLI flags on top."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )


@app.command()
def ingest(
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Corpus folder (default: ./corpus).")] = None,
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-read and re-index every file.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
) -> None:
    """Ingest PDF/TXT/MD files into the index (incremental; atomic)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.pipeline import ingest_corpus

    settings = make_settings(data_dir, corpus_dir=corpus)
    labels = {"read": "Reading files", "embed": "Embedding chunks", "write": "Writing index"}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = ingest_corpus(settings, rebuild=rebuild, progress=progress)
        except Exception as exc:  # a fatal error: say it plainly, exit 1
            console.print(f"[red]Ingest failed:[/red] {exc}")
            raise typer.Exit(1) from exc
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
    raise typer.Exit(2 if report.failed else 0)


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question; omit it to ask several in a row.")] = None,
    doc: Annotated[Optional[list[str]], typer.Option("--doc", help="Only search this document id (repeatable).")] = None,
    municipality: Annotated[Optional[list[str]], typer.Option("--municipality", help="Only this municipality (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object in the eval result format.")] = False,
    data_dir: DataDir = None,
    mode: Annotated[Optional[str], typer.Option("--mode", help="extractive (default) or llm.")] = None,
) -> None:
    """Ask a question; the answer cites the passages it relies on."""
    from assistant.core import Assistant
    from ikc.index import IndexMissingError

    settings = make_settings(data_dir, mode=mode)
    try:
        assistant = Assistant(settings)
    except IndexMissingError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    filters = {"doc_id": doc or None, "municipality": municipality or None}
    filters = {k: v for k, v in filters.items() if v} or None
    history: list[dict] = []
    questions = [question] if question else None
    while True:
        q = questions.pop(0) if questions else (None if question else typer.prompt("Vraag", default="", show_default=False))
        if not q:
            break
        answer = assistant.ask(q, history=history, filters=filters)
        if as_json:
            typer.echo(json.dumps(answer.to_result(), ensure_ascii=False))
        else:
            typer.echo(answer.answer)
            for c in answer.citations:
                typer.echo(f"  [{c.n}] {c.title}, p. {c.page}" + (f" — {c.section}" if c.section else ""))
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer.answer}]
        if question:
            break


from evals.cli import eval_command  # noqa: E402
app.command("eval")(eval_command)
from ui.cli import ui_command  # noqa: E402
app.command("ui")(ui_command)
from assistant.director.cli import instrument_app, walkthrough_command  # noqa: E402
app.add_typer(instrument_app, name="instrument")
app.command("walkthrough")(walkthrough_command)
