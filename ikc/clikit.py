"""What every command group of the `ikc` CLI shares: the console, settings from flags, the --data-dir option.

Lives in the core package so that the command groups (ingest/cli.py, assistant/cli.py, evals/cli.py,
ui/cli.py) import it downward; only the root ikc/cli.py imports those groups.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

import ikc  # noqa: F401  (sets offline env vars before any model library loads)
from ikc.settings import Settings

# Messages and progress go to stderr, so stdout carries only results (--json).
console = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Index folder (default: $IKC_DATA_DIR or ./data).")]


def make_settings(data_dir: Path | None = None, **overrides) -> Settings:
    """Settings from the environment with CLI flags on top (a flag left unset keeps the environment's value)."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)


def setup_logging(verbose: bool = False) -> None:
    """Log through rich on stderr: warnings only, or progress details with --verbose."""
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )


def say(label: str, text: object, style: str = "red") -> None:
    """One line on stderr: a coloured label and a plain text (never re-wrapped, never read as markup)."""
    from rich.markup import escape

    console.print(f"[{style}]{label}[/{style}] {escape(str(text))}", soft_wrap=True, highlight=False)
