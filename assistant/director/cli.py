"""`ikc instrument ...` and `ikc walkthrough`: thin terminal faces of the instrument engine.

Heavy imports (the embedder, matplotlib) happen inside the commands so `ikc --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

instrument_app = typer.Typer(help="The Ontwikkelinstrument IKC: show it, place a situation on it, track profiles.",
                             no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data folder (default: $IKC_DATA_DIR or ./data).")]


def _settings(data_dir: Path | None):
    from ikc.settings import Settings

    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


@instrument_app.command("show")
def show_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the instrument as one JSON object.")] = False,
) -> None:
    """Print the themes and the descriptor of every level, with pages."""
    from assistant.director.instrument import load_instrument

    instrument = load_instrument()
    if as_json:
        typer.echo(json.dumps(instrument.to_json(), ensure_ascii=False))
        return
    typer.echo(f"{instrument.title} ({instrument.doc_title}, p. {instrument.pages[0]}-{instrument.pages[-1]})")
    typer.echo(f"Niveaus: {', '.join(f'{lv.index + 1}. {lv.name}' for lv in instrument.levels)}")
    for theme in instrument.themes:
        typer.echo("")
        typer.echo(theme.label("nl"))
        for level in instrument.levels:
            cell = theme.cells[level.key]
            typer.echo(f"  {level.index + 1}. {level.name}: {cell.text} (p. {cell.page})")
    mismatch = instrument.mismatch_text("nl")
    if mismatch:
        typer.echo("")
        typer.echo(f"Let op: {mismatch}")


@instrument_app.command("suggest")
def suggest_command(
    description: Annotated[str, typer.Argument(help="The situation of your location, in your own words.")],
    theme: Annotated[int | None, typer.Option("--theme", "-t", help="Theme number (default: pick it).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Suggest the level (and, without --theme, the theme) for a described situation."""
    from assistant.director.instrument import load_instrument
    from assistant.director.placement import get_placer
    from assistant.language import detect_language

    instrument = load_instrument()
    if theme is not None and theme not in {t.number for t in instrument.themes}:
        typer.echo(f"There is no theme {theme} (1-{len(instrument.themes)}).", err=True)
        raise typer.Exit(2)
    if not description.strip():
        typer.echo("Describe the situation.", err=True)
        raise typer.Exit(2)
    suggestion = get_placer(_settings(data_dir), instrument).suggest(description, theme)
    if as_json:
        typer.echo(json.dumps(suggestion.to_json(), ensure_ascii=False))
    else:
        typer.echo(suggestion.to_markdown(detect_language(description), instrument.doc_title))


@instrument_app.command("profiles")
def profiles_command(
    location: Annotated[str | None, typer.Option("--location", help="Only this location.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """List the profiles saved in the monitor."""
    from dataclasses import asdict

    from assistant.director.profile import Monitor

    saved = Monitor(_settings(data_dir)).list(location)
    if as_json:
        typer.echo(json.dumps([asdict(s) for s in saved], ensure_ascii=False))
        return
    if not saved:
        typer.echo("No saved profiles yet.")
    for s in saved:
        typer.echo(f"{s.id}\t{s.location}\t{s.date}\t{s.answered} themes")


@instrument_app.command("compare")
def compare_command(
    location: Annotated[str, typer.Argument(help="Location as saved.")],
    before: Annotated[str, typer.Argument(help="Earlier date, YYYY-MM-DD.")],
    after: Annotated[str, typer.Argument(help="Later date, YYYY-MM-DD.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Compare two saved moments of a location: per theme up, down or same."""
    from dataclasses import asdict

    from assistant.director.profile import Monitor, compare_profiles, comparison_markdown

    monitor = Monitor(_settings(data_dir))
    try:
        first, second = monitor.find(location, before), monitor.find(location, after)
    except KeyError as exc:
        typer.echo(str(exc.args[0]), err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps([asdict(c) for c in compare_profiles(first, second)], ensure_ascii=False))
    else:
        typer.echo(comparison_markdown(first, second))


def walkthrough_command(
    location: Annotated[str, typer.Option("--location", "-l", help="Name of the location (for exports/monitor).")] = "",
    language: Annotated[str, typer.Option("--lang", help="nl or en.")] = "nl",
    state: Annotated[Path | None, typer.Option("--state", help="JSON file to resume from and save to.")] = None,
    export: Annotated[Path | None, typer.Option("--export", help="Folder for the exports (md, csv, json, png).")]
    = None,
    save: Annotated[bool, typer.Option("--save", help="Save the profile in the monitor (needs --location).")] = False,
    data_dir: DataDir = None,
) -> None:
    """Walk through the Ontwikkelinstrument theme by theme (also works with answers piped on stdin)."""
    from assistant.director.walkthrough import Walkthrough

    settings = _settings(data_dir)
    interactive = sys.stdin.isatty()
    if state is not None and state.exists():
        walk = Walkthrough.from_json(state.read_text(encoding="utf-8"), settings=settings)
        if location:
            walk.location = location
        turn = walk.resume()
    else:
        walk = Walkthrough(settings=settings, language=language, location=location)
        turn = walk.start()
    _print_turn(turn, interactive)
    while True:
        if interactive:
            try:
                line = typer.prompt(">", default="", show_default=False)
            except (EOFError, typer.Abort):
                break
        else:
            raw = sys.stdin.readline()
            if raw == "":
                break
            line = raw.rstrip("\n")
            typer.echo(f"> {line}")
        if not line.strip():
            continue
        turn = walk.handle(line)
        _print_turn(turn, interactive)
        if turn.kind == "stopped":
            break
    if state is not None:
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(walk.dumps(), encoding="utf-8")
        typer.echo(f"State saved to {state}")
    elif not walk.finished:
        typer.echo("Not saved: run with --state FILE to keep your answers and resume later.", err=True)
    profile = walk.profile()
    if export is not None:
        from assistant.director.profile import write_exports

        for fmt, path in write_exports(profile, walk.instrument, export, walk.language).items():
            typer.echo(f"Export ({fmt}): {path}")
    if save:
        from assistant.director.profile import Monitor

        if not profile.location:
            typer.echo("--save needs --location.", err=True)
            raise typer.Exit(2)
        typer.echo(f"Saved in the monitor as profile {Monitor(settings).save(profile)}.")


def _print_turn(turn, interactive: bool) -> None:
    if interactive:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(turn.message))
    else:
        typer.echo(turn.message)
    if turn.options:
        typer.echo("[" + " | ".join(turn.options) + "]")
    typer.echo("")
