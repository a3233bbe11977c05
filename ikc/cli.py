"""`ikc`: the command line, assembled from the command groups of each package.

The root of the CLI tree and the only module that imports upward: each command lives in its own
package's cli module (ingest/cli.py, assistant/cli.py, evals/cli.py, ui/cli.py, the instrument's),
and those import only downward (shared helpers in ikc/clikit.py). Heavy imports happen inside the
commands so `ikc --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

import ikc  # noqa: F401  (sets offline env vars before any model library loads)
from assistant.cli import ask_command
from assistant.director.cli import instrument_app, walkthrough_command
from evals.cli import eval_command
from ikc.clikit import setup_logging
from ingest.cli import ingest_command
from ingest.doctor import doctor_command
from ui.cli import ui_command

app = typer.Typer(help="IKC-wijzer: answers from municipal IKC policy notes, with sources.", no_args_is_help=True)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    setup_logging(verbose)


app.command("ingest")(ingest_command)
app.command("ask")(ask_command)
app.command("eval")(eval_command)
app.command("ui")(ui_command)
app.command("doctor")(doctor_command)
app.add_typer(instrument_app, name="instrument")
app.command("walkthrough")(walkthrough_command)
