"""`ikc ask`: one question, or several in a row (follow-ups work), answered with cited passages."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ikc.clikit import DataDir, make_settings, say


def ask_command(
    question: Annotated[str | None, typer.Argument(help="The question; omit it to ask several in a row.")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only search this document id (repeatable).")] = None,
    municipality: Annotated[list[str] | None,
                            typer.Option("--municipality", help="Only this municipality (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object in the eval result format.")] = False,
    data_dir: DataDir = None,
    mode: Annotated[str | None, typer.Option("--mode", help="extractive (default) or llm.")] = None,
) -> None:
    """Ask a question; the answer cites the passages it relies on."""
    from assistant.core import Assistant
    from ikc.index import IndexMissingError

    settings = make_settings(data_dir, mode=mode)
    try:
        assistant = Assistant(settings)
    except IndexMissingError as exc:
        say("Cannot answer:", exc)
        raise typer.Exit(1) from exc
    filters = {"doc_id": doc or None, "municipality": municipality or None}
    filters = {k: v for k, v in filters.items() if v} or None
    history: list[dict] = []
    questions = [question] if question is not None else None  # `ikc ask ""` is a question (answered with a prompt)
    while True:
        if questions:
            q = questions.pop(0)
        else:
            q = None if question is not None else typer.prompt("Vraag", default="", show_default=False)
        if q is None or (question is None and not q):
            break
        answer = assistant.ask(q, history=history, filters=filters)
        if as_json:
            typer.echo(json.dumps(answer.to_result(), ensure_ascii=False))
        else:
            typer.echo(answer.answer)
            for c in answer.citations:
                typer.echo(f"  [{c.n}] {c.title}, p. {c.page}" + (f" — {c.section}" if c.section else ""))
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer.answer}]
        if question is not None:
            break
